//! The settings `passport serve` runs with, as plain data. The command line fills them in
//! (`cli.rs`); tests write them out. Nothing here knows about HTTP or the database.

use crate::help::limit::Rate;
use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4},
    path::{Path, PathBuf},
};

/// Where `serve` listens unless told otherwise.
pub const DEFAULT_ADDR: SocketAddr =
    SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 1), 3000));

/// Where quick exit goes unless told otherwise: a neutral site.
pub const DEFAULT_EXIT_URL: &str = "https://www.bbc.com/weather";

/// Where the server listens, what it serves, and how it behaves.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// The SQLite database file; created if missing.
    pub db: PathBuf,
    /// The built site folder; `None` looks beside the program (see [`Config::site_root`]).
    pub site: Option<PathBuf>,
    /// Where quick exit sends the person.
    pub exit_url: String,
    /// The app's public address, without a trailing slash.
    pub public_url: Option<String>,
    /// Event mode's idle time in seconds; `None` outside event mode.
    pub event_idle: Option<u32>,
    /// HTTPS: the certificate chain and its private key (PEM).
    pub tls: Option<Tls>,
    /// How long help requests are kept: after closing, and if never closed.
    pub retention: crate::staff::retention::Periods,
    /// Keep rendered public pages per content version (off only for measuring the render).
    pub page_cache: bool,
    /// How often one address may send help requests.
    pub help_rate: Rate,
    /// Names the server answers to besides its addresses and the public URL's host.
    pub hosts: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Let the staff side answer over plain HTTP from other machines (a closed lab network).
    pub allow_staff_over_http: bool,
    /// Connections served at once, at most; kept below the open-file limit.
    pub max_connections: usize,
    /// A hub's central, to sync with in the background.
    pub upstream: Option<String>,
    /// Time between a hub's syncs while central answers.
    pub sync_every: std::time::Duration,
    /// Scheduled backups (`--backups DIR`), if any.
    pub backups: Option<crate::ops::Schedule>,
    /// Alerts for new help requests, at central.
    pub alerts: Option<crate::alerts::Settings>,
    /// A second listener, for HTTPS with the certificates the database holds (a hub's own,
    /// or central's for the hub names).
    pub https: Option<SocketAddr>,
    /// Where a hub answers DNS for its own name.
    pub dns: Option<SocketAddr>,
    /// The domain hubs' names are under, at central (`hubs.example.org`).
    pub hub_domain: Option<String>,
    /// How central orders the hubs' certificates.
    pub acme: Option<crate::certs::acme::Settings>,
}

#[derive(Debug, Clone)]
pub struct Tls {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl Config {
    /// Settings for a server on `db` and `site` with every other setting at its default.
    pub fn new(db: PathBuf, site: Option<PathBuf>) -> Config {
        Config {
            addr: DEFAULT_ADDR,
            db,
            site,
            exit_url: DEFAULT_EXIT_URL.to_owned(),
            public_url: None,
            event_idle: None,
            tls: None,
            retention: crate::staff::retention::Periods::default(),
            page_cache: true,
            help_rate: Rate::default(),
            hosts: Vec::new(),
            trusted_proxies: Vec::new(),
            allow_staff_over_http: false,
            max_connections: crate::serve::MAX_CONNECTIONS as usize,
            upstream: None,
            sync_every: std::time::Duration::from_secs(30),
            backups: None,
            alerts: None,
            https: None,
            dns: None,
            hub_domain: None,
            acme: None,
        }
    }

    /// Every name the server answers to, lower-case and without a port: the `--host` names
    /// and the public URL's host.
    pub fn host_names(&self) -> Vec<String> {
        let public = self.public_url.as_deref().and_then(|url| {
            let rest = url.split_once("://")?.1;
            let authority = rest.split('/').next()?;
            let host = match authority.rsplit_once(':') {
                Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
                _ => authority,
            };
            Some(host.to_ascii_lowercase())
        });
        let mut names: Vec<String> = self.hosts.iter().map(|h| h.to_ascii_lowercase()).collect();
        names.extend(public);
        // Central answers every hub's name, which public DNS points at it.
        names.extend(self.hub_domain.as_ref().map(|d| format!("*.{d}")));
        names.sort();
        names.dedup();
        names
    }

    /// The site folder to serve: the one given, else `site/` beside the program when it
    /// has been copied somewhere, or `../site` where `cargo leptos build` leaves both
    /// (`target/release/passport`, `target/site`). `Err` lists the places looked in.
    pub fn site_root(&self) -> Result<PathBuf, String> {
        site_root(self.site.as_deref())
    }
}

/// The site folder: `given`, else the one beside the program (see [`Config::site_root`]).
pub fn site_root(given: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(dir) = given {
        return Ok(dir.to_path_buf());
    }
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let candidates = [exe_dir.join("site"), exe_dir.join("../site")];
    candidates
        .iter()
        .find_map(|dir| dir.canonicalize().ok().filter(|dir| dir.is_dir()))
        .ok_or_else(|| {
            candidates
                .iter()
                .map(|c| c.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        })
}
