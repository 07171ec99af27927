//! `/counterparts/reassign`: the 県管理者 prepares a 人事異動 — every town's new
//! counterparts from one day on — as a CSV (chosen or pasted), sees each town
//! before and after and every wrong line, and applies it at once (all or
//! nothing). Below, each region's default counterpart.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::counterparts::{ReassignPage, ReassignPreview, RegionDefault};
use crate::api::flash::Flash;
use crate::calls::counterparts::load_reassign_page;
use crate::components::form_fields::{FormValues, text_area, text_field};
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, use_form_state};
use crate::components::table_box::TableBox;
use crate::domain::calendar::japanese_date;

/// The page.
#[component]
pub fn ReassignPageView() -> impl IntoView {
    let form = use_form_state();
    // The CSV being previewed comes back in the flash of the form that sent it.
    let page = Resource::new(
        || (),
        move |()| async move {
            let (flash, token) = form.load().await;
            let page = load_reassign_page(flash.value("effective"), flash.value("csv")).await;
            (flash, token, page)
        },
    );
    view! {
        <Title text="カウンターパートの変更(人事異動)"/>
        <div class="page">
            <nav class="breadcrumb" aria-label="現在位置">
                <ol>
                    <li><A href="/">"ホーム"</A></li>
                    <li><A href="/counterparts">"伴走支援"</A></li>
                    <li aria-current="page">"担当の変更"</li>
                </ol>
            </nav>
            <h1>"カウンターパートの変更(人事異動)"</h1>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let (flash, token, page) = page.await;
                    match page {
                        Ok(page) => view! { <Reassign page flash token/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Reassign(page: ReassignPage, flash: Flash, token: String) -> impl IntoView {
    let values = BTreeMap::from([
        ("effective".to_owned(), page.effective.clone()),
        ("csv".to_owned(), page.csv.clone()),
    ]);
    let form = FormValues::new(values, BTreeMap::new(), &flash);
    let preview = page.preview.clone().map(|preview| {
        view! { <Preview preview csv=page.csv.clone() token=token.clone()/> }
    });
    let regions = page.regions.clone();
    let file_error = form.error("file");
    view! {
        <p class="lead">
            "異動日からの各市町村の主担当・副担当を CSV で用意し、内容を確認してから一度に適用します。"
            "1行でも誤りがあれば何も変更しません。CSV に書かれていない市町村の担当は変わりません。"
        </p>
        <form method="post" action="/counterparts/reassign/preview" enctype="multipart/form-data" class="form-card">
            <CsrfField token=token.clone()/>
            {text_field(&form, "effective", "異動日(この日から新しい担当)", "date", true, 10)}
            <div class="field" class:field--invalid=file_error.is_some()>
                <label for="f-file">"CSV ファイル(Excel で保存した Shift_JIS も読めます)"</label>
                <p class="field-hint" id="f-file-hint">"1行目は「団体コード,担当者メール,主担当/副担当」。1人1行で、副担当は何人でも書けます。"</p>
                <input id="f-file" name="file" type="file" accept=".csv,text/csv"
                    aria-invalid=file_error.is_some().then_some("true")
                    aria-describedby=if file_error.is_some() { "f-file-hint f-file-error" } else { "f-file-hint" }/>
                {file_error.clone().map(|message| view! { <p class="field-error" id="f-file-error">{message}</p> })}
            </div>
            {text_area(&form, "csv", "または CSV の内容を貼り付け", "ファイルを選んだときはファイルが使われます", 20_000)}
            <div class="actions"><button type="submit">"内容を確認する"</button></div>
        </form>
        {preview}
        <Regions regions staff=page.staff token/>
    }
}

/// Each town before and after, the wrong lines, and the button that applies it.
#[component]
fn Preview(preview: ReassignPreview, csv: String, token: String) -> impl IntoView {
    let title = format!("{}付の変更の確認", japanese_date(preview.effective));
    let errors = (!preview.errors.is_empty()).then(|| {
        let items = preview
            .errors
            .iter()
            .map(|e| view! { <li>{format!("{}行目: {}", e.line, e.message)}</li> })
            .collect_view();
        view! {
            <div class="notice notice--error" role="alert">
                <p>{format!("{}件の誤りがあります。直してからもう一度確認してください(何も変更していません)。", preview.errors.len())}</p>
                <ul>{items}</ul>
            </div>
        }
    });
    let rows = preview
        .rows
        .iter()
        .map(|r| {
            let changed = r.before != r.after;
            view! {
                <tr class:row--changed=changed>
                    <td class="num">{r.line}</td>
                    <th scope="row">{r.municipality_name.clone()}</th>
                    <td>{r.before.clone().unwrap_or_else(|| "なし".into())}</td>
                    <td>{r.after.clone().unwrap_or_else(|| "なし".into())}</td>
                    <td>{if r.secondary.is_empty() { "なし".to_owned() } else { r.secondary.join("、") }}</td>
                </tr>
            }
        })
        .collect_view();
    let apply = preview.errors.is_empty().then(|| {
        view! {
            <form method="post" action="/counterparts/reassign/apply" class="form-card">
                <CsrfField token/>
                <input type="hidden" name="effective" value=preview.effective.to_string()/>
                <input type="hidden" name="csv" value=csv/>
                <p>{format!("{} 市町村の担当を{}から変更します。", preview.rows.len(), japanese_date(preview.effective))}</p>
                <div class="actions"><button type="submit">"この内容で適用する"</button></div>
            </form>
        }
    });
    view! {
        <section aria-labelledby="preview-heading">
            <h2 id="preview-heading">{title.clone()}</h2>
            {errors}
            <TableBox label=title.clone()>
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"行"</th>
                        <th scope="col">"市町村"</th>
                        <th scope="col">"変更前の主担当"</th>
                        <th scope="col">"変更後の主担当"</th>
                        <th scope="col">"変更後の副担当"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableBox>
            {apply}
        </section>
    }
}

/// The regions and their default counterpart, each with its form.
#[component]
fn Regions(
    regions: Vec<RegionDefault>,
    staff: Vec<crate::api::advisors::Choice>,
    token: String,
) -> impl IntoView {
    let today = crate::domain::calendar::day_in_japan(chrono::Utc::now()).to_string();
    let rows = regions
        .into_iter()
        .map(|r| {
            let current = r.primary.as_ref().map(|p| p.email.clone()).unwrap_or_default();
            let options = staff
                .iter()
                .map(|c| {
                    let chosen = c.value == current;
                    view! { <option value=c.value.clone() selected=chosen>{format!("{}({})", c.label, c.value)}</option> }
                })
                .collect_view();
            let select_id = format!("region-{}-primary", r.id);
            let date_id = format!("region-{}-from", r.id);
            let current_name = r.primary.map_or_else(|| "なし".to_owned(), |p| p.name);
            view! {
                <li class="region-default">
                    <h3>{r.name.clone()}</h3>
                    <p>{format!("{} 市町村・今日の既定の担当者: {current_name}", r.towns)}</p>
                    <form method="post" action=format!("/counterparts/regions/{}", r.id) class="region-default__form">
                        <CsrfField token=token.clone()/>
                        <div class="field">
                            <label for=select_id.clone()>{format!("{}の既定の担当者", r.name)}</label>
                            <select id=select_id name="primary">
                                <option value="" selected=current.is_empty()>"なし"</option>
                                {options}
                            </select>
                        </div>
                        <div class="field">
                            <label for=date_id.clone()>"開始日"</label>
                            <input id=date_id type="date" name="from" value=today.clone() required/>
                        </div>
                        <div class="actions"><button type="submit">"設定する"</button></div>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="regions-heading">
            <h2 id="regions-heading">"地域の既定の担当者"</h2>
            <p>"市町村ごとの担当がいない市町村は、その地域の既定の担当者が担当します。"</p>
            <ul class="region-defaults">{rows}</ul>
        </section>
    }
}
