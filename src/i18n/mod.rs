//! The app's languages: which exist, how a visitor's language is chosen, and the UI messages.

pub mod catalog;
pub mod check;
pub mod fluent;
pub mod validate;

pub use catalog::{Catalog, Tr};

use std::fmt;

/// A language the app is written in. URLs start with its [`code`](Locale::code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Locale {
    En,
    Vi,
    Th,
    /// S'gaw Karen, written in the Myanmar script.
    Ksw,
}

impl Locale {
    pub const ALL: [Locale; 4] = [Locale::En, Locale::Vi, Locale::Th, Locale::Ksw];
    /// The locale every other one is translated from, and falls back to.
    pub const SOURCE: Locale = Locale::En;

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Vi => "vi",
            Locale::Th => "th",
            Locale::Ksw => "ksw",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Whether phones may have a text-to-speech voice for this language. No engine has one
    /// for S'gaw Karen, so a Karen text is heard only if someone recorded it.
    pub fn has_phone_voices(self) -> bool {
        self != Locale::Ksw
    }

    /// Whether plural rules give this language only the `other` category. For `ksw` the plural
    /// library has no data and would silently apply English rules, so it is listed here too.
    pub fn has_only_other_plural(self) -> bool {
        matches!(self, Locale::Vi | Locale::Th | Locale::Ksw)
    }

    /// The best locale for an `Accept-Language` header: the highest-ranked language the app
    /// has, unless Burmese ranks at least as high. Many Karen speakers use phones set to
    /// Burmese, which the app does not have, so then there is no best locale and the person
    /// is asked.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut ranked: Vec<(f32, Option<Locale>)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
                // `kar` is the ISO 639-2 code for the Karen languages as a group; `my` is
                // Burmese, which stops the search.
                let locale = match primary.as_str() {
                    "kar" => Some(Locale::Ksw),
                    "my" => None,
                    other => Some(Locale::from_code(other)?),
                };
                (quality > 0.0).then_some((quality, locale))
            })
            .collect();
        // Stable sort: among equal weights the header's own order wins.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().and_then(|&(_, locale)| locale)
    }
}

/// The languages the staff pages (`staff.ftl`) are written in.
pub const STAFF_LOCALES: [Locale; 3] = [Locale::En, Locale::Vi, Locale::Th];

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_code(locale.code()), Some(locale));
        }
        assert_eq!(Locale::from_code("EN"), None);
        assert_eq!(Locale::from_code("fr"), None);
    }

    #[test]
    fn accept_language_prefers_the_highest_weight_we_have() {
        assert_eq!(
            Locale::from_accept_language("fr, th;q=0.5, vi;q=0.9"),
            Some(Locale::Vi)
        );
        assert_eq!(
            Locale::from_accept_language("vi-VN,vi;q=0.9,en-US;q=0.8"),
            Some(Locale::Vi)
        );
        assert_eq!(Locale::from_accept_language("th-TH"), Some(Locale::Th));
        assert_eq!(
            Locale::from_accept_language("kar;q=0.7, fr"),
            Some(Locale::Ksw)
        );
    }

    #[test]
    fn accept_language_ignores_what_we_lack_and_refused_languages() {
        assert_eq!(Locale::from_accept_language("fr, de;q=0.5"), None);
        assert_eq!(
            Locale::from_accept_language("vi;q=0, th;q=0.1"),
            Some(Locale::Th)
        );
        assert_eq!(Locale::from_accept_language(""), None);
        assert_eq!(Locale::from_accept_language("en;q=abc"), None);
    }

    #[test]
    fn a_phone_set_to_burmese_has_no_best_locale_even_with_english_after_it() {
        let myanmar_phone = "my-MM,my;q=0.9,en-US;q=0.8,en;q=0.7";
        assert_eq!(Locale::from_accept_language(myanmar_phone), None);
        assert_eq!(Locale::from_accept_language("my"), None);
        // Burmese ranked below a language the app has does not stop it.
        assert_eq!(
            Locale::from_accept_language("th-TH, my;q=0.5"),
            Some(Locale::Th)
        );
    }

    #[test]
    fn equal_weights_keep_the_header_order() {
        assert_eq!(Locale::from_accept_language("th, vi"), Some(Locale::Th));
    }
}
