//! The hub names at start. A hub with a name answers DNS for it on the event's network
//! (`--dns`); central with ACME settings keeps the hubs' certificates, and its own for all
//! hub names when it serves HTTPS itself.

use crate::{config::Config, error::StartError, state::AppState};

/// Starts what the hub names need; returns the hub's own name, which it answers to.
pub async fn start(config: &Config, state: &AppState) -> Result<Option<String>, StartError> {
    let (is_hub, host) = state
        .db
        .read(|c| {
            Ok((
                crate::hub::identity::is_hub(c)?,
                crate::hub::names::host(c)?,
            ))
        })
        .await?;
    if let Some(addr) = config.dns {
        let Some(name) = host.clone() else {
            return Err(StartError::Usage(
                "--dns answers for the hub's own name, and this database has none: pair it with \
                 a central that gave the hub a name (passport hubs add NAME --domain DOMAIN)"
                    .into(),
            ));
        };
        let socket = tokio::net::UdpSocket::bind(addr)
            .await
            .map_err(|source| StartError::Listen { addr, source })?;
        tracing::info!(%addr, %name, "answering DNS for the hub's name");
        tokio::spawn(async move {
            if let Err(error) = crate::dns::responder::serve(socket, name).await {
                tracing::error!(%error, "the DNS responder stopped");
            }
        });
    }
    if let Some(settings) = &config.acme {
        if is_hub {
            return Err(StartError::Usage(
                "a hub orders no certificates: central orders them and hands them over".into(),
            ));
        }
        let serves_https = config.tls.is_some() || config.https.is_some();
        let own = config
            .hub_domain
            .as_ref()
            .filter(|_| serves_https)
            .map(|domain| format!("*.{domain}"));
        crate::certs::renew::spawn(
            state.db.clone(),
            settings.clone(),
            own,
            state.certs_wake.clone(),
        );
    }
    Ok(host)
}
