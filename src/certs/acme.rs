//! Central's ACME client: orders certificates by DNS-01, since a hub is not on the internet
//! for the CA to reach. The DNS answer goes through a [`crate::dns::Provider`] (RFC 2136
//! first); the CA only ever sees the request the hub made, never the hub's key.

use crate::db::Db;
use crate::dns::Provider;
use instant_acme::{
    Account, AuthorizationStatus, ChallengeType, Identifier, NewAccount, NewOrder, OrderStatus,
    RetryPolicy, RevocationReason, RevocationRequest,
};
use rusqlite::OptionalExtension;
use std::{path::PathBuf, sync::Arc, time::Duration};

/// What central needs to order certificates.
#[derive(Clone)]
pub struct Settings {
    /// The CA's directory URL (Let's Encrypt's, or a test CA's).
    pub directory: String,
    /// A contact for the CA's notices, such as `mailto:it@example.org`.
    pub contact: Option<String>,
    /// A root to trust for the CA's own HTTPS (a private or test CA); else the system's.
    pub root: Option<PathBuf>,
    /// The CA's profile for short-lived certificates, where it has them (Let's Encrypt:
    /// `shortlived`, six days).
    pub profile: Option<String>,
    /// Where the DNS-01 answers are published.
    pub dns: Arc<dyn Provider>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("directory", &self.directory)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AcmeError {
    #[error("the CA: {0}")]
    Ca(#[from] instant_acme::Error),
    #[error("the DNS update: {0}")]
    Dns(String),
    #[error("the CA found the DNS answer for {0} wrong or missing")]
    Invalid(String),
    #[error(transparent)]
    Certificate(#[from] super::CertError),
    #[error("the database: {0}")]
    Db(String),
}

/// How long to wait for the CA to check the DNS answers and to issue.
const POLL: RetryPolicy = RetryPolicy::new()
    .initial_delay(Duration::from_millis(250))
    .backoff(1.5)
    .timeout(Duration::from_secs(120));

/// An ACME account, made on first use and kept in the database.
pub struct Orderer {
    account: Account,
    settings: Settings,
}

impl Orderer {
    /// The account for `settings.directory`: the stored one, else a new one, stored.
    pub async fn connect(db: &Db, settings: Settings) -> Result<Orderer, AcmeError> {
        let directory = settings.directory.clone();
        let stored: Option<String> = db
            .read(move |c| {
                c.query_row(
                    "SELECT credentials FROM acme_account WHERE directory = ?1",
                    [&directory],
                    |r| r.get(0),
                )
                .optional()
            })
            .await
            .map_err(|e| AcmeError::Db(e.to_string()))?;
        let builder = match &settings.root {
            Some(root) => Account::builder_with_root(root)?,
            None => Account::builder()?,
        };
        if let Some(credentials) = stored.and_then(|s| serde_json::from_str(&s).ok()) {
            let account = builder.from_credentials(credentials).await?;
            return Ok(Orderer { account, settings });
        }
        let contact: Vec<&str> = settings.contact.as_deref().into_iter().collect();
        let (account, credentials) = builder
            .create(
                &NewAccount {
                    contact: &contact,
                    terms_of_service_agreed: true,
                    only_return_existing: false,
                },
                settings.directory.clone(),
                None,
            )
            .await?;
        let credentials =
            serde_json::to_string(&credentials).map_err(|e| AcmeError::Db(e.to_string()))?;
        let directory = settings.directory.clone();
        db.write(move |c| {
            c.execute(
                "INSERT OR REPLACE INTO acme_account (directory, credentials, created_at)
                 VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                [&directory, &credentials],
            )
        })
        .await
        .map_err(|e| AcmeError::Db(e.to_string()))?;
        tracing::info!(directory = %settings.directory, "made an ACME account");
        Ok(Orderer { account, settings })
    }

    /// Orders a certificate for `names` with the request `csr` (DER): publishes each DNS
    /// answer, lets the CA check it, and returns the chain (PEM). The answers are taken out
    /// of DNS again whatever happens.
    pub async fn order(&self, names: &[String], csr: &[u8]) -> Result<String, AcmeError> {
        let identifiers: Vec<Identifier> = names.iter().cloned().map(Identifier::Dns).collect();
        let mut new_order = NewOrder::new(&identifiers);
        if let Some(profile) = &self.settings.profile {
            new_order = new_order.profile(profile);
        }
        let mut order = self.account.new_order(&new_order).await?;
        let mut published = Vec::new();
        let answered = self.answer(&mut order, &mut published).await;
        let issued = match answered {
            Ok(()) => finish(&mut order, csr).await,
            Err(error) => Err(error),
        };
        for (name, value) in published {
            if let Err(error) = self.settings.dns.remove_txt(&name, &value).await {
                tracing::warn!(%error, name, "taking an ACME answer out of DNS");
            }
        }
        issued
    }

    /// Publishes the DNS answer of every pending authorisation and tells the CA to check.
    async fn answer(
        &self,
        order: &mut instant_acme::Order,
        published: &mut Vec<(String, String)>,
    ) -> Result<(), AcmeError> {
        let mut authorizations = order.authorizations();
        while let Some(authorization) = authorizations.next().await {
            let mut authorization = authorization?;
            if authorization.status != AuthorizationStatus::Pending {
                continue;
            }
            let mut challenge = authorization
                .challenge(ChallengeType::Dns01)
                .ok_or_else(|| AcmeError::Dns("the CA offers no DNS-01 challenge".into()))?;
            let Identifier::Dns(domain) = challenge.identifier().identifier.clone() else {
                return Err(AcmeError::Dns("only DNS names are ordered".into()));
            };
            let name = format!("_acme-challenge.{domain}");
            let value = challenge.key_authorization().dns_value();
            self.settings
                .dns
                .set_txt(&name, &value)
                .await
                .map_err(AcmeError::Dns)?;
            published.push((name, value));
            challenge.set_ready().await?;
        }
        Ok(())
    }

    /// Revokes a certificate this account ordered (a hub revoked at central). The reason is
    /// key compromise: a hub is revoked because its laptop is lost, seized or in doubt, and
    /// Let's Encrypt asks subscribers to say so then.
    pub async fn revoke(&self, chain_pem: &str) -> Result<(), AcmeError> {
        let chain = super::chain_der(chain_pem)?;
        self.account
            .revoke(&RevocationRequest {
                certificate: &chain[0],
                reason: Some(RevocationReason::KeyCompromise),
            })
            .await?;
        Ok(())
    }
}

/// Waits for the CA to find the answers, sends the request and waits for the chain.
async fn finish(order: &mut instant_acme::Order, csr: &[u8]) -> Result<String, AcmeError> {
    let status = order.poll_ready(&POLL).await?;
    if status != OrderStatus::Ready {
        let names = order.url().to_owned();
        return Err(AcmeError::Invalid(names));
    }
    order.finalize_csr(csr).await?;
    Ok(order.poll_certificate(&POLL).await?)
}
