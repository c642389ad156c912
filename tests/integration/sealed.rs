//! Sealed help requests: nothing a person wrote reaches the disk readable, whether in the
//! database, its WAL, its shared memory or a backup taken while the app runs; a caseworker
//! with access reads every field, and after signing out the same browser opens nothing.

use crate::common::{Fixture, location, text};
use crate::staff::{PASSWORD, Session, add, sign_in, try_sign_in};
use axum::http::StatusCode;
use passport::staff::{Role, accounts};
use serde_json::json;

/// Markers for each free-text field: ASCII, Vietnamese, Thai and Karen, so that no encoding
/// of any script slips through.
fn markers(n: usize) -> [(&'static str, String); 5] {
    [
        ("name", format!("Mai-name-marker-{n}-Nguyễn Thị Hoà")),
        ("contact", format!("+66 81 {n:03} 9{n:03}")),
        ("place", format!("place-marker-{n} เชียงใหม่แม่สอด")),
        ("message", format!("message-marker-{n} ကညီကျိာ် ပှၤဖိ တၢ်ဃ့ {n}")),
        ("safe_time", format!("after-dark-{n} หลังสองทุ่ม")),
    ]
}

async fn submit(f: &Fixture, n: usize) -> (String, String) {
    let id = format!("5eabed00-0000-4000-8000-{n:012}");
    let mut body = json!({
        "id": id, "kind": "passport-held", "country": "th", "channel": "line",
        "language": "ksw", "consent": true, "ticked": ["forced-labour/documents-kept"],
    });
    for (field, value) in markers(n) {
        body[field] = json!(value);
    }
    let answer = f
        .post(
            "/api/v1/help-requests",
            "application/json",
            body.to_string(),
            &[],
        )
        .await;
    assert_eq!(answer.status(), StatusCode::CREATED);
    let answer: serde_json::Value = serde_json::from_str(&text(answer).await).expect("json");
    (
        id,
        answer["reference"].as_str().expect("reference").to_owned(),
    )
}

/// Every file of the database, and a copy made with `VACUUM INTO` while the app has it open.
fn files(f: &Fixture) -> Vec<(String, Vec<u8>)> {
    let db = f.dir.join("test.db");
    let backup = f.dir.join("backup.db");
    let _ = std::fs::remove_file(&backup);
    rusqlite::Connection::open(&db)
        .expect("a second connection")
        .execute("VACUUM INTO ?1", [backup.to_str().expect("path")])
        .expect("backup made while the app runs");
    ["test.db", "test.db-wal", "test.db-shm", "backup.db"]
        .into_iter()
        .map(|name| {
            (
                name.to_owned(),
                std::fs::read(f.dir.join(name)).unwrap_or_default(),
            )
        })
        .collect()
}

fn found(files: &[(String, Vec<u8>)], needle: &[u8]) -> Option<String> {
    files
        .iter()
        .find(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle))
        .map(|(name, _)| name.clone())
}

#[tokio::test]
async fn nothing_a_person_wrote_is_on_disk_and_only_a_signed_in_caseworker_reads_it() {
    let f = Fixture::new("sealed-scan").await;
    add(&f, "case", Role::Caseworker).await;
    let mut sent = Vec::new();
    for n in 0..3 {
        sent.push(submit(&f, n).await);
    }
    let case = sign_in(&f, "case").await;
    let note = "note-marker ghi chú บันทึก တၢ်ကွဲး";
    let (_, first) = &sent[0];
    let added = case
        .post(
            &f,
            &format!("/staff/requests/{first}"),
            &[("action", "note"), ("note", note)],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);

    let files = files(&f);
    assert!(
        files
            .iter()
            .any(|(name, bytes)| name == "test.db-wal" && !bytes.is_empty())
    );
    for name in ["test.db-wal", "backup.db"] {
        let plain = [(
            name.to_owned(),
            files
                .iter()
                .find(|(n, _)| n == name)
                .expect("read")
                .1
                .clone(),
        )];
        assert!(
            found(&plain, first.as_bytes()).is_some(),
            "the scan finds the plain reference in {name}"
        );
    }
    for (n, (id, _)) in sent.iter().enumerate() {
        for (field, value) in markers(n) {
            assert_eq!(
                found(&files, value.as_bytes()),
                None,
                "{field} {n} is readable"
            );
        }
        assert_eq!(
            found(&files, id.as_bytes()),
            None,
            "the phone's UUID is stored"
        );
    }
    assert_eq!(found(&files, note.as_bytes()), None, "the note is readable");
    let private = f.org_key().to_bytes();
    for secret in [&f.seed[..], &private[..]] {
        assert_eq!(found(&files, secret), None, "the private key is on disk");
    }

    for (n, (_, reference)) in sent.iter().enumerate() {
        let page = text(case.get(&f, &format!("/staff/requests/{reference}")).await).await;
        for (field, value) in markers(n) {
            assert!(page.contains(&value), "{field} {n} shows on its page");
        }
    }
    let page = text(case.get(&f, &format!("/staff/requests/{first}")).await).await;
    assert!(page.contains(note));
    let csv = case
        .post(
            &f,
            "/staff/export",
            &[
                ("field", "reference"),
                ("field", "name"),
                ("field", "message"),
                ("understood", "yes"),
            ],
        )
        .await;
    let csv = text(csv).await;
    assert!(
        csv.contains(&markers(2)[0].1) && csv.contains(&markers(0)[3].1),
        "{csv}"
    );

    let out = case.post(&f, "/staff/logout", &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = case.get(&f, &format!("/staff/requests/{first}")).await;
    assert!(
        location(&after).starts_with("/staff/login"),
        "the old session opens nothing"
    );
}

#[tokio::test]
async fn a_caseworker_without_access_sees_the_list_and_counts_but_no_sealed_field() {
    let f = Fixture::new("sealed-no-access").await;
    add(&f, "first", Role::Caseworker).await;
    // Added from the command line after the key was taken: no access until granted.
    f.db.write(|c| Ok(accounts::add(c, "new", Role::Caseworker, PASSWORD)))
        .await
        .expect("db")
        .expect("added");
    let (_, reference) = submit(&f, 7).await;
    let new = sign_in(&f, "new").await;
    let list = text(new.get(&f, "/staff/requests").await).await;
    assert!(
        list.contains(&reference) && list.contains("id=\"sealed\""),
        "{list}"
    );
    let page = text(new.get(&f, &format!("/staff/requests/{reference}")).await).await;
    assert!(page.contains(&f.says(passport::i18n::Locale::En, "staff-sealed-no-access")));
    for (field, value) in markers(7) {
        assert!(!page.contains(&value), "{field} is shown without access");
    }
    let csv = new
        .post(
            &f,
            "/staff/export",
            &[("field", "contact"), ("understood", "yes")],
        )
        .await;
    assert_eq!(csv.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!text(csv).await.contains(&markers(7)[1].1));
}

/// The sealed fields of request `reference` as `session` sees its page: whether they open.
async fn opens(f: &Fixture, session: &Session, reference: &str) -> bool {
    let page = text(
        session
            .get(f, &format!("/staff/requests/{reference}"))
            .await,
    )
    .await;
    page.contains(&markers(1)[0].1)
}

#[tokio::test]
async fn access_follows_the_password_the_admin_and_the_account_being_enabled() {
    let f = Fixture::new("sealed-access").await;
    add(&f, "boss", Role::Admin).await;
    f.db.write(|c| Ok(accounts::add(c, "mai", Role::Caseworker, PASSWORD)))
        .await
        .expect("db")
        .expect("added");
    let (_, reference) = submit(&f, 1).await;

    // Wrong passwords open nothing, and the right one nothing until access is given.
    let refused = try_sign_in(&f, "mai", "correct horse batterY").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let mai = sign_in(&f, "mai").await;
    assert!(!opens(&f, &mai, &reference).await);

    let boss = sign_in(&f, "boss").await;
    assert!(opens(&f, &boss, &reference).await);
    let page = text(boss.get(&f, "/staff/access").await).await;
    let mai_id: i64 =
        f.db.read(|c| {
            c.query_row("SELECT id FROM staff WHERE username = 'mai'", [], |r| {
                r.get(0)
            })
        })
        .await
        .expect("id");
    assert!(page.contains("data-account=\"mai\""), "{page}");
    let granted = boss
        .post(
            &f,
            "/staff/access",
            &[("action", "grant"), ("account", &mai_id.to_string())],
        )
        .await;
    assert_eq!(
        location(&granted),
        "/staff/access?note=staff-access-granted"
    );
    assert!(
        !opens(&f, &mai, &reference).await,
        "the session from before still holds nothing"
    );
    let mai = sign_in(&f, "mai").await;
    assert!(opens(&f, &mai, &reference).await);

    // Her own password change keeps access; the old password then opens nothing.
    let wrong = mai
        .post(
            &f,
            "/staff/account/password",
            &[
                ("current", "not it at all!"),
                ("new", "a brand new passphrase"),
                ("again", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let changed = mai
        .post(
            &f,
            "/staff/account/password",
            &[
                ("current", PASSWORD),
                ("new", "a brand new passphrase"),
                ("again", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        try_sign_in(&f, "mai", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let again = try_sign_in(&f, "mai", "a brand new passphrase").await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let cookie = again
        .headers()
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("passport_staff="))
        .and_then(|v| v.split(';').next())
        .expect("a session")
        .to_owned();
    let page = f
        .get(
            &format!("/staff/requests/{reference}"),
            &[(axum::http::header::COOKIE, &cookie)],
        )
        .await;
    assert!(
        text(page).await.contains(&markers(1)[0].1),
        "access kept across the change"
    );

    // Taking access away signs her out at once; given again, it comes back at sign-in.
    let account = mai_id.to_string();
    let revoked = boss
        .post(
            &f,
            "/staff/access",
            &[("action", "revoke"), ("account", &account)],
        )
        .await;
    assert_eq!(
        location(&revoked),
        "/staff/access?note=staff-access-revoked"
    );
    let after = f
        .get(
            &format!("/staff/requests/{reference}"),
            &[(axum::http::header::COOKIE, &cookie)],
        )
        .await;
    assert!(
        location(&after).starts_with("/staff/login"),
        "her session ended"
    );
    let granted = boss
        .post(
            &f,
            "/staff/access",
            &[("action", "grant"), ("account", &account)],
        )
        .await;
    assert_eq!(
        location(&granted),
        "/staff/access?note=staff-access-granted"
    );

    // Disabled, she loses access, and enabling the account does not give it back.
    f.db.write(|c| Ok(accounts::set_disabled(c, "mai", true)))
        .await
        .expect("db")
        .expect("disabled");
    f.db.write(|c| Ok(accounts::set_disabled(c, "mai", false)))
        .await
        .expect("db")
        .expect("enabled");
    let has_grant: bool =
        f.db.read(move |c| {
            c.query_row(
                "SELECT grant_blob IS NOT NULL FROM staff_key WHERE staff_id = ?1",
                [mai_id],
                |r| r.get(0),
            )
        })
        .await
        .expect("row");
    assert!(!has_grant, "disabling deleted the wrap");
}
