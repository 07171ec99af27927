//! `/trainings`: the catalogue of joint trainings.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::trainings::TrainingSummary;
use crate::calls::trainings::list_trainings;
use crate::components::load_error::LoadError;
use crate::components::session::use_session;
use crate::components::table_box::TableBox;
use crate::domain::account::Role;
use crate::domain::calendar::{japanese_date, japanese_datetime};

/// The catalogue: upcoming courses first, each with its seats left.
#[component]
pub fn TrainingListPage() -> impl IntoView {
    let courses = Resource::new(|| (), |()| list_trainings());
    let session = use_session();
    view! {
        <Title text="共同研修"/>
        <div class="page page--trainings">
            <h1>"共同研修"</h1>
            <p class="lead">
                "県と市町村が共同で開く研修です。費用は受講人数などに応じて参加団体で分担します。"
            </p>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = courses.await;
                    // The prefecture's staff and a town's staff may organise a course.
                    let organises = session.await.ok().and_then(|s| s.actor).is_some_and(|a| {
                        matches!(a.role, Role::PrefAdmin | Role::PrefStaff | Role::MuniStaff)
                    });
                    let new_link = organises.then(|| view! {
                        <p><A href="/trainings/new" attr:class="button-link">"研修を登録する"</A></p>
                    });
                    let body = match result {
                        Ok(list) if list.is_empty() => {
                            view! { <p>"受付中の研修はありません。"</p> }.into_any()
                        }
                        Ok(list) => view! { <Catalogue list/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    };
                    view! { {new_link}{body} }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Catalogue(list: Vec<TrainingSummary>) -> impl IntoView {
    view! {
        <TableBox label="共同研修の一覧">
            <table class="data-table trainings">
                <caption class="visually-hidden">"共同研修の一覧"</caption>
                <thead>
                    <tr>
                        <th scope="col">"研修名"</th>
                        <th scope="col">"主催"</th>
                        <th scope="col">"初回"</th>
                        <th scope="col">"残席"</th>
                        <th scope="col">"申込期限"</th>
                        <th scope="col">"状態"</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|t| {
                            let seats = format!("{} / {}席", t.seats_left(), t.capacity);
                            let waiting = (t.waitlisted > 0)
                                .then(|| format!("(キャンセル待ち{}人)", t.waitlisted));
                            view! {
                                <tr>
                                    <td>
                                        <A href=format!("/trainings/{}", t.id)>{t.title.clone()}</A>
                                        {(!t.target.is_empty()).then(|| view! { <br/><span class="help">{format!("対象: {}", t.target)}</span> })}
                                    </td>
                                    <td>{t.organiser_name.clone()}</td>
                                    <td>
                                        {t.first_session.map(japanese_datetime).unwrap_or_default()}
                                        {(t.sessions > 1).then(|| format!("(全{}回)", t.sessions))}
                                    </td>
                                    <td>{seats}{waiting}</td>
                                    <td>{t.enrol_until.map(japanese_date).unwrap_or_else(|| "—".into())}</td>
                                    <td><span class=format!("badge badge--{}", t.status.as_str())>{t.status_label.clone()}</span></td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableBox>
    }
}
