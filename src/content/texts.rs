//! The published texts as the public site reads them: the UI edits laid over the shipped
//! messages, the content version the page cache is keyed by, and the hash that ties a
//! translation to the English it was made from. Editors change these by publishing.

use crate::i18n::Locale;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// The hash of an English text stored next to each translation made from it.
pub fn source_hash(english: &str) -> String {
    crate::web::hex(&Sha256::digest(english.as_bytes())[..8])
}

/// Whether this database takes its content from central's signed bundles, as a hub's does
/// (`crate::hub`): then nothing is edited or published here.
pub fn from_central(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM hub_self)", [], |r| r.get(0))
}

/// The published content version.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT max(version) FROM content_version", [], |r| r.get(0))
}

/// The published UI edits, `(locale, id, body)`, for [`crate::i18n::Catalog::with_edits`]; with the saved
/// ones on top when `with_pending` (the preview).
pub fn ui_edits(
    conn: &Connection,
    with_pending: bool,
) -> rusqlite::Result<Vec<(Locale, String, String)>> {
    let sql = if with_pending {
        "SELECT locale, message_id, value FROM ui_text
         WHERE (message_id, locale) NOT IN
             (SELECT message_id, locale FROM pending_text WHERE kind = 'ui')
         UNION ALL
         SELECT locale, message_id, value FROM pending_text WHERE kind = 'ui'"
    } else {
        "SELECT locale, message_id, value FROM ui_text"
    };
    let mut statement = conn.prepare(sql)?;
    let rows = statement.query_map([], |r| {
        let code: String = r.get(0)?;
        Ok((
            Locale::from_code(&code).unwrap_or(Locale::SOURCE),
            r.get(1)?,
            r.get(2)?,
        ))
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_hash_changes_with_the_english_text() {
        assert_eq!(source_hash("Call 1300"), source_hash("Call 1300"));
        assert_ne!(source_hash("Call 1300"), source_hash("Call 1300."));
        assert_eq!(source_hash("").len(), 16);
    }
}
