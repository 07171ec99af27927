//! The front page: what the portal is for, or, signed in, the role's home.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::home::{Home, PrefectureOverview};
use crate::calls::home::front_page;
use crate::components::load_error::LoadError;
use crate::components::table_box::TableBox;
use crate::pages::municipalities::MunicipalityPanel;

/// Municipal staff see their municipality, prefecture staff their prefecture,
/// visitors the introduction.
#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |()| front_page());
    view! {
        <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(Home::Visitor) => view! { <Introduction/> }.into_any(),
                    Ok(Home::Municipality(data)) => view! { <MunicipalityPanel data/> }.into_any(),
                    Ok(Home::Prefecture(data)) => view! { <PrefectureView data/> }.into_any(),
                    Ok(Home::Advisor { name, profile }) => view! { <AdvisorHome name profile/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdvisorHome(
    name: String,
    profile: Option<(i32, crate::domain::advisor::edit::AdvisorStatus)>,
) -> impl IntoView {
    let own = match profile {
        Some((id, status)) => view! {
            <p>{format!("デジタル人材バンクのプロフィール({})", status.label())}</p>
            <ul class="link-list">
                <li><a href=format!("/advisors/{id}")>"自分のプロフィールを見る"</a></li>
                <li><a href=format!("/advisors/{id}/edit")>"プロフィールと対応可能な月を編集する"</a></li>
            </ul>
        }
        .into_any(),
        None => view! {
            <p>"このアカウントはまだ人材バンクのプロフィールと紐付いていません。県の担当者にお問い合わせください。"</p>
        }
        .into_any(),
    };
    view! {
        <Title text="ホーム"/>
        <div class="page">
            <h1>{format!("{name} さんのホーム")}</h1>
            {own}
            <p><A href="/cases">"事例ライブラリを見る"</A></p>
        </div>
    }
}

#[component]
fn PrefectureView(data: PrefectureOverview) -> impl IntoView {
    let title = format!("{}のホーム", data.name);
    let count = data.municipalities.len();
    let with_accounts = data
        .municipalities
        .iter()
        .filter(|m| m.active_accounts > 0)
        .count();
    let rows = data
        .municipalities
        .into_iter()
        .map(|m| {
            view! {
                <tr>
                    <th scope="row">
                        <a href=format!("/municipalities/{}", m.municipality.code)>{m.municipality.name}</a>
                    </th>
                    <td>{m.municipality.region.unwrap_or_else(|| "未設定".into())}</td>
                    <td class="num">{m.active_accounts}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=title.clone()/>
        <div class="page">
            <h1>{title}</h1>
            <p class="lead">{format!("{count} 市町村のうち {with_accounts} 団体が Renkei を利用しています。")}</p>
            <TableBox label="市町村の一覧">
                <table class="data-table">
                    <caption>"市町村の一覧"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"市町村"</th>
                            <th scope="col">"地域"</th>
                            <th scope="col">"利用中のアカウント"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableBox>
        </div>
    }
}

#[component]
fn Introduction() -> impl IntoView {
    view! {
        <Title text=""/>
        <div class="page page--home">
            <h1>"県・市町村連携ポータル"</h1>
            <p class="lead">
                "Renkei は、都道府県の DX 推進部門が市町村を支援するためのポータルです。"
                "デジタル人材バンク、アドバイザー派遣、共同研修と費用の按分、カウンターパート、事例の共有を一つにまとめます。"
            </p>
            <section class="cards" aria-labelledby="start-heading">
                <h2 id="start-heading">"はじめる"</h2>
                <ul class="card-list">
                    <li class="card">
                        <h3><A href="/cases">"事例ライブラリ"</A></h3>
                        <p>"総務省の参考事例集などから、人材育成・確保とデジタル人材の取組を、区分・団体区分・都道府県・職員規模で探せます。"</p>
                    </li>
                    <li class="card">
                        <h3><a href="/login">"ログイン"</a></h3>
                        <p>"県・市町村の職員とアドバイザーは、ログインすると担当する団体のページを使えます。"</p>
                    </li>
                </ul>
            </section>
        </div>
    }
}
