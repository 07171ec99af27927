//! The signed-in person, the CSRF token and the flash message, loaded once per page
//! load and shared by the header and every form.

use leptos::prelude::*;

use crate::api::accounts::SessionInfo;
use crate::api::flash::Flash;
use crate::calls::accounts::current_session;
use crate::calls::flash::take_flash;
use crate::error::AppError;

/// The session of this page load.
#[derive(Clone, Copy)]
pub struct SessionContext(pub Resource<Result<SessionInfo, AppError>>);

/// The flash message of this page load.
#[derive(Clone, Copy)]
pub struct FlashContext(pub Resource<Result<Option<Flash>, AppError>>);

/// Loads the session and the flash message and provides both to the app.
pub fn provide_session() {
    provide_context(SessionContext(Resource::new(|| (), |()| current_session())));
    provide_context(FlashContext(Resource::new(|| (), |()| take_flash())));
}

/// The session resource.
pub fn use_session() -> Resource<Result<SessionInfo, AppError>> {
    expect_context::<SessionContext>().0
}

/// What a form page needs: the flash of the last post and the CSRF token. Taken
/// from the context when the page is built (not after an `.await`).
#[derive(Clone, Copy)]
pub struct FormState {
    session: Resource<Result<SessionInfo, AppError>>,
    flash: Option<Resource<Result<Option<Flash>, AppError>>>,
}

/// The form state of this page load.
pub fn use_form_state() -> FormState {
    FormState {
        session: use_session(),
        flash: use_context::<FlashContext>().map(|f| f.0),
    }
}

impl FormState {
    /// The flash message (empty when there is none) and the CSRF token.
    pub async fn load(self) -> (Flash, String) {
        let flash = match self.flash {
            Some(resource) => resource.await.ok().flatten().unwrap_or_default(),
            None => Flash::default(),
        };
        let token = self.session.await.map(|s| s.csrf_token).unwrap_or_default();
        (flash, token)
    }
}

/// The hidden field every form that changes something carries. Takes the token
/// from the enclosing `Suspend` (a Suspense of its own inside another would be
/// numbered differently on server and browser and break hydration).
#[component]
pub fn CsrfField(token: String) -> impl IntoView {
    view! { <input type="hidden" name="csrf_token" value=token/> }
}

/// The outcome of the last form post, announced to screen readers.
#[component]
pub fn FlashBanner() -> impl IntoView {
    let resource = use_context::<FlashContext>().map(|f| f.0);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let flash = match resource {
                    Some(resource) => resource.await.ok().flatten(),
                    None => None,
                };
                flash.filter(|f| !f.message.is_empty()).map(|flash| {
                    if flash.success {
                        view! {
                            <div class="notice notice--success" role="status" id="flash-message">
                                <p>{flash.message}</p>
                            </div>
                        }
                        .into_any()
                    } else {
                        // Several fields wrong at once: each one listed.
                        let list = (flash.errors.len() > 1).then(|| view! {
                            <ul>{flash.errors.iter().map(|(_, m)| view! { <li>{m.clone()}</li> }).collect_view()}</ul>
                        });
                        view! {
                            <div class="notice notice--error" role="alert" id="flash-message">
                                <p>{flash.message}</p>
                                {list}
                            </div>
                        }
                        .into_any()
                    }
                })
            })}
        </Suspense>
    }
}

/// Attributes of an input that the last post rejected: `aria-invalid` and a link to
/// the message.
pub fn invalid_attrs(flash: &Flash, field: &str) -> (Option<&'static str>, Option<&'static str>) {
    if flash.names(field) {
        (Some("true"), Some("flash-message"))
    } else {
        (None, None)
    }
}
