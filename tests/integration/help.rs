//! Help requests over HTTP: the JSON endpoint the outbox uses, and the form without
//! JavaScript. Every rejection is localised; a replayed request is stored once.

use crate::common::{Fixture, text};
use axum::http::{StatusCode, header};
use passport::i18n::Locale;
use serde_json::{Value, json};

const API: &str = "/api/v1/help-requests";
const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

fn request(id: &str) -> Value {
    json!({
        "id": id,
        "kind": "passport-held",
        "country": "th",
        "channel": "line",
        "contact": "naw.htoo",
        "language": "ksw",
        "consent": true,
        "ticked": ["forced-labour/documents-kept"],
    })
}

async fn stored(f: &Fixture) -> i64 {
    f.db.read(|c| c.query_row("SELECT count(*) FROM help_request", [], |r| r.get(0)))
        .await
        .expect("count")
}

async fn json_of(response: axum::http::Response<axum::body::Body>) -> Value {
    serde_json::from_str(&text(response).await).expect("JSON body")
}

#[tokio::test]
async fn a_replayed_request_gets_the_same_reference_and_is_stored_once() {
    let f = Fixture::new("help-replay").await;
    let body = request("5f0c6a52-3b7e-4d8a-9c1f-2e4b6d8f0a1c").to_string();
    let first = f.post(API, JSON, body.clone(), &[]).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(first.headers()[header::CACHE_CONTROL], "no-store");
    let first = json_of(first).await;
    let reference = first["reference"].as_str().expect("reference").to_owned();
    assert_eq!(reference.len(), 6, "{reference}");
    assert_eq!(&reference[2..3], "-");

    for _ in 0..3 {
        let again = f.post(API, JSON, body.clone(), &[]).await;
        assert_eq!(again.status(), StatusCode::OK);
        let again = json_of(again).await;
        assert_eq!(again["reference"], reference.as_str());
        assert_eq!(again["created"], false);
    }
    assert_eq!(stored(&f).await, 1);

    let other = f
        .post(
            API,
            JSON,
            request("6a1d7b63-4c8f-4e9b-8d2a-3f5c7e9a1b2d").to_string(),
            &[],
        )
        .await;
    assert_eq!(other.status(), StatusCode::CREATED);
    assert_ne!(json_of(other).await["reference"], reference.as_str());
    assert_eq!(stored(&f).await, 2);
}

#[tokio::test]
async fn a_stored_id_sent_with_other_answers_gets_a_409_and_no_reference() {
    let f = Fixture::new("help-conflict").await;
    let id = "5f0c6a52-3b7e-4d8a-9c1f-2e4b6d8f0a1c";
    let first = json_of(f.post(API, JSON, request(id).to_string(), &[]).await).await;
    let reference = first["reference"].as_str().expect("reference").to_owned();

    let mut other = request(id);
    other["contact"] = json!("someone.else");
    let answer = f.post(API, JSON, other.to_string(), &[]).await;
    assert_eq!(answer.status(), StatusCode::CONFLICT);
    let body = text(answer).await;
    assert!(
        !body.contains(&reference),
        "the reference stays secret: {body}"
    );
    assert!(
        body.contains(&f.says(Locale::Ksw, "help-error-id-reused")),
        "{body}"
    );

    assert_eq!(
        f.opened().await[0].contact,
        "naw.htoo",
        "the stored request is unchanged"
    );
    assert_eq!(stored(&f).await, 1);

    let form = format!(
        "id={id}&kind=other&country=th&channel=line&contact=someone.else&language=th&consent=yes"
    );
    let page = f.post("/th/help", FORM, form, &[]).await;
    assert_eq!(page.status(), StatusCode::CONFLICT);
    let page = text(page).await;
    assert!(!page.contains(&reference));
    assert!(page.contains(&f.says(Locale::Th, "help-error-id-reused")));
    assert!(
        !page.contains(&format!(r#"name="id" value="{id}""#)),
        "the form shown again carries a new id"
    );
    assert_eq!(stored(&f).await, 1);
}

#[tokio::test]
async fn a_number_pasted_with_hidden_characters_is_stored_without_them() {
    let f = Fixture::new("help-hidden").await;
    let mut body = request("7b2e8c74-5d9a-4f0c-9e3b-4a6d8f0b2c3e");
    body["channel"] = json!("whatsapp");
    body["contact"] = json!("\u{202A}+66 81 234 5678\u{202C}");
    body["name"] = json!("\u{202E}น้อย\u{200D}\u{FEFF}");
    let answer = f.post(API, JSON, body.to_string(), &[]).await;
    assert_eq!(answer.status(), StatusCode::CREATED);
    let stored = f.opened().await.remove(0);
    assert_eq!(stored.contact, "+66 81 234 5678");
    assert_eq!(stored.name, "น้อย\u{200D}", "the joiner stays");
}

#[tokio::test]
async fn every_bad_field_is_reported_in_the_requests_own_language() {
    let f = Fixture::new("help-invalid").await;
    let mut bad = request("not-a-uuid");
    bad["language"] = json!("vi");
    bad["kind"] = json!("loan");
    bad["channel"] = json!("phone");
    bad["contact"] = json!("call me");
    bad["consent"] = json!(false);
    bad["name"] = json!("x".repeat(61));
    let response = f.post(API, JSON, bad.to_string(), &[]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let errors = json_of(response).await["errors"].clone();
    let said = |field: &str| -> String {
        errors
            .as_array()
            .expect("errors")
            .iter()
            .find(|e| e["field"] == field)
            .unwrap_or_else(|| panic!("no error for {field}: {errors}"))["message"]
            .as_str()
            .expect("message")
            .to_owned()
    };
    for (field, message) in [
        ("form", "help-error-id"),
        ("kind", "help-error-kind"),
        ("contact", "help-error-contact-phone"),
        ("consent", "help-error-consent"),
        ("name", "help-error-name"),
    ] {
        assert_eq!(said(field), f.says(Locale::Vi, message), "{field}");
        // The message's id too: the page shows the note it already holds for it.
        let coded = errors
            .as_array()
            .expect("errors")
            .iter()
            .any(|e| e["field"] == field && e["code"] == message);
        assert!(coded, "{field}: {message} in {errors}");
    }
    assert_eq!(stored(&f).await, 0);
}

#[tokio::test]
async fn unreadable_and_oversized_bodies_get_localised_answers_not_500s() {
    let f = Fixture::new("help-bad-bodies").await;
    let thai = [(header::ACCEPT_LANGUAGE, "th")];
    let garbage = f.post(API, JSON, "{not json", &thai).await;
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        json_of(garbage).await["errors"][0]["message"],
        f.says(Locale::Th, "help-error-unreadable").as_str()
    );
    let not_utf8 = f
        .post(API, JSON, b"{\"name\": \"\xff\xfe\"}".to_vec(), &thai)
        .await;
    assert_eq!(not_utf8.status(), StatusCode::BAD_REQUEST);

    // Over this endpoint's own limit, and over the limit in front of every route.
    for size in [20 * 1024, 200 * 1024] {
        let mut big = request("7b2e8c74-5d9a-4fa0-9e3b-4a6d8f0b2c3e");
        big["message"] = json!("x".repeat(size));
        let response = f.post(API, JSON, big.to_string(), &thai).await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE, "{size}");
        assert_eq!(
            json_of(response).await["errors"][0]["message"],
            f.says(Locale::Th, "help-error-too-large").as_str(),
            "{size}"
        );
    }
    assert_eq!(stored(&f).await, 0);
}

#[tokio::test]
async fn the_honeypot_turns_a_robot_away() {
    let f = Fixture::new("help-honeypot").await;
    let mut robot = request("8c3f9d85-6e0b-4a1b-8f4c-5b7e9a1c3d4f");
    robot["website"] = json!("http://cheap-pills.example");
    let response = f.post(API, JSON, robot.to_string(), &[]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stored(&f).await, 0);
}

#[tokio::test]
async fn the_form_prefills_the_kind_a_checklist_posts_and_no_query_prefills_anything() {
    let f = Fixture::new("help-form").await;
    for locale in Locale::ALL {
        let opened = f
            .post(
                &format!("/{locale}/help"),
                FORM,
                "from=checklist&kind=not-paid",
                &[],
            )
            .await;
        assert_eq!(opened.status(), StatusCode::OK, "{locale}");
        assert_eq!(opened.headers()[header::CACHE_CONTROL], "no-store");
        let page = text(opened).await;
        assert!(
            page.contains(&f.says(locale, "help-consent-label")),
            "{locale}"
        );
        assert!(
            page.contains(r#"id="kind-not-paid" name="kind" value="not-paid" checked"#),
            "{locale}: the kind is ticked"
        );
        assert!(
            page.contains(r#"name="id" value="""#),
            "{locale}: no id until sent"
        );
        assert!(page.contains(&format!(
            r#"<option value="{locale}" lang="{locale}" selected"#
        )));
        let asked = text(
            f.get(
                &format!(
                    "/{locale}/help?kind=not-paid&attach=yes&ticked=forced-labour%2Fdebt-bondage"
                ),
                &[],
            )
            .await,
        )
        .await;
        assert!(
            !asked.contains(r#"value="not-paid" checked"#) && !asked.contains(r#"name="ticked""#),
            "{locale}: an address carries nothing into the form"
        );
    }
    assert_eq!(stored(&f).await, 0, "opening the form stores nothing");
}

#[tokio::test]
async fn a_checklists_ticked_signs_come_along_only_when_the_person_chooses() {
    let f = Fixture::new("help-signs").await;
    let asked = "from=checklist&kind=not-paid&ticked=forced-labour%2Fwages-withheld\
                 &ticked=forced-labour%2Fdebt-bondage";
    let without = text(f.post("/vi/help", FORM, asked, &[]).await).await;
    assert!(
        !without.contains("name=\"ticked\""),
        "not attached unless chosen"
    );

    let with = text(
        f.post(
            "/vi/help",
            FORM,
            format!("{asked}&attach=yes&ticked=%3Cscript%3E"),
            &[],
        )
        .await,
    )
    .await;
    assert!(with.contains(&f.says(Locale::Vi, "help-ticked-label")));
    let wages: String =
        f.db.read(|c| {
            c.query_row(
                "SELECT value FROM content_text WHERE locale = 'vi'
                 AND message_id = 'checklist.forced-labour.item.wages-withheld.text'",
                [],
                |r| r.get(0),
            )
        })
        .await
        .expect("the sign's text");
    assert!(
        with.contains(&wages),
        "each sign shows as its text, in Vietnamese"
    );
    for sign in ["forced-labour/wages-withheld", "forced-labour/debt-bondage"] {
        assert!(
            with.contains(&format!(r#"name="ticked" value="{sign}" checked"#)),
            "{sign}: a box the person can untick"
        );
    }
    assert!(!with.contains("script%3E") && !with.contains("value=\"<script>"));

    // Sent with one sign unticked: only the other is stored.
    let body = "kind=not-paid&country=th&channel=zalo&contact=minh.zalo&language=vi&consent=yes\
                &ticked=forced-labour%2Fdebt-bondage";
    assert_eq!(
        f.post("/vi/help", FORM, body, &[]).await.status(),
        StatusCode::OK
    );
    assert_eq!(f.opened().await[0].ticked, ["forced-labour/debt-bondage"]);
}

#[tokio::test]
async fn without_javascript_errors_come_back_next_to_the_fields_then_it_is_sent_once() {
    let f = Fixture::new("help-no-js").await;
    let first = "kind=not-paid&country=th&channel=phone&contact=call+me&language=th&name=Noi";
    let response = f.post("/th/help", FORM, first, &[]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let page = text(response).await;
    for message in [
        "help-error-contact-phone",
        "help-error-consent",
        "help-errors-title",
    ] {
        assert!(page.contains(&f.says(Locale::Th, message)), "{message}");
    }
    assert!(page.contains(r#"value="Noi""#), "the name is kept");
    assert!(page.contains(r#"id="contact-error""#));
    let id = page
        .split(r#"name="id" value=""#)
        .nth(1)
        .and_then(|rest| rest.get(..36))
        .expect("the server gave the request an id")
        .to_owned();
    assert!(uuid_shaped(&id), "{id}");
    assert_eq!(stored(&f).await, 0);

    let fixed = format!(
        "id={id}&kind=not-paid&country=th&channel=phone&contact=%2B66+81+234+5678&language=th&name=Noi&consent=yes"
    );
    let sent = f.post("/th/help", FORM, fixed.clone(), &[]).await;
    assert_eq!(sent.status(), StatusCode::OK);
    let page = text(sent).await;
    assert!(page.contains(&f.says(Locale::Th, "help-sent-title")));
    assert!(page.contains("tel:1300"), "the urgent hotline for Thailand");
    let again = text(f.post("/th/help", FORM, fixed, &[]).await).await;
    let reference = |page: &str| {
        page.split(r#"class="reference">"#)
            .nth(1)
            .map(|r| r[..60].to_owned())
    };
    assert_eq!(
        reference(&again),
        reference(&page),
        "a second tap shows the same reference"
    );
    assert_eq!(stored(&f).await, 1);
}

fn uuid_shaped(id: &str) -> bool {
    id.len() == 36
        && id.chars().enumerate().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

#[tokio::test]
async fn one_address_sending_too_many_gets_a_localised_429_with_retry_after() {
    let f = Fixture::new("help-rate").await;
    let vietnamese = [(header::ACCEPT_LANGUAGE, "vi")];
    let burst = passport::help::limit::BURST;
    for _ in 0..burst {
        let response = f.post(API, JSON, "{}", &vietnamese).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let refused = f.post(API, JSON, "{}", &vietnamese).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers()[header::RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=30).contains(&wait), "{wait}");
    assert_eq!(
        json_of(refused).await["errors"][0]["message"],
        f.says(Locale::Vi, "help-error-too-many").as_str()
    );
    // The form shares the limit, and says so in the page's language.
    let form = f.post("/th/help", FORM, "kind=other", &[]).await;
    assert_eq!(form.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        text(form)
            .await
            .contains(&f.says(Locale::Th, "help-error-too-many"))
    );
    // Reading the form is never limited, nor opening it from a checklist.
    assert_eq!(f.get("/th/help", &[]).await.status(), StatusCode::OK);
    let opened = f
        .post("/th/help", FORM, "from=checklist&kind=other", &[])
        .await;
    assert_eq!(opened.status(), StatusCode::OK);
}
