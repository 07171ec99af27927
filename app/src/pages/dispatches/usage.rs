//! `/dispatches/usage`: each town's use of each programme in a 年度, as a table
//! and a chart (the 県).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::dispatches::UsageTable;
use crate::calls::dispatches::load_usage;
use crate::components::bar_chart::{Bar, BarChart};
use crate::components::load_error::LoadError;
use crate::components::table_box::TableBox;
use crate::domain::wareki::FiscalYear;

/// The usage page.
#[component]
pub fn DispatchUsagePage() -> impl IntoView {
    let query = use_query_map();
    let year = Memo::new(move |_| {
        query
            .read()
            .get("fiscal_year")
            .and_then(|v| v.parse::<i32>().ok())
    });
    let table = Resource::new(move || year.get(), load_usage);
    view! {
        <Title text="市町村ごとの派遣の利用状況"/>
        <div class="page">
            <nav class="breadcrumb" aria-label="現在位置">
                <ol>
                    <li><A href="/">"ホーム"</A></li>
                    <li><A href="/dispatches">"アドバイザー派遣"</A></li>
                    <li aria-current="page">"利用状況"</li>
                </ol>
            </nav>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match table.await {
                        Ok(table) => view! { <Usage table/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Usage(table: UsageTable) -> impl IntoView {
    let year = table.fiscal_year;
    let years = [year - 1, year, year + 1].map(|y| {
        view! { <li><A href=format!("/dispatches/usage?fiscal_year={y}")>{FiscalYear(y).label()}</A></li> }
    });
    let bars: Vec<Bar> = table
        .rows
        .iter()
        .flat_map(|row| {
            table
                .programmes
                .iter()
                .enumerate()
                .filter(|(i, _)| row.counts[*i] > 0)
                .map(|(i, (_, name))| Bar {
                    label: format!(
                        "{} {}",
                        row.municipality_name,
                        name.chars().take(6).collect::<String>()
                    ),
                    value: f64::from(row.counts[i]),
                    limit: None,
                    text: format!("{}回・{}", row.counts[i], row.hours[i].label()),
                    series: i,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let header = table
        .programmes
        .iter()
        .map(|(_, name)| view! { <th scope="col">{name.clone()}</th> })
        .collect_view();
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let cells = row
                .counts
                .iter()
                .zip(&row.hours)
                .map(|(count, hours)| view! { <td>{format!("{count}回・{}", hours.label())}</td> })
                .collect_view();
            view! { <tr><th scope="row">{row.municipality_name.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    let title = format!("{}の市町村ごとの派遣回数", table.label);
    view! {
        <h1>{format!("{}の派遣の利用状況", table.label)}</h1>
        <nav aria-label="年度"><ul class="inline-list">{years}</ul></nav>
        {if table.rows.is_empty() {
            view! { <p>"この年度に決定した派遣はありません。"</p> }.into_any()
        } else {
            view! {
                <TableBox label="市町村ごとの利用状況">
                    <table class="data-table">
                        <thead><tr><th scope="col">"市町村"</th>{header}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </TableBox>
                <BarChart title bars/>
            }.into_any()
        }}
    }
}
