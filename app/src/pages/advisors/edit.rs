//! `/advisors/new` and `/advisors/{id}/edit`: the profile form. The bank's 県管理者
//! sets every field, publishes and links the sign-in account; the advisor sees the
//! fields the prefecture sets as read-only text and edits the rest, availability
//! included. The form posts without JavaScript (multipart, for the photo).

use crate::domain::ids::AdvisorId;
use crate::pages::use_id_param;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::advisors::{AdvisorFormData, Choice};
use crate::calls::advisors::advisor_form;
use crate::components::form_fields::{
    FormValues, checkbox_group, select_field, text_area, text_field,
};
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, use_form_state};
use crate::domain::advisor::Mode;
use crate::domain::advisor::edit::{
    AdvisorStatus, MAX_AFFILIATION, MAX_KNOWLEDGE, MAX_LONG_TEXT, MAX_NAME, ProfileField,
    qualification_year_field,
};

/// The form for a new profile (県管理者).
#[component]
pub fn NewAdvisorPage() -> impl IntoView {
    view! { <EditForm id=Signal::derive(|| None)/> }
}

/// The form for a stored profile.
#[component]
pub fn EditAdvisorPage() -> impl IntoView {
    let id = use_id_param::<AdvisorId>();
    let id = Signal::derive(move || Some(id()));
    view! { <EditForm id/> }
}

#[component]
fn EditForm(id: Signal<Option<AdvisorId>>) -> impl IntoView {
    let data = Resource::new(move || id.get(), advisor_form);
    let form = use_form_state();
    view! {
        <div class="page page--narrow">
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = data.await;
                    let (flash, token) = form.load().await;
                    match result {
                        Ok(data) => {
                            let (mut values, lists) = data.values.typed_values();
                            values.insert("version".to_owned(), data.version.to_string());
                            let values = FormValues::new(values, lists, &flash);
                            view! { <Form data values token/> }.into_any()
                        }
                        Err(error) => view! {
                            <Title text="プロフィールの編集"/>
                            <h1>"プロフィールの編集"</h1>
                            <LoadError error/>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

fn vocabulary<'a>(data: &'a AdvisorFormData, kind: &str) -> &'a [Choice] {
    data.vocabularies.get(kind).map_or(&[], Vec::as_slice)
}

fn labels_of(data: &AdvisorFormData, kind: &str, codes: &[String]) -> String {
    let list: Vec<String> = codes
        .iter()
        .map(|code| {
            vocabulary(data, kind)
                .iter()
                .find(|c| &c.value == code)
                .map_or_else(|| code.clone(), |c| c.label.clone())
        })
        .collect();
    if list.is_empty() {
        "—".to_owned()
    } else {
        list.join("、")
    }
}

/// What the prefecture sets, as the advisor sees it (read-only).
fn prefecture_fields(data: &AdvisorFormData) -> impl IntoView + use<> {
    let v = &data.values;
    let text = |value: &Option<String>| {
        value
            .clone()
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "—".to_owned())
    };
    let one = |kind: &str, value: &Option<String>| {
        labels_of(data, kind, &value.clone().into_iter().collect::<Vec<_>>())
    };
    let rows: Vec<(&str, String)> = vec![
        (ProfileField::Name.label(), text(&v.name)),
        (ProfileField::Kana.label(), text(&v.kana)),
        (ProfileField::Affiliation.label(), text(&v.affiliation)),
        (
            ProfileField::Engagement.label(),
            one("engagement", &v.engagement),
        ),
        (ProfileField::Jinzaizo.label(), one("jinzaizo", &v.jinzaizo)),
        (
            ProfileField::Roles.label(),
            labels_of(data, "role", v.roles.as_deref().unwrap_or_default()),
        ),
        (
            ProfileField::ItssLevel.label(),
            v.itss_level
                .clone()
                .filter(|l| !l.is_empty())
                .map_or_else(|| "—".to_owned(), |l| format!("レベル{l}")),
        ),
        (
            ProfileField::Programmes.label(),
            labels_of(
                data,
                "programme",
                v.programmes.as_deref().unwrap_or_default(),
            ),
        ),
    ];
    view! {
        <section class="form-section" aria-labelledby="pref-fields-heading">
            <h2 id="pref-fields-heading">"県が設定する項目"</h2>
            <p class="field-hint">"これらの項目は県の担当者が設定します。変更が必要な場合は県にご連絡ください。"</p>
            <dl class="facts">
                {rows.into_iter().map(|(label, value)| view! {
                    <div><dt>{label}</dt><dd>{value}</dd></div>
                }).collect_view()}
            </dl>
        </section>
    }
}

fn basic_fields(data: &AdvisorFormData, form: &FormValues) -> impl IntoView + use<> {
    let levels: Vec<Choice> = (1..=7)
        .map(|l| Choice {
            value: l.to_string(),
            label: format!("レベル{l}"),
        })
        .collect();
    view! {
        <fieldset class="form-section">
            <legend>"基本情報(県が設定する項目)"</legend>
            {text_field(form, "name", ProfileField::Name.label(), "text", true, MAX_NAME)}
            {text_field(form, "kana", ProfileField::Kana.label(), "text", true, MAX_NAME)}
            {text_field(form, "affiliation", ProfileField::Affiliation.label(), "text", true, MAX_AFFILIATION)}
            {select_field(form, "engagement", ProfileField::Engagement.label(), vocabulary(data, "engagement"), Some("選んでください"))}
            {select_field(form, "jinzaizo", ProfileField::Jinzaizo.label(), vocabulary(data, "jinzaizo"), Some("選んでください"))}
            {checkbox_group(form, "roles", ProfileField::Roles.label(), vocabulary(data, "role"))}
            {select_field(form, "itss_level", ProfileField::ItssLevel.label(), &levels, Some("なし"))}
            {checkbox_group(form, "programmes", ProfileField::Programmes.label(), vocabulary(data, "programme"))}
        </fieldset>
    }
}

fn qualification_fields(data: &AdvisorFormData, form: &FormValues) -> impl IntoView + use<> {
    let error = form.error("qualifications");
    let invalid = error.is_some();
    let rows = vocabulary(data, "qualification")
        .iter()
        .map(|q| {
            let box_id = format!("f-qualifications-{}", q.value);
            let year_name = qualification_year_field(&q.value);
            let year_id = format!("f-qualification-year-{}", q.value);
            let checked = form.chosen("qualifications", &q.value);
            let year = form.value(&year_name);
            view! {
                <li class="qualification">
                    <input type="checkbox" id=box_id.clone() name="qualifications" value=q.value.clone() checked=checked/>
                    <label for=box_id>{q.label.clone()}</label>
                    <label for=year_id.clone() class="qualification__year">
                        {format!("{} の取得年(西暦)", q.label)}
                    </label>
                    <input id=year_id name=year_name inputmode="numeric" maxlength="4" size="5" value=year/>
                </li>
            }
        })
        .collect_view();
    view! {
        <fieldset class="choices field--wide" class:field--invalid=invalid
            aria-describedby=invalid.then_some("f-qualifications-error")>
            <legend>{ProfileField::Qualifications.label()}</legend>
            <ul class="choice-list choice-list--rows">{rows}</ul>
            {error.map(|m| view! { <p class="field-error" id="f-qualifications-error">{m}</p> })}
        </fieldset>
    }
}

fn area_fields(data: &AdvisorFormData, form: &FormValues) -> impl IntoView + use<> {
    let whole = !form.value("whole_prefecture").is_empty();
    let modes: Vec<Choice> = Mode::ALL
        .into_iter()
        .map(|m| Choice {
            value: m.as_str().to_owned(),
            label: m.label().to_owned(),
        })
        .collect();
    view! {
        <fieldset class="form-section">
            <legend>"対応方法と担当地域"</legend>
            {checkbox_group(form, "modes", ProfileField::Modes.label(), &modes)}
            <div class="field field--check">
                <input type="checkbox" id="f-whole_prefecture" name="whole_prefecture" value="on" checked=whole/>
                <label for="f-whole_prefecture">{format!("{}全域を担当する", data.prefecture)}</label>
            </div>
            {checkbox_group(form, "regions", ProfileField::Regions.label(), &data.regions)}
            <details class="field--wide">
                <summary>{format!("{}(個別に指定する場合)", ProfileField::Municipalities.label())}</summary>
                {checkbox_group(form, "municipalities", ProfileField::Municipalities.label(), &data.municipalities)}
            </details>
        </fieldset>
    }
}

// Long: the profile form as one view tree (it must work as one form without JavaScript).
#[component]
fn Form(data: AdvisorFormData, values: FormValues, token: String) -> impl IntoView {
    let title = match data.id {
        None => "アドバイザーを登録".to_owned(),
        Some(_) => format!("{} さんのプロフィールを編集", data.name),
    };
    let action = match data.id {
        None => "/advisors/new".to_owned(),
        Some(id) => format!("/advisors/{id}/edit"),
    };
    let form = &values;
    let top = if data.by_prefecture {
        basic_fields(&data, form).into_any()
    } else {
        prefecture_fields(&data).into_any()
    };
    let photo = data.id.map(|id| {
        let current = data.has_photo.then(|| {
            view! {
                <img class="advisor-photo" src=format!("/advisors/{id}/photo") alt="現在の写真" width="120"/>
                <div class="field field--check">
                    <input type="checkbox" id="f-remove_photo" name="remove_photo" value="on"/>
                    <label for="f-remove_photo">"写真を削除する"</label>
                </div>
            }
        });
        let error = form.error("photo");
        let invalid = error.is_some();
        view! {
            <fieldset class="form-section">
                <legend>"写真(任意)"</legend>
                {current}
                <div class="field" class:field--invalid=invalid>
                    <label for="f-photo">"写真を選ぶ(JPEG・PNG・WebP、1 MB まで)"</label>
                    <input id="f-photo" name="photo" type="file" accept="image/jpeg,image/png,image/webp"
                        aria-invalid=invalid.then_some("true") aria-describedby=invalid.then_some("f-photo-error")/>
                    {error.map(|m| view! { <p class="field-error" id="f-photo-error">{m}</p> })}
                </div>
            </fieldset>
        }
    });
    let back = match data.id {
        Some(id) => format!("/advisors/{id}"),
        None => "/admin/advisors".to_owned(),
    };
    let manage = data
        .id
        .filter(|_| data.by_prefecture)
        .map(|id| view! { <Manage id status=data.status account=data.account_email.clone() token=token.clone() form=values.clone()/> });
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        {data.id.map(|_| view! { <p class="lead">{format!("状態: {}", data.status.label())}</p> })}
        <form method="post" action=action enctype="multipart/form-data" class="form-card advisor-form">
            <CsrfField token=token.clone()/>
            // The version this form was filled from: saving over a newer one is refused.
            {data.id.map(|_| view! { <input type="hidden" name="version" value=form.value("version")/> })}
            {top}
            <fieldset class="form-section">
                <legend>"専門性"</legend>
                {checkbox_group(form, "specialties", ProfileField::Specialties.label(), vocabulary(&data, "specialty"))}
                {qualification_fields(&data, form)}
                {text_area(form, "municipal_knowledge", ProfileField::MunicipalKnowledge.label(), "経験した自治体業務や制度の知識", MAX_KNOWLEDGE)}
                {text_area(form, "bio", ProfileField::Bio.label(), "人材バンクに公開される紹介文", MAX_LONG_TEXT)}
                {text_area(form, "track_record", ProfileField::TrackRecord.label(), "これまでの支援・研修などの実績", MAX_LONG_TEXT)}
            </fieldset>
            {area_fields(&data, form)}
            <fieldset class="form-section">
                <legend>"対応可能な月と連絡先(ログインした県・市町村の職員だけに表示)"</legend>
                {checkbox_group(form, "months", ProfileField::Months.label(), &data.months)}
                {text_field(form, "contact_email", ProfileField::ContactEmail.label(), "email", false, 254)}
                {text_field(form, "contact_phone", ProfileField::ContactPhone.label(), "tel", false, 32)}
            </fieldset>
            {photo}
            <div class="actions">
                <button type="submit">{if data.id.is_some() { "保存する" } else { "登録する" }}</button>
                <a href=back>"戻る"</a>
            </div>
        </form>
        {manage}
    }
}

/// The 県管理者's controls: status and the linked sign-in account.
#[component]
fn Manage(
    id: AdvisorId,
    status: AdvisorStatus,
    account: Option<String>,
    token: String,
    form: FormValues,
) -> impl IntoView {
    let buttons = AdvisorStatus::ALL
        .into_iter()
        .filter(|s| *s != status)
        .map(|s| {
            let label = match s {
                AdvisorStatus::Published => "公開する",
                AdvisorStatus::Draft => "非公開にする",
                AdvisorStatus::Retired => "登録を終了する",
            };
            view! { <button type="submit" name="status" value=s.as_str()>{label}</button> }
        })
        .collect_view();
    let typed = form.value("account_email");
    let email = if typed.is_empty() {
        account.clone().unwrap_or_default()
    } else {
        typed
    };
    let error = form.error("account_email");
    let invalid = error.is_some();
    view! {
        <section class="form-card" aria-labelledby="status-heading">
            <h2 id="status-heading">"公開の状態"</h2>
            <p>{format!("いまの状態: {}", status.label())}</p>
            <form method="post" action=format!("/advisors/{id}/status") class="actions">
                <CsrfField token=token.clone()/>
                {buttons}
            </form>
        </section>
        <section class="form-card" aria-labelledby="account-heading">
            <h2 id="account-heading">"ログインアカウント"</h2>
            <p>{match account {
                Some(email) => format!("{email} と紐付いています。ご本人がプロフィールと対応可能な月を編集できます。"),
                None => "紐付いていません。役割が「アドバイザー」のアカウントを紐付けると、ご本人が編集できます。".to_owned(),
            }}</p>
            <form method="post" action=format!("/advisors/{id}/account")>
                <CsrfField token/>
                <div class="field" class:field--invalid=invalid>
                    <label for="f-account_email">"アカウントのメールアドレス(空欄で解除)"</label>
                    <input id="f-account_email" name="account_email" type="email" value=email
                        aria-invalid=invalid.then_some("true") aria-describedby=invalid.then_some("f-account_email-error")/>
                    {error.map(|m| view! { <p class="field-error" id="f-account_email-error">{m}</p> })}
                </div>
                <div class="actions"><button type="submit">"紐付けを保存する"</button></div>
            </form>
        </section>
    }
}
