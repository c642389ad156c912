//! The router driven in-process (no socket): redirects, every language's pages, the 404,
//! static files and `/healthz`.

use crate::common::{Fixture, location, text};
use axum::http::{StatusCode, header};
use passport::content::store;
use passport::i18n::Locale;
use passport::site::security::{DOCUMENT_HEADERS, HEADERS};

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn root_redirects_by_cookie_then_accept_language_and_otherwise_asks() {
    let f = Fixture::new("root").await;
    for asked in [
        None,
        Some("fr-FR,fr;q=0.9"),
        Some("my-MM,my;q=0.9,en-US;q=0.8"),
    ] {
        let headers: Vec<_> = asked
            .map(|a| (header::ACCEPT_LANGUAGE, a))
            .into_iter()
            .collect();
        let choice = f.get("/", &headers).await;
        assert_eq!(
            choice.status(),
            StatusCode::OK,
            "{asked:?} is asked, not redirected"
        );
        let vary = choice.headers()[header::VARY]
            .to_str()
            .expect("vary")
            .to_owned();
        assert!(vary.contains("Accept-Language"), "{vary}");
        let html = text(choice).await;
        for locale in Locale::ALL {
            let button = format!("href=\"/{locale}/\" lang=\"{locale}\"");
            assert!(html.contains(&button), "{asked:?}: {button}");
        }
    }

    let vietnamese = f
        .get("/", &[(header::ACCEPT_LANGUAGE, "vi-VN,vi;q=0.9,en;q=0.5")])
        .await;
    assert_eq!(location(&vietnamese), "/vi/");

    let cookie = f
        .get(
            "/",
            &[
                (header::COOKIE, "lang=ksw"),
                (header::ACCEPT_LANGUAGE, "vi"),
            ],
        )
        .await;
    assert_eq!(location(&cookie), "/ksw/");
    let vary = cookie.headers()[header::VARY].to_str().expect("vary");
    assert!(
        vary.contains("Cookie") && vary.contains("Accept-Language"),
        "{vary}"
    );
}

#[tokio::test]
async fn a_language_code_in_other_letters_redirects_to_the_canonical_address() {
    let f = Fixture::new("case").await;
    for (asked, canonical) in [
        ("/VI/", "/vi/"),
        (
            "/Ksw/checklists/job-offer?x=1",
            "/ksw/checklists/job-offer?x=1",
        ),
        ("/TH", "/th/"),
    ] {
        let response = f.get(asked, &[]).await;
        assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT, "{asked}");
        assert_eq!(location(&response), canonical, "{asked}");
    }
    assert_eq!(f.get("/VX/", &[]).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_language_without_its_slash_redirects_to_its_home() {
    let f = Fixture::new("slash").await;
    let response = f.get("/th", &[]).await;
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(location(&response), "/th/");
}

#[tokio::test]
async fn every_language_has_its_home_page_in_its_own_words() {
    let f = Fixture::new("home").await;
    for locale in Locale::ALL {
        let response = f.get(&format!("/{locale}/"), &[]).await;
        assert_eq!(response.status(), StatusCode::OK, "{locale}");
        assert_eq!(response.headers()[header::CONTENT_LANGUAGE], locale.code());
        let cookie = response.headers()[header::SET_COOKIE]
            .to_str()
            .expect("cookie");
        assert!(cookie.starts_with(&format!("lang={locale};")), "{cookie}");
        let html = text(response).await;
        assert!(html.starts_with("<!DOCTYPE html>"), "{locale}");
        assert!(
            html.contains(&format!("<html lang=\"{locale}\"")),
            "{locale}"
        );
        for id in ["home-title", "home-intro", "quick-exit", "nav-help"] {
            assert!(
                html.contains(&f.says(locale, id)),
                "{locale} home lacks {id}"
            );
        }
        assert!(
            html.contains("<leptos-island"),
            "{locale}: the quick-exit island is missing"
        );
    }
}

#[tokio::test]
async fn the_language_switcher_keeps_the_person_on_the_same_page() {
    let f = Fixture::new("switcher").await;
    let html = text(f.get("/th/guides", &[]).await).await;
    for locale in Locale::ALL {
        let link = format!("href=\"/{locale}/guides\" lang=\"{locale}\"");
        assert!(html.contains(&link), "missing {link}");
        assert!(html.contains(&f.says(locale, "language-name")));
    }
}

#[tokio::test]
async fn every_section_page_exists_in_every_language() {
    let f = Fixture::new("sections").await;
    for locale in Locale::ALL {
        for (path, says) in [
            ("checklists", "checklists-intro"),
            ("guides", "guides-intro"),
            ("contacts", "contacts-intro"),
            ("help", "help-kind-label"),
        ] {
            let response = f.get(&format!("/{locale}/{path}"), &[]).await;
            assert_eq!(response.status(), StatusCode::OK, "/{locale}/{path}");
            assert!(
                text(response).await.contains(&f.says(locale, says)),
                "/{locale}/{path}"
            );
        }
    }
}

#[tokio::test]
async fn unknown_pages_get_a_localised_404() {
    let f = Fixture::new("404").await;
    // Under a language, the 404 speaks that language whatever the browser prefers.
    for uri in ["/vi/no-such-page", "/vi/guides/extra/deep"] {
        let inside = f.get(uri, &[(header::ACCEPT_LANGUAGE, "th")]).await;
        assert_eq!(inside.status(), StatusCode::NOT_FOUND, "{uri}");
        let html = text(inside).await;
        assert!(html.contains("<html lang=\"vi\""), "{uri}");
        assert!(
            html.contains(&f.says(Locale::Vi, "not-found-title")),
            "{uri}"
        );
    }

    for uri in ["/nowhere", "/fr/", "/pkg/missing.js"] {
        let outside = f.get(uri, &[(header::ACCEPT_LANGUAGE, "th")]).await;
        assert_eq!(outside.status(), StatusCode::NOT_FOUND, "{uri}");
        assert!(
            text(outside)
                .await
                .contains(&f.says(Locale::Th, "not-found-title")),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn karen_pages_preload_the_karen_font_and_others_do_not() {
    let f = Fixture::new("font").await;
    let karen = text(f.get("/ksw/", &[]).await).await;
    assert!(
        karen.contains("rel=\"preload\" href=\"/fonts/karen."),
        "no font preload"
    );
    let english = text(f.get("/en/", &[]).await).await;
    assert!(!english.contains("href=\"/fonts/karen."));
}

#[tokio::test]
async fn healthz_answers_ok_when_the_database_does() {
    let f = Fixture::new("health").await;
    let response = f.get("/healthz", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(text(response).await, "ok");
}

#[tokio::test]
async fn hashed_files_are_immutable_and_sent_precompressed() {
    let f = Fixture::new("static").await;
    let wasm = f
        .get(
            "/pkg/passport.wasmHASH.wasm",
            &[(header::ACCEPT_ENCODING, "gzip, br")],
        )
        .await;
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(wasm.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
    assert!(
        wasm.headers()[header::CACHE_CONTROL]
            .to_str()
            .expect("ascii")
            .contains("immutable")
    );

    let gzip_only = f
        .get(
            "/pkg/passport.jsHASH.js",
            &[(header::ACCEPT_ENCODING, "gzip")],
        )
        .await;
    assert_eq!(gzip_only.headers()[header::CONTENT_ENCODING], "gzip");

    let identity = f.get("/pkg/passport.jsHASH.js", &[]).await;
    assert!(identity.headers().get(header::CONTENT_ENCODING).is_none());
    assert!(text(identity).await.starts_with("export default"));
}

#[tokio::test]
async fn a_page_script_is_immutable_only_at_its_versioned_url() {
    let f = Fixture::new("script").await;
    let html = text(f.get("/en/", &[]).await).await;
    let start = html
        .find("src=\"/offline.js?v=")
        .expect("offline script tag")
        + 5;
    let url = &html[start..start + html[start..].find('"').expect("closing quote")];
    let versioned = f.get(url, &[]).await;
    assert!(
        versioned.headers()[header::CACHE_CONTROL]
            .to_str()
            .expect("ascii")
            .contains("immutable")
    );
    let stale = f.get("/offline.js?v=000000000000", &[]).await;
    assert_eq!(stale.headers()[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn a_matching_etag_gets_304_for_pages_and_files() {
    let f = Fixture::new("etag").await;
    for uri in ["/vi/", "/fonts/OFL.txt", "/vi/offline.json"] {
        let first = f.get(uri, &[]).await;
        let etag = first.headers()[header::ETAG]
            .to_str()
            .expect("etag")
            .to_owned();
        let again = f.get(uri, &[(header::IF_NONE_MATCH, &etag)]).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{uri}");
        // The stored response keeps the headers it came with: a 304 repeats none of the
        // document's, only the small ones every answer has.
        let csp = header::CONTENT_SECURITY_POLICY;
        assert!(first.headers().contains_key(&csp), "{uri}");
        assert!(!again.headers().contains_key(&csp), "{uri}");
        assert!(!again.headers().contains_key("permissions-policy"), "{uri}");
        assert_eq!(again.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let changed = f.get(uri, &[(header::IF_NONE_MATCH, "\"other\"")]).await;
        assert_eq!(changed.status(), StatusCode::OK, "{uri}");
    }
}

#[tokio::test]
async fn pages_are_compressed_on_the_fly() {
    let f = Fixture::new("gzip").await;
    let response = f.get("/en/", &[(header::ACCEPT_ENCODING, "br")]).await;
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
}

/// Every kind of answer, from pages to static files, JSON, staff pages, redirects and errors,
/// carries the security headers.
#[tokio::test]
async fn every_route_class_sends_the_security_headers() {
    let f = Fixture::new("security-headers").await;
    let api = f
        .post("/api/v1/help-requests", "application/json", "{}", &[])
        .await;
    let mut responses = vec![("POST /api/v1/help-requests", api)];
    for uri in [
        "/",
        "/vi/",
        "/th/checklists/job-offer",
        "/ksw/help",
        "/en/offline.json",
        "/en/manifest.webmanifest",
        "/sw.js",
        "/offline.js",
        "/pkg/passport.wasmHASH.wasm",
        "/en/no-such-page",
        "/staff/login",
        "/staff/requests",
        "/healthz",
    ] {
        responses.push((uri, f.get(uri, &[]).await));
    }
    for (what, response) in responses {
        let headers = response.headers();
        let kind = headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().expect("ascii").to_owned())
            .unwrap_or_default();
        // Only what a page loads goes without the document headers; pages, errors, JSON, the
        // web manifest, plain text and the service worker all get them.
        let subresource = [
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/wasm",
        ]
        .iter()
        .any(|prefix| kind.starts_with(prefix));
        let document = what == "/sw.js" || !subresource;
        let (all, documents) = (HEADERS, DOCUMENT_HEADERS);
        let expected = all
            .iter()
            .chain(if document { &documents[..] } else { &[] });
        for (name, value) in expected {
            assert_eq!(
                headers.get(name).map(|v| v.to_str().ok()),
                Some(Some(*value)),
                "{what} ({kind}): {name}"
            );
        }
        if document {
            let csp = headers[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .expect("ascii");
            assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
            assert!(!csp.contains("unsafe-inline"), "{what}");
            if kind.starts_with("text/html") && !what.starts_with("/staff") {
                assert_eq!(csp, f.app.site.content_security_policy, "{what}");
            }
        } else {
            assert!(
                !headers.contains_key(header::CONTENT_SECURITY_POLICY),
                "{what}: no need"
            );
        }
    }
}

#[tokio::test]
async fn the_privacy_notice_is_in_every_language_and_clearing_asks_the_browser_to_forget() {
    let f = Fixture::new("privacy").await;
    for locale in Locale::ALL {
        let page = f.get(&format!("/{locale}/privacy"), &[]).await;
        assert_eq!(page.status(), StatusCode::OK, "{locale}");
        let html = text(page).await;
        for id in [
            "privacy-phone",
            "privacy-request",
            "privacy-who",
            "privacy-delete",
            "clear-button",
        ] {
            assert!(html.contains(&f.says(locale, id)), "{locale}: {id}");
        }
        assert!(html.contains("180"), "{locale}: the retention period");
        assert!(
            html.contains("365"),
            "{locale}: the period for a request never closed"
        );
        let home = text(f.get(&format!("/{locale}/"), &[]).await).await;
        assert!(
            home.contains(&format!("href=\"/{locale}/privacy\"")),
            "{locale}: linked from every page"
        );
    }
    let cleared = f
        .post(
            "/vi/clear",
            FORM,
            "confirm=yes",
            &[(
                header::HeaderName::from_static("sec-fetch-site"),
                "same-origin",
            )],
        )
        .await;
    assert_eq!(cleared.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&cleared),
        "about:blank",
        "it leaves for the neutral site"
    );
    assert_eq!(
        cleared.headers()["clear-site-data"],
        "\"cache\", \"cookies\", \"storage\""
    );
    assert!(
        cleared.headers()[header::SET_COOKIE]
            .to_str()
            .expect("ascii")
            .contains("Max-Age=0")
    );

    let from_the_script = f.post("/vi/clear", FORM, "leave=no", &[]).await;
    assert_eq!(from_the_script.status(), StatusCode::NO_CONTENT);
    assert!(from_the_script.headers().contains_key("clear-site-data"));

    let from_elsewhere = f
        .post(
            "/vi/clear",
            FORM,
            "confirm=yes",
            &[(
                header::HeaderName::from_static("sec-fetch-site"),
                "cross-site",
            )],
        )
        .await;
    assert_eq!(location(&from_elsewhere), "/vi/privacy");
    assert!(!from_elsewhere.headers().contains_key("clear-site-data"));
}

#[tokio::test]
async fn the_neutral_page_names_nothing_of_the_app_and_runs_no_script() {
    let f = Fixture::new("neutral").await;
    for locale in Locale::ALL {
        let response = f.get(&format!("/{locale}/weather"), &[]).await;
        assert_eq!(response.status(), StatusCode::OK, "{locale}");
        let html = text(response).await;
        assert!(html.contains(&f.says(locale, "neutral-title")), "{locale}");
        assert!(!html.contains(&f.says(locale, "app-name")), "{locale}");
        assert!(
            !html.contains("<script") && !html.contains("manifest"),
            "{locale}"
        );
    }
}

#[tokio::test]
async fn the_share_page_shows_the_address_phones_use_as_a_qr_code_without_script() {
    let f = Fixture::new("share").await;
    for locale in Locale::ALL {
        let response = f
            .get(
                &format!("/{locale}/share"),
                &[(header::HOST, "192.168.1.20:3000")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{locale}");
        let html = text(response).await;
        let address = format!("http://192.168.1.20:3000/{locale}/");
        assert!(html.contains(&format!("href=\"{address}\"")), "{locale}");
        assert!(
            html.contains("<svg aria-hidden=\"true\""),
            "{locale}: the QR code"
        );
        assert!(html.contains(&f.says(locale, "share-intro")), "{locale}");
        assert!(
            html.contains(&format!("data-url=\"{address}\"")),
            "{locale}: Web Share"
        );
    }
}

/// Text as the page's HTML writes it.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[tokio::test]
async fn the_booklet_holds_every_checklist_sign_guide_and_hotline_with_a_qr_code_back() {
    let f = Fixture::new("booklet").await;
    for locale in Locale::ALL {
        let (checklists, guides, countries) =
            f.db.read(move |c| {
                let mut signs = Vec::new();
                for summary in store::checklists(c, locale)? {
                    let checklist = store::checklist(c, locale, &summary.slug)?.expect("listed");
                    signs.push((checklist.title, checklist.items));
                }
                Ok((
                    signs,
                    store::guides(c, locale)?,
                    store::countries(c, locale)?,
                ))
            })
            .await
            .expect("content");
        let response = f
            .get(
                &format!("/{locale}/booklet"),
                &[(header::HOST, "10.0.0.5:3000")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{locale}");
        let html = text(response).await;
        assert!(
            html.contains("<svg aria-hidden=\"true\"") && html.contains("http://10.0.0.5:3000/"),
            "{locale}: the QR code and the address it leads to"
        );
        for (title, items) in &checklists {
            assert!(html.contains(&escape(title)), "{locale}: {title}");
            for item in items {
                assert!(
                    html.contains(&escape(&item.text)),
                    "{locale}: {}",
                    item.text
                );
            }
        }
        for guide in &guides {
            assert!(
                html.contains(&escape(&guide.title)),
                "{locale}: {}",
                guide.title
            );
        }
        for contact in countries.iter().flat_map(|c| &c.contacts) {
            assert!(html.contains(&contact.phone), "{locale}: {}", contact.phone);
        }
        assert!(html.contains(&f.says(locale, "booklet-safety")), "{locale}");
    }
}

#[tokio::test]
async fn event_mode_starts_with_big_language_buttons_and_pages_go_back_there_when_idle() {
    let f = Fixture::event("event-mode", 90).await;
    let start = f.get("/", &[(header::COOKIE, "lang=vi")]).await;
    assert_eq!(
        start.status(),
        StatusCode::OK,
        "a start page, not a redirect"
    );
    let html = text(start).await;
    for locale in Locale::ALL {
        assert!(
            html.contains(&format!("href=\"/{locale}/\" lang=\"{locale}\"")),
            "{locale}"
        );
        assert!(html.contains(&f.says(locale, "language-name")), "{locale}");
    }
    let page = text(f.get("/th/help", &[]).await).await;
    assert!(page.contains("data-event-idle=\"90\""));
    assert!(page.contains("/event.js?v="));
    assert!(
        !page.contains("data-help-keep"),
        "a shared device keeps no reference"
    );
    for field in ["place", "contact", "safe_time", "name"] {
        let input = page
            .split(&format!(r#"id="{field}""#))
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .unwrap_or_else(|| panic!("{field} field"));
        assert!(
            input.contains(r#"autocomplete="off""#),
            "{field}: the next person is offered nothing: {input}"
        );
    }
    assert!(page.contains(r#"<textarea id="message""#));
    assert!(
        page.split(r#"<textarea id="message""#)
            .nth(1)
            .and_then(|r| r.split('>').next())
            .is_some_and(|t| t.contains(r#"autocomplete="off""#)),
        "the message too"
    );

    let outside = Fixture::new("event-mode-off").await;
    let known = [(header::ACCEPT_LANGUAGE, "th")];
    assert_eq!(
        outside.get("/", &known).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = text(outside.get("/th/help", &[]).await).await;
    assert!(!page.contains("data-event-idle") && !page.contains("/event.js"));
    assert!(page.contains("data-help-keep"));
    assert_eq!(
        page.matches(r#"autocomplete="off""#).count(),
        1,
        "only the honeypot: a person's own phone may offer their own answers"
    );
}

#[tokio::test]
async fn public_pages_come_from_the_cache_until_a_new_content_version_is_published() {
    let f = Fixture::new("page-cache").await;
    let url = "/vi/checklists/job-offer";
    let first = f.get(url, &[(header::ACCEPT_ENCODING, "br, gzip")]).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()[header::CONTENT_ENCODING], "br");
    let tag = first.headers()[header::ETAG]
        .to_str()
        .expect("etag")
        .to_owned();
    assert!(
        tag.starts_with('"') && tag.ends_with("-br\""),
        "strong: {tag}"
    );
    let kept = f.app.cache.len();
    assert!(kept >= 1);

    let gzip = f.get(url, &[(header::ACCEPT_ENCODING, "gzip")]).await;
    assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
    let again = f.get(url, &[(header::IF_NONE_MATCH, tag.as_str())]).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(f.app.cache.len(), kept, "answered from the cache");

    // A change in the database that is not published does not reach the public page.
    let id = "checklist.job-offer.title";
    let edited = "Tiêu đề đã sửa";
    f.db.write(move |c| {
        c.execute(
            "UPDATE content_text SET value = ?1 WHERE message_id = ?2 AND locale = 'vi'",
            [edited, id],
        )
    })
    .await
    .expect("edit");
    assert!(!text(f.get(url, &[]).await).await.contains(edited));
    // A new version starts a new generation: the page is rendered again, with the edit.
    f.app.cache.replace(f.app.cache.version() + 1);
    let fresh = f.get(url, &[(header::IF_NONE_MATCH, tag.as_str())]).await;
    assert_eq!(
        fresh.status(),
        StatusCode::OK,
        "the old ETag no longer matches"
    );
    assert!(text(fresh).await.contains(edited));

    // A query changes nothing and gets no copy of its own.
    let plain = text(f.get("/vi/help", &[]).await).await;
    let before = f.app.cache.len();
    let queried = text(f.get("/vi/help?attach=yes&kind=not-paid", &[]).await).await;
    assert_eq!(queried, plain);
    assert_eq!(f.app.cache.len(), before);

    // Nothing personal or changing is kept: staff pages, posts.
    let opened = f
        .post(
            "/vi/help",
            "application/x-www-form-urlencoded",
            "from=checklist&kind=other",
            &[],
        )
        .await;
    assert_eq!(opened.headers()[header::CACHE_CONTROL], "no-store");
    for uri in ["/staff/login", "/healthz", "/sw.js"] {
        let response = f.get(uri, &[]).await;
        assert!(response.status().is_success(), "{uri}");
        assert!(
            !response.headers().contains_key(header::ETAG) || !uri.starts_with("/staff"),
            "{uri}"
        );
    }
    assert_eq!(f.app.cache.len(), before);
}

#[tokio::test]
async fn the_island_loader_is_the_one_inline_script_and_the_policy_allows_it_by_its_hash() {
    use sha2::{Digest, Sha256};
    let f = Fixture::new("loader").await;
    let page = f.get("/vi/", &[]).await;
    let csp = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("ascii")
        .to_owned();
    let html = text(page).await;
    let inline: Vec<&str> = html
        .split("<script")
        .skip(1)
        .filter(|tag| !tag.split('>').next().unwrap_or_default().contains("src="))
        .map(|tag| {
            let body = &tag[tag.find('>').expect("tag ends") + 1..];
            &body[..body.find("</script>").expect("script ends")]
        })
        .collect();
    assert_eq!(inline.len(), 1, "{html}");
    let loader = inline[0];
    assert!(
        loader.contains("\"passport.jsHASH\"") && loader.contains("\"passport.wasmHASH\""),
        "{loader}"
    );
    let digest = Sha256::digest(loader.as_bytes());
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::new();
    for chunk in digest.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            encoded.push(if i <= chunk.len() {
                char::from(alphabet[(n >> (18 - 6 * i)) as usize & 63])
            } else {
                '='
            });
        }
    }
    assert!(csp.contains(&format!("'sha256-{encoded}'")), "{csp}");
    let again = text(f.get("/vi/", &[]).await).await;
    assert_eq!(html, again, "a page is the same bytes each time");
}

#[tokio::test]
async fn a_guide_for_one_countrys_workers_comes_last_for_others_and_says_whom_it_is_for() {
    let f = Fixture::new("guide-audience").await;
    for (locale, fits) in [
        (Locale::Th, false),
        (Locale::Ksw, false),
        (Locale::Vi, true),
    ] {
        let html = text(f.get(&format!("/{locale}/guides"), &[]).await).await;
        let korea = html
            .find("/guides/korea-eps\"")
            .expect("the Korea guide is listed");
        // Last among the ways to go; the safety guides follow in a list of their own.
        let pathways = &html[..html.find("id=\"guides-safety\"").expect("safety guides")];
        let last = pathways.rfind("<li class=\"card\">").expect("cards");
        let card = &html[html[..korea].rfind("<li").expect("its card")..];
        let card = &card[..card.find("</li>").expect("card ends")];
        assert_eq!(card.contains("card-note"), !fits, "{locale}: {card}");
        if !fits {
            assert!(korea > last, "{locale}: the Korea guide comes last");
            let vietnam = f.says(locale, "country-vn");
            assert!(
                card.contains(&vietnam),
                "{locale}: says it is for workers from {vietnam}"
            );
        }
    }
}
