//! `passport translations report` and `passport translations sheet`: the consistency report
//! and the review sheet of one language, as the workspace shows them, from the command line.

use crate::db::Db;
use crate::editor::review;
use crate::error::StartError;
use crate::i18n::{Catalog, Locale, Tr};
use std::path::PathBuf;
use std::sync::Arc;

pub async fn report(db: &Db, locale: Locale) -> Result<String, StartError> {
    let (messages, terms) = db.read(review::gather).await?;
    Ok(review::report_text(&messages, &terms, locale))
}

/// The sheet, headed in English, with the app's Karen font from the built site inline.
pub async fn sheet(db: &Db, locale: Locale, site: Option<PathBuf>) -> Result<String, StartError> {
    let (messages, terms) = db.read(review::gather).await?;
    let font = crate::config::site_root(site.as_deref())
        .ok()
        .and_then(|root| karen_font(&root.join("fonts")));
    let tr = Tr::new(Locale::SOURCE, Arc::new(Catalog::shipped()?));
    Ok(review::sheet_document(
        tr,
        messages,
        terms,
        locale,
        font.as_deref(),
    ))
}

/// The app's Karen font (`karen.<hash>.woff2`), if the site folder has it.
fn karen_font(fonts: &std::path::Path) -> Option<Vec<u8>> {
    std::fs::read_dir(fonts)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("karen.") && n.ends_with(".woff2"))
        })
        .and_then(|path| std::fs::read(path).ok())
}
