//! The root component, the HTML shell and the route table.

use leptos::prelude::*;
use leptos_meta::{Link, MetaTags, Title, provide_meta_context};
use leptos_router::SsrMode;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Layout;
use crate::components::session::provide_session;
use crate::pages::account::PasswordPage;
use crate::pages::admin::{
    AccountDetailPage, AccountsPage, AdminAdvisorsPage, AuditPage, NewAccountPage, TaxonomyPage,
    WebhooksPage,
};
use crate::pages::advisors::{
    AdvisorListPage, AdvisorProfilePage, EditAdvisorPage, MatchPage, NewAdvisorPage,
};
use crate::pages::cases::{CaseDetailPage, CaseListPage};
use crate::pages::channels::{ChannelListPage, ChannelPageView};
use crate::pages::counterparts::{OverviewPage, ReassignPageView};
use crate::pages::dispatches::{
    DispatchListPage, DispatchPage, DispatchUsagePage, NewDispatchPage, ProgrammeFormPage,
    ProgrammeListPage,
};
use crate::pages::home::HomePage;
use crate::pages::municipalities::MunicipalityPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::notices::{NoticeListPage, NoticePage};
use crate::pages::session::LoginPage;
use crate::pages::surveys::{SurveyListPage, SurveyPage};
use crate::pages::trainings::{
    EditTrainingPage, NewTrainingPage, TrainingListPage, TrainingNoticesPage, TrainingPage,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="ja">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                // The bundle's names carry its version (server/src/assets.rs).
                <link rel="stylesheet" id="leptos" href=format!("/pkg/{}.css", options.output_name)/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: layout and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_session();
    // Pages render completely on the server before anything is sent (Async), so
    // they work without JavaScript and can answer with the right status (404).
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Title formatter=|page: String| {
            if page.is_empty() { "Renkei 県・市町村連携ポータル".to_owned() } else { format!("{page} | Renkei") }
        }/>
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/cases") view=CaseListPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:slug") view=CaseDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/advisors") view=AdvisorListPage ssr=SsrMode::Async/>
                    <Route path=path!("/advisors/match") view=MatchPage ssr=SsrMode::Async/>
                    <Route path=path!("/advisors/new") view=NewAdvisorPage ssr=SsrMode::Async/>
                    <Route path=path!("/advisors/:id") view=AdvisorProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/advisors/:id/edit") view=EditAdvisorPage ssr=SsrMode::Async/>
                    <Route path=path!("/trainings") view=TrainingListPage ssr=SsrMode::Async/>
                    <Route path=path!("/trainings/new") view=NewTrainingPage ssr=SsrMode::Async/>
                    <Route path=path!("/trainings/:id") view=TrainingPage ssr=SsrMode::Async/>
                    <Route path=path!("/trainings/:id/notices") view=TrainingNoticesPage ssr=SsrMode::Async/>
                    <Route path=path!("/trainings/:id/edit") view=EditTrainingPage ssr=SsrMode::Async/>
                    <Route path=path!("/channels") view=ChannelListPage ssr=SsrMode::Async/>
                    <Route path=path!("/channels/:id") view=ChannelPageView ssr=SsrMode::Async/>
                    <Route path=path!("/notices") view=NoticeListPage ssr=SsrMode::Async/>
                    <Route path=path!("/notices/:id") view=NoticePage ssr=SsrMode::Async/>
                    <Route path=path!("/surveys") view=SurveyListPage ssr=SsrMode::Async/>
                    <Route path=path!("/surveys/:id") view=SurveyPage ssr=SsrMode::Async/>
                    <Route path=path!("/counterparts") view=OverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/counterparts/reassign") view=ReassignPageView ssr=SsrMode::Async/>
                    <Route path=path!("/dispatches") view=DispatchListPage ssr=SsrMode::Async/>
                    <Route path=path!("/dispatches/new") view=NewDispatchPage ssr=SsrMode::Async/>
                    <Route path=path!("/dispatches/usage") view=DispatchUsagePage ssr=SsrMode::Async/>
                    <Route path=path!("/dispatches/programmes") view=ProgrammeListPage ssr=SsrMode::Async/>
                    <Route path=path!("/dispatches/programmes/new") view=ProgrammeFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/dispatches/programmes/:id") view=ProgrammeFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/dispatches/:id") view=DispatchPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/password") view=PasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/municipalities/:code") view=MunicipalityPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/accounts") view=AccountsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/accounts/new") view=NewAccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/accounts/:id") view=AccountDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/advisors") view=AdminAdvisorsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/taxonomy") view=TaxonomyPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/webhooks") view=WebhooksPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// Sends a Content-Security-Policy that allows this page's own files and the
/// hydration script carrying this response's nonce, and nothing inline besides.
fn set_content_security_policy() {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        let policy = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
             base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        );
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}
