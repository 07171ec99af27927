//! `/advisors`: the bank, searched by words and facets. The filters live in the
//! query string (a plain GET form), so a search can be shared as a link.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::advisors::{AdvisorList, AdvisorListParams};
use crate::api::cases::FacetValue;
use crate::calls::advisors::list_advisors;
use crate::components::facet_select::FacetSelect;
use crate::components::highlight::Highlight;
use crate::components::load_error::LoadError;
use crate::components::pagination::Pagination;
use crate::domain::case_query::percent_encode;

/// The filters of the page: query parameter, label.
const FILTERS: [(&str, &str); 9] = [
    ("prefecture", "都道府県"),
    ("jinzaizo", "人材像"),
    ("specialty", "専門分野"),
    ("role", "役割"),
    ("qualification", "資格"),
    ("programme", "登録している制度"),
    ("mode", "対応方法"),
    ("region", "担当地域"),
    ("available", "対応可能な月"),
];

/// The bank page.
#[component]
pub fn AdvisorListPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| {
        let q = query.read();
        AdvisorListParams {
            q: q.get("q"),
            prefecture: q.get("prefecture"),
            jinzaizo: q.get("jinzaizo"),
            role: q.get("role"),
            specialty: q.get("specialty"),
            qualification: q.get("qualification"),
            region: q.get("region"),
            mode: q.get("mode"),
            programme: q.get("programme"),
            available: q.get("available"),
            sort: q.get("sort"),
            page: q.get("page"),
        }
    });
    let advisors = Resource::new(move || params.get(), list_advisors);
    view! {
        <Title text="デジタル人材バンク"/>
        <div class="page">
            <h1>"デジタル人材バンク"</h1>
            <p class="lead">"県が派遣できるデジタル人材(アドバイザー)を、キーワードと条件で探せます。連絡先と対応可能な時期は、県・市町村の職員がログインすると表示されます。"</p>
            <p><a href="/advisors/match">"課題と時期から合うアドバイザーを探す(県・市町村の職員)"</a></p>
            <Transition fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = advisors.await;
                    let params = params.get_untracked();
                    match result {
                        Ok(list) => view! { <AdvisorResults list params/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

fn value_of(params: &AdvisorListParams, name: &str) -> Option<String> {
    match name {
        "prefecture" => params.prefecture.clone(),
        "jinzaizo" => params.jinzaizo.clone(),
        "role" => params.role.clone(),
        "specialty" => params.specialty.clone(),
        "qualification" => params.qualification.clone(),
        "region" => params.region.clone(),
        "mode" => params.mode.clone(),
        "programme" => params.programme.clone(),
        "available" => params.available.clone(),
        "sort" => params.sort.clone(),
        "q" => params.q.clone(),
        _ => None,
    }
    .filter(|v| !v.is_empty())
}

/// The `/advisors` URL of the search `params` on page `target`.
fn advisor_href(params: &AdvisorListParams, target: u32) -> String {
    let mut parts = Vec::new();
    for name in [
        "q",
        "prefecture",
        "jinzaizo",
        "role",
        "specialty",
        "qualification",
        "region",
        "mode",
        "programme",
        "available",
        "sort",
    ] {
        if let Some(value) = value_of(params, name) {
            parts.push(format!("{name}={}", percent_encode(&value)));
        }
    }
    parts.push(format!("page={target}"));
    format!("/advisors?{}", parts.join("&"))
}

// Long: the results, facets and pager as one view tree, so the no-JavaScript form stays one form.
#[component]
fn AdvisorResults(list: AdvisorList, params: AdvisorListParams) -> impl IntoView {
    let AdvisorList {
        total,
        exact_total,
        page,
        total_pages,
        fallback,
        suggestions,
        items,
        facets,
    } = list;
    let selects = FILTERS
        .into_iter()
        .map(|(name, label)| {
            let values = facets.get(name).cloned().unwrap_or_default();
            let selected = value_of(&params, name);
            view! { <FacetSelect name label values selected/> }
        })
        .collect_view();
    let sort = value_of(&params, "sort").unwrap_or_default();
    let fallback_note = match fallback {
        Some(_) => Some(view! {
            <p class="notice" role="status">"すべての言葉を含むアドバイザーがいないため、一部の言葉を含むアドバイザーを表示しています。"</p>
        }.into_any()),
        None if exact_total > 0 && exact_total < total => Some(view! {
            <p class="notice" role="status">{format!("すべての言葉を含むアドバイザーは{}人です。そのあとに、一部の言葉を含むアドバイザーを表示しています。", exact_total)}</p>
        }.into_any()),
        None => None,
    };
    let cards = items
        .into_iter()
        .map(|a| {
            let specialties = a
                .specialties
                .iter()
                .map(|s| s.label.clone())
                .collect::<Vec<_>>()
                .join("・");
            let modes = a
                .modes
                .iter()
                .map(|m| m.label())
                .collect::<Vec<_>>()
                .join("・");
            let snippet = (!a.snippet.text.is_empty()).then(|| {
                view! { <p class="advisor-item__snippet"><Highlight text=a.snippet.clone()/></p> }
            });
            view! {
                <li class="case-item">
                    <article>
                        <h2 class="case-item__title">
                            <a href=format!("/advisors/{}", a.id)>{a.name.clone()}</a>
                            <span class="advisor-item__kana">{format!("({})", a.kana)}</span>
                        </h2>
                        <p class="case-item__meta">
                            {(!a.prefecture.is_empty()).then(|| view! { <span class="badge badge--bank">{format!("{}の人材バンク", a.prefecture)}</span>" " })}
                            {format!("{} / {} / {}", a.jinzaizo.label, a.affiliation, modes)}
                        </p>
                        <p class="case-item__meta">{format!("専門分野: {specialties}")}</p>
                        {snippet}
                    </article>
                </li>
            }
        })
        .collect_view();
    let spelling_params = params.clone();
    let spelling = view! {
        <crate::pages::SpellingSuggestions
            suggestions
            href=move |q: &str| {
                let mut with_q = spelling_params.clone();
                with_q.q = Some(q.to_owned());
                advisor_href(&with_q, 1)
            }/>
    };
    let banks = bank_links(
        &params,
        facets.get("prefecture").cloned().unwrap_or_default(),
    );
    let link_params = params.clone();
    let href_for = move |target: u32| advisor_href(&link_params, target);
    view! {
        <form method="get" action="/advisors" class="filters" role="search">
            <div class="field field--wide">
                <label for="advisor-q">"キーワード"</label>
                <input id="advisor-q" name="q" type="search" value=value_of(&params, "q").unwrap_or_default()/>
            </div>
            {selects}
            <div class="field">
                <label for="advisor-sort">"並び順"</label>
                <select id="advisor-sort" name="sort">
                    <option value="" selected=sort.is_empty()>"関連度順"</option>
                    <option value="kana" selected=sort == "kana">"五十音順"</option>
                    <option value="recent" selected=sort == "recent">"最近の活動順"</option>
                </select>
            </div>
            <div class="actions">
                <button type="submit">"検索"</button>
                <a href="/advisors">"条件をクリア"</a>
            </div>
        </form>
        {banks}
        {fallback_note}
        <p class="result-count" role="status">{format!("{total} 人")}</p>
        {spelling}
        <ul class="case-list">{cards}</ul>
        <Pagination page total_pages href_for/>
    }
}

/// The banks of the prefectures as links above the results, when the list holds
/// more than one (a visitor signed out sees every prefecture's bank): each bank is
/// its own, so choosing one is the first thing to do.
fn bank_links(params: &AdvisorListParams, banks: Vec<FacetValue>) -> Option<impl IntoView + use<>> {
    let selected = value_of(params, "prefecture");
    if banks.len() < 2 && selected.is_none() {
        return None;
    }
    let mut all = params.clone();
    all.prefecture = None;
    let all_link = advisor_href(&all, 1);
    let links = banks
        .into_iter()
        .map(|bank| {
            let mut one = params.clone();
            one.prefecture = Some(bank.value.clone());
            let current = (selected.as_deref() == Some(bank.value.as_str())).then_some("page");
            view! {
                <li><a href=advisor_href(&one, 1) aria-current=current>
                    {format!("{}({}人)", bank.label, bank.count)}
                </a></li>
            }
        })
        .collect_view();
    let all_current = selected.is_none().then_some("page");
    Some(view! {
        <nav class="bank-choice" aria-label="都道府県の人材バンク">
            <ul class="link-list link-list--inline">
                <li><a href=all_link aria-current=all_current>"すべての人材バンク"</a></li>
                {links}
            </ul>
        </nav>
    })
}
