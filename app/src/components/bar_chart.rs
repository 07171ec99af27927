//! A horizontal bar chart drawn on the server as SVG: readable without
//! JavaScript, printable, and described in words for screen readers (the figures
//! are also in the table beside every chart).

use leptos::prelude::*;

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What it is (「三宅町 DXアドバイザー」).
    pub label: String,
    /// Its length.
    pub value: f64,
    /// A limit drawn as a mark on the bar's row, if any.
    pub limit: Option<f64>,
    /// The value in words (「3回 / 5回」).
    pub text: String,
    /// Colour class (`bar--0` …), e.g. by programme.
    pub series: usize,
}

const ROW: f64 = 28.0;
const LABEL: f64 = 150.0;
const PLOT: f64 = 250.0;
const TEXT: f64 = 110.0;

fn fmt(x: f64) -> String {
    format!("{x:.1}")
}

/// The chart; `title` names it for assistive technology.
#[component]
pub fn BarChart(title: String, bars: Vec<Bar>) -> impl IntoView {
    let scale = bars
        .iter()
        .map(|b| b.value.max(b.limit.unwrap_or(0.0)))
        .fold(1.0_f64, f64::max);
    let height = ROW * bars.len().max(1) as f64 + 8.0;
    let width = LABEL + PLOT + TEXT;
    let summary = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.text))
        .collect::<Vec<_>>()
        .join("、");
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = ROW * i as f64 + 4.0;
            let length = (bar.value / scale * PLOT).max(if bar.value > 0.0 { 2.0 } else { 0.0 });
            let limit = bar.limit.map(|l| {
                let x = LABEL + l / scale * PLOT;
                view! {
                    <line class="bar-chart__limit" x1=fmt(x) x2=fmt(x) y1=fmt(y) y2=fmt(y + ROW - 8.0)/>
                }
            });
            view! {
                <g class=format!("bar-chart__row bar--{}", bar.series % 6)>
                    <text class="bar-chart__label" x=fmt(LABEL - 8.0) y=fmt(y + ROW / 2.0) text-anchor="end" dominant-baseline="middle">{bar.label.clone()}</text>
                    <rect class="bar-chart__bar" x=fmt(LABEL) y=fmt(y + 2.0) width=fmt(length) height=fmt(ROW - 12.0)/>
                    {limit}
                    <text class="bar-chart__value" x=fmt(LABEL + PLOT + 8.0) y=fmt(y + ROW / 2.0) dominant-baseline="middle">{bar.text.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="bar-chart">
            <svg viewBox=format!("0 0 {} {}", fmt(width), fmt(height)) role="img" aria-label=format!("{title}。{summary}")
                preserveAspectRatio="xMinYMin meet">
                <title>{title.clone()}</title>
                {rows}
            </svg>
            <figcaption>{title}</figcaption>
        </figure>
    }
}
