//! CSV export of a filtered list of help requests. The person chooses the fields, is warned
//! that the file holds personal data, and must say they understand; every export is logged.

use super::audit;
use super::layout::{self, Csrf, Frame, StaffError, StaffForm};
use super::requests::pages::reader;
use super::requests::{Filters, store, views::FilterForm};
use super::session::{self, Signed};
use crate::db::Db;
use crate::help::store::Personal;
use crate::seal::keyring::{Keyring, Reader};
use crate::site::Site;
use axum::{
    extract::{RawQuery, State},
    http::StatusCode,
    response::Response,
};
use leptos::prelude::*;
use rusqlite::{Connection, params_from_iter};
use std::sync::Arc;

/// Where an exported field comes from.
pub enum Source {
    /// A plain column, by its SQL.
    Plain(&'static str),
    /// A sealed field, opened with the session's key.
    Sealed(fn(&Personal) -> String),
}

impl Source {
    /// Whether the field can identify or reach a person.
    pub fn personal(&self) -> bool {
        matches!(self, Source::Sealed(_))
    }
}

/// Each field that can be exported: its name in the file, and where it comes from.
pub const FIELDS: [(&str, Source); 15] = [
    ("reference", Source::Plain("r.reference")),
    ("received", Source::Plain("r.received_at")),
    ("status", Source::Plain("r.status")),
    ("kind", Source::Plain("r.kind")),
    ("country", Source::Plain("r.country")),
    ("language", Source::Plain("r.language")),
    ("assigned", Source::Plain("coalesce(s.username, '')")),
    ("updated", Source::Plain("coalesce(r.updated_at, '')")),
    ("channel", Source::Plain("r.channel")),
    ("place", Source::Sealed(|p| p.place.clone())),
    ("contact", Source::Sealed(|p| p.contact.clone())),
    ("safe_time", Source::Sealed(|p| p.safe_time.clone())),
    ("name", Source::Sealed(|p| p.name.clone())),
    ("message", Source::Sealed(|p| p.message.clone())),
    ("ticked", Source::Sealed(|p| p.ticked.join("; "))),
];

pub async fn form(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    RawQuery(query): RawQuery,
) -> Result<Response, StaffError> {
    let filters = Filters::parse(&session::parse_form(query.unwrap_or_default().as_bytes()));
    let chosen: Vec<&str> = FIELDS
        .iter()
        .filter(|(_, source)| !source.personal())
        .map(|(name, _)| *name)
        .collect();
    show(&db, &site, &signed, StatusCode::OK, &filters, &chosen, None).await
}

pub async fn download(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    State(keyring): State<Arc<Keyring>>,
    signed: Signed,
    StaffForm(form): StaffForm,
) -> Result<Response, StaffError> {
    let filters = Filters::parse(&form);
    let chosen: Vec<&'static str> = FIELDS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| form.iter().any(|(k, v)| k == "field" && v == name))
        .collect();
    let reader = reader(&keyring, &db, &signed).await?;
    let sealed_chosen = FIELDS
        .iter()
        .any(|(name, source)| source.personal() && chosen.contains(name));
    let problem = if chosen.is_empty() {
        Some("staff-export-no-fields")
    } else if session::field(&form, "understood").is_none() {
        Some("staff-export-not-understood")
    } else if sealed_chosen && reader.key().is_err() {
        Some("staff-export-sealed")
    } else {
        None
    };
    if problem.is_some() {
        return show(
            &db,
            &site,
            &signed,
            StatusCode::UNPROCESSABLE_ENTITY,
            &filters,
            &chosen,
            problem,
        )
        .await;
    }
    let staff = signed.user.id;
    let csv = db
        .write(move |c| {
            let (csv, count) = csv(c, &filters, &chosen, &reader)?;
            let detail = format!("{count} · {} · {}", chosen.join(","), filters.query());
            audit::record(c, Some(staff), "exported", "", &detail)?;
            Ok(csv)
        })
        .await?;
    let name = format!("help-requests-{}.csv", today());
    Ok(crate::web::download("text/csv; charset=utf-8", &name, csv))
}

/// The requests `filters` match, newest first, as CSV with the chosen fields; and how many.
/// Sealed fields are opened with `reader`'s key (a row that does not open gets empty cells,
/// and is logged). The file starts with a byte-order mark so that spreadsheets read
/// Vietnamese, Thai and Karen right.
pub fn csv(
    conn: &Connection,
    filters: &Filters,
    chosen: &[&str],
    reader: &Reader,
) -> rusqlite::Result<(String, usize)> {
    let fields: Vec<&(&str, Source)> = FIELDS
        .iter()
        .filter(|(name, _)| chosen.contains(name))
        .collect();
    let columns: Vec<&str> = FIELDS
        .iter()
        .filter_map(|(name, source)| match source {
            Source::Plain(sql) if chosen.contains(name) => Some(*sql),
            _ => None,
        })
        .chain(["r.id_hash", "r.sealed"])
        .collect();
    let opens = fields.iter().any(|(_, source)| source.personal());
    let (clause, values) = filters.sql();
    let mut statement = conn.prepare(&format!(
        "SELECT {} FROM help_request r LEFT JOIN staff s ON s.id = r.assigned_to
         WHERE {clause} ORDER BY r.received_at DESC, r.id DESC",
        columns.join(", ")
    ))?;
    let mut out = String::from("\u{feff}");
    out.push_str(
        &fields
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    let mut count = 0;
    let mut rows = statement.query(params_from_iter(&values))?;
    let plain = columns.len() - 2;
    while let Some(row) = rows.next()? {
        let personal = if opens {
            let blob: Vec<u8> = row.get(plain + 1)?;
            store::open(reader, &row.get::<_, String>(plain)?, &blob).unwrap_or_default()
        } else {
            Personal::default()
        };
        let mut next_plain = 0..plain;
        let mut cells = Vec::with_capacity(fields.len());
        for (_, source) in &fields {
            let value = match source {
                Source::Plain(_) => row.get::<_, String>(next_plain.next().unwrap_or_default())?,
                Source::Sealed(read) => read(&personal),
            };
            cells.push(cell(&store::marked(value)));
        }
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
        count += 1;
    }
    Ok((out, count))
}

/// One CSV cell: quoted when it must be, and never read as a formula by a spreadsheet.
pub fn cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    civil_date(days)
}

/// The calendar date `days` after 1970-01-01 (Howard Hinnant's days-to-civil algorithm).
pub(crate) fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

async fn show(
    db: &Db,
    site: &Site,
    signed: &Signed,
    status: StatusCode,
    filters: &Filters,
    chosen: &[&str],
    problem: Option<&str>,
) -> Result<Response, StaffError> {
    let count = {
        let filters = filters.clone();
        db.read(move |c| store::count(c, &filters)).await?
    };
    let tr = site.tr(signed.user.locale);
    let frame = Frame::signed(signed, tr.t("staff-export-title"), "/staff/export");
    let boxes = FIELDS
        .iter()
        .map(|(name, source)| {
            let id = format!("field-{name}");
            let note = source.personal().then(|| view! { " " <em>{tr.t("staff-export-personal")}</em> });
            view! {
                <li class="check">
                    <input type="checkbox" id=id.clone() name="field" value=*name checked=chosen.contains(name)/>
                    <label for=id>{tr.t(&format!("staff-export-field-{}", name.replace('_', "-")))}{note}</label>
                </li>
            }
        })
        .collect_view();
    let hidden = [
        ("status", filters.status.clone()),
        ("country", filters.country.clone()),
        ("kind", filters.kind.clone()),
        ("language", filters.language.clone()),
        ("age", filters.age.clone()),
    ]
    .into_iter()
    .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
    .collect_view();
    let problem = problem.map(|p| view! { <p class="field-error" role="alert">{tr.t(p)}</p> });
    let csrf = signed.csrf.clone();
    let filters = filters.clone();
    Ok(layout::page(site, status, frame, || {
        view! {
            <h1>{tr.t("staff-export-title")}</h1>
            <FilterForm tr=tr.clone() filters=filters action="/staff/export"/>
            <p role="status">{tr.t_with("staff-export-count", [("count", count.into())])}</p>
            <div class="notice notice-warning" role="note">
                <h2>{tr.t("staff-export-warning-title")}</h2>
                <p>{tr.t("staff-export-warning")}</p>
            </div>
            {problem}
            <form method="post" action="/staff/export" class="staff-form">
                <Csrf token=csrf/>
                {hidden}
                <fieldset>
                    <legend>{tr.t("staff-export-fields")}</legend>
                    <ul class="checks">{boxes}</ul>
                </fieldset>
                <p class="check">
                    <input type="checkbox" id="understood" name="understood" value="yes"/>
                    <label for="understood">{tr.t("staff-export-understood")}</label>
                </p>
                <button type="submit" class="button">{tr.t("staff-export-download")}</button>
            </form>
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_when_needed_and_never_formulas() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+84 912"), "'+84 912");
        assert_eq!(cell("@me"), "'@me");
        assert_eq!(cell("Hà Nội"), "Hà Nội");
    }

    #[test]
    fn days_become_calendar_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_780), "2026-11-23");
    }
}
