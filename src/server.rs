//! The HTTP server: the routes, the middleware around them, start-up and clean shutdown.

use crate::{
    cli::ServeArgs,
    content::{
        pages::{booklet, checklists, contacts, guides},
        seed::{Seed, SeedError},
    },
    db::{Db, DbError},
    error::AppError,
    help::{self, intake::Intake, limit::RateLimiter},
    i18n::{Catalog, Locale, catalog::CatalogError},
    site::{
        self, Site,
        assets::{AssetError, SiteAssets},
        home, neutral, not_found, offline, privacy, share,
    },
    staff::{self, accounts::AccountError},
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
use std::{
    net::SocketAddr,
    path::{Path as FsPath, PathBuf},
    sync::{Arc, RwLock},
    time::Duration,
};
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer, timeout::TimeoutLayer,
    trace::TraceLayer,
};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub site: Arc<Site>,
    pub db: Db,
    /// The one writer of help requests, which commits them in batches.
    pub intake: Intake,
    /// How often one address may send help requests.
    pub limiter: Arc<RateLimiter>,
    /// How often one address may try to sign in as staff.
    pub sign_in_limiter: Arc<RateLimiter>,
    /// Rendered public pages of the published content version.
    pub cache: Arc<site::cache::PageCache>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the UI messages: {0}")]
    Catalog(#[from] CatalogError),
    #[error("the database: {0}")]
    Db(#[from] DbError),
    #[error("the seed content: {0}")]
    Seed(#[from] SeedError),
    #[error("the site files: {0}")]
    Assets(#[from] AssetError),
    #[error(
        "no built site folder found (looked in {0}); build it with `cargo leptos build --release` or pass --site"
    )]
    NoSite(String),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("the server failed: {0}")]
    Serve(std::io::Error),
    #[error("{0}")]
    Account(#[from] AccountError),
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("the TLS certificate {cert} or key {key}: {source}")]
    Tls {
        cert: String,
        key: String,
        source: std::io::Error,
    },
}

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
        .fallback(static_file_or_not_found)
        // Compresses pages on the fly; static files arrive already compressed and pass through.
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(64 * 1024))
        .merge(staff::upload_routes())
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

/// The state `serve` runs with, built from its options, and the site folder it serves;
/// `export-static` renders with the same.
pub async fn state(args: &ServeArgs) -> Result<(AppState, PathBuf), StartError> {
    let site_root = match &args.site {
        Some(dir) => dir.clone(),
        None => default_site_root()?,
    };
    let assets = SiteAssets::load(&site_root)?;
    let db = open_database(&args.db.db).await?;
    // The shipped messages must load; the published edits go on top of them.
    Catalog::shipped()?;
    let (edits, version) = db
        .read(|c| {
            Ok((
                crate::staff::texts::ui_edits(c, false)?,
                crate::staff::texts::version(c)?,
            ))
        })
        .await?;
    let state = AppState {
        site: Arc::new(Site {
            catalog: RwLock::new(Arc::new(Catalog::with_edits(edits))),
            assets: Arc::new(assets),
            exit_url: args.exit_url.clone(),
            public_url: args.public_url.clone(),
            event_idle: args.event.then_some(args.event_idle),
            retention_days: args.retention_days,
        }),
        intake: Intake::start(db.clone()),
        db,
        limiter: Arc::new(RateLimiter::new(args.help_rate)),
        sign_in_limiter: Arc::new(staff::login::sign_in_limiter()),
        cache: Arc::new(if args.no_page_cache {
            site::cache::PageCache::disabled()
        } else {
            site::cache::PageCache::new(version)
        }),
    };
    Ok((state, site_root))
}

/// Builds the state from the command line and serves until Ctrl-C or SIGTERM.
pub async fn serve(args: ServeArgs) -> Result<(), StartError> {
    let (state, site_root) = state(&args).await?;
    site::cache::spawn_watch(state.clone());
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(tls_config(cert, key).await?),
        _ => None,
    };
    staff::retention::spawn(state.db.clone(), args.retention_days);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|source| StartError::Listen {
            addr: args.addr,
            source,
        })?;
    // The bound address, not the requested one: with port 0 the system picks the port.
    let addr = listener.local_addr().unwrap_or(args.addr);
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

/// Opens the database, migrating it and loading the shipped content: an editor's changes
/// survive, everything else takes this release's seed.
pub async fn open_database(path: &FsPath) -> Result<Db, StartError> {
    let seed = Seed::shipped()?;
    let db = Db::open(path)?;
    let report = db.write(move |conn| seed.apply(conn)).await?;
    tracing::info!(
        added = report.texts_added,
        updated = report.texts_updated,
        kept_for_editors = report.texts_kept_for_editors,
        "content loaded"
    );
    Ok(db)
}

fn exe_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(FsPath::to_path_buf))
        .unwrap_or_default()
}

/// `site/` beside the program when it has been copied somewhere, or `../site` where
/// `cargo leptos build` leaves both (`target/release/passport`, `target/site`).
fn default_site_root() -> Result<PathBuf, StartError> {
    let candidates = [exe_dir().join("site"), exe_dir().join("../site")];
    candidates
        .iter()
        .find_map(|dir| dir.canonicalize().ok().filter(|dir| dir.is_dir()))
        .ok_or_else(|| {
            StartError::NoSite(
                candidates
                    .iter()
                    .map(|c| c.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
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
