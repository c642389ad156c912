//! TSIG (RFC 8945) with HMAC-SHA256: the key from BIND's key file, the signature on an
//! update, and the check of the server's signature on its answer.

use super::update::UpdateError;
use super::wire::{self, HEADER, Reader};
use base64::Engine;
use ring::hmac;
use std::{fmt, path::Path};
use zeroize::Zeroizing;

/// How far apart the two clocks may be, in seconds: what BIND and `nsupdate` use.
pub(super) const FUDGE: u16 = 300;
const TYPE_TSIG: u16 = 250;
const CLASS_ANY: u16 = 255;
/// `hmac-sha256.`, the only algorithm taken, on the wire.
const ALGORITHM: &[u8] = b"\x0bhmac-sha256\x00";
const MAC_LENGTH: usize = 32;
/// What to write instead, for a key file that is not one `tsig-keygen` makes.
const KEY_FORMAT: &str = "expected `key \"NAME\" { algorithm hmac-sha256; secret \"BASE64\"; };` \
     as `tsig-keygen -a hmac-sha256 NAME` writes it";

/// A TSIG key shared with the DNS server: its name and secret. The secret is never shown.
pub struct TsigKey {
    name: String,
    secret: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for TsigKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("TsigKey")
            .field("name", &self.name)
            .field("secret", &"(hidden)")
            .finish()
    }
}

/// One piece of a key file: BIND's configuration syntax, as far as a key statement needs.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Word(&'a str),
    Quoted(&'a str),
    Open,
    Close,
    End,
}

/// The pieces of `text`, comments (`#`, `//`, `/* */`) left out.
fn tokens(text: &str) -> Result<Vec<Token<'_>>, UpdateError> {
    let key = |why: &str| UpdateError::Key(why.to_owned());
    let mut tokens = Vec::new();
    let mut rest = text.trim_start();
    while let Some(first) = rest.chars().next() {
        let skip = if rest.starts_with('#') || rest.starts_with("//") {
            rest.find('\n').unwrap_or(rest.len())
        } else if let Some(comment) = rest.strip_prefix("/*") {
            2 + comment
                .find("*/")
                .ok_or_else(|| key("a comment is not closed"))?
                + 2
        } else if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted
                .find('"')
                .ok_or_else(|| key("a quote is not closed"))?;
            tokens.push(Token::Quoted(&quoted[..end]));
            end + 2
        } else if let Some(token) = match first {
            '{' => Some(Token::Open),
            '}' => Some(Token::Close),
            ';' => Some(Token::End),
            _ => None,
        } {
            tokens.push(token);
            1
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || "{};\"#".contains(c))
                .unwrap_or(rest.len());
            tokens.push(Token::Word(&rest[..end]));
            end
        };
        rest = rest[skip..].trim_start();
    }
    Ok(tokens)
}

impl TsigKey {
    /// The key in `text`, BIND's key-file format as `tsig-keygen -a hmac-sha256 NAME`
    /// writes it. Any algorithm but hmac-sha256 is refused.
    pub fn parse(text: &str) -> Result<TsigKey, UpdateError> {
        let format = || UpdateError::Key(KEY_FORMAT.to_owned());
        let tokens = tokens(text)?;
        let mut tokens = tokens.iter();
        let (Some(Token::Word("key")), Some(Token::Quoted(name) | Token::Word(name))) =
            (tokens.next(), tokens.next())
        else {
            return Err(format());
        };
        if tokens.next() != Some(&Token::Open) {
            return Err(format());
        }
        let (mut algorithm, mut secret) = (None, None);
        loop {
            match (tokens.next(), tokens.next(), tokens.next()) {
                (
                    Some(Token::Word(clause)),
                    Some(Token::Word(value) | Token::Quoted(value)),
                    Some(Token::End),
                ) => match *clause {
                    "algorithm" => algorithm = Some(*value),
                    "secret" => secret = Some(*value),
                    _ => return Err(format()),
                },
                (Some(Token::Close), Some(Token::End), None) => break,
                _ => return Err(format()),
            }
        }
        match algorithm {
            Some(algorithm) if algorithm.eq_ignore_ascii_case("hmac-sha256") => {}
            Some(other) => {
                return Err(UpdateError::Key(format!(
                    "the key is {other}, and only hmac-sha256 is supported: make one with \
                     `tsig-keygen -a hmac-sha256 {name}`"
                )));
            }
            None => return Err(UpdateError::Key("the key names no algorithm".to_owned())),
        }
        let secret = secret.ok_or_else(|| UpdateError::Key("the key has no secret".to_owned()))?;
        let secret = base64::engine::general_purpose::STANDARD
            .decode(secret)
            .ok()
            .filter(|secret| !secret.is_empty())
            .ok_or_else(|| UpdateError::Key("the key's secret is not base64".to_owned()))?;
        wire::encode_name(name)
            .map_err(|why| UpdateError::Key(format!("the key's name `{name}`: {why}")))?;
        Ok(TsigKey {
            name: (*name).to_owned(),
            secret: Zeroizing::new(secret),
        })
    }

    /// The key in the file at `path` (see [`TsigKey::parse`]).
    pub fn from_file(path: &Path) -> Result<TsigKey, UpdateError> {
        let text = std::fs::read_to_string(path).map_err(|source| UpdateError::KeyFile {
            path: path.to_owned(),
            source,
        })?;
        TsigKey::parse(&text)
    }

    /// The key's name on the wire, in lower case as the MAC takes it (RFC 8945 §4.3.3).
    fn wire_name(&self) -> Vec<u8> {
        wire::encode_name(&self.name)
            .unwrap_or_default()
            .to_ascii_lowercase()
    }

    fn mac(&self, input: &[u8]) -> hmac::Tag {
        hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &self.secret), input)
    }
}

/// The TSIG variables (RFC 8945 §4.3.3) after the message in what the MAC covers.
fn variables(key: &[u8], time: u64, fudge: u16, error: u16, other: &[u8]) -> Vec<u8> {
    let mut variables = key.to_vec();
    variables.extend_from_slice(&CLASS_ANY.to_be_bytes());
    variables.extend_from_slice(&0u32.to_be_bytes());
    variables.extend_from_slice(ALGORITHM);
    variables.extend_from_slice(&time.to_be_bytes()[2..]);
    variables.extend_from_slice(&fudge.to_be_bytes());
    variables.extend_from_slice(&error.to_be_bytes());
    variables.extend_from_slice(&(other.len() as u16).to_be_bytes());
    variables.extend_from_slice(other);
    variables
}

/// The message made of `header` and `sections`, signed by `key` at `time` (seconds since
/// 1970): the TSIG record appended and counted. Also the MAC, which the answer's covers.
pub(super) fn sign(
    key: &TsigKey,
    mut header: [u8; HEADER],
    sections: &[u8],
    time: u64,
) -> (Vec<u8>, Vec<u8>) {
    let key_name = key.wire_name();
    let mut covered = header.to_vec();
    covered.extend_from_slice(sections);
    covered.extend_from_slice(&variables(&key_name, time, FUDGE, 0, &[]));
    let mac = key.mac(&covered).as_ref().to_vec();

    let mut rdata = ALGORITHM.to_vec();
    rdata.extend_from_slice(&time.to_be_bytes()[2..]);
    rdata.extend_from_slice(&FUDGE.to_be_bytes());
    rdata.extend_from_slice(&(mac.len() as u16).to_be_bytes());
    rdata.extend_from_slice(&mac);
    rdata.extend_from_slice(&header[..2]);
    rdata.extend_from_slice(&[0; 4]);

    let additional = u16::from_be_bytes([header[10], header[11]]).saturating_add(1);
    header[10..].copy_from_slice(&additional.to_be_bytes());
    let mut message = header.to_vec();
    message.extend_from_slice(sections);
    message.extend_from_slice(&key_name);
    message.extend_from_slice(&TYPE_TSIG.to_be_bytes());
    message.extend_from_slice(&CLASS_ANY.to_be_bytes());
    message.extend_from_slice(&0u32.to_be_bytes());
    message.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
    message.extend_from_slice(&rdata);
    (message, mac)
}

/// Why an answer's signature is not good.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Unverified {
    /// No TSIG record, or one that cannot be read.
    Unsigned,
    /// The server did not accept ours: its TSIG error code (16 BADSIG, 17 BADKEY, ...).
    Rejected(u16),
    /// Not signed with our key: another key or algorithm, or a MAC that does not match.
    Forged,
    /// Signed at a time more than the fudge away from ours.
    Clock,
}

/// Checks the TSIG record that ends `answer`, the server's answer to a request whose MAC
/// was `request_mac`, at `now` (seconds since 1970).
pub(super) fn verify(
    key: &TsigKey,
    request_mac: &[u8],
    answer: &[u8],
    now: u64,
) -> Result<(), Unverified> {
    let record = Record::find(answer).ok_or(Unverified::Unsigned)?;
    if record.error != 0 {
        return Err(Unverified::Rejected(record.error));
    }
    if record.key != key.wire_name()
        || record.algorithm != ALGORITHM
        || record.mac.len() != MAC_LENGTH
    {
        return Err(Unverified::Forged);
    }
    // RFC 8945 §4.3: the request's MAC, the answer as it was before it was signed, the
    // TSIG variables.
    let mut covered = (request_mac.len() as u16).to_be_bytes().to_vec();
    covered.extend_from_slice(request_mac);
    covered.extend_from_slice(&record.header);
    covered.extend_from_slice(record.sections);
    covered.extend_from_slice(&variables(
        &record.key,
        record.time,
        record.fudge,
        record.error,
        record.other,
    ));
    let verifying = hmac::Key::new(hmac::HMAC_SHA256, &key.secret);
    hmac::verify(&verifying, &covered, record.mac).map_err(|_| Unverified::Forged)?;
    if now.abs_diff(record.time) > u64::from(record.fudge) {
        return Err(Unverified::Clock);
    }
    Ok(())
}

/// An answer's TSIG record, read, and the message it signs.
struct Record<'a> {
    /// The answer's header as it was signed: the original ID, the record not counted.
    header: [u8; HEADER],
    /// The answer's sections before the record.
    sections: &'a [u8],
    /// The key's name, in lower case.
    key: Vec<u8>,
    algorithm: Vec<u8>,
    time: u64,
    fudge: u16,
    mac: &'a [u8],
    error: u16,
    other: &'a [u8],
}

impl<'a> Record<'a> {
    /// The TSIG record that must be the last additional record of `answer`, and end it.
    fn find(answer: &'a [u8]) -> Option<Record<'a>> {
        let mut reader = Reader::new(answer);
        reader.bytes(4)?;
        let (questions, answers, authority, additional) =
            (reader.u16()?, reader.u16()?, reader.u16()?, reader.u16()?);
        for _ in 0..questions {
            reader.name()?;
            reader.bytes(4)?;
        }
        let additional = additional.checked_sub(1)?;
        for _ in 0..u32::from(answers) + u32::from(authority) + u32::from(additional) {
            reader.skip_record()?;
        }
        let sections = reader.since(HEADER)?;
        let key = reader.name()?.to_ascii_lowercase();
        if (reader.u16()?, reader.u16()?, reader.u32()?) != (TYPE_TSIG, CLASS_ANY, 0) {
            return None;
        }
        let length = usize::from(reader.u16()?);
        let rdata_start = reader.at();
        let algorithm = reader.name()?.to_ascii_lowercase();
        let time = reader.u48()?;
        let fudge = reader.u16()?;
        let mac_length = usize::from(reader.u16()?);
        let mac = reader.bytes(mac_length)?;
        let original_id = reader.u16()?;
        let error = reader.u16()?;
        let other_length = usize::from(reader.u16()?);
        let other = reader.bytes(other_length)?;
        if reader.at() != rdata_start + length || reader.at() != answer.len() {
            return None;
        }
        let mut header = [0; HEADER];
        header.copy_from_slice(answer.get(..HEADER)?);
        header[..2].copy_from_slice(&original_id.to_be_bytes());
        header[10..].copy_from_slice(&additional.to_be_bytes());
        Some(Record {
            header,
            sections,
            key,
            algorithm,
            time,
            fudge,
            mac,
            error,
            other,
        })
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The key of the vectors below, as `tsig-keygen -a hmac-sha256 passport-test` wrote it.
    pub(in crate::dns) const KEY_FILE: &str = "key \"passport-test\" {\n\
        \talgorithm hmac-sha256;\n\
        \tsecret \"/XVMobpZzXyZPCQQtogXPBgrlK13X5rYoq5oW2NkfzA=\";\n};\n";

    // Captured between BIND 9.18's `nsupdate -y` and `named`: an update that adds
    // `_acme-challenge.hall.hubs.test. 60 TXT "ZGVtby12YWx1ZQ"` to the zone `hubs.test`...
    pub(in crate::dns) const ADD: &str = "669a2800000100000001000104687562730474657374000006\
        00010f5f61636d652d6368616c6c656e67650468616c6c046875627304746573740000100001\
        0000003c000f0e5a47567462793132595778315a51\
        0d70617373706f72742d746573740000fa00ff00000000003d0b686d61632d73686132353600\
        00006b167fb7012c002087b2cf08b01ea9862dbcb209d7d4bb4d71e79ea4d51d42ed39a2c1f9bca1fd7d\
        669a00000000";
    // ... named's answer to it...
    pub(in crate::dns) const ADD_ANSWER: &str = "669aa8000001000000000001046875627304746573740000060001\
        0d70617373706f72742d746573740000fa00ff00000000003d0b686d61632d73686132353600\
        00006b167fb7012c002064d0781b85ce0ca5163d20b5e188fc359f7c8f26c06777e01339bbd91f5ad41c\
        669a00000000";
    // ... the update that deletes that one record...
    pub(in crate::dns) const REMOVE: &str = "24b02800000100000001000104687562730474657374000006\
        00010f5f61636d652d6368616c6c656e67650468616c6c046875627304746573740000100\
        0fe00000000000f0e5a47567462793132595778315a51\
        0d70617373706f72742d746573740000fa00ff00000000003d0b686d61632d73686132353600\
        00006b167fbd012c0020844335c1f96fc8e7baac532a7e3b270bc30bc6e6dbf5860707176403102c204e\
        24b000000000";
    // ... and named's answer to an update signed with another secret: NOTAUTH, BADSIG.
    pub(in crate::dns) const BADSIG_ANSWER: &str = "2222a80900010000000000010468756273047465\
        737400000600010d70617373706f72742d746573740000fa00ff00000000001d0b686d61632d7368\
        6132353600\
        00006b167fbd012c0000222200100000";
    /// When the update `ADD` was signed; `REMOVE` was signed 6 seconds later.
    pub(in crate::dns) const ADD_TIME: u64 = 0x6b16_7fb7;
    /// The length of the TSIG record at the end of each update above.
    const RECORD: usize = 15 + 10 + 61;

    pub(in crate::dns) fn bytes(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|at| u8::from_str_radix(&hex[at..at + 2], 16).unwrap())
            .collect()
    }

    pub(in crate::dns) fn key() -> TsigKey {
        TsigKey::parse(KEY_FILE).unwrap()
    }

    /// The update's MAC: the 32 bytes before its original ID, error and other length.
    pub(in crate::dns) fn mac_of(update: &[u8]) -> &[u8] {
        &update[update.len() - 6 - MAC_LENGTH..update.len() - 6]
    }

    /// `update` as it was before it was signed: its header and its sections.
    fn unsigned(update: &[u8]) -> ([u8; HEADER], &[u8]) {
        let mut header: [u8; HEADER] = update[..HEADER].try_into().unwrap();
        header[11] -= 1;
        (header, &update[HEADER..update.len() - RECORD])
    }

    #[test]
    fn signing_what_nsupdate_signed_gives_the_same_bytes() {
        for (update, time) in [(ADD, ADD_TIME), (REMOVE, ADD_TIME + 6)] {
            let update = bytes(update);
            let (header, sections) = unsigned(&update);
            let (signed, mac) = sign(&key(), header, sections, time);
            assert_eq!(signed, update);
            assert_eq!(mac, mac_of(&update));
        }
    }

    #[test]
    fn nameds_answer_verifies_with_the_updates_mac() {
        let (update, answer) = (bytes(ADD), bytes(ADD_ANSWER));
        assert_eq!(verify(&key(), mac_of(&update), &answer, ADD_TIME), Ok(()));
    }

    #[test]
    fn an_answer_changed_in_any_byte_or_cut_short_is_not_taken() {
        let (update, answer) = (bytes(ADD), bytes(ADD_ANSWER));
        // Not the header's ID: the MAC covers the original ID in the TSIG record instead
        // (RFC 8945 §4.3.2), and `update::answers` matches the header's. The low bit, as
        // 0x20 would only change a name's case, which is the same name.
        for at in 2..answer.len() {
            let mut changed = answer.clone();
            changed[at] ^= 0x01;
            let verified = verify(&key(), mac_of(&update), &changed, ADD_TIME);
            assert!(verified.is_err(), "byte {at}");
        }
        for end in 0..answer.len() {
            let verified = verify(&key(), mac_of(&update), &answer[..end], ADD_TIME);
            assert_eq!(verified, Err(Unverified::Unsigned), "{end} bytes");
        }
    }

    #[test]
    fn an_answer_to_another_request_or_under_another_secret_is_forged() {
        let (update, answer) = (bytes(ADD), bytes(ADD_ANSWER));
        let other = bytes(REMOVE);
        let verified = verify(&key(), mac_of(&other), &answer, ADD_TIME);
        assert_eq!(verified, Err(Unverified::Forged));
        let same_name = TsigKey::parse(&KEY_FILE.replace("/XVM", "/XVN")).unwrap();
        let verified = verify(&same_name, mac_of(&update), &answer, ADD_TIME);
        assert_eq!(verified, Err(Unverified::Forged));
    }

    #[test]
    fn an_answer_signed_more_than_five_minutes_away_is_refused() {
        let (update, answer) = (bytes(ADD), bytes(ADD_ANSWER));
        let at = |now| verify(&key(), mac_of(&update), &answer, now);
        assert_eq!(at(ADD_TIME + 300), Ok(()));
        assert_eq!(at(ADD_TIME - 300), Ok(()));
        assert_eq!(at(ADD_TIME + 301), Err(Unverified::Clock));
        assert_eq!(at(ADD_TIME - 301), Err(Unverified::Clock));
    }

    #[test]
    fn the_servers_tsig_error_is_read_from_its_unsigned_answer() {
        let verified = verify(&key(), &[0; 32], &bytes(BADSIG_ANSWER), ADD_TIME);
        assert_eq!(verified, Err(Unverified::Rejected(16)));
    }

    #[test]
    fn an_answer_without_a_tsig_record_is_unsigned() {
        let answer = bytes(ADD_ANSWER);
        let mut bare = answer[..answer.len() - RECORD].to_vec();
        bare[11] = 0;
        let verified = verify(&key(), &[0; 32], &bare, ADD_TIME);
        assert_eq!(verified, Err(Unverified::Unsigned));
    }

    #[test]
    fn a_key_file_from_tsig_keygen_is_read_with_or_without_comments() {
        let key = key();
        assert_eq!(key.name, "passport-test");
        assert_eq!(key.secret.len(), 32);
        let commented = format!("# made for the tests\n/* two\nlines */ {KEY_FILE} // end");
        assert_eq!(TsigKey::parse(&commented).unwrap().secret, key.secret);
    }

    #[test]
    fn a_key_file_is_refused_with_what_is_wrong() {
        let refused = |text: &str| TsigKey::parse(text).unwrap_err().to_string();
        let md5 = refused(&KEY_FILE.replace("hmac-sha256", "hmac-md5"));
        assert!(md5.contains("hmac-md5") && md5.contains("tsig-keygen -a hmac-sha256"));
        let bad = refused(&KEY_FILE.replace("/XVM", "*XVM"));
        assert!(bad.contains("not base64"), "{bad}");
        let secret_line = KEY_FILE.lines().nth(2).unwrap();
        assert!(refused(&KEY_FILE.replace(secret_line, "")).contains("no secret"));
        let algorithm_line = KEY_FILE.lines().nth(1).unwrap();
        assert!(refused(&KEY_FILE.replace(algorithm_line, "")).contains("no algorithm"));
        for garbage in [
            "",
            "key",
            "key \"a\" {",
            "key \"a\" { secret \"x\" };",
            "{}",
        ] {
            assert!(refused(garbage).contains("tsig-keygen"), "{garbage:?}");
        }
        assert!(
            refused(&KEY_FILE.repeat(2)).contains("tsig-keygen"),
            "two keys"
        );
        assert!(refused("key \"a\" { secret \"abc").contains("quote is not closed"));
    }

    #[test]
    fn a_key_never_shows_its_secret() {
        let shown = format!("{:?}", key());
        assert!(shown.contains("passport-test") && shown.contains("hidden"));
        assert!(!shown.contains("XVM"), "{shown}");
    }
}
