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
//! Tokens are CJK character n-grams with real, consecutive positions and whole
//! words for Latin letters and digits (DX, 1on1, R6). The index holds every n-gram
//! of 1 to 4 characters starting at each character; a query word of up to four
//! characters is one term (東京都 is the trigram 東京都, so it cannot match
//! 京都と東京), and a longer one is a phrase of 4-grams at consecutive positions.
//! Positions advance one per character, with a gap at spaces and punctuation.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::radicals::ideograph_for_radical;

/// Longest Latin/digit word kept as one token, in characters.
const MAX_WORD_CHARS: usize = 40;

/// Longest CJK n-gram indexed. Words of up to this many characters (most Japanese
/// compounds: 人材育成, 市町村) are single terms, so they need no phrase check.
pub const MAX_GRAM: usize = 4;

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

/// Folds one normalised character into `out` (lower case, kana folding, dropped
/// spelling noise).
fn push_folded(out: &mut Vec<FoldedChar>, normalised: char, from: usize, to: usize) {
    let mut push = |lower: char| {
        let c = fold_kana(lower);
        let after_kana = out.last().is_some_and(|prev| is_kana(prev.c));
        // Long-vowel marks and middle dots inside kana words are spelling noise. A
        // long-vowel mark belongs to its word, so the kana before it covers its bytes
        // for highlighting; a middle dot separates words and belongs to neither (a
        // match across it still spans it).
        if after_kana && matches!(c, 'ー' | '・') {
            if c == 'ー'
                && let Some(prev) = out.last_mut()
            {
                prev.to = to;
            }
            return;
        }
        // A voicing mark NFKC could not attach stays out of the text.
        if matches!(c, '\u{3099}' | '\u{309A}' | '゛' | '゜') {
            return;
        }
        out.push(FoldedChar { c, from, to });
    };
    if normalised.is_ascii() {
        push(normalised.to_ascii_lowercase());
    } else {
        normalised.to_lowercase().for_each(push);
    }
}

/// Whether NFKC leaves `c`, standing alone, unchanged (the common case: ASCII,
/// kanji, full-width kana), so the normaliser can be skipped.
fn nfkc_stable(c: char) -> bool {
    c.is_ascii()
        || matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | 'ー' | '\u{4E00}'..='\u{9FFF}')
}

/// Folds `text` character by character, keeping where each character came from.
pub fn fold_chars(text: &str) -> Vec<FoldedChar> {
    let mut out: Vec<FoldedChar> = Vec::with_capacity(text.len() / 2);
    let mut chars = text.char_indices().peekable();
    let mut cluster = String::new();
    while let Some((from, first)) = chars.next() {
        let base = ideograph_for_radical(first).unwrap_or(first);
        let attached = chars
            .peek()
            .is_some_and(|&(_, next)| is_attached_mark(next));
        if !attached && nfkc_stable(base) {
            push_folded(&mut out, base, from, from + first.len_utf8());
            continue;
        }
        cluster.clear();
        cluster.push(base);
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
            push_folded(&mut out, normalised, from, to);
        }
        if is_enclosed_alphanumeric(first)
            && std::iter::once(first).nfkc().ne(std::iter::once(first))
        {
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

/// A token as a span of folded characters: `len` characters from `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenSpan {
    /// Index of the first folded character.
    pub start: usize,
    /// Number of folded characters (1 or 2 for CJK, up to 40 for words).
    pub len: usize,
    /// Token position.
    pub position: usize,
}

/// Folded text and its tokens, without a string per token (indexing is hot).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    /// The folded characters.
    pub chars: Vec<FoldedChar>,
    /// The tokens, in order of position.
    pub spans: Vec<TokenSpan>,
}

impl Analysis {
    /// Writes the text of `span` into `buf` (cleared first).
    pub fn write_text(&self, span: TokenSpan, buf: &mut String) {
        buf.clear();
        buf.extend(
            self.chars[span.start..span.start + span.len]
                .iter()
                .map(|f| f.c),
        );
    }

    /// The byte range of the original text `span` covers.
    pub fn source_range(&self, span: TokenSpan) -> (usize, usize) {
        (
            self.chars[span.start].from,
            self.chars[span.start + span.len - 1].to,
        )
    }
}

/// Folds `text` and cuts it into tokens; see the module documentation. The index
/// side emits every CJK n-gram up to [`MAX_GRAM`]; the query side emits a CJK word
/// of up to [`MAX_GRAM`] characters as one token and longer ones as overlapping
/// [`MAX_GRAM`]-grams, each at the position where it starts.
pub fn analyse(text: &str, index_side: bool) -> Analysis {
    let chars = fold_chars(text);
    let mut spans = Vec::with_capacity(chars.len() * 2);
    let mut position = 0;
    let mut i = 0;
    let mut separated = false;
    while i < chars.len() {
        let c = chars[i].c;
        let cjk = is_cjk(c);
        if !cjk && !is_word_char(c) {
            separated = true;
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (if cjk {
                is_cjk(chars[i].c)
            } else {
                is_word_char(chars[i].c)
            })
        {
            i += 1;
        }
        // A separator leaves a one-position gap, so a phrase does not match across
        // a space or punctuation that the text does not have ("人材 育成").
        if separated && position > 0 {
            position += 1;
        }
        separated = false;
        let run = i - start;
        if cjk {
            if index_side {
                // Every n-gram (n = 1..=MAX_GRAM) starting at each character.
                for k in 0..run {
                    for n in 1..=MAX_GRAM.min(run - k) {
                        spans.push(TokenSpan {
                            start: start + k,
                            len: n,
                            position: position + k,
                        });
                    }
                }
            } else if run <= MAX_GRAM {
                spans.push(TokenSpan {
                    start,
                    len: run,
                    position,
                });
            } else {
                // Longer words: overlapping MAX_GRAM-grams, matched as a phrase.
                for k in 0..=run - MAX_GRAM {
                    spans.push(TokenSpan {
                        start: start + k,
                        len: MAX_GRAM,
                        position: position + k,
                    });
                }
            }
            position += run;
        } else {
            spans.push(TokenSpan {
                start,
                len: run.min(MAX_WORD_CHARS),
                position,
            });
            position += 1;
        }
    }
    Analysis { chars, spans }
}

/// Highlights every occurrence of the (folded) `needles` in `text` and cuts a
/// fragment of about `window` characters around the first one; the whole text when
/// it is short. Returns the fragment, the highlighted byte ranges within it, and
/// whether anything matched.
pub fn highlight(
    text: &str,
    needles: &[String],
    window: usize,
) -> (String, Vec<(usize, usize)>, bool) {
    let folded = fold_chars(text);
    let mut haystack = String::with_capacity(folded.len() * 3);
    // Byte offset in `haystack` → index in `folded`.
    let mut index_at: Vec<usize> = Vec::with_capacity(folded.len() * 3);
    for (i, f) in folded.iter().enumerate() {
        haystack.push(f.c);
        index_at.resize(haystack.len(), i);
    }
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for needle in needles.iter().filter(|n| !n.trim().is_empty()) {
        for (at, found) in haystack.match_indices(needle.as_str()) {
            let first = &folded[index_at[at]];
            let last = &folded[index_at[at + found.len() - 1]];
            ranges.push((first.from, last.to));
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (from, to) in ranges {
        match merged.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    let matched = !merged.is_empty();
    if text.chars().count() <= window {
        return (text.to_owned(), merged, matched);
    }
    // A fragment starting a little before the first match.
    let first = merged.first().map_or(0, |r| r.0);
    let lead = window / 4;
    let mut start = text[..first]
        .char_indices()
        .rev()
        .nth(lead.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if first == 0 {
        start = 0;
    }
    let end = text[start..]
        .char_indices()
        .nth(window)
        .map_or(text.len(), |(i, _)| start + i);
    let fragment = text[start..end].to_owned();
    let inside = merged
        .into_iter()
        .filter(|r| r.0 >= start && r.1 <= end)
        .map(|(from, to)| (from - start, to - start))
        .collect();
    (fragment, inside, matched)
}

fn tokens(text: &str, index_side: bool) -> Vec<Token> {
    let analysis = analyse(text, index_side);
    analysis
        .spans
        .iter()
        .map(|&span| {
            let mut text = String::new();
            analysis.write_text(span, &mut text);
            let (from, to) = analysis.source_range(span);
            Token {
                text,
                position: span.position,
                from,
                to,
            }
        })
        .collect()
}

/// Tokens to index: words and every CJK n-gram up to [`MAX_GRAM`] characters.
pub fn index_tokens(text: &str) -> Vec<Token> {
    tokens(text, true)
}

/// Tokens of a query word: words, and CJK runs as one term (up to [`MAX_GRAM`]
/// characters) or overlapping [`MAX_GRAM`]-grams. Matching all of them at their
/// positions is a substring match on the folded text.
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
    fn a_word_of_up_to_four_characters_is_one_term_and_latin_words_stay_whole() {
        assert_eq!(
            texts(&query_tokens("DX推進計画 1on1")),
            vec![("dx", 0), ("推進計画", 1), ("1on1", 6)]
        );
    }

    #[test]
    fn a_longer_word_is_overlapping_four_grams_at_consecutive_positions() {
        assert_eq!(
            texts(&query_tokens("地方公共団体")),
            vec![("地方公共", 0), ("方公共団", 1), ("公共団体", 2)]
        );
    }

    #[test]
    fn the_index_has_every_n_gram_up_to_four_at_each_position() {
        assert_eq!(
            texts(&index_tokens("東京都")),
            vec![
                ("東", 0),
                ("東京", 0),
                ("東京都", 0),
                ("京", 1),
                ("京都", 1),
                ("都", 2)
            ]
        );
    }

    #[test]
    fn a_separator_leaves_a_gap_so_phrases_respect_it() {
        let position_of = |tokens: &[Token], text: &str| {
            tokens.iter().find(|t| t.text == text).map(|t| t.position)
        };
        assert_eq!(position_of(&index_tokens("人材育成"), "育成"), Some(2));
        assert_eq!(position_of(&query_tokens("人材 育成"), "育成"), Some(3));
    }

    #[test]
    fn a_highlight_ends_before_a_middle_dot_but_keeps_a_long_vowel_mark() {
        let text = "データ分析・セキュリティ・生成AI";
        let (_, ranges, _) = highlight(text, &["せきゆりてい".to_owned()], 100);
        let (from, to) = ranges[0];
        assert_eq!(&text[from..to], "セキュリティ");
        let text = "サーバー・ネットワーク";
        let (_, ranges, _) = highlight(text, &["さばー".to_owned(), "さば".to_owned()], 100);
        let (from, to) = ranges[0];
        assert_eq!(&text[from..to], "サーバー");
    }

    #[test]
    fn highlights_cover_variants_in_the_original_text() {
        let (fragment, ranges, matched) = highlight(
            "県が市町村にアドバイザーを派遣する",
            &[fold("あどばいざー")],
            100,
        );
        assert!(matched);
        assert_eq!(&fragment[ranges[0].0..ranges[0].1], "アドバイザー");
        let (_, ranges, _) = highlight("⺠間企業と⺠間団体", &[fold("民間")], 100);
        assert_eq!(ranges.len(), 2);
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_match() {
        let text = format!("{}研修{}", "あ".repeat(300), "い".repeat(300));
        let (fragment, ranges, _) = highlight(&text, &[fold("研修")], 40);
        assert_eq!(fragment.chars().count(), 40);
        assert_eq!(&fragment[ranges[0].0..ranges[0].1], "研修");
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
        let tokens = query_tokens(text);
        assert_eq!(&text[tokens[0].from..tokens[0].to], "ＩＴ");
        assert_eq!(&text[tokens[1].from..tokens[1].to], "パスポート");
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
