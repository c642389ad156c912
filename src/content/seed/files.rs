//! The seed files as written: one struct per file format, read with serde. `super` checks
//! them and flattens them into rows.

use crate::i18n::Locale;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Text {
    pub(super) en: String,
    pub(super) vi: String,
    pub(super) th: String,
    pub(super) ksw: String,
}

impl Text {
    pub(super) fn get(&self, locale: Locale) -> &str {
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
pub(super) struct SourcesFile {
    pub(super) source: Vec<Source>,
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
pub(super) struct ChecklistFile {
    pub(super) slug: String,
    pub(super) position: i64,
    pub(super) kind: String,
    pub(super) help_kind: String,
    pub(super) reviewed: Vec<String>,
    pub(super) title: Text,
    pub(super) intro: Text,
    pub(super) advice: BTreeMap<String, AdviceSeed>,
    pub(super) item: Vec<ItemSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AdviceSeed {
    pub(super) meaning: Text,
    pub(super) action: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ItemSeed {
    pub(super) id: String,
    pub(super) severity: Option<String>,
    pub(super) source: String,
    pub(super) checked: String,
    pub(super) text: Text,
    pub(super) meaning: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GuideFile {
    pub(super) slug: String,
    pub(super) position: i64,
    #[serde(default)]
    pub(super) kind: Option<String>,
    /// The country a pathway guide leads to; a safety guide has none.
    #[serde(default)]
    pub(super) country: Option<String>,
    /// The source of the summary's facts, and when they were checked.
    pub(super) source: String,
    pub(super) checked: String,
    /// The one country whose workers the guide is for, if it is not for anyone.
    #[serde(default, rename = "for")]
    pub(super) for_country: Option<String>,
    pub(super) reviewed: Vec<String>,
    pub(super) title: Text,
    pub(super) summary: Text,
    pub(super) section: Vec<SectionSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SectionSeed {
    pub(super) kind: String,
    /// A safety guide's heading for the section; a pathway guide's come from the UI strings.
    #[serde(default)]
    pub(super) title: Option<Text>,
    pub(super) point: Vec<PointSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PointSeed {
    pub(super) id: String,
    pub(super) source: String,
    pub(super) checked: String,
    pub(super) url: Option<String>,
    pub(super) text: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ContactsFile {
    pub(super) reviewed: Vec<String>,
    pub(super) country: Vec<CountrySeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CountrySeed {
    pub(super) code: String,
    pub(super) position: i64,
    pub(super) name: Text,
    pub(super) contact: Vec<ContactSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ContactSeed {
    pub(super) id: String,
    pub(super) phone: String,
    pub(super) phone_abroad: Option<String>,
    #[serde(default)]
    pub(super) advice: bool,
    #[serde(default)]
    pub(super) recheck: bool,
    pub(super) source: String,
    pub(super) checked: String,
    pub(super) name: Text,
    pub(super) what: Text,
    pub(super) hours: Text,
    pub(super) languages: Text,
}

/// `glossary.toml`: the translators' glossary.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GlossaryFile {
    pub(super) term: Vec<TermSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TermSeed {
    pub(super) id: String,
    pub(super) en: String,
    #[serde(default)]
    pub(super) forms: Vec<String>,
    #[serde(default)]
    pub(super) note: String,
    #[serde(default)]
    pub(super) name: bool,
    pub(super) vi: TermTranslation,
    pub(super) th: TermTranslation,
    pub(super) ksw: TermTranslation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TermTranslation {
    pub(super) value: String,
    #[serde(default)]
    pub(super) variants: Vec<String>,
}
