//! The hub commands: `passport hubs …` at central, `passport hub …` at a hub, and `passport
//! bundle export`. Files that cross on a USB stick are signed: a bundle by central's key, a
//! hub's requests by the hub's export key, which central received at pairing. The requests
//! in such a file are sealed, as they are on the hub's disk.

use super::bundle::{self, BundleError};
use super::client::{SyncError, Upstream};
use super::registry;
use super::{Batch, PairAsk, b64, forward, identity, unb64};
use crate::db::Db;
use crate::error::StartError;
use ring::signature::Ed25519KeyPair;
use serde::{Deserialize, Serialize};
use std::io::{IsTerminal, Write};
use std::path::Path;

const REQUESTS_FORMAT: &str = "passport-requests/1";

/// A hub's waiting requests as a file: the batch sealed to central's transfer key (the
/// stick shows only which hub wrote it and its size), and the sealed bytes signed by the
/// hub.
#[derive(Debug, Serialize, Deserialize)]
struct RequestsFile {
    format: String,
    hub: String,
    sealed: String,
    signature: String,
}

fn usage(error: impl std::fmt::Display) -> StartError {
    StartError::Usage(error.to_string())
}

/// Writes `bytes` to `path`, readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), StartError> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = || {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)?;
        file.write_all(bytes)?;
        file.sync_all()
    };
    file().map_err(|source| StartError::File {
        path: path.display().to_string(),
        source,
    })
}

/// The largest file the USB commands read: far more than any hub holds.
const FILE_MAX: u64 = 256 * 1024 * 1024;

fn read(path: &Path) -> Result<Vec<u8>, StartError> {
    let failed = |source| StartError::File {
        path: path.display().to_string(),
        source,
    };
    if std::fs::metadata(path).map_err(failed)?.len() > FILE_MAX {
        return Err(usage(format!(
            "{} is larger than any hub's file",
            path.display()
        )));
    }
    std::fs::read(path).map_err(failed)
}

/// `passport hubs add NAME`: the pairing code, as text, as the command to run at the hub,
/// and as a QR code.
pub async fn add(
    db: &Db,
    name: &str,
    domain: Option<&str>,
    public_url: Option<&str>,
) -> Result<(), StartError> {
    let owned = name.to_owned();
    let domain = domain.map(str::to_owned);
    let code = db
        .write(move |c| Ok(registry::add(c, &owned, domain.as_deref(), None)))
        .await?
        .map_err(usage)?;
    let url = public_url.unwrap_or("https://CENTRAL");
    let command = format!("passport hub pair {url} {code}");
    println!(
        "Added hub {name}. Its one-time pairing code, good for {} hours:\n\n    {code}\n",
        registry::CODE_HOURS
    );
    println!("At the hub, run:\n\n    {command}\n");
    if let Some(qr) = crate::seal::recovery::qr(&command) {
        println!("{qr}");
    }
    Ok(())
}

/// `passport hubs list`.
pub async fn list(db: &Db) -> Result<(), StartError> {
    let hubs = db.read(registry::list).await?;
    if hubs.is_empty() {
        println!("no hubs yet: add one with `passport hubs add NAME`");
    }
    for hub in hubs {
        let state = match (&hub.revoked_at, &hub.paired_at, hub.code_waiting) {
            (Some(at), _, _) => format!("revoked {at}"),
            (None, Some(_), _) => "paired".to_owned(),
            (None, None, true) => "waiting for pairing".to_owned(),
            (None, None, false) => "code expired: add it again for a new one".to_owned(),
        };
        let certificate = match (&hub.host, &hub.cert_not_after, &hub.cert_error) {
            (None, _, _) => String::new(),
            (Some(host), Some(until), None) => format!("\t{host}, certificate until {until}"),
            (Some(host), Some(until), Some(error)) => {
                format!("\t{host}, certificate until {until}; the last renewal failed: {error}")
            }
            (Some(host), None, Some(error)) => format!("\t{host}, no certificate: {error}"),
            (Some(host), None, None) => format!("\t{host}, no certificate yet"),
        };
        println!(
            "{}\t{state}\tlast contact {}\tforwarded {}{certificate}",
            hub.name,
            hub.last_contact.as_deref().unwrap_or("never"),
            hub.forwarded
        );
    }
    Ok(())
}

/// `passport hubs revoke NAME`.
pub async fn revoke(db: &Db, name: &str) -> Result<(), StartError> {
    let owned = name.to_owned();
    db.write(move |c| Ok(registry::revoke(c, &owned, None)))
        .await?
        .map_err(usage)?;
    println!(
        "revoked hub {name}: central refuses it from now on, and the running server revokes its \
         certificate at the CA within a minute"
    );
    Ok(())
}

/// `passport hubs import FILE`: a hub's requests from a USB stick, with the rules of an
/// upload: each stored once, whatever came before or comes after.
pub async fn import(db: &Db, file: &Path) -> Result<(), StartError> {
    let bytes = read(file)?;
    let parsed: RequestsFile = serde_json::from_slice(&bytes)
        .ok()
        .filter(|f: &RequestsFile| f.format == REQUESTS_FORMAT)
        .ok_or_else(|| usage("this is not a file of a hub's requests"))?;
    let hub_name = parsed.hub.clone();
    let known = db
        .read(move |c| registry::export_key(c, &hub_name))
        .await?
        .ok_or_else(|| usage(format!("no paired hub is called `{}`", parsed.hub)))?;
    let (hub, key) = known;
    let signature = unb64(&parsed.signature).unwrap_or_default();
    let sealed = unb64(&parsed.sealed).unwrap_or_default();
    if !bundle::verify(&key, REQUESTS_FORMAT, &sealed, &signature) {
        return Err(usage(
            "the file's signature is not this hub's: it was changed, or made elsewhere",
        ));
    }
    let (open, _) = db
        .write(|c| Ok(bundle::transfer_key(c)))
        .await?
        .map_err(usage)?;
    let batch: Batch = open
        .open(
            crate::seal::Purpose::Transfer,
            parsed.hub.as_bytes(),
            &sealed,
        )
        .ok()
        .and_then(|plain| serde_json::from_slice(&plain).ok())
        .ok_or_else(|| usage("the file's requests do not open with this central's key"))?;
    let answer = db.write(move |c| forward::receive(c, hub, &batch)).await?;
    let count = |outcome| {
        answer
            .answers
            .iter()
            .filter(|a| a.outcome == outcome)
            .count()
    };
    use super::Outcome::{Had, Refused, Retry, Stored};
    println!(
        "from hub {}: {} stored, {} had already, {} refused, {} not stored now (import the file again)",
        parsed.hub,
        count(Stored),
        count(Had),
        count(Refused),
        count(Retry)
    );
    Ok(())
}

/// `passport bundle export FILE`: the signed bundle of everything published after `since`.
pub async fn bundle_export(
    db: &Db,
    file: &Path,
    since: i64,
    hub: Option<&str>,
) -> Result<(), StartError> {
    if db.read(identity::is_hub).await? {
        return Err(usage(
            "this database is a hub's: bundles are made at central",
        ));
    }
    let hub = hub.map(str::to_owned);
    let bytes = db
        .write(move |c| {
            let mut payload = bundle::payload(c, since)?;
            if let Some(name) = hub {
                let found: Option<(i64, i64, Option<Vec<u8>>)> =
                    rusqlite::OptionalExtension::optional(c.query_row(
                        "SELECT id, last_seq, export_key FROM hub WHERE name = ?1 AND revoked_at IS NULL",
                        [&name],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    ))?;
                let Some((id, last_seq, Some(key))) = found else {
                    return Ok(Err(usage(format!("no paired hub is called `{name}`"))));
                };
                payload.settled = Some(bundle::Settled {
                    export_key: b64(&key),
                    last_seq,
                });
                payload.certificate = super::names::chain_for(c, id)?;
            }
            Ok(bundle::signing_key(c)
                .map(|pair| bundle::seal(&pair, &payload))
                .map_err(usage))
        })
        .await??;
    write_private(file, &bytes)?;
    println!(
        "wrote the content changed after version {since} ({} bytes) to {}",
        bytes.len(),
        file.display()
    );
    Ok(())
}

/// `passport hub pair URL CODE`.
pub async fn pair(db: &Db, url: &str, code: &str) -> Result<(), StartError> {
    let mut export_seed = zeroize::Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut *export_seed).map_err(|_| usage("the system gave no random numbers"))?;
    let export_key = Ed25519KeyPair::from_seed_unchecked(&*export_seed)
        .map_err(|_| usage("making the hub's key"))?;
    let upstream = Upstream::new(url, None).map_err(usage)?;
    let answer = upstream
        .pair(&PairAsk {
            code: code.to_owned(),
            export_key: b64(&bundle::public_key(&export_key)),
        })
        .await
        .map_err(usage)?;
    let (path, url) = (db.path().to_owned(), url.trim_end_matches('/').to_owned());
    let (hub, host, token) = (
        answer.hub.clone(),
        answer.host.clone(),
        answer.token.clone(),
    );
    let upstream_url = url.clone();
    db.write(move |c| {
        let paired = identity::pair(c, &path, &upstream_url, &answer, &export_seed);
        if paired.is_ok() {
            crate::seal::keys::scrub(c)?;
        }
        Ok(paired)
    })
    .await?
    .map_err(usage)?;
    println!("paired as hub {hub}: requests are sealed to central's key from now on");
    if let Some(host) = host {
        // The first certificate request; every sync sends it again until central has one.
        let csr = db
            .read(|c| Ok(super::names::request(c)))
            .await?
            .map_err(usage)?;
        let upstream = Upstream::new(&url, Some(token)).map_err(usage)?;
        if let Some(csr) = csr {
            match upstream.ask_certificate(&csr).await {
                Ok(()) => println!(
                    "its name is {host}: central orders its certificate, which arrives with the next sync"
                ),
                Err(error) => println!(
                    "its name is {host}; the certificate request waits for the next sync ({error})"
                ),
            }
        }
        println!("{}", super::names::hotspot_help(&host));
    }
    Ok(())
}

/// `passport hub hotspot`: how phones on the hotspot find this hub's name.
pub async fn hotspot(db: &Db) -> Result<(), StartError> {
    let host = db.read(super::names::host).await?.ok_or_else(|| {
        usage(
            "this hub has no name: central names a hub at `passport hubs add NAME --domain DOMAIN`",
        )
    })?;
    println!("{}", super::names::hotspot_help(&host));
    Ok(())
}

/// `passport hub sync`: one sync now, with a progress bar and a summary.
pub async fn sync(db: &Db, url: Option<&str>) -> Result<(), StartError> {
    let bar = std::io::stderr().is_terminal();
    let progress = move |done: usize, total: usize| {
        if bar && total > 0 {
            let filled = done * 30 / total;
            eprint!(
                "\r[{}{}] {done}/{total} requests",
                "#".repeat(filled),
                " ".repeat(30 - filled)
            );
            if done == total {
                eprintln!();
            }
        }
    };
    match super::sync::once(db, url, &progress).await {
        Ok(summary) => {
            println!("{summary}");
            Ok(())
        }
        Err(error @ (SyncError::Revoked | SyncError::NotPaired(_))) => Err(usage(error)),
        Err(error) => Err(usage(format!(
            "{error}; what was acknowledged is settled, and the next sync resumes there"
        ))),
    }
}

/// `passport hub export FILE`: the waiting requests, signed, for a USB stick. They stay
/// here until central acknowledges them, by a sync or when this hub is told at its next.
pub async fn export(db: &Db, file: &Path) -> Result<(), StartError> {
    let path = db.path().to_owned();
    let found = db
        .write(move |c| {
            if !identity::is_hub(c)? {
                return Ok(Err("this database is not a hub"));
            }
            if identity::check_placement(c, &path)? {
                return Ok(Err(identity::MOVED));
            }
            forward::number(c)?;
            Ok(Ok((
                identity::load(c)?,
                forward::next_batch(c, usize::MAX >> 1)?,
            )))
        })
        .await?
        .map_err(usage)?;
    let (Some(hub), batch) = found else {
        return Err(usage("this database is not a hub"));
    };
    let key = Ed25519KeyPair::from_seed_unchecked(&hub.export_seed)
        .map_err(|_| usage("the hub's export key is malformed"))?;
    let count = batch.len();
    let payload = serde_json::to_vec(&Batch { requests: batch }).map_err(usage)?;
    let transfer = crate::seal::SealKey::from_bytes(&hub.transfer_key).map_err(usage)?;
    let sealed = transfer
        .seal(
            crate::seal::Purpose::Transfer,
            hub.name.as_bytes(),
            &payload,
        )
        .map_err(usage)?;
    let signature = bundle::sign(&key, REQUESTS_FORMAT, &sealed);
    let file_body = serde_json::to_vec(&RequestsFile {
        format: REQUESTS_FORMAT.to_owned(),
        hub: hub.name,
        sealed: b64(&sealed),
        signature: b64(&signature),
    })
    .map_err(usage)?;
    write_private(file, &file_body)?;
    println!(
        "wrote {count} sealed requests to {}: take it to central and run `passport hubs import {}`",
        file.display(),
        file.display()
    );
    Ok(())
}

/// `passport hub import-bundle FILE`.
pub async fn import_bundle(db: &Db, file: &Path) -> Result<(), StartError> {
    let bytes = read(file)?;
    let path = db.path().to_owned();
    let applied = db
        .write(move |c| {
            identity::check_placement(c, &path)?;
            Ok(bundle::apply(c, &bytes))
        })
        .await?
        .map_err(|error: BundleError| usage(error))?;
    println!(
        "content at central's version {}: {} changes applied",
        applied.central, applied.changes
    );
    Ok(())
}
