//! Content bundles, central → hub: the current value of every text and fact that central's
//! content versions after N changed, signed with central's Ed25519 key. A hub verifies the
//! signature against the key it received at pairing, checks that the bundle starts where
//! its copy ends, and applies it in one transaction that is also a new content version of
//! its own, so its page cache starts a new generation and its phones update through the
//! manifest diff.
//!
//! The same bytes go over HTTPS (`GET /hub/v1/bundle?since=N`) or on a USB stick
//! (`passport bundle export`, `passport hub import-bundle`): the signature, not the
//! channel, is what a hub trusts.

use crate::editor::facts;
use crate::i18n::Locale;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

/// The first line of every bundle, and what its signature is bound to.
const FORMAT: &str = "passport-bundle/1";

/// One text as central publishes it; `value: None` removes a translation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Text {
    pub kind: String,
    pub id: String,
    pub locale: String,
    pub value: Option<String>,
    pub status: String,
    pub source_hash: Option<String>,
    pub edited_at: Option<String>,
    pub edited_by: Option<String>,
}

/// One fact as central publishes it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Fact {
    pub entity: String,
    pub id: String,
    pub field: String,
    pub value: Option<String>,
    pub at: String,
}

/// One text's recording as central publishes it: the clip's hash and its bytes (base64), or
/// `None` when the recording was removed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Recording {
    pub id: String,
    pub locale: String,
    pub clip: Option<(String, String)>,
    pub at: String,
}

/// What a bundle carries: everything changed after version `from`, up to `to`; and, in a
/// bundle made for one hub to carry by hand, the counter central has settled for it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Payload {
    pub from: i64,
    pub to: i64,
    pub texts: Vec<Text>,
    pub facts: Vec<Fact>,
    /// Recordings (issue 20); a bundle from before them has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recordings: Vec<Recording>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled: Option<Settled>,
    /// The certificate central holds for the hub's name (PEM chain), in a bundle made for
    /// that hub; the hub takes it only for its own key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
}

/// The counter central settled for the hub whose export key (base64) this is: a copy of
/// that hub's database has another export key, and lets go of nothing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Settled {
    pub export_key: String,
    pub last_seq: i64,
}

/// The signed form: the payload's exact bytes and their signature.
#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    format: String,
    payload: String,
    signature: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("the database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("this is not a content bundle")]
    Malformed,
    #[error("the bundle's signature is not central's: it was changed, or made elsewhere")]
    Forged,
    #[error(
        "the bundle starts at version {from}, after this hub's version {have}: get one from version {have}"
    )]
    Gap { from: i64, have: i64 },
    #[error("this database is not a hub: pair it first (passport hub pair URL CODE)")]
    NotHub,
    #[error("the system gave no random numbers")]
    NoRandom,
}

/// Central's signing key, made on first use.
pub fn signing_key(conn: &Connection) -> Result<Ed25519KeyPair, BundleError> {
    let seed = central_seed(conn)?;
    Ed25519KeyPair::from_seed_unchecked(&seed).map_err(|_| BundleError::Malformed)
}

/// Central's transfer key, which a hub seals its USB requests file to: derived from the
/// same seed, for another purpose, so that nothing more is kept.
pub fn transfer_key(
    conn: &Connection,
) -> Result<(crate::seal::OpenKey, crate::seal::SealKey), BundleError> {
    use sha2::{Digest, Sha256};
    let seed = central_seed(conn)?;
    let mut hasher = Sha256::new();
    hasher.update(b"safe-migration-passport/hub-transfer-key/1\0");
    hasher.update(&seed[..]);
    let derived = zeroize::Zeroizing::new(hasher.finalize().to_vec());
    Ok(crate::seal::OpenKey::derive(&derived))
}

/// The seed of central's hub keys, made on first use.
fn central_seed(conn: &Connection) -> Result<zeroize::Zeroizing<Vec<u8>>, BundleError> {
    let stored: Option<Vec<u8>> = conn
        .query_row("SELECT seed FROM bundle_key WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    let seed = match stored {
        Some(seed) => zeroize::Zeroizing::new(seed),
        None => {
            let mut seed = zeroize::Zeroizing::new(vec![0u8; 32]);
            getrandom::fill(&mut seed).map_err(|_| BundleError::NoRandom)?;
            conn.execute(
                "INSERT INTO bundle_key (id, seed, created_at)
                 VALUES (1, ?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                [&seed[..]],
            )?;
            seed
        }
    };
    Ok(seed)
}

pub fn public_key(pair: &Ed25519KeyPair) -> Vec<u8> {
    pair.public_key().as_ref().to_vec()
}

/// Signs `message` under the purpose `format` (bundles and export files use one each).
pub fn sign(pair: &Ed25519KeyPair, format: &str, message: &[u8]) -> Vec<u8> {
    pair.sign(&bound(format, message)).as_ref().to_vec()
}

/// Whether `signature` is `key`'s over `message` for the purpose `format`.
pub fn verify(key: &[u8], format: &str, message: &[u8], signature: &[u8]) -> bool {
    UnparsedPublicKey::new(&ED25519, key)
        .verify(&bound(format, message), signature)
        .is_ok()
}

fn bound(format: &str, message: &[u8]) -> Vec<u8> {
    let mut bound = Vec::with_capacity(format.len() + 1 + message.len());
    bound.extend_from_slice(format.as_bytes());
    bound.push(0);
    bound.extend_from_slice(message);
    bound
}

/// What central's content versions after `since` changed, at their current values.
pub fn payload(conn: &Connection, since: i64) -> rusqlite::Result<Payload> {
    let to = crate::content::texts::version(conn)?;
    let changed: Vec<(String, String)> = conn
        .prepare(
            "SELECT c.item, v.published_at FROM content_change c
             JOIN content_version v ON v.version = c.version
             WHERE c.version > ?1
             GROUP BY c.item HAVING c.version = max(c.version)
             ORDER BY c.item",
        )?
        .query_map([since], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let (mut texts, mut facts, mut recordings) = (Vec::new(), Vec::new(), Vec::new());
    for (item, at) in changed {
        let mut parts = item.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("fact"), Some(entity), Some(rest)) => {
                let Some((id, field)) = rest.rsplit_once(':') else {
                    continue;
                };
                let Some(found) =
                    facts::entity(entity).filter(|e| e.fields.iter().any(|(f, _)| *f == field))
                else {
                    continue;
                };
                if let Some(value) = facts::published(conn, found, id, field)? {
                    facts.push(Fact {
                        entity: entity.to_owned(),
                        id: id.to_owned(),
                        field: field.to_owned(),
                        value,
                        at,
                    });
                }
            }
            (Some(kind @ ("ui" | "content")), Some(locale), Some(id)) => {
                texts.push(text(conn, kind, locale, id)?);
            }
            (Some("audio"), Some(locale), Some(id)) => {
                let clip = crate::audio::store::published_recording(conn, id, locale)?
                    .map(|(sha, bytes)| (sha, super::b64(&bytes)));
                recordings.push(Recording {
                    id: id.to_owned(),
                    locale: locale.to_owned(),
                    clip,
                    at,
                });
            }
            _ => {}
        }
    }
    Ok(Payload {
        from: since,
        to,
        texts,
        facts,
        recordings,
        settled: None,
        certificate: None,
    })
}

fn text(conn: &Connection, kind: &str, locale: &str, id: &str) -> rusqlite::Result<Text> {
    let table = if kind == "ui" {
        "ui_text"
    } else {
        "content_text"
    };
    let row = conn
        .query_row(
            &format!(
                "SELECT value, status, source_hash, edited_at, edited_by FROM {table}
                 WHERE message_id = ?1 AND locale = ?2"
            ),
            [id, locale],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            },
        )
        .optional()?;
    let (value, status, source_hash, edited_at, edited_by) = match row {
        Some((value, status, hash, at, by)) => (Some(value), status, hash, at, by),
        None => (None, "draft".to_owned(), None, None, None),
    };
    Ok(Text {
        kind: kind.to_owned(),
        id: id.to_owned(),
        locale: locale.to_owned(),
        value,
        status,
        source_hash,
        edited_at,
        edited_by,
    })
}

/// The signed bundle of `payload`.
pub fn seal(pair: &Ed25519KeyPair, payload: &Payload) -> Vec<u8> {
    let payload = serde_json::to_string(payload).unwrap_or_default();
    let signature = sign(pair, FORMAT, payload.as_bytes());
    let envelope = Envelope {
        format: FORMAT.to_owned(),
        payload,
        signature: super::b64(&signature),
    };
    serde_json::to_vec(&envelope).unwrap_or_default()
}

/// The bundle central would send hub `hub` at `since`, signed, with the hub's certificate.
pub fn make(conn: &Connection, since: i64, hub: i64) -> Result<Vec<u8>, BundleError> {
    let pair = signing_key(conn)?;
    let mut payload = payload(conn, since)?;
    payload.certificate = super::names::chain_for(conn, hub)?;
    Ok(seal(&pair, &payload))
}

/// The payload of `bytes`, if `key` signed it.
pub fn open(bytes: &[u8], key: &[u8]) -> Result<Payload, BundleError> {
    let envelope: Envelope = serde_json::from_slice(bytes).map_err(|_| BundleError::Malformed)?;
    if envelope.format != FORMAT {
        return Err(BundleError::Malformed);
    }
    let signature = super::unb64(&envelope.signature).ok_or(BundleError::Malformed)?;
    if !verify(key, FORMAT, envelope.payload.as_bytes(), &signature) {
        return Err(BundleError::Forged);
    }
    serde_json::from_str(&envelope.payload).map_err(|_| BundleError::Malformed)
}

/// What applying a bundle did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// Central's version the hub has now.
    pub central: i64,
    /// The hub's own new content version, when the bundle changed anything.
    pub local: Option<i64>,
    pub changes: usize,
}

/// Verifies `bytes` against the hub's copy of central's key and applies it in one
/// transaction: every text and fact, and a new content version of the hub's own. Nothing
/// is applied when anything is wrong.
pub fn apply(conn: &mut Connection, bytes: &[u8]) -> Result<Applied, BundleError> {
    // Read and written in one IMMEDIATE transaction: a background sync and a USB import at
    // once apply one after the other, and an older bundle never lowers the version.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let hub = super::identity::load(&tx)?.ok_or(BundleError::NotHub)?;
    let payload = open(bytes, &hub.bundle_key)?;
    let own_key = Ed25519KeyPair::from_seed_unchecked(&hub.export_seed)
        .map(|pair| super::b64(&public_key(&pair)))
        .ok();
    if let Some(settled) = payload
        .settled
        .as_ref()
        .filter(|s| Some(&s.export_key) == own_key.as_ref())
    {
        // What central holds already, whatever this bundle's content: this hub lets go.
        super::forward::settle(&tx, settled.last_seq)?;
    }
    if let Some(chain) = &payload.certificate {
        super::names::take(&tx, chain)?;
    }
    let have = hub.central_version;
    if payload.from > have {
        return Err(BundleError::Gap {
            from: payload.from,
            have,
        });
    }
    if payload.to <= have {
        tx.commit()?;
        return Ok(Applied {
            central: have,
            local: None,
            changes: 0,
        });
    }
    let mut changes = 0;
    for text in &payload.texts {
        changes += usize::from(apply_text(&tx, text)?);
    }
    for fact in &payload.facts {
        changes += usize::from(facts::set(
            &tx,
            &fact.entity,
            &fact.id,
            &fact.field,
            fact.value.as_deref(),
            &fact.at,
        )?);
    }
    for recording in &payload.recordings {
        changes += usize::from(apply_recording(&tx, recording)?);
    }
    let local = if changes > 0 {
        let version = crate::content::texts::version(&tx)? + 1;
        tx.execute(
            "INSERT INTO content_version (version, published_at, published_by, changes)
             VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2, ?3)",
            params![
                version,
                format!("central version {}", payload.to),
                changes as i64
            ],
        )?;
        Some(version)
    } else {
        None
    };
    tx.execute("UPDATE hub_self SET central_version = ?1", [payload.to])?;
    tx.commit()?;
    Ok(Applied {
        central: payload.to,
        local,
        changes,
    })
}

/// Writes one recording; one for a locale the app does not have, or whose bytes are not
/// what its hash says, is left out.
fn apply_recording(tx: &Connection, recording: &Recording) -> rusqlite::Result<bool> {
    let Some(locale) = Locale::from_code(&recording.locale) else {
        return Ok(false);
    };
    let clip = match &recording.clip {
        None => None,
        Some((sha, encoded)) => match super::unb64(encoded) {
            Some(bytes) => Some((sha.clone(), bytes)),
            None => return Ok(false),
        },
    };
    crate::audio::store::take(
        tx,
        &recording.id,
        locale,
        clip.as_ref()
            .map(|(sha, bytes)| (sha.as_str(), bytes.as_slice())),
        &recording.at,
    )
}

/// Writes one text; a text for a locale or kind the app does not have is left out.
fn apply_text(tx: &Connection, text: &Text) -> rusqlite::Result<bool> {
    let table = match text.kind.as_str() {
        "ui" => "ui_text",
        "content" => "content_text",
        _ => return Ok(false),
    };
    if Locale::from_code(&text.locale).is_none()
        || !matches!(text.status.as_str(), "draft" | "reviewed")
    {
        return Ok(false);
    }
    let Some(value) = &text.value else {
        let removed = tx.execute(
            &format!("DELETE FROM {table} WHERE message_id = ?1 AND locale = ?2"),
            [&text.id, &text.locale],
        )?;
        return Ok(removed > 0);
    };
    // ui_text needs every column; the shipped content rows may lack a hash or an editor.
    let at = text.edited_at.clone().unwrap_or_default();
    let by = text.edited_by.clone().unwrap_or_default();
    let hash = text.source_hash.clone().unwrap_or_default();
    let written = tx.execute(
        &format!(
            "INSERT INTO {table} (message_id, locale, value, status, source_hash, edited_at, edited_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (message_id, locale) DO UPDATE SET value = excluded.value,
                 status = excluded.status, source_hash = excluded.source_hash,
                 edited_at = excluded.edited_at, edited_by = excluded.edited_by
             WHERE ({table}.value, {table}.status) IS NOT (excluded.value, excluded.status)"
        ),
        params![text.id, text.locale, value, text.status, hash, at, by],
    )?;
    Ok(written > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::{PairAnswer, b64, identity};
    use crate::seal::OpenKey;

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        crate::content::seed::Seed::shipped()
            .expect("seed")
            .apply(&mut conn)
            .expect("seeded");
        conn
    }

    /// A central and a hub paired with it, both seeded as a new release leaves them.
    fn pair() -> (Connection, Connection) {
        let central = database();
        let pair = signing_key(&central).expect("key");
        let mut hub = database();
        let (_, seal) = OpenKey::derive(&[3u8; 32]);
        let answer = PairAnswer {
            hub: "hall".into(),
            token: "t".into(),
            seal_key: b64(&seal.to_bytes()),
            bundle_key: b64(&public_key(&pair)),
            transfer_key: b64(&transfer_key(&central).expect("key").1.to_bytes()),
            host: None,
        };
        identity::pair(
            &mut hub,
            std::path::Path::new(":memory:"),
            "u",
            &answer,
            &[1; 32],
        )
        .expect("paired");
        (central, hub)
    }

    fn edit_thai(central: &mut Connection, value: &str) {
        central
            .execute(
                "INSERT INTO pending_text (kind, message_id, locale, value, status, source_hash,
                     edited_at, edited_by)
                 SELECT 'content', message_id, 'th', ?1, 'reviewed', source_hash, 'now', 'ed'
                 FROM content_text WHERE locale = 'th' ORDER BY message_id LIMIT 1",
                [value],
            )
            .expect("saved");
        let published = crate::editor::publish::publish(central, "ed", None).expect("published");
        assert!(published.version.is_some());
    }

    #[test]
    fn a_published_recording_reaches_the_hub_and_one_whose_bytes_were_changed_does_not() {
        let (mut central, mut hub) = pair();
        let bytes = crate::audio::made::clip("th", "โทร 1300");
        let id = "contact.th-1300.what";
        crate::audio::store::save(&central, id, Locale::Th, &bytes, "ed")
            .expect("db")
            .expect("a good clip");
        crate::audio::made::approve_recordings(&mut central, "lan");
        crate::editor::publish::publish(&mut central, "ed", None).expect("published");
        let payload = payload(&central, 0).expect("payload");
        assert_eq!(payload.recordings.len(), 1);
        let sha = crate::audio::store::hash(&bytes);
        let hub_clip = |hub: &Connection| {
            hub.query_row(
                "SELECT sha256 FROM recording WHERE message_id = ?1 AND locale = 'th'",
                [id],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .expect("db")
        };

        // Signed by central, but with other bytes under the hash: left out, nothing else lost.
        let mut forged = payload.clone();
        let mut changed = bytes.clone();
        let last = changed.len() - 1;
        changed[last] ^= 1;
        forged.recordings[0].clip = Some((sha.clone(), b64(&changed)));
        let pair_key = signing_key(&central).expect("key");
        apply(&mut hub, &seal(&pair_key, &forged)).expect("applied");
        assert_eq!(hub_clip(&hub), None);
        hub.execute("UPDATE hub_self SET central_version = 0", [])
            .expect("as if the hub had not synced");

        apply(&mut hub, &make(&central, 0, 1).expect("bundle")).expect("applied");
        assert_eq!(hub_clip(&hub), Some(sha.clone()));
        let served = crate::audio::store::published(&hub, &sha).expect("db");
        assert_eq!(served.map(|(b, _)| b), Some(bytes));

        // Removed at central, removed at the hub, through the next bundle.
        crate::audio::store::remove(&central, id, Locale::Th, "ed").expect("saved");
        crate::audio::made::approve_recordings(&mut central, "lan");
        crate::editor::publish::publish(&mut central, "ed", None).expect("published");
        let since = identity::load(&hub)
            .expect("db")
            .expect("hub")
            .central_version;
        apply(&mut hub, &make(&central, since, 1).expect("bundle")).expect("applied");
        assert_eq!(hub_clip(&hub), None);
    }

    fn thai(conn: &Connection) -> String {
        conn.query_row(
            "SELECT value FROM content_text WHERE locale = 'th' ORDER BY message_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("text")
    }

    #[test]
    fn a_published_fix_reaches_the_hub_as_a_new_content_version_of_its_own() {
        let (mut central, mut hub) = pair();
        edit_thai(&mut central, "แก้ไขแล้ว");
        let before = crate::content::texts::version(&hub).expect("version");
        let bundle = make(&central, 0, 1).expect("bundle");
        let applied = apply(&mut hub, &bundle).expect("applied");
        assert_eq!(applied.changes, 1);
        assert_eq!(applied.local, Some(before + 1));
        assert_eq!(thai(&hub), "แก้ไขแล้ว");
        let again = apply(&mut hub, &bundle).expect("applied twice");
        assert_eq!((again.changes, again.local), (0, None));
    }

    #[test]
    fn a_bundle_since_the_hub_version_holds_only_what_changed_after_it() {
        let (mut central, _) = pair();
        edit_thai(&mut central, "หนึ่ง");
        let first = crate::content::texts::version(&central).expect("version");
        edit_thai(&mut central, "สอง");
        let payload = payload(&central, first).expect("payload");
        assert_eq!(payload.texts.len(), 1);
        assert_eq!(payload.texts[0].value.as_deref(), Some("สอง"));
        assert!(payload.facts.is_empty());
    }

    #[test]
    fn a_tampered_bundle_is_refused_with_nothing_applied() {
        let (mut central, mut hub) = pair();
        edit_thai(&mut central, "จริง");
        let bundle = String::from_utf8(make(&central, 0, 1).expect("bundle")).expect("text");
        let forged = bundle.replace("จริง", "ปลอม");
        assert_ne!(forged, bundle);
        let before = thai(&hub);
        assert!(matches!(
            apply(&mut hub, forged.as_bytes()),
            Err(BundleError::Forged)
        ));
        assert_eq!(thai(&hub), before);
        assert_eq!(
            identity::load(&hub)
                .expect("reads")
                .expect("hub")
                .central_version,
            0
        );
        let other = Ed25519KeyPair::from_seed_unchecked(&[8u8; 32]).expect("key");
        let made_elsewhere = seal(&other, &payload(&central, 0).expect("payload"));
        assert!(matches!(
            apply(&mut hub, &made_elsewhere),
            Err(BundleError::Forged)
        ));
    }

    #[test]
    fn a_bundle_that_starts_after_the_hub_version_is_refused() {
        let (mut central, mut hub) = pair();
        edit_thai(&mut central, "หนึ่ง");
        let bundle = make(&central, 1, 1).expect("bundle");
        assert!(matches!(
            apply(&mut hub, &bundle),
            Err(BundleError::Gap { from: 1, have: 0 })
        ));
    }

    #[test]
    fn a_fact_changed_at_central_changes_at_the_hub() {
        let (mut central, mut hub) = pair();
        let id: String = central
            .query_row("SELECT id FROM contact ORDER BY id LIMIT 1", [], |r| {
                r.get(0)
            })
            .expect("contact");
        central
            .execute(
                "INSERT INTO pending_fact (entity, id, field, value, edited_at, edited_by)
                 VALUES ('contact', ?1, 'checked_on', '2026-12-01', 'now', 'ed')",
                [&id],
            )
            .expect("saved");
        crate::editor::publish::publish(&mut central, "ed", None).expect("published");
        apply(&mut hub, &make(&central, 0, 1).expect("bundle")).expect("applied");
        let checked: String = hub
            .query_row("SELECT checked_on FROM contact WHERE id = ?1", [&id], |r| {
                r.get(0)
            })
            .expect("fact");
        assert_eq!(checked, "2026-12-01");
    }
}
