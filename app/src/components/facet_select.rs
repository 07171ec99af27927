//! A labelled `<select>` for one filter, with counts.

use leptos::prelude::*;

use crate::api::cases::FacetValue;

/// A filter drop-down. The empty option means "no filter".
#[component]
pub fn FacetSelect(
    /// Query parameter name, also the element id.
    name: &'static str,
    /// Visible label.
    label: &'static str,
    /// Choices with counts.
    values: Vec<FacetValue>,
    /// Currently chosen value, if any.
    selected: Option<String>,
) -> impl IntoView {
    let id = format!("filter-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="" selected=selected.is_none()>"すべて"</option>
                {values
                    .into_iter()
                    .map(|v| {
                        let is_selected = selected.as_deref() == Some(v.value.as_str());
                        let text = format!("{} ({})", v.label, v.count);
                        view! { <option value=v.value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
