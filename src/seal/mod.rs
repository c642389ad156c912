//! Sealing: what a person wrote in a help request, and every caseworker's note, is encrypted
//! to the organisation's public key before it is first written to disk, so that a copied
//! database, a seized laptop or a stolen backup reveals no one. The cipher is HPKE
//! (RFC 9180) in base mode, DHKEM(X25519, HKDF-SHA256) with HKDF-SHA256 and
//! ChaCha20-Poly1305, from the `hpke` crate: each blob gets a fresh ephemeral key, as ODK's
//! encrypted forms do, and carries the row it belongs to as associated data, so a blob moved
//! to another row does not open.
//!
//! The organisation's private key rests only wrapped (see [`keys`]): per staff account that
//! may read requests, to a key pair derived from that person's password with argon2id. At
//! sign-in it is unwrapped into the session's memory ([`keyring`]) and nowhere else.

pub mod command;
pub mod keyring;
pub mod keys;
pub mod recovery;
pub mod upgrade;

use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use zeroize::Zeroizing;

type Kem = hpke::kem::X25519HkdfSha256;
type Kdf = hpke::kdf::HkdfSha256;
type Aead = hpke::aead::ChaCha20Poly1305;

/// The first byte of every blob: the format, so that a later one can be told apart.
const FORMAT: u8 = 1;
/// The length of an encapsulated key, which follows the format byte.
const ENCAPPED: usize = 32;
/// The length of a seed, from which a key pair is derived.
pub const SEED: usize = 32;

/// What a blob is for: bound into it, so that one kind of blob never opens as another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// The sealed answers of one help request.
    Request,
    /// One caseworker's note on a request.
    Note,
    /// The organisation's private key, sealed to one staff member's own key.
    Grant,
    /// A hub's waiting requests on a USB stick, sealed to central's transfer key.
    Transfer,
}

impl Purpose {
    fn info(self) -> &'static [u8] {
        match self {
            Purpose::Request => b"safe-migration-passport/request/1",
            Purpose::Note => b"safe-migration-passport/note/1",
            Purpose::Grant => b"safe-migration-passport/grant/1",
            Purpose::Transfer => b"safe-migration-passport/hub-transfer/1",
        }
    }
}

/// A public key that blobs are sealed to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealKey(<Kem as hpke::Kem>::PublicKey);

/// A private key that opens blobs. It zeroes its memory when dropped.
#[derive(Clone)]
pub struct OpenKey(<Kem as hpke::Kem>::PrivateKey);

impl std::fmt::Debug for OpenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpenKey(..)")
    }
}

/// Why something would not seal or open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the blob is not sealed for this key, or it was changed")]
    Unopened,
    #[error("the key is malformed")]
    BadKey,
    #[error("sealing failed")]
    Sealing,
}

impl SealKey {
    pub fn from_bytes(bytes: &[u8]) -> Result<SealKey, SealError> {
        <Kem as hpke::Kem>::PublicKey::from_bytes(bytes)
            .map(SealKey)
            .map_err(|_| SealError::BadKey)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_bytes().to_vec()
    }

    /// Seals `plaintext` for `purpose`, bound to `row` (what names the row the blob goes in).
    pub fn seal(
        &self,
        purpose: Purpose,
        row: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, SealError> {
        let (encapped, ciphertext) = hpke::single_shot_seal::<Aead, Kdf, Kem>(
            &OpModeS::Base,
            &self.0,
            purpose.info(),
            plaintext,
            row,
        )
        .map_err(|_| SealError::Sealing)?;
        let mut blob = Vec::with_capacity(1 + ENCAPPED + ciphertext.len());
        blob.push(FORMAT);
        blob.extend_from_slice(&encapped.to_bytes());
        blob.extend_from_slice(&ciphertext);
        Ok(blob)
    }

    /// A short, printable name for the key: the first bytes of its SHA-256, for people to
    /// compare (on the CLI, between central and a hub).
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(self.0.to_bytes());
        digest[..8]
            .chunks(2)
            .map(crate::web::hex)
            .collect::<Vec<_>>()
            .join("-")
    }
}

impl OpenKey {
    /// The key pair that `seed` derives; the same seed always gives the same pair.
    pub fn derive(seed: &[u8]) -> (OpenKey, SealKey) {
        let (private, public) = Kem::derive_keypair(seed);
        (OpenKey(private), SealKey(public))
    }

    /// A new random key pair; `None` if the system has no randomness to give.
    pub fn generate() -> Option<(OpenKey, SealKey)> {
        let seed = new_seed()?;
        Some(OpenKey::derive(&*seed))
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<OpenKey, SealError> {
        <Kem as hpke::Kem>::PrivateKey::from_bytes(bytes)
            .map(OpenKey)
            .map_err(|_| SealError::BadKey)
    }

    /// The private key's bytes, in memory that is zeroed when dropped.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut bytes = self.0.to_bytes();
        let copy = Zeroizing::new(bytes.to_vec());
        zeroize::Zeroize::zeroize(bytes.as_mut_slice());
        copy
    }

    pub fn public(&self) -> SealKey {
        SealKey(Kem::sk_to_pk(&self.0))
    }

    /// Opens a blob that [`SealKey::seal`] made for `purpose` and `row`.
    pub fn open(
        &self,
        purpose: Purpose,
        row: &[u8],
        blob: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, SealError> {
        let Some((&FORMAT, rest)) = blob.split_first() else {
            return Err(SealError::Unopened);
        };
        if rest.len() < ENCAPPED {
            return Err(SealError::Unopened);
        }
        let (encapped, ciphertext) = rest.split_at(ENCAPPED);
        let encapped = <Kem as hpke::Kem>::EncappedKey::from_bytes(encapped)
            .map_err(|_| SealError::Unopened)?;
        hpke::single_shot_open::<Aead, Kdf, Kem>(
            &OpModeR::Base,
            &self.0,
            &encapped,
            purpose.info(),
            ciphertext,
            row,
        )
        .map(Zeroizing::new)
        .map_err(|_| SealError::Unopened)
    }
}

/// A new random seed, in memory that is zeroed when dropped.
pub fn new_seed() -> Option<Zeroizing<[u8; SEED]>> {
    let mut seed = Zeroizing::new([0u8; SEED]);
    getrandom::fill(seed.as_mut_slice()).ok()?;
    Some(seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_opens_only_with_its_key_its_purpose_and_its_row() {
        let (open, seal) = OpenKey::generate().expect("random");
        let blob = seal
            .seal(Purpose::Request, b"row-1", "Mai, 0912 345 678".as_bytes())
            .expect("sealed");
        assert!(
            !blob.windows(4).any(|w| w == b"0912"),
            "the plaintext is not in the blob"
        );
        let opened = open.open(Purpose::Request, b"row-1", &blob).expect("opens");
        assert_eq!(opened.as_slice(), "Mai, 0912 345 678".as_bytes());
        let (other, _) = OpenKey::generate().expect("random");
        assert_eq!(
            other.open(Purpose::Request, b"row-1", &blob),
            Err(SealError::Unopened)
        );
        assert_eq!(
            open.open(Purpose::Note, b"row-1", &blob),
            Err(SealError::Unopened)
        );
        assert_eq!(
            open.open(Purpose::Request, b"row-2", &blob),
            Err(SealError::Unopened)
        );
        let mut changed = blob.clone();
        *changed.last_mut().expect("bytes") ^= 1;
        assert_eq!(
            open.open(Purpose::Request, b"row-1", &changed),
            Err(SealError::Unopened)
        );
        assert_eq!(
            open.open(Purpose::Request, b"row-1", &blob[..20]),
            Err(SealError::Unopened)
        );
        assert_eq!(
            open.open(Purpose::Request, b"row-1", &[]),
            Err(SealError::Unopened)
        );
    }

    #[test]
    fn the_same_seed_derives_the_same_pair_and_a_key_survives_its_bytes() {
        let seed = [7u8; SEED];
        let (open, seal) = OpenKey::derive(&seed);
        assert_eq!(OpenKey::derive(&seed).1, seal);
        assert_eq!(open.public(), seal);
        let again = OpenKey::from_bytes(&open.to_bytes()).expect("bytes");
        assert_eq!(again.public(), seal);
        assert_eq!(SealKey::from_bytes(&seal.to_bytes()).expect("bytes"), seal);
        assert_ne!(OpenKey::derive(&[8u8; SEED]).1, seal);
        assert_eq!(seal.fingerprint().len(), 19);
    }
}
