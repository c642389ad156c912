//! The built site (the WASM bundle, CSS, fonts, scripts, icons), held in memory with brotli
//! and gzip bodies made once, so static files cost the server a lookup and nothing more.
//!
//! Compressed bodies are kept on disk beside each file (`name.br`, `name.gz`), so only the
//! first start after a build pays for compressing.

use crate::web::{accepted_encodings, etag_matches, hex};
use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    fs, io,
    path::{Path, PathBuf},
};

/// The hash file in the site folder's `pkg/` that names the bundle's files for Leptos's
/// island loader (`site::shell`); the walk below leaves it out.
pub const HASH_FILE: &str = "hash.txt";

/// `cargo leptos` names the bundle `pkg/passport.<hash>.<kind>` and removes older builds.
const BUNDLE_PREFIX: &str = "/pkg/passport.";

#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    #[error("cannot read the site folder {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error(
        "the site folder {0} lacks the built {1}; build it with `cargo leptos build --release`"
    )]
    Missing(PathBuf, &'static str),
    #[error("the site folder {0} holds more than one build of the bundle's {1}; rebuild it")]
    Ambiguous(PathBuf, &'static str),
}

pub struct Asset {
    content_type: &'static str,
    identity: Vec<u8>,
    brotli: Option<Vec<u8>>,
    gzip: Option<Vec<u8>>,
    etag: HeaderValue,
    /// The first 12 hex digits of the content's SHA-256, used in versioned URLs.
    version: String,
    /// The URL names this exact content, so caches may keep it forever.
    hashed_name: bool,
}

/// The URLs a page links to, resolved once at start.
#[derive(Debug, Clone)]
pub struct BuiltFiles {
    pub css: String,
    pub js: String,
    pub wasm: String,
    pub offline: String,
    pub help: String,
    pub privacy: String,
    pub share: String,
    pub event: String,
    /// The "Listen" buttons and "Listen to all" (issue 20).
    pub listen: String,
    /// The editors' recorder.
    pub record: String,
    pub icon: String,
    pub karen_font: Option<String>,
}

/// A file as it travels: its content hash, and its size compressed as a browser gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wire {
    pub hash: String,
    pub bytes: usize,
}

pub struct SiteAssets {
    files: HashMap<String, Asset>,
    pub built: BuiltFiles,
}

impl SiteAssets {
    /// Loads every file below `root`, the site folder `cargo leptos build` makes.
    pub fn load(root: &Path) -> Result<SiteAssets, AssetError> {
        let mut files = HashMap::new();
        for path in walk(root)? {
            let url = url_of(root, &path);
            let asset = Asset::load(&path, url.starts_with(BUNDLE_PREFIX))?;
            files.insert(url, asset);
        }
        let bundle = |kind: &'static str| -> Result<String, AssetError> {
            let mut found = files.keys().filter(|url| is_bundle(url, kind));
            match (found.next(), found.next()) {
                (Some(url), None) => Ok(url.clone()),
                (None, _) => Err(AssetError::Missing(root.join("pkg"), kind)),
                (Some(_), Some(_)) => Err(AssetError::Ambiguous(root.join("pkg"), kind)),
            }
        };
        let (css, js, wasm) = (bundle("css")?, bundle("js")?, bundle("wasm")?);
        let versioned = |name: &'static str| {
            files
                .get(&format!("/{name}"))
                .map(|a| format!("/{name}?v={}", a.version))
                .ok_or_else(|| AssetError::Missing(root.join(name), name))
        };
        let (offline, help, privacy, share, event, icon) = (
            versioned("offline.js")?,
            versioned("help.js")?,
            versioned("privacy.js")?,
            versioned("share.js")?,
            versioned("event.js")?,
            versioned("icon.svg")?,
        );
        let (listen, record) = (versioned("listen.js")?, versioned("record.js")?);
        let karen_font = files
            .keys()
            .find(|url| url.starts_with("/fonts/karen.") && url.ends_with(".woff2"))
            .cloned();
        Ok(SiteAssets {
            files,
            built: BuiltFiles {
                css,
                js,
                wasm,
                offline,
                help,
                privacy,
                share,
                event,
                listen,
                record,
                icon,
                karen_font,
            },
        })
    }

    /// The URL to link `path` with: `path?v=<version>`, which may be cached for good.
    pub fn versioned(&self, path: &str) -> Option<String> {
        self.files
            .get(path)
            .map(|a| format!("{path}?v={}", a.version))
    }

    /// The URLs below `prefix`, such as `/fonts/`, sorted.
    pub fn urls_under(&self, prefix: &str) -> Vec<&str> {
        let mut urls: Vec<_> = self
            .files
            .keys()
            .filter(|url| url.starts_with(prefix))
            .map(String::as_str)
            .collect();
        urls.sort_unstable();
        urls
    }

    /// What a browser that accepts brotli downloads for `url` (a query is ignored), and the
    /// validator that changes whenever the file does.
    pub fn wire(&self, url: &str) -> Option<Wire> {
        let path = url.split_once('?').map_or(url, |(path, _)| path);
        let asset = self.files.get(path)?;
        Some(Wire {
            hash: asset.version.clone(),
            bytes: asset.brotli.as_ref().unwrap_or(&asset.identity).len(),
        })
    }

    /// How many files were loaded, for the start-up log.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// The response for `path`, or `None` when no such file exists.
    pub fn respond(
        &self,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
    ) -> Option<Response> {
        let asset = self.files.get(path)?;
        let versioned = query
            .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("v=")))
            .is_some_and(|v| v == asset.version);
        let cache_control = if asset.hashed_name || versioned {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let mut response = Response::builder()
            .header(header::CONTENT_TYPE, asset.content_type)
            .header(header::CACHE_CONTROL, cache_control)
            .header(header::ETAG, asset.etag.clone())
            .header(header::VARY, "Accept-Encoding");
        if asset
            .etag
            .to_str()
            .is_ok_and(|etag| etag_matches(headers, etag))
        {
            return response
                .status(StatusCode::NOT_MODIFIED)
                .body(Body::empty())
                .ok();
        }
        let accepts = accepted_encodings(headers);
        let body = match (&asset.brotli, &asset.gzip) {
            (Some(br), _) if accepts.brotli => {
                response = response.header(header::CONTENT_ENCODING, "br");
                br.clone()
            }
            (_, Some(gz)) if accepts.gzip => {
                response = response.header(header::CONTENT_ENCODING, "gzip");
                gz.clone()
            }
            _ => asset.identity.clone(),
        };
        response.body(Body::from(body)).ok()
    }
}

impl Asset {
    fn load(path: &Path, hashed_by_build: bool) -> Result<Asset, AssetError> {
        let read_err = |source| AssetError::Read {
            path: path.to_owned(),
            source,
        };
        let identity = fs::read(path).map_err(read_err)?;
        let digest = hex(&Sha256::digest(&identity));
        let version = digest[..12].to_owned();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let hashed_name = hashed_by_build || name.split('.').any(|part| part == version);
        let content_type = content_type(path);
        let (brotli, gzip) = if compressible(content_type) {
            (
                Some(cached_compressed(
                    path,
                    "br",
                    &identity,
                    super::cache::brotli,
                )),
                Some(cached_compressed(path, "gz", &identity, super::cache::gzip)),
            )
        } else {
            (None, None)
        };
        Ok(Asset {
            content_type,
            etag: HeaderValue::from_str(&format!("\"{}\"", &digest[..20]))
                .expect("hex digits make a valid header"),
            identity,
            brotli,
            gzip,
            version,
            hashed_name,
        })
    }
}

/// Whether `url` is the bundle's file of this kind: `/pkg/passport.<hash>.<kind>`.
fn is_bundle(url: &str, kind: &str) -> bool {
    url.strip_prefix(BUNDLE_PREFIX)
        .and_then(|rest| rest.strip_suffix(kind)?.strip_suffix('.'))
        .is_some_and(|hash| !hash.is_empty() && !hash.contains('.'))
}

/// The compressed body from `path.ext` if it is newer than `path`, else made now and saved
/// there for the next start. A read-only site folder only costs the time to compress.
fn cached_compressed(
    path: &Path,
    ext: &str,
    identity: &[u8],
    compress: fn(&[u8]) -> io::Result<Vec<u8>>,
) -> Vec<u8> {
    let cached = path.with_file_name(format!(
        "{}.{ext}",
        path.file_name().unwrap_or_default().to_string_lossy()
    ));
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(cache_time), Some(source_time)) = (modified(&cached), modified(path))
        && cache_time >= source_time
        && let Ok(bytes) = fs::read(&cached)
    {
        return bytes;
    }
    let bytes = compress(identity).unwrap_or_else(|_| identity.to_owned());
    if let Err(error) = fs::write(&cached, &bytes) {
        tracing::debug!(path = %cached.display(), %error, "cannot keep the compressed copy");
    }
    bytes
}

/// Every file below `root`, skipping the compressed copies this module writes.
fn walk(root: &Path) -> Result<Vec<PathBuf>, AssetError> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        let entries = fs::read_dir(&dir).map_err(|source| AssetError::Read {
            path: dir.clone(),
            source,
        })?;
        for entry in entries {
            let path = entry
                .map_err(|source| AssetError::Read {
                    path: dir.clone(),
                    source,
                })?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if !matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz"))
                && path != root.join("pkg").join(HASH_FILE)
            {
                found.push(path);
            }
        }
    }
    Ok(found)
}

fn url_of(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    format!("/{}", parts.join("/"))
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || matches!(
            content_type,
            "application/wasm"
                | "application/json"
                | "application/manifest+json"
                | "image/svg+xml"
                | "image/x-icon"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_bundle_files_count_as_the_bundle() {
        assert!(is_bundle("/pkg/passport.Ab-9_x.wasm", "wasm"));
        assert!(!is_bundle("/pkg/passport.wasm", "wasm"));
        assert!(!is_bundle("/pkg/passport.d.Ab9.ts", "js"));
        assert!(!is_bundle("/pkg/passport_bg.wasm.d.Ab9.ts", "wasm"));
        assert!(!is_bundle("/pkg/passport.Ab9.css", "js"));
    }

    #[test]
    fn a_site_with_two_builds_of_the_bundle_is_refused() {
        let root = std::env::temp_dir().join(format!("passport-assets-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("pkg")).expect("dir");
        for name in [
            "passport.a1.css",
            "passport.b2.js",
            "passport.c3.wasm",
            "passport.d4.wasm",
        ] {
            fs::write(root.join("pkg").join(name), name).expect("file");
        }
        let result = SiteAssets::load(&root);
        assert!(matches!(result, Err(AssetError::Ambiguous(_, "wasm"))));
        let _ = fs::remove_dir_all(&root);
    }
}
