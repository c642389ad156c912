//! The translators' aids (issue 19): the glossary's confirmation before a translation that
//! leaves an approved term out is saved, the consistency report over the shipped texts, the
//! review sheet, and the staff pages in Thai with no English in place of a missing message.

use crate::common::{Fixture, text};
use crate::staff::{add, sign_in};
use axum::http::StatusCode;
use passport::editor::{consistency, glossary, review, texts};
use passport::i18n::{Locale, validate::Kind};
use passport::staff::accounts::Role;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn a_translation_that_leaves_out_an_approved_term_saves_only_once_confirmed() {
    let f = Fixture::new("glossary-confirm").await;
    add(&f, "ed", Role::Editor).await;
    let session = sign_in(&f, "ed").await;
    // A content text whose English uses a term with an approved Karen translation.
    let (id, approved) =
        f.db.read(|c| {
            let terms = glossary::load(c)?;
            let messages = texts::load(c)?;
            Ok(messages
                .iter()
                .filter(|m| m.kind == Kind::Content)
                .find_map(|m| {
                    let term = glossary::used_in(&terms, m.english()).into_iter().next()?;
                    Some((m.id.clone(), term.approved(Locale::Ksw)?.value.clone()))
                }))
        })
        .await
        .expect("db")
        .expect("a text uses a glossary term");
    let edit = "/staff/translations/ksw/edit";
    let form = [
        ("kind", "content"),
        ("id", id.as_str()),
        ("value", "ကျိာ်"),
        ("status", "draft"),
    ];
    let asked = session.post(&f, edit, &form).await;
    assert_eq!(asked.status(), StatusCode::OK, "asked, not saved");
    let page = text(asked).await;
    assert!(
        page.contains(&approved) && page.contains("name=\"confirm\""),
        "{page}"
    );
    let saved_before =
        f.db.read(|c| {
            c.query_row("SELECT count(*) FROM pending_text", [], |r| {
                r.get::<_, i64>(0)
            })
        })
        .await
        .expect("db");
    assert_eq!(saved_before, 0);

    let mut confirmed = form.to_vec();
    confirmed.push(("confirm", "yes"));
    let saved = session.post(&f, edit, &confirmed).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let wanted = id.clone();
    let value: String =
        f.db.read(move |c| {
            c.query_row(
                "SELECT value FROM pending_text WHERE message_id = ?1 AND locale = 'ksw'",
                [&wanted],
                |r| r.get(0),
            )
        })
        .await
        .expect("saved");
    assert_eq!(value, "ကျိာ်");

    // The edit page marks the term in the English and shows the memory and the glossary.
    let html = text(
        session
            .get(&f, &format!("{edit}?kind=content&id={}", form[1].1))
            .await,
    )
    .await;
    assert!(
        html.contains("class=\"term\">"),
        "the term is marked: {html}"
    );
}

#[tokio::test]
async fn the_shipped_texts_give_no_consistency_finding_in_any_language() {
    let f = Fixture::new("glossary-shipped").await;
    let (messages, terms) = f.db.read(review::gather).await.expect("db");
    assert!(terms.len() >= 20, "a glossary of {} terms", terms.len());
    for locale in Locale::ALL {
        let findings = consistency::report(&messages, &terms, locale);
        assert!(
            findings.is_empty(),
            "{}",
            review::report_text(&messages, &terms, locale)
        );
    }
}

#[tokio::test]
async fn the_review_sheet_lists_every_text_of_the_language_and_the_glossary() {
    let f = Fixture::new("glossary-sheet").await;
    add(&f, "ed", Role::Editor).await;
    let session = sign_in(&f, "ed").await;
    let (messages, terms) = f.db.read(review::gather).await.expect("db");
    let html = text(session.get(&f, "/staff/translations/ksw/sheet").await).await;
    let shown = messages
        .iter()
        .filter(|m| texts::applies(&m.area, Locale::Ksw));
    let mut count = 0;
    for message in shown {
        assert!(
            html.contains(&format!("<code>{}</code>", message.id)),
            "{}",
            message.id
        );
        count += 1;
    }
    assert_eq!(
        html.matches("class=\"sheet-box\"").count(),
        count,
        "one box per text"
    );
    let first_contact = html.find("<h2>contact.").expect("contacts");
    let first_guide = html.find("<h2>guide.").expect("guides");
    assert!(first_contact < first_guide, "the hotlines come first");
    for term in &terms {
        assert!(html.contains(&term.english), "glossary: {}", term.english);
    }
}

/// What the app logs, kept for the test to read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_thai_staff_account_reads_every_staff_page_in_thai() {
    let f = Fixture::new("glossary-thai-staff").await;
    add(&f, "somchai", Role::Admin).await;
    let session = sign_in(&f, "somchai").await;
    let chosen = session
        .post(
            &f,
            "/staff/language",
            &[("locale", "th"), ("back", "/staff/account")],
        )
        .await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);

    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::WARN)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let pages = [
        "/staff/requests",
        "/staff/export",
        "/staff/account",
        "/staff/audit",
        "/staff/access",
        "/staff/hubs",
        "/staff/translations",
        "/staff/translations/ksw",
        "/staff/translations/ksw/consistency",
        "/staff/translations/ksw/sheet",
        "/staff/glossary/ksw",
        "/staff/facts",
    ];
    for page in pages {
        let response = session.get(&f, page).await;
        assert_eq!(response.status(), StatusCode::OK, "{page}");
        let html = text(response).await;
        assert!(
            html.contains("<html lang=\"th\""),
            "{page}: {}",
            &html[..html.len().min(600)]
        );
    }
    let logged = String::from_utf8(log.0.lock().expect("not poisoned").clone()).expect("utf-8");
    assert!(!logged.contains("showing English"), "{logged}");
    assert!(!logged.contains("formatted with errors"), "{logged}");
}
