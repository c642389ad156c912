//! RFC 2136 dynamic updates signed with TSIG: how central puts ACME's DNS-01 answers (TXT
//! records) in the organisation's zone on its own DNS server, and takes them out again.
//! BIND, Knot and PowerDNS all take them.

pub use super::tsig::TsigKey;
use super::tsig::{self, Unverified};
use super::wire::{self, CLASS_IN, HEADER, QR};
use super::{Answer, Provider};
use std::{
    fmt, io,
    net::{Ipv4Addr, Ipv6Addr, SocketAddr},
    path::PathBuf,
    time::{Duration, SystemTime, UNIX_EPOCH},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpStream, UdpSocket},
    time::timeout,
};

/// How many times an update is sent over UDP before giving up.
const TRIES: u32 = 3;
/// How long each try waits for the answer.
const WAIT: Duration = Duration::from_secs(5);
/// How long ACME's answers are kept by resolvers: they change with every certificate.
const ACME_TTL: u32 = 60;
const TYPE_SOA: u16 = 6;
const TYPE_TXT: u16 = 16;
/// The class of a record that an update deletes (RFC 2136 §2.5.4).
const CLASS_NONE: u16 = 254;
/// The opcode UPDATE, in a header's flags.
const UPDATE: u16 = 5 << 11;
/// The header flag of an answer cut short (TC): it is asked again over TCP.
const TRUNCATED: u16 = 0x0200;
/// The largest answer read over UDP.
const BUFFER: usize = 4096;

/// Why an update did not happen, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("the key file {path}: {source}")]
    KeyFile { path: PathBuf, source: io::Error },
    #[error("the TSIG key: {0}")]
    Key(String),
    #[error("`{name}` is not a DNS name: {why}")]
    Name { name: String, why: &'static str },
    #[error("`{name}` is not inside the zone `{zone}`")]
    OutsideZone { name: String, zone: String },
    #[error("the TXT value is {0} bytes long; a DNS character-string holds at most 255")]
    ValueTooLong(usize),
    #[error("could not reach the DNS server at {server}: {source}")]
    Network {
        server: SocketAddr,
        source: io::Error,
    },
    #[error("no answer from {server} after {tries} tries")]
    NoAnswer { server: SocketAddr, tries: u32 },
    #[error("the DNS server refused the update ({0}): {advice}", advice = .0.advice())]
    Refused(Rcode),
    #[error("{0}")]
    KeyRejected(TsigError),
    #[error("the answer from {0} is not signed with the key, so it cannot be trusted")]
    Unsigned(SocketAddr),
    #[error("the system gave no random numbers for the message ID")]
    NoRandom,
}

/// What a DNS server's answer says went wrong (its RCODE, RFC 2136 §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rcode {
    FormErr,
    ServFail,
    NxDomain,
    NotImp,
    Refused,
    YxDomain,
    YxRrset,
    NxRrset,
    NotAuth,
    NotZone,
    Other(u16),
}

impl Rcode {
    fn from_wire(code: u16) -> Rcode {
        match code {
            1 => Rcode::FormErr,
            2 => Rcode::ServFail,
            3 => Rcode::NxDomain,
            4 => Rcode::NotImp,
            5 => Rcode::Refused,
            6 => Rcode::YxDomain,
            7 => Rcode::YxRrset,
            8 => Rcode::NxRrset,
            9 => Rcode::NotAuth,
            10 => Rcode::NotZone,
            other => Rcode::Other(other),
        }
    }

    /// What to check, for an operator.
    pub fn advice(&self) -> &'static str {
        match self {
            Rcode::FormErr => "it could not read the update; does it take RFC 2136 updates?",
            Rcode::ServFail => "it failed while changing the zone; see its log",
            Rcode::NotImp => "it does not take dynamic updates",
            Rcode::Refused => "check the key and the zone's update-policy",
            Rcode::NotAuth => {
                "it is not the primary server of the zone, or does not accept the key"
            }
            Rcode::NotZone => "the name is not in the zone it has; check the zone's name",
            Rcode::NxDomain | Rcode::YxDomain | Rcode::YxRrset | Rcode::NxRrset => {
                "a prerequisite failed, and this update has none; see its log"
            }
            Rcode::Other(_) => "see its log",
        }
    }
}

impl fmt::Display for Rcode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Rcode::FormErr => "FORMERR",
            Rcode::ServFail => "SERVFAIL",
            Rcode::NxDomain => "NXDOMAIN",
            Rcode::NotImp => "NOTIMP",
            Rcode::Refused => "REFUSED",
            Rcode::YxDomain => "YXDOMAIN",
            Rcode::YxRrset => "YXRRSET",
            Rcode::NxRrset => "NXRRSET",
            Rcode::NotAuth => "NOTAUTH",
            Rcode::NotZone => "NOTZONE",
            Rcode::Other(code) => return write!(formatter, "RCODE {code}"),
        };
        formatter.write_str(name)
    }
}

/// Why the DNS server, or this end, did not accept a signature (RFC 8945 §5.2 and §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TsigError {
    #[error(
        "the DNS server did not accept the update's signature (BADSIG): \
         the key's secret differs from the server's"
    )]
    BadSig,
    #[error(
        "the DNS server does not know the key (BADKEY): \
         check the key's name and algorithm in the server's configuration"
    )]
    BadKey,
    #[error(
        "the clocks of this machine and the DNS server differ by more than 5 minutes (BADTIME)"
    )]
    BadTime,
    #[error("the DNS server did not accept the update's signature (TSIG error {0})")]
    Other(u16),
}

impl TsigError {
    fn from_wire(code: u16) -> TsigError {
        match code {
            16 => TsigError::BadSig,
            17 => TsigError::BadKey,
            18 => TsigError::BadTime,
            other => TsigError::Other(other),
        }
    }
}

/// A zone on a DNS server that takes RFC 2136 updates signed with `key`.
#[derive(Debug)]
pub struct Rfc2136 {
    /// The zone's primary server, usually on port 53.
    pub server: SocketAddr,
    /// The zone, `hubs.example.org`: every name updated must be inside it.
    pub zone: String,
    /// The key the zone's update-policy grants TXT records to.
    pub key: TsigKey,
}

/// What an update does to the one TXT record.
#[derive(Debug, Clone, Copy)]
enum Change {
    Add { ttl: u32 },
    Remove,
}

impl Rfc2136 {
    /// Adds the TXT record `value` at `name`, keeping any others there (two challenges for
    /// one name can be under way at once).
    pub async fn set_txt(&self, name: &str, value: &str, ttl: u32) -> Result<(), UpdateError> {
        self.update(name, value, Change::Add { ttl }).await
    }

    /// Deletes the TXT record `value` at `name`, and no other.
    pub async fn remove_txt(&self, name: &str, value: &str) -> Result<(), UpdateError> {
        self.update(name, value, Change::Remove).await
    }

    async fn update(&self, name: &str, value: &str, change: Change) -> Result<(), UpdateError> {
        let mut id = [0; 2];
        getrandom::fill(&mut id).map_err(|_| UpdateError::NoRandom)?;
        let id = u16::from_be_bytes(id);
        let (header, sections) = unsigned_update(id, &self.zone, name, value, change)?;
        let (message, mac) = tsig::sign(&self.key, header, &sections, now());
        tracing::debug!(server = %self.server, %name, ?change, "dns: sending an update");
        let answer = exchange(self.server, &message, id, WAIT).await?;
        judge(&self.key, &mac, &answer, now(), self.server)
    }
}

impl Provider for Rfc2136 {
    fn set_txt<'a>(&'a self, name: &'a str, value: &'a str) -> Answer<'a> {
        Box::pin(async move {
            Rfc2136::set_txt(self, name, value, ACME_TTL)
                .await
                .map_err(|error| error.to_string())
        })
    }

    fn remove_txt<'a>(&'a self, name: &'a str, value: &'a str) -> Answer<'a> {
        Box::pin(async move {
            Rfc2136::remove_txt(self, name, value)
                .await
                .map_err(|error| error.to_string())
        })
    }
}

/// Seconds since 1970, as TSIG signs with.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// The update's header and sections, not yet signed: the zone's SOA in the zone section,
/// the one TXT record added or deleted in the update section.
fn unsigned_update(
    id: u16,
    zone: &str,
    name: &str,
    value: &str,
    change: Change,
) -> Result<([u8; HEADER], Vec<u8>), UpdateError> {
    let encode = |text: &str| {
        wire::encode_name(text).map_err(|why| UpdateError::Name {
            name: text.to_owned(),
            why,
        })
    };
    let (zone_wire, name_wire) = (encode(zone)?, encode(name)?);
    if !wire::is_within(
        &name_wire.to_ascii_lowercase(),
        &zone_wire.to_ascii_lowercase(),
    ) {
        return Err(UpdateError::OutsideZone {
            name: name.to_owned(),
            zone: zone.to_owned(),
        });
    }
    let length = u8::try_from(value.len()).map_err(|_| UpdateError::ValueTooLong(value.len()))?;
    let (class, ttl) = match change {
        Change::Add { ttl } => (CLASS_IN, ttl),
        Change::Remove => (CLASS_NONE, 0),
    };
    let mut header = [0; HEADER];
    // The ID, the opcode, then one zone, no prerequisites, one update, no additional.
    for (slot, field) in header.chunks_exact_mut(2).zip([id, UPDATE, 1, 0, 1, 0]) {
        slot.copy_from_slice(&field.to_be_bytes());
    }
    let mut sections = zone_wire;
    sections.extend_from_slice(&TYPE_SOA.to_be_bytes());
    sections.extend_from_slice(&CLASS_IN.to_be_bytes());
    sections.extend_from_slice(&name_wire);
    sections.extend_from_slice(&TYPE_TXT.to_be_bytes());
    sections.extend_from_slice(&class.to_be_bytes());
    sections.extend_from_slice(&ttl.to_be_bytes());
    sections.extend_from_slice(&(u16::from(length) + 1).to_be_bytes());
    sections.push(length);
    sections.extend_from_slice(value.as_bytes());
    Ok((header, sections))
}

/// The header's flags, or none for a packet too short to have them.
fn flags(packet: &[u8]) -> u16 {
    let two = packet.get(2..4).and_then(|two| two.try_into().ok());
    two.map_or(0, u16::from_be_bytes)
}

/// Whether `packet` is the server's answer to the update with this `id`.
fn answers(packet: &[u8], id: u16) -> bool {
    let flags = flags(packet);
    packet.len() >= HEADER
        && packet.get(..2) == Some(&id.to_be_bytes()[..])
        && flags & QR != 0
        && wire::opcode(flags) == wire::opcode(UPDATE)
}

/// Sends `message` to `server` over UDP and returns the answer: up to [`TRIES`] times,
/// waiting `wait` each time, then once over TCP if the answer was cut short.
async fn exchange(
    server: SocketAddr,
    message: &[u8],
    id: u16,
    wait: Duration,
) -> Result<Vec<u8>, UpdateError> {
    let network = |source| UpdateError::Network { server, source };
    let no_answer = UpdateError::NoAnswer {
        server,
        tries: TRIES,
    };
    let local: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(local).await.map_err(network)?;
    socket.connect(server).await.map_err(network)?;
    for _ in 0..TRIES {
        socket.send(message).await.map_err(network)?;
        let Ok(answer) = timeout(wait, answer_over_udp(&socket, id)).await else {
            continue;
        };
        let answer = answer.map_err(network)?;
        if flags(&answer) & TRUNCATED == 0 {
            return Ok(answer);
        }
        tracing::debug!(%server, "dns: the answer was cut short; asking over TCP");
        return match timeout(wait, answer_over_tcp(server, message, id)).await {
            Ok(answer) => answer.map_err(network),
            Err(_) => Err(no_answer),
        };
    }
    Err(no_answer)
}

/// The first datagram on `socket` that answers `id`; others are someone else's, or forged.
async fn answer_over_udp(socket: &UdpSocket, id: u16) -> io::Result<Vec<u8>> {
    let mut buffer = vec![0; BUFFER];
    loop {
        let length = socket.recv(&mut buffer).await?;
        let packet = buffer.get(..length).unwrap_or_default();
        if answers(packet, id) {
            return Ok(packet.to_vec());
        }
    }
}

/// Sends `message` over TCP, with its length before it, and reads the answer to `id`.
async fn answer_over_tcp(server: SocketAddr, message: &[u8], id: u16) -> io::Result<Vec<u8>> {
    let length = u16::try_from(message.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "the update is too long"))?;
    let mut stream = TcpStream::connect(server).await?;
    let mut framed = length.to_be_bytes().to_vec();
    framed.extend_from_slice(message);
    stream.write_all(&framed).await?;
    loop {
        let mut length = [0; 2];
        stream.read_exact(&mut length).await?;
        // At most 64 KiB: what a two-byte length can say.
        let mut answer = vec![0; usize::from(u16::from_be_bytes(length))];
        stream.read_exact(&mut answer).await?;
        if answers(&answer, id) {
            return Ok(answer);
        }
    }
}

/// What the server's `answer` means, once its signature is checked against the update's
/// `mac`. A refusal is believed unsigned: it leaves the zone as it was either way.
fn judge(
    key: &TsigKey,
    mac: &[u8],
    answer: &[u8],
    now: u64,
    server: SocketAddr,
) -> Result<(), UpdateError> {
    let rcode = flags(answer) & 0xF;
    match tsig::verify(key, mac, answer, now) {
        Err(Unverified::Rejected(code)) => {
            Err(UpdateError::KeyRejected(TsigError::from_wire(code)))
        }
        _ if rcode != 0 => Err(UpdateError::Refused(Rcode::from_wire(rcode))),
        Ok(()) => Ok(()),
        Err(Unverified::Clock) => Err(UpdateError::KeyRejected(TsigError::BadTime)),
        Err(Unverified::Unsigned | Unverified::Forged) => Err(UpdateError::Unsigned(server)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::tsig::tests::{
        ADD, ADD_ANSWER, ADD_TIME, BADSIG_ANSWER, REMOVE, bytes, key, mac_of,
    };

    const NAME: &str = "_acme-challenge.hall.hubs.test";
    const VALUE: &str = "ZGVtby12YWx1ZQ";

    fn add_answer() -> Vec<u8> {
        bytes(ADD_ANSWER)
    }

    fn zone(server: SocketAddr) -> Rfc2136 {
        Rfc2136 {
            server,
            zone: "hubs.test".to_owned(),
            key: key(),
        }
    }

    #[test]
    fn an_update_is_laid_out_byte_for_byte_as_nsupdate_lays_it_out() {
        for (id, change, time, captured) in [
            (0x669a, Change::Add { ttl: 60 }, ADD_TIME, ADD),
            (0x24b0, Change::Remove, ADD_TIME + 6, REMOVE),
        ] {
            let (header, sections) = unsigned_update(id, "hubs.test", NAME, VALUE, change).unwrap();
            let (message, _) = tsig::sign(&key(), header, &sections, time);
            assert_eq!(message, bytes(captured), "{change:?}");
        }
    }

    #[test]
    fn names_outside_the_zone_are_refused() {
        for outside in ["hall.example.org", "xhubs.test", "hubs.test.evil", "test"] {
            let refused = unsigned_update(1, "hubs.test", outside, VALUE, Change::Remove);
            assert!(
                matches!(refused, Err(UpdateError::OutsideZone { .. })),
                "{outside}"
            );
        }
        for inside in ["hubs.test", "_ACME-challenge.Hall.HUBS.test.", NAME] {
            assert!(unsigned_update(1, "Hubs.Test.", inside, VALUE, Change::Remove).is_ok());
        }
    }

    #[test]
    fn a_value_longer_than_one_character_string_or_a_bad_name_is_refused() {
        let value = "v".repeat(256);
        let refused = unsigned_update(1, "hubs.test", NAME, &value, Change::Remove).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the TXT value is 256 bytes long; a DNS character-string holds at most 255"
        );
        assert!(unsigned_update(1, "hubs.test", NAME, &value[1..], Change::Remove).is_ok());
        let refused = unsigned_update(1, "hubs test", NAME, VALUE, Change::Remove);
        assert!(matches!(refused, Err(UpdateError::Name { .. })));
    }

    #[test]
    fn the_answer_decides_with_its_signature_and_rcode() {
        let mac = mac_of(&bytes(ADD)).to_vec();
        let server: SocketAddr = "192.0.2.1:53".parse().unwrap();
        let judged = |answer: &[u8]| judge(&key(), &mac, answer, ADD_TIME, server);
        assert!(judged(&add_answer()).is_ok());

        let bad_sig = judged(&bytes(BADSIG_ANSWER)).unwrap_err();
        assert!(matches!(
            bad_sig,
            UpdateError::KeyRejected(TsigError::BadSig)
        ));
        assert!(bad_sig.to_string().contains("(BADSIG)"), "{bad_sig}");

        let mut refused = add_answer();
        refused[3] = 5;
        assert_eq!(
            judged(&refused).unwrap_err().to_string(),
            "the DNS server refused the update (REFUSED): \
             check the key and the zone's update-policy"
        );

        let mut forged = add_answer();
        forged[40] ^= 1;
        assert!(matches!(judged(&forged), Err(UpdateError::Unsigned(_))));
        let late = judge(&key(), &mac, &add_answer(), ADD_TIME + 3600, server);
        assert!(matches!(
            late,
            Err(UpdateError::KeyRejected(TsigError::BadTime))
        ));
    }

    #[tokio::test]
    async fn an_answer_cut_short_is_asked_again_over_tcp() {
        let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let server = udp.local_addr().unwrap();
        let tcp = tokio::net::TcpListener::bind(server).await.unwrap();
        let update = bytes(ADD);
        let expected = update.clone();
        tokio::spawn(async move {
            let mut buffer = [0; 512];
            let (length, client) = udp.recv_from(&mut buffer).await.unwrap();
            assert_eq!(&buffer[..length], &expected[..]);
            // Another ID first, which is not the answer; then the answer, cut short.
            udp.send_to(&[0, 1, 0xAA, 0, 0, 0, 0, 0, 0, 0, 0, 0], client)
                .await
                .unwrap();
            let truncated = [0x66, 0x9a, 0xAA, 0, 0, 0, 0, 0, 0, 0, 0, 0];
            udp.send_to(&truncated, client).await.unwrap();
            let (mut stream, _) = tcp.accept().await.unwrap();
            let mut length = [0; 2];
            stream.read_exact(&mut length).await.unwrap();
            let mut message = vec![0; usize::from(u16::from_be_bytes(length))];
            stream.read_exact(&mut message).await.unwrap();
            assert_eq!(message, expected);
            let answer = add_answer();
            let mut framed = (answer.len() as u16).to_be_bytes().to_vec();
            framed.extend_from_slice(&answer);
            stream.write_all(&framed).await.unwrap();
        });
        let answer = exchange(server, &update, 0x669a, WAIT).await.unwrap();
        assert_eq!(answer, add_answer());
    }

    #[tokio::test]
    async fn a_silent_server_is_tried_three_times_then_named() {
        let silent = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let server = silent.local_addr().unwrap();
        let wait = Duration::from_millis(50);
        let failed = exchange(server, &bytes(ADD), 0x669a, wait)
            .await
            .unwrap_err();
        assert_eq!(
            failed.to_string(),
            format!("no answer from {server} after 3 tries")
        );
        let mut buffer = [0; 512];
        for _ in 0..3 {
            let received = timeout(WAIT, silent.recv_from(&mut buffer)).await;
            received.expect("one copy per try").unwrap();
        }
        let more = timeout(Duration::from_millis(100), silent.recv_from(&mut buffer)).await;
        assert!(more.is_err(), "a fourth copy");
    }

    #[tokio::test]
    async fn a_name_outside_the_zone_is_refused_before_anything_is_sent() {
        let nobody = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let zone = zone(nobody.local_addr().unwrap());
        let refused = zone
            .set_txt("_acme-challenge.hall.example.org", VALUE, 60)
            .await;
        assert!(matches!(refused, Err(UpdateError::OutsideZone { .. })));
        let refused = Provider::remove_txt(&zone, "hall.example.org", VALUE).await;
        assert_eq!(
            refused.unwrap_err(),
            "`hall.example.org` is not inside the zone `hubs.test`"
        );
        let mut buffer = [0; 512];
        let sent = timeout(Duration::from_millis(100), nobody.recv_from(&mut buffer)).await;
        assert!(sent.is_err(), "nothing was sent");
    }
}
