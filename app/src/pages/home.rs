//! The front page: what the portal is for, or, signed in, the role's home.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::counterparts::MyTowns;
use crate::api::home::{Home, PrefectureOverview};
use crate::calls::home::front_page;
use crate::components::load_error::LoadError;
use crate::components::table_box::TableBox;
use crate::domain::calendar::japanese_date;
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
    let mine = data.mine.clone();
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
            <MyTownsSection mine/>
            <crate::components::mentions::Mentions mentions=data.mentions.clone()/>
            <h2>"県内の市町村"</h2>
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

/// 「担当の市町村」: the towns the 県 staff member is a counterpart of and what is due.
#[component]
fn MyTownsSection(mine: MyTowns) -> impl IntoView {
    if mine.towns.is_empty() {
        return view! {
            <section aria-labelledby="mine-heading">
                <h2 id="mine-heading">"担当の市町村"</h2>
                <p>"今日の時点でカウンターパートとして担当している市町村はありません。"</p>
                <p><A href="/counterparts">"市町村の伴走支援の状況を見る"</A></p>
            </section>
        }
        .into_any();
    }
    let towns = mine
        .towns
        .clone()
        .into_iter()
        .map(|t| {
            let r = t.row;
            view! {
                <tr>
                    <th scope="row"><a href=format!("/municipalities/{}", r.municipality)>{r.municipality_name}</a></th>
                    <td>{if t.primary { "主担当" } else { "副担当" }}</td>
                    <td>{r.last_visit.map(japanese_date).unwrap_or_else(|| "—".into())}</td>
                    <td>{format!("{}回", r.visits)}</td>
                    <td class:cell--warning=r.overdue_follow_ups.gt(&0)>
                        {format!("{}件", r.open_follow_ups)}
                        {(r.overdue_follow_ups > 0).then(|| format!("(期限切れ{}件)", r.overdue_follow_ups))}
                    </td>
                    <td>{format!("{}件", r.awaiting)}</td>
                </tr>
            }
        })
        .collect_view();
    let due = if mine.due.is_empty() {
        view! { <p>"対応が必要なことはありません。"</p> }.into_any()
    } else {
        let items = mine
            .due
            .into_iter()
            .map(|d| {
                let when = d.due.map(|day| format!("(期限 {})", japanese_date(day)));
                view! {
                    <li class:due--overdue=d.overdue>
                        {d.overdue.then(|| view! { <strong>"期限切れ: "</strong> })}
                        <a href=d.href>{d.municipality_name}</a>
                        {format!(" {}", d.text)}
                        {when}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="due-list">{items}</ul> }.into_any()
    };
    let unvisited: Vec<(String, String)> = mine
        .towns
        .iter()
        .filter(|t| t.row.visits == 0)
        .map(|t| {
            (
                t.row.municipality.to_string(),
                t.row.municipality_name.clone(),
            )
        })
        .collect();
    let unvisited = (!unvisited.is_empty()).then(|| {
        let count = unvisited.len();
        let links = unvisited
            .into_iter()
            .map(|(code, name)| view! { <li><a href=format!("/municipalities/{code}")>{name}</a></li> })
            .collect_view();
        view! {
            <p>{format!("{}にまだ訪問していない担当の市町村({count}):", mine.label)}</p>
            <ul class="inline-list">{links}</ul>
        }
    });
    let caption = format!("担当の市町村({})", mine.label);
    view! {
        <section aria-labelledby="mine-heading">
            <h2 id="mine-heading">"担当の市町村"</h2>
            <h3>"対応が必要なこと"</h3>
            {due}
            {unvisited}
            <TableBox label=caption.clone()>
                <table class="data-table">
                    <caption>{caption.clone()}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"市町村"</th>
                            <th scope="col">"担当"</th>
                            <th scope="col">"最終訪問"</th>
                            <th scope="col">"今年度の訪問"</th>
                            <th scope="col">"未完了のフォローアップ"</th>
                            <th scope="col">"県の対応待ちの派遣依頼"</th>
                        </tr>
                    </thead>
                    <tbody>{towns}</tbody>
                </table>
            </TableBox>
            <p><A href="/counterparts">"すべての市町村の伴走支援の状況"</A></p>
        </section>
    }
    .into_any()
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
