//! `passport serve`: the app on a socket. The listener ([`listen`]) caps and times out
//! connections; the edge ([`edge`]) decides what each request may claim about itself.

pub mod edge;
pub mod listen;
pub mod names;

use crate::{config::Config, error::StartError, state::AppState};
use std::time::Duration;
use tokio_rustls::TlsAcceptor;

/// Connections served at once unless `--max-connections` says otherwise.
pub const MAX_CONNECTIONS: u32 = 4_096;
/// How long a client may take to send a request's head, or to start the next one.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for requests under way.
const GRACE: Duration = Duration::from_secs(10);

/// Builds the state `config` describes and serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), StartError> {
    // Held until the server exits: a restore, or a second server, waits for that.
    let _held = match crate::ops::lock(&config.db) {
        Ok(Some(held)) => held,
        Ok(None) => {
            return Err(StartError::Usage(format!(
                "another passport server is running on {}",
                config.db.display()
            )));
        }
        Err(source) => {
            return Err(StartError::File {
                path: config.db.display().to_string(),
                source,
            });
        }
    };
    let (state, site_root) = AppState::new(&config).await?;
    if let Some(schedule) = config.backups.clone() {
        crate::ops::spawn_backups(state.db.clone(), schedule);
    }
    if config.alerts.is_some() && config.upstream.is_some() {
        return Err(StartError::Usage(
            "alerts are sent by central: a hub forwards its requests there".into(),
        ));
    }
    if let Some(sender) =
        crate::alerts::prepare(&state.db, &state.alerts, config.public_url.clone()).await?
    {
        crate::alerts::spawn(
            state.db.clone(),
            state.site.clone(),
            state.alerts.clone(),
            sender,
        );
    }
    crate::offline::warm::spawn_watch(state.clone());
    crate::offline::warm::spawn_warm(&state);
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
    state.site.certs.reload(&state.db).await;
    state.site.certs.watch(state.db.clone());
    let own_name = names::start(&config, &state).await?;
    let listener = bind(config.addr).await?;
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
    let tls = match &config.tls {
        Some(_) => Some(acceptor(&state)?),
        None => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(
        site = %site_root.display(),
        files = state.site.assets.file_count(),
        db = %state.db.path().display(),
        connections = limits.max_connections,
        "serving on {scheme}://{addr}"
    );
    let mut names = config.host_names();
    names.extend(own_name);
    let policy = edge::Policy {
        trusted_proxies: config.trusted_proxies.clone(),
        names,
    };
    let https = match config.https {
        Some(addr) => Some((bind(addr).await?, acceptor(&state)?)),
        None => None,
    };
    let router = crate::app::app(state);
    let (stop, stopping) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    let until = |mut stopping: tokio::sync::watch::Receiver<bool>| async move {
        let _ = stopping.wait_for(|stop| *stop).await;
    };
    let main = listen::run(
        listener,
        tls,
        router.clone(),
        policy.clone(),
        limits,
        until(stopping.clone()),
    );
    match https {
        Some((listener, acceptor)) => {
            let addr = listener.local_addr().ok();
            tracing::info!(?addr, "serving the hub names over https");
            let second = listen::run(
                listener,
                Some(acceptor),
                router,
                policy,
                limits,
                until(stopping),
            );
            tokio::join!(main, second);
        }
        None => main.await,
    }
    tracing::info!("stopped");
    Ok(())
}

async fn bind(addr: std::net::SocketAddr) -> Result<tokio::net::TcpListener, StartError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Listen { addr, source })
}

fn acceptor(state: &AppState) -> Result<TlsAcceptor, StartError> {
    state
        .site
        .certs
        .acceptor()
        .map_err(|e| StartError::Usage(e.to_string()))
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
