//! UI messages from `locales/{lang}/*.ftl`, resolved on the server with `fluent-bundle`.

use super::Locale;
use fluent::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use std::{
    collections::{BTreeMap, HashSet},
    sync::{Arc, Mutex},
};

include!(concat!(env!("OUT_DIR"), "/locales.rs"));

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("locales/{locale}/{file}: {errors}")]
    Syntax {
        locale: String,
        file: String,
        errors: String,
    },
    #[error("locales/{locale}/{file}: message `{id}` is defined twice")]
    Duplicate {
        locale: String,
        file: String,
        id: String,
    },
    #[error("locales/{0}: not a language of this app")]
    UnknownLocale(String),
}

/// Every UI message in every locale. A message missing in one locale falls back to English,
/// and the gap is logged once per locale and message.
pub struct Catalog {
    bundles: BTreeMap<Locale, FluentBundle<FluentResource>>,
    /// Translations an editor removed: these show in English.
    removed: HashSet<(Locale, String)>,
    reported_gaps: Mutex<HashSet<(Locale, String)>>,
}

impl Catalog {
    /// The `.ftl` files embedded in the binary at build time.
    pub fn shipped() -> Result<Catalog, CatalogError> {
        Catalog::from_files(
            Catalog::shipped_files()
                .map(|(locale, file, source)| (locale, file, source.to_owned())),
        )
    }

    /// The shipped files as `(locale code, file name, source)`, for checks and exports.
    pub fn shipped_files() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
        SHIPPED_FTL.iter().filter_map(|&(path, source)| {
            let (locale, file) = path.split_once('/')?;
            Some((locale, file, source))
        })
    }

    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str, String)>,
    ) -> Result<Catalog, CatalogError> {
        let mut bundles: BTreeMap<Locale, FluentBundle<FluentResource>> = Locale::ALL
            .into_iter()
            .map(|locale| (locale, new_bundle(locale)))
            .collect();
        for (code, file, source) in files {
            let locale =
                Locale::from_code(code).ok_or_else(|| CatalogError::UnknownLocale(code.into()))?;
            let resource =
                FluentResource::try_new(source).map_err(|(_, errors)| CatalogError::Syntax {
                    locale: code.into(),
                    file: file.into(),
                    errors: errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                })?;
            let bundle = bundles.get_mut(&locale).expect("every locale has a bundle");
            bundle.add_resource(resource).map_err(|errors| {
                let id = errors
                    .iter()
                    .find_map(|e| match e {
                        fluent::FluentError::Overriding { id, .. } => Some(id.clone()),
                        _ => None,
                    })
                    .unwrap_or_default();
                CatalogError::Duplicate {
                    locale: code.into(),
                    file: file.into(),
                    id,
                }
            })?;
        }
        Ok(Catalog {
            bundles,
            removed: HashSet::new(),
            reported_gaps: Mutex::new(HashSet::new()),
        })
    }

    /// The shipped messages with editors' edits on top: `(locale, id, body)`, where `body` is
    /// the message as written after `id = ` in a `.ftl` file, and an empty body removes the
    /// translation. An edit that does not parse is left out and logged; the workspace
    /// refuses such edits before they are saved.
    pub fn with_edits(edits: impl IntoIterator<Item = (Locale, String, String)>) -> Catalog {
        let mut catalog = Catalog::shipped().expect("the shipped files are checked by a test");
        for (locale, id, body) in edits {
            if body.trim().is_empty() {
                catalog.removed.insert((locale, id));
                continue;
            }
            let source = super::validate::to_fluent(&id, &body);
            if super::fluent::parse(&source).is_err() {
                tracing::error!(%locale, id, "an edited message does not parse");
                continue;
            }
            match FluentResource::try_new(source) {
                Ok(resource) => {
                    let bundle = catalog.bundles.get_mut(&locale).expect("every locale");
                    bundle.add_resource_overriding(resource);
                    catalog.removed.remove(&(locale, id));
                }
                Err(_) => tracing::error!(%locale, id, "an edited message does not parse"),
            }
        }
        catalog
    }

    /// The message `id` in `locale`, or in English when the locale lacks it.
    pub fn format(&self, locale: Locale, id: &str, args: Option<&FluentArgs>) -> String {
        if let Some(text) = self.format_in(locale, id, args) {
            return text;
        }
        if locale != Locale::SOURCE {
            self.report_gap(locale, id);
            if let Some(text) = self.format_in(Locale::SOURCE, id, args) {
                return text;
            }
        }
        tracing::error!(id, "message missing from the English source");
        id.to_owned()
    }

    pub fn has_message(&self, locale: Locale, id: &str) -> bool {
        self.bundles[&locale].has_message(id) && !self.removed.contains(&(locale, id.to_owned()))
    }

    fn format_in(&self, locale: Locale, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        if locale != Locale::SOURCE && self.removed.contains(&(locale, id.to_owned())) {
            return None;
        }
        let bundle = &self.bundles[&locale];
        let pattern = bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(%locale, id, ?errors, "message formatted with errors");
        }
        Some(text.into_owned())
    }

    fn report_gap(&self, locale: Locale, id: &str) {
        let mut reported = self
            .reported_gaps
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if reported.insert((locale, id.to_owned())) {
            tracing::warn!(%locale, id, "message missing; showing English");
        }
    }
}

fn new_bundle(locale: Locale) -> FluentBundle<FluentResource> {
    let langid = locale
        .code()
        .parse()
        .expect("every locale code is a valid language identifier");
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // The output is HTML in left-to-right scripts: Unicode isolation marks would only add
    // invisible characters to copy, search and screen readers.
    bundle.set_use_isolating(false);
    bundle
}

/// Messages in one locale: what every page and component uses to say anything.
#[derive(Clone)]
pub struct Tr {
    pub locale: Locale,
    catalog: Arc<Catalog>,
}

impl Tr {
    pub fn new(locale: Locale, catalog: Arc<Catalog>) -> Tr {
        Tr { locale, catalog }
    }

    pub fn t(&self, id: &str) -> String {
        self.catalog.format(self.locale, id, None)
    }

    pub fn t_with<'a>(
        &self,
        id: &str,
        args: impl IntoIterator<Item = (&'a str, FluentValue<'a>)>,
    ) -> String {
        let args: FluentArgs = args.into_iter().collect();
        self.catalog.format(self.locale, id, Some(&args))
    }

    /// The same messages in another locale.
    pub fn in_locale(&self, locale: Locale) -> Tr {
        Tr::new(locale, Arc::clone(&self.catalog))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(files: &[(&'static str, &'static str)]) -> Catalog {
        Catalog::from_files(files.iter().map(|&(l, s)| (l, "test.ftl", s.to_owned())))
            .expect("test files parse")
    }

    #[test]
    fn formats_in_the_requested_locale_with_arguments() {
        let c = catalog(&[
            ("en", "hello = Hello { $name }"),
            ("vi", "hello = Xin chào { $name }"),
        ]);
        let args: FluentArgs = [("name", FluentValue::from("Lan"))].into_iter().collect();
        assert_eq!(c.format(Locale::Vi, "hello", Some(&args)), "Xin chào Lan");
    }

    #[test]
    fn missing_messages_fall_back_to_english() {
        let c = catalog(&[("en", "hello = Hello"), ("th", "other = x")]);
        assert_eq!(c.format(Locale::Th, "hello", None), "Hello");
        assert!(!c.has_message(Locale::Th, "hello"));
    }

    #[test]
    fn a_message_nobody_has_shows_its_id_instead_of_failing() {
        let c = catalog(&[("en", "hello = Hello")]);
        assert_eq!(c.format(Locale::Ksw, "nowhere", None), "nowhere");
    }

    #[test]
    fn syntax_errors_and_duplicates_are_refused_with_the_file_named() {
        let broken = Catalog::from_files([("th", "main.ftl", "hello = {".to_owned())]);
        let message = broken.err().expect("a syntax error is refused").to_string();
        assert!(message.starts_with("locales/th/main.ftl"), "{message}");

        let twice = Catalog::from_files([
            ("en", "a.ftl", "hello = Hi".to_owned()),
            ("en", "b.ftl", "hello = Hello".to_owned()),
        ]);
        assert!(matches!(twice, Err(CatalogError::Duplicate { id, .. }) if id == "hello"));
    }

    #[test]
    fn the_shipped_files_load() {
        let c = Catalog::shipped().expect("shipped locales parse");
        for locale in Locale::ALL {
            assert!(c.has_message(locale, "app-name"), "{locale} lacks app-name");
        }
    }
}
