//! Keeping the page cache warm: after a publish, here or by another process, every page
//! of the new content version is rendered in the background, so the first phones to ask
//! get them at cache speed.

use crate::{db::DbError, i18n::Locale, state::AppState};
use axum::http::HeaderMap;

/// After a publish (here or by another process): the messages rebuilt with the published
/// edits, a new generation for `version`, and every public page rendered into it in the
/// background, so the first phones to ask get them at cache speed.
pub async fn refresh(app: &AppState, version: i64) -> Result<(), DbError> {
    let edits = app
        .db
        .read(|c| crate::content::texts::ui_edits(c, false))
        .await?;
    app.site
        .set_catalog(crate::i18n::Catalog::with_edits(edits));
    app.cache.replace(version);
    spawn_warm(app);
    Ok(())
}

/// Every public page rendered into the cache in the background: at start, so that the
/// first phones to ask, and an attacker's first requests, meet cached pages; and after
/// each publish.
pub fn spawn_warm(app: &AppState) {
    let warm = app.clone();
    tokio::spawn(async move {
        for locale in Locale::ALL {
            let rendered = super::precache_manifest(&warm, locale, &HeaderMap::new()).await;
            if let Err(error) = rendered {
                tracing::warn!(%error, %locale, "warming the page cache");
            }
        }
        tracing::info!(pages = warm.cache.len(), "page cache warmed");
    });
}

/// Watches the database for a content version published by another process (`passport
/// translations publish`), every two seconds.
pub fn spawn_watch(app: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
        loop {
            tick.tick().await;
            match app.db.read(crate::content::texts::version).await {
                Ok(version) if version != app.cache.version() => {
                    tracing::info!(version, "a new content version was published");
                    if let Err(error) = refresh(&app, version).await {
                        tracing::error!(%error, "refreshing after a publish");
                    }
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "reading the content version"),
            }
        }
    });
}
