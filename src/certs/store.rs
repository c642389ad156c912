//! The certificates a server offers, by the name a client asks for: a hub's own (brought by
//! central), central's own for the hub names, and the `--tls-cert` files for any other
//! name. The ones kept in the database are read again every few seconds, so a renewed
//! certificate is served without a restart, and an expired one is never offered: a phone
//! then fails to connect over HTTPS rather than being shown a warning to click through, and
//! the hub's plain-HTTP address still works.

use super::{chain_der, covers, inspect, now};
use crate::db::Db;
use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio_rustls::rustls::{
    self,
    server::{ClientHello, ResolvesServerCert},
    sign::CertifiedKey,
};

/// How often the database's certificates are read again.
const RELOAD: Duration = Duration::from_secs(5);

/// One certificate held, with the names and dates it covers.
struct Held {
    names: Vec<String>,
    not_before: i64,
    not_after: i64,
    serial: String,
    key: Arc<CertifiedKey>,
}

/// What a hub's page says of its certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offered {
    pub not_after: i64,
    pub valid: bool,
}

/// The server's certificates.
pub struct Store {
    held: RwLock<Vec<Held>>,
    /// A hub's own name, once paired with a central that gave it one.
    hub_host: RwLock<Option<String>>,
    fixed: Option<Arc<CertifiedKey>>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("held", &self.held.read().map(|h| h.len()).unwrap_or(0))
            .field("fixed", &self.fixed.is_some())
            .finish()
    }
}

impl Store {
    /// A store whose fallback for every other name is `fixed` (the `--tls-cert` files).
    pub fn new(fixed: Option<Arc<CertifiedKey>>) -> Arc<Store> {
        Arc::new(Store {
            held: RwLock::default(),
            hub_host: RwLock::default(),
            fixed,
            provider: Arc::new(rustls::crypto::ring::default_provider()),
        })
    }

    /// A certificate and key from their DER and PEM forms.
    pub fn certified(&self, key_der: &[u8], chain_pem: &str) -> Option<Arc<CertifiedKey>> {
        let chain = chain_der(chain_pem).ok()?;
        let key = rustls::pki_types::PrivateKeyDer::try_from(key_der.to_vec()).ok()?;
        let signer = self.provider.key_provider.load_private_key(key).ok()?;
        Some(Arc::new(CertifiedKey::new(chain, signer)))
    }

    /// Replaces the database's certificates with `pairs` of key (DER) and chain (PEM); a
    /// pair that does not read is left out.
    pub fn set(&self, pairs: &[(Vec<u8>, String)]) {
        let held = pairs
            .iter()
            .filter_map(|(key, chain)| {
                let info = inspect(chain).ok()?;
                Some(Held {
                    names: info.names,
                    not_before: info.not_before,
                    not_after: info.not_after,
                    serial: info.serial,
                    key: self.certified(key, chain)?,
                })
            })
            .collect();
        *self.held.write().unwrap_or_else(|p| p.into_inner()) = held;
    }

    /// The serial numbers held, to tell whether a reload changed anything.
    fn serials(&self) -> Vec<String> {
        let held = self.held.read().unwrap_or_else(|p| p.into_inner());
        held.iter().map(|h| h.serial.clone()).collect()
    }

    /// What is held for `name`, valid or not.
    pub fn offered(&self, name: &str) -> Option<Offered> {
        let held = self.held.read().unwrap_or_else(|p| p.into_inner());
        let now = now();
        held.iter()
            .find(|h| covers(&h.names, name))
            .map(|h| Offered {
                not_after: h.not_after,
                valid: (h.not_before..h.not_after).contains(&now),
            })
    }

    /// A hub's own name and what it holds for it, if it has a name.
    pub fn hub_name(&self) -> Option<(String, Option<Offered>)> {
        let host = self
            .hub_host
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()?;
        let offered = self.offered(&host);
        Some((host, offered))
    }

    /// The address phones are given at a hub: its name over HTTPS, while it holds a valid
    /// certificate for it.
    pub fn hub_address(&self) -> Option<String> {
        match self.hub_name()? {
            (host, Some(offered)) if offered.valid => Some(format!("https://{host}")),
            _ => None,
        }
    }

    /// Reads the database's certificates now.
    pub async fn reload(&self, db: &Db) {
        match db
            .read(|c| Ok((stored(c)?, crate::hub::names::host(c)?)))
            .await
        {
            Ok((pairs, host)) => {
                *self.hub_host.write().unwrap_or_else(|p| p.into_inner()) = host;
                let before = self.serials();
                self.set(&pairs);
                if self.serials() != before {
                    tracing::info!(certificates = pairs.len(), "serving new certificates");
                }
            }
            Err(error) => tracing::warn!(%error, "reading the certificates"),
        }
    }

    /// Reads the database's certificates again every few seconds (the server reads them
    /// once itself before it listens).
    pub fn watch(self: &Arc<Self>, db: Db) {
        let store = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(RELOAD).await;
                store.reload(&db).await;
            }
        });
    }

    /// The TLS settings that serve from this store, offering HTTP/2 and HTTP/1.1.
    pub fn acceptor(self: &Arc<Self>) -> Result<tokio_rustls::TlsAcceptor, rustls::Error> {
        let resolver: Arc<dyn ResolvesServerCert> = Arc::clone(self) as _;
        let mut tls = rustls::ServerConfig::builder_with_provider(Arc::clone(&self.provider))
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_cert_resolver(resolver);
        tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(tokio_rustls::TlsAcceptor::from(Arc::new(tls)))
    }
}

impl ResolvesServerCert for Store {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        if let Some(name) = hello.server_name() {
            let held = self.held.read().unwrap_or_else(|p| p.into_inner());
            let now = now();
            let found = held
                .iter()
                .find(|h| (h.not_before..h.not_after).contains(&now) && covers(&h.names, name));
            if let Some(found) = found {
                return Some(Arc::clone(&found.key));
            }
        }
        self.fixed.clone()
    }
}

/// The certificate chain and key of `--tls-cert` and `--tls-key` (PEM files), checked to
/// belong together.
pub fn from_files(cert: &Path, key: &Path) -> std::io::Result<Arc<CertifiedKey>> {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};
    let invalid = |error: &dyn std::fmt::Display| {
        std::io::Error::new(std::io::ErrorKind::InvalidData, error.to_string())
    };
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        .map_err(|e| invalid(&e))?;
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| invalid(&e))?;
    let signer = rustls::crypto::ring::default_provider()
        .key_provider
        .load_private_key(key)
        .map_err(|e| invalid(&e))?;
    let certified = CertifiedKey::new(chain, signer);
    certified.keys_match().map_err(|e| invalid(&e))?;
    Ok(Arc::new(certified))
}

/// The key and chain pairs the database holds: a hub's own, and central's for the hub names.
pub fn stored(conn: &Connection) -> rusqlite::Result<Vec<(Vec<u8>, String)>> {
    conn.prepare(
        "SELECT tls_key, tls_chain FROM hub_self WHERE tls_key IS NOT NULL AND tls_chain IS NOT NULL
         UNION ALL
         SELECT key_der, chain FROM own_certificate WHERE key_der IS NOT NULL AND chain IS NOT NULL",
    )?
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}
