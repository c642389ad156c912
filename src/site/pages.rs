//! The one list of the public pages every language has. The router mounts each under
//! `/{lang}`; the offline manifest, the static export and the page cache's warm-up walk it;
//! the cache reads which pages show the address the visitor used.

/// What a public page is, for the router to give it its handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Checklists,
    Checklist,
    Guides,
    Guide,
    Contacts,
    Help,
    Offline,
    Privacy,
    Weather,
    Share,
    Booklet,
    Clear,
    Precache,
    WebManifest,
}

/// The one parameter a public path can have, and where its values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    None,
    /// `{slug}`: each published checklist's.
    Checklist,
    /// `{slug}`: each published guide's.
    Guide,
}

/// A public page: its path after the language, and how the app treats it.
#[derive(Debug, Clone, Copy)]
pub struct PublicPage {
    pub page: Page,
    /// After `/{lang}`: `/checklists/{slug}`.
    pub path: &'static str,
    pub param: Param,
    /// Kept on the phone for use offline (the booklet is for printing; `/clear` is a form's
    /// action; the precache manifest is what the phone syncs from, not a page it keeps).
    pub offline: bool,
    /// Shows the address the visitor used, when no public address is configured: the page
    /// cache keeps one copy per host.
    pub shows_host: bool,
}

const fn page(page: Page, path: &'static str) -> PublicPage {
    PublicPage {
        page,
        path,
        param: Param::None,
        offline: true,
        shows_host: false,
    }
}

pub const PUBLIC_PAGES: [PublicPage; 15] = [
    page(Page::Home, "/"),
    page(Page::Checklists, "/checklists"),
    PublicPage {
        param: Param::Checklist,
        ..page(Page::Checklist, "/checklists/{slug}")
    },
    page(Page::Guides, "/guides"),
    PublicPage {
        param: Param::Guide,
        ..page(Page::Guide, "/guides/{slug}")
    },
    page(Page::Contacts, "/contacts"),
    page(Page::Help, "/help"),
    page(Page::Offline, "/offline"),
    page(Page::Privacy, "/privacy"),
    page(Page::Weather, "/weather"),
    PublicPage {
        shows_host: true,
        ..page(Page::Share, "/share")
    },
    PublicPage {
        offline: false,
        shows_host: true,
        ..page(Page::Booklet, "/booklet")
    },
    PublicPage {
        offline: false,
        ..page(Page::Clear, "/clear")
    },
    PublicPage {
        offline: false,
        shows_host: true,
        ..page(Page::Precache, "/offline.json")
    },
    page(Page::WebManifest, "/manifest.webmanifest"),
];

/// Whether the page at `path` (after the language) shows the address the visitor used.
pub fn shows_host(path: &str) -> bool {
    PUBLIC_PAGES
        .iter()
        .any(|p| p.shows_host && p.param == Param::None && p.path == path)
}

/// The addresses of every page of `locale` that a phone keeps, the parameters filled in
/// from `checklists` and `guides` (their slugs), in the list's order.
pub fn offline_urls(
    locale: crate::i18n::Locale,
    checklists: &[String],
    guides: &[String],
) -> Vec<String> {
    PUBLIC_PAGES
        .iter()
        .filter(|p| p.offline)
        .flat_map(|p| {
            let values: &[String] = match p.param {
                Param::None => &[],
                Param::Checklist => checklists,
                Param::Guide => guides,
            };
            if p.param == Param::None {
                vec![format!("/{locale}{}", p.path)]
            } else {
                values
                    .iter()
                    .map(|value| format!("/{locale}{}", p.path.replace("{slug}", value)))
                    .collect()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn each_page_is_listed_once() {
        for (i, a) in PUBLIC_PAGES.iter().enumerate() {
            for b in &PUBLIC_PAGES[i + 1..] {
                assert_ne!(a.page, b.page);
                assert_ne!(a.path, b.path);
            }
        }
    }

    #[test]
    fn offline_urls_fill_in_each_slug_and_leave_out_what_a_phone_does_not_keep() {
        let urls = offline_urls(Locale::Vi, &["a".into(), "b".into()], &["g".into()]);
        assert!(urls.contains(&"/vi/checklists/a".to_owned()));
        assert!(urls.contains(&"/vi/checklists/b".to_owned()));
        assert!(urls.contains(&"/vi/guides/g".to_owned()));
        assert!(
            !urls
                .iter()
                .any(|u| u.contains("{slug}") || u.ends_with("/booklet"))
        );
        assert!(shows_host("/share") && !shows_host("/help"));
    }
}
