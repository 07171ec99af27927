//! `/advisors/match`: a municipality describes its need and gets the bank's
//! advisors ranked, each with the reasons it fits. A plain GET form, so the
//! request lives in the URL and works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::advisors::{MatchFormChoices, MatchRequest, MatchResponse};
use crate::calls::advisors::{match_advisors, match_choices};
use crate::components::load_error::LoadError;
use crate::domain::advisor::Mode;

/// The match page.
#[component]
pub fn MatchPage() -> impl IntoView {
    let query = use_query_map();
    let request = Memo::new(move |_| {
        let q = query.read();
        let get = |name: &str| q.get(name).filter(|v| !v.trim().is_empty());
        MatchRequest {
            need: get("need").unwrap_or_default(),
            municipality: get("municipality").unwrap_or_default(),
            mode: get("mode"),
            from: get("from"),
            to: get("to"),
            programme: get("programme"),
        }
    });
    let choices = Resource::new(|| (), |()| match_choices());
    let session = crate::components::session::use_session();
    let results = Resource::new(
        move || request.get(),
        |request| async move {
            if request.municipality.is_empty() || request.need.trim().is_empty() {
                None
            } else {
                Some(match_advisors(request).await)
            }
        },
    );
    view! {
        <Title text="課題に合うアドバイザーを探す"/>
        <div class="page">
            <h1>"課題に合うアドバイザーを探す"</h1>
            <p class="lead">"困っていることと希望の時期を入力すると、人材バンクのアドバイザーを合う順に並べ、その理由を示します。"</p>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let choices = choices.await;
                    let results = results.await;
                    // A town's staff may ask the 県 to send the advisor.
                    let can_request = session.await.ok().and_then(|s| s.actor)
                        .is_some_and(|a| a.role == crate::domain::account::Role::MuniStaff);
                    let ask = can_request.then(|| request.get_untracked());
                    let request = request.get_untracked();
                    let asked_without_need = query.read_untracked().get("need").is_some()
                        && request.need.trim().is_empty();
                    match choices {
                        Ok(choices) => view! {
                            <MatchForm choices request/>
                            {asked_without_need.then(|| view! {
                                <p class="notice" role="status">"困っていること・相談したいことを入力してください。"</p>
                            })}
                            {results.map(|r| match r {
                                Ok(response) => view! { <MatchResults response ask/> }.into_any(),
                                Err(error) => view! { <LoadError error/> }.into_any(),
                            })}
                        }
                        .into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn MatchForm(choices: MatchFormChoices, request: MatchRequest) -> impl IntoView {
    let chosen_town = if request.municipality.is_empty() {
        choices
            .municipalities
            .first()
            .map(|c| c.value.clone())
            .unwrap_or_default()
    } else {
        request.municipality.clone()
    };
    let mode = request.mode.clone().unwrap_or_default();
    let programme = request.programme.clone().unwrap_or_default();
    let month = |value: &Option<String>| {
        value
            .as_deref()
            .map(|v| v.chars().take(7).collect::<String>())
            .unwrap_or_default()
    };
    view! {
        <form method="get" action="/advisors/match" class="filters" role="search" aria-label="アドバイザーの検索条件">
            <div class="field field--wide">
                <label for="match-need">"困っていること・相談したいこと"</label>
                <input id="match-need" name="need" type="search" maxlength="200"
                    placeholder="例: 窓口のセキュリティ対策" value=request.need.clone()/>
            </div>
            <div class="field">
                <label for="match-municipality">"依頼する市町村"</label>
                <select id="match-municipality" name="municipality">
                    {choices.municipalities.into_iter().map(|c| {
                        let selected = c.value == chosen_town;
                        view! { <option value=c.value selected=selected>{c.label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="match-mode">"対応方法"</label>
                <select id="match-mode" name="mode">
                    <option value="" selected=mode.is_empty()>"指定なし"</option>
                    {Mode::ALL.into_iter().map(|m| {
                        let selected = mode == m.as_str();
                        view! { <option value=m.as_str() selected=selected>{m.label()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="match-from">"希望時期(から)"</label>
                <input id="match-from" name="from" type="month" value=month(&request.from)/>
            </div>
            <div class="field">
                <label for="match-to">"希望時期(まで)"</label>
                <input id="match-to" name="to" type="month" value=month(&request.to)/>
            </div>
            <div class="field">
                <label for="match-programme">"利用する制度"</label>
                <select id="match-programme" name="programme">
                    <option value="" selected=programme.is_empty()>"指定なし"</option>
                    {choices.programmes.into_iter().map(|c| {
                        let selected = c.value == programme;
                        view! { <option value=c.value selected=selected>{c.label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="actions">
                <button type="submit">"探す"</button>
            </div>
        </form>
    }
}

#[component]
fn MatchResults(response: MatchResponse, ask: Option<MatchRequest>) -> impl IntoView {
    if response.items.is_empty() {
        return view! {
            <p class="result-count" role="status">"条件に合うアドバイザーはいませんでした。言葉や時期を変えてお試しください。"</p>
        }
        .into_any();
    }
    let count = response.items.len();
    let items = response
        .items
        .into_iter()
        .enumerate()
        .map(|(rank, item)| {
            let reasons = item
                .reasons
                .into_iter()
                .map(|r| view! { <li>{r.label}</li> })
                .collect_view();
            let percent = format!("適合度 {:.0}%", item.score * 100.0);
            let request_link = ask.as_ref().map(|ask| {
                let mut href = format!(
                    "/dispatches/new?advisor={}&need={}",
                    item.id,
                    crate::domain::case_query::percent_encode(&ask.need)
                );
                if let Some(mode) = &ask.mode {
                    href.push_str(&format!(
                        "&mode={}",
                        crate::domain::case_query::percent_encode(mode)
                    ));
                }
                view! { <p><a href=href class="button-link">"この人に派遣を依頼"</a></p> }
            });
            view! {
                <li class="case-item match-item">
                    <article>
                        <h3 class="case-item__title">
                            <span class="match-item__rank">{format!("{}位", rank + 1)}</span>
                            <a href=format!("/advisors/{}", item.id)>{item.name}</a>
                        </h3>
                        <p class="case-item__meta">{format!("{} / {percent}", item.affiliation)}</p>
                        <h4 class="match-item__why">"合う理由"</h4>
                        <ul class="match-item__reasons">{reasons}</ul>
                        {request_link}
                    </article>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="match-results-heading">
            <h2 id="match-results-heading">"合うアドバイザー"</h2>
            <p class="result-count" role="status">{format!("合う順に {count} 人")}</p>
            <ol class="case-list">{items}</ol>
        </section>
    }
    .into_any()
}
