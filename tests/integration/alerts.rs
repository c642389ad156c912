//! Alerts (issue 21), in process with a real webhook receiver on a socket: a request that
//! says "I am in danger now" is alerted at once, with no sealed field; a receiver that fails
//! at first gets it on a later try, and meanwhile the staff pages say so; the other requests
//! come in the daily digest; admins set the addresses.

use crate::common::{Fixture, text};
use crate::staff::{add, sign_in};
use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::post,
};
use hmac::{Hmac, Mac};
use passport::alerts::{self, Settings, queue, send::Sender};
use passport::i18n::Locale;
use passport::staff::accounts::Role;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

const JSON: &str = "application/json";

const SECRET: &str = "shared with the receiver";

/// Whether a post carries the signature the shared secret makes, computed here as a
/// receiver would: HMAC-SHA256 of `{timestamp}.{body}`.
fn signed(headers: &HeaderMap, body: &[u8]) -> bool {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key");
    mac.update(header("x-passport-timestamp").as_bytes());
    mac.update(b".");
    mac.update(body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    header("x-passport-signature") == format!("sha256={expected}")
}

/// A webhook receiver: what it was sent, and how many of the next posts it refuses.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<serde_json::Value>>>,
    refuse: Arc<Mutex<u32>>,
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    if !signed(&headers, &body) {
        return StatusCode::UNAUTHORIZED;
    }
    let mut refuse = receiver.refuse.lock().expect("lock");
    if *refuse > 0 {
        *refuse -= 1;
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let value = serde_json::from_slice(&body).expect("the webhook gets JSON");
    receiver.got.lock().expect("lock").push(value);
    StatusCode::NO_CONTENT
}

async fn receiver() -> (Receiver, reqwest::Url) {
    let receiver = Receiver::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bound");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(receiver.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (
        receiver,
        alerts::send::webhook_url(&url).expect("a local webhook"),
    )
}

fn request(id: u32, kind: &str, urgent: bool) -> String {
    serde_json::json!({
        "id": format!("00000000-0000-4000-8000-{id:012x}"), "kind": kind, "country": "my",
        "channel": "zalo", "contact": "0912 345 678", "name": "Hoa Secretname",
        "message": "They took my passport at the dormitory", "language": "vi",
        "consent": true, "urgent": urgent,
    })
    .to_string()
}

async fn reference(f: &Fixture, body: String) -> String {
    let response = f.post("/api/v1/help-requests", JSON, body, &[]).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let answer: serde_json::Value = serde_json::from_str(&text(response).await).expect("json");
    answer["reference"]
        .as_str()
        .expect("a reference")
        .to_owned()
}

#[tokio::test]
async fn an_urgent_request_is_alerted_once_without_a_sealed_field_even_when_the_first_try_fails() {
    let f = Fixture::new("alerts-webhook").await;
    let (receiver, url) = receiver().await;
    let settings = Settings {
        email: None,
        webhook: Some(url),
        webhook_secret: Some(alerts::send::Secret(SECRET.into())),
        digest_hour: 1,
        locale: Locale::En,
    };
    let sender = Sender::new(&settings, Some("https://central.example.org".into())).expect("ok");
    let start = SystemTime::now();
    let tick = |at: u64| {
        alerts::tick(
            &f.db,
            &f.app.site,
            &sender,
            &settings,
            start + Duration::from_secs(at),
        )
    };
    // The first round only sets when the first digest is due.
    assert_eq!(tick(0).await.expect("round"), 0);

    let urgent = reference(&f, request(1, "not-paid", true)).await;
    let calm = reference(&f, request(2, "job-offer-check", false)).await;
    *receiver.refuse.lock().expect("lock") = 1;
    assert_eq!(tick(1).await.expect("round"), 0, "the receiver refuses it");
    add(&f, "boss", Role::Admin).await;
    let boss = sign_in(&f, "boss").await;
    let home = text(boss.get(&f, "/staff/requests").await).await;
    assert!(
        home.contains(r#"id="alerts-failing""#),
        "every staff page says so"
    );
    let page = text(boss.get(&f, "/staff/alerts").await).await;
    assert!(page.contains(r#"id="alerts-not-sent""#));
    assert!(page.contains("503"), "with the reason");
    assert!(page.contains(&f.says(Locale::En, "staff-alerts-error-webhook")));

    assert_eq!(tick(3).await.expect("round"), 0, "not yet due again");
    assert_eq!(tick(6).await.expect("round"), 1, "sent on the next try");
    assert_eq!(tick(600).await.expect("round"), 0, "and only once");
    let got = receiver.got.lock().expect("lock").clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["event"], "urgent");
    assert_eq!(got[0]["requests"][0]["reference"], urgent.as_str());
    assert_eq!(got[0]["requests"][0]["kind"], "not-paid");
    assert_eq!(got[0]["requests"][0]["country"], "my");
    assert_eq!(got[0]["link"], "https://central.example.org/staff/requests");
    let said = got[0].to_string();
    for secret in ["0912 345 678", "Secretname", "dormitory", "zalo"] {
        assert!(!said.contains(secret), "{secret} is sealed: {said}");
    }
    let home = text(boss.get(&f, "/staff/requests").await).await;
    assert!(!home.contains(r#"id="alerts-failing""#));

    // The calm one waits for the digest at 01:00 UTC.
    let epoch = start
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let epoch = i64::try_from(epoch).expect("seconds");
    let digest_at = u64::try_from(queue::next_digest(epoch, 1) - epoch).expect("later");
    assert_eq!(tick(digest_at).await.expect("round"), 1);
    let got = receiver.got.lock().expect("lock").clone();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1]["event"], "digest");
    assert_eq!(got[1]["requests"][0]["reference"], calm.as_str());
    assert_eq!(got[1]["requests"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn admins_set_the_addresses_and_others_may_not() {
    let f = Fixture::new("alerts-addresses").await;
    add(&f, "boss", Role::Admin).await;
    add(&f, "mai", Role::Caseworker).await;
    let boss = sign_in(&f, "boss").await;
    let page = text(boss.get(&f, "/staff/alerts").await).await;
    assert!(page.contains(&f.says(Locale::En, "staff-alerts-off")));

    let added = boss
        .post(
            &f,
            "/staff/alerts",
            &[("action", "add"), ("address", "duty@ngo.example")],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let bad = boss
        .post(
            &f,
            "/staff/alerts",
            &[("action", "add"), ("address", "duty at ngo")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(bad)
            .await
            .contains(&f.says(Locale::En, "staff-alerts-bad-address"))
    );
    let page = text(boss.get(&f, "/staff/alerts").await).await;
    assert!(page.contains(r#"data-recipient="duty@ngo.example""#));
    let listed = f.db.read(queue::recipients).await.expect("read");
    assert_eq!(listed, ["duty@ngo.example"]);

    let mai = sign_in(&f, "mai").await;
    let refused = mai
        .post(
            &f,
            "/staff/alerts",
            &[("action", "add"), ("address", "me@evil.example")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        mai.get(&f, "/staff/alerts").await.status(),
        StatusCode::FORBIDDEN
    );

    let removed = boss
        .post(
            &f,
            "/staff/alerts",
            &[("action", "remove"), ("address", "duty@ngo.example")],
        )
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let audit: i64 =
        f.db.read(|c| {
            c.query_row(
                "SELECT count(*) FROM audit_log WHERE action LIKE 'alert-address-%'",
                [],
                |r| r.get(0),
            )
        })
        .await
        .expect("audit");
    assert_eq!(audit, 2);
}

#[tokio::test]
async fn the_form_asks_whether_the_person_is_in_danger_now_and_the_list_shows_it() {
    let f = Fixture::new("alerts-form").await;
    let form = text(f.get("/vi/help", &[]).await).await;
    assert!(form.contains(r#"name="urgent""#));
    assert!(form.contains(&f.says(Locale::Vi, "help-urgent-label")));
    let body = "id=0b8f5c3e-9a1d-4c2b-8e7f-1a2b3c4d5e6f&kind=job-offer-check&urgent=yes\
                &country=kr&channel=zalo&contact=0912+345+678&language=vi&consent=yes";
    let sent = f
        .post("/vi/help", "application/x-www-form-urlencoded", body, &[])
        .await;
    assert_eq!(sent.status(), StatusCode::OK);
    let title = f.says(Locale::Vi, "help-sent-title");
    assert!(text(sent).await.contains(&title), "sent");
    add(&f, "mai", Role::Caseworker).await;
    let mai = sign_in(&f, "mai").await;
    let list = text(mai.get(&f, "/staff/requests").await).await;
    assert!(
        list.contains("badge-urgent"),
        "a job offer check is urgent when the person says so"
    );
}
