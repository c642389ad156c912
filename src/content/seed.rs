//! The seed content shipped in `content/*.toml`: parsed, checked, and loaded into SQLite.
//!
//! Loading is an upgrade: rows and texts the seed no longer has are removed, new ones are
//! added, changed ones are updated, except anything an editor has changed (`edited_at` set),
//! which the seed never overwrites.

use super::advice::{ChecklistKind, Severity};
use super::fields::{is_date, is_phone_number};
use crate::help;
use crate::i18n::Locale;
use rusqlite::{Connection, params};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Text {
    en: String,
    vi: String,
    th: String,
    ksw: String,
}

impl Text {
    fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => &self.en,
            Locale::Vi => &self.vi,
            Locale::Th => &self.th,
            Locale::Ksw => &self.ksw,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    source: Vec<Source>,
}

/// Where a fact comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub name: String,
    pub url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecklistFile {
    slug: String,
    position: i64,
    kind: String,
    help_kind: String,
    reviewed: Vec<String>,
    title: Text,
    intro: Text,
    advice: BTreeMap<String, AdviceSeed>,
    item: Vec<ItemSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdviceSeed {
    meaning: Text,
    action: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemSeed {
    id: String,
    severity: Option<String>,
    source: String,
    checked: String,
    text: Text,
    meaning: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GuideFile {
    slug: String,
    position: i64,
    #[serde(default)]
    kind: Option<String>,
    /// The country a pathway guide leads to; a safety guide has none.
    #[serde(default)]
    country: Option<String>,
    /// The source of the summary's facts, and when they were checked.
    source: String,
    checked: String,
    /// The one country whose workers the guide is for, if it is not for anyone.
    #[serde(default, rename = "for")]
    for_country: Option<String>,
    reviewed: Vec<String>,
    title: Text,
    summary: Text,
    section: Vec<SectionSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionSeed {
    kind: String,
    /// A safety guide's heading for the section; a pathway guide's come from the UI strings.
    #[serde(default)]
    title: Option<Text>,
    point: Vec<PointSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PointSeed {
    id: String,
    source: String,
    checked: String,
    url: Option<String>,
    text: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactsFile {
    reviewed: Vec<String>,
    country: Vec<CountrySeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountrySeed {
    code: String,
    position: i64,
    name: Text,
    contact: Vec<ContactSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactSeed {
    id: String,
    phone: String,
    phone_abroad: Option<String>,
    #[serde(default)]
    advice: bool,
    #[serde(default)]
    recheck: bool,
    source: String,
    checked: String,
    name: Text,
    what: Text,
    hours: Text,
    languages: Text,
}

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
                return Err(invalid(path, format!("source `{}` is defined twice", source.id)));
            }
            if !super::fields::is_page_address(&source.url) {
                return Err(invalid(
                    path,
                    format!("source `{}`: `{}` is not the address of a page", source.id, source.url),
                ));
            }
            self.sources.push(source);
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

    /// Loads the seed into the database in one transaction, keeping editors' changes.
    pub fn apply(&self, conn: &mut Connection) -> rusqlite::Result<SeedReport> {
        let tx = conn.transaction()?;
        for source in &self.sources {
            tx.execute(
                "INSERT INTO source (id, name, url) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url
                 WHERE source.edited_at IS NULL",
                params![source.id, source.name, source.url],
            )?;
        }
        self.apply_structure(&tx)?;
        delete_dropped_sources(&tx, &self.sources)?;
        let report = self.apply_texts(&tx)?;
        tx.commit()?;
        Ok(report)
    }

    fn apply_structure(&self, tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
        // Entries a release removed go; their texts stay in content_text for the record.
        delete_missing(
            tx,
            "checklist",
            "slug",
            self.checklists.iter().map(|c| c.slug.clone()),
        )?;
        delete_missing(
            tx,
            "guide",
            "slug",
            self.guides.iter().map(|g| g.slug.clone()),
        )?;
        delete_missing(
            tx,
            "country",
            "code",
            self.countries.iter().map(|c| c.code.clone()),
        )?;
        delete_missing(
            tx,
            "checklist_item",
            "checklist_slug || '/' || id",
            self.items
                .iter()
                .map(|i| format!("{}/{}", i.checklist, i.id)),
        )?;
        delete_missing(
            tx,
            "guide_point",
            "guide_slug || '/' || id",
            self.points.iter().map(|p| format!("{}/{}", p.guide, p.id)),
        )?;
        delete_missing(
            tx,
            "contact",
            "id",
            self.contacts.iter().map(|c| c.id.clone()),
        )?;

        for c in &self.checklists {
            tx.execute(
                "INSERT INTO checklist (slug, position, kind, help_kind) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (slug) DO UPDATE SET position = excluded.position,
                     kind = excluded.kind, help_kind = excluded.help_kind",
                params![c.slug, c.position, c.kind.code(), c.help_kind],
            )?;
        }
        for i in &self.items {
            tx.execute(
                "INSERT INTO checklist_item (checklist_slug, id, position, severity, source_id, checked_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (checklist_slug, id) DO UPDATE SET position = excluded.position,
                     severity = excluded.severity, source_id = excluded.source_id,
                     checked_on = excluded.checked_on
                 WHERE checklist_item.edited_at IS NULL",
                params![i.checklist, i.id, i.position, i.severity.map(Severity::code), i.source, i.checked],
            )?;
        }
        for g in &self.guides {
            tx.execute(
                "INSERT INTO guide (slug, position, kind, country, for_country, source_id, checked_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (slug) DO UPDATE SET position = excluded.position,
                     kind = excluded.kind, country = excluded.country,
                     for_country = excluded.for_country",
                params![g.slug, g.position, g.kind.code(), g.country, g.for_country, g.source, g.checked],
            )?;
            // The summary's source and date, as a fact: an editor's change stays.
            tx.execute(
                "UPDATE guide SET source_id = ?2, checked_on = ?3
                 WHERE slug = ?1 AND edited_at IS NULL",
                params![g.slug, g.source, g.checked],
            )?;
        }
        for p in &self.points {
            tx.execute(
                "INSERT INTO guide_point (guide_slug, id, section, position, url, source_id, checked_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (guide_slug, id) DO UPDATE SET section = excluded.section,
                     position = excluded.position, url = excluded.url,
                     source_id = excluded.source_id, checked_on = excluded.checked_on
                 WHERE guide_point.edited_at IS NULL",
                params![p.guide, p.id, p.section, p.position, p.url, p.source, p.checked],
            )?;
        }
        for c in &self.countries {
            tx.execute(
                "INSERT INTO country (code, position) VALUES (?1, ?2)
                 ON CONFLICT (code) DO UPDATE SET position = excluded.position",
                params![c.code, c.position],
            )?;
        }
        for c in &self.contacts {
            tx.execute(
                "INSERT INTO contact (id, country_code, position, phone, phone_abroad, advice,
                     recheck, source_id, checked_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (id) DO UPDATE SET country_code = excluded.country_code,
                     position = excluded.position, phone = excluded.phone,
                     phone_abroad = excluded.phone_abroad, advice = excluded.advice,
                     recheck = excluded.recheck, source_id = excluded.source_id,
                     checked_on = excluded.checked_on
                 WHERE contact.edited_at IS NULL",
                params![
                    c.id,
                    c.country,
                    c.position,
                    c.phone,
                    c.phone_abroad,
                    c.advice,
                    c.recheck,
                    c.source,
                    c.checked
                ],
            )?;
        }
        Ok(())
    }

    fn apply_texts(&self, tx: &rusqlite::Transaction) -> rusqlite::Result<SeedReport> {
        let mut report = SeedReport::default();
        let mut current = tx.prepare(
            "SELECT value, status, edited_at IS NOT NULL FROM content_text
             WHERE message_id = ?1 AND locale = ?2",
        )?;
        let mut insert = tx.prepare(
            "INSERT INTO content_text (message_id, locale, value, status, source_hash)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut update = tx.prepare(
            "UPDATE content_text SET value = ?3, status = ?4, source_hash = ?5
             WHERE message_id = ?1 AND locale = ?2 AND edited_at IS NULL",
        )?;
        // A translation shipped with the English it was made from: not outdated.
        let mut hashed = tx.prepare(
            "UPDATE content_text SET source_hash = ?3
             WHERE message_id = ?1 AND locale = ?2 AND source_hash IS NULL",
        )?;
        let english: HashMap<&str, &str> = self
            .texts
            .iter()
            .filter(|t| t.locale == Locale::SOURCE)
            .map(|t| (t.message_id.as_str(), t.value.as_str()))
            .collect();
        for text in &self.texts {
            let status = if text.reviewed { "reviewed" } else { "draft" };
            let locale = text.locale.code();
            let hash = (text.locale != Locale::SOURCE).then(|| {
                crate::content::texts::source_hash(
                    english.get(text.message_id.as_str()).copied().unwrap_or(""),
                )
            });
            let found = current
                .query_row(params![text.message_id, locale], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, bool>(2)?,
                    ))
                })
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    other => Err(other),
                })?;
            match found {
                None => {
                    insert.execute(params![text.message_id, locale, text.value, status, hash])?;
                    report.texts_added += 1;
                }
                Some((_, _, true)) => report.texts_kept_for_editors += 1,
                Some((value, old_status, false)) if value != text.value || old_status != status => {
                    update.execute(params![text.message_id, locale, text.value, status, hash])?;
                    report.texts_updated += 1;
                }
                Some(_) => {
                    hashed.execute(params![text.message_id, locale, hash])?;
                }
            }
        }
        Ok(report)
    }
}

/// Deletes the rows of `table` whose `key` (a column or SQL expression) is not in `keep`.
/// Removes the sources a release dropped, unless a fact an editor kept still cites one.
fn delete_dropped_sources(tx: &Connection, sources: &[Source]) -> rusqlite::Result<()> {
    let ids: Vec<String> = tx
        .prepare("SELECT id FROM source WHERE edited_at IS NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids.iter().filter(|id| !sources.iter().any(|s| &s.id == *id)) {
        tx.execute(
            "DELETE FROM source WHERE id = ?1
                 AND NOT EXISTS (SELECT 1 FROM checklist_item WHERE source_id = ?1)
                 AND NOT EXISTS (SELECT 1 FROM guide_point WHERE source_id = ?1)
                 AND NOT EXISTS (SELECT 1 FROM contact WHERE source_id = ?1)
                 AND NOT EXISTS (SELECT 1 FROM guide WHERE source_id = ?1)",
            [id],
        )?;
    }
    Ok(())
}

fn delete_missing(
    tx: &rusqlite::Transaction,
    table: &str,
    key: &str,
    keep: impl Iterator<Item = String>,
) -> rusqlite::Result<usize> {
    let keep = serde_json::to_string(&keep.collect::<Vec<_>>()).expect("strings serialise");
    tx.execute(
        &format!("DELETE FROM {table} WHERE {key} NOT IN (SELECT value FROM json_each(?1))"),
        [keep],
    )
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
            return Err(invalid(path, format!("section `{}` has no points", section.kind)));
        }
        if (kind == GuideKind::Safety) != section.title.is_some() {
            return Err(invalid(
                path,
                format!("section `{}`: only a safety guide's sections have a title", section.kind),
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
mod tests {
    use super::*;

    const SOURCES: &str = r#"
[[source]]
id = "ilo"
name = "ILO"
url = "https://www.ilo.org/resource/other/ilo-indicators-forced-labour"
"#;

    fn text(en: &str) -> String {
        format!("{{ en = \"{en}\", vi = \"{en} vi\", th = \"{en} th\", ksw = \"{en} ksw\" }}")
    }

    fn checklist(item_text: &str) -> String {
        format!(
            r#"
slug = "job-offer"
position = 1
kind = "warning-signs"
help_kind = "job-offer-check"
reviewed = ["en"]
title = {title}
intro = {intro}
advice.clear = {{ meaning = {m}, action = {a} }}
advice.caution = {{ meaning = {m}, action = {a} }}
advice.danger = {{ meaning = {m}, action = {a} }}

[[item]]
id = "fee"
severity = "warning"
source = "ilo"
checked = "2026-11-23"
text = {item}
meaning = {meaning}
"#,
            title = text("Is it safe?"),
            intro = text("Tick"),
            m = text("Means"),
            a = text("Do"),
            item = text(item_text),
            meaning = text("Fees are illegal"),
        )
    }

    fn contacts(phone: &str) -> String {
        format!(
            r#"
reviewed = ["en"]
[[country]]
code = "vn"
position = 1
name = {name}
[[country.contact]]
id = "vn-111"
phone = "{phone}"
advice = true
source = "ilo"
checked = "2026-11-23"
name = {name}
what = {name}
hours = {name}
languages = {name}
"#,
            name = text("Vietnam"),
        )
    }

    fn seed(checklist: &str, contacts: &str) -> Result<Seed, SeedError> {
        Seed::parse([
            ("sources/test.toml", SOURCES),
            ("checklists/job-offer.toml", checklist),
            ("contacts.toml", contacts),
        ])
    }

    fn value(conn: &Connection, id: &str, locale: &str) -> (String, String) {
        conn.query_row(
            "SELECT value, status FROM content_text WHERE message_id = ?1 AND locale = ?2",
            [id, locale],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("text exists")
    }

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("opens");
        crate::db::migrate(&mut conn).expect("migrates");
        conn
    }

    #[test]
    fn the_shipped_seed_is_valid() {
        let seed = Seed::shipped().expect("content/ parses and checks");
        assert!(!seed.contacts.is_empty());
    }

    #[test]
    fn english_is_reviewed_and_the_other_locales_are_drafts() {
        let mut conn = database();
        seed(&checklist("Fee?"), &contacts("111"))
            .expect("valid")
            .apply(&mut conn)
            .expect("applies");
        let id = "checklist.job-offer.item.fee.text";
        assert_eq!(value(&conn, id, "en"), ("Fee?".into(), "reviewed".into()));
        assert_eq!(value(&conn, id, "ksw"), ("Fee? ksw".into(), "draft".into()));
    }

    #[test]
    fn a_new_release_updates_texts_and_facts_but_never_what_an_editor_changed() {
        let mut conn = database();
        seed(&checklist("Fee?"), &contacts("111"))
            .expect("valid")
            .apply(&mut conn)
            .expect("first load");
        // An editor fixes the Thai text and the phone number.
        conn.execute_batch(
            "UPDATE content_text SET value = 'Edited', status = 'reviewed',
                 edited_at = '2026-11-24T10:00:00Z', edited_by = 'editor'
             WHERE message_id = 'checklist.job-offer.item.fee.text' AND locale = 'th';
             UPDATE contact SET phone = '112', edited_at = '2026-11-24T10:00:00Z' WHERE id = 'vn-111';",
        )
        .expect("editor's change");

        let report = seed(&checklist("Any fee?"), &contacts("999"))
            .expect("valid")
            .apply(&mut conn)
            .expect("upgrade");

        let id = "checklist.job-offer.item.fee.text";
        assert_eq!(value(&conn, id, "th"), ("Edited".into(), "reviewed".into()));
        assert_eq!(value(&conn, id, "en").0, "Any fee?");
        assert_eq!(value(&conn, id, "vi").0, "Any fee? vi");
        let phone: String = conn
            .query_row("SELECT phone FROM contact WHERE id = 'vn-111'", [], |r| {
                r.get(0)
            })
            .expect("contact");
        assert_eq!(phone, "112");
        assert_eq!(report.texts_kept_for_editors, 1);
        assert_eq!(report.texts_updated, 3);
    }

    #[test]
    fn loading_the_same_seed_again_changes_nothing() {
        let mut conn = database();
        let seed = seed(&checklist("Fee?"), &contacts("111")).expect("valid");
        let first = seed.apply(&mut conn).expect("first");
        assert!(first.texts_added > 0);
        assert_eq!(seed.apply(&mut conn).expect("again"), SeedReport::default());
    }

    #[test]
    fn a_release_that_drops_an_item_removes_it() {
        let mut conn = database();
        seed(&checklist("Fee?"), &contacts("111"))
            .expect("valid")
            .apply(&mut conn)
            .expect("first");
        let without_contacts = Seed::parse([
            ("sources/test.toml", SOURCES),
            ("checklists/job-offer.toml", checklist("Fee?").as_str()),
        ])
        .expect("valid");
        without_contacts.apply(&mut conn).expect("upgrade");
        let left: i64 = conn
            .query_row("SELECT count(*) FROM contact", [], |r| r.get(0))
            .expect("count");
        assert_eq!(left, 0);
    }

    #[test]
    fn bad_seed_files_are_refused_with_the_file_named() {
        let bad_phone = seed(&checklist("Fee?"), &contacts("call us"));
        assert!(
            matches!(&bad_phone, Err(SeedError::Invalid { file, .. }) if file == "contacts.toml")
        );

        let unknown_source = checklist("Fee?").replace("source = \"ilo\"", "source = \"nobody\"");
        assert!(seed(&unknown_source, &contacts("111")).is_err());

        let missing_locale = checklist("Fee?").replace(", ksw = \"Fee? ksw\"", "");
        let error = seed(&missing_locale, &contacts("111")).expect_err("refused");
        assert!(
            error.to_string().contains("checklists/job-offer.toml"),
            "{error}"
        );

        let no_severity = checklist("Fee?").replace("severity = \"warning\"\n", "");
        assert!(seed(&no_severity, &contacts("111")).is_err());

        let bad_date = checklist("Fee?").replace("2026-11-23", "2026-13-01");
        assert!(seed(&bad_date, &contacts("111")).is_err());

        let thai_in_karen = checklist("Fee?").replace("Fee? ksw", "Fee? \u{0E35}");
        let error = seed(&thai_in_karen, &contacts("111")).expect_err("refused");
        assert!(error.to_string().contains("U+0E35"), "{error}");
    }

    fn safety_guide(extra: &str) -> String {
        format!(
            r#"slug = "worried-about-someone"
position = 20
kind = "safety"
source = "ilo"
checked = "2026-12-07"
reviewed = ["en"]
{extra}
title = {title}
summary = {summary}
[[section]]
kind = "signs"
title = {heading}
[[section.point]]
id = "cannot-speak"
source = "ilo"
checked = "2026-12-07"
text = {point}
"#,
            title = text("Worried?"),
            summary = text("What families can do."),
            heading = text("Signs"),
            point = text("They cannot speak for themselves."),
        )
    }

    fn with_guide(guide: &str) -> Result<Seed, SeedError> {
        Seed::parse([
            ("sources/test.toml", SOURCES),
            ("checklists/job-offer.toml", checklist("Fee?").as_str()),
            ("contacts.toml", contacts("111").as_str()),
            ("guides/worried-about-someone.toml", guide),
        ])
    }

    #[test]
    fn a_safety_guide_has_its_own_sections_with_titles_and_a_sourced_summary() {
        let seed = with_guide(&safety_guide("")).expect("valid");
        let guide = &seed.guides[0];
        assert_eq!(guide.kind, GuideKind::Safety);
        assert_eq!((guide.source.as_str(), guide.country.as_str()), ("ilo", ""));
        assert_eq!(seed.points[0].section, "signs");
        assert!(seed.texts.iter().any(|t| t.message_id
            == "guide.worried-about-someone.section.signs"
            && t.value == "Signs"));

        for (broken, why) in [
            (safety_guide("country = \"nz\""), "a country"),
            (safety_guide("").replace("source = \"ilo\"\nchecked", "checked"), "no source"),
            (safety_guide("").replace("kind = \"safety\"", "kind = \"story\""), "a kind"),
            (
                safety_guide("").replace("kind = \"safety\"\n", ""),
                "pathway sections",
            ),
        ] {
            assert!(with_guide(&broken).is_err(), "{why}");
        }
    }

    #[test]
    fn sources_name_a_page_each_and_an_id_once_across_files() {
        let home_page = SOURCES.replace("/resource/other/ilo-indicators-forced-labour", "/");
        let error = Seed::parse([("sources/a.toml", home_page.as_str())]).expect_err("refused");
        assert!(error.to_string().contains("not the address of a page"), "{error}");

        let error = Seed::parse([("sources/a.toml", SOURCES), ("sources/b.toml", SOURCES)])
            .expect_err("refused");
        assert!(error.to_string().contains("defined twice"), "{error}");
    }
}
