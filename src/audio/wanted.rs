//! Which texts can be heard in a language, which cannot yet, and in what order to record
//! them: the checklists first (title, introduction, each sign, the advice), then what each
//! hotline is for, then the safety guides, then the legal pathways.

use crate::i18n::Locale;
use rusqlite::{Connection, params};

/// A text that can carry a recording, as the workspace lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub id: String,
    /// The text in the language, or in English while it has no translation.
    pub text: String,
    /// The published recording's hash.
    pub published: Option<String>,
    /// A saved change not yet published: `Some(None)` removes the recording.
    pub pending: Option<Option<String>>,
}

impl Wanted {
    /// Whether phones will have a recording of it once saved changes are published.
    pub fn recorded(&self) -> bool {
        match &self.pending {
            Some(pending) => pending.is_some(),
            None => self.published.is_some(),
        }
    }
}

/// Every text that can carry a recording, most important first, with its recording in
/// `locale`.
pub fn list(conn: &Connection, locale: Locale) -> rusqlite::Result<Vec<Wanted>> {
    let mut statement = conn.prepare(
        "WITH wanted (id, rank) AS (
             SELECT 'checklist.' || slug || '.title', printf('1-%04d-0', position) FROM checklist
             UNION ALL
             SELECT 'checklist.' || slug || '.intro', printf('1-%04d-1', position) FROM checklist
             UNION ALL
             SELECT 'checklist.' || i.checklist_slug || '.item.' || i.id || '.text',
                    printf('1-%04d-2-%04d', c.position, i.position)
             FROM checklist_item i JOIN checklist c ON c.slug = i.checklist_slug
             UNION ALL
             SELECT t.message_id, printf('1-%04d-3-', c.position) || t.message_id
             FROM content_text t JOIN checklist c
                 ON t.message_id LIKE 'checklist.' || c.slug || '.advice.%'
             WHERE t.locale = 'en'
             UNION ALL
             SELECT 'contact.' || k.id || '.what', printf('2-%04d-%04d', co.position, k.position)
             FROM contact k JOIN country co ON co.code = k.country_code
             UNION ALL
             SELECT 'guide.' || slug || '.' || part,
                    printf('%d-%04d-%d', 3 + (kind <> 'safety'), position, part = 'summary')
             FROM guide, (SELECT 'title' AS part UNION ALL SELECT 'summary')
             UNION ALL
             SELECT 'guide.' || p.guide_slug || '.point.' || p.id,
                    printf('%d-%04d-2-%04d', 3 + (g.kind <> 'safety'), g.position, p.position)
             FROM guide_point p JOIN guide g ON g.slug = p.guide_slug
         )
         SELECT w.id, coalesce(here.value, en.value), r.sha256, p.message_id IS NOT NULL, p.sha256
         FROM wanted w
         JOIN content_text en ON en.message_id = w.id AND en.locale = 'en'
         LEFT JOIN content_text here ON here.message_id = w.id AND here.locale = ?1
         LEFT JOIN recording r ON r.message_id = w.id AND r.locale = ?1
         LEFT JOIN pending_recording p ON p.message_id = w.id AND p.locale = ?1
         ORDER BY w.rank",
    )?;
    let rows = statement.query_map(params![locale.code()], |r| {
        let pending: bool = r.get(3)?;
        Ok(Wanted {
            id: r.get(0)?,
            text: r.get(1)?,
            published: r.get(2)?,
            pending: pending.then(|| r.get(4)).transpose()?,
        })
    })?;
    rows.collect()
}

/// Whether `id` is a text that can carry a recording.
pub fn can_record(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    Ok(list(conn, Locale::SOURCE)?.iter().any(|w| w.id == id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded() -> Connection {
        let mut conn = Connection::open_in_memory().expect("opens");
        crate::db::migrate(&mut conn).expect("migrated");
        crate::content::seed::Seed::shipped()
            .expect("seed")
            .apply(&mut conn)
            .expect("seeded");
        conn
    }

    #[test]
    fn every_kind_of_text_is_listed_once_checklists_first_and_pathways_last() {
        let conn = seeded();
        let listed = list(&conn, Locale::Ksw).expect("listed");
        let ids: Vec<&str> = listed.iter().map(|w| w.id.as_str()).collect();
        let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "each text once");
        let first = |prefix: &str| ids.iter().position(|id| id.starts_with(prefix));
        assert!(ids[0].starts_with("checklist.") && ids[0].ends_with(".title"));
        for part in [".item.", ".advice.", ".intro"] {
            assert!(
                ids.iter()
                    .any(|id| id.starts_with("checklist.") && id.contains(part))
            );
        }
        let contacts = first("contact.").expect("contacts listed");
        assert!(
            ids[..contacts]
                .iter()
                .all(|id| id.starts_with("checklist."))
        );
        assert!(
            ids.iter()
                .filter(|id| id.starts_with("contact."))
                .all(|id| id.ends_with(".what"))
        );
        let held = ids
            .iter()
            .position(|id| id.starts_with(&format!("guide.{}.", crate::content::linked::HELD)))
            .expect("held guide listed");
        let pathway: Vec<String> = conn
            .prepare("SELECT slug FROM guide WHERE kind = 'pathway'")
            .expect("query")
            .query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("slugs");
        let first_pathway = ids
            .iter()
            .position(|id| {
                pathway
                    .iter()
                    .any(|s| id.starts_with(&format!("guide.{s}.")))
            })
            .expect("pathways listed");
        assert!(contacts < held && held < first_pathway);
        assert!(listed.iter().all(|w| !w.recorded()), "nothing recorded yet");
        assert!(can_record(&conn, ids[5]).expect("db"));
        assert!(!can_record(&conn, "home-intro").expect("db"));
    }
}
