//! The rules that turn a patch into a checked [`AdvisorDraft`]: required fields,
//! lengths, codes, years, contact details, and the fields an advisor may not set.

use super::{
    AdvisorPatch, Editor, FieldError, MAX_AFFILIATION, MAX_KNOWLEDGE, MAX_LONG_TEXT, MAX_NAME,
    ProfileField, QualificationInput,
};
use crate::domain::advisor::{AdvisorDraft, ItssLevel, Kana, Mode, YearMonth};
use crate::domain::gather::{Errors, Gather};
use crate::domain::text::{clean_single_line, nfkc};

impl AdvisorPatch {
    /// A new profile: name, kana, affiliation, engagement form and 人材像 are required.
    /// Every missing or wrong field is reported.
    pub fn create(&self) -> Result<AdvisorDraft, Errors<FieldError>> {
        let missing: Vec<FieldError> = [
            (ProfileField::Name, &self.name),
            (ProfileField::Kana, &self.kana),
            (ProfileField::Affiliation, &self.affiliation),
            (ProfileField::Engagement, &self.engagement),
            (ProfileField::Jinzaizo, &self.jinzaizo),
        ]
        .into_iter()
        .filter(|(_, value)| value.as_deref().is_none_or(|v| v.trim().is_empty()))
        .map(|(field, _)| {
            FieldError::invalid(field, format!("{}を入力してください。", field.label()))
        })
        .collect();
        let result = self.apply(&blank_draft(), Editor::Prefecture);
        let named: Vec<&str> = missing.iter().map(|e| e.field).collect();
        let mut missing = missing.into_iter();
        let Some(first) = missing.next() else {
            return result;
        };
        let mut errors = Errors::from(first).with(missing);
        if let Err(wrong) = result {
            // A required field left blank is reported once, as missing.
            errors = errors.with(
                wrong
                    .into_vec()
                    .into_iter()
                    .filter(|e| !named.contains(&e.field)),
            );
        }
        Err(in_form_order(errors))
    }

    /// `current` with these changes, every value checked and every wrong one
    /// reported. An advisor who sends a field only the prefecture sets, with another
    /// value than the stored one, is refused ([`FieldError::forbidden`]).
    // Long: one arm per field of the patch, in the order of `ProfileField`.
    pub fn apply(
        &self,
        current: &AdvisorDraft,
        editor: Editor,
    ) -> Result<AdvisorDraft, Errors<FieldError>> {
        let mut next = current.clone();
        let mut errors = Gather::new();
        let set = |errors: &mut Gather<FieldError>,
                   slot: &mut String,
                   field,
                   value: &Option<String>,
                   check: Check| {
            if let Some(value) = value
                && let Some(value) = errors.take(check(field, value))
            {
                *slot = value;
            }
        };
        set(
            &mut errors,
            &mut next.name,
            ProfileField::Name,
            &self.name,
            |f, v| bounded_line(f, v, MAX_NAME, true),
        );
        set(
            &mut errors,
            &mut next.affiliation,
            ProfileField::Affiliation,
            &self.affiliation,
            |f, v| bounded_line(f, v, MAX_AFFILIATION, true),
        );
        set(
            &mut errors,
            &mut next.engagement,
            ProfileField::Engagement,
            &self.engagement,
            code,
        );
        set(
            &mut errors,
            &mut next.jinzaizo,
            ProfileField::Jinzaizo,
            &self.jinzaizo,
            code,
        );
        set(
            &mut errors,
            &mut next.municipal_knowledge,
            ProfileField::MunicipalKnowledge,
            &self.municipal_knowledge,
            |f, v| long_text(f, v, MAX_KNOWLEDGE),
        );
        set(
            &mut errors,
            &mut next.bio,
            ProfileField::Bio,
            &self.bio,
            |f, v| long_text(f, v, MAX_LONG_TEXT),
        );
        set(
            &mut errors,
            &mut next.track_record,
            ProfileField::TrackRecord,
            &self.track_record,
            |f, v| long_text(f, v, MAX_LONG_TEXT),
        );
        if let Some(kana) = &self.kana
            && let Some(kana) = errors.take(
                Kana::parse(kana)
                    .map_err(|e| FieldError::invalid(ProfileField::Kana, e.to_string())),
            )
        {
            next.kana = kana;
        }
        if let Some(roles) = &self.roles {
            next.roles = codes(roles);
        }
        if let Some(level) = &self.itss_level
            && let Some(level) = errors.take(parse_itss(level))
        {
            next.itss_level = level;
        }
        if let Some(programmes) = &self.programmes {
            next.programmes = codes(programmes);
        }
        if let Some(specialties) = &self.specialties {
            next.specialties = codes(specialties);
        }
        if let Some(qualifications) = &self.qualifications
            && let Some(parsed) = errors.take(parse_qualifications(qualifications))
        {
            next.qualifications = parsed;
        }
        if let Some(modes) = &self.modes
            && let Some(modes) = errors.take(parse_modes(modes))
        {
            next.modes = modes;
        }
        if let Some(whole) = self.whole_prefecture {
            next.whole_prefecture = whole;
        }
        if let Some(regions) = &self.regions
            && let Some(ids) = errors.take(parse_regions(regions))
        {
            next.regions = ids;
        }
        if let Some(municipalities) = &self.municipalities {
            next.municipalities = codes(municipalities);
        }
        if let Some(months) = &self.months
            && let Some(months) = errors.take(parse_months(months))
        {
            next.months = months;
        }
        if let Some(email) = &self.contact_email
            && let Some(email) = errors.take(parse_email(email))
        {
            next.contact_email = email;
        }
        if let Some(phone) = &self.contact_phone
            && let Some(phone) = errors.take(parse_phone(phone))
        {
            next.contact_phone = phone;
        }
        if editor == Editor::Advisor {
            errors.take(refuse_prefecture_fields(current, &next));
        }
        errors.finish().map_err(in_form_order)?;
        Ok(next)
    }
}

/// Errors in the order of the profile form.
fn in_form_order(errors: Errors<FieldError>) -> Errors<FieldError> {
    errors.sorted_by_key(|e| {
        ProfileField::ALL
            .iter()
            .position(|f| f.name() == e.field)
            .unwrap_or(ProfileField::ALL.len())
    })
}

/// A check of one text field of the profile.
type Check = fn(ProfileField, &str) -> Result<String, FieldError>;

fn parse_itss(level: &str) -> Result<Option<ItssLevel>, FieldError> {
    if level.trim().is_empty() {
        return Ok(None);
    }
    ItssLevel::parse(level)
        .map(Some)
        .map_err(|e| FieldError::invalid(ProfileField::ItssLevel, e.to_string()))
}

fn parse_regions(regions: &[String]) -> Result<Vec<i32>, FieldError> {
    let mut ids = Vec::new();
    for region in regions.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
        let id = region.parse::<i32>().map_err(|_| {
            FieldError::invalid(
                ProfileField::Regions,
                format!("地域「{}」は番号で指定してください。", excerpt(region)),
            )
        })?;
        ids.push(id);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

fn parse_months(months: &[String]) -> Result<Vec<YearMonth>, FieldError> {
    let mut parsed = Vec::new();
    for month in months.iter().filter(|m| !m.trim().is_empty()) {
        let month = YearMonth::parse(month)
            .map_err(|e| FieldError::invalid(ProfileField::Months, e.to_string()))?;
        parsed.push(month);
    }
    parsed.sort();
    parsed.dedup();
    Ok(parsed)
}

/// The profile a new advisor starts from.
fn blank_draft() -> AdvisorDraft {
    AdvisorDraft {
        name: String::new(),
        kana: Kana::from_katakana(String::new()),
        affiliation: String::new(),
        engagement: String::new(),
        jinzaizo: String::new(),
        roles: Vec::new(),
        specialties: Vec::new(),
        qualifications: Vec::new(),
        programmes: Vec::new(),
        itss_level: None,
        municipal_knowledge: String::new(),
        bio: String::new(),
        track_record: String::new(),
        modes: vec![Mode::Online],
        whole_prefecture: false,
        regions: Vec::new(),
        municipalities: Vec::new(),
        months: Vec::new(),
        contact_email: None,
        contact_phone: None,
        published: false,
    }
}

/// The fields whose values differ between two versions of a profile (for the
/// audit log: which fields changed, never the values).
pub fn changed_fields(before: &AdvisorDraft, after: &AdvisorDraft) -> Vec<ProfileField> {
    let a = AdvisorPatch::from_draft(before);
    let b = AdvisorPatch::from_draft(after);
    let (a_values, a_lists) = a.typed_values();
    let (b_values, b_lists) = b.typed_values();
    ProfileField::ALL
        .into_iter()
        .filter(|field| {
            let name = field.name();
            if field.is_list() {
                let years_differ = *field == ProfileField::Qualifications
                    && a_values
                        .iter()
                        .filter(|(k, _)| k.starts_with("qualification_year."))
                        .collect::<Vec<_>>()
                        != b_values
                            .iter()
                            .filter(|(k, _)| k.starts_with("qualification_year."))
                            .collect::<Vec<_>>();
                let mut x = a_lists.get(name).cloned().unwrap_or_default();
                let mut y = b_lists.get(name).cloned().unwrap_or_default();
                x.sort();
                y.sort();
                x != y || years_differ
            } else {
                a_values.get(name) != b_values.get(name)
            }
        })
        .collect()
}

/// The first prefecture-only field whose value the advisor changed.
fn refuse_prefecture_fields(current: &AdvisorDraft, next: &AdvisorDraft) -> Result<(), FieldError> {
    let changed = [
        (ProfileField::Name, current.name != next.name),
        (ProfileField::Kana, current.kana != next.kana),
        (
            ProfileField::Affiliation,
            current.affiliation != next.affiliation,
        ),
        (
            ProfileField::Engagement,
            current.engagement != next.engagement,
        ),
        (ProfileField::Jinzaizo, current.jinzaizo != next.jinzaizo),
        (
            ProfileField::Roles,
            sorted(&current.roles) != sorted(&next.roles),
        ),
        (
            ProfileField::ItssLevel,
            current.itss_level != next.itss_level,
        ),
        (
            ProfileField::Programmes,
            sorted(&current.programmes) != sorted(&next.programmes),
        ),
    ];
    match changed.into_iter().find(|(_, changed)| *changed) {
        Some((field, _)) => Err(FieldError {
            field: field.name(),
            message: format!(
                "「{}」は県が設定する項目のため、アドバイザーご本人は変更できません。",
                field.label()
            ),
            forbidden: true,
        }),
        None => Ok(()),
    }
}

fn sorted(list: &[String]) -> Vec<&String> {
    let mut list: Vec<&String> = list.iter().collect();
    list.sort();
    list
}

fn excerpt(text: &str) -> String {
    text.chars().take(30).collect()
}

fn bounded_line(
    field: ProfileField,
    text: &str,
    max: usize,
    required: bool,
) -> Result<String, FieldError> {
    let text = clean_single_line(text);
    if required && text.is_empty() {
        return Err(FieldError::invalid(
            field,
            format!("{}を入力してください。", field.label()),
        ));
    }
    if text.chars().count() > max {
        return Err(FieldError::invalid(
            field,
            format!("{}は{max}文字以内で入力してください。", field.label()),
        ));
    }
    Ok(text)
}

/// Multi-line text: line ends as `\n`, other control characters dropped, trimmed.
fn long_text(field: ProfileField, text: &str, max: usize) -> Result<String, FieldError> {
    let text: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect();
    let text = text.trim().to_owned();
    let length = text.chars().count();
    if length > max {
        return Err(FieldError::invalid(
            field,
            format!(
                "{}は{max}文字以内で入力してください(いまは{length}文字です)。",
                field.label()
            ),
        ));
    }
    Ok(text)
}

fn code(field: ProfileField, value: &str) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        Err(FieldError::invalid(
            field,
            format!("{}を選んでください。", field.label()),
        ))
    } else {
        Ok(value.to_owned())
    }
}

/// Trimmed, non-empty, each once, in the order given.
fn codes(values: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty() && seen.insert(*v))
        .map(str::to_owned)
        .collect()
}

fn parse_qualifications(
    inputs: &[QualificationInput],
) -> Result<Vec<(String, Option<u16>)>, FieldError> {
    let mut out: Vec<(String, Option<u16>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for input in inputs {
        let code = input.code.trim();
        if code.is_empty() || !seen.insert(code) {
            continue;
        }
        let year = match input.year.as_deref().map(|y| nfkc(y.trim())) {
            None => None,
            Some(y) if y.is_empty() => None,
            Some(y) => {
                let digits = y.trim_end_matches('年');
                Some(
                    digits
                        .parse::<u16>()
                        .ok()
                        .filter(|y| (1950..=2100).contains(y))
                        .ok_or_else(|| {
                            FieldError::invalid(
                                ProfileField::Qualifications,
                                format!(
                                    "資格の取得年「{}」は西暦の4桁(例: 2021)で入力してください。",
                                    excerpt(&y)
                                ),
                            )
                        })?,
                )
            }
        };
        out.push((code.to_owned(), year));
    }
    Ok(out)
}

fn parse_modes(values: &[String]) -> Result<Vec<Mode>, FieldError> {
    let mut modes = Vec::new();
    for value in values.iter().filter(|v| !v.trim().is_empty()) {
        let mode = Mode::parse(value).ok_or_else(|| {
            FieldError::invalid(
                ProfileField::Modes,
                "対応方法は「訪問」か「オンライン」です。",
            )
        })?;
        if !modes.contains(&mode) {
            modes.push(mode);
        }
    }
    modes.sort();
    if modes.is_empty() {
        return Err(FieldError::invalid(
            ProfileField::Modes,
            "対応方法を1つ以上選んでください。",
        ));
    }
    Ok(modes)
}

/// A contact address by the one e-mail rule of the portal ([`crate::domain::account::Email`]).
fn parse_email(value: &str) -> Result<Option<String>, FieldError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    crate::domain::account::Email::parse(value)
        .map(|email| Some(email.as_str().to_owned()))
        .map_err(|_| {
            FieldError::invalid(
                ProfileField::ContactEmail,
                "メールアドレスの形式(例: name@example.jp)で入力してください。",
            )
        })
}

fn parse_phone(value: &str) -> Result<Option<String>, FieldError> {
    let value = nfkc(value.trim()).replace(['ー', '−', '‐'], "-");
    if value.is_empty() {
        return Ok(None);
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let valid = value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | ' ' | '+'))
        && (6..=15).contains(&digits)
        && value.len() <= 32;
    if valid {
        Ok(Some(value))
    } else {
        Err(FieldError::invalid(
            ProfileField::ContactPhone,
            "電話番号は数字とハイフンで入力してください(例: 0742-00-0000)。",
        ))
    }
}
