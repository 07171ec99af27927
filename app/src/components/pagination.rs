//! Page navigation links.

use leptos::prelude::*;

/// Links to the previous, numbered and next pages. `href_for(page)` builds each URL.
#[component]
pub fn Pagination(
    page: u32,
    total_pages: u32,
    href_for: impl Fn(u32) -> String + 'static,
) -> impl IntoView {
    (total_pages > 1).then(|| {
        let link = |target: u32, label: String, rel: Option<&'static str>| {
            view! { <a href=href_for(target) rel=rel>{label}</a> }
        };
        let prev = (page > 1).then(|| link(page - 1, "前へ".into(), Some("prev")));
        let next = (page < total_pages).then(|| link(page + 1, "次へ".into(), Some("next")));
        let numbers = crate::domain::paging::page_links(page, total_pages)
            .into_iter()
            .map(|n| match n {
                Some(n) if n == page => {
                    view! { <li><span aria-current="page">{n}</span></li> }.into_any()
                }
                Some(n) => view! { <li><a href=href_for(n)>{n}</a></li> }.into_any(),
                None => view! { <li aria-hidden="true">"…"</li> }.into_any(),
            })
            .collect_view();
        view! {
            <nav class="pagination" aria-label="ページ送り">
                <ul>
                    <li>{prev}</li>
                    {numbers}
                    <li>{next}</li>
                </ul>
            </nav>
        }
    })
}
