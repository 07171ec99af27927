//! 共同研修 pages: the catalogue, a course, and its printable 負担金 notices.

mod billing;
mod detail;
mod list;
mod new;
mod notices;

pub use detail::TrainingPage;
pub use list::TrainingListPage;
pub use new::{EditTrainingPage, NewTrainingPage};
pub use notices::TrainingNoticesPage;

/// One body's line in a table of shares.
pub(crate) struct ShareRow {
    /// Who pays.
    pub label: String,
    /// Participants counted.
    pub headcount: u32,
    /// Staff count used, when the formula uses one.
    pub staff: Option<u32>,
    /// Part of the shared costs.
    pub shared: u64,
    /// Per-participant costs.
    pub per_head: u64,
    /// What the body pays.
    pub amount: u64,
}

/// A table of shares (a split or a preview); the staff column appears when a row
/// has a staff count.
pub(crate) fn share_table(
    caption: Option<String>,
    rows: Vec<ShareRow>,
) -> impl leptos::IntoView + use<> {
    use crate::components::table_box::TableBox;
    use leptos::prelude::*;
    let staff = rows.iter().any(|r| r.staff.is_some());
    view! {
        <TableBox label="団体ごとの負担">
            <table class="data-table">
                {caption.map(|c| view! { <caption>{c}</caption> })}
                <thead><tr>
                    <th scope="col">"団体"</th>
                    <th scope="col">"人数"</th>
                    {staff.then(|| view! { <th scope="col">"職員数"</th> })}
                    <th scope="col">"共通経費の負担"</th>
                    <th scope="col">"単価(1人あたり)"</th>
                    <th scope="col">"受講者経費(単価×人数)"</th>
                    <th scope="col">"負担額"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.label}</th>
                            <td class="num">{r.headcount}</td>
                            {staff.then(|| view! { <td class="num">{r.staff.unwrap_or(0)}</td> })}
                            <td class="num">{yen(r.shared)}</td>
                            <td class="num">{yen(unit_price(r.per_head, r.headcount))}</td>
                            <td class="num">{yen(r.per_head)}</td>
                            <td class="num">{yen(r.amount)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableBox>
    }
}

/// The price per participant behind a body's per-participant costs (which are
/// that price times its headcount, so the division is exact); 0 without anyone.
fn unit_price(per_head_costs: u64, headcount: u32) -> u64 {
    per_head_costs
        .checked_div(u64::from(headcount))
        .unwrap_or(0)
}

/// Yen with thousands separators: 「1,000,000円」.
pub(crate) fn yen(amount: u64) -> String {
    format!("{}円", crate::domain::text::thousands(amount))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_yen_with_thousands_separators() {
        assert_eq!(yen(1_000_000), "1,000,000円");
    }

    #[test]
    fn the_unit_price_is_the_per_participant_costs_over_the_headcount() {
        // 4 people at 2,000円 each: the town pays 8,000円 of per-participant costs.
        assert_eq!(unit_price(8_000, 4), 2_000);
        assert_eq!(unit_price(0, 0), 0);
    }
}
