//! Loading the checked seed into SQLite, in one transaction: rows and texts the seed no
//! longer has go, new ones come, changed ones change, except what an editor has changed.

use super::{Seed, SeedReport, Severity, Source};
use crate::i18n::Locale;
use rusqlite::{Connection, params};
use std::collections::HashMap;

impl Seed {
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
        self.apply_glossary(&tx)?;
        delete_dropped_sources(&tx, &self.sources)?;
        let report = self.apply_texts(&tx)?;
        tx.commit()?;
        Ok(report)
    }

    /// The glossary: terms the seed dropped go, with their translations; an approved
    /// translation an editor changed stays.
    fn apply_glossary(&self, tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
        delete_missing(
            tx,
            "glossary_term",
            "id",
            self.glossary.iter().map(|t| t.id.clone()),
        )?;
        for term in &self.glossary {
            tx.execute(
                "INSERT INTO glossary_term (id, english, forms, note, is_name)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET english = excluded.english,
                     forms = excluded.forms, note = excluded.note, is_name = excluded.is_name",
                params![
                    term.id,
                    term.english,
                    term.forms.join("\n"),
                    term.note,
                    term.is_name
                ],
            )?;
            for (locale, value, variants) in &term.translations {
                tx.execute(
                    "INSERT INTO glossary_translation (term_id, locale, value, variants)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (term_id, locale) DO UPDATE SET value = excluded.value,
                         variants = excluded.variants
                     WHERE glossary_translation.edited_at IS NULL",
                    params![term.id, locale.code(), value, variants.join("\n")],
                )?;
            }
        }
        Ok(())
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
                    if value != text.value {
                        crate::audio::store::outdate(tx, &text.message_id, locale)?;
                    }
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

/// Removes the sources a release dropped, unless a fact an editor kept still cites one.
fn delete_dropped_sources(tx: &Connection, sources: &[Source]) -> rusqlite::Result<()> {
    let ids: Vec<String> = tx
        .prepare("SELECT id FROM source WHERE edited_at IS NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids
        .iter()
        .filter(|id| !sources.iter().any(|s| &s.id == *id))
    {
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

/// Deletes the rows of `table` whose `key` (a column or SQL expression) is not in `keep`.
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
