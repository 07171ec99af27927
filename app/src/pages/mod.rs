//! One module per area; one component per page.

pub mod account;
pub mod admin;
pub mod advisors;
pub mod cases;
pub mod channels;
pub mod counterparts;
pub mod dispatches;
pub mod home;
pub mod municipalities;
pub mod not_found;
pub mod notices;
pub mod session;
pub mod surveys;
pub mod trainings;

/// The typed id in the current route's `:id` segment (id 0, which no record has,
/// when the segment is not a number, so the page answers "not found").
pub(crate) fn use_id_param<T>() -> impl Fn() -> T + Copy + Send + Sync + 'static
where
    T: std::str::FromStr + From<i32>,
{
    use leptos::prelude::Read;
    let params = leptos_router::hooks::use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| T::from(0))
    }
}

/// When a search found nothing: the queries spelt like it that find something,
/// each a link (「もしかして: テレワーク」).
#[leptos::component]
pub(crate) fn SpellingSuggestions(
    suggestions: Vec<String>,
    href: impl Fn(&str) -> String + 'static,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    (!suggestions.is_empty()).then(|| {
        let links = suggestions
            .into_iter()
            .map(|s| {
                let url = href(&s);
                view! { <li><a href=url>{s}</a></li> }
            })
            .collect_view();
        view! {
            <div class="spelling" role="status">
                <p>"もしかして、次の言葉ではありませんか。"</p>
                <ul class="spelling__list">{links}</ul>
            </div>
        }
    })
}
