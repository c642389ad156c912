//! DNS wire format (RFC 1035 §4.1) for the responder and the updates: names written from
//! text, and a reader that checks every length against the packet, so no input can make it
//! read past the end, loop, or allocate more than a name's 255 bytes.

/// The longest name on the wire, its length bytes and the root's zero included.
const MAX_NAME: usize = 255;
/// The longest label; length bytes above it are compression pointers or reserved.
const MAX_LABEL: usize = 63;
/// The two top bits that mark a compression pointer (RFC 1035 §4.1.4).
const POINTER: u8 = 0xC0;

/// The header's size, and where the questions begin.
pub(super) const HEADER: usize = 12;
/// The header flag of an answer (QR).
pub(super) const QR: u16 = 0x8000;
/// Class IN, the Internet.
pub(super) const CLASS_IN: u16 = 1;

/// The opcode in a header's flags (QUERY is 0, UPDATE is 5).
pub(super) fn opcode(flags: u16) -> u16 {
    (flags >> 11) & 0xF
}

/// `text` (`hall.hubs.example.org`, the final dot optional) as a name on the wire, in the
/// case it was written. Only letters, digits, `-` and `_` may be in a label: these names
/// come from settings, where anything else is a typing mistake.
pub(super) fn encode_name(text: &str) -> Result<Vec<u8>, &'static str> {
    let text = text.strip_suffix('.').unwrap_or(text);
    if text.is_empty() {
        return Err("it is empty");
    }
    let mut wire = Vec::with_capacity(text.len() + 2);
    for label in text.split('.') {
        if label.is_empty() {
            return Err("it has an empty label (two dots in a row?)");
        }
        if label.len() > MAX_LABEL {
            return Err("a label is longer than 63 characters");
        }
        if !label
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
        {
            return Err("only letters, digits, `-` and `_` may be in a name");
        }
        wire.push(label.len() as u8);
        wire.extend_from_slice(label.as_bytes());
    }
    wire.push(0);
    if wire.len() > MAX_NAME {
        return Err("it is longer than 255 bytes");
    }
    Ok(wire)
}

/// Whether `name` is `zone` or below it, both on the wire in lower case. Only whole labels
/// count: `xhubs.test` is not inside `hubs.test`.
pub(super) fn is_within(name: &[u8], zone: &[u8]) -> bool {
    let mut at = 0;
    while let Some(rest) = name.get(at..) {
        if rest == zone {
            return true;
        }
        match rest.first() {
            Some(&length) if length > 0 => at += 1 + usize::from(length),
            _ => return false,
        }
    }
    false
}

/// Reads a packet front to back; every read is `None` rather than past the end.
pub(super) struct Reader<'a> {
    packet: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(packet: &'a [u8]) -> Reader<'a> {
        Reader { packet, at: 0 }
    }

    /// Where the next read starts.
    pub(super) fn at(&self) -> usize {
        self.at
    }

    /// The bytes read since `start`.
    pub(super) fn since(&self, start: usize) -> Option<&'a [u8]> {
        self.packet.get(start..self.at)
    }

    pub(super) fn bytes(&mut self, count: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(count)?;
        let bytes = self.packet.get(self.at..end)?;
        self.at = end;
        Some(bytes)
    }

    pub(super) fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes(self.bytes(2)?.try_into().ok()?))
    }

    pub(super) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.bytes(4)?.try_into().ok()?))
    }

    /// A 48-bit number, as TSIG's time signed.
    pub(super) fn u48(&mut self) -> Option<u64> {
        let high = u64::from(self.u16()?);
        Some(high << 32 | u64::from(self.u32()?))
    }

    /// A name written out in full, as a client's question is: a compression pointer, a
    /// reserved label type or a name over 255 bytes is `None`. The bytes as in the packet.
    pub(super) fn plain_name(&mut self) -> Option<&'a [u8]> {
        let start = self.at;
        loop {
            let length = usize::from(*self.bytes(1)?.first()?);
            if length > MAX_LABEL {
                return None;
            }
            self.bytes(length)?;
            if self.at - start > MAX_NAME {
                return None;
            }
            if length == 0 {
                return self.since(start);
            }
        }
    }

    /// A name that may use compression pointers, as a server's answer may, written out in
    /// full. Each pointer must go back before the last one's target, so none can loop.
    pub(super) fn name(&mut self) -> Option<Vec<u8>> {
        let mut name = Vec::new();
        let mut at = self.at;
        let mut earliest = self.at;
        let mut resume = None;
        loop {
            let length = *self.packet.get(at)?;
            if length & POINTER == POINTER {
                let low = *self.packet.get(at + 1)?;
                let target = usize::from(u16::from_be_bytes([length & !POINTER, low]));
                if target >= earliest {
                    return None;
                }
                resume.get_or_insert(at + 2);
                earliest = target;
                at = target;
                continue;
            }
            let length = usize::from(length);
            if length > MAX_LABEL || name.len() + 1 + length > MAX_NAME {
                return None;
            }
            name.extend_from_slice(self.packet.get(at..at + 1 + length)?);
            at += 1 + length;
            if length == 0 {
                self.at = resume.unwrap_or(at);
                return Some(name);
            }
        }
    }

    /// Steps over one resource record; `None` if it does not fit in the packet.
    pub(super) fn skip_record(&mut self) -> Option<()> {
        self.name()?;
        self.bytes(8)?;
        let length = self.u16()?;
        self.bytes(usize::from(length))?;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_written_as_labels_in_its_own_case() {
        assert_eq!(
            encode_name("Hall.hubs.").unwrap(),
            b"\x04Hall\x04hubs\x00".to_vec()
        );
        assert_eq!(encode_name("_acme-challenge.x").unwrap()[0], 15);
    }

    #[test]
    fn names_that_are_typing_mistakes_are_refused() {
        assert!(encode_name("").is_err());
        assert!(encode_name(".").is_err());
        assert!(encode_name("a..b").is_err());
        assert!(encode_name("a b.org").is_err());
        assert!(encode_name(&"a".repeat(64)).is_err());
        assert!(encode_name(&vec!["a".repeat(63); 3].join(".")).is_ok());
        assert!(encode_name(&vec!["a".repeat(63); 4].join(".")).is_err());
    }

    #[test]
    fn only_whole_labels_make_a_name_inside_a_zone() {
        let zone = encode_name("hubs.test").unwrap();
        for inside in ["hubs.test", "a.hubs.test", "_acme-challenge.hall.hubs.test"] {
            assert!(is_within(&encode_name(inside).unwrap(), &zone), "{inside}");
        }
        for outside in ["xhubs.test", "hubs.test.evil", "test", "hubs.example"] {
            assert!(
                !is_within(&encode_name(outside).unwrap(), &zone),
                "{outside}"
            );
        }
    }

    #[test]
    fn a_compressed_name_is_read_in_full_and_the_reader_goes_on_after_the_pointer() {
        let packet = b"\x04hubs\x04test\x00\x04hall\xC0\x00\xAA";
        let mut reader = Reader::new(packet);
        reader.bytes(11).unwrap();
        assert_eq!(reader.name().unwrap(), b"\x04hall\x04hubs\x04test\x00");
        assert_eq!(reader.bytes(1), Some(&b"\xAA"[..]));
    }

    #[test]
    fn pointers_that_loop_or_point_forward_are_refused() {
        assert_eq!(Reader::new(b"\xC0\x00").name(), None, "to itself");
        assert_eq!(Reader::new(b"\xC0\x02\x00").name(), None, "forward");
        let mut reader = Reader::new(b"\x01a\xC0\x04\xC0\x02");
        reader.bytes(4).unwrap();
        assert_eq!(reader.name(), None, "to a pointer back to itself");
    }

    #[test]
    fn a_name_over_255_bytes_made_of_pointers_is_refused() {
        let mut packet = vec![63];
        packet.extend_from_slice(&[b'a'; 63]);
        packet.push(0);
        let mut starts = vec![0];
        for _ in 0..3 {
            let previous = *starts.last().unwrap();
            starts.push(packet.len());
            packet.push(63);
            packet.extend_from_slice(&[b'b'; 63]);
            packet.extend_from_slice(&(0xC000 | previous as u16).to_be_bytes());
        }
        let read_from = |start| {
            let mut reader = Reader::new(&packet);
            reader.bytes(start).unwrap();
            reader.name()
        };
        assert_eq!(
            read_from(starts[2]).map(|name| name.len()),
            Some(3 * 64 + 1)
        );
        assert_eq!(read_from(starts[3]), None);
    }
}
