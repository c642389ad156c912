//! The seed content shipped in `content/*.toml`: parsed, checked, and loaded into SQLite.
//!
//! Loading is an upgrade: rows and texts the seed no longer has are removed, new ones are
//! added, changed ones are updated, except anything an editor has changed (`edited_at` set),
//! which the seed never overwrites.

use super::advice::{ChecklistKind, Severity};
use super::fields::{is_date, is_phone_number};
use crate::help;
use crate::i18n::Locale;
use std::collections::BTreeSet;

mod apply;
mod files;

pub use files::Source;
use files::{ChecklistFile, ContactsFile, GlossaryFile, GuideFile, SourcesFile, Text};

include!(concat!(env!("OUT_DIR"), "/content.rs"));

/// The sections of a pathway guide, in the order every one has them.
pub const GUIDE_SECTIONS: [&str; 6] = ["who", "steps", "costs", "check-agent", "warnings", "links"];

/// What a guide is about, which decides its sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuideKind {
    /// A country's legal way to go, in the six [`GUIDE_SECTIONS`].
    Pathway,
    /// Trouble and help (held in a scam compound, worried families, outreach workers): sections
    /// of its own, each headed by a content text.
    Safety,
}

impl GuideKind {
    pub fn code(self) -> &'static str {
        match self {
            GuideKind::Pathway => "pathway",
            GuideKind::Safety => "safety",
        }
    }

    pub fn from_code(code: &str) -> Option<GuideKind> {
        [GuideKind::Pathway, GuideKind::Safety]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("content/{file}: {reason}")]
    Invalid { file: String, reason: String },
}

fn invalid(file: &str, reason: impl Into<String>) -> SeedError {
    SeedError::Invalid {
        file: file.to_owned(),
        reason: reason.into(),
    }
}

/// One text in all four locales, as the seed files write it.
/// One text of the content in one locale, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedText {
    pub message_id: String,
    pub locale: Locale,
    pub value: String,
    pub reviewed: bool,
}

#[derive(Debug, Clone)]
pub struct ChecklistRow {
    pub slug: String,
    pub position: i64,
    pub kind: ChecklistKind,
    pub help_kind: String,
}

#[derive(Debug, Clone)]
pub struct ItemRow {
    pub checklist: String,
    pub id: String,
    pub position: i64,
    pub severity: Option<Severity>,
    pub source: String,
    pub checked: String,
}

#[derive(Debug, Clone)]
pub struct GuideRow {
    pub slug: String,
    pub position: i64,
    pub kind: GuideKind,
    /// Empty for a safety guide.
    pub country: String,
    pub for_country: Option<String>,
    pub source: String,
    pub checked: String,
}

#[derive(Debug, Clone)]
pub struct PointRow {
    pub guide: String,
    pub id: String,
    pub section: String,
    pub position: i64,
    pub url: Option<String>,
    pub source: String,
    pub checked: String,
}

#[derive(Debug, Clone)]
pub struct CountryRow {
    pub code: String,
    pub position: i64,
}

#[derive(Debug, Clone)]
pub struct ContactRow {
    pub id: String,
    pub country: String,
    pub position: i64,
    pub phone: String,
    pub phone_abroad: Option<String>,
    pub advice: bool,
    pub recheck: bool,
    pub source: String,
    pub checked: String,
}

/// A glossary term: its English, and per translated locale the approved translation and the
/// other spellings met.
#[derive(Debug, Clone)]
pub struct TermRow {
    pub id: String,
    pub english: String,
    pub forms: Vec<String>,
    pub note: String,
    pub is_name: bool,
    /// `(locale, approved, variants)` for vi, th and ksw.
    pub translations: Vec<(Locale, String, Vec<String>)>,
}

/// All the seed content, checked and flattened into rows.
#[derive(Debug, Default)]
pub struct Seed {
    pub sources: Vec<Source>,
    pub checklists: Vec<ChecklistRow>,
    pub items: Vec<ItemRow>,
    pub guides: Vec<GuideRow>,
    pub points: Vec<PointRow>,
    pub countries: Vec<CountryRow>,
    pub contacts: Vec<ContactRow>,
    pub texts: Vec<SeedText>,
    pub glossary: Vec<TermRow>,
}

/// What loading the seed changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub texts_added: usize,
    pub texts_updated: usize,
    pub texts_kept_for_editors: usize,
}

impl Seed {
    /// The seed files embedded in the binary.
    pub fn shipped() -> Result<Seed, SeedError> {
        Seed::parse(SEED_FILES.iter().copied())
    }

    /// Parses and checks seed files given as (path below `content/`, contents).
    pub fn parse<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Seed, SeedError> {
        let files: Vec<_> = files.into_iter().collect();
        let mut seed = Seed::default();
        for (path, contents) in &files {
            if path.starts_with("sources/") {
                let file: SourcesFile =
                    toml::from_str(contents).map_err(|e| invalid(path, e.to_string()))?;
                seed.add_sources(path, file)?;
            } else if let Some(name) = path.strip_prefix("checklists/") {
                let file: ChecklistFile =
                    toml::from_str(contents).map_err(|e| invalid(path, e.to_string()))?;
                if file.slug != name.trim_end_matches(".toml") {
                    return Err(invalid(path, "slug differs from the file name"));
                }
                seed.add_checklist(path, file)?;
            } else if let Some(name) = path.strip_prefix("guides/") {
                let file: GuideFile =
                    toml::from_str(contents).map_err(|e| invalid(path, e.to_string()))?;
                if file.slug != name.trim_end_matches(".toml") {
                    return Err(invalid(path, "slug differs from the file name"));
                }
                seed.add_guide(path, file)?;
            } else if *path == "glossary.toml" {
                let file: GlossaryFile =
                    toml::from_str(contents).map_err(|e| invalid(path, e.to_string()))?;
                seed.add_glossary(path, file)?;
            } else if *path == "contacts.toml" {
                let file: ContactsFile =
                    toml::from_str(contents).map_err(|e| invalid(path, e.to_string()))?;
                seed.add_contacts(path, file)?;
            }
        }
        seed.check_references()?;
        Ok(seed)
    }

    /// Sources from one file of `sources/`: ids are unique across all of them, and every
    /// address names a page, not only a site.
    fn add_sources(&mut self, path: &str, file: SourcesFile) -> Result<(), SeedError> {
        for source in file.source {
            if self.sources.iter().any(|s| s.id == source.id) {
                return Err(invalid(
                    path,
                    format!("source `{}` is defined twice", source.id),
                ));
            }
            if !super::fields::is_page_address(&source.url) {
                return Err(invalid(
                    path,
                    format!(
                        "source `{}`: `{}` is not the address of a page",
                        source.id, source.url
                    ),
                ));
            }
            self.sources.push(source);
        }
        Ok(())
    }

    fn add_glossary(&mut self, path: &str, file: GlossaryFile) -> Result<(), SeedError> {
        let mut ids = BTreeSet::new();
        for term in file.term {
            check_id(path, &term.id, &mut ids)?;
            let mut translations = Vec::new();
            for (locale, t) in [
                (Locale::Vi, term.vi),
                (Locale::Th, term.th),
                (Locale::Ksw, term.ksw),
            ] {
                let value = t.value.trim();
                if value.is_empty() || term.en.trim().is_empty() {
                    return Err(invalid(path, format!("`{}` is empty in {locale}", term.id)));
                }
                if let Some(letter) = std::iter::once(value)
                    .chain(t.variants.iter().map(String::as_str))
                    .find_map(|v| foreign_letter(locale, v))
                {
                    return Err(invalid(
                        path,
                        format!(
                            "`{}` in {locale} contains {letter:?}, a letter of another script",
                            term.id
                        ),
                    ));
                }
                if t.variants.iter().any(|v| v.trim() == value) {
                    return Err(invalid(
                        path,
                        format!(
                            "`{}` in {locale}: the approved spelling is also a variant",
                            term.id
                        ),
                    ));
                }
                translations.push((locale, value.to_owned(), t.variants));
            }
            self.glossary.push(TermRow {
                id: term.id,
                english: term.en,
                forms: term.forms,
                note: term.note,
                is_name: term.name,
                translations,
            });
        }
        Ok(())
    }

    fn add_checklist(&mut self, path: &str, file: ChecklistFile) -> Result<(), SeedError> {
        let reviewed = reviewed_locales(path, &file.reviewed)?;
        let kind = ChecklistKind::from_code(&file.kind)
            .ok_or_else(|| invalid(path, format!("unknown kind `{}`", file.kind)))?;
        // What a checklist's "ask for help" button pre-fills: a kind the help form offers.
        if !help::KINDS.contains(&file.help_kind.as_str()) {
            return Err(invalid(
                path,
                format!("unknown help_kind `{}`", file.help_kind),
            ));
        }
        let slug = &file.slug;
        let wanted: BTreeSet<_> = kind.verdicts().iter().map(|v| v.code()).collect();
        let found: BTreeSet<_> = file.advice.keys().map(String::as_str).collect();
        if wanted != found {
            return Err(invalid(
                path,
                format!("advice must be exactly {wanted:?}, not {found:?}"),
            ));
        }
        self.text(
            path,
            &reviewed,
            format!("checklist.{slug}.title"),
            &file.title,
        )?;
        self.text(
            path,
            &reviewed,
            format!("checklist.{slug}.intro"),
            &file.intro,
        )?;
        for (verdict, advice) in &file.advice {
            let id = format!("checklist.{slug}.advice.{verdict}");
            self.text(path, &reviewed, format!("{id}.meaning"), &advice.meaning)?;
            self.text(path, &reviewed, format!("{id}.action"), &advice.action)?;
        }
        let mut ids = BTreeSet::new();
        for (position, item) in (1..).zip(&file.item) {
            check_id(path, &item.id, &mut ids)?;
            check_date(path, &item.checked)?;
            let severity = match (kind, &item.severity) {
                (ChecklistKind::WarningSigns, Some(code)) => {
                    Some(Severity::from_code(code).ok_or_else(|| {
                        invalid(path, format!("{}: unknown severity `{code}`", item.id))
                    })?)
                }
                (ChecklistKind::WarningSigns, None) => {
                    return Err(invalid(
                        path,
                        format!("{}: a warning sign needs a severity", item.id),
                    ));
                }
                (ChecklistKind::Preparation, None) => None,
                (ChecklistKind::Preparation, Some(_)) => {
                    return Err(invalid(
                        path,
                        format!("{}: preparation steps have no severity", item.id),
                    ));
                }
            };
            let id = format!("checklist.{slug}.item.{}", item.id);
            self.text(path, &reviewed, format!("{id}.text"), &item.text)?;
            self.text(path, &reviewed, format!("{id}.meaning"), &item.meaning)?;
            self.items.push(ItemRow {
                checklist: slug.clone(),
                id: item.id.clone(),
                position,
                severity,
                source: item.source.clone(),
                checked: item.checked.clone(),
            });
        }
        if file.item.is_empty() {
            return Err(invalid(path, "a checklist needs items"));
        }
        self.checklists.push(ChecklistRow {
            slug: slug.clone(),
            position: file.position,
            kind,
            help_kind: file.help_kind,
        });
        Ok(())
    }

    fn add_guide(&mut self, path: &str, file: GuideFile) -> Result<(), SeedError> {
        let reviewed = reviewed_locales(path, &file.reviewed)?;
        let slug = &file.slug;
        let kind = match file.kind.as_deref() {
            None => GuideKind::Pathway,
            Some(code) => GuideKind::from_code(code)
                .ok_or_else(|| invalid(path, format!("unknown kind `{code}`")))?,
        };
        check_guide_shape(path, kind, &file)?;
        check_date(path, &file.checked)?;
        self.text(path, &reviewed, format!("guide.{slug}.title"), &file.title)?;
        self.text(
            path,
            &reviewed,
            format!("guide.{slug}.summary"),
            &file.summary,
        )?;
        let mut ids = BTreeSet::new();
        let mut position = 0;
        for section in &file.section {
            if let Some(title) = &section.title {
                let id = format!("guide.{slug}.section.{}", section.kind);
                self.text(path, &reviewed, id, title)?;
            }
            for point in &section.point {
                position += 1;
                check_id(path, &point.id, &mut ids)?;
                check_date(path, &point.checked)?;
                if kind == GuideKind::Pathway && (section.kind == "links") != point.url.is_some() {
                    return Err(invalid(
                        path,
                        format!("{}: points have a url exactly in `links`", point.id),
                    ));
                }
                self.text(
                    path,
                    &reviewed,
                    format!("guide.{slug}.point.{}", point.id),
                    &point.text,
                )?;
                self.points.push(PointRow {
                    guide: slug.clone(),
                    id: point.id.clone(),
                    section: section.kind.clone(),
                    position,
                    url: point.url.clone(),
                    source: point.source.clone(),
                    checked: point.checked.clone(),
                });
            }
        }
        if let Some(code) = &file.for_country
            && !crate::help::COUNTRIES.contains(&code.as_str())
        {
            return Err(invalid(
                path,
                format!("`for` names no known country: {code}"),
            ));
        }
        self.guides.push(GuideRow {
            slug: slug.clone(),
            position: file.position,
            kind,
            country: file.country.unwrap_or_default(),
            for_country: file.for_country,
            source: file.source,
            checked: file.checked,
        });
        Ok(())
    }

    fn add_contacts(&mut self, path: &str, file: ContactsFile) -> Result<(), SeedError> {
        let reviewed = reviewed_locales(path, &file.reviewed)?;
        let mut ids = BTreeSet::new();
        let mut codes = BTreeSet::new();
        for country in file.country {
            check_id(path, &country.code, &mut codes)?;
            self.text(
                path,
                &reviewed,
                format!("country.{}.name", country.code),
                &country.name,
            )?;
            for (position, contact) in (1..).zip(&country.contact) {
                check_id(path, &contact.id, &mut ids)?;
                check_date(path, &contact.checked)?;
                for phone in std::iter::once(&contact.phone).chain(&contact.phone_abroad) {
                    if !is_phone_number(phone) {
                        return Err(invalid(
                            path,
                            format!("{}: `{phone}` is not a phone number", contact.id),
                        ));
                    }
                }
                let id = format!("contact.{}", contact.id);
                self.text(path, &reviewed, format!("{id}.name"), &contact.name)?;
                self.text(path, &reviewed, format!("{id}.what"), &contact.what)?;
                self.text(path, &reviewed, format!("{id}.hours"), &contact.hours)?;
                self.text(
                    path,
                    &reviewed,
                    format!("{id}.languages"),
                    &contact.languages,
                )?;
                self.contacts.push(ContactRow {
                    id: contact.id.clone(),
                    country: country.code.clone(),
                    position,
                    phone: contact.phone.clone(),
                    phone_abroad: contact.phone_abroad.clone(),
                    advice: contact.advice,
                    recheck: contact.recheck,
                    source: contact.source.clone(),
                    checked: contact.checked.clone(),
                });
            }
            self.countries.push(CountryRow {
                code: country.code,
                position: country.position,
            });
        }
        Ok(())
    }

    fn text(
        &mut self,
        path: &str,
        reviewed: &BTreeSet<Locale>,
        message_id: String,
        text: &Text,
    ) -> Result<(), SeedError> {
        for locale in Locale::ALL {
            let value = text.get(locale).trim();
            if value.is_empty() {
                return Err(invalid(path, format!("{message_id} is empty in {locale}")));
            }
            if let Some(letter) = foreign_letter(locale, value) {
                return Err(invalid(
                    path,
                    format!(
                        "{message_id} in {locale} contains {letter:?} (U+{:04X}), a letter of another language's script",
                        u32::from(letter)
                    ),
                ));
            }
            self.texts.push(SeedText {
                message_id: message_id.clone(),
                locale,
                value: value.to_owned(),
                reviewed: reviewed.contains(&locale),
            });
        }
        Ok(())
    }

    /// Every fact names a known source, and every link is an address the sources hold.
    fn check_references(&self) -> Result<(), SeedError> {
        let known: BTreeSet<_> = self.sources.iter().map(|s| s.id.as_str()).collect();
        let urls: BTreeSet<_> = self.sources.iter().map(|s| s.url.as_str()).collect();
        let cited = self
            .items
            .iter()
            .map(|i| (&i.source, &i.id))
            .chain(self.points.iter().map(|p| (&p.source, &p.id)))
            .chain(self.contacts.iter().map(|c| (&c.source, &c.id)))
            .chain(self.guides.iter().map(|g| (&g.source, &g.slug)));
        for (source, by) in cited {
            if !known.contains(source.as_str()) {
                return Err(invalid(
                    "sources",
                    format!("`{by}` cites unknown source `{source}`"),
                ));
            }
        }
        for point in &self.points {
            if let Some(url) = &point.url
                && !urls.contains(url.as_str())
            {
                return Err(invalid(
                    "sources",
                    format!("`{}` links to `{url}`, which no source holds", point.id),
                ));
            }
        }
        Ok(())
    }
}

fn reviewed_locales(path: &str, codes: &[String]) -> Result<BTreeSet<Locale>, SeedError> {
    codes
        .iter()
        .map(|code| {
            Locale::from_code(code)
                .ok_or_else(|| invalid(path, format!("unknown locale `{code}` in reviewed")))
        })
        .collect()
}

/// The first letter of a script that the locale never writes: a Thai vowel slipped into
/// Karen text, say, which a reader would see as a stray mark.
fn foreign_letter(locale: Locale, value: &str) -> Option<char> {
    let thai = |c: char| ('\u{0E00}'..='\u{0E7F}').contains(&c);
    let myanmar = |c: char| {
        ('\u{1000}'..='\u{109F}').contains(&c)
            || ('\u{A9E0}'..='\u{A9FF}').contains(&c)
            || ('\u{AA60}'..='\u{AA7F}').contains(&c)
    };
    value.chars().find(|&c| match locale {
        Locale::Th => myanmar(c),
        Locale::Ksw => thai(c),
        Locale::En | Locale::Vi => thai(c) || myanmar(c),
    })
}

fn check_id(path: &str, id: &str, seen: &mut BTreeSet<String>) -> Result<(), SeedError> {
    let well_formed = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !well_formed {
        return Err(invalid(path, format!("`{id}` is not a valid id")));
    }
    if !seen.insert(id.to_owned()) {
        return Err(invalid(path, format!("`{id}` is used twice")));
    }
    Ok(())
}

/// A pathway guide leads to a country in the six [`GUIDE_SECTIONS`], headed by the UI
/// strings; a safety guide has no country, and its own sections, each with a title.
fn check_guide_shape(path: &str, kind: GuideKind, file: &GuideFile) -> Result<(), SeedError> {
    let mut sections = BTreeSet::new();
    for section in &file.section {
        check_id(path, &section.kind, &mut sections)?;
        if section.point.is_empty() {
            return Err(invalid(
                path,
                format!("section `{}` has no points", section.kind),
            ));
        }
        if (kind == GuideKind::Safety) != section.title.is_some() {
            return Err(invalid(
                path,
                format!(
                    "section `{}`: only a safety guide's sections have a title",
                    section.kind
                ),
            ));
        }
    }
    match kind {
        GuideKind::Pathway => {
            let kinds: Vec<_> = file.section.iter().map(|s| s.kind.as_str()).collect();
            if kinds != GUIDE_SECTIONS {
                return Err(invalid(
                    path,
                    format!("sections must be {GUIDE_SECTIONS:?} in that order, not {kinds:?}"),
                ));
            }
            if file.country.is_none() {
                return Err(invalid(path, "a pathway guide needs a `country`"));
            }
        }
        GuideKind::Safety => {
            if file.country.is_some() {
                return Err(invalid(path, "a safety guide has no `country`"));
            }
            if file.section.is_empty() {
                return Err(invalid(path, "a safety guide needs sections"));
            }
        }
    }
    Ok(())
}

fn check_date(path: &str, value: &str) -> Result<(), SeedError> {
    if is_date(value) {
        Ok(())
    } else {
        Err(invalid(
            path,
            format!("`{value}` is not a date (YYYY-MM-DD)"),
        ))
    }
}

#[cfg(test)]
mod tests;
