//! The public site: the page layout every page shares, the home page, the 404, and the
//! built static files.

pub mod assets;
pub mod cache;
pub mod choice;
pub mod errors;
pub mod home;
mod layout;
pub mod neutral;
pub mod origin;
pub mod page;
pub mod pages;
pub mod privacy;
pub mod security;
pub mod share;
pub mod shell;

pub use layout::{Card, Cards, PageMeta, Section, document};
pub use page::{Page, PageRequest, public_page};

use crate::config::Config;
use crate::i18n::{Catalog, Locale, Tr};
use assets::SiteAssets;
use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use leptos::config::LeptosOptions;
use std::sync::{Arc, RwLock};

/// What rendering any public page needs: the messages, the built files, and site settings.
pub struct Site {
    /// The shipped messages with the published edits on top; replaced whole on each publish.
    pub catalog: RwLock<Arc<Catalog>>,
    pub assets: Arc<SiteAssets>,
    /// Where quick exit goes: a neutral site, set by whoever runs the server.
    pub exit_url: String,
    /// Event mode's idle time in seconds (`--event`), after which a page goes back to the
    /// start page; `None` outside event mode.
    pub event_idle: Option<u32>,
    /// The app's public address (`--public-url`), else each visitor's own.
    pub public_url: Option<String>,
    /// Days after closing that a help request is deleted, as the privacy notice says.
    pub retention: crate::staff::retention::Periods,
    /// The staff side answers over plain HTTP to other machines too (`--allow-staff-over-http`).
    pub staff_over_http: bool,
    /// The domain hubs' names are under, at central (`--hub-domain`).
    pub hub_domain: Option<String>,
    /// The certificates HTTPS offers, by name: the `--tls-cert` files, a hub's own, and
    /// central's for the hub names.
    pub certs: Arc<crate::certs::store::Store>,
    /// What Leptos's island loader needs to know of the built site.
    pub leptos: LeptosOptions,
    /// The Content-Security-Policy, which allows the island loader by its hash.
    pub content_security_policy: axum::http::HeaderValue,
    /// Whether writes succeed (a full disk): `/healthz` and every staff page say so.
    pub health: Arc<crate::ops::health::Health>,
}

impl Site {
    pub fn new(
        config: &Config,
        catalog: Catalog,
        assets: SiteAssets,
        leptos: LeptosOptions,
        certs: Arc<crate::certs::store::Store>,
    ) -> Site {
        Site {
            content_security_policy: security::content_security_policy(&shell::script_hash(
                &leptos,
            )),
            leptos,
            catalog: RwLock::new(Arc::new(catalog)),
            assets: Arc::new(assets),
            exit_url: config.exit_url.clone(),
            public_url: config.public_url.clone(),
            event_idle: config.event_idle,
            retention: config.retention,
            staff_over_http: config.allow_staff_over_http,
            hub_domain: config.hub_domain.clone(),
            certs,
            health: Arc::default(),
        }
    }

    /// The same site with `catalog`'s messages and outside event mode: the editors' preview.
    pub fn for_preview(&self, catalog: Catalog) -> Site {
        Site {
            catalog: RwLock::new(Arc::new(catalog)),
            assets: Arc::clone(&self.assets),
            exit_url: self.exit_url.clone(),
            public_url: self.public_url.clone(),
            event_idle: None,
            retention: self.retention,
            staff_over_http: self.staff_over_http,
            hub_domain: self.hub_domain.clone(),
            certs: Arc::clone(&self.certs),
            leptos: self.leptos.clone(),
            content_security_policy: self.content_security_policy.clone(),
            health: Arc::clone(&self.health),
        }
    }

    pub fn tr(&self, locale: Locale) -> Tr {
        Tr::new(locale, self.catalog())
    }

    pub fn catalog(&self) -> Arc<Catalog> {
        Arc::clone(&self.catalog.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Makes `catalog` the one every page renders with from now on.
    pub fn set_catalog(&self, catalog: Catalog) {
        *self.catalog.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(catalog);
    }
}

/// Marks a 404 for the app to answer with its 404 page, in the visitor's language.
#[derive(Debug, Clone, Copy)]
pub struct NotFound;

/// The language a public URL starts with. Any other first segment is answered with the
/// 404 page, in the visitor's best language.
pub struct Lang(pub Locale);

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Lang, Response> {
        path_locale(parts.uri.path())
            .map(Lang)
            .ok_or_else(|| (StatusCode::NOT_FOUND, axum::Extension(NotFound)).into_response())
    }
}

/// The language a path starts with, if it starts with one.
pub fn path_locale(path: &str) -> Option<Locale> {
    path.trim_start_matches('/')
        .split('/')
        .next()
        .and_then(Locale::from_code)
}

/// A path whose language is written in other letters (`/VI/help`, `/Ksw`) is sent to its
/// canonical form (`/vi/help`, `/ksw/`), with its query, for good.
pub async fn canonical_language(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let uri = request.uri();
    let path = uri.path();
    let first = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    // Every request passes here: compared in place, nothing allocated unless it redirects.
    let canonical = Locale::ALL
        .into_iter()
        .find(|l| l.code().eq_ignore_ascii_case(first));
    match canonical {
        Some(locale) if first != locale.code() => {
            let rest = match &path[1 + first.len()..] {
                "" => "/",
                rest => rest,
            };
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            axum::response::Redirect::permanent(&format!("/{locale}{rest}{query}")).into_response()
        }
        _ => next.run(request).await,
    }
}

/// The language to answer `path` in: the one it starts with, else the visitor's best.
pub fn page_locale(path: &str, headers: &HeaderMap) -> Locale {
    path_locale(path).unwrap_or_else(|| preferred_locale(headers))
}

/// The visitor's best language: their `lang` cookie, then `Accept-Language`, then English.
pub fn preferred_locale(headers: &HeaderMap) -> Locale {
    chosen_locale(headers).unwrap_or(Locale::SOURCE)
}

/// The visitor's language, if known: their `lang` cookie, else the first of the browser's
/// languages that the app has, unless they rank Burmese higher (see
/// [`Locale::from_accept_language`]).
pub fn chosen_locale(headers: &HeaderMap) -> Option<Locale> {
    let from_cookie = crate::web::cookie(headers, "lang").and_then(|v| Locale::from_code(&v));
    from_cookie.or_else(|| {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Locale::from_accept_language)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.clone(), HeaderValue::from_str(v).expect("valid header")))
            .collect()
    }

    #[test]
    fn the_lang_cookie_wins_over_accept_language() {
        let h = headers(&[
            (header::COOKIE, "theme=dark; lang=ksw"),
            (header::ACCEPT_LANGUAGE, "vi"),
        ]);
        assert_eq!(preferred_locale(&h), Locale::Ksw);
    }

    #[test]
    fn an_unknown_cookie_value_falls_through_to_accept_language_then_english() {
        let h = headers(&[(header::COOKIE, "lang=xx"), (header::ACCEPT_LANGUAGE, "th")]);
        assert_eq!(preferred_locale(&h), Locale::Th);
        assert_eq!(
            preferred_locale(&headers(&[(header::ACCEPT_LANGUAGE, "de")])),
            Locale::En
        );
    }
}
