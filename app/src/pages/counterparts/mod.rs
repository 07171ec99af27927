//! `/counterparts`: the 県's overview of its towns for a 年度 — primary
//! counterpart, last visit, visits, open follow-ups, dispatches, requests waiting
//! for the 県, training 負担金 — with the visit
//! coverage by region as a chart, a filter for the towns not visited, sorting by
//! any column and the CSV.

mod reassign;

pub use reassign::ReassignPageView;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::counterparts::{Overview, OverviewRow};
use crate::calls::counterparts::load_overview;
use crate::components::bar_chart::{Bar, BarChart};
use crate::components::load_error::LoadError;
use crate::components::table_box::TableBox;
use crate::domain::calendar::japanese_date;

/// The overview page.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("fiscal_year").and_then(|v| v.parse::<i32>().ok()),
            q.get("unvisited").is_some_and(|v| !v.is_empty()),
            q.get("sort").unwrap_or_default(),
        )
    });
    let overview = Resource::new(
        move || asked.get(),
        |(year, unvisited, _)| load_overview(year, unvisited),
    );
    view! {
        <Title text="市町村の伴走支援の状況"/>
        <div class="page">
            <h1>"市町村の伴走支援の状況"</h1>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let (_, unvisited, sort) = asked.get_untracked();
                    match overview.await {
                        Ok(overview) => view! { <Board overview unvisited sort/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// Rows in the order of the column `sort` (the 団体コード when none).
fn sorted(mut rows: Vec<OverviewRow>, sort: &str) -> Vec<OverviewRow> {
    match sort {
        "name" => rows.sort_by(|a, b| a.municipality_name.cmp(&b.municipality_name)),
        "region" => rows.sort_by(|a, b| a.region.cmp(&b.region)),
        "primary" => rows.sort_by(|a, b| a.primary.cmp(&b.primary)),
        "last_visit" => rows.sort_by_key(|r| r.last_visit),
        "visits" => rows.sort_by_key(|r| r.visits),
        "follow_ups" => rows.sort_by_key(|r| std::cmp::Reverse(r.overdue_follow_ups)),
        "dispatches" => rows.sort_by_key(|r| r.dispatches),
        "awaiting" => rows.sort_by_key(|r| std::cmp::Reverse(r.awaiting)),
        "charges" => rows.sort_by_key(|r| std::cmp::Reverse(r.charges)),
        _ => {}
    }
    rows
}

// Long: the page as one view tree.
#[component]
fn Board(overview: Overview, unvisited: bool, sort: String) -> impl IntoView {
    let year = overview.fiscal_year;
    let base = move |sort: &str| {
        let mut href = format!("/counterparts?fiscal_year={year}&sort={sort}");
        if unvisited {
            href.push_str("&unvisited=on");
        }
        href
    };
    let mut regions: Vec<(String, u32, u32)> = Vec::new();
    for row in &overview.rows {
        let name = row.region.clone().unwrap_or_else(|| "地域未設定".into());
        match regions.iter_mut().find(|(n, _, _)| *n == name) {
            Some(entry) => {
                entry.2 += 1;
                entry.1 += u32::from(row.visits > 0);
            }
            None => regions.push((name, u32::from(row.visits > 0), 1)),
        }
    }
    let bars: Vec<Bar> = regions
        .iter()
        .enumerate()
        .map(|(i, (name, visited, total))| Bar {
            label: name.clone(),
            value: f64::from(*visited),
            limit: Some(f64::from(*total)),
            text: format!("{visited} / {total}"),
            series: i,
        })
        .collect();
    let headers = [
        ("name", "市町村"),
        ("region", "地域"),
        ("primary", "主担当"),
        ("last_visit", "最終訪問"),
        ("visits", "今年度の訪問"),
        ("follow_ups", "未完了のフォローアップ"),
        ("dispatches", "今年度の派遣"),
        ("awaiting", "県の対応待ちの派遣依頼"),
        ("charges", "今年度の研修負担金(確定)"),
    ]
    .into_iter()
    .map(|(key, label)| {
        let current = sort == key;
        let href = base(key);
        view! {
            <th scope="col" aria-sort=current.then_some("ascending")>
                <a href=href>{label}</a>
            </th>
        }
    })
    .collect_view();
    let rows = sorted(overview.rows.clone(), &sort)
        .into_iter()
        .map(|r| {
            let late = r.overdue_follow_ups > 0;
            view! {
            <tr>
                <th scope="row"><a href=format!("/municipalities/{}", r.municipality)>{r.municipality_name.clone()}</a></th>
                <td>{r.region.clone().unwrap_or_default()}</td>
                <td>{r.primary.clone().unwrap_or_else(|| "未定".into())}</td>
                <td>{r.last_visit.map(japanese_date).unwrap_or_else(|| "—".into())}</td>
                <td>{format!("{}回", r.visits)}</td>
                <td class:cell--warning=late>
                    {format!("{}件", r.open_follow_ups)}
                    {(r.overdue_follow_ups > 0).then(|| format!("(期限切れ{}件)", r.overdue_follow_ups))}
                </td>
                <td>{format!("{}回", r.dispatches)}</td>
                <td class:cell--warning=r.awaiting.gt(&0)>{format!("{}件", r.awaiting)}</td>
                <td class="num">{crate::pages::trainings::yen(r.charges)}</td>
            </tr>
            }
        })
        .collect_view();
    let chart_title = format!("{}の地域ごとの訪問済み市町村", overview.label);
    let workload = view! { <Workload rows=overview.workload.clone()/> };
    view! {
        <p class="lead">{format!(
            "{}に訪問した市町村: {} / {}",
            overview.label, overview.visited, overview.total
        )}</p>
        {(!unvisited).then(|| view! { <BarChart title=chart_title bars/> })}
        <form method="get" action="/counterparts" class="filters" aria-label="絞り込み">
            <input type="hidden" name="fiscal_year" value=year.to_string()/>
            <div class="field field--check">
                <input type="checkbox" id="filter-unvisited" name="unvisited" value="on" checked=unvisited/>
                <label for="filter-unvisited">"今年度まだ訪問していない市町村だけ"</label>
            </div>
            <div class="actions"><button type="submit">"表示する"</button></div>
        </form>
        <ul class="inline-list">
            <li><a href=format!("/api/overview.csv?fiscal_year={year}") rel="external" download="overview.csv">"CSVで保存"</a></li>
            <li><A href="/dispatches">"派遣依頼"</A></li>
            <li><A href="/counterparts/reassign">"担当の変更(人事異動)"</A></li>
        </ul>
        <TableBox label="市町村ごとの状況">
            <table class="data-table">
                <thead><tr>{headers}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </TableBox>
        {workload}
    }
}

/// Each 県 staff member's towns, open requests and visits, as a table and a chart.
#[component]
fn Workload(rows: Vec<crate::api::counterparts::WorkloadRow>) -> impl IntoView {
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            label: r.name.clone(),
            value: f64::from(r.primary),
            limit: None,
            text: format!("主担当{}・副担当{}", r.primary, r.secondary),
            series: 0,
        })
        .collect();
    let body = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <th scope="row">{r.name}</th>
                    <td>{format!("{}", r.primary)}</td>
                    <td>{format!("{}", r.secondary)}</td>
                    <td>{format!("{}件", r.open_dispatches)}</td>
                    <td>{format!("{}回", r.visits)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="workload-heading">
            <h2 id="workload-heading">"担当者ごとの状況"</h2>
            <TableBox label="担当者ごとの状況">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"担当者"</th>
                        <th scope="col">"主担当の市町村"</th>
                        <th scope="col">"副担当の市町村"</th>
                        <th scope="col">"進行中の派遣依頼"</th>
                        <th scope="col">"今年度の訪問"</th>
                    </tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </TableBox>
            <BarChart title="担当者ごとの主担当の市町村数".to_owned() bars/>
        </section>
    }
}
