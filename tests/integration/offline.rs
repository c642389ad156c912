//! Offline use over HTTP: the precache manifest each language's service worker syncs from,
//! the web app manifests, and the cache headers the worker and browsers rely on.

use crate::common::{Fixture, text};
use axum::http::{StatusCode, header};
use passport::editor::{publish::publish_all, texts};
use passport::i18n::{Locale, validate::Kind};
use serde_json::Value;
use std::collections::BTreeMap;

async fn precache(f: &Fixture, locale: Locale) -> Value {
    let response = f.get(&format!("/{locale}/offline.json"), &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    serde_json::from_str(&text(response).await).expect("the manifest is JSON")
}

/// url -> hash of every page in a manifest.
fn page_hashes(manifest: &Value) -> BTreeMap<String, String> {
    manifest["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|e| {
            (
                e["url"].as_str().expect("url").to_owned(),
                e["hash"].as_str().expect("hash").to_owned(),
            )
        })
        .collect()
}

fn urls(manifest: &Value, list: &str) -> Vec<String> {
    manifest[list]
        .as_array()
        .expect("list")
        .iter()
        .map(|e| e["url"].as_str().expect("url").to_owned())
        .collect()
}

#[tokio::test]
async fn each_language_lists_every_page_with_the_hash_its_etag_carries() {
    let f = Fixture::new("precache").await;
    let (checklists, guides): (Vec<String>, Vec<String>) =
        f.db.read(|c| {
            let slugs = |sql: &str| -> rusqlite::Result<Vec<String>> {
                let mut s = c.prepare(sql)?;
                s.query_map([], |r| r.get(0))?.collect()
            };
            Ok((
                slugs("SELECT slug FROM checklist")?,
                slugs("SELECT slug FROM guide")?,
            ))
        })
        .await
        .expect("slugs");
    for locale in Locale::ALL {
        let manifest = precache(&f, locale).await;
        assert_eq!(manifest["lang"], locale.code());
        let pages = page_hashes(&manifest);
        let mut expected = vec![
            format!("/{locale}/"),
            format!("/{locale}/checklists"),
            format!("/{locale}/guides"),
            format!("/{locale}/contacts"),
            format!("/{locale}/help"),
            format!("/{locale}/offline"),
            format!("/{locale}/privacy"),
            format!("/{locale}/weather"),
            format!("/{locale}/share"),
            format!("/{locale}/manifest.webmanifest"),
        ];
        expected.extend(
            checklists
                .iter()
                .map(|s| format!("/{locale}/checklists/{s}")),
        );
        expected.extend(guides.iter().map(|s| format!("/{locale}/guides/{s}")));
        for url in &expected {
            let hash = pages
                .get(url)
                .unwrap_or_else(|| panic!("{url} missing from the {locale} manifest"));
            let response = f.get(url, &[]).await;
            let etag = response.headers()[header::ETAG].to_str().expect("etag");
            assert!(etag.contains(hash.as_str()), "{url}: {etag} vs {hash}");
        }
        assert_eq!(pages.len(), expected.len(), "{locale}: {pages:?}");
        for entry in manifest["pages"].as_array().into_iter().flatten() {
            assert!(entry["bytes"].as_u64().expect("bytes") > 0);
        }

        let files = urls(&manifest, "files");
        for built in [
            "/pkg/passport.",
            "/offline.js?v=",
            "/privacy.js?v=",
            "/share.js?v=",
            "/event.js?v=",
            "/icons/icon-192.png?v=",
        ] {
            assert!(
                files.iter().any(|u| u.starts_with(built)),
                "{locale}: {built} in {files:?}"
            );
        }
        let font = if locale == Locale::Ksw {
            "/fonts/karen."
        } else {
            "/fonts/karen-name."
        };
        assert!(
            files.iter().any(|u| u.starts_with(font)),
            "{locale}: {font} in {files:?}"
        );
        for file in &files {
            assert_eq!(f.get(file, &[]).await.status(), StatusCode::OK, "{file}");
        }
    }
}

#[tokio::test]
async fn an_edited_text_changes_only_the_pages_that_show_it() {
    let f = Fixture::new("precache-edit").await;
    let before: Vec<_> = hashes_by_language(&f).await;
    let (item, value): (String, String) =
        f.db.read(|c| {
            c.query_row(
                "SELECT message_id, value FROM content_text
                 WHERE locale = 'vi' AND message_id LIKE 'checklist.job-offer.item.%.text'
                 ORDER BY message_id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
        .await
        .expect("an item text");
    // Saved and published as an editor does: a new content version.
    f.db.write(move |c| {
        let message = texts::find(c, Kind::Content, &item)?.expect("the item");
        let change = texts::Change {
            kind: Kind::Content,
            id: &item,
            locale: Locale::Vi,
            value: &format!("{value} (sửa)"),
            status: texts::Status::Reviewed,
            by: "test",
            action: "save",
        };
        texts::save(c, &message, &change)
    })
    .await
    .expect("edit");
    let version = publish_all(&f.app, "test".to_owned(), None)
        .await
        .expect("published");
    assert_eq!(version.version, Some(2));
    let after: Vec<_> = hashes_by_language(&f).await;
    let mut changed = Vec::new();
    for (old, new) in before.iter().zip(&after) {
        assert_eq!(old.len(), new.len());
        for (url, hash) in new {
            if old[url] != *hash {
                changed.push(url.clone());
            }
        }
    }
    assert_eq!(changed, ["/vi/checklists/job-offer"]);
    let (old_vi, new_vi) = (
        precache(&f, Locale::Vi).await,
        precache(&f, Locale::Vi).await,
    );
    assert_eq!(
        old_vi["version"], new_vi["version"],
        "the version is stable"
    );
}

/// Every language's page hashes, in `Locale::ALL` order.
async fn hashes_by_language(f: &Fixture) -> Vec<BTreeMap<String, String>> {
    let mut all = Vec::new();
    for locale in Locale::ALL {
        all.push(page_hashes(&precache(f, locale).await));
    }
    all
}

#[tokio::test]
async fn the_precache_manifest_revalidates_with_a_304() {
    let f = Fixture::new("precache-304").await;
    let first = f.get("/th/offline.json", &[]).await;
    let etag = first.headers()[header::ETAG]
        .to_str()
        .expect("etag")
        .to_owned();
    assert_eq!(first.headers()[header::CACHE_CONTROL], "no-cache");
    let again = f
        .get("/th/offline.json", &[(header::IF_NONE_MATCH, &etag)])
        .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn every_language_has_an_installable_manifest_in_its_own_words() {
    let f = Fixture::new("webmanifest").await;
    for locale in Locale::ALL {
        let response = f.get(&format!("/{locale}/manifest.webmanifest"), &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/manifest+json"
        );
        let manifest: Value = serde_json::from_str(&text(response).await).expect("JSON");
        assert_eq!(manifest["name"], f.says(locale, "app-name"));
        assert_eq!(manifest["short_name"], f.says(locale, "app-short-name"));
        assert_eq!(manifest["start_url"], format!("/{locale}/"));
        assert_eq!(manifest["lang"], locale.code());
        assert_eq!(manifest["display"], "standalone");
        let icons = manifest["icons"].as_array().expect("icons");
        for (size, purpose) in [
            ("192x192", "any"),
            ("512x512", "any"),
            ("192x192", "maskable"),
            ("512x512", "maskable"),
        ] {
            let icon = icons
                .iter()
                .find(|i| i["sizes"] == size && i["purpose"] == purpose)
                .unwrap_or_else(|| panic!("{locale}: no {purpose} icon of {size}"));
            let src = icon["src"].as_str().expect("src");
            let png = f.get(src, &[]).await;
            assert_eq!(png.headers()[header::CONTENT_TYPE], "image/png", "{src}");
            assert!(
                png.headers()[header::CACHE_CONTROL]
                    .to_str()
                    .expect("cc")
                    .contains("immutable")
            );
        }
        let page = text(f.get(&format!("/{locale}/"), &[]).await).await;
        assert!(page.contains(&format!(
            "rel=\"manifest\" href=\"/{locale}/manifest.webmanifest\""
        )));
    }
}

#[tokio::test]
async fn the_worker_is_never_cached_and_hashed_files_are_immutable() {
    let f = Fixture::new("cache-headers").await;
    let worker = f.get("/sw.js", &[]).await;
    assert_eq!(worker.status(), StatusCode::OK);
    assert_eq!(worker.headers()[header::CACHE_CONTROL], "no-cache");
    assert!(
        worker.headers()[header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .contains("javascript")
    );
    let wasm = f.get("/pkg/passport.wasmHASH.wasm", &[]).await;
    assert!(
        wasm.headers()[header::CACHE_CONTROL]
            .to_str()
            .expect("cc")
            .contains("immutable")
    );
    let page = f
        .get("/ksw/contacts", &[(header::ACCEPT_ENCODING, "br")])
        .await;
    assert_eq!(page.headers()[header::CACHE_CONTROL], "no-cache");
    assert!(
        page.headers()[header::VARY]
            .to_str()
            .expect("vary")
            .contains("Accept-Encoding")
    );
}

#[tokio::test]
async fn the_keep_for_offline_page_offers_every_language_in_its_own_script() {
    let f = Fixture::new("keep-offline").await;
    for locale in Locale::ALL {
        let response = f.get(&format!("/{locale}/offline"), &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = text(response).await;
        assert!(page.contains(&f.says(locale, "offline-keep")), "{locale}");
        for other in Locale::ALL {
            assert!(
                page.contains(&format!("value=\"{other}\"")),
                "{locale}: {other}"
            );
            assert!(page.contains(&f.says(other, "language-name")));
        }
        let home = text(f.get(&format!("/{locale}/"), &[]).await).await;
        assert!(
            home.contains(&format!("href=\"/{locale}/offline\"")),
            "{locale}: footer link"
        );
    }
}

#[tokio::test]
async fn a_static_export_holds_every_page_of_every_language_with_compressed_copies() {
    let f = Fixture::new("export-static").await;
    let out = f.dir.join("static");
    let exported = passport::offline::export::export(&f.app, &f.dir.join("site"), &out)
        .await
        .expect("exported");
    let mut pages = 0;
    for locale in Locale::ALL {
        let manifest = precache(&f, locale).await;
        for url in page_hashes(&manifest).keys() {
            let file = if url.ends_with(".webmanifest") {
                url.clone()
            } else {
                format!("{}/index.html", url.trim_end_matches('/'))
            };
            let path = out.join(file.trim_start_matches('/'));
            let served = text(f.get(url, &[]).await).await;
            let written = std::fs::read_to_string(&path).expect("a written page");
            assert_eq!(written, served, "{url}");
            for ext in [".br", ".gz"] {
                let mut name = path.clone().into_os_string();
                name.push(ext);
                assert!(
                    std::fs::metadata(&name).is_ok_and(|m| m.len() > 0),
                    "{url}{ext}"
                );
            }
            pages += 1;
        }
        assert!(out.join(format!("{locale}/offline.json")).is_file());
    }
    assert_eq!(exported.pages, pages + Locale::ALL.len());
    assert!(out.join("sw.js").is_file() && exported.files > 10);
}
