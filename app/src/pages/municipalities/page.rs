//! `/municipalities/{code}`: a municipality's page for its own staff and its
//! prefecture's office. Anyone else gets 403, whatever they type in the URL.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::home::MunicipalityPage as PageData;
use crate::calls::home::municipality_home;
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
        trainings,
        counterparts,
    } = data;
    let title = format!("{}のホーム", municipality.name);
    view! {
        <Title text=title.clone()/>
        <div class="page">
            <h1>{title}</h1>
            <dl class="facts">
                <div><dt>"団体名"</dt><dd>{municipality.name.clone()}</dd></div>
                <div><dt>"よみ"</dt><dd>{municipality.kana.clone()}</dd></div>
                <div><dt>"団体コード"</dt><dd>{municipality.code.to_string()}</dd></div>
                <div><dt>"都道府県"</dt><dd>{municipality.prefecture.clone()}</dd></div>
                <div><dt>"地域"</dt><dd>{municipality.region.clone().unwrap_or_else(|| "未設定".into())}</dd></div>
            </dl>
            <Counterparts counterparts=*counterparts/>
            <section aria-labelledby="staff-heading">
                <h2 id="staff-heading">"この団体のアカウント"</h2>
                <AccountTable accounts link=false/>
            </section>
            <TownTrainings trainings/>
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

/// The joint trainings the town has staff in: seats, waitlist, promotions and the
/// confirmed 負担金.
#[component]
fn TownTrainings(trainings: Vec<crate::api::trainings::TownTraining>) -> impl IntoView {
    let empty = trainings.is_empty();
    let items = trainings
        .into_iter()
        .map(|t| {
            let mut facts = vec![format!("受講決定{}人", t.enrolled)];
            if t.waitlisted > 0 {
                facts.push(format!("キャンセル待ち{}人", t.waitlisted));
            }
            let promoted = (!t.promoted.is_empty()).then(|| {
                format!(
                    "キャンセル待ちから繰り上がりました: {}",
                    t.promoted.join("、")
                )
            });
            let notice = t.amount.map(|amount| {
                view! {
                    " "
                    <a href=format!("/trainings/{}/notices", t.id)>
                        {format!("負担金 {}円のお知らせ", crate::domain::text::thousands(amount))}
                    </a>
                }
            });
            view! {
                <li>
                    <a href=format!("/trainings/{}", t.id)>{t.title}</a>
                    {format!("({}・{})", t.status_label, facts.join("・"))}
                    {notice}
                    {promoted.map(|p| view! { <p class="notice notice--success">{p}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="trainings-heading">
            <h2 id="trainings-heading">"共同研修"</h2>
            {empty.then(|| view! { <p>"申し込んでいる共同研修はありません。"</p> })}
            <ul class="town-trainings">{items}</ul>
            <p><a href="/trainings">"受付中の共同研修を見る"</a></p>
        </section>
    }
}

/// The town's contacts at the 県 (カウンターパート), with how to reach them.
#[component]
fn Counterparts(counterparts: crate::api::counterparts::CounterpartsView) -> impl IntoView {
    let person = |p: crate::api::counterparts::CounterpartPerson, role: &'static str| {
        view! {
            <li>
                <strong>{role}</strong>" "{p.name}" "
                <a href=format!("mailto:{}", p.email)>{p.email.clone()}</a>
            </li>
        }
    };
    let region = (counterparts.source == Some(crate::domain::counterpart::Source::Region))
        .then(|| view! { <p class="field-hint">"地域の担当者です。"</p> });
    let empty = counterparts.primary.is_none() && counterparts.secondary.is_empty();
    view! {
        <section aria-labelledby="counterpart-heading">
            <h2 id="counterpart-heading">"県の担当者(カウンターパート)"</h2>
            {if empty {
                view! { <p>"担当者はまだ決まっていません。"</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {counterparts.primary.map(|p| person(p, "主担当"))}
                        {counterparts.secondary.into_iter().map(|p| person(p, "副担当")).collect_view()}
                    </ul>
                    {region}
                }.into_any()
            }}
        </section>
    }
}
