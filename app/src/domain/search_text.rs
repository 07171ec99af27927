//! Japanese text analysis for search: normalisation and tokens.
//!
//! Both the index and the query go through [`fold_chars`], so spelling variants
//! meet in one form:
//! - CJK radicals become ideographs (⻑ → 長, ⼾ → 戸), then NFKC (half-width kana,
//!   full-width Latin, ① → 1);
//! - lower case;
//! - katakana become hiragana, small kana become large (ッ → つ), and the long-vowel
//!   mark and the middle dot inside kana are dropped (サーバー = サーバ,
//!   デジタル・トランスフォーメーション = デジタルトランスフォーメーション).
//!
//! Tokens are CJK character bigrams with real, consecutive positions (so a phrase
//! query on 東京都 does not match 京都と東京) and whole words for Latin letters and
//! digits (DX, 1on1, R6). The index side also emits every CJK character as a
//! unigram at its own position, so a one-character query still finds text.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::radicals::ideograph_for_radical;

/// Longest Latin/digit word kept as one token, in characters.
const MAX_WORD_CHARS: usize = 40;

/// A normalised character and the byte range of the original text it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoldedChar {
    /// The character after folding.
    pub c: char,
    /// Start of its source in the original text (bytes).
    pub from: usize,
    /// End of its source in the original text (bytes).
    pub to: usize,
}

/// A token with its position and the byte range of the original text it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The folded token text.
    pub text: String,
    /// Position in the token sequence; bigram `n` and the unigram of character `n`
    /// of a run share a position.
    pub position: usize,
    /// Start in the original text (bytes).
    pub from: usize,
    /// End in the original text (bytes).
    pub to: usize,
}

fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}')
}

/// Whether `c` is written without spaces between words (Han, kana, 々 〆 ヶ).
pub fn is_cjk(c: char) -> bool {
    is_kana(c)
        || matches!(c,
            '\u{3005}' | '\u{3006}' | '\u{3007}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{3FFFF}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Katakana to hiragana, small kana to large.
fn fold_kana(c: char) -> char {
    let c = match c {
        '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    };
    match c {
        'ぁ' => 'あ',
        'ぃ' => 'い',
        'ぅ' => 'う',
        'ぇ' => 'え',
        'ぉ' => 'お',
        'っ' => 'つ',
        'ゃ' => 'や',
        'ゅ' => 'ゆ',
        'ょ' => 'よ',
        'ゎ' => 'わ',
        'ゕ' => 'か',
        'ゖ' => 'け',
        other => other,
    }
}

/// Enclosed numbers and letters (①, ⑤, ㉑, Ⓐ): NFKC turns them into plain digits
/// and letters that must not glue to the next word (⑤HR is "5" and "hr").
fn is_enclosed_alphanumeric(c: char) -> bool {
    matches!(c,
        '\u{2460}'..='\u{24FF}'
        | '\u{2776}'..='\u{2793}'
        | '\u{3251}'..='\u{325F}'
        | '\u{32B1}'..='\u{32BF}'
        | '\u{1F100}'..='\u{1F1FF}')
}

/// Whether `c` joins the character before it (voicing marks, combining marks).
fn is_attached_mark(c: char) -> bool {
    matches!(c, '\u{FF9E}' | '\u{FF9F}' | '\u{3099}' | '\u{309A}') || is_combining_mark(c)
}

/// Folds `text` character by character, keeping where each character came from.
pub fn fold_chars(text: &str) -> Vec<FoldedChar> {
    let mut out: Vec<FoldedChar> = Vec::with_capacity(text.len() / 2);
    let mut chars = text.char_indices().peekable();
    let mut cluster = String::new();
    while let Some((from, first)) = chars.next() {
        cluster.clear();
        cluster.push(ideograph_for_radical(first).unwrap_or(first));
        let mut to = from + first.len_utf8();
        while let Some(&(at, next)) = chars.peek() {
            if !is_attached_mark(next) {
                break;
            }
            cluster.push(next);
            to = at + next.len_utf8();
            chars.next();
        }
        for normalised in cluster.nfkc() {
            for lower in normalised.to_lowercase() {
                let c = fold_kana(lower);
                let after_kana = out.last().is_some_and(|prev| is_kana(prev.c));
                // Long-vowel marks and middle dots inside kana words are spelling
                // noise; the kana before them covers their bytes for highlighting.
                if after_kana && matches!(c, 'ー' | '・') {
                    if let Some(prev) = out.last_mut() {
                        prev.to = to;
                    }
                    continue;
                }
                // A voicing mark NFKC could not attach stays out of the text.
                if matches!(c, '\u{3099}' | '\u{309A}' | '゛' | '゜') {
                    continue;
                }
                out.push(FoldedChar { c, from, to });
            }
        }
        if is_enclosed_alphanumeric(first) && out.last().is_some_and(|f| f.c != first) {
            out.push(FoldedChar {
                c: ' ',
                from: to,
                to,
            });
        }
    }
    out
}

/// The folded form of `text` as a string.
pub fn fold(text: &str) -> String {
    fold_chars(text).into_iter().map(|f| f.c).collect()
}

enum Run {
    /// Han and kana, and whether a separator (space, punctuation) came before.
    Cjk(Vec<FoldedChar>, bool),
    /// Latin letters and digits, and whether a separator came before.
    Word(Vec<FoldedChar>, bool),
}

fn runs(text: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut current: Option<Run> = None;
    let mut separated = false;
    for f in fold_chars(text) {
        let cjk = is_cjk(f.c);
        let word = !cjk && is_word_char(f.c);
        match (&mut current, cjk, word) {
            (Some(Run::Cjk(chars, _)), true, _) | (Some(Run::Word(chars, _)), _, true) => {
                chars.push(f)
            }
            (_, true, _) | (_, _, true) => {
                runs.extend(current.take());
                current = Some(if cjk {
                    Run::Cjk(vec![f], separated)
                } else {
                    Run::Word(vec![f], separated)
                });
                separated = false;
            }
            _ => {
                runs.extend(current.take());
                separated = true;
            }
        }
    }
    runs.extend(current);
    runs
}

fn token(chars: &[FoldedChar], position: usize) -> Option<Token> {
    Some(Token {
        text: chars.iter().map(|f| f.c).collect(),
        position,
        from: chars.first()?.from,
        to: chars.last()?.to,
    })
}

fn tokens(text: &str, unigrams: bool) -> Vec<Token> {
    let mut out = Vec::new();
    let mut position = 0;
    for run in runs(text) {
        // A separator leaves a one-position gap, so a phrase does not match across
        // a space or punctuation that the text does not have ("人材 育成").
        if matches!(run, Run::Cjk(_, true) | Run::Word(_, true)) && position > 0 {
            position += 1;
        }
        match run {
            Run::Word(chars, _) => {
                let chars = &chars[..chars.len().min(MAX_WORD_CHARS)];
                out.extend(token(chars, position));
                position += 1;
            }
            Run::Cjk(chars, _) => {
                for i in 0..chars.len() {
                    if unigrams || chars.len() == 1 {
                        out.extend(token(&chars[i..=i], position + i));
                    }
                    if i + 1 < chars.len() {
                        out.extend(token(&chars[i..i + 2], position + i));
                    }
                }
                position += chars.len();
            }
        }
    }
    out
}

/// Tokens to index: words, CJK bigrams, and every CJK character as a unigram.
pub fn index_tokens(text: &str) -> Vec<Token> {
    tokens(text, true)
}

/// Tokens of a query word: words and CJK bigrams; a CJK run of one character
/// becomes its unigram. Matching all of them at their positions is a substring
/// match on the folded text.
pub fn query_tokens(text: &str) -> Vec<Token> {
    tokens(text, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(tokens: &[Token]) -> Vec<(&str, usize)> {
        tokens
            .iter()
            .map(|t| (t.text.as_str(), t.position))
            .collect()
    }

    #[test]
    fn half_width_katakana_and_hiragana_fold_to_the_same_text() {
        assert_eq!(fold("ﾛｼﾞｯｸﾓﾃﾞﾙ"), fold("ロジックモデル"));
        assert_eq!(fold("ろじっくもでる"), fold("ロジックモデル"));
        assert_eq!(fold("ロジックモデル"), "ろじつくもでる");
    }

    #[test]
    fn radicals_from_pdf_text_fold_to_ideographs() {
        assert_eq!(fold("⺠間"), "民間");
        assert_eq!(fold("⻑崎"), "長崎");
        assert_eq!(fold("神⼾"), "神戸");
        assert_eq!(fold("⼈材育成"), "人材育成");
    }

    #[test]
    fn long_vowel_marks_and_middle_dots_inside_kana_are_ignored() {
        assert_eq!(fold("サーバー"), fold("サーバ"));
        assert_eq!(
            fold("デジタル・トランスフォーメーション"),
            fold("デジタルトランスフォメション")
        );
    }

    #[test]
    fn an_enclosed_number_does_not_glue_to_the_next_word() {
        assert_eq!(
            texts(&query_tokens("⑤HRテクノロジー"))[..2],
            [("5", 0), ("hr", 2)]
        );
    }

    #[test]
    fn full_width_latin_is_lower_case_ascii() {
        assert_eq!(fold("ＤＸ推進"), "dx推進");
    }

    #[test]
    fn each_folded_character_points_back_to_its_source() {
        let text = "ｶﾞｲﾄﾞ";
        let folded = fold_chars(text);
        assert_eq!(folded.iter().map(|f| f.c).collect::<String>(), "がいど");
        assert_eq!(&text[folded[0].from..folded[0].to], "ｶﾞ");
        assert_eq!(&text[folded[2].from..folded[2].to], "ﾄﾞ");
    }

    #[test]
    fn bigrams_have_consecutive_positions_and_words_stay_whole() {
        assert_eq!(
            texts(&query_tokens("DX推進計画 1on1")),
            vec![
                ("dx", 0),
                ("推進", 1),
                ("進計", 2),
                ("計画", 3),
                ("1on1", 6)
            ]
        );
    }

    #[test]
    fn the_index_also_has_unigrams_at_each_position() {
        assert_eq!(
            texts(&index_tokens("東京都")),
            vec![("東", 0), ("東京", 0), ("京", 1), ("京都", 1), ("都", 2)]
        );
    }

    #[test]
    fn a_separator_leaves_a_gap_so_phrases_respect_it() {
        let joined = query_tokens("人材育成");
        let spaced = query_tokens("人材 育成");
        let position_of = |tokens: &[Token], text: &str| {
            tokens.iter().find(|t| t.text == text).map(|t| t.position)
        };
        assert_eq!(position_of(&joined, "育成"), Some(2));
        assert_eq!(position_of(&spaced, "育成"), Some(3));
    }

    #[test]
    fn a_single_character_query_is_a_unigram() {
        assert_eq!(texts(&query_tokens("県")), vec![("県", 0)]);
    }

    #[test]
    fn tokens_cover_the_original_bytes() {
        let text = "ＩＴパスポート取得";
        for t in index_tokens(text) {
            assert!(text.is_char_boundary(t.from) && text.is_char_boundary(t.to));
        }
        let first = &query_tokens(text)[0];
        assert_eq!(&text[first.from..first.to], "ＩＴ");
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once);
        }

        #[test]
        fn query_tokens_are_index_tokens_at_the_same_positions(s in "[a-zA-Z0-9あ-んア-ン亜-腕 ー・]{0,30}") {
            let index = index_tokens(&s);
            for t in query_tokens(&s) {
                prop_assert!(index.iter().any(|i| i.text == t.text && i.position == t.position), "{:?}", t);
            }
        }

        #[test]
        fn token_ranges_are_valid_and_in_order(s in "\\PC{0,40}") {
            let tokens = index_tokens(&s);
            for t in &tokens {
                prop_assert!(t.from < t.to && t.to <= s.len());
                prop_assert!(s.is_char_boundary(t.from) && s.is_char_boundary(t.to));
            }
            prop_assert!(tokens.windows(2).all(|w| w[0].position <= w[1].position));
        }
    }
}
