//! `passport serve`: the app on a socket. The listener ([`listen`]) caps and times out
//! connections; the edge ([`edge`]) decides what each request may claim about itself.

pub mod edge;
pub mod listen;

use crate::{config::Config, error::StartError, state::AppState};
use std::{path::Path, sync::Arc, time::Duration};
use tokio_rustls::{TlsAcceptor, rustls};

/// Connections served at once unless `--max-connections` says otherwise.
pub const MAX_CONNECTIONS: u32 = 4_096;
/// How long a client may take to send a request's head, or to start the next one.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for requests under way.
const GRACE: Duration = Duration::from_secs(10);

/// Builds the state `config` describes and serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), StartError> {
    let (state, site_root) = AppState::new(&config).await?;
    crate::offline::warm::spawn_watch(state.clone());
    crate::offline::warm::spawn_warm(&state);
    let tls = match &config.tls {
        Some(tls) => Some(acceptor(&tls.cert, &tls.key)?),
        None => None,
    };
    crate::staff::retention::spawn(state.db.clone(), config.retention);
    crate::seal::keyring::spawn_sweep(state.db.clone(), state.keyring.clone());
    // A hub whose database was copied or restored stops posing as the hub it was copied
    // from before it takes a single request.
    let path = state.db.path().to_owned();
    state
        .db
        .write(move |c| crate::hub::identity::check_placement(c, &path))
        .await?;
    if let Some(url) = &config.upstream {
        crate::hub::client::checked_url(url).map_err(|e| StartError::Usage(e.to_string()))?;
        crate::hub::sync::spawn(state.db.clone(), Some(url.clone()), config.sync_every);
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartError::Listen {
            addr: config.addr,
            source,
        })?;
    // The bound address, not the requested one: with port 0 the system picks the port.
    let addr = listener.local_addr().unwrap_or(config.addr);
    let limits = listen::Limits {
        max_connections: listen::connection_cap(config.max_connections),
        header_timeout: HEADER_TIMEOUT,
        grace: GRACE,
    };
    if config.allow_staff_over_http {
        tracing::warn!(
            "--allow-staff-over-http: staff passwords and sessions may cross the network in clear"
        );
    }
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(
        site = %site_root.display(),
        files = state.site.assets.file_count(),
        db = %state.db.path().display(),
        connections = limits.max_connections,
        "serving on {scheme}://{addr}"
    );
    let policy = edge::Policy {
        trusted_proxies: config.trusted_proxies.clone(),
        names: config.host_names(),
    };
    let router = crate::app::app(state);
    listen::run(listener, tls, router, policy, limits, shutdown_signal()).await;
    tracing::info!("stopped");
    Ok(())
}

/// The certificate chain and key for HTTPS, with rustls's `ring` provider, offering HTTP/2
/// and HTTP/1.1.
fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, StartError> {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};
    let failed = |source: std::io::Error| StartError::Tls {
        cert: cert.display().to_string(),
        key: key.display().to_string(),
        source,
    };
    let invalid = |error: &dyn std::fmt::Display| {
        failed(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            error.to_string(),
        ))
    };
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        .map_err(|e| invalid(&e))?;
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| invalid(&e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(&e))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| invalid(&e))?;
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(tls)))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests under way");
}
