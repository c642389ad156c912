//! The organisation's key pair as the database keeps it.
//!
//! - `org_key` holds the public key, which anything that takes requests seals to. Until an
//!   account that may read requests holds the private key, it also holds the pair's seed in
//!   readable form (the *bootstrap*), so that a first start with no configuration takes
//!   requests and loses none. The seed is wiped, with `VACUUM` and a WAL truncate, the moment
//!   such an account is made from the command line or `passport keys init` runs.
//! - `staff_key` holds, per staff account, the public half of a key pair derived from that
//!   person's password with argon2id and a salt of its own (never the password hash's salt),
//!   and, if the account may read requests, the organisation's private key sealed to that
//!   public key: its *grant*. Nothing here opens a grant without the password.

use super::{OpenKey, Purpose, SEED, SealError, SealKey, new_seed};
use argon2::Argon2;
use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

/// How the personal key is derived: argon2id at OWASP's minimum, as passwords are hashed.
pub const KDF: &str = "argon2id-19456-2-1";
const SALT: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("this database has no organisation key")]
    NoKey,
    #[error("the system gave no random numbers")]
    NoRandom,
    #[error("deriving a key from the password failed")]
    Kdf,
    #[error("this recovery key is not this organisation's")]
    WrongRecoveryKey,
    #[error("only caseworkers and admins may read requests")]
    NotReader,
    #[error("`{0}` has no key of its own yet: set its password first (`passport staff passwd`)")]
    NoPersonalKey(String),
    #[error(
        "the organisation's key was made already; to give an account access again, use `passport keys recover`"
    )]
    Exists,
    #[error(transparent)]
    Seal(#[from] SealError),
}

/// The key that requests are sealed to.
pub fn seal_key(conn: &Connection) -> Result<SealKey, KeyError> {
    let bytes = public_bytes(conn)?;
    Ok(SealKey::from_bytes(&bytes.ok_or(KeyError::NoKey)?)?)
}

/// The bytes of that key, as stored, for comparing with the key a blob was sealed to.
pub fn public_bytes(conn: &Connection) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.query_row("SELECT public_key FROM org_key WHERE id = 1", [], |r| {
        r.get(0)
    })
    .optional()
}

/// Makes the organisation's key pair if there is none, keeping its seed readable until an
/// account that may read requests takes it (see the module's notes).
pub fn make_bootstrap(conn: &Connection) -> Result<SealKey, KeyError> {
    if let Ok(key) = seal_key(conn) {
        return Ok(key);
    }
    let seed = new_seed().ok_or(KeyError::NoRandom)?;
    let (_, public) = OpenKey::derive(&*seed);
    conn.execute(
        "INSERT INTO org_key (id, public_key, bootstrap, created_at)
         VALUES (1, ?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        params![public.to_bytes(), &seed[..]],
    )?;
    Ok(public)
}

/// The readable seed, while there is one.
pub fn bootstrap(conn: &Connection) -> Result<Option<Zeroizing<[u8; SEED]>>, KeyError> {
    let bytes: Option<Zeroizing<Vec<u8>>> = conn
        .query_row("SELECT bootstrap FROM org_key WHERE id = 1", [], |r| {
            r.get::<_, Option<Vec<u8>>>(0)
        })
        .optional()?
        .flatten()
        .map(Zeroizing::new);
    Ok(bytes.and_then(|bytes| {
        let mut seed = Zeroizing::new([0u8; SEED]);
        (bytes.len() == SEED).then(|| {
            seed.copy_from_slice(&bytes);
            seed
        })
    }))
}

/// Wipes the readable seed, inside the caller's transaction; call [`scrub`] after it commits.
pub fn forget_bootstrap(conn: &Connection) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE org_key SET bootstrap = NULL WHERE bootstrap IS NOT NULL",
        [],
    )? > 0)
}

/// Leaves no copy of what was overwritten or deleted in the file or its WAL: the database is
/// rebuilt (`secure_delete` has zeroed the old cells already) and the WAL checkpointed and cut.
pub fn scrub(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("VACUUM")?;
    // A reader in another process can hold the checkpoint back for a moment; each try waits
    // for it through the busy timeout.
    for _ in 0..20 {
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy == 0 {
            return Ok(());
        }
    }
    tracing::warn!("the WAL could not be truncated: another process is reading");
    Ok(())
}

/// A staff member's own key pair, derived from their password and salt.
pub fn personal(password: &str, salt: &[u8]) -> Result<(OpenKey, SealKey), KeyError> {
    let mut seed = Zeroizing::new([0u8; SEED]);
    Argon2::default()
        .hash_password_into(password.as_bytes(), salt, seed.as_mut_slice())
        .map_err(|_| KeyError::Kdf)?;
    Ok(OpenKey::derive(&*seed))
}

/// A fresh salt and the personal key pair it gives with `password`.
pub struct Personal {
    pub salt: Vec<u8>,
    pub open: OpenKey,
    pub seal: SealKey,
}

impl Personal {
    pub fn new(password: &str) -> Result<Personal, KeyError> {
        let mut salt = vec![0u8; SALT];
        getrandom::fill(&mut salt).map_err(|_| KeyError::NoRandom)?;
        let (open, seal) = personal(password, &salt)?;
        Ok(Personal { salt, open, seal })
    }
}

/// What `staff_key` holds for one account.
#[derive(Debug, Clone)]
pub struct Stored {
    pub salt: Vec<u8>,
    pub public: Vec<u8>,
    pub grant: Option<Vec<u8>>,
}

pub fn stored(conn: &Connection, staff: i64) -> rusqlite::Result<Option<Stored>> {
    conn.query_row(
        "SELECT salt, public_key, grant_blob FROM staff_key WHERE staff_id = ?1",
        [staff],
        |r| {
            Ok(Stored {
                salt: r.get(0)?,
                public: r.get(1)?,
                grant: r.get(2)?,
            })
        },
    )
    .optional()
}

fn row_of(staff: i64) -> Vec<u8> {
    format!("staff/{staff}").into_bytes()
}

/// The organisation's key sealed to one account's own key.
pub fn grant_blob(org: &OpenKey, to: &SealKey, staff: i64) -> Result<Vec<u8>, KeyError> {
    Ok(to.seal(Purpose::Grant, &row_of(staff), &org.to_bytes())?)
}

/// A grant made from the bootstrap seed.
pub fn grant_from_seed(seed: &[u8; SEED], to: &SealKey, staff: i64) -> Result<Vec<u8>, KeyError> {
    grant_blob(&OpenKey::derive(seed).0, to, staff)
}

/// The organisation's key out of a grant, with the account's own key.
pub fn open_grant(own: &OpenKey, staff: i64, blob: &[u8]) -> Result<OpenKey, KeyError> {
    let bytes = own.open(Purpose::Grant, &row_of(staff), blob)?;
    Ok(OpenKey::from_bytes(&bytes)?)
}

/// Stores an account's personal key, with a grant or none; any older one is replaced.
pub fn store(
    conn: &Connection,
    staff: i64,
    personal: &Personal,
    grant: Option<(Vec<u8>, Option<i64>)>,
) -> rusqlite::Result<()> {
    let (blob, by) = grant.map_or((None, None), |(blob, by)| (Some(blob), by));
    conn.execute(
        "INSERT INTO staff_key (staff_id, kdf, salt, public_key, grant_blob, granted_by, granted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?5 IS NOT NULL
             THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now') END)
         ON CONFLICT (staff_id) DO UPDATE SET kdf = ?2, salt = ?3, public_key = ?4,
             grant_blob = ?5, granted_by = ?6, granted_at = excluded.granted_at",
        params![staff, KDF, personal.salt, personal.seal.to_bytes(), blob, by],
    )?;
    Ok(())
}

/// Whether `staff` is an enabled account whose role reads requests.
fn reads(conn: &Connection, staff: i64) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM staff WHERE id = ?1 AND disabled = 0
             AND role IN ('caseworker', 'admin')",
        [staff],
        |r| r.get(0),
    )
}

/// Gives `staff` the organisation's key, sealed to its own; `by` is the admin who did, or
/// `None` from the command line.
pub fn grant(
    conn: &Connection,
    staff: i64,
    org: &OpenKey,
    by: Option<i64>,
) -> Result<(), KeyError> {
    if !reads(conn, staff)? {
        return Err(KeyError::NotReader);
    }
    let Some(stored) = stored(conn, staff)? else {
        let name: String =
            conn.query_row("SELECT username FROM staff WHERE id = ?1", [staff], |r| {
                r.get(0)
            })?;
        return Err(KeyError::NoPersonalKey(name));
    };
    let own = SealKey::from_bytes(&stored.public)?;
    let blob = grant_blob(org, &own, staff)?;
    conn.execute(
        "UPDATE staff_key SET grant_blob = ?2, granted_by = ?3,
             granted_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE staff_id = ?1",
        params![staff, blob, by],
    )?;
    Ok(())
}

/// Takes the organisation's key away from `staff`.
pub fn revoke(conn: &Connection, staff: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE staff_key SET grant_blob = NULL, granted_by = NULL, granted_at = NULL
         WHERE staff_id = ?1 AND grant_blob IS NOT NULL",
        [staff],
    )? > 0)
}

/// The organisation's key from its recovery seed, if it is this organisation's.
/// When the recovery key was last typed back and found right, if ever.
pub fn recovery_confirmed(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT recovery_confirmed_at FROM org_key WHERE id = 1",
        [],
        |r| r.get(0),
    )
    .optional()
    .map(Option::flatten)
}

pub fn recover(conn: &Connection, seed: &[u8; SEED]) -> Result<OpenKey, KeyError> {
    let (open, public) = OpenKey::derive(seed);
    if public != seal_key(conn)? {
        return Err(KeyError::WrongRecoveryKey);
    }
    Ok(open)
}

/// What a sign-in with the right password gives: the organisation's key for the session, if
/// the account holds it, and a personal key or grant to store, if it had none.
pub struct Unlocked {
    pub key: Option<OpenKey>,
    pub store: Option<(Personal, Option<Vec<u8>>)>,
}

/// Opens the account's grant with `password`. An account that has no personal key yet (made
/// before requests were sealed) gets one. While the bootstrap seed exists, an account that
/// reads requests and has no grant is given one from it.
pub fn unlock(
    staff: i64,
    reader: bool,
    password: &str,
    stored: Option<Stored>,
    bootstrap: Option<Zeroizing<[u8; SEED]>>,
) -> Result<Unlocked, KeyError> {
    let from_bootstrap = || bootstrap.as_ref().map(|seed| OpenKey::derive(&**seed).0);
    match stored {
        Some(stored) => {
            let (own, public) = personal(password, &stored.salt)?;
            if public.to_bytes() != stored.public {
                return Ok(Unlocked {
                    key: None,
                    store: None,
                });
            }
            let opened = stored
                .grant
                .as_deref()
                .and_then(|blob| open_grant(&own, staff, blob).ok());
            match (opened, reader.then(from_bootstrap).flatten()) {
                (Some(key), _) => Ok(Unlocked {
                    key: Some(key),
                    store: None,
                }),
                (None, Some(org)) => {
                    let blob = grant_blob(&org, &public, staff)?;
                    let personal = Personal {
                        salt: stored.salt,
                        open: own,
                        seal: public,
                    };
                    Ok(Unlocked {
                        key: Some(org),
                        store: Some((personal, Some(blob))),
                    })
                }
                (None, None) => Ok(Unlocked {
                    key: None,
                    store: None,
                }),
            }
        }
        None => {
            let personal = Personal::new(password)?;
            let org = reader.then(from_bootstrap).flatten();
            let blob = org
                .as_ref()
                .map(|org| grant_blob(org, &personal.seal, staff))
                .transpose()?;
            Ok(Unlocked {
                key: org,
                store: Some((personal, blob)),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staff::accounts::{self, Role};

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        conn
    }

    fn unlock_as(conn: &Connection, staff: i64, password: &str) -> Option<OpenKey> {
        let reader = reads(conn, staff).expect("role");
        let stored = stored(conn, staff).expect("read");
        let seed = bootstrap(conn).expect("read");
        unlock(staff, reader, password, stored, seed)
            .expect("unlocked")
            .key
    }

    #[test]
    fn a_grant_opens_with_the_right_password_only() {
        let mut conn = database();
        let org = seal_key(&conn).expect("made at migration");
        let seed = bootstrap(&conn).expect("read").expect("bootstrap");
        let id =
            accounts::add(&mut conn, "mai", Role::Editor, "a long enough secret").expect("added");
        assert!(
            unlock_as(&conn, id, "a long enough secret").is_none(),
            "editors read nothing"
        );
        conn.execute("UPDATE staff SET role = 'caseworker' WHERE id = ?1", [id])
            .expect("role");
        let open = recover(&conn, &seed).expect("this organisation's");
        grant(&conn, id, &open, None).expect("granted");
        let key = unlock_as(&conn, id, "a long enough secret").expect("opens");
        assert_eq!(key.public(), org);
        assert!(unlock_as(&conn, id, "a long enough secreT").is_none());
        assert!(revoke(&conn, id).expect("revoked"));
        forget_bootstrap(&conn).expect("forgotten");
        assert!(unlock_as(&conn, id, "a long enough secret").is_none());
        let other = new_seed().expect("random");
        assert!(matches!(
            recover(&conn, &other),
            Err(KeyError::WrongRecoveryKey)
        ));
    }
}
