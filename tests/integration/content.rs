//! The content pages in every language, driven in-process: every checklist, guide and
//! contact renders with its sources, the no-JavaScript checklist form gives the advice the
//! shared rules give, and no content text is missing in any locale.

use crate::common::{Fixture, text};
use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use passport::{
    content::{
        advice::Verdict,
        fields::{is_date, is_page_address},
        linked,
        seed::{GuideKind, Seed},
    },
    i18n::Locale,
};
use tower::ServiceExt;

fn seed() -> Seed {
    Seed::shipped().expect("the shipped seed is valid")
}

/// The opening tag of the element carrying `attribute`, e.g. `data-verdict="danger"`.
fn tag_with<'a>(html: &'a str, attribute: &str) -> &'a str {
    let at = html
        .find(attribute)
        .unwrap_or_else(|| panic!("no {attribute}"));
    let start = html[..at].rfind('<').expect("inside a tag");
    let end = at + html[at..].find('>').expect("tag closes");
    &html[start..=end]
}

fn shown(html: &str, attribute: &str) -> bool {
    !tag_with(html, attribute).contains(" hidden")
}

/// Every citation mark points at a footer entry that names a source with a link and a
/// last-checked date; returns how many marks the page has.
fn check_citations(page: &str, html: &str) -> usize {
    let marks = html.matches("<sup class=\"cite\">").count();
    let mut start = 0;
    while let Some(found) = html[start..].find("href=\"#source-") {
        let at = start + found + "href=\"#source-".len();
        let number = &html[at..at + html[at..].find('"').expect("closing quote")];
        let entry_at = html
            .find(&format!("<li id=\"source-{number}\">"))
            .unwrap_or_else(|| panic!("{page}: source {number} is cited but not listed"));
        let entry = &html[entry_at..entry_at + html[entry_at..].find("</li>").expect("entry ends")];
        let link = entry
            .split("href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{page}: source {number} has no link"));
        assert!(
            passport::content::fields::is_page_address(&link.replace("&amp;", "&")),
            "{page}: source {number} links to {link}, not to the page that states the fact"
        );
        assert!(
            entry
                .split(|c: char| !c.is_ascii_digit() && c != '-')
                .any(passport::content::fields::is_date),
            "{page}: source {number} has no last-checked date: {entry}"
        );
        start = at;
    }
    marks
}

#[tokio::test]
async fn the_required_checklists_and_guides_exist() {
    let seed = seed();
    let checklists: Vec<_> = seed.checklists.iter().map(|c| c.slug.as_str()).collect();
    for slug in ["job-offer", "forced-labour", "before-you-go"] {
        assert!(checklists.contains(&slug), "missing checklist {slug}");
    }
    let forced_labour = seed
        .items
        .iter()
        .filter(|i| i.checklist == "forced-labour")
        .count();
    assert!(forced_labour > 11, "the ILO's 11 indicators and more signs");
    let countries: Vec<_> = seed.guides.iter().map(|g| g.country.as_str()).collect();
    for country in ["nz", "th", "kr", "jp", "tw"] {
        assert!(countries.contains(&country), "no guide for {country}");
    }
    let safety: Vec<_> = seed
        .guides
        .iter()
        .filter(|g| g.kind == GuideKind::Safety)
        .map(|g| g.slug.as_str())
        .collect();
    for slug in [linked::HELD, linked::FAMILIES, linked::FRONTLINE] {
        assert!(safety.contains(&slug), "no safety guide {slug}");
    }
    let contact_countries: Vec<_> = seed.countries.iter().map(|c| c.code.as_str()).collect();
    for code in ["vn", "th", "nz", "kr", "jp", "tw"] {
        assert!(contact_countries.contains(&code), "no contacts for {code}");
    }
}

#[test]
fn every_fact_summaries_too_cites_a_page_and_the_day_it_was_checked() {
    let seed = seed();
    let facts = seed
        .items
        .iter()
        .map(|i| (format!("{}/{}", i.checklist, i.id), &i.source, &i.checked))
        .chain(
            seed.points
                .iter()
                .map(|p| (format!("{}/{}", p.guide, p.id), &p.source, &p.checked)),
        )
        .chain(
            seed.guides
                .iter()
                .map(|g| (format!("{} summary", g.slug), &g.source, &g.checked)),
        )
        .chain(
            seed.contacts
                .iter()
                .map(|c| (c.id.clone(), &c.source, &c.checked)),
        );
    let mut count = 0;
    for (fact, source, checked) in facts {
        let source = seed
            .sources
            .iter()
            .find(|s| &s.id == source)
            .unwrap_or_else(|| panic!("{fact} cites no known source"));
        assert!(
            is_page_address(&source.url),
            "{fact}: {} is not the page that states it",
            source.url
        );
        assert!(is_date(checked), "{fact}: no checked date");
        count += 1;
    }
    assert!(count > 100, "only {count} facts");
}

/// Every `data-country="code"` block of `html`, up to where it closes.
fn country_blocks<'a>(html: &'a str, code: &str) -> Vec<&'a str> {
    let marker = format!("data-country=\"{code}\"");
    html.match_indices(&marker)
        .map(|(at, _)| &html[at..at + html[at..].find("</div>").expect("block closes")])
        .collect()
}

#[tokio::test]
async fn every_checklist_and_the_help_page_offer_a_number_that_works_from_abroad() {
    let f = Fixture::new("content-abroad").await;
    let seed = seed();
    // Every country that has such a number must offer one, wherever a reader may be abroad.
    let countries: Vec<&str> = seed
        .countries
        .iter()
        .map(|c| c.code.as_str())
        .filter(|code| {
            seed.contacts.iter().any(|k| {
                k.country == *code && (k.phone_abroad.is_some() || k.phone.starts_with('+'))
            })
        })
        .collect();
    assert!(countries.len() >= 3, "{countries:?}");
    let mut pages: Vec<String> = seed
        .checklists
        .iter()
        .map(|c| format!("/checklists/{}", c.slug))
        .collect();
    pages.push("/help".to_owned());
    for locale in [Locale::En, Locale::Th, Locale::Vi] {
        for page in &pages {
            let uri = format!("/{locale}{page}");
            let html = text(f.get(&uri, &[]).await).await;
            for code in &countries {
                let blocks = country_blocks(&html, code);
                assert!(!blocks.is_empty(), "{uri}: no numbers for {code}");
                for block in blocks {
                    assert!(
                        block.contains("href=\"tel:+"),
                        "{uri}: {code} offers no number that works from abroad: {block}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn every_content_page_renders_in_every_language_with_its_sources() {
    let f = Fixture::new("content-pages").await;
    let seed = seed();
    let mut pages: Vec<(String, usize)> = Vec::new();
    for c in &seed.checklists {
        let facts = seed.items.iter().filter(|i| i.checklist == c.slug).count();
        pages.push((format!("/checklists/{}", c.slug), facts));
    }
    for g in &seed.guides {
        let facts = seed.points.iter().filter(|p| p.guide == g.slug).count();
        pages.push((format!("/guides/{}", g.slug), facts));
    }
    pages.push(("/contacts".to_owned(), seed.contacts.len()));
    for locale in Locale::ALL {
        for (path, facts) in &pages {
            let uri = format!("/{locale}{path}");
            let response = f.get(&uri, &[]).await;
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            let html = text(response).await;
            assert!(html.contains(&format!("<html lang=\"{locale}\"")), "{uri}");
            let marks = check_citations(&uri, &html);
            assert!(
                marks >= *facts,
                "{uri}: {marks} source marks for {facts} facts"
            );
        }
    }
}

#[tokio::test]
async fn pages_show_the_texts_of_their_own_language() {
    let f = Fixture::new("content-texts").await;
    let seed = seed();
    for locale in Locale::ALL {
        for c in &seed.checklists {
            let html = text(
                f.get(&format!("/{locale}/checklists/{}", c.slug), &[])
                    .await,
            )
            .await;
            let title = seed
                .texts
                .iter()
                .find(|t| {
                    t.locale == locale && t.message_id == format!("checklist.{}.title", c.slug)
                })
                .expect("every checklist has a title");
            let escaped = title.value.replace('&', "&amp;").replace('<', "&lt;");
            assert!(
                html.contains(&format!("<h1>{escaped}</h1>")),
                "{locale} {}",
                c.slug
            );
        }
    }
}

#[tokio::test]
async fn unknown_checklists_and_guides_get_a_localised_404() {
    let f = Fixture::new("content-404").await;
    for uri in ["/th/checklists/no-such-list", "/th/guides/no-such-guide"] {
        let response = f.get(uri, &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{uri}");
        assert!(
            text(response)
                .await
                .contains(&f.says(Locale::Th, "not-found-title"))
        );
    }
}

async fn post_answers(f: &Fixture, uri: &str, form: &str) -> String {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .expect("request");
    let response = f.router.clone().oneshot(request).await.expect("answers");
    assert_eq!(response.status(), StatusCode::OK, "{uri}");
    text(response).await
}

#[tokio::test]
async fn the_form_without_javascript_gives_the_advice_the_rules_give() {
    let f = Fixture::new("content-form").await;
    let seed = seed();
    for c in &seed.checklists {
        let items: Vec<_> = seed
            .items
            .iter()
            .filter(|i| i.checklist == c.slug)
            .collect();
        let uri = format!("/vi/checklists/{}", c.slug);

        // Before answering, no advice is shown.
        let fresh = text(f.get(&uri, &[]).await).await;
        assert!(
            !shown(&fresh, "id=\"advice\""),
            "{uri}: advice before any answer"
        );

        // Tick the first item only.
        let first = items[0];
        let html = post_answers(&f, &uri, &format!("tick={}&country=th", first.id)).await;
        let expected = c
            .kind
            .assess(items.iter().map(|i| (i.severity, i.id == first.id)));
        assert!(shown(&html, "id=\"advice\""), "{uri}");
        for verdict in c.kind.verdicts() {
            let attribute = format!("data-verdict=\"{}\"", verdict.code());
            assert_eq!(
                shown(&html, &attribute),
                *verdict == expected,
                "{uri}: {verdict:?}"
            );
        }
        for item in &items {
            let attribute = format!("data-explains=\"{}\"", item.id);
            let explained = c.kind.explains(item.id == first.id);
            assert_eq!(shown(&html, &attribute), explained, "{uri}: {}", item.id);
        }
        // The hotline shown is the chosen country's, and the ticked box stays ticked.
        assert!(shown(&html, "data-country=\"th\""), "{uri}");
        assert!(!shown(&html, "data-country=\"vn\""), "{uri}");
        assert!(tag_with(&html, &format!("value=\"{}\"", first.id)).contains("checked"));
        // "Ask for help" goes to the help form with the kind of help, and can carry the
        // ticked signs: only the ticked one is enabled.
        assert!(html.contains("action=\"/vi/help\""), "{uri}");
        assert!(
            tag_with(&html, &format!("value=\"{}\"", c.help_kind)).contains("name=\"kind\""),
            "{uri}"
        );
        for item in &items {
            let sign = tag_with(&html, &format!("value=\"{}/{}\"", c.slug, item.id));
            assert_eq!(
                !sign.contains("disabled"),
                item.id == first.id,
                "{uri}: {}",
                item.id
            );
        }
    }
}

#[tokio::test]
async fn one_danger_sign_is_enough_for_the_urgent_advice() {
    let f = Fixture::new("content-danger").await;
    let seed = seed();
    let danger = seed
        .items
        .iter()
        .find(|i| {
            i.checklist == "forced-labour" && i.severity.is_some_and(|s| s.code() == "danger")
        })
        .expect("forced labour has danger signs");
    let html = post_answers(
        &f,
        "/ksw/checklists/forced-labour",
        &format!("tick={}", danger.id),
    )
    .await;
    assert!(shown(
        &html,
        &format!("data-verdict=\"{}\"", Verdict::Danger.code())
    ));
    assert!(!shown(&html, "data-verdict=\"caution\""));
}

#[tokio::test]
async fn nonsense_answers_are_ignored_not_failed() {
    let f = Fixture::new("content-nonsense").await;
    let html = post_answers(
        &f,
        "/en/checklists/job-offer",
        "tick=%FF%FE&country=zz&tick=<script>",
    )
    .await;
    assert!(shown(&html, "data-verdict=\"clear\""));
    assert!(!html.contains("<script>"));
}

#[tokio::test]
async fn contacts_are_tap_to_call_with_the_readers_country_first() {
    let f = Fixture::new("content-contacts").await;
    let seed = seed();
    for (locale, first) in [
        (Locale::Vi, "vn"),
        (Locale::Th, "th"),
        (Locale::Ksw, "th"),
        (Locale::En, "vn"),
    ] {
        let html = text(f.get(&format!("/{locale}/contacts"), &[]).await).await;
        let first_country = html.find("id=\"country-").map(|at| &html[at + 12..at + 14]);
        assert_eq!(first_country, Some(first), "{locale}");
        for contact in &seed.contacts {
            let digits: String = contact
                .phone
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            assert!(
                html.contains(&format!("href=\"tel:{digits}\"")),
                "{locale}: {}",
                contact.id
            );
        }
    }
}

#[tokio::test]
async fn every_content_text_exists_in_every_locale() {
    let f = Fixture::new("content-locales").await;
    let gaps: Vec<(String, i64)> =
        f.db.read(|c| {
            let mut statement = c.prepare(
                "SELECT message_id, count(*) FROM content_text
                 GROUP BY message_id HAVING count(*) <> 4 OR min(length(trim(value))) = 0",
            )?;
            let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })
        .await
        .expect("reads");
    assert_eq!(gaps, vec![]);
    let total: i64 =
        f.db.read(|c| c.query_row("SELECT count(*) FROM content_text", [], |r| r.get(0)))
            .await
            .expect("reads");
    assert_eq!(total as usize, seed().texts.len());
}

/// Whether `html` links to `href`.
fn links_to(html: &str, href: &str) -> bool {
    html.contains(&format!("href=\"{href}\""))
}

#[tokio::test]
async fn the_pages_for_trouble_are_linked_where_people_look_for_them() {
    let f = Fixture::new("content-trouble-links").await;
    for locale in Locale::ALL {
        let home = text(f.get(&format!("/{locale}/"), &[]).await).await;
        for slug in [linked::HELD, linked::FAMILIES] {
            assert!(
                links_to(&home, &format!("/{locale}/guides/{slug}")),
                "{locale} home: {slug}"
            );
        }
        let contacts = text(f.get(&format!("/{locale}/contacts"), &[]).await).await;
        let families = format!("/{locale}/guides/{}", linked::FAMILIES);
        assert!(links_to(&contacts, &families), "{locale} contacts");
        // The held guide ends with the numbers that work from abroad, and the quick exit.
        let held = text(
            f.get(&format!("/{locale}/guides/{}", linked::HELD), &[])
                .await,
        )
        .await;
        assert!(held.contains("id=\"section-abroad\""), "{locale} held");
        assert!(
            held.contains("href=\"tel:+66"),
            "{locale} held: Thailand from abroad"
        );
        assert!(held.contains("quick-exit"), "{locale} held: quick exit");
    }
    let guides_page = text(f.get("/en/guides", &[]).await).await;
    assert!(guides_page.contains("id=\"guides-safety\""));

    crate::staff::add(&f, "editor", passport::staff::accounts::Role::Editor).await;
    let session = crate::staff::sign_in(&f, "editor").await;
    let staff = text(
        f.get(
            "/staff/translations",
            &[(header::COOKIE, session.cookie.as_str())],
        )
        .await,
    )
    .await;
    let frontline = format!("/en/guides/{}", linked::FRONTLINE);
    assert!(links_to(&staff, &frontline), "the staff pages");

    let event = Fixture::event("content-trouble-event", 120).await;
    let start = text(event.get("/", &[]).await).await;
    for locale in Locale::ALL {
        let frontline = format!("/{locale}/guides/{}", linked::FRONTLINE);
        assert!(links_to(&start, &frontline), "event start: {locale}");
    }
    let start = text(f.get("/", &[]).await).await;
    assert!(!start.contains(linked::FRONTLINE), "only in event mode");
}

#[tokio::test]
async fn the_readme_the_outreach_guide_cites_is_served_by_the_app() {
    let f = Fixture::new("content-readme").await;
    let response = f.get("/readme.md", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .expect("ascii")
            .starts_with("text/markdown")
    );
    let readme = text(response).await;
    let seed = seed();
    let cited: Vec<_> = seed
        .sources
        .iter()
        .filter_map(|s| s.url.strip_prefix("/readme.md#"))
        .collect();
    assert!(!cited.is_empty(), "the outreach guide cites the README");
    for anchor in cited {
        let heading = readme
            .lines()
            .filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")))
            .any(|h| h.to_lowercase().replace(' ', "-") == anchor);
        assert!(heading, "the README has no section #{anchor}");
    }
}

#[tokio::test]
async fn the_new_pages_are_in_every_offline_pack_and_booklet() {
    let f = Fixture::new("content-new-pages-kept").await;
    let seed = seed();
    let new_pages = [
        "/checklists/scam-compound".to_owned(),
        format!("/guides/{}", linked::HELD),
        format!("/guides/{}", linked::FAMILIES),
        format!("/guides/{}", linked::FRONTLINE),
    ];
    for locale in Locale::ALL {
        let pack = text(f.get(&format!("/{locale}/offline.json"), &[]).await).await;
        for path in &new_pages {
            assert!(
                pack.contains(&format!("\"/{locale}{path}\"")),
                "{locale} pack: {path}"
            );
        }
        let booklet = text(f.get(&format!("/{locale}/booklet"), &[]).await).await;
        let title = |id: String| {
            let value = &seed
                .texts
                .iter()
                .find(|t| t.locale == locale && t.message_id == id)
                .unwrap_or_else(|| panic!("{id}"))
                .value;
            value.replace('&', "&amp;").replace('<', "&lt;")
        };
        assert!(
            booklet.contains(&title("checklist.scam-compound.title".into())),
            "{locale}"
        );
        for slug in [linked::HELD, linked::FAMILIES, linked::FRONTLINE] {
            assert!(
                booklet.contains(&title(format!("guide.{slug}.title"))),
                "{locale} booklet: {slug}"
            );
        }
    }
}

#[tokio::test]
async fn an_editor_rechecks_a_guide_summary_and_the_page_shows_the_new_date() {
    let f = Fixture::new("content-summary-fact").await;
    crate::staff::add(&f, "ed", passport::staff::accounts::Role::Editor).await;
    let editor = crate::staff::sign_in(&f, "ed").await;
    let form = format!("/staff/facts/guide/{}", linked::FAMILIES);
    let page = editor.get(&f, &form).await;
    assert_eq!(page.status(), StatusCode::OK);
    let saved = editor
        .post(&f, &form, &[("checked_on", "2026-12-01")])
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER, "saved");
    let published = editor.post(&f, "/staff/translations/publish", &[]).await;
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    let checked: String =
        f.db.read(|c| {
            c.query_row(
                "SELECT checked_on FROM guide WHERE slug = ?1",
                [linked::FAMILIES],
                |r| r.get(0),
            )
        })
        .await
        .expect("db");
    assert_eq!(checked, "2026-12-01");
}
