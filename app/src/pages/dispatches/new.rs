//! `/dispatches/new`: a town's request. The town sees what is left of each
//! programme this 年度 before it sends; advisors picked on the match page come
//! with it (`?advisor=3&need=…`).

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::{QuotaSection, remaining_text};
use crate::api::advisors::Choice;
use crate::api::dispatches::DispatchFormContext;
use crate::calls::dispatches::load_request_form;
use crate::components::form_fields::{FormValues, select_field, text_area, text_field};
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, use_form_state};
use crate::domain::dispatch::input::MAX_NEED;
use crate::domain::dispatch::{AdviceType, DispatchMode};

/// The request form.
#[component]
pub fn NewDispatchPage() -> impl IntoView {
    let query = use_query_map();
    let picked = Memo::new(move |_| {
        query
            .read()
            .get_all("advisor")
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.parse::<i32>().ok())
            .collect::<Vec<_>>()
    });
    let context = Resource::new(move || picked.get(), load_request_form);
    let form = use_form_state();
    view! {
        <Title text="派遣を依頼する"/>
        <div class="page page--narrow">
            <nav class="breadcrumb" aria-label="現在位置">
                <ol>
                    <li><A href="/">"ホーム"</A></li>
                    <li><A href="/dispatches">"アドバイザー派遣"</A></li>
                    <li aria-current="page">"派遣を依頼する"</li>
                </ol>
            </nav>
            <h1>"派遣を依頼する"</h1>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = context.await;
                    let (flash, token) = form.load().await;
                    let q = query.read_untracked();
                    let mut defaults = BTreeMap::from([
                        ("advice_type".to_owned(), "issue".to_owned()),
                        ("mode".to_owned(), q.get("mode").unwrap_or_else(|| "onsite".into())),
                        ("hours".to_owned(), "2".to_owned()),
                    ]);
                    if let Some(need) = q.get("need") {
                        defaults.insert("need".into(), need);
                    }
                    match result {
                        Ok(context) => {
                            let values = FormValues::new(defaults, BTreeMap::new(), &flash);
                            view! { <RequestForm context values token/> }.into_any()
                        }
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

fn choices<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|t| Choice {
            value: value(*t).to_owned(),
            label: label(*t).to_owned(),
        })
        .collect()
}

#[component]
fn RequestForm(context: DispatchFormContext, values: FormValues, token: String) -> impl IntoView {
    let programmes: Vec<Choice> = context
        .programmes
        .iter()
        .map(|p| {
            let left = context
                .quota
                .programmes
                .iter()
                .find(|q| q.id == p.id)
                .map(|q| remaining_text(&q.remaining))
                .unwrap_or_default();
            Choice {
                value: p.id.to_string(),
                label: format!("{}({left})", p.name),
            }
        })
        .collect();
    let wished_list = context.wished.clone();
    let wished = (!wished_list.is_empty()).then(move || {
        let names = wished_list
            .into_iter()
            .map(|a| view! {
                <li>
                    <input type="hidden" name="advisors" value=a.id.to_string()/>
                    <A href=format!("/advisors/{}", a.id)>{a.name.clone()}</A>
                </li>
            })
            .collect_view();
        view! {
            <section class="field field--wide" aria-labelledby="wished-heading">
                <h2 id="wished-heading">"希望するアドバイザー"</h2>
                <ul>{names}</ul>
                <p class="field-hint">"県が空き状況を確かめて提案します。ほかのアドバイザーになることもあります。"</p>
            </section>
        }
    });
    view! {
        <QuotaSection quota=context.quota.clone()/>
        <form method="post" action="/dispatches/new" class="stacked-form">
            <CsrfField token/>
            {select_field(&values, "programme", "派遣制度", &programmes, None)}
            {select_field(&values, "advice_type", "相談の種類", &choices(&AdviceType::ALL, AdviceType::as_str, AdviceType::label), None)}
            {select_field(&values, "mode", "方法", &choices(&DispatchMode::ALL, DispatchMode::as_str, DispatchMode::label), None)}
            {text_area(&values, "need", "相談したいこと", "困っていること、目指していること、これまでの取組を書いてください", MAX_NEED)}
            {text_field(&values, "hours", "希望する時間(1回あたり、時間)", "text", true, 6)}
            {text_field(&values, "preferred_from", "希望時期(から)", "date", false, 10)}
            {text_field(&values, "preferred_to", "希望時期(まで)", "date", false, 10)}
            {wished}
            <div class="actions"><button type="submit">"県に依頼する"</button></div>
        </form>
    }
}
