//! `passport keys`: the organisation's key pair from the command line. The recovery key is
//! printed once, as text and as a QR code, for the organisation to keep on paper; it is read
//! back without echo at a terminal, or as one line of standard input from a script.

use super::keys::{self, KeyError};
use super::{OpenKey, SEED, recovery};
use crate::error::StartError;
use crate::staff::audit;
use rusqlite::{Connection, OptionalExtension};
use std::io::IsTerminal;
use std::path::Path;
use zeroize::Zeroizing;

/// `passport keys init`: prints the recovery key, once.
pub async fn init(db: &Path) -> Result<(), StartError> {
    let db = crate::db::Db::open(db)?;
    let seed = db.write(|c| Ok(take_bootstrap(c))).await??;
    print_recovery(&seed);
    Ok(())
}

/// `passport keys recover NAME`: the recovery key, read from the terminal, gives `username`
/// the organisation's key again.
pub async fn recover(db: &Path, username: &str) -> Result<(), StartError> {
    let db = crate::db::Db::open(db)?;
    let typed = read_recovery()?;
    let seed = recovery::decode(&typed).map_err(|e| StartError::Usage(e.to_string()))?;
    let name = username.to_owned();
    db.write(move |c| Ok(grant_with(c, &name, &seed))).await??;
    println!(
        "{username} holds the organisation's key again: it opens requests at its next sign-in"
    );
    Ok(())
}

/// `passport keys confirm`: the recovery key typed back from the paper is checked against
/// the organisation's key, and the check recorded, so that a key copied wrong is found
/// while every password still works.
pub async fn confirm(db: &Path) -> Result<(), StartError> {
    let db = crate::db::Db::open(db)?;
    let typed = read_recovery()?;
    let seed = recovery::decode(&typed).map_err(|e| StartError::Usage(e.to_string()))?;
    db.write(move |c| Ok(confirm_with(c, &seed))).await??;
    println!("the recovery key is right: keep the paper locked away");
    Ok(())
}

fn confirm_with(conn: &mut Connection, seed: &[u8; SEED]) -> Result<(), KeyError> {
    let tx = conn.transaction()?;
    keys::recover(&tx, seed)?;
    tx.execute(
        "UPDATE org_key SET recovery_confirmed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE id = 1",
        [],
    )?;
    audit::record(&tx, None, "recovery-key-confirmed", "", "")?;
    tx.commit()?;
    Ok(())
}

/// `passport keys status`.
pub async fn status(db: &Path) -> Result<(), StartError> {
    let db = crate::db::Db::open(db)?;
    println!("{}", db.read(|c| Ok(report(c))).await??);
    Ok(())
}

/// Takes the organisation's key out of its readable bootstrap: a fresh pair if nothing was
/// sealed to the bootstrap one yet (and no hub was given it), else that one. Returns the
/// seed to print.
fn take_bootstrap(conn: &mut Connection) -> Result<Zeroizing<[u8; SEED]>, KeyError> {
    // IMMEDIATE: no hub pairs, and no request is stored, between the count and the change.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let Some(bootstrap) = keys::bootstrap(&tx)? else {
        return Err(KeyError::Exists);
    };
    let used: i64 = tx.query_row(
        "SELECT (SELECT count(*) FROM help_request) + (SELECT count(*) FROM help_note)
             + (SELECT count(*) FROM staff_key WHERE grant_blob IS NOT NULL)
             + (SELECT count(*) FROM hub WHERE paired_at IS NOT NULL)",
        [],
        |r| r.get(0),
    )?;
    let seed = if used == 0 {
        let seed = super::new_seed().ok_or(KeyError::NoRandom)?;
        let (_, public) = OpenKey::derive(&*seed);
        tx.execute(
            "UPDATE org_key SET public_key = ?1 WHERE id = 1",
            [public.to_bytes()],
        )?;
        seed
    } else {
        bootstrap
    };
    keys::forget_bootstrap(&tx)?;
    audit::record(&tx, None, "keys-initialised", "", "")?;
    tx.commit()?;
    keys::scrub(conn)?;
    Ok(seed)
}

fn grant_with(conn: &mut Connection, username: &str, seed: &[u8; SEED]) -> Result<(), KeyError> {
    let tx = conn.transaction()?;
    let org = keys::recover(&tx, seed)?;
    let id: i64 = tx
        .query_row(
            "SELECT id FROM staff WHERE username = ?1",
            [username],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(KeyError::NotReader)?;
    keys::grant(&tx, id, &org, None)?;
    audit::record(&tx, None, "access-granted", username, "recovery key")?;
    tx.commit()?;
    Ok(())
}

fn report(conn: &Connection) -> Result<String, KeyError> {
    let key = keys::seal_key(conn)?;
    let state = if keys::bootstrap(conn)?.is_some() {
        "READABLE: the database still holds the private key; run `passport keys init` or add the first caseworker or admin"
    } else {
        "sealed: the private key is held only by the accounts below and the recovery key"
    };
    let confirmed = match keys::recovery_confirmed(conn)? {
        Some(at) => format!("recovery key confirmed {at}"),
        None => "recovery key NOT confirmed: run `passport keys confirm` with the paper".into(),
    };
    let mut statement = conn.prepare(
        "SELECT s.username, s.role FROM staff_key k JOIN staff s ON s.id = k.staff_id
         WHERE k.grant_blob IS NOT NULL ORDER BY s.username",
    )?;
    let holders = statement
        .query_map([], |r| {
            Ok(format!(
                "  {}\t{}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(format!(
        "key {}\n{state}\n{confirmed}\naccounts that open requests: {}\n{}",
        key.fingerprint(),
        holders.len(),
        holders.join("\n")
    ))
}

/// Prints the recovery key, once, with what it is for.
pub fn print_recovery(seed: &[u8; SEED]) {
    let text = recovery::encode(seed);
    println!(
        "\nThe organisation's RECOVERY KEY. Write it down or print it now, and keep the paper"
    );
    println!("locked away: it is shown only this once. With it, `passport keys recover NAME`");
    println!("gives an account access to the help requests again. If every password and this");
    println!("key are lost, the sealed requests cannot be opened by anyone.\n");
    println!("    {}\n", *text);
    if let Some(code) = recovery::qr(&text) {
        println!("{code}");
    }
    println!("Then run `passport keys confirm` and type it back from the paper, to be sure it");
    println!("was copied right.");
}

/// The recovery key, typed without echo at a terminal, or one line of standard input.
fn read_recovery() -> Result<Zeroizing<String>, StartError> {
    let typed = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Recovery key: ").map_err(io)?
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(io)?;
        line
    };
    Ok(Zeroizing::new(typed))
}

fn io(error: std::io::Error) -> StartError {
    StartError::Usage(format!("reading the recovery key: {error}"))
}
