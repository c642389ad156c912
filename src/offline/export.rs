//! `passport export-static DIR`: every public page of every language as static files, with
//! brotli and gzip copies beside each, and the site's files. A CDN or any static web server
//! can then serve the app's reading side; help requests, staff pages and "clear this phone"
//! still need `passport serve`.

use super::page_urls;
use crate::app::InProcess;
use crate::i18n::Locale;
use crate::state::AppState;
use axum::http::StatusCode;
use std::{fs, io, path::Path};

/// What an export wrote.
#[derive(Debug, Default)]
pub struct Exported {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Writes the pages and copies `site_root`.
pub async fn export(app: &AppState, site_root: &Path, out: &Path) -> io::Result<Exported> {
    let mut exported = Exported::default();
    let app_in_process = InProcess::new(app.clone());
    let plain = axum::http::HeaderMap::new();
    for locale in Locale::ALL {
        let urls = page_urls(&app.db, locale)
            .await
            .map_err(|e| io::Error::other(e.to_string()))?;
        for url in urls.into_iter().chain([format!("/{locale}/offline.json")]) {
            let page = app_in_process.render_path(&url, &plain).await;
            if page.status != StatusCode::OK {
                return Err(io::Error::other(format!("{url}: {}", page.status)));
            }
            let body = page.body;
            // A page is the `index.html` of a folder named as its path, since a page's path
            // can also be the start of others' (`/vi/checklists` and `/vi/checklists/…`).
            let file = if url.ends_with(".json") || url.ends_with(".webmanifest") {
                url.clone()
            } else {
                format!("{}/index.html", url.trim_end_matches('/'))
            };
            exported.bytes += write_compressed(&out.join(file.trim_start_matches('/')), &body)?;
            exported.pages += 1;
        }
    }
    exported.files = copy_tree(site_root, out)?;
    Ok(exported)
}

/// Writes `body` at `path`, with `path.br` and `path.gz` beside it; returns the plain size.
fn write_compressed(path: &Path, body: &[u8]) -> io::Result<u64> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, body)?;
    let with = |ext: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(ext);
        name
    };
    let (brotli, gzip) = crate::site::cache::compress(body)?;
    fs::write(with(".br"), brotli)?;
    fs::write(with(".gz"), gzip)?;
    Ok(body.len() as u64)
}

/// Copies every file below `from` into `to`; returns how many.
fn copy_tree(from: &Path, to: &Path) -> io::Result<usize> {
    let mut copied = 0;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            fs::create_dir_all(&target)?;
            copied += copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
            copied += 1;
        }
    }
    Ok(copied)
}
