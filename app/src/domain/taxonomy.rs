//! The advisor bank's vocabularies (人材像, roles, specialties, …): data edited by a
//! 県管理者, not enums in code. This is what a term must look like.

use super::text::clean_single_line;

/// A vocabulary: code, Japanese name.
pub const VOCABULARIES: [(&str, &str); 6] = [
    ("jinzaizo", "人材像"),
    ("role", "役割"),
    ("specialty", "専門分野"),
    ("qualification", "資格"),
    ("programme", "登録している制度"),
    ("engagement", "任用・契約の形態"),
];

/// Why a term was refused, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    /// Not one of [`VOCABULARIES`].
    #[error("分類「{0}」はありません。")]
    Kind(String),
    /// Code not of `a-z 0-9 _`, 1–64 characters.
    #[error("コードは半角英小文字・数字・_ の64文字以内で入力してください。")]
    Code,
    /// Empty, too long, or with the CSV separator.
    #[error("名称は1〜60文字で、「;」を含めずに入力してください。")]
    Label,
    /// Sort order out of range.
    #[error("表示順は 0〜9999 の整数で入力してください。")]
    SortOrder,
}

impl TermError {
    /// The field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            TermError::Kind(_) => "kind",
            TermError::Code => "code",
            TermError::Label => "label",
            TermError::SortOrder => "sort_order",
        }
    }
}

/// A vocabulary name that exists.
pub fn parse_kind(input: &str) -> Result<&'static str, TermError> {
    let input = input.trim();
    VOCABULARIES
        .iter()
        .find(|(k, _)| *k == input)
        .map(|(k, _)| *k)
        .ok_or_else(|| TermError::Kind(input.chars().take(32).collect()))
}

/// A stable code: `a-z`, `0-9`, `_`, 1–64 characters.
pub fn parse_code(input: &str) -> Result<String, TermError> {
    let code = input.trim();
    let valid = (1..=64).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if valid {
        Ok(code.to_owned())
    } else {
        Err(TermError::Code)
    }
}

/// A label: one line, 1–60 characters, without `;` (the CSV separator).
pub fn parse_label(input: &str) -> Result<String, TermError> {
    let label = clean_single_line(input);
    let valid = !label.is_empty() && label.chars().count() <= 60 && !label.contains([';', '；']);
    if valid {
        Ok(label)
    } else {
        Err(TermError::Label)
    }
}

/// A display position, 0–9999.
pub fn parse_sort_order(input: &str) -> Result<i32, TermError> {
    super::text::nfkc(input.trim())
        .parse::<i32>()
        .ok()
        .filter(|n| (0..=9999).contains(n))
        .ok_or(TermError::SortOrder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_ascii_identifiers() {
        assert_eq!(parse_code(" gov_cloud "), Ok("gov_cloud".to_owned()));
        for bad in ["", "Gov", "ガバメント", "a-b", &"a".repeat(65)] {
            assert_eq!(parse_code(bad), Err(TermError::Code), "{bad}");
        }
    }

    #[test]
    fn labels_are_one_short_line_without_the_csv_separator() {
        assert_eq!(
            parse_label(" ガバメントクラウド\n"),
            Ok("ガバメントクラウド".to_owned())
        );
        assert_eq!(parse_label("A;B"), Err(TermError::Label));
        assert_eq!(parse_label("   "), Err(TermError::Label));
        assert_eq!(parse_label(&"あ".repeat(61)), Err(TermError::Label));
    }

    #[test]
    fn only_known_vocabularies_and_sane_positions_are_accepted() {
        assert_eq!(parse_kind("specialty"), Ok("specialty"));
        assert_eq!(parse_kind("hobby").map_err(|e| e.field()), Err("kind"));
        assert_eq!(parse_sort_order("１２"), Ok(12));
        assert_eq!(parse_sort_order("-1"), Err(TermError::SortOrder));
    }
}
