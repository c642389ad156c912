//! Reading the content for a page, in one locale. A text missing in that locale shows in
//! English. Each query loads what one page shows, in one call to the database.

use super::advice::{ChecklistKind, Severity, Verdict};
pub use super::seed::GuideKind;
use crate::i18n::Locale;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

/// Where a fact comes from, and when it was last checked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Sourced {
    pub name: String,
    pub url: String,
    pub checked: String,
}

#[derive(Debug, Clone)]
pub struct ChecklistSummary {
    pub slug: String,
    pub title: String,
    pub intro: String,
}

#[derive(Debug, Clone)]
pub struct Checklist {
    pub slug: String,
    pub kind: ChecklistKind,
    pub help_kind: String,
    pub title: String,
    pub intro: String,
    /// The recordings of the title and the introduction, by their hashes (`crate::audio`).
    pub title_clip: Option<String>,
    pub intro_clip: Option<String>,
    pub items: Vec<ChecklistItem>,
    pub advice: Vec<Advice>,
}

#[derive(Debug, Clone)]
pub struct ChecklistItem {
    pub id: String,
    pub severity: Option<Severity>,
    pub text: String,
    pub meaning: String,
    /// The recording of `text`.
    pub clip: Option<String>,
    pub source: Sourced,
}

#[derive(Debug, Clone)]
pub struct Advice {
    pub verdict: Verdict,
    pub meaning: String,
    pub action: String,
    pub meaning_clip: Option<String>,
    pub action_clip: Option<String>,
}

#[derive(Debug, Clone)]
pub struct GuideSummary {
    pub slug: String,
    pub kind: GuideKind,
    /// The one country whose workers it is for, if not for anyone.
    pub for_country: Option<String>,
    pub title: String,
    pub summary: String,
}

#[derive(Debug, Clone)]
pub struct Guide {
    pub slug: String,
    pub kind: GuideKind,
    pub title: String,
    pub summary: String,
    pub title_clip: Option<String>,
    pub summary_clip: Option<String>,
    /// Where the summary's facts come from.
    pub source: Sourced,
    pub sections: Vec<GuideSection>,
}

#[derive(Debug, Clone)]
pub struct GuideSection {
    /// One of [`super::seed::GUIDE_SECTIONS`] in a pathway guide; a safety guide's own id.
    pub kind: String,
    /// A safety guide's heading; a pathway guide's come from the UI strings.
    pub title: Option<String>,
    pub points: Vec<GuidePoint>,
}

#[derive(Debug, Clone)]
pub struct GuidePoint {
    pub text: String,
    pub clip: Option<String>,
    pub url: Option<String>,
    pub source: Sourced,
}

#[derive(Debug, Clone)]
pub struct Country {
    pub code: String,
    pub name: String,
    pub contacts: Vec<Contact>,
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub id: String,
    pub phone: String,
    pub phone_abroad: Option<String>,
    /// Offered by checklists as the number to call for its country.
    pub advice: bool,
    /// Its source is undated: shown with a note until someone checks it again.
    pub recheck: bool,
    pub name: String,
    pub what: String,
    pub what_clip: Option<String>,
    pub hours: String,
    pub languages: String,
    pub source: Sourced,
}

impl Contact {
    /// The number that reaches it from another country: `phone_abroad`, or the number
    /// itself when it is already international.
    pub fn from_abroad(&self) -> Option<&str> {
        self.phone_abroad
            .as_deref()
            .or_else(|| self.phone.starts_with('+').then_some(self.phone.as_str()))
    }
}

impl Country {
    /// The numbers a checklist's advice and the help page offer: those marked `advice`, and,
    /// when none of them can be called from another country, the first that can. A reader
    /// may already be abroad.
    pub fn to_call(&self) -> Vec<&Contact> {
        let mut chosen: Vec<&Contact> = self.contacts.iter().filter(|k| k.advice).collect();
        if !chosen.iter().any(|k| k.from_abroad().is_some()) {
            chosen.extend(self.contacts.iter().find(|k| k.from_abroad().is_some()));
        }
        chosen
    }
}

/// The country whose hotlines a person reading `locale` most likely needs first: Karen
/// readers are mostly on the Thai side of the border.
pub fn home_country(locale: Locale) -> Option<&'static str> {
    match locale {
        Locale::Vi => Some("vn"),
        Locale::Th | Locale::Ksw => Some("th"),
        Locale::En => None,
    }
}

/// The texts whose message id starts with `prefix`, in `locale`, falling back to English.
fn texts(conn: &Connection, locale: Locale, prefix: &str) -> rusqlite::Result<Texts> {
    // Ids starting with "x." sort from "x." up to, not including, "x/" ('/' follows '.').
    let end = format!("{}/", prefix.trim_end_matches('.'));
    let mut statement = conn.prepare_cached(
        "SELECT message_id, value FROM content_text
         WHERE message_id >= ?1 AND message_id < ?2 AND locale IN (?3, 'en')
         ORDER BY locale = ?3",
    )?;
    let rows = statement.query_map(params![prefix, end, locale.code()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut map = HashMap::new();
    for row in rows {
        let (id, value) = row?;
        map.insert(id, value);
    }
    // Only a recording in the page's own language: a text shown in English for want of a
    // translation is not read out in English on a Thai page.
    let mut clips = conn.prepare_cached(
        "SELECT message_id, sha256 FROM recording
         WHERE message_id >= ?1 AND message_id < ?2 AND locale = ?3",
    )?;
    let clips = clips
        .query_map(params![prefix, end, locale.code()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Texts(map, clips))
}

/// A page's texts, and the recordings of those that have one.
struct Texts(HashMap<String, String>, HashMap<String, String>);

impl Texts {
    fn get(&self, id: &str) -> String {
        self.0.get(id).cloned().unwrap_or_default()
    }

    /// The hash of the recording of `id`, if it has one.
    fn clip(&self, id: &str) -> Option<String> {
        self.1.get(id).cloned()
    }
}

fn sourced(row: &rusqlite::Row, first: usize) -> rusqlite::Result<Sourced> {
    Ok(Sourced {
        name: row.get(first)?,
        url: row.get(first + 1)?,
        checked: row.get(first + 2)?,
    })
}

pub fn checklists(conn: &Connection, locale: Locale) -> rusqlite::Result<Vec<ChecklistSummary>> {
    let t = texts(conn, locale, "checklist.")?;
    let mut statement = conn.prepare_cached("SELECT slug FROM checklist ORDER BY position")?;
    let slugs = statement.query_map([], |r| r.get::<_, String>(0))?;
    slugs
        .map(|slug| {
            let slug = slug?;
            Ok(ChecklistSummary {
                title: t.get(&format!("checklist.{slug}.title")),
                intro: t.get(&format!("checklist.{slug}.intro")),
                slug,
            })
        })
        .collect()
}

/// The text of a checklist sign named `checklist/item`, as a help request attaches it, in
/// `locale` or else in English; `None` for a sign no checklist has.
pub fn sign_text(
    conn: &Connection,
    sign: &str,
    locale: Locale,
) -> rusqlite::Result<Option<String>> {
    let Some((checklist, item)) = sign.split_once('/') else {
        return Ok(None);
    };
    conn.prepare_cached(
        "SELECT value FROM content_text WHERE message_id = ?1 AND locale IN (?2, 'en')
         ORDER BY locale = ?2 DESC LIMIT 1",
    )?
    .query_row(
        rusqlite::params![
            format!("checklist.{checklist}.item.{item}.text"),
            locale.code()
        ],
        |r| r.get(0),
    )
    .optional()
}

pub fn checklist(
    conn: &Connection,
    locale: Locale,
    slug: &str,
) -> rusqlite::Result<Option<Checklist>> {
    let found = conn
        .prepare_cached("SELECT kind, help_kind FROM checklist WHERE slug = ?1")?
        .query_row([slug], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .optional()?;
    let Some((kind, help_kind)) = found else {
        return Ok(None);
    };
    let kind = ChecklistKind::from_code(&kind).unwrap_or(ChecklistKind::WarningSigns);
    let prefix = format!("checklist.{slug}.");
    let t = texts(conn, locale, &prefix)?;
    let mut statement = conn.prepare_cached(
        "SELECT i.id, i.severity, s.name, s.url, i.checked_on
         FROM checklist_item i JOIN source s ON s.id = i.source_id
         WHERE i.checklist_slug = ?1 ORDER BY i.position",
    )?;
    let items = statement
        .query_map([slug], |r| {
            let id: String = r.get(0)?;
            Ok(ChecklistItem {
                severity: r
                    .get::<_, Option<String>>(1)?
                    .as_deref()
                    .and_then(Severity::from_code),
                text: t.get(&format!("{prefix}item.{id}.text")),
                meaning: t.get(&format!("{prefix}item.{id}.meaning")),
                clip: t.clip(&format!("{prefix}item.{id}.text")),
                source: sourced(r, 2)?,
                id,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let advice = kind
        .verdicts()
        .iter()
        .map(|&verdict| {
            let id = |part: &str| format!("{prefix}advice.{}.{part}", verdict.code());
            Advice {
                verdict,
                meaning: t.get(&id("meaning")),
                action: t.get(&id("action")),
                meaning_clip: t.clip(&id("meaning")),
                action_clip: t.clip(&id("action")),
            }
        })
        .collect();
    Ok(Some(Checklist {
        slug: slug.to_owned(),
        kind,
        help_kind,
        title: t.get(&format!("{prefix}title")),
        intro: t.get(&format!("{prefix}intro")),
        title_clip: t.clip(&format!("{prefix}title")),
        intro_clip: t.clip(&format!("{prefix}intro")),
        items,
        advice,
    }))
}

pub fn guides(conn: &Connection, locale: Locale) -> rusqlite::Result<Vec<GuideSummary>> {
    let t = texts(conn, locale, "guide.")?;
    let mut statement =
        conn.prepare_cached("SELECT slug, kind, for_country FROM guide ORDER BY position")?;
    let rows = statement.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
    })?;
    rows.map(|row| {
        let (slug, kind, for_country) = row?;
        Ok(GuideSummary {
            title: t.get(&format!("guide.{slug}.title")),
            summary: t.get(&format!("guide.{slug}.summary")),
            slug,
            kind: GuideKind::from_code(&kind).unwrap_or(GuideKind::Pathway),
            for_country,
        })
    })
    .collect()
}

pub fn guide(conn: &Connection, locale: Locale, slug: &str) -> rusqlite::Result<Option<Guide>> {
    let found = conn
        .prepare_cached(
            "SELECT g.kind, s.name, s.url, g.checked_on
             FROM guide g JOIN source s ON s.id = g.source_id WHERE g.slug = ?1",
        )?
        .query_row([slug], |r| Ok((r.get::<_, String>(0)?, sourced(r, 1)?)))
        .optional()?;
    let Some((kind, source)) = found else {
        return Ok(None);
    };
    let prefix = format!("guide.{slug}.");
    let t = texts(conn, locale, &prefix)?;
    let mut statement = conn.prepare_cached(
        "SELECT p.id, p.section, p.url, s.name, s.url, p.checked_on
         FROM guide_point p JOIN source s ON s.id = p.source_id
         WHERE p.guide_slug = ?1 ORDER BY p.position",
    )?;
    let mut sections: Vec<GuideSection> = Vec::new();
    let rows = statement.query_map([slug], |r| {
        let id: String = r.get(0)?;
        Ok((
            r.get::<_, String>(1)?,
            GuidePoint {
                text: t.get(&format!("{prefix}point.{id}")),
                clip: t.clip(&format!("{prefix}point.{id}")),
                url: r.get(2)?,
                source: sourced(r, 3)?,
            },
        ))
    })?;
    for row in rows {
        let (kind, point) = row?;
        match sections.last_mut() {
            Some(section) if section.kind == kind => section.points.push(point),
            _ => sections.push(GuideSection {
                title: t.0.get(&format!("{prefix}section.{kind}")).cloned(),
                kind,
                points: vec![point],
            }),
        }
    }
    Ok(Some(Guide {
        slug: slug.to_owned(),
        kind: GuideKind::from_code(&kind).unwrap_or(GuideKind::Pathway),
        title: t.get(&format!("{prefix}title")),
        summary: t.get(&format!("{prefix}summary")),
        title_clip: t.clip(&format!("{prefix}title")),
        summary_clip: t.clip(&format!("{prefix}summary")),
        source,
        sections,
    }))
}

/// Every country with its contacts; the country of the reader's language first.
pub fn countries(conn: &Connection, locale: Locale) -> rusqlite::Result<Vec<Country>> {
    let names = texts(conn, locale, "country.")?;
    let t = texts(conn, locale, "contact.")?;
    let mut statement = conn.prepare_cached(
        "SELECT co.code, c.id, c.phone, c.phone_abroad, c.advice, c.recheck,
                s.name, s.url, c.checked_on
         FROM country co
         JOIN contact c ON c.country_code = co.code
         JOIN source s ON s.id = c.source_id
         ORDER BY co.code = ?1 DESC, co.position, c.position",
    )?;
    let home = home_country(locale).unwrap_or("");
    let rows = statement.query_map([home], |r| {
        let id: String = r.get(1)?;
        let text = |field: &str| t.get(&format!("contact.{id}.{field}"));
        Ok((
            r.get::<_, String>(0)?,
            Contact {
                phone: r.get(2)?,
                phone_abroad: r.get(3)?,
                advice: r.get(4)?,
                recheck: r.get(5)?,
                name: text("name"),
                what: text("what"),
                what_clip: t.clip(&format!("contact.{id}.what")),
                hours: text("hours"),
                languages: text("languages"),
                source: sourced(r, 6)?,
                id,
            },
        ))
    })?;
    let mut countries: Vec<Country> = Vec::new();
    for row in rows {
        let (code, contact) = row?;
        match countries.last_mut() {
            Some(country) if country.code == code => country.contacts.push(contact),
            _ => countries.push(Country {
                name: names.get(&format!("country.{code}.name")),
                code,
                contacts: vec![contact],
            }),
        }
    }
    Ok(countries)
}
