//! `/cases/{slug}`: one case.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::cases::{CaseContact, CaseDetail};
use crate::calls::cases::get_case;
use crate::components::load_error::LoadError;
use crate::components::status::set_http_status;
use crate::domain::case_query::CaseListParams;
use crate::domain::text::thousands;
use crate::error::AppError;
use crate::pages::not_found::NotFound;

/// The case detail page; an unknown slug answers 404 with a Japanese page.
#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let case = Resource::new(slug, get_case);

    view! {
        <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(detail) => view! { <CaseArticle detail/> }.into_any(),
                    Err(AppError::NotFound { message }) => {
                        set_http_status(404);
                        view! {
                            <Title text="事例が見つかりません"/>
                            <NotFound message/>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseArticle(detail: CaseDetail) -> impl IntoView {
    // The list this case was opened from: its search and page travel in the query.
    let query = use_query_map();
    let list = query.with_untracked(|q| CaseListParams::from_query(|name| q.get(name)));
    let list_page = list
        .page
        .as_deref()
        .and_then(|p| p.parse::<u32>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let back = list.href(list_page);
    let searched = back != "/cases";
    let CaseDetail {
        summary,
        points,
        effects,
        contact,
        source,
    } = detail;
    let section = match &summary.subsection {
        Some(sub) => format!("{} › {}", summary.section, sub),
        None => summary.section.clone(),
    };
    let organisation = match &summary.prefecture {
        Some(p) if !summary.organisation.starts_with(p.as_str()) => {
            format!("{}({})", summary.organisation, p)
        }
        _ => summary.organisation.clone(),
    };
    let staff = summary.staff_count.map_or_else(
        || "記載なし".to_owned(),
        |n| format!("{}人", thousands(u64::from(n))),
    );
    let page = match (source.page, &source.page_note) {
        (Some(p), None) => format!("{p}ページ"),
        (Some(p), Some(_)) => format!("{p}ページ(推定)"),
        (None, _) => "ページ記載なし".to_owned(),
    };

    view! {
        <Title text=summary.title.clone()/>
        <nav class="breadcrumb" aria-label="現在位置">
            <ol>
                <li><A href="/">"ホーム"</A></li>
                <li><A href=back.clone()>"事例ライブラリ"</A></li>
                <li aria-current="page">{summary.title.clone()}</li>
            </ol>
        </nav>
        <article class="case">
            <header class="case__header">
                <p class="case__section">{section}</p>
                <h1>{summary.title}</h1>
                <dl class="facts">
                    <div><dt>"団体"</dt><dd>{organisation}</dd></div>
                    <div><dt>"団体区分"</dt><dd>{summary.org_kind.label()}</dd></div>
                    <div><dt>"職員数"</dt><dd>{staff}</dd></div>
                    {summary.size_band.map(|b| view! { <div><dt>"職員規模"</dt><dd>{b.label()}</dd></div> })}
                </dl>
            </header>
            <section aria-labelledby="case-summary">
                <h2 id="case-summary">"取組概要"</h2>
                <p class="case__body">{summary.summary}</p>
            </section>
            {(!points.is_empty()).then(|| view! {
                <section aria-labelledby="case-points">
                    <h2 id="case-points">"取組のポイント"</h2>
                    <ol>{points.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ol>
                </section>
            })}
            {(!effects.is_empty()).then(|| view! {
                <section aria-labelledby="case-effects">
                    <h2 id="case-effects">"取組の効果"</h2>
                    <ul>{effects.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                </section>
            })}
            <section aria-labelledby="case-contact">
                <h2 id="case-contact">"問い合わせ先"</h2>
                <ContactView contact/>
            </section>
            <section aria-labelledby="case-source">
                <h2 id="case-source">"出典"</h2>
                <p>{format!("{}、{}", source.title, page)}</p>
                {source.page_note.map(|note| view! { <p class="help">{format!("ページについて: {note}")}</p> })}
            </section>
            {searched.then(|| view! { <p class="case__back"><A href=back>"検索結果に戻る"</A></p> })}
        </article>
    }
}

#[component]
fn ContactView(contact: Option<CaseContact>) -> impl IntoView {
    match contact {
        None => view! { <p>"この事例には問い合わせ先の記載がありません。"</p> }.into_any(),
        Some(c) => view! {
            <dl class="facts">
                {c.department.map(|d| view! { <div><dt>"担当部署"</dt><dd>{d}</dd></div> })}
                {c.tel.map(|t| {
                    let digits: String = t.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
                    view! { <div><dt>"電話"</dt><dd><a href=format!("tel:{digits}")>{t}</a></dd></div> }
                })}
                {c.email.map(|e| view! { <div><dt>"メール"</dt><dd><a href=format!("mailto:{e}")>{e.clone()}</a></dd></div> })}
            </dl>
        }
        .into_any(),
    }
}
