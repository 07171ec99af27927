//! Text normalisation for Japanese administrative text.

use unicode_normalization::UnicodeNormalization;

/// Unicode NFKC: folds full-width ASCII to half-width and half-width katakana
/// (with their separate voicing marks, `ｶﾞ`) to full-width katakana (`ガ`).
pub fn nfkc(input: &str) -> String {
    input.nfkc().collect()
}

/// Removes control characters (keeping none, not even tabs or newlines) and trims.
/// Used for single-line user input such as a filter word.
pub fn clean_single_line(input: &str) -> String {
    input
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The first `max_chars` characters of `text`, with `…` when something was cut.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// Formats a count with thousands separators: `23427` → `23,427`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Text made safe inside HTML, as element content or a quoted attribute value.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_special_characters_are_escaped_quotes_included() {
        assert_eq!(
            escape_html("<a href=\"x\" title='y'>&</a>"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }
    use proptest::prelude::*;

    #[test]
    fn half_width_katakana_with_voicing_marks_becomes_full_width() {
        assert_eq!(nfkc("ﾅﾗｹﾝ"), "ナラケン");
        assert_eq!(nfkc("ｺｳﾁｹﾝ"), "コウチケン");
        assert_eq!(nfkc("ｶﾞｯｺｳ ﾎﾟｽﾄ"), "ガッコウ ポスト");
    }

    #[test]
    fn control_characters_are_removed_from_single_line_input() {
        assert_eq!(clean_single_line("\u{0}研修\u{7}\n"), "研修");
    }

    #[test]
    fn excerpts_mark_cut_text_with_an_ellipsis() {
        assert_eq!(excerpt("人材育成", 2), "人材…");
        assert_eq!(excerpt("人材", 2), "人材");
    }

    #[test]
    fn thousands_are_separated_with_commas() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(932), "932");
        assert_eq!(thousands(23_427), "23,427");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    proptest! {
        #[test]
        fn thousands_separators_remove_to_the_plain_number(n in 0u64..u64::MAX) {
            prop_assert_eq!(thousands(n).replace(',', ""), n.to_string());
        }
    }
}
