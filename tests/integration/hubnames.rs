//! A hub's own name and certificate, in process: central names the hub at pairing, keeps
//! only a request for that name, hands the certificate over in the bundle, and the hub takes
//! only one for its own key; the server offers each certificate by name, never an expired one.

use crate::common::{Fixture, text};
use crate::hub::{ask, paired_under};
use axum::http::StatusCode;
use passport::certs::{self, store::Store};
use passport::hub::{self, Status, bundle};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use std::sync::Arc;
use tokio_rustls::rustls::{self, pki_types::ServerName};

/// A CA of the test's own and a chain it issued for `name` and `key_der`, valid over
/// `from..until` (seconds since 1970): (chain, CA certificate), PEM.
fn issued(key_der: &[u8], name: &str, from: i64, until: i64) -> (String, String) {
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().expect("key");
    let ca = CertifiedIssuer::self_signed(ca, ca_key).expect("ca");
    let mut leaf = CertificateParams::new(vec![name.to_owned()]).expect("params");
    let time = |unix| {
        x509_parser::time::ASN1Time::from_timestamp(unix)
            .expect("time")
            .to_datetime()
    };
    leaf.not_before = time(from);
    leaf.not_after = time(until);
    let key = KeyPair::try_from(key_der).expect("key");
    let cert = leaf.signed_by(&key, &ca).expect("leaf");
    (cert.pem(), ca.pem())
}

async fn hub_key(hub: &Fixture) -> Vec<u8> {
    hub.db
        .read(|c| c.query_row("SELECT tls_key FROM hub_self", [], |r| r.get(0)))
        .await
        .expect("key")
}

async fn csr(hub: &Fixture) -> String {
    let der = hub
        .db
        .read(|c| Ok(hub::names::request(c)))
        .await
        .expect("db")
        .expect("request")
        .expect("a name");
    serde_json::json!({ "csr": hub::b64(&der) }).to_string()
}

#[tokio::test]
async fn a_named_hub_asks_for_its_name_only_and_takes_only_a_certificate_for_its_own_key() {
    let (central, hub, token) = paired_under("names", Some("hubs.test")).await;
    let host: String = hub
        .db
        .read(|c| c.query_row("SELECT host FROM hub_self", [], |r| r.get(0)))
        .await
        .expect("host");
    assert_eq!(host, "hall.hubs.test", "central named the hub at pairing");

    let (status, _) = ask(
        &central,
        "POST",
        "/hub/v1/certificate",
        &token,
        csr(&hub).await,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let other = certs::new_key().expect("key");
    let wrong = certs::request(&other, &["market.hubs.test".to_owned()]).expect("csr");
    let wrong = serde_json::json!({ "csr": hub::b64(&wrong) }).to_string();
    let (status, body) = ask(&central, "POST", "/hub/v1/certificate", &token, wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("market.hubs.test"));

    // What the CA would issue for the hub's request, stored as the keeper stores it.
    let now = certs::now();
    let (chain, _) = issued(&hub_key(&hub).await, &host, now - 60, now + 6 * 86_400);
    let serial = certs::inspect(&chain).expect("info").serial;
    let stored = chain.clone();
    central
        .db
        .write(move |c| {
            c.execute(
                "UPDATE hub SET cert_chain = ?1, cert_serial = ?2 WHERE name = 'hall'",
                [&stored, &serial],
            )
        })
        .await
        .expect("stored");
    let (_, body) = ask(&central, "GET", "/hub/v1/status", &token, String::new()).await;
    let status: Status = serde_json::from_str(&body).expect("status");
    assert_eq!(
        status.certificate.as_deref(),
        Some(&*certs::inspect(&chain).expect("info").serial)
    );
    let (_, bundle_bytes) = ask(
        &central,
        "GET",
        "/hub/v1/bundle?since=0",
        &token,
        String::new(),
    )
    .await;
    hub.db
        .write(move |c| Ok(bundle::apply(c, bundle_bytes.as_bytes())))
        .await
        .expect("db")
        .expect("applied");
    let held = hub.db.read(hub::names::serial).await.expect("serial");
    assert_eq!(held, status.certificate, "the hub took its certificate");

    // A certificate for another key (a mix-up, or a forged row) is not taken.
    let (foreign, _) = issued(&other, &host, now - 60, now + 7 * 86_400);
    let taken = hub
        .db
        .write(move |c| hub::names::take(c, &foreign))
        .await
        .expect("db");
    assert!(!taken);
    assert_eq!(hub.db.read(hub::names::serial).await.expect("serial"), held);
}

/// A TLS handshake with `store` asking for `name`, trusting `ca`: the certificate it got.
async fn handshake(store: &Arc<Store>, name: &'static str, ca: &str) -> Option<String> {
    let acceptor = store.acceptor().expect("acceptor");
    let (client, server) = tokio::io::duplex(64 * 1024);
    tokio::spawn(async move { acceptor.accept(server).await });
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(certs::chain_der(ca).expect("ca").remove(0))
        .expect("root");
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let name = ServerName::try_from(name).expect("name");
    let stream = connector.connect(name, client).await.ok()?;
    let cert = stream.get_ref().1.peer_certificates()?.first()?.clone();
    let (_, parsed) = x509_parser::parse_x509_certificate(&cert).ok()?;
    Some(parsed.raw_serial_as_string().replace(':', ""))
}

#[tokio::test]
async fn the_server_offers_each_certificate_by_name_and_never_an_expired_one() {
    let now = certs::now();
    let good_key = certs::new_key().expect("key");
    let (good, good_ca) = issued(&good_key, "hall.hubs.test", now - 60, now + 86_400);
    let old_key = certs::new_key().expect("key");
    let (old, old_ca) = issued(&old_key, "market.hubs.test", now - 86_400, now - 60);
    let store = Store::new(None);
    store.set(&[(good_key, good.clone()), (old_key, old)]);
    let serial = certs::inspect(&good).expect("info").serial;
    assert_eq!(
        handshake(&store, "hall.hubs.test", &good_ca).await,
        Some(serial)
    );
    assert_eq!(
        handshake(&store, "market.hubs.test", &old_ca).await,
        None,
        "an expired certificate is never offered"
    );
    assert!(!store.offered("market.hubs.test").expect("held").valid);
    assert_eq!(handshake(&store, "other.example.org", &good_ca).await, None);
}

#[tokio::test]
async fn a_hub_without_a_good_certificate_says_so_on_its_share_page() {
    let (_central, hub, _) = paired_under("names-share", Some("hubs.test")).await;
    hub.app.site.certs.reload(&hub.db).await;
    let page = text(hub.get("/en/share", &[]).await).await;
    assert!(
        page.contains("no certificate for hall.hubs.test yet"),
        "{page}"
    );
    let now = certs::now();
    let key = hub_key(&hub).await;
    let (expired, _) = issued(&key, "hall.hubs.test", now - 86_400, now - 60);
    hub.db
        .write(move |c| c.execute("UPDATE hub_self SET tls_chain = ?1", [&expired]))
        .await
        .expect("stored");
    hub.app.site.certs.reload(&hub.db).await;
    let page = text(hub.get("/en/share", &[]).await).await;
    assert!(
        page.contains("certificate for hall.hubs.test has expired"),
        "{page}"
    );
    assert!(
        !page.contains("https://hall.hubs.test"),
        "phones get the plain address"
    );

    let (good, _) = issued(&key, "hall.hubs.test", now - 60, now + 86_400);
    hub.db
        .write(move |c| c.execute("UPDATE hub_self SET tls_chain = ?1", [&good]))
        .await
        .expect("stored");
    hub.app.site.certs.reload(&hub.db).await;
    let page = text(hub.get("/en/share", &[]).await).await;
    assert!(page.contains("https://hall.hubs.test/en/"), "{page}");
}
