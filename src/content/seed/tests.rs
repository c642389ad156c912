use super::*;
use rusqlite::Connection;

const SOURCES: &str = r#"
[[source]]
id = "ilo"
name = "ILO"
url = "https://www.ilo.org/resource/other/ilo-indicators-forced-labour"
"#;

fn text(en: &str) -> String {
    format!("{{ en = \"{en}\", vi = \"{en} vi\", th = \"{en} th\", ksw = \"{en} ksw\" }}")
}

fn checklist(item_text: &str) -> String {
    format!(
        r#"
slug = "job-offer"
position = 1
kind = "warning-signs"
help_kind = "job-offer-check"
reviewed = ["en"]
title = {title}
intro = {intro}
advice.clear = {{ meaning = {m}, action = {a} }}
advice.caution = {{ meaning = {m}, action = {a} }}
advice.danger = {{ meaning = {m}, action = {a} }}

[[item]]
id = "fee"
severity = "warning"
source = "ilo"
checked = "2026-11-23"
text = {item}
meaning = {meaning}
"#,
        title = text("Is it safe?"),
        intro = text("Tick"),
        m = text("Means"),
        a = text("Do"),
        item = text(item_text),
        meaning = text("Fees are illegal"),
    )
}

fn contacts(phone: &str) -> String {
    format!(
        r#"
reviewed = ["en"]
[[country]]
code = "vn"
position = 1
name = {name}
[[country.contact]]
id = "vn-111"
phone = "{phone}"
advice = true
source = "ilo"
checked = "2026-11-23"
name = {name}
what = {name}
hours = {name}
languages = {name}
"#,
        name = text("Vietnam"),
    )
}

fn seed(checklist: &str, contacts: &str) -> Result<Seed, SeedError> {
    Seed::parse([
        ("sources/test.toml", SOURCES),
        ("checklists/job-offer.toml", checklist),
        ("contacts.toml", contacts),
    ])
}

fn value(conn: &Connection, id: &str, locale: &str) -> (String, String) {
    conn.query_row(
        "SELECT value, status FROM content_text WHERE message_id = ?1 AND locale = ?2",
        [id, locale],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .expect("text exists")
}

fn database() -> Connection {
    let mut conn = Connection::open_in_memory().expect("opens");
    crate::db::migrate(&mut conn).expect("migrates");
    conn
}

#[test]
fn the_shipped_seed_is_valid() {
    let seed = Seed::shipped().expect("content/ parses and checks");
    assert!(!seed.contacts.is_empty());
}

#[test]
fn english_is_reviewed_and_the_other_locales_are_drafts() {
    let mut conn = database();
    seed(&checklist("Fee?"), &contacts("111"))
        .expect("valid")
        .apply(&mut conn)
        .expect("applies");
    let id = "checklist.job-offer.item.fee.text";
    assert_eq!(value(&conn, id, "en"), ("Fee?".into(), "reviewed".into()));
    assert_eq!(value(&conn, id, "ksw"), ("Fee? ksw".into(), "draft".into()));
}

#[test]
fn a_new_release_updates_texts_and_facts_but_never_what_an_editor_changed() {
    let mut conn = database();
    seed(&checklist("Fee?"), &contacts("111"))
        .expect("valid")
        .apply(&mut conn)
        .expect("first load");
    // An editor fixes the Thai text and the phone number.
    conn.execute_batch(
        "UPDATE content_text SET value = 'Edited', status = 'reviewed',
             edited_at = '2026-11-24T10:00:00Z', edited_by = 'editor'
         WHERE message_id = 'checklist.job-offer.item.fee.text' AND locale = 'th';
         UPDATE contact SET phone = '112', edited_at = '2026-11-24T10:00:00Z' WHERE id = 'vn-111';",
    )
    .expect("editor's change");

    let report = seed(&checklist("Any fee?"), &contacts("999"))
        .expect("valid")
        .apply(&mut conn)
        .expect("upgrade");

    let id = "checklist.job-offer.item.fee.text";
    assert_eq!(value(&conn, id, "th"), ("Edited".into(), "reviewed".into()));
    assert_eq!(value(&conn, id, "en").0, "Any fee?");
    assert_eq!(value(&conn, id, "vi").0, "Any fee? vi");
    let phone: String = conn
        .query_row("SELECT phone FROM contact WHERE id = 'vn-111'", [], |r| {
            r.get(0)
        })
        .expect("contact");
    assert_eq!(phone, "112");
    assert_eq!(report.texts_kept_for_editors, 1);
    assert_eq!(report.texts_updated, 3);
}

#[test]
fn loading_the_same_seed_again_changes_nothing() {
    let mut conn = database();
    let seed = seed(&checklist("Fee?"), &contacts("111")).expect("valid");
    let first = seed.apply(&mut conn).expect("first");
    assert!(first.texts_added > 0);
    assert_eq!(seed.apply(&mut conn).expect("again"), SeedReport::default());
}

#[test]
fn a_release_that_drops_an_item_removes_it() {
    let mut conn = database();
    seed(&checklist("Fee?"), &contacts("111"))
        .expect("valid")
        .apply(&mut conn)
        .expect("first");
    let without_contacts = Seed::parse([
        ("sources/test.toml", SOURCES),
        ("checklists/job-offer.toml", checklist("Fee?").as_str()),
    ])
    .expect("valid");
    without_contacts.apply(&mut conn).expect("upgrade");
    let left: i64 = conn
        .query_row("SELECT count(*) FROM contact", [], |r| r.get(0))
        .expect("count");
    assert_eq!(left, 0);
}

#[test]
fn bad_seed_files_are_refused_with_the_file_named() {
    let bad_phone = seed(&checklist("Fee?"), &contacts("call us"));
    assert!(matches!(&bad_phone, Err(SeedError::Invalid { file, .. }) if file == "contacts.toml"));

    let unknown_source = checklist("Fee?").replace("source = \"ilo\"", "source = \"nobody\"");
    assert!(seed(&unknown_source, &contacts("111")).is_err());

    let missing_locale = checklist("Fee?").replace(", ksw = \"Fee? ksw\"", "");
    let error = seed(&missing_locale, &contacts("111")).expect_err("refused");
    assert!(
        error.to_string().contains("checklists/job-offer.toml"),
        "{error}"
    );

    let no_severity = checklist("Fee?").replace("severity = \"warning\"\n", "");
    assert!(seed(&no_severity, &contacts("111")).is_err());

    let bad_date = checklist("Fee?").replace("2026-11-23", "2026-13-01");
    assert!(seed(&bad_date, &contacts("111")).is_err());

    let thai_in_karen = checklist("Fee?").replace("Fee? ksw", "Fee? \u{0E35}");
    let error = seed(&thai_in_karen, &contacts("111")).expect_err("refused");
    assert!(error.to_string().contains("U+0E35"), "{error}");
}

fn safety_guide(extra: &str) -> String {
    format!(
        r#"slug = "worried-about-someone"
position = 20
kind = "safety"
source = "ilo"
checked = "2026-12-07"
reviewed = ["en"]
{extra}
title = {title}
summary = {summary}
[[section]]
kind = "signs"
title = {heading}
[[section.point]]
id = "cannot-speak"
source = "ilo"
checked = "2026-12-07"
text = {point}
"#,
        title = text("Worried?"),
        summary = text("What families can do."),
        heading = text("Signs"),
        point = text("They cannot speak for themselves."),
    )
}

fn with_guide(guide: &str) -> Result<Seed, SeedError> {
    Seed::parse([
        ("sources/test.toml", SOURCES),
        ("checklists/job-offer.toml", checklist("Fee?").as_str()),
        ("contacts.toml", contacts("111").as_str()),
        ("guides/worried-about-someone.toml", guide),
    ])
}

#[test]
fn a_safety_guide_has_its_own_sections_with_titles_and_a_sourced_summary() {
    let seed = with_guide(&safety_guide("")).expect("valid");
    let guide = &seed.guides[0];
    assert_eq!(guide.kind, GuideKind::Safety);
    assert_eq!((guide.source.as_str(), guide.country.as_str()), ("ilo", ""));
    assert_eq!(seed.points[0].section, "signs");
    assert!(seed.texts.iter().any(
        |t| t.message_id == "guide.worried-about-someone.section.signs" && t.value == "Signs"
    ));

    for (broken, why) in [
        (safety_guide("country = \"nz\""), "a country"),
        (
            safety_guide("").replace("source = \"ilo\"\nchecked", "checked"),
            "no source",
        ),
        (
            safety_guide("").replace("kind = \"safety\"", "kind = \"story\""),
            "a kind",
        ),
        (
            safety_guide("").replace("kind = \"safety\"\n", ""),
            "pathway sections",
        ),
    ] {
        assert!(with_guide(&broken).is_err(), "{why}");
    }
}

#[test]
fn sources_name_a_page_each_and_an_id_once_across_files() {
    let home_page = SOURCES.replace("/resource/other/ilo-indicators-forced-labour", "/");
    let error = Seed::parse([("sources/a.toml", home_page.as_str())]).expect_err("refused");
    assert!(
        error.to_string().contains("not the address of a page"),
        "{error}"
    );

    let error = Seed::parse([("sources/a.toml", SOURCES), ("sources/b.toml", SOURCES)])
        .expect_err("refused");
    assert!(error.to_string().contains("defined twice"), "{error}");
}
