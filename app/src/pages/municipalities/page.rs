//! `/municipalities/{code}`: a municipality's page for its own staff and its
//! prefecture's office. Anyone else gets 403, whatever they type in the URL.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::home::{MunicipalityPage as PageData, municipality_home};
use crate::components::accounts::AccountTable;
use crate::components::load_error::LoadError;

/// The route component.
#[component]
pub fn MunicipalityPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        municipality_home,
    );
    view! {
        <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(data) => view! { <MunicipalityPanel data/> }.into_any(),
                    Err(error) => view! {
                        <Title text="市町村のページ"/>
                        <h1>"市町村のページ"</h1>
                        <LoadError error/>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// A municipality's page body, also the home page of its staff.
#[component]
pub fn MunicipalityPanel(data: PageData) -> impl IntoView {
    let PageData {
        municipality,
        accounts,
    } = data;
    let title = format!("{}のホーム", municipality.name);
    view! {
        <Title text=title.clone()/>
        <div class="page">
            <h1>{title}</h1>
            <dl class="facts">
                <div><dt>"団体名"</dt><dd>{municipality.name.clone()}</dd></div>
                <div><dt>"よみ"</dt><dd>{municipality.kana.clone()}</dd></div>
                <div><dt>"団体コード"</dt><dd>{municipality.code.clone()}</dd></div>
                <div><dt>"都道府県"</dt><dd>{municipality.prefecture.clone()}</dd></div>
                <div><dt>"地域"</dt><dd>{municipality.region.clone().unwrap_or_else(|| "未設定".into())}</dd></div>
            </dl>
            <section aria-labelledby="staff-heading">
                <h2 id="staff-heading">"この団体のアカウント"</h2>
                <AccountTable accounts link=false/>
            </section>
            <section aria-labelledby="next-heading">
                <h2 id="next-heading">"できること"</h2>
                <ul>
                    <li><a href=format!("/advisors/match?municipality={}", municipality.code)>"課題に合うアドバイザーを探す(デジタル人材バンク)"</a></li>
                    <li><a href="/advisors">"デジタル人材バンクを見る"</a></li>
                    <li><a href="/cases">"事例ライブラリで他団体の取組を探す"</a></li>
                </ul>
            </section>
        </div>
    }
}
