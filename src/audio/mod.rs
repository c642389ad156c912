//! Recordings of the content's texts, for people who read little (issue 20): checked by
//! their bytes (`container`), kept and published as content (`store`), served by their hash
//! (`serve`), recorded and uploaded in the editor (`editor`).

pub mod container;
pub mod serve;
pub mod store;
pub mod wanted;

pub use serve::url;

/// Clips for the tests, made on the spot with eSpeak NG and `opusenc`: never shipped, and
/// never presented as a human voice.
#[cfg(test)]
pub(crate) mod made {
    /// Opus in Ogg, at 24 kbps, of eSpeak NG reading `text` with its voice for `voice`.
    pub fn clip(voice: &str, text: &str) -> Vec<u8> {
        static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("passport-clip-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let (wav, opus) = (dir.join("s.wav"), dir.join("s.opus"));
        let run = |program: &str, args: &[&std::ffi::OsStr]| {
            let ran = std::process::Command::new(program).args(args).status();
            assert!(
                ran.is_ok_and(|s| s.success()),
                "{program} (scripts/setup.sh installs it)"
            );
        };
        run(
            "espeak-ng",
            &[
                "-v".as_ref(),
                voice.as_ref(),
                "-w".as_ref(),
                wav.as_os_str(),
                text.as_ref(),
            ],
        );
        run(
            "opusenc",
            &[
                "--quiet".as_ref(),
                "--bitrate".as_ref(),
                "24".as_ref(),
                wav.as_os_str(),
                opus.as_os_str(),
            ],
        );
        let bytes = std::fs::read(&opus).expect("opus");
        let _ = std::fs::remove_dir_all(&dir);
        bytes
    }

    /// Approves every saved recording as `by`, the second person each one needs.
    pub fn approve_recordings(conn: &mut rusqlite::Connection, by: &str) {
        use crate::editor::approval;
        let waiting = approval::guarded(conn).expect("db");
        for change in waiting.iter().filter(|g| g.target.is_recording()) {
            approval::approve(conn, &change.target.key(), &change.fingerprint(), by, None)
                .expect("db")
                .expect("approved");
        }
    }
}
