//! The recovery key: the seed of the organisation's key pair, written for paper. It is 32
//! bytes and a 2-byte checksum in Crockford's base32, in eleven groups of five, so that it
//! can be typed back from a printout: case, spaces and dashes do not matter, O reads as 0
//! and I or L as 1, and a mistyped character is caught by the checksum.

use super::SEED;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CHECK: usize = 2;
/// Characters in a written key: (32 + 2) bytes of 8 bits, in 5-bit characters.
const CHARS: usize = ((SEED + CHECK) * 8).div_ceil(5);
const GROUP: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RecoveryError {
    #[error("a recovery key has {CHARS} letters and digits; this one has {0}")]
    Length(usize),
    #[error("`{0}` is not a letter or digit a recovery key uses")]
    Character(char),
    #[error("this recovery key has a typing mistake: its checksum does not match")]
    Checksum,
}

/// The seed, written as a recovery key.
pub fn encode(seed: &[u8; SEED]) -> Zeroizing<String> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(SEED + CHECK));
    bytes.extend_from_slice(seed);
    bytes.extend_from_slice(&Sha256::digest(seed)[..CHECK]);
    let mut text = Zeroizing::new(String::with_capacity(CHARS + CHARS / GROUP));
    for n in 0..CHARS {
        if n > 0 && n % GROUP == 0 {
            text.push('-');
        }
        let value = (0..5).fold(0usize, |value, bit| {
            let at = n * 5 + bit;
            let set = bytes
                .get(at / 8)
                .is_some_and(|b| b & (0x80 >> (at % 8)) != 0);
            value << 1 | usize::from(set)
        });
        text.push(char::from(ALPHABET[value]));
    }
    text
}

/// The seed a recovery key holds.
pub fn decode(text: &str) -> Result<Zeroizing<[u8; SEED]>, RecoveryError> {
    let mut values = Zeroizing::new(Vec::with_capacity(CHARS));
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        let value = ALPHABET
            .iter()
            .position(|a| char::from(*a) == c)
            .ok_or(RecoveryError::Character(c))?;
        values.push(value as u8);
    }
    if values.len() != CHARS {
        return Err(RecoveryError::Length(values.len()));
    }
    let mut bytes = Zeroizing::new([0u8; SEED + CHECK]);
    for (n, value) in values.iter().enumerate() {
        for bit in 0..5 {
            let at = n * 5 + bit;
            if value & (0x10 >> bit) != 0 && at / 8 < bytes.len() {
                bytes[at / 8] |= 0x80 >> (at % 8);
            }
        }
    }
    let mut seed = Zeroizing::new([0u8; SEED]);
    seed.copy_from_slice(&bytes[..SEED]);
    if Sha256::digest(*seed)[..CHECK] != bytes[SEED..] {
        return Err(RecoveryError::Checksum);
    }
    Ok(seed)
}

/// The recovery key as a QR code drawn in the terminal's block characters, dark on light.
pub fn qr(text: &str) -> Option<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_however_it_is_typed_and_a_typo_is_caught() {
        let seed: [u8; SEED] = std::array::from_fn(|n| (n * 37 + 11) as u8);
        let written = encode(&seed);
        assert_eq!(written.len(), CHARS + CHARS.div_ceil(GROUP) - 1);
        assert_eq!(*decode(&written).expect("reads"), seed);
        let typed = written
            .to_lowercase()
            .replace('-', " ")
            .replace('0', "o")
            .replace('1', "l");
        assert_eq!(*decode(&typed).expect("reads"), seed);
        let mut wrong: Vec<char> = written.chars().collect();
        wrong[3] = if wrong[3] == 'A' { 'B' } else { 'A' };
        let wrong: String = wrong.into_iter().collect();
        assert_eq!(decode(&wrong).map(|_| ()), Err(RecoveryError::Checksum));
        assert_eq!(decode("ABC").map(|_| ()), Err(RecoveryError::Length(3)));
        assert_eq!(
            decode(&written.replace('-', "U")).map(|_| ()),
            Err(RecoveryError::Character('U'))
        );
        assert!(qr(&written).is_some_and(|code| code.lines().count() > 10));
    }
}
