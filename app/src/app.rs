//! The root component, the HTML shell and the route table.

use leptos::prelude::*;
use leptos_meta::{Link, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::SsrMode;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Layout;
use crate::pages::cases::{CaseDetailPage, CaseListPage};
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFoundPage;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="ja">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
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
    // Pages render completely on the server before anything is sent (Async), so
    // they work without JavaScript and can answer with the right status (404).
    view! {
        <Stylesheet id="leptos" href="/pkg/renkei.css"/>
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
                </Routes>
            </Layout>
        </Router>
    }
}
