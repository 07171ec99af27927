//! A piece of text with the byte ranges a search matched, for result pages and
//! the JSON API (pure: the index produces it, the pages render it).

use serde::{Deserialize, Serialize};

use crate::domain::text::escape_html;

/// A piece of text with byte ranges to highlight.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlighted {
    /// The text.
    pub text: String,
    /// Sorted, non-overlapping byte ranges of `text` to highlight.
    pub ranges: Vec<(usize, usize)>,
}

/// A run of text, highlighted or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    /// The text of the run.
    pub text: &'a str,
    /// Whether it matched the query.
    pub marked: bool,
}

impl Highlighted {
    /// Plain text with nothing highlighted.
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ranges: Vec::new(),
        }
    }

    /// The text split into plain and highlighted runs, for rendering `<mark>`.
    /// Ranges that do not fall on character boundaries are ignored.
    pub fn segments(&self) -> Vec<Segment<'_>> {
        let mut out = Vec::new();
        let mut at = 0;
        for &(from, to) in &self.ranges {
            if from < at
                || to <= from
                || to > self.text.len()
                || !self.text.is_char_boundary(from)
                || !self.text.is_char_boundary(to)
            {
                continue;
            }
            if from > at {
                out.push(Segment {
                    text: &self.text[at..from],
                    marked: false,
                });
            }
            out.push(Segment {
                text: &self.text[from..to],
                marked: true,
            });
            at = to;
        }
        if at < self.text.len() {
            out.push(Segment {
                text: &self.text[at..],
                marked: false,
            });
        }
        out
    }

    /// HTML with `<mark>` around highlights; all text is escaped.
    pub fn to_html(&self) -> String {
        self.segments()
            .into_iter()
            .map(|s| {
                let text = escape_html(s.text);
                if s.marked {
                    format!("<mark>{text}</mark>")
                } else {
                    text
                }
            })
            .collect()
    }

    /// Whether anything is highlighted.
    pub fn has_marks(&self) -> bool {
        !self.ranges.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_become_marks_and_text_is_escaped() {
        let h = Highlighted {
            text: "<b>人材</b>育成".into(),
            ranges: vec![(3, 9)],
        };
        assert_eq!(h.to_html(), "&lt;b&gt;<mark>人材</mark>&lt;/b&gt;育成");
    }

    #[test]
    fn broken_ranges_are_ignored_instead_of_panicking() {
        let h = Highlighted {
            text: "人材".into(),
            ranges: vec![(1, 2), (3, 100)],
        };
        assert_eq!(h.to_html(), "人材");
    }
}
