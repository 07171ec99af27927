use super::*;
use crate::domain::advisor::{AdvisorDraft, ItssLevel, Mode, YearMonth};
use crate::domain::gather::Errors;
use proptest::prelude::*;

fn current() -> AdvisorDraft {
    AdvisorPatch {
        name: Some("架空 太郎".into()),
        kana: Some("かくう たろう".into()),
        affiliation: Some("架空コンサルティング".into()),
        engagement: Some("private".into()),
        jinzaizo: Some("advanced".into()),
        roles: Some(vec!["engineer".into()]),
        programmes: Some(vec!["pref_bank".into()]),
        modes: Some(vec!["online".into()]),
        ..AdvisorPatch::default()
    }
    .create()
    .expect("valid profile")
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn a_new_profile_needs_name_kana_affiliation_engagement_and_jinzaizo() {
    let missing_kana = AdvisorPatch {
        name: Some("架空 太郎".into()),
        ..AdvisorPatch::default()
    };
    let error = missing_kana
        .create()
        .expect_err("kana missing")
        .into_first();
    assert_eq!(error.field, "kana");
    assert!(error.message.contains("ふりがな"));
    let profile = current();
    assert_eq!(profile.kana.as_str(), "カクウ タロウ");
    assert!(!profile.published, "new profiles start as drafts");
}

#[test]
fn the_advisor_form_leaves_out_the_fields_the_prefecture_sets() {
    let form = pairs(&[
        ("name", "書き換え"),
        ("bio", "窓口DXの支援をしています。"),
        ("modes", "onsite"),
        ("modes", "online"),
        ("months", "2026-12"),
    ]);
    let patch = AdvisorPatch::from_form(&form, Editor::Advisor);
    assert_eq!(patch.name, None, "name is not the advisor's to set");
    assert_eq!(patch.programmes, None);
    assert_eq!(patch.bio.as_deref(), Some("窓口DXの支援をしています。"));
    assert_eq!(
        patch.specialties,
        Some(vec![]),
        "unticked boxes empty the list"
    );
    let next = patch.apply(&current(), Editor::Advisor).expect("allowed");
    assert_eq!(next.name, "架空 太郎");
    assert_eq!(next.modes, [Mode::Onsite, Mode::Online]);
    assert_eq!(next.months.len(), 1);
}

#[test]
fn an_advisor_changing_a_prefecture_field_is_refused_by_name() {
    let patch = AdvisorPatch {
        programmes: Some(vec!["pref_bank".into(), "dx_advisor".into()]),
        ..AdvisorPatch::default()
    };
    let error = patch
        .apply(&current(), Editor::Advisor)
        .expect_err("refused")
        .into_first();
    assert_eq!(error.field, "programmes");
    assert!(error.forbidden);
    assert!(patch.apply(&current(), Editor::Prefecture).is_ok());
    let same = AdvisorPatch {
        programmes: Some(vec!["pref_bank".into()]),
        ..AdvisorPatch::default()
    };
    assert!(
        same.apply(&current(), Editor::Advisor).is_ok(),
        "sending the stored value back is not a change"
    );
}

#[test]
fn qualification_years_come_from_their_own_inputs_and_must_be_years() {
    let form = pairs(&[
        ("qualifications", "riss"),
        ("qualification_year.riss", "２０２１"),
        ("qualifications", "it_passport"),
        ("qualification_year.it_passport", ""),
        ("modes", "online"),
    ]);
    let next = AdvisorPatch::from_form(&form, Editor::Advisor)
        .apply(&current(), Editor::Advisor)
        .expect("valid");
    assert_eq!(
        next.qualifications,
        [
            ("riss".to_owned(), Some(2021)),
            ("it_passport".to_owned(), None)
        ]
    );
    let bad = pairs(&[
        ("qualifications", "riss"),
        ("qualification_year.riss", "令和3"),
        ("modes", "online"),
    ]);
    let error = AdvisorPatch::from_form(&bad, Editor::Advisor)
        .apply(&current(), Editor::Advisor)
        .expect_err("not a year")
        .into_first();
    assert_eq!(error.field, "qualifications");
}

#[test]
fn contact_details_are_checked_and_empty_clears_them() {
    let mut patch = AdvisorPatch {
        contact_email: Some("kakuu@example.jp".into()),
        contact_phone: Some("０７４２－００－００００".into()),
        ..AdvisorPatch::default()
    };
    let next = patch.apply(&current(), Editor::Advisor).expect("valid");
    assert_eq!(next.contact_email.as_deref(), Some("kakuu@example.jp"));
    assert_eq!(next.contact_phone.as_deref(), Some("0742-00-0000"));
    patch.contact_email = Some("kakuu at example".into());
    assert_eq!(
        patch
            .apply(&current(), Editor::Advisor)
            .expect_err("bad")
            .into_first()
            .field,
        "contact_email"
    );
    let cleared = AdvisorPatch {
        contact_email: Some(String::new()),
        ..AdvisorPatch::default()
    }
    .apply(&next, Editor::Advisor)
    .expect("valid");
    assert_eq!(cleared.contact_email, None);
    assert_eq!(cleared.contact_phone.as_deref(), Some("0742-00-0000"));
}

#[test]
fn an_advisor_must_offer_at_least_one_mode() {
    let patch = AdvisorPatch {
        modes: Some(vec![]),
        ..AdvisorPatch::default()
    };
    assert_eq!(
        patch
            .apply(&current(), Editor::Advisor)
            .expect_err("no mode")
            .into_first()
            .field,
        "modes"
    );
}

#[test]
fn json_takes_numbers_for_levels_and_regions_and_null_clears() {
    let patch: AdvisorPatch = serde_json::from_str(
        r#"{"itss_level": 4, "regions": [2, "1"], "contact_phone": null,
            "qualifications": [{"code": "riss", "year": 2020}]}"#,
    )
    .expect("parses");
    assert_eq!(patch.itss_level.as_deref(), Some("4"));
    assert_eq!(patch.regions, Some(vec!["2".to_owned(), "1".to_owned()]));
    assert_eq!(patch.contact_phone.as_deref(), Some(""));
    assert_eq!(patch.bio, None, "absent fields are kept");
    let next = patch.apply(&current(), Editor::Prefecture).expect("valid");
    assert_eq!(next.regions, [1, 2]);
    assert_eq!(next.itss_level.map(ItssLevel::get), Some(4));
}

#[test]
fn a_patch_survives_the_trip_to_the_browser_and_back() {
    let blank = AdvisorPatch {
        modes: Some(vec!["online".into()]),
        ..AdvisorPatch::default()
    };
    let json = serde_json::to_string(&blank).expect("serialises");
    assert_eq!(
        serde_json::from_str::<AdvisorPatch>(&json).expect("parses"),
        blank
    );
    let full = AdvisorPatch::from_draft(&current());
    let json = serde_json::to_string(&full).expect("serialises");
    assert_eq!(
        serde_json::from_str::<AdvisorPatch>(&json).expect("parses"),
        full
    );
}

#[test]
fn a_long_bio_is_refused_with_its_length() {
    let patch = AdvisorPatch {
        bio: Some("あ".repeat(MAX_LONG_TEXT + 1)),
        ..AdvisorPatch::default()
    };
    let error = patch
        .apply(&current(), Editor::Advisor)
        .expect_err("too long")
        .into_first();
    assert_eq!(error.field, "bio");
    assert!(error.message.contains("4001文字"));
}

#[test]
fn the_changed_fields_are_named_and_order_of_ticks_does_not_count() {
    let before = current();
    let mut after = before.clone();
    after.bio = "新しい紹介".into();
    after.roles = vec!["engineer".into()];
    after.qualifications = vec![("riss".into(), Some(2020))];
    assert_eq!(
        changed_fields(&before, &after),
        [ProfileField::Qualifications, ProfileField::Bio]
    );
    let mut year_only = after.clone();
    year_only.qualifications = vec![("riss".into(), Some(2021))];
    assert_eq!(
        changed_fields(&after, &year_only),
        [ProfileField::Qualifications]
    );
    assert!(changed_fields(&before, &before).is_empty());
}

#[test]
fn typed_values_refill_the_form_they_came_from() {
    let form = pairs(&[
        ("bio", "紹介文"),
        ("specialties", "security"),
        ("specialties", "cloud"),
        ("qualifications", "riss"),
        ("qualification_year.riss", "2021"),
        ("whole_prefecture", "on"),
    ]);
    let patch = AdvisorPatch::from_form(&form, Editor::Advisor);
    let (values, lists) = patch.typed_values();
    assert_eq!(values["bio"], "紹介文");
    assert_eq!(values["qualification_year.riss"], "2021");
    assert_eq!(values["whole_prefecture"], "on");
    assert_eq!(lists["specialties"], ["security", "cloud"]);
    assert!(!values.contains_key("name"));
}

proptest! {
    #[test]
    fn only_fields_the_prefecture_sets_are_closed_to_the_advisor(index in 0usize..ProfileField::ALL.len()) {
        let field = ProfileField::ALL[index];
        prop_assert!(field.editable_by(Editor::Prefecture));
        prop_assert_eq!(field.editable_by(Editor::Advisor), !field.prefecture_only());
        prop_assert_eq!(ProfileField::from_name(field.name()), Some(field));
    }

    #[test]
    fn a_stored_profile_survives_its_own_patch(level in 1u8..=7, year in 1990u16..2030, whole in any::<bool>()) {
        let mut draft = current();
        draft.itss_level = ItssLevel::try_from(level).ok();
        draft.qualifications = vec![("riss".into(), Some(year)), ("fe".into(), None)];
        draft.whole_prefecture = whole;
        draft.regions = vec![3, 5];
        draft.months = vec![YearMonth::new(2027, 1).expect("valid")];
        draft.contact_email = Some("a@example.jp".into());
        let again = AdvisorPatch::from_draft(&draft).apply(&current(), Editor::Prefecture).expect("valid");
        prop_assert_eq!(again, draft);
    }

    #[test]
    fn bios_keep_their_text_up_to_the_limit(text in "[あ-ん漢字A-Za-z0-9 \n]{0,300}") {
        let patch = AdvisorPatch { bio: Some(text.clone()), ..AdvisorPatch::default() };
        let next = patch.apply(&current(), Editor::Advisor).expect("within the limit");
        prop_assert_eq!(next.bio, text.trim());
    }
}

#[test]
fn every_wrong_field_of_a_profile_is_reported_at_once() {
    let patch = AdvisorPatch {
        name: Some("架空 次郎".into()),
        kana: Some("kakuu".into()),
        engagement: Some(" ".into()),
        contact_email: Some("kakuu at example".into()),
        contact_phone: Some("電話してください".into()),
        months: Some(vec!["13月".into()]),
        ..AdvisorPatch::default()
    };
    let fields = |result: Result<AdvisorDraft, Errors<FieldError>>| -> Vec<&'static str> {
        result
            .expect_err("refused")
            .iter()
            .map(|e| e.field)
            .collect()
    };
    assert_eq!(
        fields(patch.apply(&current(), Editor::Prefecture)),
        [
            "kana",
            "engagement",
            "months",
            "contact_email",
            "contact_phone"
        ]
    );
    assert_eq!(
        fields(patch.create()),
        [
            "kana",
            "affiliation",
            "engagement",
            "jinzaizo",
            "months",
            "contact_email",
            "contact_phone"
        ],
        "a blank required field is named once, as missing, and all in form order"
    );
}
