//! Certificates for hubs' names (`hall.hubs.example.org`), so that phones at an event can
//! keep the app: a service worker needs HTTPS, and HTTPS needs a certificate phones trust.
//!
//! - A hub makes its own key and sends central a certificate request for its name
//!   ([`request`]); the key never leaves the hub.
//! - Central checks the request ([`check_request`]), orders the certificate from an ACME CA
//!   by DNS-01 ([`acme`]), renews it while the hub is not revoked and revokes it when the
//!   hub is ([`renew`]), and hands it over with the content bundle.
//! - Central also holds a certificate of its own for every hub name, so that the same name,
//!   which public DNS points at central, works when the phone is back online.
//! - Both serve what they hold by the name a client asks for ([`store`]); an expired
//!   certificate is never offered.

pub mod acme;
pub mod renew;
pub mod store;

use rcgen::{CertificateParams, KeyPair, PKCS_ECDSA_P256_SHA256, PublicKeyData};
use rustls::pki_types::{CertificateDer, pem::PemObject};
use x509_parser::prelude::{
    FromDer, GeneralName, ParsedExtension, X509CertificationRequest, parse_x509_certificate,
};

/// The largest certificate request central takes from a hub.
pub const REQUEST_MAX: usize = 4096;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CertError {
    #[error("no key could be made: {0}")]
    Key(String),
    #[error("this certificate request is not readable")]
    BadRequest,
    #[error("this certificate request is not signed by its own key")]
    Unsigned,
    #[error("this certificate request names {found:?}, not only {expected}")]
    WrongNames {
        expected: String,
        found: Vec<String>,
    },
    #[error("this certificate chain is not readable")]
    BadChain,
}

/// What a certificate says of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    /// The serial number, as lower-case hex.
    pub serial: String,
    /// Seconds since 1970.
    pub not_before: i64,
    pub not_after: i64,
    pub names: Vec<String>,
    /// The DER of its subject's public key: which key it certifies.
    pub spki: Vec<u8>,
}

impl Info {
    /// Whether it is time to order the next one: in the last third of its life, as ACME
    /// clients do, or halfway for one of less than ten days (Let's Encrypt's advice for its
    /// six-day certificates), so a CA that is down for a day or two costs nothing.
    pub fn renew_due(&self, now: i64) -> bool {
        let life = (self.not_after - self.not_before).max(0);
        let left = if life < 10 * 86_400 {
            life / 2
        } else {
            life / 3
        };
        now >= self.not_after - left
    }

    /// Whether it is good at `now`.
    pub fn valid_at(&self, now: i64) -> bool {
        (self.not_before..self.not_after).contains(&now)
    }
}

/// Now, in seconds since 1970.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// `unix` seconds as `2026-12-07 09:30 UTC`.
pub fn format_time(unix: i64) -> String {
    x509_parser::time::ASN1Time::from_timestamp(unix)
        .ok()
        .map(|time| {
            let t = time.to_datetime();
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02} UTC",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute()
            )
        })
        .unwrap_or_default()
}

/// A new ECDSA P-256 key, as PKCS#8 DER.
pub fn new_key() -> Result<Vec<u8>, CertError> {
    KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)
        .map(|key| key.serialize_der())
        .map_err(|e| CertError::Key(e.to_string()))
}

fn key_pair(key_der: &[u8]) -> Result<KeyPair, CertError> {
    KeyPair::try_from(key_der).map_err(|e| CertError::Key(e.to_string()))
}

/// The DER of the public key of `key_der`.
pub fn public_key(key_der: &[u8]) -> Result<Vec<u8>, CertError> {
    Ok(key_pair(key_der)?.subject_public_key_info())
}

/// A certificate request (DER) for `names`, signed with `key_der`.
pub fn request(key_der: &[u8], names: &[String]) -> Result<Vec<u8>, CertError> {
    let key = key_pair(key_der)?;
    let params = CertificateParams::new(names.to_vec()).map_err(|_| CertError::BadRequest)?;
    params
        .serialize_request(&key)
        .map(|csr| csr.der().to_vec())
        .map_err(|e| CertError::Key(e.to_string()))
}

/// Checks a hub's certificate request: readable, signed by the key it names, and for the
/// hub's own name and nothing else. Returns that key (DER).
pub fn check_request(der: &[u8], host: &str) -> Result<Vec<u8>, CertError> {
    if der.len() > REQUEST_MAX {
        return Err(CertError::BadRequest);
    }
    let (rest, csr) = X509CertificationRequest::from_der(der).map_err(|_| CertError::BadRequest)?;
    if !rest.is_empty() {
        return Err(CertError::BadRequest);
    }
    csr.verify_signature().map_err(|_| CertError::Unsigned)?;
    let mut found = Vec::new();
    for extension in csr.requested_extensions().into_iter().flatten() {
        if let ParsedExtension::SubjectAlternativeName(san) = extension {
            found.extend(san.general_names.iter().map(|name| match name {
                GeneralName::DNSName(dns) => dns.to_ascii_lowercase(),
                other => other.to_string(),
            }));
        }
    }
    if found != [host] {
        return Err(CertError::WrongNames {
            expected: host.to_owned(),
            found,
        });
    }
    Ok(csr.certification_request_info.subject_pki.raw.to_vec())
}

/// The certificates of a PEM chain, leaf first.
pub fn chain_der(chain_pem: &str) -> Result<Vec<CertificateDer<'static>>, CertError> {
    let chain = CertificateDer::pem_slice_iter(chain_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| CertError::BadChain)?;
    if chain.is_empty() {
        return Err(CertError::BadChain);
    }
    Ok(chain)
}

/// What the leaf of a PEM chain says of itself.
pub fn inspect(chain_pem: &str) -> Result<Info, CertError> {
    let chain = chain_der(chain_pem)?;
    let (_, leaf) = parse_x509_certificate(&chain[0]).map_err(|_| CertError::BadChain)?;
    let names = leaf
        .subject_alternative_name()
        .ok()
        .flatten()
        .map(|san| {
            san.value
                .general_names
                .iter()
                .filter_map(|name| match name {
                    GeneralName::DNSName(dns) => Some(dns.to_ascii_lowercase()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Info {
        serial: leaf.raw_serial_as_string().replace(':', ""),
        not_before: leaf.validity().not_before.timestamp(),
        not_after: leaf.validity().not_after.timestamp(),
        names,
        spki: leaf.public_key().raw.to_vec(),
    })
}

/// Whether `name` is one of `names`, a wildcard covering one label included.
pub fn covers(names: &[String], name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    names
        .iter()
        .any(|pattern| match pattern.strip_prefix("*.") {
            Some(parent) => name
                .split_once('.')
                .is_some_and(|(label, rest)| !label.is_empty() && rest == parent),
            None => *pattern == name,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_for_the_hubs_name_passes_and_names_the_key_it_was_made_with() {
        let key = new_key().expect("key");
        let host = "hall.hubs.example.org";
        let csr = request(&key, &[host.to_owned()]).expect("request");
        assert_eq!(
            check_request(&csr, host),
            Ok(public_key(&key).expect("public"))
        );
    }

    #[test]
    fn a_request_for_another_name_or_more_names_or_garbage_is_refused() {
        let key = new_key().expect("key");
        let other = request(&key, &["market.hubs.example.org".to_owned()]).expect("request");
        assert!(matches!(
            check_request(&other, "hall.hubs.example.org"),
            Err(CertError::WrongNames { .. })
        ));
        let two = request(
            &key,
            &["hall.hubs.example.org".to_owned(), "example.org".to_owned()],
        )
        .expect("request");
        assert!(matches!(
            check_request(&two, "hall.hubs.example.org"),
            Err(CertError::WrongNames { .. })
        ));
        let mut forged = request(&key, &["hall.hubs.example.org".to_owned()]).expect("request");
        let last = forged.len() - 1;
        forged[last] ^= 1;
        assert_eq!(
            check_request(&forged, "hall.hubs.example.org"),
            Err(CertError::Unsigned)
        );
        assert_eq!(
            check_request(b"not a request", "hall.hubs.example.org"),
            Err(CertError::BadRequest)
        );
        assert_eq!(
            check_request(&vec![0x30; REQUEST_MAX + 1], "hall.hubs.example.org"),
            Err(CertError::BadRequest)
        );
    }

    #[test]
    fn a_certificate_tells_its_dates_names_serial_and_key() {
        let key = new_key().expect("key");
        let mut params = CertificateParams::new(vec!["hall.hubs.test".to_owned()]).expect("p");
        params.not_before = rcgen::date_time_ymd(2026, 12, 1);
        params.not_after = rcgen::date_time_ymd(2026, 12, 7);
        params.serial_number = Some(rcgen::SerialNumber::from_slice(&[0x0a, 0xbc]));
        let pair = key_pair(&key).expect("pair");
        let pem = params.self_signed(&pair).expect("cert").pem();
        let info = inspect(&pem).expect("info");
        assert_eq!(info.names, ["hall.hubs.test"]);
        assert_eq!(info.serial, "0abc");
        assert_eq!(info.not_after - info.not_before, 6 * 24 * 3600);
        assert_eq!(info.spki, public_key(&key).expect("public"));
        assert!(!info.renew_due(info.not_before + 3 * 24 * 3600 - 1));
        assert!(info.renew_due(info.not_before + 3 * 24 * 3600));
        assert!(info.valid_at(info.not_after - 1));
        assert!(!info.valid_at(info.not_after));
        assert_eq!(inspect("no pem here"), Err(CertError::BadChain));
    }

    #[test]
    fn a_wildcard_covers_one_label_only() {
        let names = ["*.hubs.test".to_owned()];
        assert!(covers(&names, "hall.hubs.test"));
        assert!(covers(&names, "Hall.Hubs.Test."));
        assert!(!covers(&names, "hubs.test"));
        assert!(!covers(&names, "a.hall.hubs.test"));
        assert!(!covers(&names, "evilhubs.test"));
        assert!(covers(&["hall.hubs.test".to_owned()], "hall.hubs.test"));
    }
}
