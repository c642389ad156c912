//! Two people for the changes that could send a caller to a trafficker: a contact's phone
//! numbers, a source's or a guide point's web address, the privacy notice and the quick-exit
//! texts, any content text whose numbers change, and every recording (issue 20: the people
//! who listen are those who cannot read the text to check what the voice says, numbers
//! included). Such a change is published only once
//! an editor or admin other than its author has approved it, as it stands: editing it again
//! needs a new approval. Everything else keeps the one-step flow.

use super::facts;
use super::texts::NOW;
use crate::staff::audit;
use rusqlite::{Connection, OptionalExtension, params};

/// The UI strings that only change with a second person: what the app promises about
/// privacy, and how to leave it at once.
const GUARDED_UI: [&str; 5] = [
    "privacy-",
    "quick-exit",
    "clear-",
    "footer-privacy",
    "home-safety",
];

/// The facts that only change with a second person: (entity, field).
const GUARDED_FACTS: [(&str, &str); 4] = [
    ("contact", "phone"),
    ("contact", "phone_abroad"),
    ("source", "url"),
    ("guide_point", "url"),
];

/// One saved change, named as the approval table names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Text {
        kind: String,
        id: String,
        locale: String,
    },
    Fact {
        entity: String,
        id: String,
        field: String,
    },
    /// A text's recording in a locale; its values are clips' hashes.
    Recording { id: String, locale: String },
}

impl Target {
    /// The key the approval table stores, and the approve form posts.
    pub fn key(&self) -> String {
        match self {
            Target::Text { kind, id, locale } => format!("text:{kind}:{locale}:{id}"),
            Target::Fact { entity, id, field } => format!("fact:{entity}:{field}:{id}"),
            Target::Recording { id, locale } => format!("recording:{locale}:{id}"),
        }
    }

    /// Whether its values are recordings, to be heard rather than read.
    pub fn is_recording(&self) -> bool {
        matches!(self, Target::Recording { .. })
    }

    /// The pending table that holds the change (`pending_text`, `pending_fact` or
    /// `pending_recording`), the condition that names its row, and the values of that
    /// condition.
    fn row(&self) -> (&'static str, &'static str, Vec<&str>) {
        match self {
            Target::Text { kind, id, locale } => (
                "text",
                "kind = ?1 AND message_id = ?2 AND locale = ?3",
                vec![kind, id, locale],
            ),
            Target::Fact { entity, id, field } => (
                "fact",
                "entity = ?1 AND id = ?2 AND field = ?3",
                vec![entity, id, field],
            ),
            Target::Recording { id, locale } => (
                "recording",
                "message_id = ?1 AND locale = ?2",
                vec![id, locale],
            ),
        }
    }
}

/// A guarded change waiting to be published.
#[derive(Debug, Clone)]
pub struct Guarded {
    pub target: Target,
    pub old: Option<String>,
    pub new: Option<String>,
    pub by: String,
    /// Who approved it as it now stands, if anyone other than its author did.
    pub approved_by: Option<String>,
}

impl Guarded {
    pub fn ready(&self) -> bool {
        self.approved_by.is_some()
    }

    /// What the approve form carries, so that what is approved is what was shown.
    pub fn fingerprint(&self) -> String {
        fingerprint(self.new.as_deref())
    }
}

fn fingerprint(value: Option<&str>) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    match value {
        Some(value) => {
            hasher.update([1]);
            hasher.update(value.as_bytes());
        }
        None => hasher.update([0]),
    }
    crate::web::hex(&hasher.finalize())
}

/// The digits of `text`, in order: a changed number in a sentence changes them.
fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Every guarded change waiting to be published, in the order they were saved.
pub fn guarded(conn: &Connection) -> rusqlite::Result<Vec<Guarded>> {
    let mut found = Vec::new();
    let mut texts = conn.prepare(
        "SELECT p.kind, p.message_id, p.locale, p.value, p.edited_by, c.value
         FROM pending_text p
         LEFT JOIN content_text c ON p.kind = 'content'
             AND c.message_id = p.message_id AND c.locale = p.locale
         ORDER BY p.edited_at, p.message_id",
    )?;
    let rows = texts.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    for row in rows {
        let (kind, id, locale, new, by, published) = row?;
        let guarded = if kind == "ui" {
            GUARDED_UI.iter().any(|prefix| id.starts_with(prefix))
        } else {
            digits(&new) != digits(published.as_deref().unwrap_or_default())
        };
        if guarded {
            let target = Target::Text { kind, id, locale };
            found.push((target, published, Some(new), by));
        }
    }
    let mut facts = conn.prepare(
        "SELECT entity, id, field, value, edited_by FROM pending_fact ORDER BY edited_at, id",
    )?;
    let rows = facts.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    for row in rows {
        let (entity, id, field, new, by) = row?;
        if !GUARDED_FACTS.contains(&(entity.as_str(), field.as_str())) {
            continue;
        }
        let old = match facts::entity(&entity) {
            Some(e) => facts::published(conn, e, &id, &field)?.flatten(),
            None => None,
        };
        found.push((Target::Fact { entity, id, field }, old, new, by));
    }
    let mut recordings = conn.prepare(
        "SELECT p.message_id, p.locale, p.sha256, p.edited_by, r.sha256
         FROM pending_recording p LEFT JOIN recording r
             ON r.message_id = p.message_id AND r.locale = p.locale
         ORDER BY p.edited_at, p.message_id",
    )?;
    let rows = recordings.query_map([], |r| {
        Ok((
            Target::Recording {
                id: r.get(0)?,
                locale: r.get(1)?,
            },
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        found.push(row?);
    }
    found
        .into_iter()
        .map(|(target, old, new, by)| {
            let approved_by = approver(conn, &target, new.as_deref(), &by)?;
            Ok(Guarded {
                target,
                old,
                new,
                by,
                approved_by,
            })
        })
        .collect()
}

/// Who approved `target` with the value `new`, if that is someone other than `author`.
fn approver(
    conn: &Connection,
    target: &Target,
    new: Option<&str>,
    author: &str,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT approved_by FROM pending_approval
         WHERE target = ?1 AND fingerprint = ?2 AND approved_by <> ?3",
        params![target.key(), fingerprint(new), author],
        |r| r.get(0),
    )
    .optional()
}

/// Why an approval was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The change is the approver's own.
    OwnChange,
    /// No such guarded change waits, or it was edited since the approver saw it.
    Changed,
}

/// Approves the guarded change `key`, as it was shown (`fingerprint`), by `by`.
pub fn approve(
    conn: &mut Connection,
    key: &str,
    shown: &str,
    by: &str,
    staff: Option<i64>,
) -> rusqlite::Result<Result<(), Refused>> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let Some(change) = guarded(&tx)?
        .into_iter()
        .find(|g| g.target.key() == key && g.fingerprint() == shown)
    else {
        return Ok(Err(Refused::Changed));
    };
    if change.by == by {
        return Ok(Err(Refused::OwnChange));
    }
    tx.execute(
        &format!(
            "INSERT INTO pending_approval (target, fingerprint, approved_by, approved_at)
             VALUES (?1, ?2, ?3, {NOW})
             ON CONFLICT (target) DO UPDATE SET fingerprint = excluded.fingerprint,
                 approved_by = excluded.approved_by, approved_at = excluded.approved_at"
        ),
        params![key, shown, by],
    )?;
    audit::record(
        &tx,
        staff,
        "change-approved",
        key,
        &format!("{} → {}", shown_value(change.old), shown_value(change.new)),
    )?;
    tx.commit()?;
    Ok(Ok(()))
}

fn shown_value(value: Option<String>) -> String {
    value.unwrap_or_else(|| "∅".to_owned())
}

/// Takes the guarded changes not yet approved out of the pending tables, into TEMP tables,
/// for a publish in `tx` to leave alone; [`put_back`] returns them. Returns how many.
pub fn hold_back(tx: &Connection) -> rusqlite::Result<usize> {
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS held_text AS SELECT * FROM pending_text WHERE 0;
         CREATE TEMP TABLE IF NOT EXISTS held_fact AS SELECT * FROM pending_fact WHERE 0;
         CREATE TEMP TABLE IF NOT EXISTS held_recording AS
             SELECT * FROM pending_recording WHERE 0;
         DELETE FROM temp.held_text; DELETE FROM temp.held_fact;
         DELETE FROM temp.held_recording;",
    )?;
    let waiting: Vec<Guarded> = guarded(tx)?.into_iter().filter(|g| !g.ready()).collect();
    for change in &waiting {
        let (table, row, key) = change.target.row();
        tx.execute(
            &format!("INSERT INTO temp.held_{table} SELECT * FROM pending_{table} WHERE {row}"),
            rusqlite::params_from_iter(&key),
        )?;
        tx.execute(
            &format!("DELETE FROM pending_{table} WHERE {row}"),
            rusqlite::params_from_iter(&key),
        )?;
    }
    Ok(waiting.len())
}

/// Returns the changes [`hold_back`] took, and forgets the approvals of what was published.
pub fn put_back(tx: &Connection) -> rusqlite::Result<()> {
    tx.execute_batch(
        "INSERT INTO pending_text SELECT * FROM temp.held_text;
         INSERT INTO pending_fact SELECT * FROM temp.held_fact;
         INSERT INTO pending_recording SELECT * FROM temp.held_recording;
         DELETE FROM temp.held_text; DELETE FROM temp.held_fact;
         DELETE FROM temp.held_recording;",
    )?;
    let waiting: Vec<String> = guarded(tx)?.iter().map(|g| g.target.key()).collect();
    let mut approvals = tx.prepare("SELECT target FROM pending_approval")?;
    let stale: Vec<String> = approvals
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for key in stale.iter().filter(|key| !waiting.contains(key)) {
        tx.execute("DELETE FROM pending_approval WHERE target = ?1", [key])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::publish::{Published, publish};

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        conn.execute_batch(
            "INSERT INTO source (id, name, url) VALUES ('ilo', 'ILO', 'https://www.ilo.org/a');",
        )
        .expect("a source");
        conn
    }

    fn save_url(conn: &Connection, url: &str, by: &str) {
        let entity = facts::entity("source").expect("source");
        facts::save(conn, entity, "ilo", "url", Some(url), by).expect("saved");
    }

    fn url(conn: &Connection) -> String {
        conn.query_row("SELECT url FROM source WHERE id = 'ilo'", [], |r| r.get(0))
            .expect("url")
    }

    fn approve_as(conn: &mut Connection, by: &str) -> Result<(), Refused> {
        let change = guarded(conn).expect("guarded").remove(0);
        approve(conn, &change.target.key(), &change.fingerprint(), by, None).expect("db")
    }

    #[test]
    fn a_guarded_change_waits_for_someone_else_and_an_edit_needs_a_new_approval() {
        let mut conn = database();
        save_url(&conn, "https://evil.example/a", "ed");
        assert_eq!(
            publish(&mut conn, "ed", None).expect("publish"),
            Published {
                version: None,
                waiting: 1
            }
        );
        assert_eq!(url(&conn), "https://www.ilo.org/a");
        assert_eq!(approve_as(&mut conn, "ed"), Err(Refused::OwnChange));
        assert_eq!(approve_as(&mut conn, "ann"), Ok(()));

        save_url(&conn, "https://evil.example/b", "ed");
        assert!(
            !guarded(&conn).expect("guarded")[0].ready(),
            "edited after approval"
        );
        assert_eq!(publish(&mut conn, "ed", None).expect("publish").waiting, 1);
        assert_eq!(url(&conn), "https://www.ilo.org/a");

        assert_eq!(approve_as(&mut conn, "ann"), Ok(()));
        let published = publish(&mut conn, "ed", None).expect("publish");
        assert_eq!(published.waiting, 0);
        assert!(published.version.is_some());
        assert_eq!(url(&conn), "https://evil.example/b");
        let approvals: i64 = conn
            .query_row("SELECT count(*) FROM pending_approval", [], |r| r.get(0))
            .expect("count");
        assert_eq!(approvals, 0, "published approvals are forgotten");
    }

    #[test]
    fn the_author_of_the_change_is_not_its_second_person_even_if_another_approved_first() {
        let mut conn = database();
        save_url(&conn, "https://evil.example/a", "ed");
        assert_eq!(approve_as(&mut conn, "ann"), Ok(()));
        // Ann then edits it herself: her own approval no longer counts.
        save_url(&conn, "https://evil.example/a2", "ann");
        assert!(!guarded(&conn).expect("guarded")[0].ready());
        assert_eq!(approve_as(&mut conn, "ann"), Err(Refused::OwnChange));
    }

    #[test]
    fn what_is_guarded_numbers_addresses_privacy_and_quick_exit() {
        let conn = database();
        conn.execute_batch(
            "INSERT INTO pending_text VALUES
                 ('ui', 'privacy-kept', 'vi', 'x', 'draft', 'h', 'now', 'ed'),
                 ('ui', 'quick-exit', 'th', 'x', 'draft', 'h', 'now', 'ed'),
                 ('ui', 'nav-guides', 'th', 'x', 'draft', 'h', 'now', 'ed');",
        )
        .expect("texts");
        let keys: Vec<String> = guarded(&conn)
            .expect("guarded")
            .iter()
            .map(|g| g.target.key())
            .collect();
        assert_eq!(keys, ["text:ui:vi:privacy-kept", "text:ui:th:quick-exit"]);
        assert_eq!(digits("Call 1300 or +66 2 123"), "1300662123");
    }
}
