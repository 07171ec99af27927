//! Labelled form controls that show the error of the last post next to the field
//! it belongs to (and link it with `aria-describedby`).

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::api::advisors::Choice;
use crate::api::flash::Flash;

/// What a form shows: stored values, replaced by what was typed when the last post
/// of this form was refused, and that post's error.
#[derive(Debug, Clone, Default)]
pub struct FormValues {
    values: BTreeMap<String, String>,
    lists: BTreeMap<String, Vec<String>>,
    errors: Vec<(String, String)>,
}

impl FormValues {
    /// The stored values, overlaid with a refused post's values and error.
    pub fn new(
        mut values: BTreeMap<String, String>,
        mut lists: BTreeMap<String, Vec<String>>,
        flash: &Flash,
    ) -> Self {
        let mut errors = Vec::new();
        if !flash.success && !flash.message.is_empty() {
            values.extend(flash.values.clone());
            lists.extend(flash.lists.clone());
            if !flash.errors.is_empty() {
                errors.clone_from(&flash.errors);
            } else if let Some(field) = &flash.field {
                errors.push((field.clone(), flash.message.clone()));
            }
        }
        Self {
            values,
            lists,
            errors,
        }
    }

    /// These values with `stored` ones for the fields the last post did not send.
    pub fn with_stored(mut self, stored: BTreeMap<String, String>) -> Self {
        for (name, value) in stored {
            self.values.entry(name).or_insert(value);
        }
        self
    }

    /// A single value, or empty.
    pub fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// Whether `value` is among the chosen values of `name`.
    pub fn chosen(&self, name: &str, value: &str) -> bool {
        self.lists
            .get(name)
            .is_some_and(|list| list.iter().any(|v| v == value))
    }

    /// The error message for `name`, if the last post was refused because of it.
    pub fn error(&self, name: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, message)| message.clone())
    }
}

fn error_line(id: &str, message: Option<String>) -> impl IntoView + use<> {
    let id = format!("{id}-error");
    message.map(|m| view! { <p class="field-error" id=id>{m}</p> })
}

fn described(id: &str, invalid: bool) -> Option<String> {
    invalid.then(|| format!("{id}-error"))
}

/// A one-line text input.
pub fn text_field(
    form: &FormValues,
    name: &str,
    label: &str,
    kind: &'static str,
    required: bool,
    maxlength: usize,
) -> impl IntoView + use<> {
    let id = format!("f-{name}");
    let error = form.error(name);
    let invalid = error.is_some();
    view! {
        <div class="field" class:field--invalid=invalid>
            <label for=id.clone()>{label.to_owned()}{required.then_some(view! { <span class="required">"(必須)"</span> })}</label>
            <input id=id.clone() name=name.to_owned() type=kind required=required
                maxlength=maxlength.to_string() value=form.value(name)
                aria-invalid=invalid.then_some("true") aria-describedby=described(&id, invalid)/>
            {error_line(&id, error)}
        </div>
    }
}

/// A multi-line text input.
pub fn text_area(
    form: &FormValues,
    name: &str,
    label: &str,
    hint: &str,
    maxlength: usize,
) -> impl IntoView + use<> {
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let error = form.error(name);
    let invalid = error.is_some();
    let describedby = match described(&id, invalid) {
        Some(error_id) => format!("{hint_id} {error_id}"),
        None => hint_id.clone(),
    };
    view! {
        <div class="field field--wide" class:field--invalid=invalid>
            <label for=id.clone()>{label.to_owned()}</label>
            <p class="field-hint" id=hint_id>{format!("{hint}({maxlength}文字まで)")}</p>
            <textarea id=id.clone() name=name.to_owned() rows="5" maxlength=maxlength.to_string()
                aria-invalid=invalid.then_some("true") aria-describedby=describedby>
                {form.value(name)}
            </textarea>
            {error_line(&id, error)}
        </div>
    }
}

/// A drop-down; `empty` is the label of a "none" option, if there is one.
pub fn select_field(
    form: &FormValues,
    name: &str,
    label: &str,
    choices: &[Choice],
    empty: Option<&str>,
) -> impl IntoView + use<> {
    let id = format!("f-{name}");
    let error = form.error(name);
    let invalid = error.is_some();
    let selected = form.value(name);
    let none = empty.map(|text| {
        let chosen = selected.is_empty();
        view! { <option value="" selected=chosen>{text.to_owned()}</option> }
    });
    let options = choices
        .iter()
        .map(|c| {
            let chosen = c.value == selected;
            view! { <option value=c.value.clone() selected=chosen>{c.label.clone()}</option> }
        })
        .collect_view();
    view! {
        <div class="field" class:field--invalid=invalid>
            <label for=id.clone()>{label.to_owned()}</label>
            <select id=id.clone() name=name.to_owned()
                aria-invalid=invalid.then_some("true") aria-describedby=described(&id, invalid)>
                {none}
                {options}
            </select>
            {error_line(&id, error)}
        </div>
    }
}

/// A group of checkboxes, one value each.
pub fn checkbox_group(
    form: &FormValues,
    name: &str,
    legend: &str,
    choices: &[Choice],
) -> impl IntoView + use<> {
    let id = format!("f-{name}");
    let error = form.error(name);
    let invalid = error.is_some();
    let boxes = choices
        .iter()
        .map(|c| {
            let box_id = format!("{id}-{}", c.value);
            let checked = form.chosen(name, &c.value);
            view! {
                <li>
                    <input type="checkbox" id=box_id.clone() name=name.to_owned() value=c.value.clone() checked=checked/>
                    <label for=box_id>{c.label.clone()}</label>
                </li>
            }
        })
        .collect_view();
    view! {
        <fieldset class="choices field--wide" class:field--invalid=invalid aria-describedby=described(&id, invalid)>
            <legend>{legend.to_owned()}</legend>
            <ul class="choice-list">{boxes}</ul>
            {error_line(&id, error)}
        </fieldset>
    }
}

/// A whole-number input; what was typed is kept as typed (full-width digits and
/// commas are read by the server), so it is a text box with a numeric keypad.
pub fn number_field(
    form: &FormValues,
    name: &str,
    label: &str,
    required: bool,
    unit: &'static str,
) -> impl IntoView + use<> {
    let id = format!("f-{name}");
    let error = form.error(name);
    let invalid = error.is_some();
    view! {
        <div class="field field--number" class:field--invalid=invalid>
            <label for=id.clone()>{label.to_owned()}{required.then_some(view! { <span class="required">"(必須)"</span> })}</label>
            <span class="field__with-unit">
                <input id=id.clone() name=name.to_owned() type="text" inputmode="numeric" required=required
                    maxlength="15" size="12" value=form.value(name)
                    aria-invalid=invalid.then_some("true") aria-describedby=described(&id, invalid)/>
                <span class="field__unit" aria-hidden="true">{unit}</span>
            </span>
            {error_line(&id, error)}
        </div>
    }
}

/// A single checkbox (`on` when ticked).
pub fn check_field(form: &FormValues, name: &str, label: &str) -> impl IntoView + use<> {
    let id = format!("f-{name}");
    let error = form.error(name);
    let invalid = error.is_some();
    let checked = !form.value(name).is_empty();
    view! {
        <div class="field field--check" class:field--invalid=invalid>
            <input type="checkbox" id=id.clone() name=name.to_owned() value="on" checked=checked
                aria-describedby=described(&id, invalid)/>
            <label for=id.clone()>{label.to_owned()}</label>
            {error_line(&id, error)}
        </div>
    }
}
