//! 「送り先」: all towns of the prefecture or a selection (お知らせ, 照会). Works
//! without JavaScript: a radio pair and checkboxes in a disclosure.

use leptos::prelude::*;

use super::form_fields::FormValues;

/// The radio pair (`to=all|some`) and a checkbox per town (`municipalities`).
pub fn recipient_fields(
    form: &FormValues,
    legend: &'static str,
    towns: &[(String, String)],
) -> impl IntoView + use<> {
    let choices = towns
        .iter()
        .map(|(code, name)| {
            let id = format!("to-{code}");
            let chosen = form.chosen("municipalities", code);
            view! {
                <div class="field field--check">
                    <input type="checkbox" id=id.clone() name="municipalities" value=code.clone() checked=chosen/>
                    <label for=id>{name.clone()}</label>
                </div>
            }
        })
        .collect_view();
    let some = form.value("to") == "some";
    let error = form.error("municipalities");
    let invalid = error.is_some();
    view! {
        <fieldset class="choices" class:field--invalid=invalid>
            <legend>{legend}</legend>
            <div class="field field--check">
                <input type="radio" id="to-all" name="to" value="all" checked=!some/>
                <label for="to-all">"県内の全市町村"</label>
            </div>
            <div class="field field--check">
                <input type="radio" id="to-some" name="to" value="some" checked=some/>
                <label for="to-some">"選んだ市町村"</label>
            </div>
            {error.map(|m| view! { <p class="field-error">{m}</p> })}
        </fieldset>
        <details class="town-choices" open=some>
            <summary>"市町村を選ぶ"</summary>
            <div class="choices-grid">{choices}</div>
        </details>
    }
}
