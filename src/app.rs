//! The app: its routes, composed from each capability's, the middleware around them,
//! start-up and clean shutdown.

use crate::{
    config::Config,
    content::pages::{booklet, checklists, contacts, guides},
    editor,
    error::{AppError, StartError},
    help,
    i18n::Locale,
    offline,
    site::{self, home, neutral, not_found, privacy, share},
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
use axum_server::tls_rustls::RustlsConfig;
use std::{net::SocketAddr, path::Path as FsPath, time::Duration};
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer, timeout::TimeoutLayer,
    trace::TraceLayer,
};

/// The whole app as a router, for the server and for in-process tests.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(start))
        .route("/healthz", get(healthz))
        .route("/{lang}", get(to_language_home))
        .route("/{lang}/", get(home::page))
        .route("/{lang}/checklists", get(checklists::list))
        .route(
            "/{lang}/checklists/{slug}",
            get(checklists::show).post(checklists::answer),
        )
        .route("/{lang}/guides", get(guides::list))
        .route("/{lang}/guides/{slug}", get(guides::show))
        .route("/{lang}/contacts", get(contacts::page))
        .route(
            "/{lang}/help",
            get(help::pages::form).merge(post(help::pages::submit).layer(
                middleware::from_fn_with_state(state.clone(), help::pages::limited),
            )),
        )
        .route(
            "/api/v1/help-requests",
            post(help::api::create).layer(middleware::from_fn_with_state(
                state.clone(),
                help::api::limited,
            )),
        )
        .route("/{lang}/offline", get(offline::page))
        .route("/{lang}/privacy", get(privacy::page))
        .route("/{lang}/weather", get(neutral::page))
        .route("/{lang}/share", get(share::page))
        .route("/{lang}/booklet", get(booklet::page))
        .route("/{lang}/clear", post(privacy::clear))
        .route("/{lang}/offline.json", get(offline::precache))
        .route("/{lang}/manifest.webmanifest", get(offline::web_manifest))
        .merge(staff::routes())
        .merge(editor::routes())
        .fallback(static_file_or_not_found)
        // Compresses pages on the fly; static files arrive already compressed and pass through.
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(64 * 1024))
        .merge(staff::upload_routes())
        .merge(editor::upload_routes())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            localise_too_large,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(middleware::from_fn(site::security::headers))
        .layer(TraceLayer::new_for_http())
        // Outermost: a kept page is answered before any other layer runs. It was kept with
        // the security headers the layers inside gave it.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            site::cache::layer,
        ))
        .with_state(state)
}

/// Builds the state `config` describes and serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), StartError> {
    let (state, site_root) = AppState::new(&config).await?;
    site::cache::spawn_watch(state.clone());
    let tls = match &config.tls {
        Some(tls) => Some(tls_config(&tls.cert, &tls.key).await?),
        None => None,
    };
    staff::retention::spawn(state.db.clone(), config.retention_days);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartError::Listen {
            addr: config.addr,
            source,
        })?;
    // The bound address, not the requested one: with port 0 the system picks the port.
    let addr = listener.local_addr().unwrap_or(config.addr);
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(
        site = %site_root.display(),
        files = state.site.assets.file_count(),
        db = %state.db.path().display(),
        "serving on {scheme}://{addr}"
    );
    let router = app(state);
    match tls {
        None => {
            // The peer's address, for the per-address limits.
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, service)
                .with_graceful_shutdown(shutdown_signal())
                .await
                .map_err(StartError::Serve)?;
        }
        Some(config) => {
            let service = router
                .layer(middleware::from_fn(over_tls))
                .into_make_service_with_connect_info::<SocketAddr>();
            let handle = axum_server::Handle::new();
            let stopping = handle.clone();
            tokio::spawn(async move {
                shutdown_signal().await;
                stopping.graceful_shutdown(Some(Duration::from_secs(30)));
            });
            let listener = listener.into_std().map_err(StartError::Serve)?;
            axum_server::from_tcp_rustls(listener, config)
                .map_err(StartError::Serve)?
                .handle(handle)
                .serve(service)
                .await
                .map_err(StartError::Serve)?;
        }
    }
    tracing::info!("stopped");
    Ok(())
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
        let request = request
            .body(axum::body::Body::empty())
            .unwrap_or_else(|_| Request::new(axum::body::Body::empty()));
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

/// The certificate and key for HTTPS, with rustls's `ring` provider.
async fn tls_config(cert: &FsPath, key: &FsPath) -> Result<RustlsConfig, StartError> {
    // Installing fails only if a provider is installed already, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    RustlsConfig::from_pem_file(cert, key)
        .await
        .map_err(|source| StartError::Tls {
            cert: cert.display().to_string(),
            key: key.display().to_string(),
            source,
        })
}

/// Marks every request that arrived over our own TLS as HTTPS, as a TLS proxy would: staff
/// cookies are then `Secure`, the share page's address is `https`, and HSTS is sent.
async fn over_tls(mut request: Request, next: Next) -> Response {
    request.headers_mut().insert(
        "x-forwarded-proto",
        axum::http::HeaderValue::from_static("https"),
    );
    next.run(request).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests under way");
}

async fn healthz(State(app): State<AppState>) -> Result<&'static str, AppError> {
    app.db
        .read(|conn| conn.query_row("SELECT 1", [], |_| Ok(())))
        .await?;
    Ok("ok")
}

/// The body limit answers in plain English; this puts its 413 in the visitor's language.
async fn localise_too_large(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let locale = site::page_locale(request.uri().path(), request.headers());
    let response = next.run(request).await;
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE
        && !response.headers().contains_key(header::CONTENT_LANGUAGE)
    {
        return help::api::too_large(&app.site.tr(locale));
    }
    response
}

/// `/`: in event mode the start page of big language buttons; otherwise a redirect.
async fn start(State(app): State<AppState>, request: Request) -> Response {
    if app.site.event_idle.is_some() {
        return site::event::start(State(app)).await;
    }
    to_best_language(request).await
}

/// `/` sends the person to the home page in their best language. The answer depends on the
/// cookie and `Accept-Language`, so no shared cache may keep it.
async fn to_best_language(request: Request) -> Response {
    let locale = site::preferred_locale(request.headers());
    (
        [
            (header::VARY, "Cookie, Accept-Language"),
            (header::CACHE_CONTROL, "private, no-cache"),
        ],
        Redirect::to(&format!("/{locale}/")),
    )
        .into_response()
}

/// `/vi` becomes `/vi/`; any other single segment is a static file or a 404.
async fn to_language_home(
    Path(segment): Path<String>,
    state: State<AppState>,
    request: Request,
) -> Response {
    match Locale::from_code(&segment) {
        Some(locale) => Redirect::permanent(&format!("/{locale}/")).into_response(),
        None => static_file_or_not_found(state, request).await,
    }
}

async fn static_file_or_not_found(State(app): State<AppState>, request: Request) -> Response {
    let uri = request.uri();
    if let Some(response) = app
        .site
        .assets
        .respond(uri.path(), uri.query(), request.headers())
    {
        return response;
    }
    not_found::response(&app.site, site::page_locale(uri.path(), request.headers()))
}
