//! The app: its routes, composed from each capability's, the middleware around them,
//! start-up and clean shutdown.

use crate::{
    content::pages::{
        booklet::BookletPage,
        checklists::{self, ChecklistPage, ChecklistsPage},
        contacts::ContactsPage,
        guides::{GuidePage, GuidesPage},
    },
    editor,
    error::AppError,
    help::{self, pages::HelpPage},
    i18n::Locale,
    offline::{self, KeepOfflinePage},
    site::{
        self,
        choice::LanguageChoicePage,
        home::HomePage,
        neutral::NeutralPage,
        page::NotFoundPage,
        privacy::{self, PrivacyPage},
        share::SharePage,
    },
    staff,
    state::AppState,
};
use axum::{
    Router,
    extract::{Path, Request, State},
    http::{StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list_with_exclusions};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};
use std::time::Duration;
use std::{future::Future, pin::Pin, sync::Arc};
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer, compression::CompressionLayer, limit::RequestBodyLimitLayer,
    timeout::TimeoutLayer, trace::TraceLayer,
};

/// The public pages: one `<Routes>` tree under `/:lang/`. Each page's component loads what
/// it shows and renders its whole document (`site::public_page`); `leptos_axum` serves them
/// in `SsrMode::Async`, so a page goes out whole, the same bytes every time.
#[component]
pub fn PublicPages() -> impl IntoView {
    let lang = || ParamSegment("lang");
    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=StaticSegment("/") view=LanguageChoicePage ssr=SsrMode::Async/>
                <Route path=(lang(), StaticSegment("/")) view=HomePage ssr=SsrMode::Async/>
                <Route path=(lang(), StaticSegment("checklists")) view=ChecklistsPage ssr=SsrMode::Async/>
                <Route path=(lang(), StaticSegment("checklists"), ParamSegment("slug")) view=ChecklistPage ssr=SsrMode::Async/>
                <Route path=(lang(), StaticSegment("guides")) view=GuidesPage ssr=SsrMode::Async/>
                <Route path=(lang(), StaticSegment("guides"), ParamSegment("slug")) view=GuidePage ssr=SsrMode::Async/>
                <Route path=(lang(), StaticSegment("contacts")) view=ContactsPage ssr=SsrMode::Async/>
                <Route path=(lang(), StaticSegment("help")) view=HelpPage ssr=SsrMode::Async/>
                <Route path=(lang(), StaticSegment("offline")) view=KeepOfflinePage ssr=SsrMode::Async/>
                <Route path=(lang(), StaticSegment("privacy")) view=PrivacyPage ssr=SsrMode::Async/>
                <Route path=(lang(), StaticSegment("weather")) view=NeutralPage ssr=SsrMode::Async/>
                <Route path=(lang(), StaticSegment("share")) view=SharePage ssr=SsrMode::Async/>
                <Route path=(lang(), StaticSegment("booklet")) view=BookletPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// The public pages' paths as the router mounts them (`/{lang}/guides/{slug}`), but `/`,
/// which is a redirect outside event mode.
/// The same for the whole run, so it is made once.
pub fn page_routes() -> &'static [String] {
    static ROUTES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| {
        routes_listing()
            .into_iter()
            .map(|listing| listing.path().to_owned())
            .filter(|path| path != "/")
            .collect()
    })
}

type Render = Arc<dyn Fn(Request) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync>;

/// Renders the public pages for any request, as the routes do: for the forms' posts, `/` in
/// event mode and the 404.
#[derive(Clone)]
struct Pages(Render);

impl Pages {
    fn new(state: &AppState) -> Pages {
        let render = leptos_axum::render_app_async_with_context(context(state), PublicPages);
        Pages(Arc::new(move |request| Box::pin(render(request))))
    }

    /// The page as the routes' own layer leaves it, for a route inside that layer.
    async fn page(&self, request: Request) -> Response {
        (self.0)(request).await
    }

    /// The page finished (`site::page::finish`), for a route outside the pages' layer.
    async fn render(&self, request: Request) -> Response {
        let asked = request.headers().clone();
        site::page::finish(&asked, self.page(request).await).await
    }
}

/// What every page's component finds in its context. `leptos_axum` provides a fresh nonce
/// for each request; a page takes it out again, so that its bytes are the same on every
/// request (the page cache, the ETags and the service worker's hashes rely on it) and the
/// island loader is allowed by its hash instead.
fn context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let (site, db) = (state.site.clone(), state.db.clone());
    move || {
        leptos::reactive::owner::take_context::<leptos::nonce::Nonce>();
        provide_context(site.clone());
        provide_context(db.clone());
    }
}

/// The routes of the public pages, and the forms in front of two of them.
fn public_routes(state: &AppState, pages: &Pages) -> Router<AppState> {
    let (answers, help) = (pages.clone(), pages.clone());
    Router::new()
        .leptos_routes_with_context(state, routes_listing(), context(state), PublicPages)
        .route(
            "/{lang}/checklists/{slug}",
            post(move |request: Request| async move { answers.page(request).await })
                .layer(middleware::from_fn(checklists::read_answers)),
        )
        .route(
            "/{lang}/help",
            post(move |request: Request| async move { help.page(request).await })
                .layer(middleware::from_fn_with_state(
                    state.clone(),
                    help::pages::submit,
                ))
                .layer(middleware::from_fn(site::origin::forms)),
        )
        .layer(middleware::from_fn(site::page::finish_layer))
}

fn routes_listing() -> Vec<leptos_axum::AxumRouteListing> {
    generate_route_list_with_exclusions(PublicPages, Some(vec!["/".to_owned()]))
}

/// The whole app as a router, for the server and for in-process tests.
pub fn app(state: AppState) -> Router {
    let pages = Pages::new(&state);
    let (start_pages, fallback_pages, language_pages, not_found_pages) =
        (pages.clone(), pages.clone(), pages.clone(), pages.clone());
    let routes = public_routes(&state, &pages)
        .route(
            "/",
            get(move |state, request| start(state, request, start_pages)),
        )
        .route("/healthz", get(healthz))
        .route("/readme.md", get(readme))
        .route("/audio/{sha256}", get(crate::audio::serve::public))
        .route(
            "/{lang}",
            get(move |segment, state, request| {
                to_language_home(segment, state, request, language_pages)
            }),
        )
        .route(
            "/{lang}/clear",
            post(privacy::clear).layer(middleware::from_fn(site::origin::forms)),
        )
        .route("/{lang}/offline.json", get(offline::precache))
        .route("/{lang}/manifest.webmanifest", get(offline::web_manifest))
        .route(
            "/api/v1/help-requests",
            post(help::api::create)
                .layer(middleware::from_fn_with_state(
                    state.clone(),
                    help::api::limited,
                ))
                .layer(middleware::from_fn_with_state(
                    state.clone(),
                    site::origin::api,
                )),
        )
        .merge(staff::routes())
        .merge(editor::routes())
        .merge(crate::hub::staff_routes())
        .fallback(move |state, request| static_file_or_not_found(state, request, fallback_pages))
        // Compresses pages on the fly; static files arrive already compressed and pass through.
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(crate::web::BODY_MAX))
        .merge(staff::upload_routes())
        .merge(crate::hub::api::routes(&state))
        .merge(editor::upload_routes())
        .with_state(state.clone());
    // The layers every request passes, around the router once rather than around each of
    // its routes: a route's layers are cloned, box by box, on every request it serves.
    // Outermost first: a kept page is answered before any other layer runs (it was kept
    // with the security headers the layers inside gave it).
    let shared_site = || Arc::clone(&state.site);
    let layers = ServiceBuilder::new()
        .layer(middleware::from_fn_with_state(
            site::cache::LayerState {
                cache: Arc::clone(&state.cache),
                site: shared_site(),
            },
            site::cache::layer,
        ))
        // The path only: a query string may hold what a person typed or ticked.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            tracing::debug_span!("request", method = %request.method(), path = request.uri().path())
        }))
        .layer(middleware::from_fn_with_state(shared_site(), site::security::headers))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(middleware::from_fn_with_state(
            shared_site(),
            staff::transport::private_only,
        ))
        .layer(middleware::from_fn_with_state(shared_site(), site::errors::localise))
        // A handler that panics answers a 500 page instead of dropping the connection.
        .layer(CatchPanicLayer::custom(site::errors::panicked))
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            not_found_page(not_found_pages.clone(), request, next)
        }))
        .layer(middleware::from_fn(site::canonical_language));
    Router::new().fallback_service(layers.service(routes))
}

/// The app answering requests in-process, as the server would answer them over the network:
/// the offline manifest, the static export and the editors' preview render pages with it.
pub struct InProcess(Router);

/// A page as [`InProcess::render_path`] answers it.
pub struct Rendered {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: axum::body::Bytes,
}

impl InProcess {
    pub fn new(state: AppState) -> InProcess {
        InProcess(app(state))
    }

    /// The answer to a GET of `path`, asked with the `Host` and scheme of `asking` (the
    /// share page and the booklet show the address the phone used).
    pub async fn render_path(&self, path: &str, asking: &axum::http::HeaderMap) -> Rendered {
        let mut request = Request::get(path);
        for name in [header::HOST.as_str(), "x-forwarded-proto"] {
            if let Some(value) = asking.get(name) {
                request = request.header(name, value);
            }
        }
        // A path that is no valid URI names no page.
        let Ok(request) = request.body(axum::body::Body::empty()) else {
            return Rendered {
                status: StatusCode::NOT_FOUND,
                headers: axum::http::HeaderMap::new(),
                body: axum::body::Bytes::new(),
            };
        };
        let Ok(response) = tower::ServiceExt::oneshot(self.0.clone(), request).await;
        let (parts, body) = response.into_parts();
        Rendered {
            status: parts.status,
            headers: parts.headers,
            body: axum::body::to_bytes(body, 16 * 1024 * 1024)
                .await
                .unwrap_or_default(),
        }
    }
}

/// `ok`, or `degraded: disk full` while help requests cannot be written (still a 200:
/// reading works, and a proxy that dropped the server would stop that too).
async fn healthz(State(app): State<AppState>) -> Result<&'static str, AppError> {
    app.db
        .read(|conn| conn.query_row("SELECT 1", [], |_| Ok(())))
        .await?;
    Ok(app.site.health.summary())
}

/// The README shipped with this release: the operators' manual, which the outreach workers'
/// guide cites for how a hub, event mode and the booklet work.
async fn readme() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/markdown; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../README.md"),
    )
        .into_response()
}

/// A handler's bare 404 (`site::NotFound`) becomes the 404 page in the visitor's language.
async fn not_found_page(pages: Pages, request: Request, next: Next) -> Response {
    let (uri, headers) = (request.uri().clone(), request.headers().clone());
    let response = next.run(request).await;
    if response.extensions().get::<site::NotFound>().is_none() {
        return response;
    }
    let mut page = Request::new(axum::body::Body::empty());
    *page.uri_mut() = uri;
    *page.headers_mut() = headers;
    pages.render(page).await
}

/// `/`: the person's language, when the app knows it (their earlier choice, or a browser
/// language the app has); otherwise, and always in event mode, the page of big language
/// buttons. A phone set to Burmese, or to a language the app lacks, is asked rather than
/// sent to English: many Karen speakers use such phones. The answer depends on the cookie
/// and `Accept-Language`, so no shared cache may keep it.
async fn start(State(app): State<AppState>, request: Request, pages: Pages) -> Response {
    let known = site::chosen_locale(request.headers());
    let mut response = match known {
        Some(locale) if app.site.event_idle.is_none() => {
            Redirect::to(&format!("/{locale}/")).into_response()
        }
        _ => pages.render(request).await,
    };
    let headers = response.headers_mut();
    headers.insert(
        header::VARY,
        header::HeaderValue::from_static("Cookie, Accept-Language"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-cache"),
    );
    response
}

/// `/vi` becomes `/vi/`; any other single segment is a static file or a 404.
async fn to_language_home(
    Path(segment): Path<String>,
    state: State<AppState>,
    request: Request,
    pages: Pages,
) -> Response {
    match Locale::from_code(&segment) {
        Some(locale) => Redirect::permanent(&format!("/{locale}/")).into_response(),
        None => static_file_or_not_found(state, request, pages).await,
    }
}

async fn static_file_or_not_found(
    State(app): State<AppState>,
    request: Request,
    pages: Pages,
) -> Response {
    let uri = request.uri();
    if let Some(response) = app
        .site
        .assets
        .respond(uri.path(), uri.query(), request.headers())
    {
        return response;
    }
    pages.render(request).await
}
