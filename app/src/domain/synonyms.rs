//! Query-time synonyms of local government vocabulary.

use std::collections::HashMap;

use super::search_text::fold;

/// At most this many alternatives (the word itself included) per query word.
pub const MAX_ALTERNATIVES: usize = 8;

/// Weight of a broader term found for a narrower one (`narrower > broader`),
/// against 1 for the word itself and its equivalents.
pub const BROADER_WEIGHT: f32 = 0.5;

/// Groups of equivalent terms and directed entries (a narrower term that also
/// finds broader ones), matched in folded form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    /// Folded terms of each group.
    groups: Vec<Vec<String>>,
    /// Folded term → its group.
    lookup: HashMap<String, usize>,
    /// Folded narrower term → the broader terms it also finds.
    broader: HashMap<String, Vec<String>>,
    /// Folded term → the term as the file spells it, for suggestions.
    spelling: HashMap<String, String>,
}

/// One alternative of a query word.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// Folded text.
    pub text: String,
    /// 1 for the word and its equivalents, [`BROADER_WEIGHT`] for a broader term.
    pub weight: f32,
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
    /// Parses a synonym file: one group of equivalent terms per line, separated
    /// by `,` or `、`; or a directed entry `narrower, … > broader, …` (the terms on
    /// the left also find those on the right, at a lower weight, not the reverse).
    /// `#` starts a comment. A term may belong to one group only.
    pub fn parse(text: &str) -> Result<Self, SynonymError> {
        let mut synonyms = Self::default();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let content = raw.split('#').next().unwrap_or_default();
            let error = |message: &str| SynonymError {
                line,
                message: message.into(),
            };
            for term in written_terms(&content.replace(['>', '＞'], ",")) {
                synonyms.spelling.entry(fold(&term)).or_insert(term);
            }
            if let Some((left, right)) = content.split_once(['>', '＞']) {
                let (narrower, broader) = (terms_of(left), terms_of(right));
                if narrower.is_empty() || broader.is_empty() || right.contains(['>', '＞']) {
                    return Err(error(
                        "「狭い語 > 広い語」の形で、両側に1語以上を書いてください",
                    ));
                }
                for term in narrower {
                    let entry = synonyms.broader.entry(term).or_default();
                    for b in &broader {
                        if !entry.contains(b) {
                            entry.push(b.clone());
                        }
                    }
                }
                continue;
            }
            let terms = terms_of(content);
            if terms.is_empty() {
                continue;
            }
            if terms.len() < 2 {
                return Err(error("同義語は2語以上をカンマで区切って書いてください"));
            }
            let group = synonyms.groups.len();
            let mut members = Vec::new();
            for term in terms {
                if let Some(&other) = synonyms.lookup.get(&term)
                    && other != group
                {
                    return Err(error(&format!("「{term}」は別の行にもあります")));
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
    /// with its longest vocabulary term replaced by each equivalent term, then by
    /// each broader one (of the term or of its equivalents).
    pub fn alternatives(&self, word: &str) -> Vec<Alternative> {
        let folded = fold(word);
        let mut out = vec![Alternative {
            text: folded.clone(),
            weight: 1.0,
        }];
        let found = self
            .vocabulary()
            .filter_map(|term| find_term(&folded, term).map(|at| (term, at)))
            .max_by_key(|(term, _)| (term.chars().count(), std::cmp::Reverse(*term)));
        let Some((term, at)) = found else {
            return out;
        };
        let equivalents: Vec<&str> = match self.lookup.get(term) {
            Some(&group) => self.groups[group].iter().map(String::as_str).collect(),
            None => Vec::new(),
        };
        let broader = std::iter::once(term)
            .chain(equivalents.iter().copied())
            .filter_map(|t| self.broader.get(t))
            .flatten();
        let replaced = equivalents
            .iter()
            .map(|t| (*t, 1.0))
            .chain(broader.map(|t| (t.as_str(), BROADER_WEIGHT)));
        for (other, weight) in replaced {
            let text = format!("{}{}{}", &folded[..at], other, &folded[at + term.len()..]);
            if out.len() < MAX_ALTERNATIVES && !out.iter().any(|a| a.text == text) {
                out.push(Alternative { text, weight });
            }
        }
        out
    }

    /// The vocabulary's terms spelled most like `word` (a typo, another way of
    /// writing it), most similar first, as the file writes them: 「テレワーグ」 →
    /// テレワーク. At most `limit`.
    pub fn nearest(&self, word: &str, limit: usize) -> Vec<String> {
        let folded = fold(word);
        let mut scored: Vec<(f64, &str)> = self
            .spelling
            .keys()
            .filter(|term| **term != folded)
            .map(|term| (similarity(&folded, term), term.as_str()))
            .filter(|(score, _)| *score >= SUGGESTION_SIMILARITY)
            .collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.len().cmp(&b.1.len()))
                .then(a.1.cmp(b.1))
        });
        scored
            .into_iter()
            .take(limit)
            .filter_map(|(_, term)| self.spelling.get(term).cloned())
            .collect()
    }

    /// The texts of [`Synonyms::alternatives`].
    pub fn expand(&self, word: &str) -> Vec<String> {
        self.alternatives(word)
            .into_iter()
            .map(|a| a.text)
            .collect()
    }

    /// Every term the file names (groups and directed entries).
    fn vocabulary(&self) -> impl Iterator<Item = &str> {
        self.lookup
            .keys()
            .chain(self.broader.keys())
            .chain(self.broader.values().flatten())
            .map(String::as_str)
    }
}

/// The folded, trimmed, non-empty terms of a comma-separated list.
fn terms_of(text: &str) -> Vec<String> {
    written_terms(text).iter().map(|t| fold(t)).collect()
}

/// The trimmed, non-empty terms of a comma-separated list, as written.
fn written_terms(text: &str) -> Vec<String> {
    text.split([',', '、', '，'])
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Similarity of two folded words: the Dice coefficient of their character
/// bigrams (a word of one character is its own bigram).
fn similarity(a: &str, b: &str) -> f64 {
    fn grams(text: &str) -> Vec<(char, char)> {
        let chars: Vec<char> = text.chars().collect();
        match chars.as_slice() {
            [] => Vec::new(),
            [only] => vec![(*only, *only)],
            _ => chars.windows(2).map(|w| (w[0], w[1])).collect(),
        }
    }
    let (a, mut b) = (grams(a), grams(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let total = a.len() + b.len();
    let mut shared = 0;
    for gram in &a {
        if let Some(at) = b.iter().position(|g| g == gram) {
            b.swap_remove(at);
            shared += 1;
        }
    }
    (2 * shared) as f64 / total as f64
}

/// Least similarity for a term to be offered as a spelling of a word.
const SUGGESTION_SIMILARITY: f64 = 0.5;

impl Synonyms {
    /// The vocabulary's terms found inside a word typed without spaces (a
    /// question), longest first and none inside another found one: 「職員のやる気を
    /// 測る」 holds やる気, which cutting at hiragana would lose.
    pub fn terms_in(&self, word: &str) -> Vec<String> {
        let folded = fold(word);
        let mut found: Vec<(usize, &str)> = self
            .vocabulary()
            .filter(|term| term.chars().count() >= 2 && term.len() < folded.len())
            .filter_map(|term| find_term(&folded, term).map(|at| (at, term)))
            .collect();
        found.sort_by_key(|(at, term)| (std::cmp::Reverse(term.len()), *at));
        found.dedup();
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut out = Vec::new();
        for (at, term) in found {
            let end = at + term.len();
            if taken.iter().all(|&(a, b)| end <= a || at >= b) {
                taken.push((at, end));
                out.push(term.to_owned());
            }
        }
        out
    }

    /// Of several alternatives, those that another one does not already cover:
    /// a text containing another alternative matches only documents that one
    /// matches too (情報セキュリティ ⊂ セキュリティ), so matching need not look for it.
    pub fn covering(texts: &[String]) -> Vec<bool> {
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                !texts.iter().enumerate().any(|(j, other)| {
                    j != i
                        && find_term(text, other).is_some()
                        && (text.len() > other.len() || j < i)
                })
            })
            .collect()
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
    fn a_narrower_term_finds_the_broader_at_a_lower_weight_and_not_the_reverse() {
        let synonyms =
            Synonyms::parse("在宅勤務, テレワーク\nテレワーク > 働き方改革\n生成AI > AI").unwrap();
        let weighted = |word: &str| -> Vec<(String, f32)> {
            synonyms
                .alternatives(word)
                .into_iter()
                .map(|a| (a.text, a.weight))
                .collect()
        };
        assert_eq!(
            weighted("在宅勤務"),
            vec![
                ("在宅勤務".into(), 1.0),
                ("てれわく".into(), 1.0),
                ("働き方改革".into(), BROADER_WEIGHT)
            ]
        );
        assert_eq!(weighted("働き方改革"), vec![("働き方改革".into(), 1.0)]);
        assert_eq!(
            weighted("生成AIの活用"),
            vec![
                ("生成aiの活用".into(), 1.0),
                ("aiの活用".into(), BROADER_WEIGHT)
            ]
        );
        assert!(
            synonyms
                .terms_in("生成AIを使いたい")
                .contains(&"生成ai".to_owned())
        );
    }

    #[test]
    fn a_directed_entry_without_both_sides_is_rejected_with_its_line() {
        let error = Synonyms::parse("a, b\n > 研修").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(Synonyms::parse("研修 > ").is_err());
    }

    #[test]
    fn an_alternative_containing_another_is_not_needed_for_matching() {
        let texts: Vec<String> = [
            "セキュリティ",
            "情報セキュリティ",
            "セキュリティ対策",
            "ai",
            "openai",
        ]
        .map(String::from)
        .into();
        assert_eq!(
            Synonyms::covering(&texts),
            vec![true, false, false, true, true]
        );
        let same: Vec<String> = vec!["dx".into(), "dx".into()];
        assert_eq!(Synonyms::covering(&same), vec![true, false]);
    }

    #[test]
    fn a_misspelt_word_is_offered_the_terms_spelt_most_like_it_as_the_file_writes_them() {
        let synonyms = Synonyms::parse(
            "テレワーク, 在宅勤務\nタレントマネジメント, 人材マネジメント\nRPA > 業務効率化",
        )
        .unwrap();
        assert_eq!(synonyms.nearest("テレワーグ", 3), vec!["テレワーク"]);
        assert_eq!(
            synonyms.nearest("ﾀﾚﾝﾄﾏﾈｼﾞﾒﾝ", 1),
            vec!["タレントマネジメント"]
        );
        assert_eq!(synonyms.nearest("業務効率", 3), vec!["業務効率化"]);
        assert!(synonyms.nearest("土木", 3).is_empty());
        assert!(
            synonyms
                .nearest("テレワーク", 3)
                .iter()
                .all(|t| t != "テレワーク")
        );
    }

    #[test]
    fn the_shipped_synonym_file_is_valid() {
        let synonyms = Synonyms::parse(include_str!("../../../reference/synonyms.txt")).unwrap();
        assert!(synonyms.len() >= 50, "{}", synonyms.len());
        assert!(synonyms.expand("生成AI").contains(&fold("生成系AI")));
    }
}
