//! `/dispatches/programmes`: the programmes a prefecture dispatches under and
//! their quota rules; a 県管理者 adds and changes them on their form.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::advisors::Choice;
use crate::api::dispatches::{ProgrammeView, ProgrammesPage};
use crate::calls::dispatches::load_programmes;
use crate::components::form_fields::{FormValues, check_field, checkbox_group, text_field};
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, use_form_state};
use crate::components::table_box::TableBox;
use crate::domain::dispatch::AdviceType;
use crate::domain::dispatch::programme_form::{RULE_FIELDS, form_values};

/// The list.
#[component]
pub fn ProgrammeListPage() -> impl IntoView {
    let page = Resource::new(|| (), |()| load_programmes());
    view! {
        <Title text="派遣制度"/>
        <div class="page">
            <nav class="breadcrumb" aria-label="現在位置">
                <ol>
                    <li><A href="/">"ホーム"</A></li>
                    <li><A href="/dispatches">"アドバイザー派遣"</A></li>
                    <li aria-current="page">"派遣制度"</li>
                </ol>
            </nav>
            <h1>"派遣制度と上限"</h1>
            <p class="lead">"市町村ごと・年度(4月〜3月)ごとの上限です。変更は、その後の派遣決定から使われます(決定済みの派遣は決定時の上限のままです)。"</p>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <Programmes page/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Programmes(page: ProgrammesPage) -> impl IntoView {
    let manage = page.can_manage;
    let rows = page
        .programmes
        .into_iter()
        .map(|p| {
            let types: Vec<&str> = p.advice_types.iter().map(|t| t.label()).collect();
            let rules = if p.rules_text.is_empty() {
                "上限なし".to_owned()
            } else {
                p.rules_text.join("、")
            };
            view! {
                <tr>
                    <th scope="row">{p.name.clone()}</th>
                    <td>{types.join("・")}</td>
                    <td>{rules}</td>
                    <td>{if p.active { "受付中" } else { "停止中" }}</td>
                    {manage.then(|| view! { <td><A href=format!("/dispatches/programmes/{}", p.id)>"変更"</A></td> })}
                </tr>
            }
        })
        .collect_view();
    view! {
        {manage.then(|| view! { <p><A href="/dispatches/programmes/new" attr:class="button-link">"制度を追加する"</A></p> })}
        <TableBox label="派遣制度の一覧">
            <table class="data-table">
                <thead><tr>
                    <th scope="col">"制度"</th>
                    <th scope="col">"相談の種類"</th>
                    <th scope="col">"上限(市町村ごと・年度ごと)"</th>
                    <th scope="col">"状態"</th>
                    {manage.then(|| view! { <th scope="col">"操作"</th> })}
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </TableBox>
    }
}

/// The form of a new programme (`/dispatches/programmes/new`) or of a stored one.
#[component]
pub fn ProgrammeFormPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok());
    let page = Resource::new(|| (), |()| load_programmes());
    let form = use_form_state();
    view! {
        <div class="page page--narrow">
            <nav class="breadcrumb" aria-label="現在位置">
                <ol>
                    <li><A href="/">"ホーム"</A></li>
                    <li><A href="/dispatches/programmes">"派遣制度"</A></li>
                    <li aria-current="page">{move || if id().is_some() { "制度を変更" } else { "制度を追加" }}</li>
                </ol>
            </nav>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = page.await;
                    let (flash, token) = form.load().await;
                    match result {
                        Ok(page) if page.can_manage => {
                            let stored = id().and_then(|id| page.programmes.into_iter().find(|p| p.id.get() == id));
                            let values = FormValues::new(stored_values(stored.as_ref()), stored_lists(stored.as_ref()), &flash);
                            view! { <ProgrammeForm stored values token/> }.into_any()
                        }
                        Ok(_) => view! { <LoadError error=crate::error::AppError::Forbidden/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

fn stored_values(stored: Option<&ProgrammeView>) -> BTreeMap<String, String> {
    let Some(p) = stored else {
        return BTreeMap::new();
    };
    let mut values = form_values(&p.rules);
    values.insert("name".into(), p.name.clone());
    values.insert("version".into(), p.version.to_string());
    if p.active {
        values.insert("active".into(), "on".into());
    }
    values
}

fn stored_lists(stored: Option<&ProgrammeView>) -> BTreeMap<String, Vec<String>> {
    let types = stored.map_or_else(
        || {
            AdviceType::ALL
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect()
        },
        |p| {
            p.advice_types
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect()
        },
    );
    BTreeMap::from([("advice_types".to_owned(), types)])
}

#[component]
fn ProgrammeForm(
    stored: Option<ProgrammeView>,
    values: FormValues,
    token: String,
) -> impl IntoView {
    let (title, action) = match &stored {
        Some(p) => (
            format!("「{}」を変更", p.name),
            format!("/dispatches/programmes/{}", p.id),
        ),
        None => (
            "派遣制度を追加".to_owned(),
            "/dispatches/programmes".to_owned(),
        ),
    };
    let types: Vec<Choice> = AdviceType::ALL
        .iter()
        .map(|t| Choice {
            value: t.as_str().to_owned(),
            label: t.label().to_owned(),
        })
        .collect();
    let rule_boxes = RULE_FIELDS
        .iter()
        .map(|(name, label, unit)| {
            text_field(&values, name, &format!("{label}({unit})"), "text", false, 8)
        })
        .collect_view();
    let edit_only = stored.is_some().then(|| {
        view! {
            <input type="hidden" name="version" value=values.value("version")/>
            {check_field(&values, "active", "市町村からの依頼を受け付ける")}
        }
    });
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <form method="post" action=action class="stacked-form">
            <CsrfField token/>
            {text_field(&values, "name", "制度の名称", "text", true, 100)}
            {checkbox_group(&values, "advice_types", "受け付ける相談の種類", &types)}
            <fieldset class="choices field--wide">
                <legend>"上限(市町村ごと・年度ごと、なければ空欄)"</legend>
                <p class="field-hint">"現地派遣を含む回数とオンラインのみの合計時間は組みで使います(例: 総務省 地域情報化アドバイザーは3回と10時間)。"</p>
                {rule_boxes}
            </fieldset>
            {edit_only}
            <div class="actions"><button type="submit">"保存する"</button></div>
        </form>
    }
}
