//! `/staff/translations`: the editors' workspace. A summary per locale, lists filtered by
//! state, area and words, and an editor that shows the English source, the current text, the
//! other languages, the note for translators and the history side by side. Every save is
//! validated first; saved changes go live together with "Publish".

use super::aids::{self, Memory, TermsUsed};
use super::approval;
use super::glossary;
use super::texts::{self, Change, Message, Status};
use super::views::{Approvals, OtherLanguages, SourceSide, TextHistory, badges, problems};
use crate::content::texts::version;
use crate::db::Db;
use crate::i18n::Locale;
use crate::i18n::validate::{self, Kind, Report};
use crate::site::Site;
use crate::staff::layout::{self, Csrf, Frame, StaffError, StaffForm, StaffTable};
use crate::staff::session::{self, Signed};
use axum::{
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::Response,
};
use leptos::prelude::*;
use std::sync::Arc;

/// The address of one message's editor in one locale.
pub fn edit_href(locale: Locale, kind: Kind, id: &str) -> String {
    format!(
        "/staff/translations/{locale}/edit?kind={}&id={id}",
        texts::kind_code(kind)
    )
}

/// Which messages a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub state: String,
    pub area: String,
    pub words: String,
}

impl Filter {
    fn parse(form: &[(String, String)]) -> Filter {
        let get = |name| {
            session::field(form, name)
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        Filter {
            state: get("state"),
            area: get("area"),
            words: get("q"),
        }
    }

    fn matches(&self, message: &Message, locale: Locale) -> bool {
        let state = match self.state.as_str() {
            "missing" => message.state(locale) == texts::State::Missing,
            "draft" => message.state(locale) == texts::State::Draft,
            "reviewed" => message.state(locale) == texts::State::Reviewed,
            "outdated" => message.outdated(locale),
            "unchanged" => message.unchanged(locale),
            "pending" => message.is_pending(locale),
            _ => true,
        };
        let words = self.words.to_lowercase();
        let found = words.is_empty()
            || message.id.to_lowercase().contains(&words)
            || message.english().to_lowercase().contains(&words)
            || message
                .current(locale)
                .is_some_and(|t| t.value.to_lowercase().contains(&words));
        state
            && found
            && texts::applies(&message.area, locale)
            && (self.area.is_empty() || message.area == self.area)
    }
}

/// The counts a locale's summary shows.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub total: usize,
    pub missing: usize,
    pub draft: usize,
    pub reviewed: usize,
    pub outdated: usize,
    pub unchanged: usize,
    pub pending: usize,
}

pub fn counts(messages: &[Message], locale: Locale) -> Counts {
    let mut counts = Counts::default();
    for message in messages.iter().filter(|m| texts::applies(&m.area, locale)) {
        counts.total += 1;
        match message.state(locale) {
            texts::State::Missing => counts.missing += 1,
            texts::State::Draft => counts.draft += 1,
            texts::State::Reviewed => counts.reviewed += 1,
        }
        counts.outdated += usize::from(message.outdated(locale));
        counts.unchanged += usize::from(message.unchanged(locale));
        counts.pending += usize::from(message.is_pending(locale));
    }
    counts
}

/// `/staff/translations`: the counts of every locale, the imports and "Publish".
pub async fn summary(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
) -> Result<Response, StaffError> {
    let (messages, pending, version, guarded, hub) = db
        .read(|c| {
            Ok((
                texts::load(c)?,
                texts::pending_count(c)?,
                version(c)?,
                approval::guarded(c)?,
                crate::content::texts::from_central(c)?,
            ))
        })
        .await?;
    let waiting = guarded.iter().filter(|g| !g.ready()).count();
    let tr = site.tr(signed.user.locale);
    let rows = Locale::ALL
        .into_iter()
        .map(|locale| {
            let c = counts(&messages, locale);
            let link = |state: &str, n: usize| {
                view! { <td><a href=format!("/staff/translations/{locale}?state={state}")>{n}</a></td> }
            };
            view! {
                <tr>
                    <th scope="row" lang=locale.code()>
                        <a href=format!("/staff/translations/{locale}")>{tr.in_locale(locale).t("language-name")}</a>
                    </th>
                    <td>{c.total}</td>
                    {link("missing", c.missing)}
                    {link("draft", c.draft)}
                    {link("reviewed", c.reviewed)}
                    {link("outdated", c.outdated)}
                    {link("unchanged", c.unchanged)}
                    {link("pending", c.pending)}
                    <td><a href=format!("/staff/translations/{locale}/export")>{tr.t("staff-tr-export")}</a></td>
                </tr>
            }
        })
        .collect_view();
    let headings = [
        "staff-tr-language",
        "staff-tr-total",
        "staff-tr-state-missing",
        "staff-tr-state-draft",
        "staff-tr-state-reviewed",
        "staff-tr-state-outdated",
        "staff-tr-state-unchanged",
        "staff-tr-state-pending",
        "staff-tr-file",
    ]
    .map(|h| tr.t(h))
    .to_vec();
    let csrf = signed.csrf.clone();
    let import_forms = Locale::ALL
        .into_iter()
        .map(|locale| {
            let id = format!("import-{locale}");
            view! {
                <form method="post" action=format!("/staff/translations/{locale}/import")
                    enctype="multipart/form-data" class="inline-form">
                    <Csrf token=signed.csrf.clone()/>
                    <label for=id.clone()>{tr.in_locale(locale).t("language-name")}</label>
                    " "
                    <input type="file" id=id name="file" accept=".ftl,text/plain" required=true/>
                    " "
                    <select name="status" aria-label=tr.t("staff-tr-state")>
                        <option value="draft">{tr.t("staff-tr-state-draft")}</option>
                        <option value="reviewed">{tr.t("staff-tr-state-reviewed")}</option>
                    </select>
                    " "
                    <button type="submit" class="button">{tr.t("staff-tr-import-button")}</button>
                </form>
            }
        })
        .collect_view();
    let recordings = Locale::ALL
        .into_iter()
        .map(|locale| {
            view! {
                " " <a href=format!("/staff/recordings/{locale}") lang=locale.code()>{tr.in_locale(locale).t("language-name")}</a>
            }
        })
        .collect_view();
    let preview = format!("/staff/preview/{}/", signed.user.locale);
    let frame = Frame::signed(&signed, tr.t("staff-tr-title"), "/staff/translations");
    Ok(layout::page(&site, StatusCode::OK, frame, || {
        view! {
            <h1>{tr.t("staff-tr-title")}</h1>
            {hub.then(|| view! { <p class="notice" role="alert" id="hub-content">{tr.t("staff-tr-hub")}</p> })}
            <p>{tr.t_with("staff-tr-version", [("version", version.into())])}</p>
            <StaffTable headings=headings>{rows}</StaffTable>
            <p>{tr.t("staff-rec-title")} ": " {recordings}</p>
            <section aria-labelledby="import-title">
                <h2 id="import-title">{tr.t("staff-tr-import")}</h2>
                <p>{tr.t("staff-tr-import-hint")}</p>
                {import_forms}
            </section>
            <Approvals tr=tr.clone() csrf=csrf.clone() me=signed.user.username.clone() changes=guarded/>
            <section aria-labelledby="publish-title">
                <h2 id="publish-title">{tr.t("staff-tr-publish-title")}</h2>
                <p>{tr.t_with("staff-tr-pending", [("count", pending.into())])}</p>
                {(waiting > 0).then(|| view! {
                    <p class="notice">{tr.t_with("staff-tr-waiting", [("count", waiting.into())])}</p>
                })}
                <p><a href=preview>{tr.t("staff-tr-preview")}</a></p>
                <form method="post" action="/staff/translations/publish">
                    <Csrf token=csrf/>
                    <button type="submit" class="button" disabled=pending == 0>{tr.t("staff-tr-publish")}</button>
                </form>
            </section>
        }
    }))
}

/// `/staff/translations/{locale}`: one locale's messages, filtered.
pub async fn list(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, StaffError> {
    let Some(locale) = Locale::from_code(&code) else {
        return Ok(crate::web::see_other("/staff/translations"));
    };
    let filter = Filter::parse(&session::parse_form(query.unwrap_or_default().as_bytes()));
    let messages = db.read(texts::load).await?;
    let tr = site.tr(signed.user.locale);
    let mut areas: Vec<String> = messages.iter().map(|m| m.area.clone()).collect();
    areas.sort();
    areas.dedup();
    let shown: Vec<&Message> = messages
        .iter()
        .filter(|m| filter.matches(m, locale))
        .collect();
    let rows = shown
        .iter()
        .map(|m| {
            let href = edit_href(locale, m.kind, &m.id);
            let value = m
                .current(locale)
                .map(|t| t.value.clone())
                .unwrap_or_default();
            view! {
                <tr>
                    <td><a href=href><code>{m.id.clone()}</code></a></td>
                    <td lang="en">{m.english().to_owned()}</td>
                    <td lang=locale.code()>{value}</td>
                    <td>{badges(&tr, m, locale)}</td>
                </tr>
            }
        })
        .collect_view();
    let state_options = [
        "all",
        "missing",
        "draft",
        "reviewed",
        "outdated",
        "unchanged",
        "pending",
    ]
    .map(|state| {
        view! {
            <option value=state selected=filter.state == state>{tr.t(&format!("staff-tr-state-{state}"))}</option>
        }
    })
    .collect_view();
    let area_options = areas
        .into_iter()
        .map(|area| view! { <option value=area.clone() selected=filter.area == area>{area.clone()}</option> })
        .collect_view();
    let headings = [
        "staff-tr-id",
        "staff-tr-english",
        "staff-tr-current",
        "staff-tr-state",
    ]
    .map(|h| tr.t(h))
    .to_vec();
    let language = tr.in_locale(locale).t("language-name");
    let count = tr.t_with("staff-tr-shown", [("count", shown.len().into())]);
    let frame = Frame::signed(
        &signed,
        language.clone(),
        &format!("/staff/translations/{locale}"),
    );
    Ok(layout::page(&site, StatusCode::OK, frame, || {
        view! {
            <h1>{tr.t("staff-tr-title")} " · " <span lang=locale.code()>{language}</span></h1>
            <form method="get" class="filters">
                <label>{tr.t("staff-tr-state")} " " <select name="state">{state_options}</select></label>
                " "
                <label>{tr.t("staff-tr-area")} " " <select name="area"><option value="">{tr.t("staff-tr-state-all")}</option>{area_options}</select></label>
                " "
                <label>{tr.t("staff-tr-search")} " " <input type="search" name="q" value=filter.words.clone()/></label>
                " "
                <button type="submit" class="button">{tr.t("staff-filter-apply")}</button>
            </form>
            <p class="tools">
                <a href=format!("/staff/translations/{locale}/consistency")>{tr.t("staff-report-title")}</a>
                " · "
                <a href=format!("/staff/translations/{locale}/sheet")>{tr.t("staff-sheet-title")}</a>
                {(locale != Locale::SOURCE).then(|| view! {
                    " · " <a href=format!("/staff/glossary/{locale}")>{tr.t("staff-tr-glossary")}</a>
                })}
            </p>
            <p>{count}</p>
            <StaffTable headings=headings>{rows}</StaffTable>
        }
    }))
}

/// What the edit page needs beyond the message: what was typed, what validation said, and
/// the glossary terms the text leaves out, as (English, approved translation).
struct Attempt {
    value: String,
    report: Report,
    left_out: Vec<(String, String)>,
}

/// `/staff/translations/{locale}/edit?kind=…&id=…`: one message's editor.
pub async fn edit(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, StaffError> {
    let form = session::parse_form(query.unwrap_or_default().as_bytes());
    editor(&db, &site, &signed, &code, &form, None, StatusCode::OK).await
}

async fn editor(
    db: &Db,
    site: &Site,
    signed: &Signed,
    code: &str,
    form: &[(String, String)],
    attempt: Option<Attempt>,
    status: StatusCode,
) -> Result<Response, StaffError> {
    let (Some(locale), Some(kind), Some(id)) = (
        Locale::from_code(code),
        session::field(form, "kind").and_then(texts::kind_from_code),
        session::field(form, "id").map(str::to_owned),
    ) else {
        return Ok(crate::web::see_other("/staff/translations"));
    };
    let found = {
        let id = id.clone();
        db.read(move |c| {
            let messages = texts::load(c)?;
            let Some(message) = messages
                .iter()
                .find(|m| m.kind == kind && m.id == id)
                .cloned()
            else {
                return Ok(None);
            };
            let history = texts::history(c, texts::kind_code(kind), &id, locale.code())?;
            let memory = aids::memory_rows(&messages, &message, locale);
            Ok(Some((message, history, glossary::load(c)?, memory)))
        })
        .await?
    };
    let Some((message, history, terms, memory)) = found else {
        return Ok(crate::web::see_other(&format!(
            "/staff/translations/{locale}"
        )));
    };
    let tr = site.tr(signed.user.locale);
    let current = message
        .current(locale)
        .map(|t| t.value.clone())
        .unwrap_or_default();
    let (typed, report, left_out) = match attempt {
        Some(attempt) => (attempt.value, Some(attempt.report), attempt.left_out),
        None => (current.clone(), None, Vec::new()),
    };
    let problems = report.as_ref().map(|r| problems(&tr, r));
    let saved = (report.is_none() && session::field(form, "saved").is_some())
        .then(|| view! { <p role="status" class="saved">{tr.t("staff-tr-saved")}</p> });
    let warned = report
        .as_ref()
        .is_some_and(|r| !r.is_refused() && (!r.warnings.is_empty() || !left_out.is_empty()));
    let glossary_warning = (!left_out.is_empty()).then(|| {
        let items = left_out
            .iter()
            .map(|(english, approved)| {
                let text = tr.t_with(
                    "staff-tr-glossary-left-out",
                    [
                        ("term", english.clone().into()),
                        ("approved", approved.clone().into()),
                    ],
                );
                view! { <li>{text}</li> }
            })
            .collect_view();
        view! { <ul class="problems" role="alert">{items}</ul> }
    });
    let english = message.english().to_owned();
    let language = tr.in_locale(locale).t("language-name");
    let preview = format!("/staff/preview/{locale}/");
    let frame = Frame::signed(
        signed,
        message.id.clone(),
        &format!("/staff/translations/{locale}"),
    );
    let kind_code = texts::kind_code(kind);
    let csrf = signed.csrf.clone();
    Ok(layout::page(site, status, frame, || {
        view! {
            <p><a href=format!("/staff/translations/{locale}")>{tr.t("staff-tr-back")}</a></p>
            <h1><code>{message.id.clone()}</code> " · " <span lang=locale.code()>{language}</span></h1>
            <p>{badges(&tr, &message, locale)}</p>
            <div class="side-by-side">
                <SourceSide tr=tr.clone() message=message.clone() locale=locale terms=terms.clone()/>
                <section aria-labelledby="edit-title">
                    <h2 id="edit-title">{tr.t("staff-tr-current")}</h2>
                    {saved}
                    {problems}
                    {glossary_warning}
                    <form method="post" action=format!("/staff/translations/{locale}/edit")>
                        <Csrf token=csrf/>
                        <input type="hidden" name="kind" value=kind_code/>
                        <input type="hidden" name="id" value=message.id.clone()/>
                        <label for="value">{tr.t("staff-tr-current")}</label>
                        <textarea id="value" name="value" rows="6" lang=locale.code()>{typed}</textarea>
                        {warned.then(|| view! {
                            <p>
                                <input type="checkbox" id="confirm" name="confirm" value="yes"/>
                                <label for="confirm">{tr.t("staff-tr-confirm")}</label>
                            </p>
                        })}
                        <p>
                            <button type="submit" name="status" value="draft" class="button">{tr.t("staff-tr-save-draft")}</button>
                            " "
                            <button type="submit" name="status" value="reviewed" class="button">{tr.t("staff-tr-save-reviewed")}</button>
                        </p>
                    </form>
                    <p><a href=preview>{tr.t("staff-tr-preview")}</a></p>
                </section>
            </div>
            <TermsUsed tr=tr.clone() english=english terms=terms locale=locale/>
            <Memory tr=tr.clone() remembered=memory locale=locale/>
            <h2>{tr.t("staff-tr-others")}</h2>
            <OtherLanguages tr=tr.clone() message=message.clone() locale=locale/>
            <h2>{tr.t("staff-tr-history")}</h2>
            <TextHistory tr=tr csrf=signed.csrf.clone() history=history/>
        }
    }))
}

/// An editor's new text for one message in one locale: validated, then saved unpublished.
pub async fn save(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    Path(code): Path<String>,
    StaffForm(form): StaffForm,
) -> Result<Response, StaffError> {
    let (Some(locale), Some(kind), Some(id), Some(status)) = (
        Locale::from_code(&code),
        session::field(&form, "kind").and_then(texts::kind_from_code),
        session::field(&form, "id").map(str::to_owned),
        session::field(&form, "status").and_then(Status::from_code),
    ) else {
        return Ok(crate::web::see_other("/staff/translations"));
    };
    let value = session::field(&form, "value")
        .unwrap_or_default()
        .replace("\r\n", "\n")
        .trim_end()
        .to_owned();
    let confirmed = session::field(&form, "confirm").is_some();
    let found = {
        let id = id.clone();
        db.read(move |c| Ok((texts::find(c, kind, &id)?, glossary::load(c)?)))
            .await?
    };
    let (Some(message), terms) = found else {
        return Ok(crate::web::see_other(&format!(
            "/staff/translations/{locale}"
        )));
    };
    let report = validate::check(kind, locale.code(), message.english(), &value);
    let left_out: Vec<(String, String)> =
        glossary::left_out(&terms, locale, message.english(), &value)
            .into_iter()
            .filter_map(|t| Some((t.english.clone(), t.approved(locale)?.value.clone())))
            .collect();
    let warned = !report.warnings.is_empty() || !left_out.is_empty();
    if report.is_refused() || (warned && !confirmed) {
        let status = if report.is_refused() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        let attempt = Attempt {
            value,
            report,
            left_out,
        };
        return editor(&db, &site, &signed, &code, &form, Some(attempt), status).await;
    }
    let by = signed.user.username.clone();
    db.write(move |c| {
        let change = Change {
            kind,
            id: &message.id,
            locale,
            value: &value,
            status,
            by: &by,
            action: "save",
        };
        texts::save(c, &message, &change)
    })
    .await?;
    let saved = format!("{}&saved=1", edit_href(locale, kind, &id));
    Ok(crate::web::see_other(&saved))
}

/// Puts back the value a history entry replaced, as a new saved change.
pub async fn revert(
    State(db): State<Db>,
    signed: Signed,
    StaffForm(form): StaffForm,
) -> Result<Response, StaffError> {
    let Some(entry) = session::field(&form, "entry").and_then(|e| e.parse::<i64>().ok()) else {
        return Ok(crate::web::see_other("/staff/translations"));
    };
    let by = signed.user.username.clone();
    let reverted = db
        .write(move |c| {
            let Some((kind, id, code, old)) = texts::before(c, entry)? else {
                return Ok(None);
            };
            let (Some(kind), Some(locale)) =
                (texts::kind_from_code(&kind), Locale::from_code(&code))
            else {
                return Ok(None);
            };
            let Some(message) = texts::find(c, kind, &id)? else {
                return Ok(None);
            };
            let change = Change {
                kind,
                id: &id,
                locale,
                value: &old,
                status: Status::Draft,
                by: &by,
                action: "revert",
            };
            texts::save(c, &message, &change)?;
            Ok(Some(edit_href(locale, kind, &id)))
        })
        .await?;
    let back = reverted.as_deref().unwrap_or("/staff/translations");
    Ok(crate::web::see_other(back))
}
