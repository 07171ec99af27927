//! The search box language: words are ANDed, `"quoted phrases"` match as typed,
//! `-word` excludes. Anything malformed (an unbalanced quote, a lone `-`, control
//! characters, overlong input) is read as plain text; parsing never fails.

use serde::{Deserialize, Serialize};

use super::search_text::query_tokens;
use super::text::clean_single_line;

/// Longest query kept, in characters; longer input is cut with a notice.
pub const MAX_QUERY_CHARS: usize = 200;

/// One word or phrase of a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryPart {
    /// The text as typed (without quotes or `-`).
    pub text: String,
    /// Whether it was quoted; a phrase keeps its inner spaces as word boundaries.
    pub phrase: bool,
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Parts that must match (or, in the fallback, at least one of them).
    pub required: Vec<QueryPart>,
    /// Parts that must not match.
    pub excluded: Vec<QueryPart>,
    /// Whether the input was cut at [`MAX_QUERY_CHARS`].
    pub truncated: bool,
}

impl SearchQuery {
    /// Parses what a user typed.
    pub fn parse(input: &str) -> Self {
        let cleaned = clean_single_line(input);
        let truncated = cleaned.chars().count() > MAX_QUERY_CHARS;
        let text: String = cleaned.chars().take(MAX_QUERY_CHARS).collect();
        let mut query = SearchQuery {
            truncated,
            ..Self::default()
        };
        for piece in split(&text) {
            let body = piece.text.trim();
            // A part that yields no token (a lone "-", punctuation) is ignored.
            if query_tokens(body).is_empty() {
                continue;
            }
            let part = QueryPart {
                text: body.to_owned(),
                phrase: piece.quoted,
            };
            if piece.negated {
                query.excluded.push(part);
            } else {
                query.required.push(part);
            }
        }
        query
    }

    /// The required parts loosened for a fallback: words typed without spaces, as
    /// Japanese usually is, are cut where hiragana runs (particles and okurigana)
    /// stand between other characters, and the hiragana dropped:
    /// 「元職員を再び採用」 becomes 元職員, 再, 採用. Quoted phrases stay whole.
    ///
    /// Pieces that carry no meaning of their own in a question are dropped when
    /// something else is left: words such as 方法 and 自治体 (every case is about
    /// one), and single characters left over from verbs (取らせる → 取).
    pub fn relaxed(&self) -> Vec<QueryPart> {
        let parts = self.pieces();
        let meaningful: Vec<QueryPart> = parts
            .iter()
            .filter(|p| {
                p.phrase || !(STOP_WORDS.contains(&p.text.as_str()) || is_lone_kanji(&p.text))
            })
            .cloned()
            .collect();
        if meaningful.is_empty() {
            parts
        } else {
            meaningful
        }
    }

    fn pieces(&self) -> Vec<QueryPart> {
        let mut parts: Vec<QueryPart> = Vec::new();
        let mut push = |text: String, phrase: bool| {
            if !query_tokens(&text).is_empty() && !parts.iter().any(|p| p.text == text) {
                parts.push(QueryPart { text, phrase });
            }
        };
        for part in &self.required {
            if part.phrase {
                push(part.text.clone(), true);
                continue;
            }
            let mut segment = String::new();
            for c in part.text.chars() {
                if is_hiragana(c) {
                    for piece in script_pieces(&std::mem::take(&mut segment)) {
                        push(piece, false);
                    }
                } else {
                    segment.push(c);
                }
            }
            for piece in script_pieces(&segment) {
                push(piece, false);
            }
        }
        parts
    }

    /// The query written back in the search box language.
    pub fn text(&self) -> String {
        let written = |part: &QueryPart, prefix: &str| {
            if part.phrase {
                format!("{prefix}\"{}\"", part.text)
            } else {
                format!("{prefix}{}", part.text)
            }
        };
        self.required
            .iter()
            .map(|p| written(p, ""))
            .chain(self.excluded.iter().map(|p| written(p, "-")))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether nothing searchable was typed.
    pub fn is_empty(&self) -> bool {
        self.required.is_empty() && self.excluded.is_empty()
    }
}

/// Words of a question that say nothing about what is sought.
const STOP_WORDS: [&str; 14] = [
    "方法",
    "場合",
    "必要",
    "自治体",
    "事例",
    "取組",
    "取り組み",
    "教",
    "何",
    "今後",
    "具体的",
    "一度",
    "可能",
    "良",
];

/// A word of Latin letters and Japanese cut where the script changes, when both
/// sides are two characters or more (DX支援 → DX, 支援; AI活用 → AI, 活用), so that
/// a near match may hold either; anything else stays whole (iパス, R5年度).
fn script_pieces(word: &str) -> Vec<String> {
    let latin = |c: char| c.is_ascii_alphanumeric() || ('Ａ'..='ｚ').contains(&c);
    let mut runs: Vec<(bool, String)> = Vec::new();
    for c in word.chars() {
        match runs.last_mut() {
            Some((is_latin, run)) if *is_latin == latin(c) => run.push(c),
            _ => runs.push((latin(c), c.to_string())),
        }
    }
    if runs.len() > 1 && runs.iter().all(|(_, run)| run.chars().count() >= 2) {
        runs.into_iter().map(|(_, run)| run).collect()
    } else {
        vec![word.to_owned()]
    }
}

/// A single CJK character: in a question, usually the stem of a verb or adjective.
fn is_lone_kanji(text: &str) -> bool {
    let mut chars = text.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if crate::domain::search_text::is_cjk(c))
}

fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | 'ゝ' | 'ゞ')
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '＂' | '「')
}

fn closing_for(open: char) -> &'static [char] {
    match open {
        '「' => &['」'],
        _ => &['"', '”', '＂', '“'],
    }
}

struct Piece {
    text: String,
    quoted: bool,
    negated: bool,
}

fn is_minus(c: char) -> bool {
    matches!(c, '-' | '－')
}

/// Splits into pieces at white space, keeping quoted spans together. A quote with
/// no partner is dropped and its text read as words. A `-` that starts a piece
/// (before a word or an opening quote) negates it.
fn split(text: &str) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut word = String::new();
    let mut negated = false;
    let finish = |word: &mut String, negated: &mut bool, pieces: &mut Vec<Piece>| {
        if !word.is_empty() {
            pieces.push(Piece {
                text: std::mem::take(word),
                quoted: false,
                negated: *negated,
            });
        }
        *negated = false;
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            finish(&mut word, &mut negated, &mut pieces);
        } else if word.is_empty() && !negated && is_minus(c) {
            negated = true;
        } else if word.is_empty() && is_open_quote(c) {
            let close = closing_for(c);
            if let Some(end) = chars[i + 1..].iter().position(|x| close.contains(x)) {
                pieces.push(Piece {
                    text: chars[i + 1..i + 1 + end].iter().collect(),
                    quoted: true,
                    negated,
                });
                negated = false;
                i += end + 2;
                continue;
            }
            // Unbalanced: the quote itself is dropped.
        } else if !matches!(c, '"' | '“' | '”' | '＂') {
            word.push(c);
        }
        i += 1;
    }
    finish(&mut word, &mut negated, &mut pieces);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(parts: &[QueryPart]) -> Vec<(&str, bool)> {
        parts.iter().map(|p| (p.text.as_str(), p.phrase)).collect()
    }

    #[test]
    fn words_phrases_and_exclusions_are_recognised() {
        let q = SearchQuery::parse(r#"研修 "人材 育成" -東京 -"民間 企業""#);
        assert_eq!(
            words(&q.required),
            vec![("研修", false), ("人材 育成", true)]
        );
        assert_eq!(
            words(&q.excluded),
            vec![("東京", false), ("民間 企業", true)]
        );
    }

    #[test]
    fn japanese_quotes_and_full_width_spaces_work() {
        let q = SearchQuery::parse("「共同研修」　ＤＸ");
        assert_eq!(
            words(&q.required),
            vec![("共同研修", true), ("ＤＸ", false)]
        );
    }

    #[test]
    fn an_unbalanced_quote_is_read_as_plain_text() {
        let q = SearchQuery::parse(r#""人材 育成"#);
        assert_eq!(words(&q.required), vec![("人材", false), ("育成", false)]);
    }

    #[test]
    fn lone_operators_and_punctuation_are_ignored() {
        let q = SearchQuery::parse(r#"- " -- ！ 研修 -"#);
        assert_eq!(words(&q.required), vec![("研修", false)]);
        assert!(q.excluded.is_empty());
    }

    #[test]
    fn a_hyphen_inside_a_word_is_not_an_exclusion() {
        let q = SearchQuery::parse("e-ラーニング");
        assert_eq!(words(&q.required), vec![("e-ラーニング", false)]);
    }

    #[test]
    fn overlong_input_is_cut_and_flagged() {
        let q = SearchQuery::parse(&"研修 ".repeat(5_000));
        assert!(q.truncated);
        assert!(q.required.len() <= MAX_QUERY_CHARS);
    }

    #[test]
    fn control_characters_are_treated_as_spaces() {
        let q = SearchQuery::parse("人材\u{0}育成\u{7}");
        assert_eq!(words(&q.required), vec![("人材", false), ("育成", false)]);
    }

    #[test]
    fn relaxing_cuts_unspaced_japanese_at_hiragana_and_drops_what_says_nothing() {
        // 再 is left over from 再び; 方法 says nothing about what is sought.
        let q = SearchQuery::parse("元職員を再び採用する方法 \"人材の育成\" ITパスポート");
        assert_eq!(
            words(&q.relaxed()),
            vec![
                ("元職員", false),
                ("採用", false),
                ("人材の育成", true),
                ("IT", false),
                ("パスポート", false)
            ]
        );
        // Latin letters and Japanese part where the script changes, when both
        // sides have two characters or more.
        assert_eq!(
            words(&SearchQuery::parse("市町村のDX支援 iパス R5年度").relaxed()),
            vec![
                ("市町村", false),
                ("DX", false),
                ("支援", false),
                ("iパス", false),
                ("R5", false),
                ("年度", false)
            ]
        );
        // A question of nothing but such words keeps them rather than nothing.
        assert_eq!(
            words(&SearchQuery::parse("方法").relaxed()),
            vec![("方法", false)]
        );
    }

    proptest! {
        #[test]
        fn every_kept_part_has_something_to_search(s in "\\PC{0,300}") {
            let q = SearchQuery::parse(&s);
            for part in q.required.iter().chain(&q.excluded) {
                prop_assert!(!query_tokens(&part.text).is_empty());
            }
        }
    }
}
