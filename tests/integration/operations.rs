//! A full disk (issue 21), made with SQLite's `max_page_count` on the writer connection: help
//! requests get a localised 503 with Retry-After and are never acknowledged unstored,
//! reading goes on, `/healthz` and the staff pages say so, and the server recovers by itself
//! once there is room again.

use crate::common::{Fixture, text};
use crate::staff::{add, sign_in};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use passport::i18n::Locale;
use passport::staff::accounts::Role;
use std::net::SocketAddr;
use tower::ServiceExt;

/// Sends one help request from its own address (so no rate limit applies); the status and
/// the reference, if it was stored.
async fn send(f: &Fixture, n: u32) -> (StatusCode, Option<String>, Option<String>) {
    let body = serde_json::json!({
        "id": format!("00000000-0000-4000-8000-{n:012x}"), "kind": "not-paid", "country": "kr",
        "channel": "zalo", "contact": "0912 345 678", "language": "vi", "consent": true,
    });
    let from = SocketAddr::from(([10, (n >> 16) as u8, (n >> 8) as u8, n as u8], 4000));
    let request = Request::post("/api/v1/help-requests")
        .header(header::CONTENT_TYPE, "application/json")
        .extension(ConnectInfo(from))
        .body(Body::from(body.to_string()))
        .expect("request");
    let response = f.router.clone().oneshot(request).await.expect("answered");
    let status = response.status();
    let retry = response
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().expect("ascii").to_owned());
    let answer: serde_json::Value = serde_json::from_str(&text(response).await).expect("json");
    let reference = answer["reference"].as_str().map(str::to_owned);
    (
        status,
        reference,
        retry.or_else(|| answer["errors"][0]["message"].as_str().map(str::to_owned)),
    )
}

async fn health(f: &Fixture) -> String {
    text(f.get("/healthz", &[]).await).await
}

#[tokio::test]
async fn a_full_disk_refuses_requests_with_503_loses_none_acknowledged_and_recovers() {
    let f = Fixture::new("disk-full").await;
    add(&f, "boss", Role::Admin).await;
    let boss = sign_in(&f, "boss").await;
    // Room for a few more pages, then none: SQLITE_FULL, as a full disk gives.
    f.db.write(|c| {
        let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        c.pragma_update(None, "max_page_count", pages + 3)?;
        Ok(())
    })
    .await
    .expect("limited");
    let mut stored = Vec::new();
    let mut refused = None;
    for n in 1..=2000 {
        match send(&f, n).await {
            (StatusCode::CREATED, Some(reference), _) => stored.push(reference),
            (StatusCode::SERVICE_UNAVAILABLE, None, retry) => {
                refused = Some(retry);
                break;
            }
            other => panic!("unexpected answer {other:?}"),
        }
    }
    let retry = refused.expect("the disk filled up");
    assert_eq!(
        retry.as_deref(),
        Some("30"),
        "Retry-After, so the outbox sends it again"
    );
    assert_eq!(health(&f).await, "degraded: disk full");
    // Reading goes on, and every staff page says what is wrong.
    assert_eq!(f.get("/vi/", &[]).await.status(), StatusCode::OK);
    let page = text(boss.get(&f, "/staff/account").await).await;
    assert!(page.contains("id=\"disk-full\""), "{page}");
    let held: Vec<String> =
        f.db.read(|c| {
            c.prepare("SELECT reference FROM help_request")?
                .query_map([], |r| r.get(0))?
                .collect()
        })
        .await
        .expect("db");
    assert!(
        stored.iter().all(|r| held.contains(r)),
        "every acknowledged request is stored"
    );
    assert_eq!(held.len(), stored.len(), "nothing refused was stored");

    // Space again: the next request is stored and the server is healthy, with no restart.
    f.db.write(|c| c.pragma_update(None, "max_page_count", 1_073_741_823))
        .await
        .expect("room");
    let (status, reference, _) = send(&f, 9999).await;
    assert_eq!((status, reference.is_some()), (StatusCode::CREATED, true));
    assert_eq!(health(&f).await, "ok");
    let page = text(boss.get(&f, "/staff/account").await).await;
    assert!(!page.contains("id=\"disk-full\""));
    assert!(
        f.says(Locale::En, "staff-disk-full")
            .contains("disk is full")
    );
}

/// `passport doctor` on a deployment with one fault planted per check; each is found, with
/// its fix, and the exit status says something is wrong. Fixing them clears each finding.
#[test]
fn doctor_finds_each_planted_fault_and_says_how_to_fix_it() {
    use crate::cli::{passport, said};
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!("passport-doctor-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let backups = dir.join("backups");
    std::fs::create_dir_all(&backups).expect("dirs");
    let db = dir.join("live.db");
    assert!(passport(&db, &["migrate"], "").status.success());
    // Faults: the database readable by others, a fact unchecked for years, a certificate
    // that ends in 10 days, staff over plain HTTP, a backup three days old.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let sql = |statement: &str| {
        let conn = rusqlite::Connection::open(&db).expect("opens");
        conn.execute_batch(statement).expect("planted");
    };
    sql(
        "UPDATE contact SET checked_on = '2020-01-01' WHERE rowid = (SELECT min(rowid) FROM contact)",
    );
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ])
        .args(["-days", "10", "-subj", "/CN=hub.test", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl");
    assert!(made.status.success());
    let old = backups.join("passport-2026-01-01T000000Z.db");
    std::fs::write(&old, b"").expect("backup");
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let touched = Command::new("touch")
        .args(["-d", "3 days ago"])
        .arg(&old)
        .status();
    assert!(touched.is_ok_and(|s| s.success()));
    let backups_arg = backups.to_string_lossy().into_owned();
    let (cert_arg, key_arg) = (
        cert.to_string_lossy().into_owned(),
        key.to_string_lossy().into_owned(),
    );
    let faulty = passport(
        &db,
        &[
            "doctor",
            "--backups",
            &backups_arg,
            "--every",
            "24",
            "--tls-cert",
            &cert_arg,
            "--tls-key",
            &key_arg,
            "--allow-staff-over-http",
        ],
        "",
    );
    let report = said(&faulty);
    assert!(!faulty.status.success(), "{report}");
    for check in ["permissions", "tls", "staff", "keys", "backups", "facts"] {
        assert!(
            report.contains(&format!("PROBLEM  {check}:")),
            "{check}: {report}"
        );
    }
    assert!(
        report.contains("expires in 9 days") || report.contains("expires in 10 days"),
        "{report}"
    );
    assert!(report.contains("fix: chmod 600"), "{report}");

    // Fixed: each of those checks now says ok (the key is left for `keys init`).
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    sql("UPDATE contact SET checked_on = date('now')");
    assert!(
        passport(
            &db,
            &[
                "backup",
                &backups
                    .join("passport-2099-01-01T000000Z.db")
                    .to_string_lossy()
            ],
            ""
        )
        .status
        .success()
    );
    let better = said(&passport(&db, &["doctor", "--backups", &backups_arg], ""));
    for check in ["permissions", "staff", "backups", "facts", "disk"] {
        assert!(
            better.contains(&format!("ok       {check}:")),
            "{check}: {better}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
