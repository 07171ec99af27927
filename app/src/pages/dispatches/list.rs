//! `/dispatches`: the board. The 県 sees every town's requests with filters; a
//! town its own with its quota this 年度; an advisor those proposed to them.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::QuotaSection;
use crate::api::dispatches::{DispatchBoard, DispatchQuery, DispatchSummary};
use crate::calls::dispatches::load_board;
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, use_form_state};
use crate::components::table_box::TableBox;
use crate::domain::calendar::japanese_datetime;
use crate::domain::dispatch::DispatchStatus;
use crate::domain::wareki::FiscalYear;

/// The board.
#[component]
pub fn DispatchListPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        let get = |name: &str| q.get(name).filter(|v| !v.trim().is_empty());
        DispatchQuery {
            status: get("status"),
            programme: get("programme").and_then(|v| v.parse().ok()),
            municipality: get("municipality"),
            advisor: get("advisor").and_then(|v| v.parse().ok()),
            fiscal_year: get("fiscal_year").and_then(|v| v.parse().ok()),
        }
    });
    let board = Resource::new(move || filters.get(), load_board);
    let form = use_form_state();
    view! {
        <Title text="派遣依頼"/>
        <div class="page page--dispatches">
            <h1>"アドバイザー派遣"</h1>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = board.await;
                    let (_, token) = form.load().await;
                    match result {
                        Ok(board) => view! {
                            <Board board filters=filters.get_untracked()/>
                            <CalendarLink token/>
                        }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Board(board: DispatchBoard, filters: DispatchQuery) -> impl IntoView {
    let lead = if board.is_prefecture {
        "県内の市町村からの派遣依頼です。アドバイザーを提案し、引受け後に日程を決めて派遣を決定します。"
    } else if board.can_request {
        "人材バンクのアドバイザーの派遣を県に依頼できます。制度ごとの年度の上限の中で派遣されます。"
    } else {
        "あなたに提案された派遣依頼と、決まった派遣の日程です。"
    };
    let actions = view! {
        {board.can_request.then(|| view! { <p><A href="/dispatches/new" attr:class="button-link">"派遣を依頼する"</A></p> })}
        <ul class="inline-list">
            {board.is_prefecture.then(|| view! { <li><A href="/dispatches/usage">"市町村ごとの利用状況"</A></li> })}
            <li><A href="/dispatches/programmes">"派遣制度と上限"</A></li>
            <li><a href=export_href(&filters) rel="external" download="dispatches.csv">"派遣実績をCSVで保存"</a></li>
        </ul>
    };
    let quota = board
        .quota
        .clone()
        .map(|quota| view! { <QuotaSection quota/> });
    let filter_form = board
        .is_prefecture
        .then(|| view! { <Filters board=board.clone() filters/> });
    let overdue = board.items.iter().filter(|d| d.overdue).count();
    let overdue_note = (board.is_prefecture && overdue > 0).then(|| view! {
        <p class="notice notice--warning" role="status">{format!("報告期限(派遣日の7日後)を過ぎた派遣が{overdue}件あります。")}</p>
    });
    view! {
        <p class="lead">{lead}</p>
        {actions}
        {quota}
        {filter_form}
        {overdue_note}
        <h2>{format!("依頼({}件)", board.items.len())}</h2>
        {if board.items.is_empty() {
            view! { <p>"該当する依頼はありません。"</p> }.into_any()
        } else {
            view! { <Requests items=board.items/> }.into_any()
        }}
    }
}

fn export_href(filters: &DispatchQuery) -> String {
    let mut pairs = Vec::new();
    if let Some(s) = &filters.status {
        pairs.push(format!("status={s}"));
    }
    if let Some(p) = filters.programme {
        pairs.push(format!("programme={p}"));
    }
    if let Some(m) = &filters.municipality {
        pairs.push(format!("municipality={m}"));
    }
    if let Some(y) = filters.fiscal_year {
        pairs.push(format!("fiscal_year={y}"));
    }
    if pairs.is_empty() {
        "/api/dispatches.csv".to_owned()
    } else {
        format!("/api/dispatches.csv?{}", pairs.join("&"))
    }
}

#[component]
fn Filters(board: DispatchBoard, filters: DispatchQuery) -> impl IntoView {
    let status = filters.status.clone().unwrap_or_default();
    let town = filters.municipality.clone().unwrap_or_default();
    let year = filters.fiscal_year;
    let years: Vec<i32> = (board.fiscal_year - 2..=board.fiscal_year + 1)
        .rev()
        .collect();
    view! {
        <form method="get" action="/dispatches" class="filters" role="search" aria-label="依頼の絞り込み">
            <div class="field">
                <label for="filter-status">"状態"</label>
                <select id="filter-status" name="status">
                    <option value="">"すべて"</option>
                    {DispatchStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=status == s.as_str()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-programme">"制度"</label>
                <select id="filter-programme" name="programme">
                    <option value="">"すべて"</option>
                    {board.programmes.into_iter().map(|p| {
                        let chosen = filters.programme == Some(p.id.get());
                        view! { <option value=p.id.to_string() selected=chosen>{p.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-town">"市町村"</label>
                <select id="filter-town" name="municipality">
                    <option value="">"すべて"</option>
                    {board.towns.into_iter().map(|(code, name)| {
                        let chosen = code == town;
                        view! { <option value=code selected=chosen>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-year">"年度"</label>
                <select id="filter-year" name="fiscal_year">
                    <option value="">"すべて"</option>
                    {years.into_iter().map(|y| view! {
                        <option value=y.to_string() selected=year == Some(y)>{FiscalYear(y).label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="actions"><button type="submit">"絞り込む"</button></div>
        </form>
    }
}

#[component]
fn Requests(items: Vec<DispatchSummary>) -> impl IntoView {
    view! {
        <TableBox label="派遣依頼の一覧">
            <table class="data-table dispatches">
                <thead><tr>
                    <th scope="col">"依頼"</th>
                    <th scope="col">"市町村"</th>
                    <th scope="col">"制度・方法"</th>
                    <th scope="col">"アドバイザー"</th>
                    <th scope="col">"日時"</th>
                    <th scope="col">"状態"</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|d| view! {
                        <tr class:row--overdue=d.overdue>
                            <td><A href=format!("/dispatches/{}", d.id)>{format!("#{} {}", d.id, d.advice_type.label())}</A></td>
                            <td>{d.municipality_name.clone()}</td>
                            <td>{format!("{}・{}", d.programme_name, d.mode.label())}</td>
                            <td>{d.advisor.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| "未定".into())}</td>
                            <td>{d.starts_at.map(japanese_datetime).unwrap_or_else(|| "未定".into())}</td>
                            <td><span class=format!("badge badge--{}", d.status.as_str())>{d.status_label.clone()}</span></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableBox>
    }
}

/// The calendar feed: a button that issues its address (shown once).
#[component]
fn CalendarLink(token: String) -> impl IntoView {
    view! {
        <section class="form-section" aria-labelledby="calendar-heading">
            <h2 id="calendar-heading">"カレンダー連携"</h2>
            <p class="field-hint">
                "決定した派遣の日程を、お使いのカレンダー(Outlook・Googleカレンダーなど)に表示できます。"
                "URLは本人専用です。発行し直すと以前のURLは使えなくなります。"
            </p>
            <form method="post" action="/dispatches/calendar">
                <CsrfField token/>
                <button type="submit">"カレンダー用のURLを発行する"</button>
            </form>
        </section>
    }
}
