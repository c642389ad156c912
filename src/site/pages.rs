//! What the app says about its public pages beyond their routes (which `app::PublicPages`
//! lists, once): which a phone keeps for offline use, and which show the address the
//! visitor used. The offline manifest, the static export and the page cache read it.

use crate::i18n::Locale;

/// Pages a phone does not keep for offline use: the booklet is for printing.
const NOT_KEPT: [&str; 1] = ["/booklet"];

/// Files beside the pages that a phone keeps with them.
const KEPT_FILES: [&str; 1] = ["/manifest.webmanifest"];

/// Pages that show the address the visitor used, when no public address is configured:
/// the page cache keeps one copy per host.
const SHOWS_HOST: [&str; 3] = ["/share", "/booklet", "/offline.json"];

/// Whether the page at `path` (after the language) shows the address the visitor used.
pub fn shows_host(path: &str) -> bool {
    SHOWS_HOST.contains(&path)
}

/// The addresses of every page of `locale` that a phone keeps, in the order of `routes`
/// (`/{lang}/guides/{slug}`, as the router mounts them), each `{slug}` filled in with the
/// slugs of `checklists` or `guides`.
pub fn offline_urls(
    routes: &[String],
    locale: Locale,
    checklists: &[String],
    guides: &[String],
) -> Vec<String> {
    let mut urls = Vec::new();
    for route in routes {
        let Some(path) = route.strip_prefix("/{lang}") else {
            continue;
        };
        if NOT_KEPT.contains(&path) {
            continue;
        }
        let slugs = match path.split_once("/{slug}") {
            None => {
                urls.push(format!("/{locale}{path}"));
                continue;
            }
            Some(("/checklists", "")) => checklists,
            Some(("/guides", "")) => guides,
            Some(_) => {
                tracing::warn!(
                    route,
                    "a page whose parameter the offline manifest cannot fill in"
                );
                continue;
            }
        };
        urls.extend(
            slugs
                .iter()
                .map(|slug| format!("/{locale}{}", path.replace("{slug}", slug))),
        );
    }
    urls.extend(KEPT_FILES.map(|path| format!("/{locale}{path}")));
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline_urls_fill_in_each_slug_and_leave_out_what_a_phone_does_not_keep() {
        let routes = [
            "/{lang}/",
            "/{lang}/checklists/{slug}",
            "/{lang}/guides/{slug}",
            "/{lang}/booklet",
            "/",
        ]
        .map(str::to_owned);
        let urls = offline_urls(
            &routes,
            Locale::Vi,
            &["a".into(), "b".into()],
            &["g".into()],
        );
        assert_eq!(
            urls,
            [
                "/vi/",
                "/vi/checklists/a",
                "/vi/checklists/b",
                "/vi/guides/g",
                "/vi/manifest.webmanifest"
            ]
        );
        assert!(shows_host("/share") && !shows_host("/help"));
    }
}
