//! Query-time synonyms of local government vocabulary.

use std::collections::HashMap;

use super::search_text::fold;

/// At most this many alternatives (the word itself included) per query word.
pub const MAX_ALTERNATIVES: usize = 8;

/// Groups of equivalent terms, matched in folded form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    /// Folded terms of each group.
    groups: Vec<Vec<String>>,
    /// Folded term → its group.
    lookup: HashMap<String, usize>,
}

/// A line of a synonym file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("同義語ファイルの {line} 行目: {message}")]
pub struct SynonymError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong, in Japanese.
    pub message: String,
}

impl Synonyms {
    /// Parses a synonym file: one group per line, terms separated by `,` or `、`,
    /// `#` starts a comment. A term may belong to one group only.
    pub fn parse(text: &str) -> Result<Self, SynonymError> {
        let mut synonyms = Self::default();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let content = raw.split('#').next().unwrap_or_default();
            let terms: Vec<String> = content
                .split([',', '、', '，'])
                .map(fold)
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect();
            if terms.is_empty() {
                continue;
            }
            if terms.len() < 2 {
                return Err(SynonymError {
                    line,
                    message: "同義語は2語以上をカンマで区切って書いてください".into(),
                });
            }
            let group = synonyms.groups.len();
            let mut members = Vec::new();
            for term in terms {
                if let Some(&other) = synonyms.lookup.get(&term)
                    && other != group
                {
                    return Err(SynonymError {
                        line,
                        message: format!("「{term}」は別の行にもあります"),
                    });
                }
                if !members.contains(&term) {
                    synonyms.lookup.insert(term.clone(), group);
                    members.push(term);
                }
            }
            synonyms.groups.push(members);
        }
        Ok(synonyms)
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether there are no groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Folded alternatives for a query word: the word itself first, then the word
    /// with its longest synonym term replaced by each other term of the group.
    pub fn expand(&self, word: &str) -> Vec<String> {
        let folded = fold(word);
        let mut alternatives = vec![folded.clone()];
        let found = self
            .lookup
            .iter()
            .filter_map(|(term, group)| find_term(&folded, term).map(|at| (term, *group, at)))
            .max_by_key(|(term, _, _)| (term.chars().count(), std::cmp::Reverse(term.as_str())));
        if let Some((term, group, at)) = found {
            for other in &self.groups[group] {
                if other != term && alternatives.len() < MAX_ALTERNATIVES {
                    let alternative =
                        format!("{}{}{}", &folded[..at], other, &folded[at + term.len()..]);
                    if !alternatives.contains(&alternative) {
                        alternatives.push(alternative);
                    }
                }
            }
        }
        alternatives
    }
}

impl Synonyms {
    /// The vocabulary's terms found inside a word typed without spaces (a
    /// question), longest first and none inside another found one: 「職員のやる気を
    /// 測る」 holds やる気, which cutting at hiragana would lose.
    pub fn terms_in(&self, word: &str) -> Vec<String> {
        let folded = fold(word);
        let mut found: Vec<(usize, &String)> = self
            .lookup
            .iter()
            .filter(|(term, _)| term.chars().count() >= 2 && term.len() < folded.len())
            .filter_map(|(term, _)| find_term(&folded, term).map(|at| (at, term)))
            .collect();
        found.sort_by_key(|(at, term)| (std::cmp::Reverse(term.len()), *at));
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut out = Vec::new();
        for (at, term) in found {
            let end = at + term.len();
            if taken.iter().all(|&(a, b)| end <= a || at >= b) {
                taken.push((at, end));
                out.push(term.clone());
            }
        }
        out
    }
}

/// Byte index of `term` in `text`, not counting matches inside a Latin word
/// (AI must not match inside "mail").
fn find_term(text: &str, term: &str) -> Option<usize> {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    text.match_indices(term).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + term.len()..].chars().next();
        let joins_before = alnum(term.chars().next()) && alnum(before);
        let joins_after = alnum(term.chars().next_back()) && alnum(after);
        !joins_before && !joins_after
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Synonyms {
        Synonyms::parse("# comment\n自治体, 地方公共団体, 地方自治体\n\nDX、デジタルトランスフォーメーション\nITパスポート, iパス\n").unwrap()
    }

    #[test]
    fn a_whole_word_expands_to_its_group() {
        assert_eq!(
            sample().expand("自治体"),
            vec!["自治体", "地方公共団体", "地方自治体"]
        );
    }

    #[test]
    fn matching_ignores_width_case_and_kana() {
        assert_eq!(
            sample().expand("ｉパス"),
            vec![fold("iパス"), fold("ITパスポート")]
        );
        assert_eq!(
            sample().expand("dx"),
            vec![fold("DX"), fold("デジタルトランスフォーメーション")]
        );
    }

    #[test]
    fn a_term_inside_a_longer_word_is_replaced_in_place() {
        assert_eq!(
            sample().expand("DX推進"),
            vec![fold("DX推進"), fold("デジタルトランスフォーメーション推進")]
        );
    }

    #[test]
    fn the_longest_matching_term_wins() {
        // 地方自治体 contains 自治体; the longer term decides the group position.
        assert_eq!(
            sample().expand("地方自治体"),
            vec!["地方自治体", "自治体", "地方公共団体"]
        );
    }

    #[test]
    fn a_latin_term_does_not_match_inside_a_longer_latin_word() {
        let synonyms = Synonyms::parse("AI, 人工知能").unwrap();
        assert_eq!(synonyms.expand("mail"), vec!["mail"]);
        assert_eq!(
            synonyms.expand("AI活用"),
            vec![fold("AI活用"), fold("人工知能活用")]
        );
    }

    #[test]
    fn words_without_synonyms_stay_alone() {
        assert_eq!(sample().expand("研修"), vec!["研修"]);
    }

    #[test]
    fn a_line_with_one_term_or_a_repeated_term_is_rejected_with_its_line() {
        assert_eq!(Synonyms::parse("a, b\nc\n").unwrap_err().line, 2);
        assert_eq!(Synonyms::parse("a, b\nb, c\n").unwrap_err().line, 2);
    }

    #[test]
    fn the_shipped_synonym_file_is_valid() {
        let synonyms = Synonyms::parse(include_str!("../../../reference/synonyms.txt")).unwrap();
        assert!(synonyms.len() >= 50, "{}", synonyms.len());
        assert!(synonyms.expand("生成AI").contains(&fold("生成系AI")));
    }
}
