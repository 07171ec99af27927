//! `/trainings/new` and `/trainings/{id}/edit`: the course form. It posts without
//! JavaScript; with it, the split preview is worked out again in the browser on
//! every keystroke, by the same pure functions the server uses.

use crate::domain::ids::CourseId;
use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::{ShareRow, share_table, yen};
use crate::api::advisors::Choice;
use crate::api::trainings::CourseFormContext;
use crate::calls::trainings::{course_edit_form, course_form};
use crate::components::form_fields::{
    FormValues, check_field, number_field, select_field, text_area, text_field,
};
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, use_form_state};
use crate::domain::training::form::{
    ACTUAL_ORGANISER, ACTUAL_ORGANISER_NAME, COST_ROWS, SESSION_ROWS, TRIAL_DEFAULTS, TRIAL_ROWS,
    Trial, actual_fields, row_field, trial_split,
};
use crate::domain::training::input::FieldError;

/// The course form (県 or a lead municipality).
#[component]
pub fn NewTrainingPage() -> impl IntoView {
    let context = Resource::new(|| (), |()| course_form());
    let form = use_form_state();
    view! {
        <Title text="共同研修を登録"/>
        <div class="page page--narrow">
            <nav class="breadcrumb" aria-label="現在位置">
                <ol>
                    <li><A href="/">"ホーム"</A></li>
                    <li><A href="/trainings">"共同研修"</A></li>
                    <li aria-current="page">"研修を登録"</li>
                </ol>
            </nav>
            <h1>"共同研修を登録"</h1>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = context.await;
                    let (flash, token) = form.load().await;
                    match result {
                        Ok(context) => {
                            let values = FormValues::new(defaults(), BTreeMap::new(), &flash);
                            let action = "/trainings/new".to_owned();
                            view! { <CourseFormView context values token action submit="下書きとして登録" real=false/> }.into_any()
                        }
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The form of a stored course (its organiser, until the split is confirmed).
#[component]
pub fn EditTrainingPage() -> impl IntoView {
    let id = crate::pages::use_id_param::<CourseId>();
    let course = Resource::new(id, course_edit_form);
    let form = use_form_state();
    view! {
        <div class="page page--narrow">
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = course.await;
                    let (flash, token) = form.load().await;
                    match result {
                        Ok(edit) => {
                            let mut stored = defaults();
                            stored.extend(edit.values);
                            let real = !edit.bodies.is_empty();
                            if real {
                                stored.extend(actual_fields(
                                    &edit.context.organiser,
                                    &edit.context.organiser_name,
                                    &edit.bodies,
                                ));
                            }
                            let values = FormValues::new(stored, BTreeMap::new(), &flash);
                            let action = format!("/trainings/{}/edit", edit.id);
                            let heading = format!("{} を変更", edit.title);
                            let course_link = format!("/trainings/{}", edit.id);
                            view! {
                                <Title text=heading.clone()/>
                                <nav class="breadcrumb" aria-label="現在位置">
                                    <ol>
                                        <li><A href="/">"ホーム"</A></li>
                                        <li><A href="/trainings">"共同研修"</A></li>
                                        <li><A href=course_link>{edit.title}</A></li>
                                        <li aria-current="page">"変更"</li>
                                    </ol>
                                </nav>
                                <h1>{heading}</h1>
                                <CourseFormView context=edit.context values token action submit="変更を保存" real/>
                            }
                            .into_any()
                        }
                        Err(error) => view! {
                            <Title text="研修の変更"/>
                            <h1>"研修の変更"</h1>
                            <LoadError error/>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// What a blank form starts with.
fn defaults() -> BTreeMap<String, String> {
    let mut values = BTreeMap::from([
        ("split.method".to_owned(), "headcount".to_owned()),
        ("split.basis".to_owned(), "enrolled".to_owned()),
        ("split.remainder".to_owned(), "largest_remainder".to_owned()),
        ("trial.organiser".to_owned(), "0".to_owned()),
    ]);
    for row in 0..COST_ROWS {
        values.insert(row_field("costs", row, "kind"), "shared".to_owned());
    }
    for (row, (people, staff)) in TRIAL_DEFAULTS.into_iter().enumerate() {
        values.insert(row_field("trial", row, "headcount"), people.to_string());
        values.insert(row_field("trial", row, "staff"), staff.to_string());
    }
    values
}

fn choices(pairs: &[(&str, &str)]) -> Vec<Choice> {
    pairs
        .iter()
        .map(|(value, label)| Choice {
            value: (*value).to_owned(),
            label: (*label).to_owned(),
        })
        .collect()
}

fn session_rows(form: &FormValues) -> impl IntoView + use<> {
    (0..SESSION_ROWS)
        .map(|row| {
            let f = |name: &str| row_field("sessions", row, name);
            let legend = if row == 0 {
                "第1回(必須)".to_owned()
            } else {
                format!("第{}回", row + 1)
            };
            view! {
                <fieldset class="form-row">
                    <legend>{legend}</legend>
                    {text_field(form, &f("starts_at"), "開始日時", "datetime-local", false, 20)}
                    {text_field(form, &f("ends_at"), "終了日時", "datetime-local", false, 20)}
                    {text_field(form, &f("place"), "会場", "text", false, 200)}
                    {check_field(form, &f("online"), "オンライン開催")}
                    {text_field(form, &f("content"), "内容", "text", false, 500)}
                </fieldset>
            }
        })
        .collect_view()
}

fn cost_rows(form: &FormValues) -> impl IntoView + use<> {
    let kinds = choices(&[
        ("shared", "共通経費(団体間で按分)"),
        ("per_head", "受講者1人あたり"),
    ]);
    (0..COST_ROWS)
        .map(|row| {
            let f = |name: &str| row_field("costs", row, name);
            view! {
                <fieldset class="form-row">
                    <legend>{format!("費目{}", row + 1)}</legend>
                    {text_field(form, &f("label"), "費目名(講師謝金・旅費など)", "text", false, 100)}
                    {select_field(form, &f("kind"), "区分", &kinds, None)}
                    {number_field(form, &f("amount"), "金額(受講者1人あたりの費目は単価)", false, "円")}
                </fieldset>
            }
        })
        .collect_view()
}

fn split_fields(form: &FormValues) -> impl IntoView + use<> {
    let methods = choices(&[
        ("headcount", "参加人数で按分"),
        ("lead_pays_base", "共通経費は主催団体が負担"),
        ("formula", "均等割・人数割・職員数割の組み合わせ"),
    ]);
    let bases = choices(&[
        ("enrolled", "受講申込者数(受付終了時の暫定)"),
        ("attended", "出席者数(開催後の確定)"),
    ]);
    let remainders = choices(&[
        (
            "largest_remainder",
            "最大剰余法(同順位は団体コードの小さい団体)",
        ),
        ("organiser_bears", "1円未満切り捨て、残額は主催団体が負担"),
    ]);
    let weights_error = form.error("split.weights");
    let weights_invalid = weights_error.is_some();
    view! {
        <fieldset class="form-section">
            <legend>"負担の按分"</legend>
            <p class="field-hint">"受講者1人あたりの経費は、受講者の所属団体がそれぞれ負担します。共通経費の分け方を選んでください。"</p>
            {select_field(form, "split.method", "共通経費の按分方法", &methods, None)}
            <fieldset class="form-row" class:field--invalid=weights_invalid
                aria-describedby=weights_invalid.then_some("f-split.weights-error")>
                <legend>"組み合わせの割合(合計100%、組み合わせを選んだときだけ使います)"</legend>
                {number_field(form, "split.weights.flat", "均等割", false, "%")}
                {number_field(form, "split.weights.participants", "人数割", false, "%")}
                {number_field(form, "split.weights.staff", "職員数割", false, "%")}
                {weights_error.map(|m| view! { <p class="field-error" id="f-split.weights-error">{m}</p> })}
            </fieldset>
            {text_area(form, "split.staff", "職員数(職員数割を使うとき。1行に「団体コード 職員数」、例: 293628 120)", "参加する団体ごとに入力します", 2000)}
            {select_field(form, "split.basis", "按分の基礎となる人数", &bases, None)}
            {check_field(form, "split.include_organiser", "主催団体の受講者も按分の対象に含める(含めない場合、主催団体の受講者の経費は主催団体が負担)")}
            {select_field(form, "split.remainder", "1円未満の端数", &remainders, None)}
        </fieldset>
    }
}

fn trial_table(trial: Result<Trial, FieldError>) -> AnyView {
    match trial {
        Ok(trial) => {
            let rows = trial
                .lines
                .into_iter()
                .map(|l| ShareRow {
                    label: l.label,
                    headcount: l.headcount,
                    staff: None,
                    shared: l.shared,
                    per_head: l.per_head,
                    amount: l.amount,
                })
                .collect();
            share_table(Some(format!("試算の総額 {}", yen(trial.total))), rows).into_any()
        }
        Err(error) => view! {
            <p class="trial__problem">{format!("試算できません: {}", error.message)}</p>
        }
        .into_any(),
    }
}

fn trial_fields(form: &FormValues) -> impl IntoView + use<> {
    let rows = (0..TRIAL_ROWS)
        .map(|row| {
            let letter = char::from(b'A' + u8::try_from(row).unwrap_or(0));
            let f = |name: &str| row_field("trial", row, name);
            view! {
                <fieldset class="form-row">
                    <legend>{format!("参加団体{letter}")}</legend>
                    {number_field(form, &f("headcount"), "受講者数", false, "人")}
                    {number_field(form, &f("staff"), "職員数", false, "人")}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        {number_field(form, "trial.organiser", "主催団体の受講者数", false, "人")}
        {rows}
    }
}

/// The course's real bodies as hidden fields the preview reads.
fn hidden_actual(form: &FormValues) -> impl IntoView + use<> {
    let mut names = vec![
        ACTUAL_ORGANISER.to_owned(),
        ACTUAL_ORGANISER_NAME.to_owned(),
    ];
    for row in 0.. {
        let code = row_field("actual", row, "code");
        if form.value(&code).is_empty() {
            break;
        }
        names.push(code);
        for part in ["name", "enrolled", "attended"] {
            names.push(row_field("actual", row, part));
        }
    }
    names
        .into_iter()
        .map(|name| {
            let value = form.value(&name);
            view! { <input type="hidden" name=name value=value/> }
        })
        .collect_view()
}

/// The split preview: worked out by the server for the figures the form was drawn
/// with, then again in the browser whenever a field of its form changes. An island:
/// the only part of the page that ships code to the browser.
#[island]
fn TrialPreview(initial: Result<Trial, FieldError>) -> impl IntoView {
    let trial = RwSignal::new(initial);
    let live = RwSignal::new(false);
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let recompute = move |event: leptos::ev::Event| {
            if let Some(next) = preview_from(&event, node) {
                // A change event can still arrive while the page is being left.
                trial.try_set(next);
            }
        };
        let input = window_event_listener(leptos::ev::input, recompute);
        let change = window_event_listener(leptos::ev::change, recompute);
        on_cleanup(move || {
            input.remove();
            change.remove();
        });
        live.set(true);
    });
    view! {
        <div id="trial-result" aria-live="polite" node_ref=node data-live=move || live.get().then_some("true")>
            {move || trial.try_get().map(trial_table)}
        </div>
    }
}

/// Works the preview out again from the form of `preview`, when `event` came from
/// a field of that form (in the browser).
fn preview_from(
    event: &leptos::ev::Event,
    preview: NodeRef<leptos::html::Div>,
) -> Option<Result<Trial, FieldError>> {
    use leptos::wasm_bindgen::JsCast;
    let own = preview.get_untracked()?.closest("form").ok()??;
    let field = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let form = field.closest("form").ok()??;
    if form != own {
        return None;
    }
    let form = form.dyn_into::<web_sys::HtmlFormElement>().ok()?;
    let data = web_sys::FormData::new_with_form(&form).ok()?;
    let get = move |name: &str| data.get(name).as_string();
    Some(trial_split(&get))
}

#[component]
fn CourseFormView(
    context: CourseFormContext,
    values: FormValues,
    token: String,
    action: String,
    submit: &'static str,
    /// The preview splits among the course's real bodies, not examples.
    real: bool,
) -> impl IntoView {
    let form = &values;
    let lookup = |name: &str| Some(values.value(name)).filter(|v| !v.is_empty());
    let trial = trial_split(&lookup);
    view! {
        <p>{format!("主催: {}", context.organiser_name)}</p>
        <p class="field-hint">"新しい研修は下書きとして登録され、申込受付を開始するまで市町村には表示されません。空欄の日程・費目の行は無視されます。"</p>
        <form method="post" action=action class="form">
            <CsrfField token/>
            // The version a stored course's form was filled from: saving over a
            // newer one is refused.
            {Some(form.value("version")).filter(|v| !v.is_empty()).map(|v| view! { <input type="hidden" name="version" value=v/> })}
            <fieldset class="form-section">
                <legend>"研修の概要"</legend>
                {text_field(form, "title", "研修名", "text", true, 200)}
                {text_field(form, "target", "対象(人材像・レベル)", "text", false, 200)}
                {text_area(form, "description", "内容", "研修の目的や内容", 5000)}
                {number_field(form, "capacity", "定員", true, "人")}
                {text_field(form, "enrol_until", "申込期限", "date", false, 10)}
                {text_field(form, "cancel_until", "取消期限(これ以降の取消は主催団体が行います)", "date", false, 10)}
            </fieldset>
            <fieldset class="form-section">
                <legend>"日程"</legend>
                <p class="field-hint">"会場を入力するか、オンライン開催にしてください。"</p>
                {session_rows(form)}
            </fieldset>
            // The costs and how they are split, with the preview that depends on
            // them beside (wide screens) or right after them (narrow ones).
            <div class="cost-split">
            <div class="cost-split__inputs">
            <fieldset class="form-section">
                <legend>"経費"</legend>
                <p class="field-hint">"金額は円単位の整数で入力します(全角数字・カンマも使えます)。"</p>
                {cost_rows(form)}
            </fieldset>
            {split_fields(form)}
            </div>
            <section class="form-section cost-split__trial" aria-labelledby="trial-heading">
                <h2 id="trial-heading">"按分の試算"</h2>
                {if real {
                    view! {
                        <p class="field-hint">"いまの受講決定者で、入力中の経費と按分方法による負担額を計算します(按分の基礎を出席者数にすると出席者で計算します)。JavaScript が有効なら入力するたびに計算し直します。"</p>
                        {hidden_actual(form)}
                    }
                    .into_any()
                } else {
                    view! {
                        <p class="field-hint">"例の団体で、入力中の経費と按分方法による負担額を計算します。JavaScript が有効なら入力するたびに計算し直します。無効のときは登録後の研修ページで申込に基づく負担額を確認できます。"</p>
                        {trial_fields(form)}
                    }
                    .into_any()
                }}
                <TrialPreview initial=trial/>
            </section>
            </div>
            <p><button type="submit">{submit}</button></p>
        </form>
    }
}
