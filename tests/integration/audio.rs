//! Recordings (issue 20): an editor saves a clip for a text, it is heard on the phone once
//! published, served by its hash with ranges, listed in the offline manifest, and anything
//! that is not a short Opus clip is refused with a reason in the editor's language.

use crate::common::{Fixture, location, text};
use crate::staff::{Session, add, sign_in};
use axum::http::{StatusCode, header};
use passport::i18n::Locale;
use passport::staff::accounts::Role;
use std::process::Command;

/// Opus in Ogg at 24 kbps of eSpeak NG reading `words` with `voice`, or of `seconds` of a
/// tone when `words` is empty: test clips, never shipped.
fn clip(voice: &str, words: &str, seconds: u32) -> Vec<u8> {
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("passport-test-clip-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (wav, opus) = (dir.join("c.wav"), dir.join("c.opus"));
    let made = if words.is_empty() {
        Command::new("sox")
            .args(["-n", "-r", "16000", "-c", "1", "-b", "16"])
            .arg(&wav)
            .args(["synth", &seconds.to_string(), "sine", "300"])
            .status()
    } else {
        Command::new("espeak-ng")
            .args(["-v", voice, "-w"])
            .arg(&wav)
            .arg(words)
            .status()
    };
    assert!(
        made.is_ok_and(|s| s.success()),
        "scripts/setup.sh installs sox and espeak-ng"
    );
    let encoded = Command::new("opusenc")
        .args(["--quiet", "--bitrate", "24"])
        .arg(&wav)
        .arg(&opus)
        .status();
    assert!(encoded.is_ok_and(|s| s.success()), "opusenc");
    let bytes = std::fs::read(&opus).expect("opus");
    let _ = std::fs::remove_dir_all(&dir);
    bytes
}

/// Posts the recording form of `id` in `locale` with `file` (or the removal).
async fn upload(
    f: &Fixture,
    session: &Session,
    locale: &str,
    id: &str,
    file: Option<&[u8]>,
    action: &str,
) -> axum::http::Response<axum::body::Body> {
    let boundary = "passportaudioboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n{id}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\n{action}\r\n",
        session.csrf
    )
    .into_bytes();
    if let Some(file) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.ogg\"\r\n\
                 Content-Type: audio/ogg\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    f.post(
        &format!("/staff/recordings/{locale}/text"),
        &format!("multipart/form-data; boundary={boundary}"),
        body,
        &[(header::COOKIE, &session.cookie)],
    )
    .await
}

/// The first checklist's slug and its first sign's id.
async fn first_sign(f: &Fixture) -> (String, String) {
    f.db.read(|c| {
        c.query_row(
            "SELECT c.slug, i.id FROM checklist c JOIN checklist_item i ON i.checklist_slug = c.slug
             ORDER BY c.position, i.position LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    })
    .await
    .expect("a checklist")
}

#[tokio::test]
async fn a_saved_recording_is_heard_beside_its_text_only_once_published_and_kept_by_hash() {
    let f = Fixture::new("audio-publish").await;
    add(&f, "ed", Role::Editor).await;
    let editor = sign_in(&f, "ed").await;
    let (slug, item) = first_sign(&f).await;
    let id = format!("checklist.{slug}.item.{item}.text");
    let bytes = clip("vi", "Họ giữ hộ chiếu của bạn", 0);
    let sha = passport::audio::store::hash(&bytes);

    let saved = upload(&f, &editor, "vi", &id, Some(&bytes), "save").await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&saved).ends_with("&done=saved"),
        "{}",
        location(&saved)
    );
    let page_url = format!("/vi/checklists/{slug}");
    let audio_url = format!("/audio/{sha}");
    // Saved, not published: the editor can hear it; the public cannot, and phones do not see it.
    assert_eq!(f.get(&audio_url, &[]).await.status(), StatusCode::NOT_FOUND);
    let staff_copy = editor.get(&f, &format!("/staff/audio/{sha}")).await;
    assert_eq!(staff_copy.status(), StatusCode::OK);
    assert!(!text(f.get(&page_url, &[]).await).await.contains(&audio_url));

    // A recording is published only once a second person has heard and approved it.
    let held = editor.post(&f, "/staff/translations/publish", &[]).await;
    assert_eq!(held.status(), StatusCode::SEE_OTHER);
    assert_eq!(f.get(&audio_url, &[]).await.status(), StatusCode::NOT_FOUND);
    add(&f, "lan", Role::Editor).await;
    let second = sign_in(&f, "lan").await;
    let summary = text(second.get(&f, "/staff/translations").await).await;
    assert!(
        summary.contains(&format!("src=\"/staff/audio/{sha}\"")),
        "approved by ear"
    );
    let key = format!("recording:vi:{id}");
    let shown = summary
        .split(&format!("value=\"{key}\""))
        .nth(1)
        .and_then(|rest| rest.split("name=\"shown\" value=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .expect("an approve form for the recording")
        .to_owned();
    let approved = second
        .post(
            &f,
            "/staff/translations/approve",
            &[("target", &key), ("shown", &shown)],
        )
        .await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let published = editor.post(&f, "/staff/translations/publish", &[]).await;
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    let page = text(f.get(&page_url, &[]).await).await;
    assert!(
        page.contains(&format!(
            "<audio controls preload=\"none\" src=\"{audio_url}\""
        )),
        "a plain player beside the sign"
    );
    // Texts with no recording get the phone-voice button in Vietnamese, hidden until a voice
    // is found; in Karen they get none.
    assert!(page.contains("data-say"));
    let karen = text(f.get(&format!("/ksw/checklists/{slug}"), &[]).await).await;
    assert!(!karen.contains("data-say") && !karen.contains(&audio_url));

    let served = f.get(&audio_url, &[]).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(
        served.headers()[header::CONTENT_TYPE],
        "audio/ogg; codecs=opus"
    );
    assert!(
        served.headers()[header::CACHE_CONTROL]
            .to_str()
            .expect("ascii")
            .contains("immutable")
    );
    let body = axum::body::to_bytes(served.into_body(), usize::MAX)
        .await
        .expect("body");
    assert_eq!(&body[..], &bytes[..]);
    let part = f.get(&audio_url, &[(header::RANGE, "bytes=4-9")]).await;
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()[header::CONTENT_RANGE],
        format!("bytes 4-9/{}", bytes.len()).as_str()
    );
    let part = axum::body::to_bytes(part.into_body(), usize::MAX)
        .await
        .expect("body");
    assert_eq!(&part[..], &bytes[4..10]);
    let beyond = f.get(&audio_url, &[(header::RANGE, "bytes=999999-")]).await;
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);

    // The Vietnamese offline manifest lists it for "keep audio too"; the Thai one does not.
    let manifest: serde_json::Value =
        serde_json::from_str(&text(f.get("/vi/offline.json", &[]).await).await).expect("json");
    let audio = manifest["audio"].as_array().expect("audio entries");
    assert_eq!(audio.len(), 1);
    assert_eq!(audio[0]["url"], audio_url.as_str());
    assert_eq!(audio[0]["bytes"], bytes.len());
    let thai: serde_json::Value =
        serde_json::from_str(&text(f.get("/th/offline.json", &[]).await).await).expect("json");
    assert_eq!(thai["audio"].as_array().map(Vec::len), Some(0));

    // The workspace counts it and the text's history shows it saved and published.
    let list = text(editor.get(&f, "/staff/recordings/vi").await).await;
    assert!(list.contains("1 of "), "{list}");
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("id", &id)
        .finish();
    let history = text(
        editor
            .get(&f, &format!("/staff/recordings/vi/text?{query}"))
            .await,
    )
    .await;
    assert!(history.contains(&f.says(Locale::En, "staff-rec-action-published")));
    assert!(history.contains(&f.says(Locale::En, "staff-rec-action-saved")));
}

#[tokio::test]
async fn a_clip_that_is_not_opus_or_too_long_is_refused_with_its_reason_and_nothing_kept() {
    let f = Fixture::new("audio-refused").await;
    add(&f, "ed", Role::Editor).await;
    let editor = sign_in(&f, "ed").await;
    let (slug, item) = first_sign(&f).await;
    let id = format!("checklist.{slug}.item.{item}.text");
    let mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64".repeat(40);
    let long = clip("", "", 95);
    let cases: [(&[u8], &str); 3] = [
        (
            b"<html><body>not audio</body></html>",
            "staff-audio-not-audio",
        ),
        (&mp3, "staff-audio-convert"),
        (&long, "staff-audio-too-long"),
    ];
    for (bytes, message) in cases {
        let refused = upload(&f, &editor, "ksw", &id, Some(bytes), "save").await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{message}"
        );
        let page = text(refused).await;
        // The reason's opening words: what follows may hold a number filled in.
        let reason: String = f
            .says(Locale::En, message)
            .chars()
            .take_while(|c| !matches!(c, '{' | '\u{2068}'))
            .take(25)
            .collect();
        assert!(page.contains(&reason), "{message}: {page}");
    }
    let nothing = upload(&f, &editor, "ksw", &id, None, "save").await;
    assert_eq!(nothing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let kept: i64 = f
        .db
        .read(|c| {
            c.query_row(
                "SELECT (SELECT count(*) FROM audio_clip) + (SELECT count(*) FROM pending_recording)",
                [],
                |r| r.get(0),
            )
        })
        .await
        .expect("db");
    assert_eq!(kept, 0, "nothing refused is stored");
    // A text that cannot carry a recording saves nothing either.
    let good = clip("en", "Call", 0);
    let elsewhere = upload(&f, &editor, "en", "home-intro", Some(&good), "save").await;
    assert_eq!(elsewhere.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&elsewhere), "/staff/recordings/en");
}

#[tokio::test]
async fn in_event_mode_a_checklist_suggests_headphones_and_elsewhere_it_does_not() {
    let event = Fixture::event("audio-event", 300).await;
    let plain = Fixture::new("audio-plain").await;
    let (slug, _) = first_sign(&event).await;
    let line = event.says(Locale::Vi, "listen-headphones");
    let path = format!("/vi/checklists/{slug}");
    let (during, outside) = (
        text(event.get(&path, &[]).await).await,
        text(plain.get(&path, &[]).await).await,
    );
    assert!(during.contains(&line));
    assert!(!outside.contains(&line));
}
