//! Recordings as content: an editor saves a checked clip for a text in a locale, it waits
//! unpublished like a saved text, and publishing makes it the text's recording. A clip is
//! stored once by its SHA-256.

use super::container::{self, Clip, Container, Refusal};
use crate::editor::texts::NOW;
use crate::i18n::Locale;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// A stored clip's name: the hex SHA-256 of its bytes.
pub fn hash(bytes: &[u8]) -> String {
    crate::web::hex(&Sha256::digest(bytes))
}

/// Checks `bytes` and saves them as the unpublished recording of `message_id` in `locale`.
/// Returns the clip, or why it was refused; nothing is stored when it is refused.
pub fn save(
    conn: &Connection,
    message_id: &str,
    locale: Locale,
    bytes: &[u8],
    by: &str,
) -> rusqlite::Result<Result<Clip, Refusal>> {
    let clip = match container::check(bytes) {
        Ok(clip) => clip,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let sha = hash(bytes);
    keep(conn, &sha, clip, bytes)?;
    pend(conn, message_id, locale, Some(&sha), by)?;
    Ok(Ok(clip))
}

/// Saves the removal of `message_id`'s recording in `locale`, unpublished like a new one.
pub fn remove(
    conn: &Connection,
    message_id: &str,
    locale: Locale,
    by: &str,
) -> rusqlite::Result<()> {
    pend(conn, message_id, locale, None, by)
}

fn pend(
    conn: &Connection,
    message_id: &str,
    locale: Locale,
    sha: Option<&str>,
    by: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO pending_recording (message_id, locale, sha256, edited_at, edited_by)
             VALUES (?1, ?2, ?3, {NOW}, ?4)
             ON CONFLICT (message_id, locale) DO UPDATE SET sha256 = excluded.sha256,
                 edited_at = excluded.edited_at, edited_by = excluded.edited_by"
        ),
        params![message_id, locale.code(), sha, by],
    )?;
    let action = if sha.is_some() { "saved" } else { "removed" };
    conn.execute(
        &format!(
            "INSERT INTO recording_history
                 (message_id, locale, sha256, action, changed_by, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, {NOW})"
        ),
        params![message_id, locale.code(), sha, action, by],
    )?;
    Ok(())
}

/// One line of a recording's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub sha256: Option<String>,
    pub action: String,
    pub by: String,
    pub at: String,
}

/// The history of `message_id`'s recording in `locale`, newest first.
pub fn history(
    conn: &Connection,
    message_id: &str,
    locale: Locale,
) -> rusqlite::Result<Vec<HistoryEntry>> {
    let mut statement = conn.prepare(
        "SELECT sha256, action, changed_by, changed_at FROM recording_history
         WHERE message_id = ?1 AND locale = ?2 ORDER BY id DESC LIMIT 50",
    )?;
    let rows = statement.query_map(params![message_id, locale.code()], |r| {
        Ok(HistoryEntry {
            sha256: r.get(0)?,
            action: r.get(1)?,
            by: r.get(2)?,
            at: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Makes every saved recording the published one, and removes those saved as removed; part
/// of publishing a content version (`crate::editor::publish`).
pub fn publish(tx: &Connection, by: &str) -> rusqlite::Result<()> {
    tx.execute(
        &format!(
            "INSERT INTO recording_history
                 (message_id, locale, sha256, action, changed_by, changed_at)
             SELECT message_id, locale, sha256, 'published', ?1, {NOW} FROM pending_recording
             ORDER BY message_id, locale"
        ),
        [by],
    )?;
    tx.execute(
        "INSERT INTO recording (message_id, locale, sha256, edited_at, edited_by)
         SELECT message_id, locale, sha256, edited_at, edited_by FROM pending_recording
         WHERE sha256 IS NOT NULL
         ON CONFLICT (message_id, locale) DO UPDATE SET sha256 = excluded.sha256,
             edited_at = excluded.edited_at, edited_by = excluded.edited_by",
        [],
    )?;
    tx.execute(
        "DELETE FROM recording WHERE (message_id, locale) IN
             (SELECT message_id, locale FROM pending_recording WHERE sha256 IS NULL)",
        [],
    )?;
    tx.execute("DELETE FROM pending_recording", [])?;
    Ok(())
}

/// Takes off the recordings of the content texts whose words are about to change: a voice
/// must never say what its text no longer says (an old number, an old rule). Each is kept in
/// the text's history as removed by `by`, for the editors to record again. A recording
/// published with the new words in the same publish stays. Returns the texts, as the
/// content log names them (`audio:{locale}:{id}`).
pub fn outdate_changed(tx: &Connection, by: &str) -> rusqlite::Result<Vec<String>> {
    let texts: Vec<(String, String)> = tx
        .prepare(
            "SELECT r.message_id, r.locale FROM recording r
             JOIN pending_text p ON p.kind = 'content' AND p.message_id = r.message_id
                 AND p.locale = r.locale
             LEFT JOIN content_text c ON c.message_id = r.message_id AND c.locale = r.locale
             WHERE c.value IS NOT p.value AND NOT EXISTS (SELECT 1 FROM pending_recording q
                 WHERE q.message_id = r.message_id AND q.locale = r.locale)
             ORDER BY r.locale, r.message_id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (message_id, locale) in &texts {
        take_off(tx, message_id, locale, by)?;
    }
    Ok(texts
        .into_iter()
        .map(|(message_id, locale)| format!("audio:{locale}:{message_id}"))
        .collect())
}

/// Takes off the recording of one text whose words a release changed, as
/// [`outdate_changed`] does for an editor's.
pub fn outdate(tx: &Connection, message_id: &str, locale: &str) -> rusqlite::Result<()> {
    take_off(tx, message_id, locale, "release")
}

/// Removes the published recording of a text, kept in its history as removed by `by`.
fn take_off(tx: &Connection, message_id: &str, locale: &str, by: &str) -> rusqlite::Result<()> {
    tx.prepare_cached(&format!(
        "INSERT INTO recording_history
             (message_id, locale, sha256, action, changed_by, changed_at)
         SELECT message_id, locale, sha256, 'removed', ?3, {NOW} FROM recording
         WHERE message_id = ?1 AND locale = ?2"
    ))?
    .execute(params![message_id, locale, by])?;
    tx.prepare_cached("DELETE FROM recording WHERE message_id = ?1 AND locale = ?2")?
        .execute(params![message_id, locale])?;
    Ok(())
}

/// The published recording of `message_id` in `locale`: its hash and bytes. What central
/// puts in a hub's bundle.
pub fn published_recording(
    conn: &Connection,
    message_id: &str,
    locale: &str,
) -> rusqlite::Result<Option<(String, Vec<u8>)>> {
    conn.query_row(
        "SELECT r.sha256, a.bytes FROM recording r JOIN audio_clip a ON a.sha256 = r.sha256
         WHERE r.message_id = ?1 AND r.locale = ?2",
        [message_id, locale],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Makes `bytes` the published recording of `message_id` in `locale`, or removes it
/// (`None`), as central's bundle says; on a hub. A clip whose bytes do not match its hash,
/// or that fails the checks an upload meets, is left out. Returns whether anything changed.
pub fn take(
    tx: &Connection,
    message_id: &str,
    locale: Locale,
    clip: Option<(&str, &[u8])>,
    at: &str,
) -> rusqlite::Result<bool> {
    let Some((sha, bytes)) = clip else {
        let removed = tx.execute(
            "DELETE FROM recording WHERE message_id = ?1 AND locale = ?2",
            params![message_id, locale.code()],
        )?;
        return Ok(removed > 0);
    };
    let Ok(checked) = container::check(bytes).map(|c| (c, hash(bytes))) else {
        return Ok(false);
    };
    if checked.1 != sha {
        return Ok(false);
    }
    keep(tx, sha, checked.0, bytes)?;
    let written = tx.execute(
        "INSERT INTO recording (message_id, locale, sha256, edited_at, edited_by)
         VALUES (?1, ?2, ?3, ?4, 'central')
         ON CONFLICT (message_id, locale) DO UPDATE SET sha256 = excluded.sha256,
             edited_at = excluded.edited_at, edited_by = excluded.edited_by
         WHERE recording.sha256 IS NOT excluded.sha256",
        params![message_id, locale.code(), sha, at],
    )?;
    Ok(written > 0)
}

/// Stores a checked clip's bytes under its hash, once.
fn keep(conn: &Connection, sha: &str, clip: Clip, bytes: &[u8]) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audio_clip (sha256, container, millis, bytes) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (sha256) DO NOTHING",
        params![
            sha,
            clip.container.code(),
            i64::try_from(clip.millis).unwrap_or(i64::MAX),
            bytes
        ],
    )?;
    Ok(())
}

/// Every published clip of `locale`, each once, with its size: what a phone keeps for
/// "keep audio too".
pub fn kept(conn: &Connection, locale: Locale) -> rusqlite::Result<Vec<(String, usize)>> {
    let mut statement = conn.prepare(
        "SELECT DISTINCT r.sha256, length(a.bytes) FROM recording r
         JOIN audio_clip a ON a.sha256 = r.sha256 WHERE r.locale = ?1 ORDER BY r.sha256",
    )?;
    let rows = statement.query_map([locale.code()], |r| {
        Ok((r.get(0)?, usize::try_from(r.get::<_, i64>(1)?).unwrap_or(0)))
    })?;
    rows.collect()
}

/// The clip an editor sees for a text: the saved one, else the published one.
pub fn current(
    conn: &Connection,
    message_id: &str,
    locale: Locale,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT sha256 FROM pending_recording WHERE message_id = ?1 AND locale = ?2
         UNION ALL
         SELECT sha256 FROM recording WHERE message_id = ?1 AND locale = ?2
         LIMIT 1",
        params![message_id, locale.code()],
        |r| r.get(0),
    )
    .optional()
    .map(Option::flatten)
}

/// A stored clip's bytes and content type, by its hash.
pub fn stored(
    conn: &Connection,
    sha256: &str,
) -> rusqlite::Result<Option<(Vec<u8>, &'static str)>> {
    clip_where(conn, sha256, "")
}

/// A clip's bytes and content type, if some text's published recording is that clip.
pub fn published(
    conn: &Connection,
    sha256: &str,
) -> rusqlite::Result<Option<(Vec<u8>, &'static str)>> {
    clip_where(
        conn,
        sha256,
        "AND EXISTS (SELECT 1 FROM recording r WHERE r.sha256 = a.sha256)",
    )
}

fn clip_where(
    conn: &Connection,
    sha256: &str,
    and: &str,
) -> rusqlite::Result<Option<(Vec<u8>, &'static str)>> {
    conn.query_row(
        &format!("SELECT bytes, container FROM audio_clip a WHERE sha256 = ?1 {and}"),
        [sha256],
        |r| {
            let container: String = r.get(1)?;
            let kind = Container::from_code(&container).unwrap_or(Container::Webm);
            Ok((r.get(0)?, kind.mime()))
        },
    )
    .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("opens");
        crate::db::migrate(&mut conn).expect("migrated");
        conn
    }

    fn clip_bytes() -> Vec<u8> {
        crate::audio::made::clip("vi", "Gọi 111")
    }

    #[test]
    fn a_checked_clip_is_saved_once_by_its_hash_and_a_refused_one_not_at_all() {
        let conn = database();
        let bytes = clip_bytes();
        let id = "contact.vn-111.what";
        let clip = save(&conn, id, Locale::Vi, &bytes, "ed")
            .expect("db")
            .expect("accepted");
        assert!(clip.millis > 300, "{clip:?}");
        save(&conn, "contact.vn-111.name", Locale::Vi, &bytes, "ed")
            .expect("db")
            .expect("accepted");
        let kept: i64 = conn
            .query_row("SELECT count(*) FROM audio_clip", [], |r| r.get(0))
            .expect("count");
        assert_eq!(kept, 1, "the same bytes are kept once");
        let sha = current(&conn, id, Locale::Vi).expect("db").expect("saved");
        assert_eq!(sha, hash(&bytes));
        let (back, mime) = stored(&conn, &sha).expect("db").expect("stored");
        assert_eq!((back, mime), (bytes, "audio/ogg; codecs=opus"));

        let refused = save(&conn, id, Locale::Ksw, b"<html>", "ed").expect("db");
        assert_eq!(refused, Err(Refusal::NotOpus));
        assert_eq!(current(&conn, id, Locale::Ksw).expect("db"), None);
    }

    #[test]
    fn publishing_makes_the_saved_clip_the_texts_recording_in_a_new_content_version() {
        let mut conn = database();
        let bytes = clip_bytes();
        let id = "contact.vn-111.what";
        save(&conn, id, Locale::Vi, &bytes, "ed")
            .expect("db")
            .expect("accepted");
        // Heard, not read: every recording waits for a second person.
        let held = crate::editor::publish::publish(&mut conn, "ed", None).expect("publish");
        assert_eq!((held.version, held.waiting), (None, 1));
        crate::audio::made::approve_recordings(&mut conn, "lan");
        let published = crate::editor::publish::publish(&mut conn, "ed", None).expect("published");
        assert!(published.version.is_some());
        let (sha, pending): (String, i64) = conn
            .query_row(
                "SELECT (SELECT sha256 FROM recording WHERE message_id = ?1 AND locale = 'vi'),
                        (SELECT count(*) FROM pending_recording)",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("db");
        assert_eq!((sha, pending), (hash(&bytes), 0));
        let logged: i64 = conn
            .query_row(
                "SELECT count(*) FROM content_change WHERE item = ?1",
                [format!("audio:vi:{id}")],
                |r| r.get(0),
            )
            .expect("db");
        assert_eq!(
            logged, 1,
            "the change is in the log hubs' bundles are made from"
        );

        // The words change: the voice that says the old ones goes, and hubs are told; a
        // change of another language, or of the status alone, keeps it.
        for locale in ["vi", "th"] {
            conn.execute(
                "INSERT INTO content_text (message_id, locale, value, status)
                 VALUES (?1, ?2, 'Gọi 111', 'reviewed')",
                params![id, locale],
            )
            .expect("the text");
        }
        let edit = |conn: &Connection, locale: &str, more: &str| {
            conn.execute(
                "INSERT INTO pending_text (kind, message_id, locale, value, status, source_hash,
                     edited_at, edited_by)
                 VALUES ('content', ?1, ?2, 'Gọi 111' || ?3, 'reviewed', '',
                     '2026-12-07T00:00:00Z', 'ed')",
                params![id, locale, more],
            )
            .expect("saved");
        };
        edit(&conn, "th", " ด่วน");
        edit(&conn, "vi", "");
        crate::editor::publish::publish(&mut conn, "ed", None).expect("published");
        let kept: i64 = conn
            .query_row("SELECT count(*) FROM recording", [], |r| r.get(0))
            .expect("db");
        assert_eq!(kept, 1, "the Vietnamese words did not change");
        edit(&conn, "vi", " Gọi ngay.");
        let published = crate::editor::publish::publish(&mut conn, "ed", None).expect("published");
        let (left, removed, logged): (i64, String, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM recording),
                    (SELECT action || ' by ' || changed_by FROM recording_history
                     ORDER BY id DESC LIMIT 1),
                    (SELECT count(*) FROM content_change WHERE version = ?1 AND item = ?2)",
                params![published.version, format!("audio:vi:{id}")],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .expect("db");
        assert_eq!((left, removed.as_str(), logged), (0, "removed by ed", 1));
    }
}
