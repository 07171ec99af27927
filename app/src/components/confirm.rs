//! The tick before an action that cannot be undone.

use leptos::prelude::*;

use crate::api::flash::CONFIRMED;

/// A box the person ticks before a form stops an account or fixes a result for
/// good: the browser requires it, and so does the server (a form sent without it
/// changes nothing and says why).
#[component]
pub fn ConfirmCheck(
    /// Element id, unique on the page.
    #[prop(into)]
    id: String,
    /// What the person confirms, in a sentence.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let for_id = id.clone();
    view! {
        <p class="confirm-check">
            <input type="checkbox" id=id name="confirm" value=CONFIRMED required/>
            <label for=for_id>{label}</label>
        </p>
    }
}
