//! A hub and central as two apps in one process, speaking the hub protocol over their
//! routers: pairing, requests up exactly once, a signed bundle down, and the refusals.

use crate::common::{Fixture, text};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use passport::hub::{self, Batch, BatchAnswer, Outcome, PairAnswer, Status, bundle, forward};
use serde_json::json;
use tower::ServiceExt;

pub const JSON: &str = "application/json";

/// Central with a hub added, and that hub's database paired with it over the API.
async fn paired(name: &str) -> (Fixture, Fixture, String) {
    paired_under(name, None).await
}

/// The same, the hub named under `domain` when there is one.
pub async fn paired_under(name: &str, domain: Option<&'static str>) -> (Fixture, Fixture, String) {
    let central = Fixture::new(&format!("{name}-central")).await;
    let hub = Fixture::new(&format!("{name}-hub")).await;
    let code = central
        .db
        .write(move |c| Ok(hub::registry::add(c, "hall", domain, None)))
        .await
        .expect("db")
        .expect("added");
    let ask = json!({ "code": code, "export_key": hub::b64(&[7u8; 32]) }).to_string();
    let response = central.post("/hub/v1/pair", JSON, ask.clone(), &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: PairAnswer = serde_json::from_str(&text(response).await).expect("answer");
    assert_eq!(answer.hub, "hall");
    let again = central.post("/hub/v1/pair", JSON, ask, &[]).await;
    assert_eq!(again.status(), StatusCode::FORBIDDEN, "a code pairs once");
    let token = answer.token.clone();
    let path = hub.db.path().to_owned();
    hub.db
        .write(move |c| {
            Ok(hub::identity::pair(
                c,
                &path,
                "http://127.0.0.1:1",
                &answer,
                &[1; 32],
            ))
        })
        .await
        .expect("db")
        .expect("paired");
    (central, hub, token)
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

pub async fn ask(
    f: &Fixture,
    method: &str,
    uri: &str,
    token: &str,
    body: String,
) -> (StatusCode, String) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, bearer(token))
        .header(header::CONTENT_TYPE, JSON)
        .body(Body::from(body))
        .expect("request");
    let response = f.router.clone().oneshot(request).await.expect("answers");
    (response.status(), text(response).await)
}

/// A request; one whose id starts with 5 says "I am in danger now".
fn help_request(id: &str) -> String {
    json!({
        "id": id, "kind": "passport-held", "country": "th", "channel": "line",
        "contact": "naw.htoo", "language": "ksw", "consent": true,
        "urgent": id.starts_with('5'),
    })
    .to_string()
}

async fn count(f: &Fixture) -> i64 {
    f.db.read(|c| c.query_row("SELECT count(*) FROM help_request", [], |r| r.get(0)))
        .await
        .expect("count")
}

#[tokio::test]
async fn requests_a_hub_takes_reach_central_once_and_central_opens_them() {
    let (central, hub, token) = paired("hub-flow").await;
    // The hub's writer still holds its first key: the first request is refused, and the
    // phone's outbox sends it again, sealed to central's key.
    let ids = [
        "5f0c6a52-3b7e-4d8a-9c1f-2e4b6d8f0a1c",
        "6f0c6a52-3b7e-4d8a-9c1f-2e4b6d8f0a1c",
    ];
    for id in ids {
        let mut status = StatusCode::SERVICE_UNAVAILABLE;
        for _ in 0..2 {
            status = hub
                .post("/api/v1/help-requests", JSON, help_request(id), &[])
                .await
                .status();
            if status == StatusCode::CREATED {
                break;
            }
        }
        assert_eq!(status, StatusCode::CREATED);
    }
    // The phone sends the second one to central itself too, later.
    let direct = central
        .post("/api/v1/help-requests", JSON, help_request(ids[1]), &[])
        .await;
    assert_eq!(direct.status(), StatusCode::CREATED);

    let (status, body) = ask(&central, "GET", "/hub/v1/status", &token, String::new()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<Status>(&body)
            .expect("status")
            .last_seq,
        0
    );
    let requests = hub
        .db
        .write(|c| {
            forward::number(c)?;
            forward::next_batch(c, 10)
        })
        .await
        .expect("batch");
    let batch = serde_json::to_string(&Batch { requests }).expect("json");
    let (status, body) = ask(&central, "POST", "/hub/v1/requests", &token, batch.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer: BatchAnswer = serde_json::from_str(&body).expect("answer");
    let outcomes: Vec<Outcome> = answer.answers.iter().map(|a| a.outcome).collect();
    assert_eq!(outcomes, [Outcome::Stored, Outcome::Had]);
    assert_eq!(answer.last_seq, 2);
    let (_, replayed) = ask(&central, "POST", "/hub/v1/requests", &token, batch).await;
    let replayed: BatchAnswer = serde_json::from_str(&replayed).expect("answer");
    assert!(replayed.answers.iter().all(|a| a.outcome == Outcome::Had));
    assert_eq!(count(&central).await, 2);

    let opened = central.opened().await;
    assert!(
        opened.iter().all(|p| p.contact == "naw.htoo"),
        "central opens what the hub sealed"
    );
    let via: String = central
        .db
        .read(|c| {
            c.query_row(
                "SELECT group_concat(h.name) FROM help_request r JOIN hub h ON h.id = r.hub_id",
                [],
                |r| r.get(0),
            )
        })
        .await
        .expect("via");
    assert_eq!(via, "hall");
    let urgent: Vec<bool> = central
        .db
        .read(|c| {
            c.prepare("SELECT urgent FROM help_request ORDER BY hub_id IS NULL, id")?
                .query_map([], |r| r.get(0))?
                .collect()
        })
        .await
        .expect("urgent");
    assert_eq!(urgent, [true, false], "\"in danger now\" crosses the hub");
    hub.db
        .write(move |c| forward::settle(c, answer.last_seq))
        .await
        .expect("settled");
    assert_eq!(
        count(&hub).await,
        0,
        "the hub lets go once central has them"
    );
}

#[tokio::test]
async fn a_bundle_from_central_applies_at_the_hub_and_a_changed_one_does_not() {
    let (central, hub, token) = paired("hub-bundle").await;
    central
        .db
        .write(|c| {
            c.execute(
                "INSERT INTO pending_text (kind, message_id, locale, value, status, source_hash,
                     edited_at, edited_by)
                 SELECT 'content', message_id, 'th', 'ข้อความที่แก้แล้ว', 'reviewed', source_hash, 'now', 'ed'
                 FROM content_text WHERE locale = 'th' ORDER BY message_id LIMIT 1",
                [],
            )?;
            passport::editor::publish::publish(c, "ed", None)
        })
        .await
        .expect("published");
    let (status, body) = ask(
        &central,
        "GET",
        "/hub/v1/bundle?since=0",
        &token,
        String::new(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.len() < 5 * 1024,
        "one edit is a small bundle: {} bytes",
        body.len()
    );
    let forged = body.replace("ข้อความที่แก้แล้ว", "ข้อความปลอม");
    let refused = hub
        .db
        .write(move |c| Ok(bundle::apply(c, forged.as_bytes())))
        .await
        .expect("db");
    assert!(matches!(refused, Err(bundle::BundleError::Forged)));
    let applied = hub
        .db
        .write(move |c| Ok(bundle::apply(c, body.as_bytes())))
        .await
        .expect("db")
        .expect("applied");
    assert_eq!(applied.changes, 1);
    let fixed: i64 = hub
        .db
        .read(|c| {
            c.query_row(
                "SELECT count(*) FROM content_text WHERE value = 'ข้อความที่แก้แล้ว'",
                [],
                |r| r.get(0),
            )
        })
        .await
        .expect("text");
    assert_eq!(fixed, 1);
}

#[tokio::test]
async fn central_refuses_unknown_and_revoked_hubs_and_a_hub_is_no_central() {
    let (central, hub, token) = paired("hub-refusals").await;
    let (status, body) = ask(
        &central,
        "GET",
        "/hub/v1/status",
        "not-a-credential",
        String::new(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("error"));
    let (status, _) = ask(&central, "POST", "/hub/v1/requests", &token, "{".into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    central
        .db
        .write(|c| Ok(hub::registry::revoke(c, "hall", None)))
        .await
        .expect("db")
        .expect("revoked");
    let (status, body) = ask(&central, "GET", "/hub/v1/status", &token, String::new()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("revoked"));
    let (status, _) = ask(&hub, "GET", "/hub/v1/status", &token, String::new()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a hub answers no hub");
}

#[tokio::test]
async fn central_takes_hubs_only_over_https_or_from_this_machine() {
    let (central, _hub, token) = paired("hub-clear").await;
    let mut request = Request::get("/hub/v1/status")
        .header(header::AUTHORIZATION, bearer(&token))
        .body(Body::empty())
        .expect("request");
    request
        .extensions_mut()
        .insert(passport::serve::edge::Transport { private: false });
    let response = central
        .router
        .clone()
        .oneshot(request)
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(text(response).await.contains("HTTPS"));
}
