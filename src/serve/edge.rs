//! What a request may claim about itself, decided once where it enters: who sent it, whether
//! it came over TLS, and which of our own names it asked for. Everything inside the app reads
//! the answer and never the raw headers.
//!
//! - `X-Forwarded-For` and `X-Forwarded-Proto` count only from a `--trusted-proxy`; from
//!   anyone else they are removed, so no client can pick its own rate-limit bucket, add HSTS
//!   to a plain answer, or make the share page's QR code name `https`.
//! - `Host` must be one of the server's own names: the address the connection reached, a
//!   `--host` name, or the `--public-url` host. Any other is replaced by the address the
//!   connection reached, so a flood of made-up hosts renders one page, not thousands.
//! - IPv4 clients on a dual-stack listener arrive as `::ffff:a.b.c.d`: they are counted as
//!   the IPv4 address they are.

use axum::{
    extract::{ConnectInfo, Request},
    http::{HeaderValue, header},
};
use std::net::{IpAddr, SocketAddr};

/// The marker the app reads to know a request came over HTTPS (`web::over_tls`). Only this
/// module sets it; a client's own is removed.
pub const PROTO: &str = "x-forwarded-proto";
const FORWARDED_FOR: &str = "x-forwarded-for";

/// How the edge treats what requests say about themselves.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Peers whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Names the server answers to besides its own addresses, lower-case, without a port.
    pub names: Vec<String>,
}

/// One accepted connection, as the listener saw it.
#[derive(Debug, Clone)]
pub struct Connection {
    pub peer: SocketAddr,
    /// The address of ours the peer reached (with 0.0.0.0, the interface it came in on).
    pub local: SocketAddr,
    pub tls: bool,
    /// `local` as a `Host`, made once per connection rather than once per request.
    ours: HeaderValue,
}

impl Connection {
    pub fn new(peer: SocketAddr, local: SocketAddr, tls: bool) -> Connection {
        // The scheme's own port goes unsaid, as a browser says it (`http://10.42.0.1/`).
        let port = match (local.port(), tls) {
            (80, false) | (443, true) => String::new(),
            (port, _) => format!(":{port}"),
        };
        let ours = match local.ip().to_canonical() {
            IpAddr::V6(ip) => format!("[{ip}]{port}"),
            ip => format!("{ip}{port}"),
        };
        Connection {
            peer,
            local,
            tls,
            ours: HeaderValue::from_str(&ours).unwrap_or(HeaderValue::from_static("localhost")),
        }
    }
}

/// Whether the request may reach the staff side: over HTTPS, or from this machine itself
/// (not through a proxy). Set on every request that came through the listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transport {
    pub private: bool,
}

impl Transport {
    /// Whether `request` came through the listener in clear from another machine. Requests
    /// made in-process carry no [`Transport`] and are not.
    pub fn in_clear(request: &Request) -> bool {
        request
            .extensions()
            .get::<Transport>()
            .is_some_and(|transport| !transport.private)
    }
}

/// Rewrites `request`'s client address, scheme marker and `Host` as [`Policy`] allows, and
/// records them in its extensions for the handlers (`ConnectInfo`, [`Transport`]).
pub fn admit(request: &mut Request, connection: &Connection, policy: &Policy) {
    let peer = connection.peer.ip().to_canonical();
    // A proxy always names the client it forwards for; a request from a proxy's address
    // without `X-Forwarded-For` came from that machine itself.
    let proxied =
        policy.trusted_proxies.contains(&peer) && request.headers().contains_key(FORWARDED_FOR);
    let headers = request.headers_mut();
    let (client, https) = if proxied {
        let client = forwarded_client(headers, policy).unwrap_or(peer);
        let https = connection.tls
            || headers
                .get(PROTO)
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
        (client, https)
    } else {
        (peer, connection.tls)
    };
    headers.remove(FORWARDED_FOR);
    headers.remove(PROTO);
    headers.remove(header::FORWARDED);
    if https {
        headers.insert(PROTO, HeaderValue::from_static("https"));
    }
    let asked = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    let from_header = request.headers().contains_key(header::HOST);
    match own_host(asked, connection, policy) {
        // Asked already as we spell it: nothing to rewrite.
        None if from_header => {}
        None => {
            let asked = asked.and_then(|a| HeaderValue::from_str(a).ok());
            if let Some(asked) = asked {
                request.headers_mut().insert(header::HOST, asked);
            }
        }
        Some(host) => {
            request.headers_mut().insert(header::HOST, host);
        }
    }
    let local_user = peer.is_loopback() && !proxied;
    let extensions = request.extensions_mut();
    extensions.insert(ConnectInfo(SocketAddr::new(client, connection.peer.port())));
    extensions.insert(Transport {
        private: https || local_user,
    });
}

/// The client a trusted proxy names: the right-most address in `X-Forwarded-For` that is
/// not itself a trusted proxy (the entries to its left are the client's own claims).
fn forwarded_client(headers: &axum::http::HeaderMap, policy: &Policy) -> Option<IpAddr> {
    let listed: Vec<&str> = headers
        .get_all(FORWARDED_FOR)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    listed
        .iter()
        .rev()
        .map(|entry| entry.parse::<IpAddr>().ok().map(|ip| ip.to_canonical()))
        .find(|ip| ip.is_none_or(|ip| !policy.trusted_proxies.contains(&ip)))
        .flatten()
}

/// The `Host` the app renders with, when it is not `asked` as it stands (`None`): a name of
/// ours as asked for, in one spelling per name, else the address the connection reached
/// (which is also how an address of ours is asked).
fn own_host(asked: Option<&str>, connection: &Connection, policy: &Policy) -> Option<HeaderValue> {
    let ours = || Some(connection.ours.clone());
    let Some(asked) = asked else {
        return ours();
    };
    if asked.as_bytes() == connection.ours.as_bytes() {
        return None;
    }
    let (name, port) = split_port(asked);
    let local = connection.local;
    let same_port = port == Some(local.port());
    let is_local_name = name.eq_ignore_ascii_case("localhost") && local.ip().is_loopback();
    let named = crate::certs::covers(&policy.names, name);
    if !((named || is_local_name) && (same_port || port.is_none())) {
        return ours();
    }
    // One spelling: lower case, and the port only when it is ours.
    let tidy = !asked.bytes().any(|b| b.is_ascii_uppercase()) && (port.is_none() || same_port);
    if tidy && (same_port || !asked.contains(':')) {
        return None;
    }
    let spelled = if same_port {
        format!("{}:{}", name.to_ascii_lowercase(), local.port())
    } else {
        name.to_ascii_lowercase()
    };
    HeaderValue::from_str(&spelled).ok().or_else(ours)
}

/// `name:port` as the name and the port, when there is a valid one.
fn split_port(host: &str) -> (&str, Option<u16>) {
    match host.rsplit_once(':') {
        Some((name, port))
            if !name.ends_with(':') && (!name.contains(':') || name.ends_with(']')) =>
        {
            (name, port.parse().ok())
        }
        _ => (host, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    const LOCAL: &str = "192.168.1.20:3000";

    fn request(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::get("/en/share");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).expect("request")
    }

    fn admitted(peer: &str, headers: &[(&str, &str)], policy: &Policy) -> Request {
        let mut request = request(headers);
        let connection = Connection::new(
            peer.parse().expect("peer"),
            LOCAL.parse().expect("local"),
            false,
        );
        admit(&mut request, &connection, policy);
        request
    }

    fn client(request: &Request) -> IpAddr {
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .expect("client")
            .0
            .ip()
    }

    fn host(request: &Request) -> &str {
        request.headers()[header::HOST].to_str().expect("host")
    }

    #[test]
    fn a_made_up_host_is_replaced_by_the_address_the_connection_reached() {
        let policy = Policy {
            names: vec!["hub.lan".into()],
            ..Policy::default()
        };
        for asked in [
            "evil.example",
            "h17.example:3000",
            "192.168.1.20:9",
            "hub.lan:81",
        ] {
            let request = admitted("192.168.1.50:5000", &[("host", asked)], &policy);
            assert_eq!(host(&request), LOCAL, "{asked}");
        }
        for (asked, kept) in [
            ("192.168.1.20:3000", LOCAL),
            ("HUB.lan:3000", "hub.lan:3000"),
            ("hub.lan:3000", "hub.lan:3000"),
            ("hub.lan", "hub.lan"),
            ("Hub.Lan", "hub.lan"),
            ("hub.lan:x", "hub.lan"),
            ("localhost:3000", LOCAL),
        ] {
            let request = admitted("192.168.1.50:5000", &[("host", asked)], &policy);
            assert_eq!(host(&request), kept, "{asked}");
        }
        let no_host = admitted("192.168.1.50:5000", &[], &policy);
        assert_eq!(host(&no_host), LOCAL);
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_proxy() {
        let policy = Policy {
            trusted_proxies: vec!["10.0.0.1".parse().expect("ip")],
            ..Policy::default()
        };
        let claims = [
            ("x-forwarded-for", "203.0.113.9, 198.51.100.7"),
            ("x-forwarded-proto", "https"),
        ];
        let stranger = admitted("192.168.1.50:5000", &claims, &policy);
        assert_eq!(
            client(&stranger),
            "192.168.1.50".parse::<IpAddr>().expect("ip")
        );
        assert!(!stranger.headers().contains_key(PROTO));
        assert!(!stranger.headers().contains_key(FORWARDED_FOR));
        assert!(!stranger.extensions().get::<Transport>().expect("t").private);

        let proxied = admitted("10.0.0.1:5000", &claims, &policy);
        assert_eq!(
            client(&proxied),
            "198.51.100.7".parse::<IpAddr>().expect("ip")
        );
        assert_eq!(proxied.headers()[PROTO], "https");
        assert!(proxied.extensions().get::<Transport>().expect("t").private);

        let plain_proxy = admitted(
            "10.0.0.1:5000",
            &[("x-forwarded-for", "198.51.100.7")],
            &policy,
        );
        assert!(
            !plain_proxy
                .extensions()
                .get::<Transport>()
                .expect("t")
                .private
        );
    }

    #[test]
    fn mapped_ipv4_clients_are_their_ipv4_address_and_loopback_is_private() {
        let policy = Policy::default();
        let mapped = admitted("[::ffff:203.0.113.9]:5000", &[], &policy);
        assert_eq!(
            client(&mapped),
            "203.0.113.9".parse::<IpAddr>().expect("ip")
        );
        let local = admitted("127.0.0.1:5000", &[], &policy);
        assert!(local.extensions().get::<Transport>().expect("t").private);
        let mapped_loopback = admitted("[::ffff:127.0.0.1]:5000", &[], &policy);
        assert!(
            mapped_loopback
                .extensions()
                .get::<Transport>()
                .expect("t")
                .private
        );
    }
}
