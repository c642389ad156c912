//! Every translatable text as the editors' workspace sees it: UI strings (the shipped `.ftl`
//! files with published edits on top) and content texts (in SQLite), each in four locales,
//! with their status, whether English changed since the translation was made, and any saved
//! change not yet published. Saving, publishing and the history of changes live here too;
//! what the public site reads of the published texts is `crate::content::texts`.

use super::exchange;
use crate::content::texts::source_hash;
use crate::i18n::{Catalog, Locale, STAFF_LOCALES, validate::Kind};
use fluent_syntax::{ast, parser};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Reviewed,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Reviewed => "reviewed",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        match code {
            "draft" => Some(Status::Draft),
            "reviewed" => Some(Status::Reviewed),
            _ => None,
        }
    }
}

pub fn kind_code(kind: Kind) -> &'static str {
    match kind {
        Kind::Ui => "ui",
        Kind::Content => "content",
    }
}

pub fn kind_from_code(code: &str) -> Option<Kind> {
    match code {
        "ui" => Some(Kind::Ui),
        "content" => Some(Kind::Content),
        _ => None,
    }
}

/// One locale's text of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub value: String,
    pub status: Status,
    /// [`source_hash`] of the English it was made from.
    pub source_hash: String,
}

/// Where a message stands in one locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Missing,
    Draft,
    Reviewed,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub kind: Kind,
    pub id: String,
    /// Where it shows: a UI file (`main`, `help`…) or a content item (`checklist.job-offer`).
    pub area: String,
    /// The note for translators: a UI string's comment in the English file.
    pub note: Option<String>,
    pub published: BTreeMap<Locale, Translation>,
    /// Saved but not yet published; an empty value removes the translation.
    pub pending: BTreeMap<Locale, Translation>,
}

impl Message {
    /// The English text translations are made from, as published.
    pub fn english(&self) -> &str {
        self.published
            .get(&Locale::SOURCE)
            .map_or("", |t| t.value.as_str())
    }

    /// What an editor sees as the current text: the saved change, else the published one.
    pub fn current(&self, locale: Locale) -> Option<&Translation> {
        self.pending
            .get(&locale)
            .or_else(|| self.published.get(&locale))
            .filter(|t| !t.value.trim().is_empty())
    }

    pub fn state(&self, locale: Locale) -> State {
        match self.current(locale) {
            None => State::Missing,
            Some(t) if t.status == Status::Reviewed => State::Reviewed,
            Some(_) => State::Draft,
        }
    }

    /// English changed after this translation was made.
    pub fn outdated(&self, locale: Locale) -> bool {
        locale != Locale::SOURCE
            && self
                .current(locale)
                .is_some_and(|t| t.source_hash != source_hash(self.english()))
    }

    /// The translation is the English text, word for word.
    pub fn unchanged(&self, locale: Locale) -> bool {
        locale != Locale::SOURCE
            && self
                .current(locale)
                .is_some_and(|t| t.value.trim() == self.english().trim())
    }

    pub fn is_pending(&self, locale: Locale) -> bool {
        self.pending.contains_key(&locale)
    }
}

/// Whether `locale` has a message of `area` at all: the staff pages are written in English
/// and Vietnamese only.
pub fn applies(area: &str, locale: Locale) -> bool {
    area != "staff" || STAFF_LOCALES.contains(&locale)
}

/// A UI message as shipped: its file, its note, and its body in each locale.
struct Shipped {
    id: String,
    file: String,
    note: Option<String>,
    bodies: BTreeMap<Locale, String>,
}

static SHIPPED: LazyLock<Vec<Shipped>> = LazyLock::new(|| {
    let mut messages: Vec<Shipped> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut files: Vec<_> = Catalog::shipped_files().collect();
    // English first, so every message is known before its translations.
    files.sort_by_key(|(locale, _, _)| *locale != Locale::SOURCE.code());
    for (code, file, source) in files {
        let Some(locale) = Locale::from_code(code) else {
            continue;
        };
        let Ok(entries) = exchange::import(source) else {
            tracing::error!(code, file, "a shipped file does not import");
            continue;
        };
        let notes = if locale == Locale::SOURCE {
            notes(source)
        } else {
            BTreeMap::new()
        };
        for entry in entries {
            let at = *index.entry(entry.id.clone()).or_insert_with(|| {
                messages.push(Shipped {
                    id: entry.id.clone(),
                    file: file.trim_end_matches(".ftl").to_owned(),
                    note: notes.get(&entry.id).cloned(),
                    bodies: BTreeMap::new(),
                });
                messages.len() - 1
            });
            messages[at].bodies.insert(locale, entry.value);
        }
    }
    messages
});

/// The comments above the messages of a `.ftl` file: its notes for translators.
fn notes(source: &str) -> BTreeMap<String, String> {
    let resource = match parser::parse(source) {
        Ok(resource) | Err((resource, _)) => resource,
    };
    resource
        .body
        .into_iter()
        .filter_map(|entry| match entry {
            ast::Entry::Message(ast::Message {
                id,
                comment: Some(comment),
                ..
            }) => Some((id.name.to_owned(), comment.content.join("\n"))),
            _ => None,
        })
        .collect()
}

/// Every message of both kinds, in the order editors go through them.
pub fn load(conn: &Connection) -> rusqlite::Result<Vec<Message>> {
    let mut messages: Vec<Message> = SHIPPED
        .iter()
        .map(|shipped| {
            let english = shipped
                .bodies
                .get(&Locale::SOURCE)
                .cloned()
                .unwrap_or_default();
            let hash = source_hash(&english);
            let published = shipped
                .bodies
                .iter()
                .map(|(&locale, body)| {
                    let status = if locale == Locale::SOURCE {
                        Status::Reviewed
                    } else {
                        Status::Draft
                    };
                    let translation = Translation {
                        value: body.clone(),
                        status,
                        source_hash: hash.clone(),
                    };
                    (locale, translation)
                })
                .collect();
            Message {
                kind: Kind::Ui,
                id: shipped.id.clone(),
                area: shipped.file.clone(),
                note: shipped.note.clone(),
                published,
                pending: BTreeMap::new(),
            }
        })
        .collect();
    let mut at: BTreeMap<(&'static str, String), usize> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| (("ui", m.id.clone()), i))
        .collect();

    let mut statement = conn.prepare(
        "SELECT message_id, locale, value, status, source_hash FROM ui_text
         ORDER BY locale = 'en' DESC",
    )?;
    let rows = statement.query_map([], row_translation)?;
    for row in rows {
        let (id, locale, translation) = row?;
        if let Some(&i) = at.get(&("ui", id)) {
            if translation.value.trim().is_empty() {
                messages[i].published.remove(&locale);
            } else {
                messages[i].published.insert(locale, translation);
            }
        }
    }

    let mut statement = conn.prepare(
        "SELECT message_id, locale, value, status, source_hash FROM content_text
         ORDER BY message_id, locale = 'en' DESC",
    )?;
    let rows = statement.query_map([], row_translation)?;
    for row in rows {
        let (id, locale, mut translation) = row?;
        let i = *at.entry(("content", id.clone())).or_insert_with(|| {
            messages.push(Message {
                kind: Kind::Content,
                area: content_area(&id),
                id,
                note: None,
                published: BTreeMap::new(),
                pending: BTreeMap::new(),
            });
            messages.len() - 1
        });
        if translation.source_hash.is_empty() {
            translation.source_hash = source_hash(messages[i].english());
        }
        messages[i].published.insert(locale, translation);
    }

    let mut statement = conn
        .prepare("SELECT kind, message_id, locale, value, status, source_hash FROM pending_text")?;
    let rows = statement.query_map([], |r| {
        let kind: String = r.get(0)?;
        let (id, locale, translation) = row_translation_from(r, 1)?;
        Ok((kind, id, locale, translation))
    })?;
    for row in rows {
        let (kind, id, locale, translation) = row?;
        let kind = if kind == "ui" { "ui" } else { "content" };
        if let Some(&i) = at.get(&(kind, id)) {
            messages[i].pending.insert(locale, translation);
        }
    }
    Ok(messages)
}

/// `checklist.job-offer.item.fee.text` shows on `checklist.job-offer`.
fn content_area(id: &str) -> String {
    id.split('.').take(2).collect::<Vec<_>>().join(".")
}

type Row = (String, Locale, Translation);

fn row_translation(r: &rusqlite::Row) -> rusqlite::Result<Row> {
    row_translation_from(r, 0)
}

fn row_translation_from(r: &rusqlite::Row, first: usize) -> rusqlite::Result<Row> {
    let code: String = r.get(first + 1)?;
    let status: String = r.get(first + 3)?;
    Ok((
        r.get(first)?,
        Locale::from_code(&code).unwrap_or(Locale::SOURCE),
        Translation {
            value: r.get(first + 2)?,
            status: Status::from_code(&status).unwrap_or(Status::Draft),
            source_hash: r.get::<_, Option<String>>(first + 4)?.unwrap_or_default(),
        },
    ))
}

/// One message, by kind and id.
pub fn find(conn: &Connection, kind: Kind, id: &str) -> rusqlite::Result<Option<Message>> {
    Ok(load(conn)?
        .into_iter()
        .find(|m| m.kind == kind && m.id == id))
}

/// A change to save: who makes it, and why (`save`, `revert` or `import`).
pub struct Change<'a> {
    pub kind: Kind,
    pub id: &'a str,
    pub locale: Locale,
    pub value: &'a str,
    pub status: Status,
    pub by: &'a str,
    pub action: &'a str,
}

/// Saves `change` as not yet published, recording the old and new value in the history.
/// Returns false when it changes nothing.
pub fn save(conn: &Connection, message: &Message, change: &Change) -> rusqlite::Result<bool> {
    let old = message.current(change.locale);
    let value = change.value.trim_end().replace("\r\n", "\n");
    if old.is_some_and(|t| t.value == value && t.status == change.status)
        || (old.is_none() && value.trim().is_empty())
    {
        return Ok(false);
    }
    // The English the editor saw: a saved English change counts as the source.
    let english = message
        .pending
        .get(&Locale::SOURCE)
        .map_or(message.english(), |t| t.value.as_str());
    let kind = kind_code(change.kind);
    conn.execute(
        &format!(
            "INSERT INTO pending_text
             (kind, message_id, locale, value, status, source_hash, edited_at, edited_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, {NOW}, ?7)
         ON CONFLICT (kind, message_id, locale) DO UPDATE SET value = excluded.value,
             status = excluded.status, source_hash = excluded.source_hash,
             edited_at = excluded.edited_at, edited_by = excluded.edited_by"
        ),
        params![
            kind,
            change.id,
            change.locale.code(),
            value,
            change.status.code(),
            source_hash(english),
            change.by
        ],
    )?;
    record(
        conn,
        &Record {
            kind,
            id: change.id,
            locale: change.locale.code(),
            old: old.map(|t| t.value.as_str()),
            new: Some(&value),
            status: Some(change.status.code()),
            action: change.action,
            by: change.by,
        },
    )?;
    Ok(true)
}

/// One entry of the history of changes.
pub struct Record<'a> {
    pub kind: &'a str,
    pub id: &'a str,
    /// The text's locale; "" for a fact.
    pub locale: &'a str,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
    pub status: Option<&'a str>,
    pub action: &'a str,
    pub by: &'a str,
}

/// Adds an entry to the history of changes.
pub fn record(conn: &Connection, entry: &Record) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO text_history
             (kind, message_id, locale, old_value, new_value, status, action, changed_by, changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, {NOW})"
        ),
        params![
            entry.kind,
            entry.id,
            entry.locale,
            entry.old,
            entry.new,
            entry.status,
            entry.action,
            entry.by
        ],
    )?;
    Ok(())
}

/// How many changes wait to be published.
pub fn pending_count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM pending_text) + (SELECT count(*) FROM pending_fact)
                + (SELECT count(*) FROM pending_recording)",
        [],
        |r| r.get(0),
    )
}

#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub id: i64,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub status: Option<String>,
    pub action: String,
    pub by: String,
    pub at: String,
}

/// The changes of one message in one locale (or one fact, with `locale` ""), newest first.
pub fn history(
    conn: &Connection,
    kind: &str,
    id: &str,
    locale: &str,
) -> rusqlite::Result<Vec<HistoryEntry>> {
    let mut statement = conn.prepare(
        "SELECT id, old_value, new_value, status, action, changed_by, changed_at
         FROM text_history WHERE kind = ?1 AND message_id = ?2 AND locale = ?3
         ORDER BY id DESC LIMIT 50",
    )?;
    let rows = statement.query_map(params![kind, id, locale], |r| {
        Ok(HistoryEntry {
            id: r.get(0)?,
            old_value: r.get(1)?,
            new_value: r.get(2)?,
            status: r.get(3)?,
            action: r.get(4)?,
            by: r.get(5)?,
            at: r.get(6)?,
        })
    })?;
    rows.collect()
}

/// The value a history entry replaced, to revert to: `(kind, id, locale, old value)`.
pub fn before(
    conn: &Connection,
    entry: i64,
) -> rusqlite::Result<Option<(String, String, String, String)>> {
    conn.query_row(
        "SELECT kind, message_id, locale, coalesce(old_value, '') FROM text_history WHERE id = ?1",
        [entry],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .optional()
}

/// The time of a change, in SQL.
pub const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_ui_id_reads_back_as_a_ui_id() {
        // A `_` in a UI id would make the .ftl exchange take it for a content text.
        assert!(SHIPPED.len() > 300, "{}", SHIPPED.len());
        let content_like: Vec<_> = SHIPPED
            .iter()
            .filter(|m| m.id.contains('.'))
            .map(|m| &m.id)
            .collect();
        assert!(content_like.is_empty(), "{content_like:?}");
    }
}
