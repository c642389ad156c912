//! Central's certificate keeper, in the background: for every hub not revoked that sent a
//! request, a certificate for its name, renewed in the last third of its life; for every
//! revoked hub, its certificate revoked at the CA; and central's own certificate for all hub
//! names. A failure is written where the hubs page shows it, and tried again later.

use super::acme::{AcmeError, Orderer, Settings};
use super::{Info, check_request, inspect, now};
use crate::db::Db;
use rusqlite::{Connection, params};
use std::{sync::Arc, time::Duration};
use tokio::sync::Notify;

/// How often the keeper looks, when nothing wakes it sooner: a revocation made with the
/// command line (which cannot wake the server) reaches the CA within this.
const EVERY: Duration = Duration::from_secs(15);
/// How long after a failed order the same name is tried again.
const RETRY_SECS: i64 = 600;

/// One hub whose certificate may need work.
#[derive(Debug)]
struct Due {
    id: i64,
    host: String,
    csr: Vec<u8>,
    chain: Option<String>,
    tried_at: Option<i64>,
}

/// Starts the keeper. `wake` brings it round at once (a hub sent a request, an admin revoked
/// one); `own_name` is central's own certificate's name (`*.hubs.example.org`), when central
/// serves the hubs' names itself.
pub fn spawn(db: Db, settings: Settings, own_name: Option<String>, wake: Arc<Notify>) {
    tokio::spawn(async move {
        let mut orderer = None;
        loop {
            if orderer.is_none() {
                orderer = Orderer::connect(&db, settings.clone())
                    .await
                    .inspect_err(|error| tracing::warn!(%error, "reaching the ACME CA"))
                    .ok();
            }
            if let Some(orderer) = &orderer
                && let Err(error) = round(&db, orderer, own_name.as_deref()).await
            {
                tracing::error!(%error, "keeping the hubs' certificates");
            }
            tokio::select! {
                () = tokio::time::sleep(EVERY) => {}
                () = wake.notified() => {}
            }
        }
    });
}

/// One look at everything: revocations first, then hubs, then central's own certificate.
pub async fn round(
    db: &Db,
    orderer: &Orderer,
    own_name: Option<&str>,
) -> Result<(), crate::db::DbError> {
    revocations(db, orderer).await?;
    let due = db.read(hubs_due).await?;
    for hub in due {
        renew_hub(db, orderer, hub).await?;
    }
    if let Some(name) = own_name {
        renew_own(db, orderer, name).await?;
    }
    Ok(())
}

/// Revokes at the CA the certificate of every hub revoked here.
async fn revocations(db: &Db, orderer: &Orderer) -> Result<(), crate::db::DbError> {
    let revoked: Vec<(i64, String, String)> = db
        .read(|c| {
            c.prepare(
                "SELECT id, name, cert_chain FROM hub WHERE revoked_at IS NOT NULL
                     AND cert_chain IS NOT NULL AND cert_revoked_at IS NULL",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect()
        })
        .await?;
    for (id, name, chain) in revoked {
        let expired = inspect(&chain).is_ok_and(|info| info.not_after <= now());
        let outcome = if expired {
            Ok(())
        } else {
            orderer.revoke(&chain).await
        };
        match &outcome {
            Ok(()) => {
                tracing::info!(hub = %name, "the revoked hub's certificate is revoked at the CA")
            }
            Err(error) => tracing::warn!(hub = %name, %error, "revoking a hub's certificate"),
        }
        let error = outcome.err().map(|e| e.to_string());
        db.write(move |c| {
            c.execute(
                "UPDATE hub SET cert_error = ?2, cert_revoked_at = CASE WHEN ?2 IS NULL
                     THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now') END WHERE id = ?1",
                params![id, error],
            )
        })
        .await?;
    }
    Ok(())
}

/// The hubs whose certificate is missing, for another key, or in the last third of its life,
/// and not failed within [`RETRY_SECS`].
fn hubs_due(conn: &Connection) -> rusqlite::Result<Vec<Due>> {
    let rows = conn
        .prepare(
            "SELECT id, host, csr, cert_chain, CAST(strftime('%s', cert_tried_at) AS INTEGER)
             FROM hub WHERE revoked_at IS NULL AND host IS NOT NULL AND csr IS NOT NULL",
        )?
        .query_map([], |r| {
            Ok(Due {
                id: r.get(0)?,
                host: r.get(1)?,
                csr: r.get(2)?,
                chain: r.get(3)?,
                tried_at: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let now = now();
    Ok(rows
        .into_iter()
        .filter(|due| due.tried_at.is_none_or(|at| now - at >= RETRY_SECS))
        .filter(|due| needs_new(due, now))
        .collect())
}

fn needs_new(due: &Due, now: i64) -> bool {
    let Ok(key) = check_request(&due.csr, &due.host) else {
        return false;
    };
    match due.chain.as_deref().map(inspect) {
        // A new key gets its certificate, but not more than once an hour: a stolen
        // credential swapping keys cannot spend the CA's weekly allowance for the name.
        Some(Ok(info)) => {
            (info.spki != key && now - info.not_before >= 3600) || info.renew_due(now)
        }
        _ => true,
    }
}

async fn renew_hub(db: &Db, orderer: &Orderer, hub: Due) -> Result<(), crate::db::DbError> {
    let ordered = orderer
        .order(std::slice::from_ref(&hub.host), &hub.csr)
        .await;
    let (id, host) = (hub.id, hub.host);
    match ordered.and_then(checked) {
        Ok((chain, info)) => {
            tracing::info!(hub = %host, not_after = info.not_after, "a hub's certificate was issued");
            db.write(move |c| {
                c.execute(
                    // Stored even when the hub was revoked meanwhile: it is never handed
                    // over then, and the next round revokes it at the CA.
                    "UPDATE hub SET cert_chain = ?2, cert_serial = ?3,
                         cert_not_after = strftime('%Y-%m-%dT%H:%M:%SZ', ?4, 'unixepoch'),
                         cert_error = NULL, cert_tried_at = NULL, cert_revoked_at = NULL
                     WHERE id = ?1",
                    params![id, chain, info.serial, info.not_after],
                )
            })
            .await?;
        }
        Err(error) => {
            tracing::warn!(hub = %host, %error, "ordering a hub's certificate");
            let error = error.to_string();
            db.write(move |c| {
                c.execute(
                    "UPDATE hub SET cert_error = ?2,
                         cert_tried_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
                    params![id, error],
                )
            })
            .await?;
        }
    }
    Ok(())
}

/// A chain with what its leaf says, or why it is unusable.
fn checked(chain: String) -> Result<(String, Info), AcmeError> {
    let info = inspect(&chain)?;
    Ok((chain, info))
}

/// Central's own certificate for `name`, ordered when missing or due, each time with a new
/// key (the server's certificate store picks both up from the database).
async fn renew_own(db: &Db, orderer: &Orderer, name: &str) -> Result<(), crate::db::DbError> {
    let owned = name.to_owned();
    let held: Option<(Option<String>, Option<i64>)> = db
        .read(move |c| {
            use rusqlite::OptionalExtension;
            c.query_row(
                "SELECT chain, CAST(strftime('%s', tried_at) AS INTEGER)
                 FROM own_certificate WHERE name = ?1",
                [&owned],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
        })
        .await?;
    let (chain, tried_at) = held.unwrap_or((None, None));
    let now = now();
    let current = chain.as_deref().and_then(|c| inspect(c).ok());
    if current.is_some_and(|info| !info.renew_due(now))
        || tried_at.is_some_and(|at| now - at < RETRY_SECS)
    {
        return Ok(());
    }
    // A new key with every certificate: a copy of an old database holds only keys whose
    // certificates have ended.
    let key = match super::new_key() {
        Ok(key) => key,
        Err(error) => {
            tracing::error!(%error, "making central's key for the hub names");
            return Ok(());
        }
    };
    let names = [name.to_owned()];
    let ordered = match super::request(&key, &names) {
        Ok(csr) => orderer.order(&names, &csr).await.and_then(checked),
        Err(error) => Err(error.into()),
    };
    let stored = ordered.is_ok();
    let owned = name.to_owned();
    db.write(move |c| {
        let (chain, not_after, error) = match ordered {
            Ok((chain, info)) => (Some(chain), Some(info.not_after), None),
            Err(error) => (None, None, Some(error.to_string())),
        };
        c.execute(
            "INSERT INTO own_certificate (name, key_der, chain, not_after, error, tried_at)
             VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', ?4, 'unixepoch'), ?5,
                 CASE WHEN ?5 IS NOT NULL THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now') END)
             ON CONFLICT (name) DO UPDATE SET key_der = excluded.key_der,
                 chain = coalesce(excluded.chain, own_certificate.chain),
                 not_after = coalesce(excluded.not_after, own_certificate.not_after),
                 error = excluded.error, tried_at = excluded.tried_at",
            params![owned, key, chain, not_after, error],
        )
    })
    .await?;
    if stored {
        tracing::info!(name, "central's certificate for the hub names was issued");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{CertificateParams, KeyPair};

    const HOST: &str = "hall.hubs.test";

    /// A certificate for `key_der`, issued at `from` and lasting `days`.
    fn chain(key_der: &[u8], from: i64, days: i64) -> String {
        let mut params = CertificateParams::new(vec![HOST.to_owned()]).expect("params");
        let time = |unix| {
            x509_parser::time::ASN1Time::from_timestamp(unix)
                .expect("time")
                .to_datetime()
        };
        params.not_before = time(from);
        params.not_after = time(from + days * 86_400);
        let key = KeyPair::try_from(key_der).expect("key");
        params.self_signed(&key).expect("cert").pem()
    }

    fn due(key: &[u8], chain: Option<String>) -> Due {
        Due {
            id: 1,
            host: HOST.to_owned(),
            csr: super::super::request(key, &[HOST.to_owned()]).expect("csr"),
            chain,
            tried_at: None,
        }
    }

    #[test]
    fn a_hub_gets_a_certificate_when_it_has_none_and_again_halfway_through_its_life() {
        let key = super::super::new_key().expect("key");
        let now = now();
        assert!(needs_new(&due(&key, None), now));
        let six_days = due(&key, Some(chain(&key, now, 6)));
        assert!(!needs_new(&six_days, now + 3 * 86_400 - 60));
        assert!(needs_new(&six_days, now + 3 * 86_400));
        let ninety_days = due(&key, Some(chain(&key, now, 90)));
        assert!(!needs_new(&ninety_days, now + 59 * 86_400));
        assert!(needs_new(&ninety_days, now + 60 * 86_400));
    }

    #[test]
    fn a_new_key_gets_its_certificate_but_not_more_than_once_an_hour() {
        let (old, new) = (
            super::super::new_key().expect("key"),
            super::super::new_key().expect("key"),
        );
        let now = now();
        let fresh = due(&new, Some(chain(&old, now - 600, 6)));
        assert!(!needs_new(&fresh, now), "issued ten minutes ago");
        let older = due(&new, Some(chain(&old, now - 3600, 6)));
        assert!(needs_new(&older, now));
    }

    #[test]
    fn a_request_for_another_name_is_never_ordered() {
        let key = super::super::new_key().expect("key");
        let mut other = due(&key, None);
        other.host = "market.hubs.test".to_owned();
        assert!(!needs_new(&other, now()));
    }
}
