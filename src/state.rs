//! What every handler can reach, built in one place: the server, the editors' preview and
//! the tests all start from [`AppState::new`]. Handlers take only the parts they need
//! (`State<Db>`, `State<Arc<Site>>`, …) through [`FromRef`].

use crate::{
    config::Config,
    content::seed::Seed,
    db::Db,
    error::StartError,
    help::{intake::Intake, limit::RateLimiter},
    i18n::Catalog,
    seal::{SealKey, keyring::Keyring},
    site::{Site, assets::SiteAssets, cache::PageCache},
    staff::{
        drafts::Drafts,
        guard::{Hasher, Throttle},
        session::SignInLimiter,
    },
};
use axum::extract::FromRef;
use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub site: Arc<Site>,
    pub db: Db,
    /// The one writer of help requests, which commits them in batches.
    pub intake: Intake,
    /// How often one address may send help requests.
    pub limiter: Arc<RateLimiter>,
    /// How often one address may try to sign in as staff.
    pub sign_in_limiter: Arc<SignInLimiter>,
    /// Failed sign-ins per account and network, which slow the next try.
    pub throttle: Arc<Throttle>,
    /// The threads that hash passwords, so that nothing else waits behind them.
    pub hasher: Arc<Hasher>,
    /// Caseworkers' notes carried across a sign-in, until their page shows them again.
    pub drafts: Arc<Drafts>,
    /// Rendered public pages of the published content version.
    pub cache: Arc<PageCache>,
    /// The organisation's public key, which requests and notes are sealed to.
    pub seal_key: Arc<SealKey>,
    /// The organisation's private key, per signed-in session that holds it.
    pub keyring: Arc<Keyring>,
    /// Brings central's certificate keeper round at once (a hub sent a request, or was
    /// revoked).
    pub certs_wake: Arc<tokio::sync::Notify>,
    /// Alerts for new help requests: their settings, and the worker's bell.
    pub alerts: Arc<crate::alerts::Alerts>,
}

impl AppState {
    /// The state `config` describes, and the site folder it serves: the database opened,
    /// migrated and seeded, the site's files loaded, the published edits on the messages.
    pub async fn new(config: &Config) -> Result<(AppState, PathBuf), StartError> {
        let site_root = config.site_root().map_err(StartError::NoSite)?;
        let assets = SiteAssets::load(&site_root)?;
        let db = open_database(&config.db).await?;
        // The shipped messages must load; the published edits go on top of them.
        Catalog::shipped()?;
        let (edits, version) = db
            .read(|c| {
                Ok((
                    crate::content::texts::ui_edits(c, false)?,
                    crate::content::texts::version(c)?,
                ))
            })
            .await?;
        let leptos =
            crate::site::shell::leptos_options(&site_root, &assets.built).map_err(|source| {
                StartError::File {
                    path: site_root.join("pkg").display().to_string(),
                    source,
                }
            })?;
        let fixed = match &config.tls {
            Some(tls) => Some(
                crate::certs::store::from_files(&tls.cert, &tls.key).map_err(|source| {
                    StartError::Tls {
                        cert: tls.cert.display().to_string(),
                        key: tls.key.display().to_string(),
                        source,
                    }
                })?,
            ),
            None => None,
        };
        let certs = crate::certs::store::Store::new(fixed);
        let site = Site::new(config, Catalog::with_edits(edits), assets, leptos, certs);
        let seal_key = Arc::new(db.read(|c| Ok(crate::seal::keys::seal_key(c))).await??);
        let health = Arc::clone(&site.health);
        let state = AppState {
            site: Arc::new(site),
            intake: Intake::start(db.clone(), Arc::clone(&seal_key), health),
            seal_key,
            keyring: Arc::default(),
            certs_wake: Arc::default(),
            alerts: Arc::new(crate::alerts::Alerts {
                settings: config.alerts.clone(),
                wake: tokio::sync::Notify::new(),
            }),
            db,
            limiter: Arc::new(RateLimiter::new(config.help_rate)),
            sign_in_limiter: Arc::default(),
            throttle: Arc::default(),
            hasher: Arc::default(),
            drafts: Arc::default(),
            cache: Arc::new(if config.page_cache {
                PageCache::new(version)
            } else {
                PageCache::disabled()
            }),
        };
        Ok((state, site_root))
    }

    /// The same app over another database handle and messages, keeping no pages: what the
    /// editors' preview renders with.
    pub fn preview(&self, db: Db, catalog: Catalog) -> AppState {
        let mut state = self.clone();
        state.site = Arc::new(self.site.for_preview(catalog));
        state.db = db;
        state.cache = Arc::new(PageCache::disabled());
        state
    }
}

impl FromRef<AppState> for leptos::config::LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.site.leptos.clone()
    }
}

/// Opens the database, migrating it and loading the shipped content: an editor's changes
/// survive, everything else takes this release's seed.
pub async fn open_database(path: &Path) -> Result<Db, StartError> {
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
