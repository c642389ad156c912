//! Upgrades from every past schema version, tested on real old data.
//!
//! `tests/fixtures/upgrade/rows/NNNN.sql` holds the rows a database gained while it was at
//! version NNNN: requests in the plain form of the first releases, staff, notes, an editor's
//! texts, a hub. `tests/fixtures/upgrade/vNN.sql` is the database each past release left,
//! dumped as SQL: written once by today's code (`write_missing_fixtures`, run by hand with
//! `--ignored` after a release adds a migration) and never rewritten, so that a later change
//! to a shipped migration is caught against data as it really was.

use super::{LATEST_VERSION, MIGRATIONS, apply, migrate};
use rusqlite::{Connection, types::ValueRef};
use std::fmt::Write;
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade")
}

/// The dump of the database release `version` left.
pub fn fixture(version: i64) -> PathBuf {
    fixtures().join(format!("v{version:02}.sql"))
}

/// A database built as the releases did: each migration, then the rows gained at its version.
fn build(version: i64) -> Connection {
    let mut conn = Connection::open_in_memory().expect("opens");
    for (offset, migration) in MIGRATIONS[..version as usize].iter().enumerate() {
        let at = offset as i64 + 1;
        apply(&mut conn, migration, at).expect("migrates");
        let rows = fixtures().join(format!("rows/{at:04}.sql"));
        if let Ok(sql) = std::fs::read_to_string(&rows) {
            conn.execute_batch(&sql)
                .unwrap_or_else(|e| panic!("{}: {e}", rows.display()));
        }
    }
    conn
}

/// Every table, index and row of `conn` as SQL that builds it again.
fn dump(conn: &Connection, version: i64) -> String {
    let mut sql = format!(
        "-- The database schema version {version} left, with its rows; made by `passport`'s\n\
         -- own migrations and tests/fixtures/upgrade/rows. Never edit: it is the old data.\n\
         PRAGMA foreign_keys = OFF;\nBEGIN;\n"
    );
    let mut objects = conn
        .prepare(
            "SELECT type, name, sql FROM sqlite_master
             WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
             ORDER BY type = 'table' DESC, rowid",
        )
        .expect("schema");
    let objects: Vec<(String, String, String)> = objects
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("schema")
        .collect::<Result<_, _>>()
        .expect("schema");
    for (_, _, create) in &objects {
        let _ = writeln!(sql, "{create};");
    }
    let tables = objects.iter().filter(|(kind, ..)| kind == "table");
    let sequence = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .expect("schema");
    let sequence = (sequence > 0).then(|| "sqlite_sequence".to_owned());
    for table in tables.map(|(_, name, _)| name.clone()).chain(sequence) {
        let mut rows = conn
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
            .expect("rows");
        let columns = rows.column_count();
        let mut rows = rows.query([]).expect("rows");
        while let Some(row) = rows.next().expect("row") {
            let values: Vec<String> = (0..columns)
                .map(|n| literal(row.get_ref(n).expect("value")))
                .collect();
            let _ = writeln!(
                sql,
                "INSERT INTO \"{table}\" VALUES ({});",
                values.join(", ")
            );
        }
    }
    let _ = write!(sql, "PRAGMA user_version = {version};\nCOMMIT;\n");
    sql
}

fn literal(value: ValueRef) -> String {
    match value {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(n) => n.to_string(),
        ValueRef::Real(x) => format!("{x:?}"),
        ValueRef::Text(t) => format!("'{}'", String::from_utf8_lossy(t).replace('\'', "''")),
        ValueRef::Blob(b) => {
            let hex: String = b.iter().map(|byte| format!("{byte:02X}")).collect();
            format!("X'{hex}'")
        }
    }
}

/// The fixture of `version`, loaded.
pub fn load(version: i64) -> Connection {
    let path = fixture(version);
    let sql = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; write it with `cargo test --features ssr --lib write_missing_fixtures -- --ignored`", path.display()));
    let conn = Connection::open_in_memory().expect("opens");
    conn.execute_batch(&sql).expect("the fixture loads");
    conn
}

fn schema(conn: &Connection) -> Vec<String> {
    let mut statement = conn
        .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .expect("schema");
    statement
        .query_map([], |r| r.get(0))
        .expect("schema")
        .collect::<Result<_, _>>()
        .expect("schema")
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap_or(-1)
}

/// The tables whose rows an upgrade must keep, each with the version that made it.
const KEPT: &[(&str, i64)] = &[
    ("help_request", 3),
    ("staff", 4),
    ("staff_session", 4),
    ("help_note", 4),
    ("audit_log", 4),
    ("purge_log", 4),
    ("ui_text", 5),
    ("pending_text", 5),
    ("text_history", 5),
    ("content_version", 5),
    ("hub", 11),
    ("glossary_translation", 14),
];

#[test]
#[ignore = "writes the fixture of a new past version; run by hand after adding a migration"]
fn write_missing_fixtures() {
    for version in 1..LATEST_VERSION {
        let path = fixture(version);
        if !path.exists() {
            std::fs::write(&path, dump(&build(version), version)).expect("written");
        }
    }
}

#[test]
fn every_past_version_has_a_fixture_with_the_schema_its_migrations_make() {
    // A shipped migration edited since would make a schema its release never had.
    for version in 1..LATEST_VERSION {
        let old = load(version);
        let user_version: i64 = old
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(user_version, version);
        assert_eq!(
            schema(&old),
            schema(&build(version)),
            "v{version:02}.sql and the migrations up to {version} disagree"
        );
    }
}

#[test]
fn every_past_version_upgrades_keeping_every_row() {
    for version in 1..LATEST_VERSION {
        let mut conn = load(version);
        conn.pragma_update(None, "foreign_keys", true).expect("on");
        let before: Vec<i64> = KEPT.iter().map(|(t, _)| count(&conn, t)).collect();
        let ran = migrate(&mut conn).unwrap_or_else(|e| panic!("from v{version}: {e}"));
        assert_eq!(ran as i64, LATEST_VERSION - version);
        for ((table, since), was) in KEPT.iter().zip(before) {
            let now = count(&conn, table);
            if version >= *since {
                assert_eq!(now, was, "v{version}: {table}");
                assert!(now > 0, "v{version}: the fixture has no {table} rows");
            }
        }
        let untold: i64 = conn
            .query_row(
                "SELECT count(*) FROM help_request WHERE alerted = 0 OR urgent = 1",
                [],
                |r| r.get(0),
            )
            .expect("read");
        assert_eq!(
            untold, 0,
            "v{version}: old requests are neither urgent nor alerted"
        );
        let broken: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .expect("checked");
        assert_eq!(broken, 0, "v{version}: broken references");
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("checked");
        assert_eq!(integrity, "ok");
    }
}

#[test]
fn requests_stored_plain_by_the_first_releases_open_after_any_upgrade() {
    for version in 3..LATEST_VERSION {
        let mut conn = load(version);
        migrate(&mut conn).expect("migrates");
        let seed = crate::seal::keys::bootstrap(&conn)
            .expect("read")
            .expect("no account took the key");
        let key = crate::seal::OpenKey::derive(&seed[..]).0;
        let (id_hash, sealed): (String, Vec<u8>) = conn
            .query_row(
                "SELECT id_hash, sealed FROM help_request WHERE reference = 'K7-4XN'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("the request");
        let personal =
            crate::help::store::open_personal(&key, &id_hash, &sealed).expect("it opens");
        assert_eq!(personal.contact, "0912 345 678", "from v{version}");
        assert_eq!(personal.message, "The agent keeps my passport.");
        assert_eq!(personal.ticked, ["passport-taken", "debt"]);
        let plain: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_table_info('help_request') WHERE name = 'contact'",
                [],
                |r| r.get(0),
            )
            .expect("columns");
        assert_eq!(plain, 0, "no plain column is left");
    }
}
