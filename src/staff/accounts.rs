//! Staff accounts: roles, argon2id password hashes, and what `passport staff` does to them.
//! There is no default account and no default password: the first admin is made from the
//! command line.

use super::audit;
use crate::seal::SEED;
use crate::seal::keys::{self, KeyError, Personal};
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};
use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

/// What a staff member may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Reads and handles help requests.
    Caseworker,
    /// Keeps the content and its translations right; sees no help requests.
    Editor,
    /// Everything, including the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Caseworker, Role::Editor, Role::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Role::Caseworker => "caseworker",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether this role may see help requests, which hold personal data.
    pub fn handles_requests(self) -> bool {
        matches!(self, Role::Caseworker | Role::Admin)
    }

    /// Editors and admins keep the content and its translations.
    pub fn edits_content(self) -> bool {
        matches!(self, Role::Editor | Role::Admin)
    }
}

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_BYTES: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(
        "a username is 2 to 40 characters: lowercase letters a-z, digits, '.', '_' or '-', starting with a letter"
    )]
    BadUsername,
    #[error(
        "a password needs at least {PASSWORD_MIN_CHARS} characters, and at most {PASSWORD_MAX_BYTES} bytes"
    )]
    WeakPassword,
    #[error("the role must be one of: caseworker, editor, admin")]
    BadRole,
    #[error("an account named `{0}` exists already")]
    Exists(String),
    #[error("there is no account named `{0}`")]
    NoSuchAccount(String),
    #[error("the two passwords typed differ")]
    Mismatch,
    #[error("no password given")]
    NoPassword,
    #[error("reading the password: {0}")]
    Input(#[from] std::io::Error),
    #[error("hashing the password: {0}")]
    Hash(String),
    #[error("the database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the account's key: {0}")]
    Key(#[from] KeyError),
}

/// An account as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub disabled: bool,
}

pub fn check_username(username: &str) -> Result<(), AccountError> {
    let ok = (2..=40).contains(&username.len())
        && username.starts_with(|c: char| c.is_ascii_lowercase())
        && username
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    ok.then_some(()).ok_or(AccountError::BadUsername)
}

pub fn check_password(password: &str) -> Result<(), AccountError> {
    let ok = password.chars().count() >= PASSWORD_MIN_CHARS && password.len() <= PASSWORD_MAX_BYTES;
    ok.then_some(()).ok_or(AccountError::WeakPassword)
}

/// An argon2id hash (19 MiB, 2 passes, OWASP's recommended minimum) with a fresh salt.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AccountError::Hash(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AccountError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// Whether `password` matches `hash`; a malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

pub fn add(
    conn: &mut Connection,
    username: &str,
    role: Role,
    password: &str,
) -> Result<i64, AccountError> {
    create(conn, username, role, password).map(|created| created.id)
}

/// What adding an account did.
pub struct Created {
    pub id: i64,
    /// The account holds the organisation's key.
    pub access: bool,
    /// The recovery key's seed, when this account was the first that may read requests and
    /// so took the organisation's key from its bootstrap. It is shown once, then gone.
    pub recovery: Option<Zeroizing<[u8; SEED]>>,
}

/// Adds an account with its own key pair. The first account that may read requests takes
/// the bootstrap seed (see [`crate::seal::keys`]), which is then wiped from the file.
pub fn create(
    conn: &mut Connection,
    username: &str,
    role: Role,
    password: &str,
) -> Result<Created, AccountError> {
    check_username(username)?;
    check_password(password)?;
    let hash = hash_password(password)?;
    let personal = Personal::new(password)?;
    let tx = conn.transaction()?;
    let inserted = tx.execute(
        "INSERT INTO staff (username, role, password_hash, created_at)
         VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         ON CONFLICT (username) DO NOTHING",
        params![username, role.code(), hash],
    )?;
    if inserted == 0 {
        return Err(AccountError::Exists(username.to_owned()));
    }
    let id = tx.last_insert_rowid();
    audit::record(&tx, None, "account-added", username, role.code())?;
    let bootstrap = if role.handles_requests() {
        keys::bootstrap(&tx)?
    } else {
        None
    };
    let grant = bootstrap
        .as_ref()
        .map(|seed| keys::grant_from_seed(seed, &personal.seal, id))
        .transpose()?;
    keys::store(&tx, id, &personal, grant.map(|g| (g, None)))?;
    if bootstrap.is_some() {
        keys::forget_bootstrap(&tx)?;
        audit::record(&tx, None, "access-granted", username, "bootstrap")?;
    }
    tx.commit()?;
    if bootstrap.is_some() {
        keys::scrub(conn)?;
    }
    Ok(Created {
        id,
        access: bootstrap.is_some(),
        recovery: bootstrap,
    })
}

/// Sets a new password, unlocks the account, and signs it out everywhere. Without the old
/// password its grant cannot be opened, so the account gets a new key pair and loses access
/// to requests (while the bootstrap seed exists, it is given access again from it); an
/// admin grants it again. Returns whether the account holds the organisation's key, or
/// `None` for a role that reads no requests.
pub fn set_password(
    conn: &mut Connection,
    username: &str,
    password: &str,
) -> Result<Option<bool>, AccountError> {
    check_password(password)?;
    let hash = hash_password(password)?;
    let personal = Personal::new(password)?;
    let tx = conn.transaction()?;
    let id = id_of(&tx, username)?;
    tx.execute(
        "UPDATE staff SET password_hash = ?2 WHERE id = ?1",
        params![id, hash],
    )?;
    let reader: bool = tx.query_row(
        "SELECT role IN ('caseworker', 'admin') FROM staff WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    let bootstrap = if reader { keys::bootstrap(&tx)? } else { None };
    let grant = bootstrap
        .as_ref()
        .map(|seed| keys::grant_from_seed(seed, &personal.seal, id))
        .transpose()?;
    let access = grant.is_some();
    keys::store(&tx, id, &personal, grant.map(|g| (g, None)))?;
    tx.execute("DELETE FROM staff_session WHERE staff_id = ?1", [id])?;
    audit::record(&tx, None, "password-set", username, "")?;
    tx.commit()?;
    Ok(reader.then_some(access))
}

/// Disables (signing it out everywhere) or enables an account.
pub fn set_disabled(
    conn: &mut Connection,
    username: &str,
    disabled: bool,
) -> Result<(), AccountError> {
    let tx = conn.transaction()?;
    let id = id_of(&tx, username)?;
    tx.execute(
        "UPDATE staff SET disabled = ?2 WHERE id = ?1",
        params![id, disabled],
    )?;
    if disabled {
        tx.execute("DELETE FROM staff_session WHERE staff_id = ?1", [id])?;
        // A disabled account keeps no way into the requests, even if enabled again.
        keys::revoke(&tx, id)?;
    }
    let action = if disabled {
        "account-disabled"
    } else {
        "account-enabled"
    };
    audit::record(&tx, None, action, username, "")?;
    tx.commit()?;
    Ok(())
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Account>> {
    let mut statement =
        conn.prepare("SELECT id, username, role, disabled FROM staff ORDER BY username")?;
    statement
        .query_map([], |r| {
            Ok(Account {
                id: r.get(0)?,
                username: r.get(1)?,
                role: Role::from_code(&r.get::<_, String>(2)?).unwrap_or(Role::Caseworker),
                disabled: r.get(3)?,
            })
        })?
        .collect()
}

fn id_of(conn: &Connection, username: &str) -> Result<i64, AccountError> {
    conn.query_row(
        "SELECT id FROM staff WHERE username = ?1",
        [username],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| AccountError::NoSuchAccount(username.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        conn
    }

    #[test]
    fn a_password_is_stored_as_an_argon2id_hash_that_verifies() {
        let mut conn = database();
        add(&mut conn, "mai", Role::Caseworker, "a long enough secret").expect("added");
        let hash: String = conn
            .query_row("SELECT password_hash FROM staff", [], |r| r.get(0))
            .expect("row");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("a long enough secret"));
        assert!(verify_password("a long enough secret", &hash));
        assert!(!verify_password("a long enough secreT", &hash));
        assert!(!verify_password("a long enough secret", "not a hash"));
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_their_salt() {
        let one = hash_password("the same password").expect("hash");
        let two = hash_password("the same password").expect("hash");
        assert_ne!(one, two);
    }

    #[test]
    fn bad_usernames_weak_passwords_and_twins_are_refused() {
        let mut conn = database();
        for name in ["", "x", "Mai", "9lives", "a b", "mai@ngo", &"a".repeat(41)] {
            assert!(
                matches!(
                    add(&mut conn, name, Role::Admin, "a long enough secret"),
                    Err(AccountError::BadUsername)
                ),
                "{name:?}"
            );
        }
        assert!(matches!(
            add(&mut conn, "mai", Role::Admin, "short"),
            Err(AccountError::WeakPassword)
        ));
        add(&mut conn, "mai", Role::Admin, "a long enough secret").expect("added");
        assert!(matches!(
            add(&mut conn, "mai", Role::Editor, "another long secret"),
            Err(AccountError::Exists(_))
        ));
    }

    #[test]
    fn a_new_password_signs_out_and_disabling_signs_out() {
        let mut conn = database();
        let id = add(&mut conn, "an", Role::Caseworker, "a long enough secret").expect("added");
        let session = |conn: &Connection| {
            conn.execute(
                "INSERT INTO staff_session VALUES (hex(randomblob(8)), ?1, 'c', 'now', 'now')",
                [id],
            )
            .expect("session");
        };
        session(&conn);
        set_password(&mut conn, "an", "a new long secret!").expect("set");
        let sessions: i64 = conn
            .query_row("SELECT count(*) FROM staff_session", [], |r| r.get(0))
            .expect("row");
        assert_eq!(sessions, 0);

        session(&conn);
        set_disabled(&mut conn, "an", true).expect("disabled");
        let accounts = list(&conn).expect("list");
        assert!(accounts[0].disabled);
        let sessions: i64 = conn
            .query_row("SELECT count(*) FROM staff_session", [], |r| r.get(0))
            .expect("count");
        assert_eq!(sessions, 0);
        assert!(matches!(
            set_disabled(&mut conn, "nobody", true),
            Err(AccountError::NoSuchAccount(_))
        ));
    }
}
