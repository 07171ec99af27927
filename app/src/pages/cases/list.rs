//! `/cases`: the filtered, paged case list.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use crate::api::cases::{CaseHit, CaseList, SearchFallback};
use crate::calls::cases::list_cases;
use crate::components::facet_select::FacetSelect;
use crate::components::highlight::Highlight;
use crate::components::load_error::LoadError;
use crate::components::notices::FilterNotices;
use crate::components::pagination::Pagination;
use crate::domain::case_query::CaseListParams;
use crate::domain::search_query::SearchQuery;
use crate::domain::text::{excerpt, thousands};

/// The case library list page. Filters live in the query string, so a filtered
/// list can be bookmarked and shared; the form works with and without JavaScript.
#[component]
pub fn CaseListPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| {
        let q = query.read();
        CaseListParams::from_query(|name| q.get(name))
    });
    let cases = Resource::new(move || params.get(), list_cases);

    view! {
        <Title text="事例ライブラリ"/>
        <div class="page page--cases">
            <h1>"事例ライブラリ"</h1>
            <p class="lead">
                "自治体の人材育成・確保とデジタル人材の取組事例です。キーワードや条件を選んで「検索」を押してください。"
            </p>
            <Transition fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = cases.await;
                    let params = params.get_untracked();
                    match result {
                        Ok(list) => view! { <CaseListView list params/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

// Long: the filters, notices, results and pager as one view tree, so the no-JavaScript form stays one form.
#[component]
fn CaseListView(list: CaseList, params: CaseListParams) -> impl IntoView {
    let CaseList {
        total,
        exact_total,
        page,
        per_page,
        total_pages,
        items,
        fallback,
        suggestions: spellings,
        notices,
        facets,
    } = list;
    let chosen = |value: &Option<String>, options: &[crate::api::cases::FacetValue]| {
        value
            .as_ref()
            .filter(|v| options.iter().any(|o| &o.value == *v))
            .cloned()
    };
    let selected_section = chosen(&params.section, &facets.section);
    let selected_subsection = chosen(&params.subsection, &facets.subsection);
    let selected_kind = chosen(&params.org_kind, &facets.org_kind);
    let selected_prefecture = chosen(&params.prefecture, &facets.prefecture);
    let selected_size = chosen(&params.size, &facets.size);
    let text = params.q.clone().unwrap_or_default();

    let first = u64::from(page - 1) * u64::from(per_page) + 1;
    let last = (first + items.len() as u64).saturating_sub(1);
    let summary = if total == 0 {
        "条件に合う事例はありません。".to_owned()
    } else {
        format!(
            "{}件中 {}〜{}件目を表示しています。",
            thousands(total),
            thousands(first),
            thousands(last)
        )
    };
    let link_params = params.clone();
    let href_for = move |n: u32| link_params.href(n);
    let spelling_params = params.clone();
    let spelling = view! {
        <crate::pages::SpellingSuggestions
            suggestions=spellings
            href=move |q: &str| spelling_params.with_text(q).href(1)/>
    };
    let suggestions = (total == 0).then(|| view! { <NoResults params=params.clone()/> });
    // Some cases have every word and others only some of them: say where the
    // near ones begin (each is marked in the list).
    let near_note = (fallback.is_none() && exact_total > 0 && exact_total < total).then(|| {
        view! {
            <p class="notice notice--info">
                {format!(
                    "すべての語を含む事例は{}件です。そのあとに、一部の語を含む事例を関連の高い順に表示しています。",
                    thousands(exact_total)
                )}
            </p>
        }
    });

    view! {
        <Form method="GET" action="/cases" attr:class="filters" attr:role="search" attr:aria-label="事例の絞り込み">
            <div class="field field--wide">
                <label for="filter-q">"キーワード"</label>
                <input id="filter-q" name="q" type="search" value=text maxlength="200"
                    aria-describedby="filter-q-help"/>
                <p id="filter-q-help" class="help">
                    "スペースで区切ると、すべての語を含む事例に絞り込みます。「\"…\"」で語順どおりに、「-語」でその語を含まない事例を探せます。"
                </p>
            </div>
            <FacetSelect name="section" label="区分" values=facets.section selected=selected_section/>
            <FacetSelect name="subsection" label="小区分" values=facets.subsection selected=selected_subsection/>
            <FacetSelect name="org_kind" label="団体区分" values=facets.org_kind selected=selected_kind/>
            <FacetSelect name="prefecture" label="都道府県" values=facets.prefecture selected=selected_prefecture/>
            <FacetSelect name="size" label="職員規模" values=facets.size selected=selected_size/>
            <div class="actions">
                <button type="submit">"検索"</button>
                <A href="/cases">"条件をクリア"</A>
            </div>
        </Form>
        <FilterNotices notices/>
        <p class="result-count" role="status" aria-live="polite">{summary}</p>
        {fallback.map(|SearchFallback::Or| view! {
            <p class="notice notice--info">
                "すべての語を含む事例はなかったため、いずれかの語を含む事例を関連の高い順に表示しています。"
            </p>
        })}
        {near_note}
        {spelling}
        {suggestions}
        <ol class="case-list">
            {items.into_iter().map(|hit| {
                let href = params.case_href(&hit.case.slug, page);
                view! { <CaseListItem hit href/> }
            }).collect_view()}
        </ol>
        <Pagination page total_pages href_for/>
    }
}

#[component]
fn CaseListItem(
    hit: CaseHit,
    /// The case page, carrying the search it was found with.
    href: String,
) -> impl IntoView {
    let CaseHit {
        case,
        title_highlight,
        snippet,
        partial,
        ..
    } = hit;
    let mut meta = vec![case.organisation.clone()];
    if let Some(prefecture) = &case.prefecture
        && !case.organisation.starts_with(prefecture.as_str())
    {
        meta.push(prefecture.clone());
    }
    meta.push(case.org_kind.label().to_owned());
    if let Some(n) = case.staff_count {
        meta.push(format!("職員数 {}人", thousands(u64::from(n))));
    }
    let section = match &case.subsection {
        Some(sub) => format!("{} › {}", case.section, sub),
        None => case.section.clone(),
    };
    let summary = if snippet.has_marks() {
        view! { <p class="case-item__summary">"…"<Highlight text=snippet/>"…"</p> }.into_any()
    } else {
        view! { <p class="case-item__summary">{excerpt(&case.summary, 120)}</p> }.into_any()
    };
    view! {
        <li class="case-item">
            <article>
                <p class="case-item__section">{section}</p>
                <h2 class="case-item__title"><A href=href><Highlight text=title_highlight/></A></h2>
                <p class="case-item__meta">{meta.join(" ・ ")}</p>
                {partial.then(|| view! { <p class="case-item__partial">"一部の語に一致"</p> })}
                {summary}
            </article>
        </li>
    }
}

/// Ways out of an empty result: drop a filter, or a word.
#[component]
fn NoResults(params: CaseListParams) -> impl IntoView {
    let mut links: Vec<(String, String)> = Vec::new();
    let filters = [
        ("section", "区分", &params.section),
        ("subsection", "小区分", &params.subsection),
        ("org_kind", "団体区分", &params.org_kind),
        ("prefecture", "都道府県", &params.prefecture),
        ("size", "職員規模", &params.size),
    ];
    for (field, label, value) in filters {
        if value.as_deref().is_some_and(|v| !v.trim().is_empty()) {
            links.push((
                format!("「{label}」の条件を外す"),
                params.without(field).href(1),
            ));
        }
    }
    let query = SearchQuery::parse(params.q.as_deref().unwrap_or_default());
    if query.required.len() > 1 {
        for (i, part) in query.required.iter().enumerate() {
            let rest: Vec<String> = query
                .required
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, p)| {
                    if p.phrase {
                        format!("\"{}\"", p.text)
                    } else {
                        p.text.clone()
                    }
                })
                .collect();
            links.push((
                format!("「{}」を外して探す", part.text),
                params.with_text(&rest.join(" ")).href(1),
            ));
        }
    } else if !query.is_empty() {
        links.push(("キーワードを外す".to_owned(), params.without("q").href(1)));
    }
    view! {
        <div class="empty-hint">
            <p>"条件を減らすと見つかるかもしれません。"</p>
            <ul>
                {links
                    .into_iter()
                    .map(|(label, href)| view! { <li><a href=href>{label}</a></li> })
                    .collect_view()}
                <li><A href="/cases">"すべての事例を見る"</A></li>
            </ul>
        </div>
    }
}
