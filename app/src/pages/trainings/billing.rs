//! The organiser's form for what the 負担金 notices say besides the amounts.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::api::trainings::BillingView;
use crate::components::form_fields::{FormValues, text_area, text_field};
use crate::components::session::CsrfField;
use crate::domain::ids::CourseId;
use crate::domain::training::billing::ACCOUNT_MAX_CHARS;

/// Issuer, contact, payment deadline and account, as stored or as last typed.
#[component]
pub fn BillingForm(
    id: CourseId,
    billing: Option<BillingView>,
    values: FormValues,
    token: String,
) -> impl IntoView {
    let stored = billing
        .map(|b| {
            BTreeMap::from([
                ("issuer".to_owned(), b.issuer),
                ("contact".to_owned(), b.contact),
                (
                    "payment_due".to_owned(),
                    b.payment_due.map(|d| d.to_string()).unwrap_or_default(),
                ),
                ("payment_account".to_owned(), b.payment_account),
            ])
        })
        .unwrap_or_default();
    let form = values.with_stored(stored);
    view! {
        <section aria-labelledby="training-billing">
            <h2 id="training-billing">"負担金のお知らせに載せる事項"</h2>
            <form method="post" action=format!("/trainings/{id}/billing") class="form-card">
                <CsrfField token/>
                {text_field(&form, "issuer", "発行部署(例: 奈良県 総務部 デジタル戦略課)", "text", true, 100)}
                {text_field(&form, "contact", "問い合わせ先(電話・メール)", "text", false, 200)}
                {text_field(&form, "payment_due", "納付期限", "date", false, 10)}
                {text_area(&form, "payment_account", "振込先", "金融機関・支店・口座種別・口座番号・名義を行ごとに", ACCOUNT_MAX_CHARS)}
                <div class="actions"><button type="submit" class="button-secondary">"保存する"</button></div>
            </form>
        </section>
    }
}
