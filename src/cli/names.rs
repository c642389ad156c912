//! `serve`'s options for hubs' names: HTTPS with the certificates the database holds, a
//! hub's DNS answer for its own name, and central's ACME settings.

use crate::{certs::acme::Settings, config::Config, error::StartError};
use clap::Args;
use std::{net::SocketAddr, path::PathBuf, sync::Arc};

#[derive(Debug, Args)]
pub struct NamesArgs {
    /// Also serve HTTPS here with the certificates central handed over (a hub: 0.0.0.0:443)
    /// or, at central, its own for the hub names and the --tls-cert files for other names.
    #[arg(long, env = "PASSPORT_HTTPS")]
    pub https: Option<SocketAddr>,
    /// A hub: answer DNS here (0.0.0.0:53) for the hub's own name with this laptop's
    /// address, so phones on its hotspot reach it by that name. No other name is answered.
    #[arg(long, env = "PASSPORT_DNS")]
    pub dns: Option<SocketAddr>,
    /// Central: the domain hubs' names are under (hubs.example.org); in public DNS,
    /// *.hubs.example.org points at central.
    #[arg(long, env = "PASSPORT_HUB_DOMAIN", value_parser = super::parse::host_name)]
    pub hub_domain: Option<String>,
    /// Central: the ACME CA's directory, to order the hubs' certificates from by DNS-01
    /// (https://acme-v02.api.letsencrypt.org/directory). Needs the --dns-update options.
    #[arg(
        long,
        env = "PASSPORT_ACME_DIRECTORY",
        requires_all = ["hub_domain", "dns_update", "dns_zone", "dns_key"]
    )]
    pub acme_directory: Option<String>,
    /// A contact address for the CA's notices (mailto:it@example.org).
    #[arg(long, env = "PASSPORT_ACME_CONTACT")]
    pub acme_contact: Option<String>,
    /// A root certificate (PEM) to trust for the CA's own HTTPS: a private or test CA.
    #[arg(long, env = "PASSPORT_ACME_ROOT")]
    pub acme_root: Option<PathBuf>,
    /// The CA's profile for short-lived certificates (Let's Encrypt: shortlived, 6 days).
    #[arg(long, env = "PASSPORT_ACME_PROFILE")]
    pub acme_profile: Option<String>,
    /// The DNS server that takes RFC 2136 updates for --dns-zone (192.0.2.53:53).
    #[arg(long, env = "PASSPORT_DNS_UPDATE")]
    pub dns_update: Option<SocketAddr>,
    /// The zone the ACME answers go in (hubs.example.org).
    #[arg(long, env = "PASSPORT_DNS_ZONE", value_parser = super::parse::host_name)]
    pub dns_zone: Option<String>,
    /// The TSIG key (hmac-sha256) that signs the updates, as `tsig-keygen` writes it.
    #[arg(long, env = "PASSPORT_DNS_KEY")]
    pub dns_key: Option<PathBuf>,
}

impl NamesArgs {
    /// Puts these settings into `config`, reading the TSIG key.
    pub fn apply(&self, config: &mut Config) -> Result<(), StartError> {
        config.https = self.https;
        config.dns = self.dns;
        config.hub_domain = self.hub_domain.clone();
        let (Some(directory), Some(server), Some(zone), Some(key)) = (
            &self.acme_directory,
            self.dns_update,
            &self.dns_zone,
            &self.dns_key,
        ) else {
            return Ok(());
        };
        let key = crate::dns::update::TsigKey::from_file(key)
            .map_err(|e| StartError::Usage(format!("--dns-key: {e}")))?;
        let provider = crate::dns::update::Rfc2136 {
            server,
            zone: zone.clone(),
            key,
        };
        config.acme = Some(Settings {
            directory: directory.clone(),
            contact: self.acme_contact.clone(),
            root: self.acme_root.clone(),
            profile: self.acme_profile.clone(),
            dns: Arc::new(provider),
        });
        Ok(())
    }
}
