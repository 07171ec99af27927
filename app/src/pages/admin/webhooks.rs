//! `/admin/webhooks`: where the prefecture's events are posted (LoGoチャット,
//! Slack, Teams through a Slack-compatible URL, or a program taking signed
//! JSON), how each delivery went, and 「再送」 for those that gave up.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::advisors::Choice;
use crate::api::flash::Flash;
use crate::api::webhooks::{DeliveryList, WebhookPage};
use crate::calls::webhooks::load_webhooks;
use crate::components::form_fields::{FormValues, checkbox_group, text_field};
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, use_form_state};
use crate::components::table_box::TableBox;
use crate::domain::webhook::{SECRET_MAX, URL_MAX};

/// The page.
#[component]
pub fn WebhooksPage() -> impl IntoView {
    let page = Resource::new(|| (), |()| load_webhooks());
    let form = use_form_state();
    view! {
        <Title text="Webhook(外部への通知)"/>
        <div class="page">
            <h1>"Webhook(外部への通知)"</h1>
            <p class="lead">"ポータルでの出来事を、職員が使っているチャットツールなどに送ります。送信は裏側で行い、失敗しても時間をおいて再試行します。"</p>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = page.await;
                    let (flash, token) = form.load().await;
                    match result {
                        Ok(page) => view! { <Webhooks page flash token/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

fn state_label(state: &str) -> &'static str {
    match state {
        "delivered" => "送信済み",
        "dead" => "失敗(再送待ち)",
        _ => "送信待ち",
    }
}

/// One webhook: what it sends, its latest deliveries, resend and delete.
fn hook_view(hook: DeliveryList, token: &str) -> impl IntoView + use<> {
    let w = hook.webhook;
    let rows = hook
        .items
        .into_iter()
        .map(|d| {
            let resend = (d.state != "pending").then(|| {
                view! {
                    <form method="post" action=format!("/webhook-deliveries/{}/resend", d.id) class="inline-form">
                        <CsrfField token=token.to_owned()/>
                        <button type="submit" class="button--small">"再送"</button>
                    </form>
                }
            });
            let result = match (d.last_status, d.last_error) {
                (_, Some(error)) => error,
                (Some(status), None) => format!("HTTP {status}"),
                (None, None) => String::new(),
            };
            view! {
                <tr>
                    <td>{d.created_at}</td>
                    <td>{d.event}</td>
                    <td>{state_label(&d.state)}</td>
                    <td class="num">{d.attempts}</td>
                    <td>{result}</td>
                    <td>{resend}</td>
                </tr>
            }
        })
        .collect_view();
    let format = if w.format == "json" {
        if w.has_secret {
            "JSON(署名あり)"
        } else {
            "JSON(署名なし)"
        }
    } else {
        "Slack 互換 {\"text\"}"
    };
    view! {
        <section class="form-section" aria-labelledby=format!("hook-{}", w.id)>
            <h2 id=format!("hook-{}", w.id) class="webhook-url">{w.url.clone()}</h2>
            <p class="help">{format!("{format}・{}・登録 {}", w.events.join("、"), w.created_at)}</p>
            <p>{format!("送信済み {}・送信待ち {}・失敗 {}", w.delivered, w.pending, w.dead)}</p>
            <TableBox label="最近の送信">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"日時"</th>
                        <th scope="col">"出来事"</th>
                        <th scope="col">"状態"</th>
                        <th scope="col" class="num">"試行"</th>
                        <th scope="col">"結果"</th>
                        <th scope="col">"操作"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableBox>
            <form method="post" action=format!("/admin/webhooks/{}/delete", w.id) class="inline-form">
                <CsrfField token=token.to_owned()/>
                <button type="submit" class="button--secondary">"この Webhook を削除"</button>
            </form>
        </section>
    }
}

#[component]
fn Webhooks(page: WebhookPage, flash: Flash, token: String) -> impl IntoView {
    let empty = page
        .recent
        .is_empty()
        .then(|| view! { <p>"登録された Webhook はありません。"</p> });
    let hooks = page
        .recent
        .into_iter()
        .map(|hook| hook_view(hook, &token))
        .collect_view();
    let events: Vec<Choice> = page
        .list
        .events
        .into_iter()
        .map(|(value, label)| Choice { value, label })
        .collect();
    let form = FormValues::new(
        BTreeMap::from([("format".to_owned(), "slack".to_owned())]),
        BTreeMap::new(),
        &flash,
    );
    let slack = form.value("format") != "json";
    view! {
        {empty}
        {hooks}
        <section class="form-section" aria-labelledby="new-hook">
            <h2 id="new-hook">"Webhook を登録する"</h2>
            <form method="post" action="/admin/webhooks" class="stacked-form">
                <CsrfField token=token.clone()/>
                {text_field(&form, "url", "送り先の URL", "url", true, URL_MAX)}
                <p class="field-hint">"組織内のアドレス(127.0.0.1、10.x、192.168.x など)には送れません。"</p>
                {checkbox_group(&form, "events", "送る出来事", &events)}
                <fieldset class="choices">
                    <legend>"形式"</legend>
                    <div class="field field--check">
                        <input type="radio" id="format-slack" name="format" value="slack" checked=slack/>
                        <label for="format-slack">"Slack 互換({\"text\": …}、LoGoチャットなど)"</label>
                    </div>
                    <div class="field field--check">
                        <input type="radio" id="format-json" name="format" value="json" checked=!slack/>
                        <label for="format-json">"JSON(X-Renkei-Signature に HMAC-SHA256 署名)"</label>
                    </div>
                </fieldset>
                {text_field(&form, "secret", "署名の鍵(JSON のとき、16文字以上)", "password", false, SECRET_MAX)}
                <div class="actions"><button type="submit">"登録する"</button></div>
            </form>
        </section>
    }
}
