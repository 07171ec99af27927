//! `/municipalities/{code}`: a municipality's page for its own staff and its
//! prefecture's office. Anyone else gets 403, whatever they type in the URL.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::home::MunicipalityPage as PageData;
use crate::calls::home::municipality_home;
use crate::components::accounts::AccountTable;
use crate::components::load_error::LoadError;

/// The route component.
#[component]
pub fn MunicipalityPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        municipality_home,
    );
    let form = crate::components::session::use_form_state();
    view! {
        <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                let result = page.await;
                let (_, token) = form.load().await;
                match result {
                    Ok(data) => view! { <MunicipalityPanel data token/> }.into_any(),
                    Err(error) => view! {
                        <Title text="市町村のページ"/>
                        <h1>"市町村のページ"</h1>
                        <LoadError error/>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// A municipality's page body, also the home page of its staff.
#[component]
pub fn MunicipalityPanel(data: PageData, #[prop(optional)] token: Option<String>) -> impl IntoView {
    let PageData {
        municipality,
        accounts,
        trainings,
        counterparts,
        contacts,
        can_log,
        events,
        notices,
        surveys,
        mentions,
    } = data;
    let marking = can_log.then(|| token.clone()).flatten();
    let log_form = can_log
        .then_some(token)
        .flatten()
        .map(|token| contact_form(municipality.code.to_string(), token));
    let title = format!("{}のホーム", municipality.name);
    view! {
        <Title text=title.clone()/>
        <div class="page">
            <h1>{title}</h1>
            <dl class="facts">
                <div><dt>"団体名"</dt><dd>{municipality.name.clone()}</dd></div>
                <div><dt>"よみ"</dt><dd>{municipality.kana.clone()}</dd></div>
                <div><dt>"団体コード"</dt><dd>{municipality.code.to_string()}</dd></div>
                <div><dt>"都道府県"</dt><dd>{municipality.prefecture.clone()}</dd></div>
                <div><dt>"地域"</dt><dd>{municipality.region.clone().unwrap_or_else(|| "未設定".into())}</dd></div>
            </dl>
            <UnreadNotices notices/>
            <OpenSurveys surveys/>
            <crate::components::mentions::Mentions mentions/>
            <Counterparts counterparts=*counterparts/>
            <section aria-labelledby="staff-heading">
                <h2 id="staff-heading">"この団体のアカウント"</h2>
                <AccountTable accounts link=false/>
            </section>
            <TownTrainings trainings/>
            <Contacts contacts events marking/>
            {log_form}
            <section aria-labelledby="next-heading">
                <h2 id="next-heading">"できること"</h2>
                <ul>
                    <li><a href=format!("/advisors/match?municipality={}", municipality.code)>"課題に合うアドバイザーを探す(デジタル人材バンク)"</a></li>
                    <li><a href="/advisors">"デジタル人材バンクを見る"</a></li>
                    <li><a href="/cases">"事例ライブラリで他団体の取組を探す"</a></li>
                </ul>
            </section>
        </div>
    }
}

/// The joint trainings the town has staff in: seats, waitlist, promotions and the
/// confirmed 負担金.
#[component]
fn TownTrainings(trainings: Vec<crate::api::trainings::TownTraining>) -> impl IntoView {
    let empty = trainings.is_empty();
    let items = trainings
        .into_iter()
        .map(|t| {
            let mut facts = vec![format!("受講決定{}人", t.enrolled)];
            if t.waitlisted > 0 {
                facts.push(format!("キャンセル待ち{}人", t.waitlisted));
            }
            let promoted = (!t.promoted.is_empty()).then(|| {
                format!(
                    "キャンセル待ちから繰り上がりました: {}",
                    t.promoted.join("、")
                )
            });
            let notice = t.amount.map(|amount| {
                view! {
                    " "
                    <a href=format!("/trainings/{}/notices", t.id)>
                        {format!("負担金 {}円のお知らせ", crate::domain::text::thousands(amount))}
                    </a>
                }
            });
            view! {
                <li>
                    <a href=format!("/trainings/{}", t.id)>{t.title}</a>
                    {format!("({}・{})", t.status_label, facts.join("・"))}
                    {notice}
                    {promoted.map(|p| view! { <p class="notice notice--success">{p}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="trainings-heading">
            <h2 id="trainings-heading">"共同研修"</h2>
            {empty.then(|| view! { <p>"申し込んでいる共同研修はありません。"</p> })}
            <ul class="town-trainings">{items}</ul>
            <p><a href="/trainings">"受付中の共同研修を見る"</a></p>
        </section>
    }
}

/// The 県's notices nobody of the town has confirmed yet.
#[component]
fn UnreadNotices(notices: Vec<crate::api::notices::NoticeSummary>) -> impl IntoView {
    (!notices.is_empty()).then(|| {
        let items = notices
            .into_iter()
            .map(|n| {
                view! {
                    <li>
                        <a href=format!("/notices/{}", n.id)>{n.title}</a>
                        {format!("({}・{})", n.sender, n.sent)}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="notice notice--warning" aria-labelledby="notices-heading">
                <h2 id="notices-heading">"県からのお知らせ(未確認)"</h2>
                <ul>{items}</ul>
            </section>
        }
    })
}

/// The 県's 照会 the town has yet to submit, the nearest deadline first.
#[component]
fn OpenSurveys(surveys: Vec<crate::api::surveys::SurveySummary>) -> impl IntoView {
    (!surveys.is_empty()).then(|| {
        let items = surveys
            .into_iter()
            .map(|s| {
                let state = crate::pages::surveys::status_text(&s);
                view! {
                    <li>
                        <a href=format!("/surveys/{}", s.id)>{s.title}</a>
                        {format!("(回答期限 {}・{state})", s.deadline)}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="notice notice--warning" aria-labelledby="surveys-heading">
                <h2 id="surveys-heading">"回答が必要な照会"</h2>
                <ul>{items}</ul>
            </section>
        }
    })
}

/// The town's contacts at the 県 (カウンターパート), with how to reach them.
#[component]
fn Counterparts(counterparts: crate::api::counterparts::CounterpartsView) -> impl IntoView {
    let person = |p: crate::api::counterparts::CounterpartPerson, role: &'static str| {
        view! {
            <li>
                <strong>{role}</strong>" "{p.name}" "
                <a href=format!("mailto:{}", p.email)>{p.email.clone()}</a>
            </li>
        }
    };
    let region = (counterparts.source == Some(crate::domain::counterpart::Source::Region))
        .then(|| view! { <p class="field-hint">"地域の担当者です。"</p> });
    let empty = counterparts.primary.is_none() && counterparts.secondary.is_empty();
    view! {
        <section aria-labelledby="counterpart-heading">
            <h2 id="counterpart-heading">"県の担当者(カウンターパート)"</h2>
            {if empty {
                view! { <p>"担当者はまだ決まっていません。"</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {counterparts.primary.map(|p| person(p, "主担当"))}
                        {counterparts.secondary.into_iter().map(|p| person(p, "副担当")).collect_view()}
                    </ul>
                    {region}
                }.into_any()
            }}
        </section>
    }
}

/// The town's timeline, newest first: the 県's contacts with their follow-ups,
/// its dispatches and its joint trainings.
#[component]
fn Contacts(
    contacts: Vec<crate::api::counterparts::ContactView>,
    events: Vec<crate::api::home::TownEvent>,
    /// The CSRF token, when the reader may mark follow-ups done (the 県).
    marking: Option<String>,
) -> impl IntoView {
    let mut entries: Vec<(chrono::NaiveDate, AnyView)> = events
        .into_iter()
        .map(|e| {
            let view = view! {
                <li class="timeline__event">
                    <strong>{format!("{} {}", crate::domain::calendar::japanese_date(e.date), e.kind_label)}</strong>
                    " "<a href=e.href>{e.text}</a>
                </li>
            }
            .into_any();
            (e.date, view)
        })
        .collect();
    entries.extend(
        contacts
            .into_iter()
            .map(|c| (c.date, contact_entry(c, marking.clone()))),
    );
    entries.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
    let empty = entries.is_empty();
    let items = entries.into_iter().map(|(_, view)| view).collect_view();
    view! {
        <section aria-labelledby="contacts-heading">
            <h2 id="contacts-heading">"伴走支援の記録(訪問・派遣・研修)"</h2>
            {empty.then(|| view! { <p>"まだ記録はありません。"</p> })}
            <ol class="timeline">{items}</ol>
        </section>
    }
}

/// One contact with its follow-ups.
fn contact_entry(c: crate::api::counterparts::ContactView, marking: Option<String>) -> AnyView {
    let follow_ups = c
        .follow_ups
        .into_iter()
        .map(|f| {
            let state = if f.done {
                "完了".to_owned()
            } else if f.overdue {
                "期限切れ".to_owned()
            } else {
                "未完了".to_owned()
            };
            let toggle = marking.clone().map(|token| {
                let (value, label) = if f.done { ("no", "未完了に戻す") } else { ("yes", "完了にする") };
                view! {
                    <form method="post" action=format!("/follow-ups/{}", f.id) class="inline-form">
                        <crate::components::session::CsrfField token/>
                        <input type="hidden" name="done" value=value/>
                        <button type="submit" class="button-small" aria-label=format!("{}: {label}", f.text)>{label}</button>
                    </form>
                }
            });
            view! {
                <li class:cell--warning=f.overdue>
                    {format!("{}(期限 {}・{}・{})", f.text, crate::domain::calendar::japanese_date(f.due), f.owner, state)}
                    " "{toggle}
                </li>
            }
        })
        .collect_view();
    view! {
        <li>
            <strong>{format!("{} {}", crate::domain::calendar::japanese_date(c.date), c.kind_label)}</strong>
            {c.internal.then_some("(県内部の記録)")}
            {format!("({})", c.author)}
            {(!c.participants.is_empty()).then(|| view! { <br/><span class="help">{format!("参加: {}", c.participants)}</span> })}
            {(!c.topics.is_empty()).then(|| view! { <br/><span class="help">{format!("話題: {}", c.topics.join("、"))}</span> })}
            {(!c.notes.is_empty()).then(|| view! { <p class="dispatch__need">{c.notes.clone()}</p> })}
            <ul>{follow_ups}</ul>
        </li>
    }
    .into_any()
}

/// The form a 県 counterpart records a contact with.
fn contact_form(code: String, token: String) -> impl IntoView {
    use crate::domain::counterpart::contact::ContactKind;
    let today = crate::domain::calendar::day_in_japan(chrono::Utc::now()).to_string();
    view! {
        <section class="form-section" aria-labelledby="log-heading">
            <h2 id="log-heading">"伴走支援を記録する"</h2>
            <form method="post" action=format!("/municipalities/{code}/contacts") class="stacked-form">
                <crate::components::session::CsrfField token/>
                <div class="field">
                    <label for="contact-kind">"種類"</label>
                    <select id="contact-kind" name="kind">
                        {ContactKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="contact-date">"日付"</label>
                    <input id="contact-date" name="date" type="date" value=today required=true/>
                </div>
                <div class="field field--wide">
                    <label for="contact-participants">"参加者(県・市町村)"</label>
                    <input id="contact-participants" name="participants" type="text" maxlength="500"/>
                </div>
                <div class="field field--wide">
                    <label for="contact-topics">"話題(読点またはカンマ区切り)"</label>
                    <input id="contact-topics" name="topics" type="text" maxlength="300"/>
                </div>
                <div class="field field--wide">
                    <label for="contact-notes">"記録"</label>
                    <textarea id="contact-notes" name="notes" rows="4" maxlength="5000"></textarea>
                </div>
                <div class="field field--check">
                    <input id="contact-internal" name="internal" type="checkbox" value="on"/>
                    <label for="contact-internal">"県内部の記録にする(市町村には表示しない)"</label>
                </div>
                <fieldset class="choices field--wide">
                    <legend>"フォローアップ(任意)"</legend>
                    <div class="field field--wide">
                        <label for="follow-text">"やること"</label>
                        <input id="follow-text" name="follow_up_text" type="text" maxlength="500"/>
                    </div>
                    <div class="field">
                        <label for="follow-due">"期限"</label>
                        <input id="follow-due" name="follow_up_due" type="date"/>
                    </div>
                </fieldset>
                <div class="actions"><button type="submit">"記録する"</button></div>
            </form>
        </section>
    }
}
