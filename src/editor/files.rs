//! `.ftl` files to and from translators: one locale's published texts as a file, and a
//! translator's file taken back as saved, unpublished changes. The workspace's pages and
//! `passport translations` both use these.

use super::exchange;
use super::texts::{Change, Status, applies, load, save};
use super::views::refusal_text;
use crate::content::texts::version;
use crate::db::Db;
use crate::i18n::{Locale, Tr, validate};
use crate::site::Site;
use crate::staff::layout::{self, Frame, StaffError};
use crate::staff::session::{self, Signed};
use axum::{
    body::Bytes,
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    http::{HeaderMap, StatusCode},
    response::Response,
};

use leptos::prelude::*;
use rusqlite::Connection;
use std::sync::Arc;

/// A standard `.ftl` file of one locale's published messages, both kinds.
pub fn export(conn: &Connection, locale: Locale) -> rusqlite::Result<String> {
    let entries: Vec<exchange::Entry> = load(conn)?
        .into_iter()
        .filter(|m| applies(&m.area, locale))
        .filter_map(|m| {
            let value = m.published.get(&locale)?.value.clone();
            Some(exchange::Entry {
                id: m.id,
                kind: m.kind,
                value,
            })
        })
        .collect();
    let header = format!(
        "Safe Migration Passport: the published {} texts, version {}.\nUI strings keep their ids; content texts have `_` where the app has `.`.",
        locale.code(),
        version(conn)?
    );
    Ok(exchange::export(&header, &entries))
}

/// Why an imported message was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportRefusal {
    /// The file, or this entry, is not valid Fluent for the app: the parser's words.
    Parse(String),
    /// No message of the app has this id.
    Unknown,
    /// Validation refused the value, as it would in the editor.
    Invalid(Vec<validate::Refusal>),
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// `(line, id, why)`; when any is here, nothing was imported.
    pub refused: Vec<(usize, String, ImportRefusal)>,
}

/// Imports a translator's `.ftl` file into `locale` as saved, unpublished changes: all of it
/// or, if any message is refused, none of it. `progress` hears (done, total) as it goes.
pub fn import(
    conn: &mut Connection,
    locale: Locale,
    file: &str,
    status: Status,
    by: &str,
    mut progress: impl FnMut(usize, usize),
) -> rusqlite::Result<ImportReport> {
    let mut report = ImportReport::default();
    let imported = match exchange::import(file) {
        Ok(imported) => imported,
        Err(problems) => {
            report.refused = problems
                .into_iter()
                .map(|p| {
                    (
                        p.line,
                        p.id.unwrap_or_default(),
                        ImportRefusal::Parse(p.message),
                    )
                })
                .collect();
            return Ok(report);
        }
    };
    let messages = load(conn)?;
    let mut accepted = Vec::new();
    for entry in &imported {
        let Some(message) = messages
            .iter()
            .find(|m| m.kind == entry.kind && m.id == entry.id && applies(&m.area, locale))
        else {
            report
                .refused
                .push((entry.line, entry.id.clone(), ImportRefusal::Unknown));
            continue;
        };
        let verdict = validate::check(entry.kind, locale.code(), message.english(), &entry.value);
        if verdict.is_refused() {
            report.refused.push((
                entry.line,
                entry.id.clone(),
                ImportRefusal::Invalid(verdict.refusals),
            ));
            continue;
        }
        accepted.push((message, entry));
    }
    if !report.refused.is_empty() {
        return Ok(report);
    }
    let total = accepted.len();
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for (done, (message, entry)) in accepted.into_iter().enumerate() {
        // A text the file leaves as it is keeps its status: re-importing a file does not
        // turn reviewed texts back into drafts.
        match message.current(locale) {
            None => report.added += 1,
            Some(t) if t.value == entry.value => {
                report.unchanged += 1;
                progress(done + 1, total);
                continue;
            }
            Some(_) => report.changed += 1,
        }
        let change = Change {
            kind: entry.kind,
            id: &entry.id,
            locale,
            value: &entry.value,
            status,
            by,
            action: "import",
        };
        save(&tx, message, &change)?;
        progress(done + 1, total);
    }
    tx.commit()?;
    Ok(report)
}

/// `/staff/translations/{locale}/export`: the published texts of one locale as a `.ftl` file.
pub async fn download(
    State(db): State<Db>,
    Path(code): Path<String>,
) -> Result<Response, StaffError> {
    let Some(locale) = Locale::from_code(&code) else {
        return Ok(crate::web::see_other("/staff/translations"));
    };
    let file = db.read(move |c| export(c, locale)).await?;
    let name = format!("passport-{locale}.ftl");
    Ok(crate::web::download(
        "text/plain; charset=utf-8",
        &name,
        file,
    ))
}

/// The largest translation file the upload takes.
pub const UPLOAD_MAX_BYTES: usize = 2 * 1024 * 1024;

/// `/staff/translations/{locale}/import`: a translator's `.ftl` file, uploaded. All of it is
/// checked first; it is imported whole, as unpublished changes, or not at all.
pub async fn upload(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    Path(code): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, StaffError> {
    let Some(locale) = Locale::from_code(&code) else {
        return Ok(crate::web::see_other("/staff/translations"));
    };
    let tr = site.tr(signed.user.locale);
    // A post that is not a file upload changes nothing: it is answered as one without a file.
    let Ok(multipart) = multipart else {
        let lines = vec![tr.t("staff-tr-import-no-file")];
        return Ok(upload_page(
            &site,
            &signed,
            StatusCode::UNPROCESSABLE_ENTITY,
            lines,
        ));
    };
    let (form, file) = fields(multipart).await;
    if !signed.form_is_genuine(&headers, &form) {
        return Ok(layout::not_genuine(&site, signed.user.locale));
    }
    let status = session::field(&form, "status")
        .and_then(Status::from_code)
        .unwrap_or(Status::Draft);
    let text = match file.map(|b| String::from_utf8(b.to_vec())) {
        None => Err(tr.t("staff-tr-import-no-file")),
        Some(Err(_)) => Err(tr.t("staff-tr-import-not-utf8")),
        Some(Ok(text)) => Ok(text),
    };
    let (status_code, lines) = match text {
        Err(problem) => (StatusCode::UNPROCESSABLE_ENTITY, vec![problem]),
        Ok(text) => {
            let by = signed.user.username.clone();
            let report = db
                .write(move |c| import(c, locale, &text, status, &by, |_, _| {}))
                .await?;
            report_lines(&tr, &report)
        }
    };
    Ok(upload_page(&site, &signed, status_code, lines))
}

/// An upload's form fields, and its file if it has one.
pub(super) async fn fields(mut multipart: Multipart) -> (Vec<(String, String)>, Option<Bytes>) {
    let mut form = Vec::new();
    let mut file = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        let Ok(bytes) = field.bytes().await else {
            break;
        };
        if name == "file" {
            file = Some(bytes);
        } else {
            form.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    (form, file)
}

/// What an import did, line by line, and the status to answer with.
fn report_lines(tr: &Tr, report: &ImportReport) -> (StatusCode, Vec<String>) {
    let mut lines = vec![tr.t_with(
        "staff-tr-import-report",
        [
            ("added", report.added.into()),
            ("changed", report.changed.into()),
            ("unchanged", report.unchanged.into()),
            ("refused", report.refused.len().into()),
        ],
    )];
    for (line, id, why) in &report.refused {
        let why = match why {
            ImportRefusal::Parse(detail) => detail.clone(),
            ImportRefusal::Unknown => tr.t("staff-tr-import-unknown"),
            ImportRefusal::Invalid(refusals) => refusals
                .iter()
                .map(|r| refusal_text(tr, r))
                .collect::<Vec<_>>()
                .join(" "),
        };
        lines.push(tr.t_with(
            "staff-tr-import-refused",
            [
                ("line", (*line).into()),
                ("id", id.clone().into()),
                ("why", why.into()),
            ],
        ));
    }
    if report.refused.is_empty() {
        (StatusCode::OK, lines)
    } else {
        lines.push(tr.t("staff-tr-import-nothing"));
        (StatusCode::UNPROCESSABLE_ENTITY, lines)
    }
}

fn upload_page(site: &Site, signed: &Signed, status: StatusCode, lines: Vec<String>) -> Response {
    let tr = site.tr(signed.user.locale);
    let frame = Frame::signed(signed, tr.t("staff-tr-import"), "/staff/translations");
    let items = lines
        .into_iter()
        .map(|l| view! { <li>{l}</li> })
        .collect_view();
    layout::page(site, status, frame, || {
        view! {
            <h1>{tr.t("staff-tr-import")}</h1>
            <ul role="status">{items}</ul>
            <p><a href="/staff/translations">{tr.t("staff-tr-title")}</a></p>
        }
    })
}
