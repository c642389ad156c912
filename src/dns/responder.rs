//! The hub's own-name responder: on the event network, DNS queries for the hub's one name
//! are answered with the hub's address there, so phones on its hotspot reach it by the name
//! its TLS certificate carries. Any other name is refused: it is not a resolver.
//!
//! What comes in, and what goes back:
//! - shorter than a header, or an answer (QR set, perhaps reflected at us): nothing;
//! - an opcode other than QUERY: NOTIMP, the header alone;
//! - a question that cannot be read (not exactly one, a compression pointer in it, a label
//!   over 63 bytes, a name over 255, cut short): FORMERR, the header alone;
//! - the hub's name, class IN: its A or AAAA record (TTL 60), else no records (NODATA);
//! - anything else: REFUSED, the question echoed.
//!
//! An answer is at most 28 bytes longer than the query, so it is no use for amplification.
//! The additional section (an EDNS OPT) is not read and not answered.

use super::wire::{self, CLASS_IN, HEADER, QR, Reader};
use std::{
    io,
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
};
use tokio::net::UdpSocket;

const TYPE_A: u16 = 1;
const TYPE_AAAA: u16 = 28;
/// How long phones may keep the answer: short, as the hub's address may change.
const TTL: u32 = 60;
/// The flags echoed from the query: recursion desired (RD).
const RD: u16 = 0x0100;
/// The flag of an authoritative answer (AA).
const AA: u16 = 0x0400;
const FORMERR: u16 = 1;
const NOTIMP: u16 = 4;
const REFUSED: u16 = 5;
/// The largest query read: DNS flag day 2020's safe EDNS size.
const BUFFER: usize = 1232;

/// The answer to one DNS `query` for the hub called `name` at the address `own`, or `None`
/// when the packet is dropped (see the module's notes).
pub fn respond(query: &[u8], name: &str, own: IpAddr) -> Option<Vec<u8>> {
    let mut reader = Reader::new(query);
    let id = reader.u16()?;
    let flags = reader.u16()?;
    let questions = reader.u16()?;
    reader.bytes(HEADER - 6)?;
    if flags & QR != 0 {
        return None;
    }
    let rd = flags & RD;
    if wire::opcode(flags) != 0 {
        return Some(header(id, rd | NOTIMP, 0, 0));
    }
    let Some(question) = Question::read(&mut reader, questions) else {
        return Some(header(id, rd | FORMERR, 0, 0));
    };
    let ours = question.class == CLASS_IN
        && wire::encode_name(name).is_ok_and(|wire| wire.eq_ignore_ascii_case(question.name));
    if !ours {
        let mut answer = header(id, rd | REFUSED, 1, 0);
        answer.extend_from_slice(question.raw);
        return Some(answer);
    }
    let address = match (question.kind, own.to_canonical()) {
        (TYPE_A, IpAddr::V4(v4)) => Some(v4.octets().to_vec()),
        (TYPE_AAAA, IpAddr::V6(v6)) => Some(v6.octets().to_vec()),
        _ => None,
    };
    let mut answer = header(id, rd | AA, 1, u16::from(address.is_some()));
    answer.extend_from_slice(question.raw);
    if let Some(address) = address {
        // The owner is a pointer to the question's name, right after the header.
        answer.extend_from_slice(&(0xC000 | HEADER as u16).to_be_bytes());
        answer.extend_from_slice(&question.kind.to_be_bytes());
        answer.extend_from_slice(&CLASS_IN.to_be_bytes());
        answer.extend_from_slice(&TTL.to_be_bytes());
        answer.extend_from_slice(&(address.len() as u16).to_be_bytes());
        answer.extend_from_slice(&address);
    }
    Some(answer)
}

/// The one question of a query, as it came.
struct Question<'a> {
    /// Name, type and class, echoed in the answer in the querier's own case.
    raw: &'a [u8],
    name: &'a [u8],
    kind: u16,
    class: u16,
}

impl<'a> Question<'a> {
    fn read(reader: &mut Reader<'a>, count: u16) -> Option<Question<'a>> {
        if count != 1 {
            return None;
        }
        let start = reader.at();
        let name = reader.plain_name()?;
        let kind = reader.u16()?;
        let class = reader.u16()?;
        Some(Question {
            raw: reader.since(start)?,
            name,
            kind,
            class,
        })
    }
}

/// An answer's header: QR set, no authority or additional records.
fn header(id: u16, flags: u16, questions: u16, answers: u16) -> Vec<u8> {
    let mut header = Vec::with_capacity(HEADER + 300);
    for field in [id, QR | flags, questions, answers, 0, 0] {
        header.extend_from_slice(&field.to_be_bytes());
    }
    header
}

/// Answers DNS queries on `socket` for the hub called `name`, until the socket fails.
///
/// The address in the answer is the one the querier reaches the hub at: the socket's own
/// when it is bound to one, else the one the system routes to the querier from.
pub async fn serve(socket: UdpSocket, name: String) -> io::Result<()> {
    if let Err(why) = wire::encode_name(&name) {
        let message = format!("`{name}` is not a DNS name: {why}");
        return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
    }
    let bound = socket.local_addr()?.ip();
    tracing::debug!(%name, address = %bound, "dns: answering for the hub's name");
    let mut buffer = [0u8; BUFFER];
    loop {
        let (length, peer) = match socket.recv_from(&mut buffer).await {
            Ok(received) => received,
            Err(error) if passing(&error) => {
                tracing::debug!(%error, "dns: a receive failed");
                continue;
            }
            Err(error) => return Err(error),
        };
        let own = if bound.is_unspecified() {
            match route_to(peer) {
                Ok(own) => own,
                Err(error) => {
                    tracing::debug!(%peer, %error, "dns: no route back to the querier");
                    continue;
                }
            }
        } else {
            bound
        };
        let query = buffer.get(..length).unwrap_or_default();
        let Some(answer) = respond(query, &name, own) else {
            tracing::debug!(%peer, length, "dns: dropped a packet that is not a query");
            continue;
        };
        if let Err(error) = socket.send_to(&answer, peer).await {
            tracing::debug!(%peer, %error, "dns: an answer could not be sent");
        }
    }
}

/// Errors a UDP socket reports about one earlier datagram (an ICMP message), after which it
/// goes on working.
fn passing(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// This machine's address on the way to `peer`: a UDP socket connected there sends nothing,
/// but the system picks the source address it would use.
fn route_to(peer: SocketAddr) -> io::Result<IpAddr> {
    let unspecified = match peer {
        SocketAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    };
    let probe = std::net::UdpSocket::bind((unspecified, 0))?;
    probe.connect(peer)?;
    Ok(probe.local_addr()?.ip().to_canonical())
}

/// The lines that make a hotspot's own DNS answer `name` with `ip` instead of this
/// responder, each after a comment that says where it goes.
pub fn hotspot_lines(name: &str, ip: IpAddr) -> String {
    let name = name.strip_suffix('.').unwrap_or(name);
    format!(
        "# Linux (NetworkManager hotspot): in /etc/NetworkManager/dnsmasq-shared.d/passport.conf\n\
         address=/{name}/{ip}\n\
         # Windows (Mobile Hotspot): in C:\\Windows\\System32\\drivers\\etc\\hosts, as administrator\n\
         {ip} {name}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const HUB: &str = "hall.hubs.example.org";
    const V4: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 42, 0, 1));
    const V6: IpAddr = IpAddr::V6(Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 1));
    const MX: u16 = 15;

    /// A query as a phone sends it: ID 0x1234, recursion desired, one question of class IN.
    fn query(name: &str, kind: u16) -> Vec<u8> {
        let mut query = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
        for label in name.split('.').filter(|label| !label.is_empty()) {
            query.push(label.len() as u8);
            query.extend_from_slice(label.as_bytes());
        }
        query.push(0);
        query.extend_from_slice(&kind.to_be_bytes());
        query.extend_from_slice(&CLASS_IN.to_be_bytes());
        query
    }

    fn rcode(answer: &[u8]) -> u16 {
        u16::from(answer[3] & 0xF)
    }

    fn answers(answer: &[u8]) -> u16 {
        u16::from_be_bytes([answer[6], answer[7]])
    }

    #[test]
    fn the_hubs_name_is_answered_with_its_ipv4_address() {
        let query = query(HUB, TYPE_A);
        let answer = respond(&query, HUB, V4).unwrap();
        assert_eq!(&answer[..2], &[0x12, 0x34], "the ID is echoed");
        assert_eq!(answer[2], 0x85, "QR, AA and RD");
        assert_eq!((rcode(&answer), answers(&answer)), (0, 1));
        assert_eq!(
            &answer[HEADER..query.len()],
            &query[HEADER..],
            "the question"
        );
        let record = &answer[query.len()..];
        assert_eq!(&record[..2], &[0xC0, 0x0C], "owner: the question's name");
        assert_eq!(&record[2..6], &[0, 1, 0, 1], "type A, class IN");
        assert_eq!(&record[6..10], &60u32.to_be_bytes(), "TTL");
        assert_eq!(&record[10..], &[0, 4, 10, 42, 0, 1]);
    }

    #[test]
    fn aaaa_is_answered_when_the_hub_is_reached_over_ipv6() {
        let query = query(HUB, TYPE_AAAA);
        let answer = respond(&query, HUB, V6).unwrap();
        assert_eq!(answers(&answer), 1);
        let rdata = &answer[answer.len() - 18..];
        assert_eq!(&rdata[..2], &[0, 16]);
        assert_eq!(
            &rdata[2..],
            &Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 1).octets()
        );
    }

    #[test]
    fn other_types_of_the_hubs_name_have_no_records() {
        for (kind, own) in [(MX, V4), (TYPE_AAAA, V4), (TYPE_A, V6)] {
            let answer = respond(&query(HUB, kind), HUB, own).unwrap();
            assert_eq!((rcode(&answer), answers(&answer)), (0, 0), "type {kind}");
            assert_eq!(answer[2] & 0x04, 0x04, "authoritative");
        }
    }

    #[test]
    fn an_ipv4_address_seen_through_an_ipv6_socket_still_answers_a() {
        let mapped = IpAddr::V6(Ipv4Addr::new(10, 42, 0, 1).to_ipv6_mapped());
        let answer = respond(&query(HUB, TYPE_A), HUB, mapped).unwrap();
        assert_eq!(&answer[answer.len() - 4..], &[10, 42, 0, 1]);
    }

    #[test]
    fn the_name_matches_in_any_case_and_with_a_final_dot_and_keeps_the_askers_case() {
        let asked = query("HALL.Hubs.example.ORG.", TYPE_A);
        for configured in [HUB, "hall.hubs.example.org.", "Hall.Hubs.Example.Org"] {
            let answer = respond(&asked, configured, V4).unwrap();
            assert_eq!(answers(&answer), 1, "{configured}");
            assert_eq!(&answer[HEADER..asked.len()], &asked[HEADER..]);
        }
    }

    #[test]
    fn any_other_name_is_refused_with_the_question_echoed() {
        for other in ["example.org", "hubs.example.org", "x.hall.hubs.example.org"] {
            let query = query(other, TYPE_A);
            let answer = respond(&query, HUB, V4).unwrap();
            assert_eq!((rcode(&answer), answers(&answer)), (REFUSED, 0), "{other}");
            assert_eq!(&answer[HEADER..], &query[HEADER..]);
            assert_eq!(answer[2] & 0x04, 0, "not authoritative");
        }
    }

    #[test]
    fn the_hubs_name_in_another_class_is_refused() {
        let mut chaos = query(HUB, TYPE_A);
        let last = chaos.len() - 1;
        chaos[last] = 3;
        assert_eq!(rcode(&respond(&chaos, HUB, V4).unwrap()), REFUSED);
    }

    #[test]
    fn answers_and_short_packets_are_dropped() {
        let mut reflected = query(HUB, TYPE_A);
        reflected[2] |= 0x80;
        assert_eq!(respond(&reflected, HUB, V4), None);
        assert_eq!(respond(&query(HUB, TYPE_A)[..11], HUB, V4), None);
        assert_eq!(respond(&[], HUB, V4), None);
    }

    #[test]
    fn unreadable_questions_get_formerr_and_the_header_alone() {
        let good = query(HUB, TYPE_A);
        let mut none = good[..HEADER].to_vec();
        none[5] = 0;
        let mut two = good.clone();
        two[5] = 2;
        two.extend_from_slice(&good[HEADER..]);
        let mut pointer = good[..HEADER].to_vec();
        pointer.extend_from_slice(&[4, b'h', b'a', b'l', b'l', 0xC0, 0x0C, 0, 1, 0, 1]);
        let mut long_label = good[..HEADER].to_vec();
        long_label.push(64);
        long_label.extend_from_slice(&[b'a'; 64]);
        long_label.extend_from_slice(&[0, 0, 1, 0, 1]);
        let long_name = query(&vec!["a".repeat(63); 5].join("."), TYPE_A);
        let cut = good[..good.len() - 1].to_vec();
        for (what, bad) in [
            ("no question", none),
            ("two questions", two),
            ("a pointer", pointer),
            ("a 64-byte label", long_label),
            ("a 320-byte name", long_name),
            ("cut short", cut),
        ] {
            let answer = respond(&bad, HUB, V4).unwrap();
            assert_eq!(answer.len(), HEADER, "{what}");
            assert_eq!((rcode(&answer), &answer[..2]), (FORMERR, &[0x12, 0x34][..]));
        }
    }

    #[test]
    fn other_opcodes_get_notimp() {
        let mut update = query(HUB, TYPE_A);
        update[2] = 5 << 3;
        let answer = respond(&update, HUB, V4).unwrap();
        assert_eq!((rcode(&answer), answer.len()), (NOTIMP, HEADER));
    }

    #[test]
    fn an_edns_record_after_the_question_is_ignored() {
        let mut query = query(HUB, TYPE_A);
        query[11] = 1;
        query.extend_from_slice(&[0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]);
        let answer = respond(&query, HUB, V4).unwrap();
        assert_eq!(answers(&answer), 1);
        assert_eq!(&answer[answer.len() - 4..], &[10, 42, 0, 1]);
    }

    /// No input panics, and no answer is more than one record longer than its query.
    #[test]
    fn no_input_panics_or_gets_an_amplified_answer() {
        let good = query(HUB, TYPE_A);
        let check = |packet: &[u8]| {
            if let Some(answer) = respond(packet, HUB, V6) {
                assert!(answer.len() <= packet.len() + 28, "{packet:?}");
            }
        };
        for end in 0..=good.len() {
            check(&good[..end]);
        }
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..4000 {
            let packet = if round % 2 == 0 {
                // Half are the query with a few bytes changed, but still a query.
                let mut packet = good.clone();
                for _ in 0..1 + next() % 4 {
                    let at = (next() as usize) % packet.len();
                    packet[at] = next() as u8;
                }
                packet[2] &= 0x7F;
                packet
            } else {
                let length = (next() % 300) as usize;
                (0..length).map(|_| next() as u8).collect()
            };
            check(&packet);
        }
    }

    #[test]
    fn hotspot_lines_name_the_hub_and_its_address() {
        let lines = hotspot_lines("hall.hubs.example.org.", V4);
        assert!(lines.contains("\naddress=/hall.hubs.example.org/10.42.0.1\n"));
        assert!(lines.contains("\n10.42.0.1 hall.hubs.example.org\n"));
        assert!(lines.contains("dnsmasq-shared.d/passport.conf"));
        assert!(lines.contains(r"C:\Windows\System32\drivers\etc\hosts"));
        assert_eq!(
            lines.lines().filter(|line| line.starts_with('#')).count(),
            2
        );
    }

    #[tokio::test]
    async fn the_responder_answers_over_udp_with_the_address_it_is_bound_to() {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let server = socket.local_addr().unwrap();
        let running = tokio::spawn(serve(socket, HUB.to_owned()));
        let phone = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        phone.send_to(&query(HUB, TYPE_A), server).await.unwrap();
        let mut buffer = [0u8; 512];
        let wait = std::time::Duration::from_secs(5);
        let (length, from) = tokio::time::timeout(wait, phone.recv_from(&mut buffer))
            .await
            .expect("an answer within 5 s")
            .unwrap();
        running.abort();
        assert_eq!(from, server);
        assert_eq!(answers(&buffer[..length]), 1);
        assert_eq!(&buffer[length - 4..length], &[127, 0, 0, 1]);
    }

    #[test]
    fn the_route_to_this_machine_is_a_loopback_address() {
        let own = route_to("127.0.0.1:53".parse().unwrap()).unwrap();
        assert!(own.is_loopback(), "{own}");
    }
}
