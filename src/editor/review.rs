//! Two views of one language's texts for checking them: the consistency report
//! (`/staff/translations/{locale}/consistency`, `passport translations report`), and the
//! review sheet for a native reviewer without an account
//! (`/staff/translations/{locale}/sheet`, printable and saved as PDF from the browser, and
//! `passport translations sheet`). The sheet puts the most safety-critical pages first.

use super::consistency::{self, Finding, Rendering, TextRef};
use super::glossary::{self, Term};
use super::texts::{self, Message};
use super::translations::edit_href;
use crate::content::linked;
use crate::db::Db;
use crate::i18n::{Locale, Tr};
use crate::site::Site;
use crate::staff::layout::{self, Frame, StaffError};
use crate::staff::session::Signed;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;
use std::sync::Arc;

/// What a locale's report and sheet are made from.
pub fn gather(conn: &rusqlite::Connection) -> rusqlite::Result<(Vec<Message>, Vec<Term>)> {
    Ok((texts::load(conn)?, glossary::load(conn)?))
}

/// The report as plain text, one finding per paragraph, for the command line.
pub fn report_text(messages: &[Message], terms: &[Term], locale: Locale) -> String {
    let findings = consistency::report(messages, terms, locale);
    let refs = |texts: &[TextRef]| {
        texts
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ways = |renderings: &[Rendering]| {
        renderings
            .iter()
            .map(|r| format!("  {} ×{}: {}", r.value, r.texts.len(), refs(&r.texts)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut out = format!("{locale}: {} findings\n", findings.len());
    for finding in &findings {
        out.push('\n');
        out.push_str(&match finding {
            Finding::SameEnglish {
                english,
                renderings,
            } => {
                format!(
                    "same English, translated {} ways: {english}\n{}",
                    renderings.len(),
                    ways(renderings)
                )
            }
            Finding::TermSpellings {
                english, spellings, ..
            } => {
                format!(
                    "{english}, spelled {} ways (the approved one first):\n{}",
                    spellings.len(),
                    ways(spellings)
                )
            }
            Finding::EnglishLeft { text, words } => {
                format!("English left in {}: {}", text.id, words.join(", "))
            }
            Finding::Digits { own, arabic } => format!(
                "two digit systems: the language's own in {} texts ({}), 0–9 in {} texts",
                own.len(),
                refs(own),
                arabic.len()
            ),
        });
        out.push('\n');
    }
    out
}

/// Counts per kind of finding, as the report page heads it.
fn counts(findings: &[Finding]) -> Vec<(&'static str, usize)> {
    ["same-english", "term-spellings", "english-left", "digits"]
        .into_iter()
        .map(|code| (code, findings.iter().filter(|f| f.code() == code).count()))
        .collect()
}

fn links(locale: Locale, texts: &[TextRef]) -> impl IntoView + use<> {
    texts
        .iter()
        .map(|t| {
            view! { <a href=edit_href(locale, t.kind, &t.id)><code>{t.id.clone()}</code></a> " " }
        })
        .collect_view()
}

fn renderings(locale: Locale, renderings: &[Rendering]) -> impl IntoView + use<> {
    let rows = renderings
        .iter()
        .map(|r| {
            view! {
                <li>
                    <span lang=locale.code()>{r.value.clone()}</span>
                    {format!(" ×{} ", r.texts.len())}
                    {links(locale, &r.texts)}
                </li>
            }
        })
        .collect_view();
    view! { <ul>{rows}</ul> }
}

/// `/staff/translations/{locale}/consistency`.
pub async fn consistency_page(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    Path(code): Path<String>,
) -> Result<Response, StaffError> {
    let Some(locale) = Locale::from_code(&code) else {
        return Ok(crate::web::see_other("/staff/translations"));
    };
    let (messages, terms) = db.read(gather).await?;
    let findings = consistency::report(&messages, &terms, locale);
    let tr = site.tr(signed.user.locale);
    let summary = counts(&findings)
        .into_iter()
        .map(|(code, count)| {
            view! { <li>{tr.t(&format!("staff-report-{code}"))} ": " {count}</li> }
        })
        .collect_view();
    let entries = findings
        .iter()
        .map(|finding| {
            let body = match finding {
                Finding::SameEnglish { english, renderings: r } => view! {
                    <p><strong>{tr.t("staff-report-same-english")}</strong> " " <span lang="en">{english.clone()}</span></p>
                    {renderings(locale, r)}
                }
                .into_any(),
                Finding::TermSpellings { english, spellings, .. } => view! {
                    <p><strong>{tr.t("staff-report-term-spellings")}</strong> " " <span lang="en">{english.clone()}</span></p>
                    {renderings(locale, spellings)}
                }
                .into_any(),
                Finding::EnglishLeft { text, words } => view! {
                    <p>
                        <strong>{tr.t("staff-report-english-left")}</strong> " "
                        {links(locale, std::slice::from_ref(text))} " " {words.join(", ")}
                    </p>
                }
                .into_any(),
                Finding::Digits { own, arabic } => view! {
                    <p><strong>{tr.t("staff-report-digits")}</strong></p>
                    <p>{tr.t_with("staff-report-digits-own", [("count", own.len().into())])} " " {links(locale, own)}</p>
                    <p>{tr.t_with("staff-report-digits-arabic", [("count", arabic.len().into())])} " " {links(locale, arabic)}</p>
                }
                .into_any(),
            };
            view! { <li class="finding">{body}</li> }
        })
        .collect_view();
    let language = tr.in_locale(locale).t("language-name");
    let frame = Frame::signed(
        &signed,
        tr.t("staff-report-title"),
        &format!("/staff/translations/{locale}/consistency"),
    );
    Ok(layout::page(&site, StatusCode::OK, frame, || {
        view! {
            <p><a href=format!("/staff/translations/{locale}")>{tr.t("staff-tr-back")}</a></p>
            <h1>{tr.t("staff-report-title")} " · " <span lang=locale.code()>{language}</span></h1>
            <p>{tr.t("staff-report-intro")}</p>
            <ul class="report-counts">{summary}</ul>
            <ol class="findings">{entries}</ol>
        }
    }))
}

/// How soon a reviewer should see a page's texts: the hotlines, the help form and the danger
/// checklists first, the staff pages last.
fn urgency(area: &str) -> u8 {
    match area {
        a if a.starts_with("contact.") || a.starts_with("country.") => 0,
        "help" | "privacy" => 1,
        "checklist.forced-labour" | "checklist.scam-compound" | "checklist.job-offer" => 2,
        a if [linked::HELD, linked::FAMILIES]
            .iter()
            .any(|slug| a.strip_prefix("guide.") == Some(slug)) =>
        {
            3
        }
        "main" => 4,
        "staff" => 9,
        a if a.starts_with("checklist.") => 5,
        _ => 6,
    }
}

/// One language's texts grouped by page, the most urgent first, for a reviewer on paper.
pub fn sheet_groups(messages: &[Message], locale: Locale) -> Vec<(String, Vec<&Message>)> {
    let mut groups: Vec<(String, Vec<&Message>)> = Vec::new();
    for message in messages.iter().filter(|m| texts::applies(&m.area, locale)) {
        match groups.iter_mut().find(|(area, _)| *area == message.area) {
            Some((_, list)) => list.push(message),
            None => groups.push((message.area.clone(), vec![message])),
        }
    }
    groups.sort_by_key(|(area, _)| (urgency(area), area.clone()));
    groups
}

/// The sheet itself: every text with a box for the reviewer, then the glossary.
#[component]
pub fn Sheet(tr: Tr, messages: Vec<Message>, terms: Vec<Term>, locale: Locale) -> impl IntoView {
    let language = tr.in_locale(locale).t("language-name");
    let groups = sheet_groups(&messages, locale)
        .into_iter()
        .map(|(area, list)| {
            let rows = list
                .into_iter()
                .map(|m| {
                    let current = m
                        .current(locale)
                        .map(|t| t.value.clone())
                        .unwrap_or_default();
                    view! {
                        <tr>
                            <td><code>{m.id.clone()}</code></td>
                            <td lang="en">{m.english().to_owned()}</td>
                            <td lang=locale.code()>{current}</td>
                            <td class="sheet-box">
                                "☐ " {tr.t("staff-sheet-correct")}
                                <br/>
                                "☐ " {tr.t("staff-sheet-change")}
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="sheet-group">
                    <h2>{area}</h2>
                    <table class="sheet">
                        <thead>
                            <tr>
                                <th>{tr.t("staff-sheet-id")}</th>
                                <th>{tr.t("staff-tr-english")}</th>
                                <th>{language.clone()}</th>
                                <th>{tr.t("staff-sheet-verdict")}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </section>
            }
        })
        .collect_view();
    let glossary = terms
        .iter()
        .map(|t| {
            let approved = t
                .approved(locale)
                .map(|a| a.value.clone())
                .unwrap_or_default();
            view! {
                <tr>
                    <td lang="en">{t.english.clone()}</td>
                    <td lang=locale.code()>{approved}</td>
                    <td>{t.note.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>{tr.t("staff-sheet-title")} " · " <span lang=locale.code()>{language.clone()}</span></h1>
        <p>{tr.t("staff-sheet-intro")}</p>
        {groups}
        <section class="sheet-group">
            <h2>{tr.t("staff-tr-glossary")}</h2>
            <table class="sheet">
                <thead><tr><th>{tr.t("staff-tr-english")}</th><th>{language}</th><th>{tr.t("staff-tr-note")}</th></tr></thead>
                <tbody>{glossary}</tbody>
            </table>
        </section>
    }
}

/// `/staff/translations/{locale}/sheet`: print it, or save it as PDF, from the browser.
pub async fn sheet_page(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    Path(code): Path<String>,
) -> Result<Response, StaffError> {
    let Some(locale) = Locale::from_code(&code) else {
        return Ok(crate::web::see_other("/staff/translations"));
    };
    let (messages, terms) = db.read(gather).await?;
    let tr = site.tr(signed.user.locale);
    let frame = Frame::signed(
        &signed,
        tr.t("staff-sheet-title"),
        &format!("/staff/translations/{locale}/sheet"),
    );
    Ok(layout::page(&site, StatusCode::OK, frame, || {
        view! { <Sheet tr=tr.clone() messages=messages terms=terms locale=locale/> }
    }))
}

/// The sheet as one standalone HTML file, for `passport translations sheet`: its style
/// inline, and the app's Karen font inline when `karen_font` is given, so it prints the same
/// anywhere.
pub fn sheet_document(
    tr: Tr,
    messages: Vec<Message>,
    terms: Vec<Term>,
    locale: Locale,
    karen_font: Option<&[u8]>,
) -> String {
    use base64::Engine;
    let font = karen_font.map(|bytes| {
        format!(
            "@font-face{{font-family:PassportKaren;src:url(data:font/woff2;base64,{}) format(\"woff2\");}}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    });
    let style = format!(
        "{}body{{font-family:PassportKaren,system-ui,sans-serif;margin:1cm}}\
         table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #444;padding:4px;\
         vertical-align:top;text-align:left}}tr{{break-inside:avoid}}.sheet-box{{width:28%}}",
        font.unwrap_or_default()
    );
    let body = view! { <Sheet tr=tr messages=messages terms=terms locale=locale/> }.to_html();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Review sheet · {locale}</title><style>{style}</style></head><body>{body}</body></html>\n"
    )
}
