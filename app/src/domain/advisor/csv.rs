//! Advisor profiles as CSV rows (for Excel): one row a profile, Japanese headers,
//! labels rather than codes, several values separated by `;`. Reading accepts a
//! label or a code for every vocabulary value, a name or a 団体コード for places.

use super::demo::BankVocabulary;
use super::edit::{AdvisorPatch, AdvisorStatus, ProfileField, QualificationInput};
use super::{AdvisorDraft, Mode};
use crate::domain::text::nfkc;

/// Separator between several values in one cell.
pub const SEPARATOR: char = ';';

/// The header row: `ID`, `状態`, then every profile field in form order.
pub fn header() -> Vec<&'static str> {
    let mut header = vec!["ID", "状態"];
    header.extend(ProfileField::ALL.iter().map(|f| f.label()));
    header
}

/// Why a cell was refused: its column and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// Header of the column.
    pub column: &'static str,
    /// Japanese message.
    pub message: String,
}

fn label_of<'a>(list: &'a [(String, String)], code: &'a str) -> &'a str {
    list.iter()
        .find(|(c, _)| c == code)
        .map_or(code, |(_, l)| l.as_str())
}

fn labels_of(list: &[(String, String)], codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| label_of(list, c))
        .collect::<Vec<_>>()
        .join(&SEPARATOR.to_string())
}

/// The cells of one profile, in [`header`] order.
pub fn write_row(
    id: i32,
    status: AdvisorStatus,
    draft: &AdvisorDraft,
    vocabulary: &BankVocabulary,
) -> Vec<String> {
    let sep = SEPARATOR.to_string();
    let region_name = |id: &i32| {
        vocabulary
            .region_names
            .iter()
            .find(|(r, _)| r == id)
            .map_or_else(|| id.to_string(), |(_, n)| n.clone())
    };
    let town_name = |code: &String| label_of(&vocabulary.municipalities, code).to_owned();
    let mut cells = vec![id.to_string(), status.label().to_owned()];
    for field in ProfileField::ALL {
        cells.push(match field {
            ProfileField::Name => draft.name.clone(),
            ProfileField::Kana => draft.kana.as_str().to_owned(),
            ProfileField::Affiliation => draft.affiliation.clone(),
            ProfileField::Engagement => {
                label_of(&vocabulary.engagements, &draft.engagement).to_owned()
            }
            ProfileField::Jinzaizo => label_of(&vocabulary.jinzaizo, &draft.jinzaizo).to_owned(),
            ProfileField::Roles => labels_of(&vocabulary.roles, &draft.roles),
            ProfileField::ItssLevel => draft
                .itss_level
                .map(|l| l.get().to_string())
                .unwrap_or_default(),
            ProfileField::Programmes => labels_of(&vocabulary.programmes, &draft.programmes),
            ProfileField::Specialties => labels_of(&vocabulary.specialties, &draft.specialties),
            ProfileField::Qualifications => draft
                .qualifications
                .iter()
                .map(|(code, year)| {
                    let label = label_of(&vocabulary.qualifications, code);
                    match year {
                        Some(year) => format!("{label}({year})"),
                        None => label.to_owned(),
                    }
                })
                .collect::<Vec<_>>()
                .join(&sep),
            ProfileField::MunicipalKnowledge => draft.municipal_knowledge.clone(),
            ProfileField::Bio => draft.bio.clone(),
            ProfileField::TrackRecord => draft.track_record.clone(),
            ProfileField::Modes => draft
                .modes
                .iter()
                .map(|m| m.label())
                .collect::<Vec<_>>()
                .join(&sep),
            ProfileField::WholePrefecture => {
                if draft.whole_prefecture { "はい" } else { "" }.to_owned()
            }
            ProfileField::Regions => draft
                .regions
                .iter()
                .map(region_name)
                .collect::<Vec<_>>()
                .join(&sep),
            ProfileField::Municipalities => draft
                .municipalities
                .iter()
                .map(town_name)
                .collect::<Vec<_>>()
                .join(&sep),
            ProfileField::Months => draft
                .months
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(&sep),
            ProfileField::ContactEmail => draft.contact_email.clone().unwrap_or_default(),
            ProfileField::ContactPhone => draft.contact_phone.clone().unwrap_or_default(),
        });
    }
    cells
}

/// One row as read: the id to update (none for a new profile), the status and
/// the profile's values as a patch (every field present).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRow {
    /// Existing profile to update.
    pub id: Option<i32>,
    /// Status to set.
    pub status: AdvisorStatus,
    /// The values.
    pub patch: AdvisorPatch,
}

fn split(cell: &str) -> Vec<String> {
    nfkc(cell)
        .split([SEPARATOR, '、'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The code of a value given as its code or its label (width and case folded).
fn code_of(
    field: ProfileField,
    list: &[(String, String)],
    value: &str,
) -> Result<String, CellError> {
    let wanted = nfkc(value.trim()).to_lowercase();
    list.iter()
        .find(|(code, label)| code.to_lowercase() == wanted || nfkc(label).to_lowercase() == wanted)
        .map(|(code, _)| code.clone())
        .ok_or_else(|| CellError {
            column: field.label(),
            message: format!(
                "「{}」は{}の分類にありません(使えるのは {} です)。",
                value.chars().take(40).collect::<String>(),
                field.label(),
                list.iter()
                    .map(|(_, l)| l.as_str())
                    .collect::<Vec<_>>()
                    .join("・")
            ),
        })
}

fn codes_of(
    field: ProfileField,
    list: &[(String, String)],
    cell: &str,
) -> Result<Vec<String>, CellError> {
    split(cell)
        .iter()
        .map(|v| code_of(field, list, v))
        .collect()
}

/// A qualification cell value: `label(2021)` or `label`.
fn qualification(
    vocabulary: &BankVocabulary,
    value: &str,
) -> Result<QualificationInput, CellError> {
    let (name, year) = match value.strip_suffix(')').and_then(|v| v.rsplit_once('(')) {
        Some((name, year))
            if !year.is_empty()
                && year
                    .trim_end_matches('年')
                    .chars()
                    .all(|c| c.is_ascii_digit()) =>
        {
            (name.trim(), Some(year.to_owned()))
        }
        _ => (value, None),
    };
    Ok(QualificationInput {
        code: code_of(
            ProfileField::Qualifications,
            &vocabulary.qualifications,
            name,
        )?,
        year,
    })
}

fn yes(field: ProfileField, cell: &str) -> Result<bool, CellError> {
    match nfkc(cell.trim()).to_lowercase().as_str() {
        "" | "いいえ" | "0" | "false" | "×" => Ok(false),
        "はい" | "1" | "true" | "○" | "◯" | "〇" => Ok(true),
        other => Err(CellError {
            column: field.label(),
            message: format!(
                "「{}」は「はい」か空欄で入力してください。",
                other.chars().take(20).collect::<String>()
            ),
        }),
    }
}

/// Reads the cells of one row (in [`header`] order) into a profile patch.
// Long: one CSV column after another, each with its own message.
pub fn read_row(cells: &[&str], vocabulary: &BankVocabulary) -> Result<ParsedRow, CellError> {
    let cell = |i: usize| cells.get(i).copied().unwrap_or_default();
    let id = match cell(0).trim() {
        "" => None,
        text => Some(nfkc(text).parse::<i32>().map_err(|_| CellError {
            column: "ID",
            message: format!(
                "ID「{}」は数字で入力してください(新しい人は空欄)。",
                text.chars().take(20).collect::<String>()
            ),
        })?),
    };
    let status = match cell(1).trim() {
        "" => AdvisorStatus::Draft,
        text => AdvisorStatus::parse(text).ok_or_else(|| CellError {
            column: "状態",
            message: format!(
                "状態「{}」は「{}」のいずれかで入力してください。",
                text.chars().take(20).collect::<String>(),
                AdvisorStatus::ALL
                    .iter()
                    .map(|s| s.label())
                    .collect::<Vec<_>>()
                    .join("」「")
            ),
        })?,
    };
    let mut patch = AdvisorPatch::default();
    for (offset, field) in ProfileField::ALL.into_iter().enumerate() {
        let text = cell(offset + 2);
        let owned = || Some(text.to_owned());
        match field {
            ProfileField::Name => patch.name = owned(),
            ProfileField::Kana => patch.kana = owned(),
            ProfileField::Affiliation => patch.affiliation = owned(),
            ProfileField::Engagement => {
                patch.engagement = Some(code_of(field, &vocabulary.engagements, text)?);
            }
            ProfileField::Jinzaizo => {
                patch.jinzaizo = Some(code_of(field, &vocabulary.jinzaizo, text)?);
            }
            ProfileField::Roles => patch.roles = Some(codes_of(field, &vocabulary.roles, text)?),
            ProfileField::ItssLevel => patch.itss_level = owned(),
            ProfileField::Programmes => {
                patch.programmes = Some(codes_of(field, &vocabulary.programmes, text)?);
            }
            ProfileField::Specialties => {
                patch.specialties = Some(codes_of(field, &vocabulary.specialties, text)?);
            }
            ProfileField::Qualifications => {
                patch.qualifications = Some(
                    split(text)
                        .iter()
                        .map(|v| qualification(vocabulary, v))
                        .collect::<Result<_, _>>()?,
                );
            }
            ProfileField::MunicipalKnowledge => patch.municipal_knowledge = owned(),
            ProfileField::Bio => patch.bio = owned(),
            ProfileField::TrackRecord => patch.track_record = owned(),
            ProfileField::Modes => {
                let mut modes = Vec::new();
                for value in split(text) {
                    let mode = Mode::parse(&value).ok_or_else(|| CellError {
                        column: field.label(),
                        message: "対応方法は「訪問」か「オンライン」です。".to_owned(),
                    })?;
                    modes.push(mode.as_str().to_owned());
                }
                patch.modes = Some(modes);
            }
            ProfileField::WholePrefecture => patch.whole_prefecture = Some(yes(field, text)?),
            ProfileField::Regions => {
                let names: Vec<(String, String)> = vocabulary
                    .region_names
                    .iter()
                    .map(|(id, name)| (id.to_string(), name.clone()))
                    .collect();
                patch.regions = Some(codes_of(field, &names, text)?);
            }
            ProfileField::Municipalities => {
                patch.municipalities = Some(codes_of(field, &vocabulary.municipalities, text)?);
            }
            ProfileField::Months => patch.months = Some(split(text)),
            ProfileField::ContactEmail => patch.contact_email = owned(),
            ProfileField::ContactPhone => patch.contact_phone = owned(),
        }
    }
    Ok(ParsedRow { id, status, patch })
}

/// The column header of a profile field, for messages about a checked value.
pub fn column_of(field: &str) -> &'static str {
    ProfileField::from_name(field).map_or("", ProfileField::label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::advisor::demo::tests::vocabulary;
    use crate::domain::advisor::edit::Editor;

    fn sample() -> AdvisorDraft {
        let patch = AdvisorPatch {
            name: Some("架空 花子".into()),
            kana: Some("かくう はなこ".into()),
            affiliation: Some("架空大学".into()),
            engagement: Some("private".into()),
            jinzaizo: Some("advanced".into()),
            roles: Some(vec!["engineer".into()]),
            specialties: Some(vec!["security".into(), "data".into()]),
            qualifications: Some(vec![QualificationInput {
                code: "riss".into(),
                year: Some("2021".into()),
            }]),
            programmes: Some(vec!["pref_bank".into()]),
            itss_level: Some("4".into()),
            bio: Some("セキュリティ監査の支援。\n研修講師も務めます。".into()),
            modes: Some(vec!["onsite".into(), "online".into()]),
            regions: Some(vec!["2".into()]),
            municipalities: Some(vec!["293628".into()]),
            months: Some(vec!["2026-12".into(), "2027-01".into()]),
            contact_email: Some("hanako@example.jp".into()),
            ..AdvisorPatch::default()
        };
        patch.create().expect("valid")
    }

    #[test]
    fn a_written_row_reads_back_as_the_same_profile() {
        let vocabulary = vocabulary();
        let draft = sample();
        let cells = write_row(7, AdvisorStatus::Published, &draft, &vocabulary);
        assert_eq!(cells.len(), header().len());
        assert_eq!(cells[2 + 5], "エンジニア", "labels, not codes");
        assert_eq!(cells[2 + 9], "登録セキスペ(2021)");
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        let row = read_row(&refs, &vocabulary).expect("reads");
        assert_eq!(row.id, Some(7));
        assert_eq!(row.status, AdvisorStatus::Published);
        let again = row.patch.create().expect("valid");
        assert_eq!(again, draft);
    }

    #[test]
    fn codes_labels_and_full_width_text_are_all_accepted() {
        let vocabulary = vocabulary();
        let mut cells: Vec<String> = write_row(1, AdvisorStatus::Draft, &sample(), &vocabulary);
        cells[2 + 4] = "ＤＸ推進リーダー".into();
        cells[2 + 8] = "security；ＲＰＡ".into();
        cells[2 + 16] = "三宅町;292010".into();
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        let row = read_row(&refs, &vocabulary).expect("reads");
        let draft = row
            .patch
            .apply(&sample(), Editor::Prefecture)
            .expect("valid");
        assert_eq!(draft.jinzaizo, "dx_leader");
        assert_eq!(draft.specialties, ["security", "rpa"]);
        assert_eq!(draft.municipalities, ["293628", "292010"]);
    }

    #[test]
    fn an_unknown_value_names_its_column_and_the_choices() {
        let vocabulary = vocabulary();
        let mut cells = write_row(1, AdvisorStatus::Draft, &sample(), &vocabulary);
        cells[2 + 4] = "スーパー人材".into();
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        let error = read_row(&refs, &vocabulary).expect_err("unknown");
        assert_eq!(error.column, "人材像");
        assert!(error.message.contains("高度専門人材"), "{}", error.message);
        cells[2 + 4] = "高度専門人材".into();
        cells[1] = "休止".into();
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        assert_eq!(
            read_row(&refs, &vocabulary).expect_err("status").column,
            "状態"
        );
    }
}
