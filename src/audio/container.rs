//! What an uploaded or recorded clip is, read from its bytes alone: Opus in Ogg (what
//! `opusenc` and Firefox's MediaRecorder write) or Opus in WebM (what Chrome's MediaRecorder
//! writes), and how long it plays. Anything else is refused with the reason, before it is
//! stored: the file's name and the browser's MIME type are never trusted.

/// The longest clip the app keeps: a text read slowly, not a talk.
pub const MAX_SECONDS: f64 = 90.0;
/// Speech at about 24 kbps is 180 KB a minute; this leaves room for a higher bitrate.
pub const MAX_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Ogg,
    Webm,
}

impl Container {
    /// Its name in the `audio_clip` table.
    pub fn code(self) -> &'static str {
        match self {
            Container::Ogg => "ogg",
            Container::Webm => "webm",
        }
    }

    pub fn from_code(code: &str) -> Option<Container> {
        [Container::Ogg, Container::Webm]
            .into_iter()
            .find(|c| c.code() == code)
    }

    pub fn mime(self) -> &'static str {
        match self {
            Container::Ogg => "audio/ogg; codecs=opus",
            Container::Webm => "audio/webm; codecs=opus",
        }
    }
}

/// A clip that passed: its container and how long it plays, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clip {
    pub container: Container,
    pub millis: u64,
}

/// Why a clip was refused; each names the message that explains it to the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooBig,
    TooLong,
    /// MP3 or M4A: a format the app does not convert; the editor is told to save as Opus.
    Unconverted,
    NotOpus,
    Damaged,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Empty => "staff-audio-empty",
            Refusal::TooBig => "staff-audio-too-big",
            Refusal::TooLong => "staff-audio-too-long",
            Refusal::Unconverted => "staff-audio-convert",
            Refusal::NotOpus => "staff-audio-not-audio",
            Refusal::Damaged => "staff-audio-damaged",
        }
    }
}

/// Checks a clip's bytes: its container, its codec, that it reads to the end, and its
/// length.
pub fn check(bytes: &[u8]) -> Result<Clip, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refusal::TooBig);
    }
    let clip = if bytes.starts_with(b"OggS") {
        ogg::duration(bytes).map(|millis| Clip {
            container: Container::Ogg,
            millis,
        })?
    } else if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        webm::duration(bytes).map(|millis| Clip {
            container: Container::Webm,
            millis,
        })?
    } else if looks_like_mp3_or_m4a(bytes) {
        return Err(Refusal::Unconverted);
    } else {
        return Err(Refusal::NotOpus);
    };
    if clip.millis as f64 > MAX_SECONDS * 1000.0 {
        return Err(Refusal::TooLong);
    }
    if clip.millis == 0 {
        return Err(Refusal::Damaged);
    }
    Ok(clip)
}

fn looks_like_mp3_or_m4a(bytes: &[u8]) -> bool {
    let id3 = bytes.starts_with(b"ID3");
    let mpeg_frame = bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0;
    let mp4 = bytes.len() > 8 && &bytes[4..8] == b"ftyp";
    id3 || mpeg_frame || mp4
}

mod ogg {
    use super::Refusal;

    /// The Ogg page checksum: CRC-32 with polynomial 0x04C11DB7, no reflection.
    fn crc(data: &[u8]) -> u32 {
        let mut crc = 0u32;
        for &byte in data {
            crc ^= u32::from(byte) << 24;
            for _ in 0..8 {
                crc = if crc & 0x8000_0000 != 0 {
                    (crc << 1) ^ 0x04C1_1DB7
                } else {
                    crc << 1
                };
            }
        }
        crc
    }

    /// Reads every page, checking each checksum, that one Opus stream runs through them,
    /// and returns its length from the last granule position less the pre-skip.
    pub fn duration(bytes: &[u8]) -> Result<u64, Refusal> {
        let mut at = 0;
        let mut serial = None;
        let mut pre_skip = None;
        let mut last_granule = 0u64;
        while at < bytes.len() {
            let header = bytes.get(at..at + 27).ok_or(Refusal::Damaged)?;
            if &header[..4] != b"OggS" || header[4] != 0 {
                return Err(Refusal::Damaged);
            }
            let granule =
                u64::from_le_bytes(header[6..14].try_into().map_err(|_| Refusal::Damaged)?);
            let this_serial =
                u32::from_le_bytes(header[14..18].try_into().map_err(|_| Refusal::Damaged)?);
            let stored =
                u32::from_le_bytes(header[22..26].try_into().map_err(|_| Refusal::Damaged)?);
            let segments = usize::from(header[26]);
            let table = bytes
                .get(at + 27..at + 27 + segments)
                .ok_or(Refusal::Damaged)?;
            let body_len: usize = table.iter().map(|&s| usize::from(s)).sum();
            let end = at + 27 + segments + body_len;
            let page = bytes.get(at..end).ok_or(Refusal::Damaged)?;
            let mut zeroed = page.to_vec();
            zeroed[22..26].fill(0);
            if crc(&zeroed) != stored {
                return Err(Refusal::Damaged);
            }
            match serial {
                None => {
                    let body = &page[27 + segments..];
                    if !body.starts_with(b"OpusHead") || body.len() < 19 {
                        return Err(Refusal::NotOpus);
                    }
                    pre_skip = Some(u64::from(u16::from_le_bytes([body[10], body[11]])));
                    serial = Some(this_serial);
                }
                Some(s) if s != this_serial => return Err(Refusal::NotOpus),
                Some(_) => {}
            }
            // A page on which no packet ends carries granule position -1.
            if granule != u64::MAX {
                last_granule = last_granule.max(granule);
            }
            at = end;
        }
        let samples = last_granule.saturating_sub(pre_skip.unwrap_or(0));
        Ok(samples * 1000 / 48_000)
    }

    #[cfg(test)]
    pub fn page(serial: u32, sequence: u32, granule: u64, body: &[u8]) -> Vec<u8> {
        let mut page = b"OggS\0\0".to_vec();
        page.extend_from_slice(&granule.to_le_bytes());
        page.extend_from_slice(&serial.to_le_bytes());
        page.extend_from_slice(&sequence.to_le_bytes());
        page.extend_from_slice(&[0; 4]);
        let mut lacing = vec![255u8; body.len() / 255];
        lacing.push(u8::try_from(body.len() % 255).expect("under 255"));
        page.push(u8::try_from(lacing.len()).expect("few segments"));
        page.extend_from_slice(&lacing);
        page.extend_from_slice(body);
        let sum = crc(&page);
        page[22..26].copy_from_slice(&sum.to_le_bytes());
        page
    }
}

mod webm {
    use super::Refusal;

    const SEGMENT: u32 = 0x1853_8067;
    const INFO: u32 = 0x1549_A966;
    const TRACKS: u32 = 0x1654_AE6B;
    const TRACK_ENTRY: u32 = 0xAE;
    const CLUSTER: u32 = 0x1F43_B675;
    const BLOCK_GROUP: u32 = 0xA0;
    const DOC_TYPE: u32 = 0x4282;
    const TIMECODE_SCALE: u32 = 0x2A_D7B1;
    const DURATION: u32 = 0x4489;
    const CODEC_ID: u32 = 0x86;
    const TIMECODE: u32 = 0xE7;
    const SIMPLE_BLOCK: u32 = 0xA3;
    const BLOCK: u32 = 0xA1;
    /// Elements whose children are read in place: their size may be "unknown", as Chrome's
    /// MediaRecorder writes while it records.
    const MASTERS: [u32; 6] = [SEGMENT, INFO, TRACKS, TRACK_ENTRY, CLUSTER, BLOCK_GROUP];

    /// An EBML variable-length number at `at`: (value, length); `None` when it does not fit.
    fn vint(bytes: &[u8], at: usize, keep_marker: bool) -> Option<(u64, usize)> {
        let first = *bytes.get(at)?;
        let len = first.leading_zeros() as usize + 1;
        if len > 8 {
            return None;
        }
        let mut value = if keep_marker {
            u64::from(first)
        } else {
            u64::from(first) & ((1u64 << (8 - len)) - 1)
        };
        for i in 1..len {
            value = (value << 8) | u64::from(*bytes.get(at + i)?);
        }
        Some((value, len))
    }

    fn unsigned(data: &[u8]) -> u64 {
        data.iter().fold(0, |v, &b| (v << 8) | u64::from(b))
    }

    /// Walks the file's elements once: the doc type must be "webm", the one track Opus; the
    /// length is the Duration when written, else the last block's time.
    pub fn duration(bytes: &[u8]) -> Result<u64, Refusal> {
        let mut at = 0;
        let mut doc_type = None;
        let mut codec = None;
        let mut scale = 1_000_000u64;
        let mut stated = None;
        let mut cluster_time = 0u64;
        let mut last_block = 0u64;
        while at < bytes.len() {
            let (id, id_len) = vint(bytes, at, true).ok_or(Refusal::Damaged)?;
            let (size, size_len) = vint(bytes, at + id_len, false).ok_or(Refusal::Damaged)?;
            let start = at + id_len + size_len;
            let unknown = size == (1u64 << (7 * size_len)) - 1;
            let id = u32::try_from(id).map_err(|_| Refusal::Damaged)?;
            if id == 0x1A45_DFA3 || MASTERS.contains(&id) {
                if !unknown
                    && start + usize::try_from(size).map_err(|_| Refusal::Damaged)? > bytes.len()
                    && id != SEGMENT
                    && id != CLUSTER
                {
                    return Err(Refusal::Damaged);
                }
                at = start;
                continue;
            }
            if unknown {
                return Err(Refusal::Damaged);
            }
            let end = start + usize::try_from(size).map_err(|_| Refusal::Damaged)?;
            let data = bytes.get(start..end).ok_or(Refusal::Damaged)?;
            match id {
                DOC_TYPE => doc_type = Some(data.to_vec()),
                CODEC_ID => codec = Some(data.to_vec()),
                TIMECODE_SCALE => scale = unsigned(data).max(1),
                DURATION => {
                    stated = match data.len() {
                        4 => Some(f64::from(f32::from_be_bytes(
                            data.try_into().map_err(|_| Refusal::Damaged)?,
                        ))),
                        8 => Some(f64::from_be_bytes(
                            data.try_into().map_err(|_| Refusal::Damaged)?,
                        )),
                        _ => return Err(Refusal::Damaged),
                    }
                }
                TIMECODE => cluster_time = unsigned(data),
                SIMPLE_BLOCK | BLOCK => {
                    let (_, track_len) = vint(data, 0, false).ok_or(Refusal::Damaged)?;
                    let relative = data.get(track_len..track_len + 2).ok_or(Refusal::Damaged)?;
                    let relative = i64::from(i16::from_be_bytes([relative[0], relative[1]]));
                    let time =
                        i64::try_from(cluster_time).map_err(|_| Refusal::Damaged)? + relative;
                    last_block = last_block.max(u64::try_from(time).unwrap_or(0));
                }
                _ => {}
            }
            at = end;
        }
        if doc_type.as_deref() != Some(b"webm") || codec.as_deref() != Some(b"A_OPUS") {
            return Err(Refusal::NotOpus);
        }
        let nanos = match stated {
            Some(duration) if duration > 0.0 => duration * scale as f64,
            // The last block starts the last 20 ms frame.
            _ => (last_block * scale + 20_000_000) as f64,
        };
        Ok((nanos / 1_000_000.0) as u64)
    }

    #[cfg(test)]
    pub fn element(id: &[u8], data: &[u8]) -> Vec<u8> {
        let mut out = id.to_vec();
        out.push(0x80 | u8::try_from(data.len()).expect("a short test element"));
        out.extend_from_slice(data);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opus_head(pre_skip: u16) -> Vec<u8> {
        let mut head = b"OpusHead\x01\x01".to_vec();
        head.extend_from_slice(&pre_skip.to_le_bytes());
        head.extend_from_slice(&48_000u32.to_le_bytes());
        head.extend_from_slice(&[0, 0, 0]);
        head
    }

    fn ogg_clip(seconds: u64) -> Vec<u8> {
        let mut clip = ogg::page(7, 0, 0, &opus_head(312));
        clip.extend(ogg::page(7, 1, 0, b"OpusTags"));
        clip.extend(ogg::page(7, 2, 312 + seconds * 48_000, &[0xFC; 40]));
        clip
    }

    /// A WebM file as Chrome's MediaRecorder writes it: unknown sizes, no Duration.
    fn webm_clip(last_block_ms: u16) -> Vec<u8> {
        let mut clip = webm::element(
            &[0x1A, 0x45, 0xDF, 0xA3],
            &webm::element(&[0x42, 0x82], b"webm"),
        );
        clip.extend_from_slice(&[
            0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        ]);
        let entry = webm::element(&[0xAE], &webm::element(&[0x86], b"A_OPUS"));
        clip.extend(webm::element(&[0x16, 0x54, 0xAE, 0x6B], &entry));
        clip.extend_from_slice(&[
            0x1F, 0x43, 0xB6, 0x75, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        ]);
        clip.extend(webm::element(&[0xE7], &[0]));
        let mut block = vec![0x81];
        block.extend_from_slice(&last_block_ms.to_be_bytes());
        block.extend_from_slice(&[0x80, 0xFC, 0xFF]);
        clip.extend(webm::element(&[0xA3], &block));
        clip
    }

    #[test]
    fn opus_in_ogg_gives_its_length_from_the_last_granule() {
        assert_eq!(
            check(&ogg_clip(3)),
            Ok(Clip {
                container: Container::Ogg,
                millis: 3000
            })
        );
        assert_eq!(check(&ogg_clip(91)), Err(Refusal::TooLong));
    }

    #[test]
    fn a_recording_from_chrome_gives_its_length_from_its_last_block() {
        assert_eq!(
            check(&webm_clip(4980)),
            Ok(Clip {
                container: Container::Webm,
                millis: 5000
            })
        );
        assert_eq!(
            check(&webm_clip(30_000).repeat(1)).map(|c| c.millis),
            Ok(30_020)
        );
    }

    #[test]
    fn anything_else_is_refused_with_its_reason() {
        let mut flipped = ogg_clip(3);
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(
            check(&flipped),
            Err(Refusal::Damaged),
            "a checksum that fails"
        );
        assert_eq!(
            check(&ogg_clip(3)[..50]),
            Err(Refusal::Damaged),
            "cut short"
        );
        assert_eq!(check(b""), Err(Refusal::Empty));
        assert_eq!(
            check(b"ID3\x04\0\0\0\0\0\0"),
            Err(Refusal::Unconverted),
            "MP3"
        );
        assert_eq!(
            check(b"\0\0\0\x20ftypM4A \0\0\0\0"),
            Err(Refusal::Unconverted),
            "M4A"
        );
        assert_eq!(check(b"<html>not audio</html>"), Err(Refusal::NotOpus));
        let vorbis = ogg::page(7, 0, 0, b"\x01vorbis\0\0\0\0\x02\x44\xac\0\0");
        assert_eq!(check(&vorbis), Err(Refusal::NotOpus));
        assert_eq!(check(&vec![0u8; MAX_BYTES + 1]), Err(Refusal::TooBig));
        let mut vp8 = webm_clip(10);
        let at = vp8
            .windows(6)
            .position(|w| w == b"A_OPUS")
            .expect("the codec id");
        vp8[at..at + 6].copy_from_slice(b"V_VP8X");
        assert_eq!(check(&vp8), Err(Refusal::NotOpus), "video");
    }

    #[test]
    fn a_clip_made_by_opusenc_passes_with_its_real_length() {
        // Made as the README says: espeak-ng reads a text, opusenc encodes it at 24 kbps.
        let dir = std::env::temp_dir().join(format!("passport-audio-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let (wav, opus) = (dir.join("t.wav"), dir.join("t.opus"));
        let spoken = std::process::Command::new("espeak-ng")
            .args(["-v", "en", "-s", "130", "-w"])
            .arg(&wav)
            .arg("Call the hotline if you are in danger.")
            .status()
            .expect("espeak-ng runs (scripts/setup.sh installs it)");
        assert!(spoken.success());
        let encoded = std::process::Command::new("opusenc")
            .args(["--quiet", "--bitrate", "24"])
            .arg(&wav)
            .arg(&opus)
            .status()
            .expect("opusenc runs (scripts/setup.sh installs it)");
        assert!(encoded.success());
        let wav_bytes = std::fs::read(&wav).expect("wav");
        // 16-bit mono at 22,050 Hz, after a 44-byte header.
        let expected = ((wav_bytes.len() - 44) / 2) as u64 * 1000 / 22_050;
        let clip = check(&std::fs::read(&opus).expect("opus")).expect("passes");
        assert_eq!(clip.container, Container::Ogg);
        assert!(
            clip.millis.abs_diff(expected) < 50,
            "{} ms, not {expected} ms",
            clip.millis
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
