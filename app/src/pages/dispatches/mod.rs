//! 派遣: the board of requests, the request form, a request's page with its
//! timeline and steps, and the 県's usage per town.

mod detail;
mod list;
mod new;
mod programmes;
mod usage;

pub use detail::DispatchPage;
pub use list::DispatchListPage;
pub use new::NewDispatchPage;
pub use programmes::{ProgrammeFormPage, ProgrammeListPage};
pub use usage::DispatchUsagePage;

use leptos::prelude::*;

use crate::api::dispatches::QuotaView;
use crate::components::bar_chart::{Bar, BarChart};
use crate::components::table_box::TableBox;
use crate::domain::dispatch::quota::{QuotaRule, Remaining};

/// What is left of a programme, in words (「残り4回」「オンラインなら残り2時間」).
pub(crate) fn remaining_text(left: &Remaining) -> String {
    let mut parts = Vec::new();
    if let Some(count) = left.count {
        parts.push(format!("残り{count}回"));
    }
    if let Some(hours) = left.hours {
        parts.push(format!("残り{}", hours.label()));
    }
    if let Some(onsite) = left.onsite {
        parts.push(format!("現地派遣を含めて残り{onsite}回"));
    }
    if let Some(hours) = left.online_hours {
        parts.push(format!("オンラインのみなら残り{}", hours.label()));
    }
    if parts.is_empty() {
        "上限なし".to_owned()
    } else {
        parts.join("・")
    }
}

/// The most dispatches a programme's rules allow, for the chart's mark.
fn count_limit(rules: &[QuotaRule]) -> Option<u32> {
    rules
        .iter()
        .filter_map(|r| match r {
            QuotaRule::MaxDispatches { count } => Some(*count),
            QuotaRule::OnsiteOrOnline { onsite, .. } => Some(*onsite),
            _ => None,
        })
        .min()
}

/// A town's quota this 年度: a table and a chart of dispatches used against the limit.
#[component]
pub(crate) fn QuotaSection(quota: QuotaView) -> impl IntoView {
    let bars: Vec<Bar> = quota
        .programmes
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let limit = count_limit(&p.limits);
            Bar {
                label: p.name.chars().take(14).collect(),
                value: f64::from(p.used.count),
                limit: limit.map(f64::from),
                text: match limit {
                    Some(l) => format!("{}回 / {l}回", p.used.count),
                    None => format!("{}回", p.used.count),
                },
                series: i,
            }
        })
        .collect();
    let rows = quota
        .programmes
        .into_iter()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row">{p.name.clone()}</th>
                    <td>{format!("{}回・{}", p.used.count, p.used.hours.label())}</td>
                    <td>{p.limits_text.join("、")}</td>
                    <td>{remaining_text(&p.remaining)}</td>
                </tr>
            }
        })
        .collect_view();
    let title = format!(
        "{}の{}の派遣実績と上限",
        quota.municipality_name, quota.label
    );
    view! {
        <section class="quota" aria-labelledby="quota-heading">
            <h2 id="quota-heading">{format!("{}の利用状況", quota.label)}</h2>
            <TableBox label="制度ごとの利用状況">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"制度"</th>
                        <th scope="col">"利用"</th>
                        <th scope="col">"上限"</th>
                        <th scope="col">"残り"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableBox>
            <BarChart title bars/>
        </section>
    }
}
