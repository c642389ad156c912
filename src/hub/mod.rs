//! Hubs: event laptops that serve phones with no internet, from their own copy of the
//! published content, and forward the help requests phones send them to central.
//!
//! - **Central** is the NGO's server: keys, caseworkers, editors. It adds hubs and answers
//!   them under `/hub/v1/` ([`api`]).
//! - **A hub** is a database paired with central ([`identity`]). It seals every request to
//!   central's key and never opens one; it never edits content.
//! - Requests go hub → central ([`forward`]): in batches, each with the hub's own increasing
//!   counter. Central answers each one (stored, already had it, refused with a reason) and
//!   keeps the highest counter it has settled, in the same transaction as the requests; a hub
//!   asks for that counter first and deletes what it covers, so a batch cut off half way
//!   resumes from the first request not yet acknowledged and never uploads one twice.
//! - Content goes central → hub ([`bundle`]): what changed since the hub's version, signed
//!   with central's Ed25519 key, verified and applied in one transaction.
//! - Without a network, both travel as files ([`command`]): sealed requests signed by the
//!   hub, bundles signed by central.

pub mod api;
pub mod bundle;
pub mod client;
pub mod command;
pub mod forward;
pub mod identity;
pub mod names;
pub mod pages;
pub mod registry;
pub mod sync;

use crate::staff::access::{self, Access, Route, endpoint};
use crate::state::AppState;
use base64::{Engine, engine::general_purpose::STANDARD};
use serde::{Deserialize, Serialize};

/// The staff page of hubs: central's register, or a hub's own state.
#[rustfmt::skip]
pub static ROUTES: [Route; 2] = [
    Route::get( "/staff/hubs", Access::Admin, endpoint!(pages::page)),
    Route::post("/staff/hubs", Access::Admin, endpoint!(pages::change)),
];

pub fn staff_routes() -> axum::Router<AppState> {
    access::router(&ROUTES)
}

/// The most requests one batch carries: small enough that a cut connection loses little,
/// big enough that 10,000 requests need only 50 round trips.
pub const BATCH_MAX: usize = 200;

/// The largest request body `/hub/v1/requests` takes: a full batch of the largest requests.
pub const BATCH_BYTES: usize = 4 * 1024 * 1024;

/// What a hub sends to pair: the one-time code, and the public key its export files are
/// signed with.
#[derive(Debug, Serialize, Deserialize)]
pub struct PairAsk {
    pub code: String,
    pub export_key: String,
}

/// What central answers a pairing with: the hub's name, its credential (shown once, kept
/// here only as a digest), the key to seal requests to, the key bundles are signed with,
/// and the key its USB files are sealed to.
#[derive(Debug, Serialize, Deserialize)]
pub struct PairAnswer {
    pub hub: String,
    pub token: String,
    pub seal_key: String,
    pub bundle_key: String,
    /// The key a USB requests file is sealed to.
    pub transfer_key: String,
    /// The hub's name under the organisation's domain, if central gave it one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

/// A hub's certificate request for its name (DER, base64), sent at pairing and every sync.
#[derive(Debug, Serialize, Deserialize)]
pub struct CertAsk {
    pub csr: String,
}

/// Central's view of one hub: the highest counter it has settled, its content version, and
/// the serial of the certificate it holds for the hub (which comes with the next bundle).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Status {
    pub last_seq: i64,
    pub content_version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
}

/// One sealed request as a hub forwards it: its counter, the digest of the phone's UUID
/// and the keyed hash of its answers (so central tells a replay from a conflict exactly as
/// the phone's own replay is told), the plain triage fields, the sealed blob, and the
/// reference the person was given at the hub.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Forwarded {
    pub seq: i64,
    pub id_hash: String,
    pub body_hash: String,
    pub kind: String,
    /// Absent from a hub on a release before urgent requests: not urgent.
    #[serde(default)]
    pub urgent: bool,
    pub country: String,
    pub channel: String,
    pub language: String,
    pub sealed: String,
    pub sealed_to: String,
    pub reference: String,
    /// Seconds since it arrived at the hub, by the hub's clock.
    pub age_secs: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Batch {
    pub requests: Vec<Forwarded>,
}

/// What central did with one forwarded request.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Stored by this batch.
    Stored,
    /// Stored already: by an earlier batch, or sent by the phone straight to central.
    Had,
    /// Never to be stored; the reason says why.
    Refused,
    /// Not stored for now (central could not write); send it again later.
    Retry,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Answered {
    pub seq: i64,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Central's answer to a batch: each request's outcome, and the counter now settled.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct BatchAnswer {
    pub answers: Vec<Answered>,
    pub last_seq: i64,
}

pub fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub fn unb64(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}

/// A new pairing code: 80 random bits as 16 lower-case letters and digits (no i, l, o, u),
/// short enough to type from a screen. Central keeps only its digest.
pub fn pairing_code() -> Option<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstvwxyz0123456789";
    let mut raw = [0u8; 10];
    getrandom::fill(&mut raw).ok()?;
    // 5 bits per symbol.
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for byte in raw {
        acc = (acc << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((acc << (5 - bits)) & 31) as usize]));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairing_codes_differ_and_have_the_length_their_bits_need() {
        let (a, b) = (
            pairing_code().expect("random"),
            pairing_code().expect("random"),
        );
        assert_ne!(a, b);
        assert_eq!(a.len(), 16);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
    }

    #[test]
    fn outcomes_are_written_as_words() {
        let answer = Answered {
            seq: 4,
            outcome: Outcome::Had,
            reason: None,
        };
        assert_eq!(
            serde_json::to_string(&answer).expect("json"),
            r#"{"seq":4,"outcome":"had"}"#
        );
    }
}
