//! The caseworker dashboard: the list of help requests with filters and a weekly chart, one
//! request with its notes, status, assignment and history, and the CSV export. Every view
//! and change of a request is written to the audit log.

use super::audit;
use super::layout::{self, Csrf, Frame, StaffTable};
use super::session::{self, Signed};
use crate::content::store::sign_text;
use crate::help::{COUNTRIES, KINDS};
use crate::i18n::{Locale, Tr};
use crate::state::AppState;
use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use leptos::prelude::*;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

pub const STATUSES: [&str; 5] = ["new", "contacted", "in-progress", "referred", "closed"];
/// Kinds of help where someone may be in danger now: unanswered, they come first.
const URGENT_KINDS: [&str; 3] = ["in-trouble-abroad", "passport-held", "want-to-go-home"];
const AGES: [&str; 4] = ["1", "7", "30", "older"];
/// The longest list one page shows; the filters narrow it down.
const LIST_MAX: u32 = 200;
pub const NOTE_MAX: usize = 2000;

/// The list's filters, as the query string carries them. Unknown values mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// `open` (anything not closed, the default), `any`, or one status.
    pub status: String,
    pub country: String,
    pub kind: String,
    pub language: String,
    /// Received within 1, 7 or 30 days, or `older` than 30 days.
    pub age: String,
}

impl Filters {
    pub fn parse(pairs: &[(String, String)]) -> Filters {
        let pick = |name: &str, allowed: &[&str]| {
            session::field(pairs, name)
                .filter(|v| allowed.contains(v))
                .unwrap_or_default()
                .to_owned()
        };
        let languages = Locale::ALL.map(Locale::code);
        let mut statuses = vec!["any"];
        statuses.extend(STATUSES);
        Filters {
            status: Some(pick("status", &statuses))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "open".to_owned()),
            country: pick("country", &COUNTRIES),
            kind: pick("kind", &KINDS),
            language: pick("language", &languages),
            age: pick("age", &AGES),
        }
    }

    pub fn query(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("status", &self.status)
            .append_pair("country", &self.country)
            .append_pair("kind", &self.kind)
            .append_pair("language", &self.language)
            .append_pair("age", &self.age)
            .finish()
    }

    /// The `WHERE` clause over `help_request r`, and its parameters.
    pub fn sql(&self) -> (String, Vec<String>) {
        let mut conditions = vec!["1 = 1".to_owned()];
        let mut values = Vec::new();
        match self.status.as_str() {
            "any" => {}
            "open" => conditions.push("r.status <> 'closed'".to_owned()),
            status => {
                values.push(status.to_owned());
                conditions.push(format!("r.status = ?{}", values.len()));
            }
        }
        for (column, value) in [
            ("country", &self.country),
            ("kind", &self.kind),
            ("language", &self.language),
        ] {
            if !value.is_empty() {
                values.push(value.clone());
                conditions.push(format!("r.{column} = ?{}", values.len()));
            }
        }
        match self.age.as_str() {
            "" => {}
            "older" => conditions.push(
                "r.received_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-30 days')".to_owned(),
            ),
            days => conditions.push(format!(
                "r.received_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{days} days')"
            )),
        }
        (conditions.join(" AND "), values)
    }
}

/// A request as the list shows it: nothing that could identify or reach the person.
#[derive(Debug, Clone)]
pub struct Row {
    pub reference: String,
    pub received_at: String,
    pub kind: String,
    pub country: String,
    pub language: String,
    pub status: String,
    pub assigned: Option<String>,
    pub urgent: bool,
}

/// The requests the filters match, urgent unanswered ones first, then newest first; and
/// how many match in all.
pub fn list(conn: &Connection, filters: &Filters) -> rusqlite::Result<(Vec<Row>, i64)> {
    let (clause, values) = filters.sql();
    let urgent = URGENT_KINDS.map(|k| format!("'{k}'")).join(", ");
    let total = count(conn, filters)?;
    let mut statement = conn.prepare(&format!(
        "SELECT r.reference, r.received_at, r.kind, r.country, r.language, r.status, s.username,
                r.status = 'new' AND r.kind IN ({urgent}) AS urgent
         FROM help_request r LEFT JOIN staff s ON s.id = r.assigned_to
         WHERE {clause}
         ORDER BY urgent DESC, r.received_at DESC, r.id DESC
         LIMIT {LIST_MAX}"
    ))?;
    let rows = statement
        .query_map(params_from_iter(&values), |r| {
            Ok(Row {
                reference: r.get(0)?,
                received_at: r.get(1)?,
                kind: r.get(2)?,
                country: r.get(3)?,
                language: r.get(4)?,
                status: r.get(5)?,
                assigned: r.get(6)?,
                urgent: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((rows, total))
}

/// How many requests the filters match.
pub fn count(conn: &Connection, filters: &Filters) -> rusqlite::Result<i64> {
    let (clause, values) = filters.sql();
    conn.query_row(
        &format!("SELECT count(*) FROM help_request r WHERE {clause}"),
        params_from_iter(&values),
        |r| r.get(0),
    )
}

/// Requests per week (Monday first) and country, for the last eight weeks, oldest first.
pub type Weekly = Vec<(String, Vec<(String, i64)>)>;

pub fn weekly(conn: &Connection) -> rusqlite::Result<Weekly> {
    let mut statement = conn.prepare(
        "WITH RECURSIVE weeks (start, n) AS (
             SELECT date('now', 'weekday 0', '-6 days'), 0
             UNION ALL SELECT date(start, '-7 days'), n + 1 FROM weeks WHERE n < 7
         )
         SELECT w.start, r.country, count(r.id)
         FROM weeks w LEFT JOIN help_request r
             ON date(r.received_at, 'weekday 0', '-6 days') = w.start
         GROUP BY w.start, r.country
         ORDER BY w.start",
    )?;
    let mut weeks: Weekly = Vec::new();
    let rows = statement.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (start, country, count) = row?;
        if weeks.last().is_none_or(|(s, _)| *s != start) {
            weeks.push((start, Vec::new()));
        }
        if let (Some(country), Some((_, counts))) = (country, weeks.last_mut()) {
            counts.push((country, count));
        }
    }
    Ok(weeks)
}

/// One request, whole.
#[derive(Debug, Clone)]
pub struct Request {
    pub id: i64,
    pub row: Row,
    pub assigned_to: Option<i64>,
    pub place: String,
    pub channel: String,
    pub contact: String,
    pub safe_time: String,
    pub name: String,
    pub message: String,
    /// The checklist signs the person chose to send, in the reader's language where known.
    pub ticked: Vec<String>,
    pub updated_at: Option<String>,
}

pub struct Note {
    pub author: String,
    pub written_at: String,
    pub body: String,
}

pub fn find(
    conn: &Connection,
    reference: &str,
    locale: Locale,
) -> rusqlite::Result<Option<Request>> {
    let request = conn
        .query_row(
            "SELECT r.id, r.reference, r.received_at, r.kind, r.country, r.language, r.status,
                    s.username, r.assigned_to, r.place, r.channel, r.contact, r.safe_time, r.name,
                    r.message, r.ticked, r.updated_at
             FROM help_request r LEFT JOIN staff s ON s.id = r.assigned_to
             WHERE r.reference = ?1",
            [reference],
            |r| {
                Ok(Request {
                    id: r.get(0)?,
                    row: Row {
                        reference: r.get(1)?,
                        received_at: r.get(2)?,
                        kind: r.get(3)?,
                        country: r.get(4)?,
                        language: r.get(5)?,
                        status: r.get(6)?,
                        assigned: r.get(7)?,
                        urgent: false,
                    },
                    assigned_to: r.get(8)?,
                    place: r.get(9)?,
                    channel: r.get(10)?,
                    contact: r.get(11)?,
                    safe_time: r.get(12)?,
                    name: r.get(13)?,
                    message: r.get(14)?,
                    ticked: r.get::<_, String>(15)?.lines().map(str::to_owned).collect(),
                    updated_at: r.get(16)?,
                })
            },
        )
        .optional()?;
    let Some(mut request) = request else {
        return Ok(None);
    };
    request.row.urgent =
        request.row.status == "new" && URGENT_KINDS.contains(&request.row.kind.as_str());
    for sign in &mut request.ticked {
        if let Some(text) = sign_text(conn, sign, locale)? {
            *sign = text;
        }
    }
    Ok(Some(request))
}

fn notes(conn: &Connection, request: i64) -> rusqlite::Result<Vec<Note>> {
    let mut statement = conn.prepare(
        "SELECT s.username, n.written_at, n.body FROM help_note n JOIN staff s ON s.id = n.staff_id
         WHERE n.request_id = ?1 ORDER BY n.id DESC",
    )?;
    statement
        .query_map([request], |r| {
            Ok(Note {
                author: r.get(0)?,
                written_at: r.get(1)?,
                body: r.get(2)?,
            })
        })?
        .collect()
}

/// Who a request can be assigned to: enabled caseworkers and admins, as (id, username).
fn assignees(conn: &Connection) -> rusqlite::Result<Vec<(i64, String)>> {
    let mut statement = conn.prepare(
        "SELECT id, username FROM staff
         WHERE disabled = 0 AND role IN ('caseworker', 'admin') ORDER BY username",
    )?;
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// A change a caseworker makes to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Status(&'static str),
    Assign(Option<i64>),
    Note(String),
}

impl Change {
    /// Reads the change a request page's form asks for; `Err` names the problem's message.
    pub fn from_form(form: &[(String, String)]) -> Result<Change, &'static str> {
        match session::field(form, "action") {
            Some("status") => session::field(form, "status")
                .and_then(|s| STATUSES.iter().find(|known| **known == s))
                .map(|s| Change::Status(s))
                .ok_or("staff-problem-status"),
            Some("assign") => match session::field(form, "assignee").unwrap_or_default() {
                "" => Ok(Change::Assign(None)),
                id => id
                    .parse()
                    .map(|id| Change::Assign(Some(id)))
                    .map_err(|_| "staff-problem-assignee"),
            },
            Some("note") => {
                let body = session::field(form, "note").unwrap_or_default().trim();
                if body.is_empty() || body.chars().count() > NOTE_MAX || body.contains('\0') {
                    Err("staff-problem-note")
                } else {
                    Ok(Change::Note(body.to_owned()))
                }
            }
            _ => Err("staff-problem-action"),
        }
    }
}

/// Applies `change` to the request `reference` and writes it to the audit log. `Ok(false)`
/// when there is no such request, or no such assignee.
pub fn apply(
    conn: &mut Connection,
    staff: i64,
    reference: &str,
    change: &Change,
) -> rusqlite::Result<bool> {
    let tx = conn.transaction()?;
    let Some((id, status)): Option<(i64, String)> = tx
        .query_row(
            "SELECT id, status FROM help_request WHERE reference = ?1",
            [reference],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
    else {
        return Ok(false);
    };
    let now = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
    match change {
        Change::Status(new) => {
            tx.execute(
                &format!(
                    "UPDATE help_request SET status = ?2, updated_at = {now},
                         closed_at = CASE WHEN ?2 = 'closed' THEN {now} END
                     WHERE id = ?1"
                ),
                params![id, new],
            )?;
            audit::record(
                &tx,
                Some(staff),
                "status-changed",
                reference,
                &format!("{status} → {new}"),
            )?;
        }
        Change::Assign(assignee) => {
            let name: Option<String> = match assignee {
                None => None,
                Some(assignee) => {
                    let found = tx
                        .query_row(
                            "SELECT username FROM staff WHERE id = ?1 AND disabled = 0
                             AND role IN ('caseworker', 'admin')",
                            [assignee],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if found.is_none() {
                        return Ok(false);
                    }
                    found
                }
            };
            tx.execute(
                &format!(
                    "UPDATE help_request SET assigned_to = ?2, updated_at = {now} WHERE id = ?1"
                ),
                params![id, assignee],
            )?;
            audit::record(
                &tx,
                Some(staff),
                "assigned",
                reference,
                name.as_deref().unwrap_or("-"),
            )?;
        }
        Change::Note(body) => {
            tx.execute(
                &format!(
                    "INSERT INTO help_note (request_id, staff_id, body, written_at)
                     VALUES (?1, ?2, ?3, {now})"
                ),
                params![id, staff, body],
            )?;
            tx.execute(
                &format!("UPDATE help_request SET updated_at = {now} WHERE id = ?1"),
                [id],
            )?;
            audit::record(&tx, Some(staff), "note-added", reference, "")?;
        }
    }
    tx.commit()?;
    Ok(true)
}

// ---------------------------------------------------------------------------------------------
// Pages

pub async fn list_page(
    State(app): State<AppState>,
    signed: Signed,
    RawQuery(query): RawQuery,
) -> Response {
    if let Some(refused) = signed.refuse_unless(&app, signed.user.role.handles_requests()) {
        return refused;
    }
    let filters = Filters::parse(&session::parse_form(query.unwrap_or_default().as_bytes()));
    let found = {
        let filters = filters.clone();
        app.db
            .read(move |c| Ok((list(c, &filters)?, weekly(c)?)))
            .await
    };
    let ((rows, total), weeks) = match found {
        Ok(found) => found,
        Err(error) => return unavailable(&app, &signed, error),
    };
    let tr = app.site.tr(signed.user.locale);
    let frame = Frame {
        title: tr.t("staff-requests-title"),
        here: "/staff/requests".to_owned(),
        signed: Some(&signed),
    };
    let shown = rows.len();
    let export = format!("/staff/export?{}", filters.query());
    layout::page(&app, signed.user.locale, StatusCode::OK, frame, || {
        view! {
            <h1>{tr.t("staff-requests-title")}</h1>
            <FilterForm tr=tr.clone() filters=filters action="/staff/requests"/>
            <p role="status">{tr.t_with("staff-requests-count", [("shown", shown.into()), ("total", total.into())])}</p>
            <RequestTable tr=tr.clone() rows=rows/>
            <p><a class="button" href=export>{tr.t("staff-export-link")}</a></p>
            <h2 id="chart-title">{tr.t("staff-chart-title")}</h2>
            <WeeklyChart tr=tr weeks=weeks/>
        }
    })
}

pub async fn request_page(
    State(app): State<AppState>,
    signed: Signed,
    Path(reference): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    if let Some(refused) = signed.refuse_unless(&app, signed.user.role.handles_requests()) {
        return refused;
    }
    let locale = signed.user.locale;
    let (staff, subject) = (signed.user.id, reference.clone());
    // The view is logged before anything is shown: a page never opens unrecorded.
    let found = app
        .db
        .write(move |c| {
            let Some(request) = find(c, &subject, locale)? else {
                return Ok(None);
            };
            audit::record(c, Some(staff), "viewed", &subject, "")?;
            Ok(Some((
                notes(c, request.id)?,
                assignees(c)?,
                audit::recent(c, Some(&subject), 50)?,
                request,
            )))
        })
        .await;
    let (notes, assignees, history, request) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(&app, &signed),
        Err(error) => return unavailable(&app, &signed, error),
    };
    let problem = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "problem")
        .map(|(_, v)| v.into_owned())
        .filter(|p| p.starts_with("staff-problem-"));
    let tr = app.site.tr(locale);
    let frame = Frame {
        title: tr.t_with(
            "staff-request-title",
            [("reference", reference.clone().into())],
        ),
        here: format!("/staff/requests/{reference}"),
        signed: Some(&signed),
    };
    let csrf = signed.csrf.clone();
    layout::page(&app, locale, StatusCode::OK, frame, || {
        view! {
            <RequestView tr=tr csrf=csrf request=request notes=notes assignees=assignees history=history problem=problem/>
        }
    })
}

pub async fn change(
    State(app): State<AppState>,
    signed: Signed,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refused) = signed.refuse_unless(&app, signed.user.role.handles_requests()) {
        return refused;
    }
    let form = session::parse_form(&body);
    if !signed.form_is_genuine(&headers, &form) {
        return layout::not_genuine(&app, signed.user.locale);
    }
    let page = format!(
        "/staff/requests/{}",
        form_urlencoded::byte_serialize(reference.as_bytes()).collect::<String>()
    );
    let change = match Change::from_form(&form) {
        Ok(change) => change,
        Err(problem) => return crate::web::see_other(&format!("{page}?problem={problem}#changes")),
    };
    let staff = signed.user.id;
    let applied = {
        let reference = reference.clone();
        let change = change.clone();
        app.db
            .write(move |c| apply(c, staff, &reference, &change))
            .await
    };
    match applied {
        Ok(true) => crate::web::see_other(&format!("{page}#changes")),
        Ok(false) if matches!(change, Change::Assign(_)) => {
            crate::web::see_other(&format!("{page}?problem=staff-problem-assignee#changes"))
        }
        Ok(false) => not_found(&app, &signed),
        Err(error) => unavailable(&app, &signed, error),
    }
}

/// `/staff/audit`, for admins: the newest lines of the audit log and the purges.
pub async fn audit_page(State(app): State<AppState>, signed: Signed) -> Response {
    if let Some(refused) = signed.refuse_unless(&app, signed.user.role == super::Role::Admin) {
        return refused;
    }
    let found = app
        .db
        .read(|c| {
            Ok((
                audit::recent(c, None, 300)?,
                super::retention::history(c, 20)?,
            ))
        })
        .await;
    let (entries, purges) = match found {
        Ok(found) => found,
        Err(error) => return unavailable(&app, &signed, error),
    };
    let tr = app.site.tr(signed.user.locale);
    let frame = Frame {
        title: tr.t("staff-audit-title"),
        here: "/staff/audit".to_owned(),
        signed: Some(&signed),
    };
    let purges = purges
        .into_iter()
        .map(|p| {
            view! {
                <tr><td>{p.at}</td><td>{p.retention_days}</td><td>{p.requests}</td><td>{p.notes}</td></tr>
            }
        })
        .collect_view();
    let purge_headings = [
        "staff-audit-at",
        "staff-purge-days",
        "staff-purge-requests",
        "staff-purge-notes",
    ]
    .map(|id| tr.t(id))
    .to_vec();
    layout::page(&app, signed.user.locale, StatusCode::OK, frame, || {
        view! {
            <h1>{tr.t("staff-audit-title")}</h1>
            <AuditTable tr=tr.clone() entries=entries/>
            <h2>{tr.t("staff-purge-title")}</h2>
            <StaffTable headings=purge_headings>{purges}</StaffTable>
        }
    })
}

pub fn unavailable(app: &AppState, signed: &Signed, error: crate::db::DbError) -> Response {
    tracing::error!(%error, "a staff page could not read the database");
    message_page(
        app,
        signed,
        StatusCode::SERVICE_UNAVAILABLE,
        "staff-unavailable",
    )
}

fn not_found(app: &AppState, signed: &Signed) -> Response {
    message_page(app, signed, StatusCode::NOT_FOUND, "staff-request-missing")
}

fn message_page(app: &AppState, signed: &Signed, status: StatusCode, message: &str) -> Response {
    let tr = app.site.tr(signed.user.locale);
    let frame = Frame {
        title: tr.t(message),
        here: "/staff/requests".to_owned(),
        signed: Some(signed),
    };
    let text = tr.t(message);
    layout::page(
        app,
        signed.user.locale,
        status,
        frame,
        || view! { <h1>{text}</h1> },
    )
}

/// A stored UTC time (`2026-11-23T14:21:34Z`) as the staff pages show it: `2026-11-23 14:21`.
pub fn when(at: &str) -> String {
    at.get(..16).unwrap_or(at).replacen('T', " ", 1)
}

/// What a status, kind, country or language code is called in the reader's language.
pub fn label(tr: &Tr, group: &str, code: &str) -> String {
    match group {
        "country" => tr.t(&format!("country-{code}")),
        "channel" => tr.t(&format!("help-channel-{code}")),
        _ => tr.t(&format!("staff-{group}-{code}")),
    }
}

#[component]
pub fn FilterForm(tr: Tr, filters: Filters, action: &'static str) -> impl IntoView {
    let select =
        |name: &'static str, any: &'static str, codes: Vec<&'static str>, current: String| {
            let options = codes
                .into_iter()
                .map(|code| {
                    let text = match (name, code) {
                        ("status", "open") => tr.t("staff-filter-open"),
                        ("status", "any") => tr.t("staff-filter-any"),
                        ("age", days) => tr.t(&format!("staff-age-{days}")),
                        (group, code) => label(&tr, group, code),
                    };
                    view! { <option value=code selected=code == current>{text}</option> }
                })
                .collect_view();
            let id = format!("filter-{name}");
            view! {
                <p class="field">
                    <label for=id.clone()>{tr.t(&format!("staff-filter-{name}"))}</label>
                    <select id=id name=name>
                        {(!any.is_empty()).then(|| view! { <option value="">{tr.t(any)}</option> })}
                        {options}
                    </select>
                </p>
            }
        };
    let mut statuses = vec!["open", "any"];
    statuses.extend(STATUSES);
    view! {
        <form method="get" action=action class="staff-filters">
            {select("status", "", statuses, filters.status.clone())}
            {select("country", "staff-filter-any", COUNTRIES.to_vec(), filters.country.clone())}
            {select("kind", "staff-filter-any", KINDS.to_vec(), filters.kind.clone())}
            {select("language", "staff-filter-any", Locale::ALL.map(Locale::code).to_vec(), filters.language.clone())}
            {select("age", "staff-filter-any", AGES.to_vec(), filters.age.clone())}
            <button type="submit" class="button">{tr.t("staff-filter-apply")}</button>
        </form>
    }
}

#[component]
fn RequestTable(tr: Tr, rows: Vec<Row>) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let href = format!("/staff/requests/{}", row.reference);
            let urgent = row.urgent.then(
                || view! { <strong class="badge badge-urgent">{tr.t("staff-urgent")}</strong> " " },
            );
            view! {
                <tr data-reference=row.reference.clone()>
                    <td>{urgent}<a href=href>{row.reference.clone()}</a></td>
                    <td>{when(&row.received_at)}</td>
                    <td>{label(&tr, "kind", &row.kind)}</td>
                    <td>{label(&tr, "country", &row.country)}</td>
                    <td>{label(&tr, "language", &row.language)}</td>
                    <td>{label(&tr, "status", &row.status)}</td>
                    <td>{row.assigned.unwrap_or_else(|| tr.t("staff-unassigned"))}</td>
                </tr>
            }
        })
        .collect_view();
    let headings = [
        "staff-col-reference",
        "staff-col-received",
        "staff-col-kind",
        "staff-col-country",
        "staff-col-language",
        "staff-col-status",
        "staff-col-assigned",
    ]
    .map(|id| tr.t(id))
    .to_vec();
    view! { <StaffTable headings=headings>{body}</StaffTable> }
}

/// Colours for the chart's countries, in the order of [`COUNTRIES`]; told apart by the
/// legend's names too, not by colour alone.
const PALETTE: [&str; 11] = [
    "#0b5c4a", "#b5472c", "#3d5a98", "#c28a00", "#6b4e9b", "#2f8f83", "#9c2f5e", "#5b7a1f",
    "#8a5a2b", "#1f6f9c", "#6d6d6d",
];

/// Requests per week by country as a stacked bar chart in SVG, with the same figures as a
/// table for screen readers.
#[component]
pub fn WeeklyChart(tr: Tr, weeks: Weekly) -> impl IntoView {
    const HEIGHT: f64 = 160.0;
    const BAR: f64 = 44.0;
    const STEP: f64 = 64.0;
    let most = weeks
        .iter()
        .map(|(_, counts)| counts.iter().map(|(_, n)| n).sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let colour = |country: &str| {
        COUNTRIES
            .iter()
            .position(|c| *c == country)
            .map_or(PALETTE[10], |i| PALETTE[i])
    };
    let bars = weeks
        .iter()
        .enumerate()
        .map(|(i, (start, counts))| {
            let x = 8.0 + i as f64 * STEP;
            let mut top = HEIGHT + 20.0;
            let total: i64 = counts.iter().map(|(_, n)| n).sum();
            let segments = COUNTRIES
                .iter()
                .filter_map(|code| counts.iter().find(|(c, _)| c == code))
                .map(|(country, n)| {
                    let height = *n as f64 / most * HEIGHT;
                    top -= height;
                    let title = format!("{}: {n}", label(&tr, "country", country));
                    view! {
                        <rect x=x y=format!("{top:.1}") width=BAR height=format!("{height:.1}") fill=colour(country)>
                            <title>{title}</title>
                        </rect>
                    }
                })
                .collect_view();
            view! {
                <g>
                    {segments}
                    <text x=x + BAR / 2.0 y=format!("{:.1}", top - 4.0) text-anchor="middle" font-size="12">{total}</text>
                    <text x=x + BAR / 2.0 y=HEIGHT + 36.0 text-anchor="middle" font-size="11">{start.get(5..).unwrap_or(start).to_owned()}</text>
                </g>
            }
        })
        .collect_view();
    let present: Vec<&str> = COUNTRIES
        .iter()
        .copied()
        .filter(|code| {
            weeks
                .iter()
                .any(|(_, counts)| counts.iter().any(|(c, _)| c == code))
        })
        .collect();
    let legend = present
        .iter()
        .map(|code| {
            view! {
                <li>
                    <svg class="swatch" width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill=colour(code)/></svg>
                    " "{label(&tr, "country", code)}
                </li>
            }
        })
        .collect_view();
    let header = weeks
        .iter()
        .map(|(start, _)| view! { <th scope="col">{start.clone()}</th> })
        .collect_view();
    let table_rows = present
        .iter()
        .map(|code| {
            let cells = weeks
                .iter()
                .map(|(_, counts)| {
                    let n = counts
                        .iter()
                        .find(|(c, _)| c == code)
                        .map_or(0, |(_, n)| *n);
                    view! { <td>{n}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{label(&tr, "country", code)}</th>{cells}</tr> }
        })
        .collect_view();
    let width = 16.0 + weeks.len() as f64 * STEP;
    view! {
        <figure class="chart">
            <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title"
                viewBox=format!("0 0 {width} {}", HEIGHT + 44.0) width=width height=HEIGHT + 44.0>
                <line x1="0" y1=HEIGHT + 20.0 x2=width y2=HEIGHT + 20.0 stroke="#999"/>
                {bars}
            </svg>
            <ul class="legend">{legend}</ul>
            <details>
                <summary>{tr.t("staff-chart-table")}</summary>
                <table class="staff-table">
                    <thead><tr><th>{tr.t("staff-col-country")}</th>{header}</tr></thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

#[component]
fn RequestView(
    tr: Tr,
    csrf: String,
    request: Request,
    notes: Vec<Note>,
    assignees: Vec<(i64, String)>,
    history: Vec<audit::Entry>,
    problem: Option<String>,
) -> impl IntoView {
    let reference = request.row.reference.clone();
    let action = format!("/staff/requests/{reference}");
    let field = |message: &'static str, value: String| {
        let value = if value.is_empty() {
            tr.t("staff-empty")
        } else {
            value
        };
        view! { <dt>{tr.t(message)}</dt><dd>{value}</dd> }
    };
    let ticked = (!request.ticked.is_empty()).then(|| {
        let items = request
            .ticked
            .iter()
            .map(|sign| view! { <li>{sign.clone()}</li> })
            .collect_view();
        view! { <dt>{tr.t("staff-field-ticked")}</dt><dd><ul>{items}</ul></dd> }
    });
    let statuses = STATUSES
        .iter()
        .map(|s| view! { <option value=*s selected=*s == request.row.status>{label(&tr, "status", s)}</option> })
        .collect_view();
    let people = assignees
        .into_iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=Some(id) == request.assigned_to>{name}</option> })
        .collect_view();
    let notes = notes
        .into_iter()
        .map(|note| {
            view! {
                <li class="note">
                    <p class="note-meta">{note.author}" · "{when(&note.written_at)}</p>
                    <p class="note-body">{note.body}</p>
                </li>
            }
        })
        .collect_view();
    let problem = problem.map(|p| view! { <p class="field-error" role="alert">{tr.t(&p)}</p> });
    let urgent = request.row.urgent.then(
        || view! { <p><strong class="badge badge-urgent">{tr.t("staff-urgent")}</strong></p> },
    );
    view! {
        <p><a href="/staff/requests">{tr.t("staff-back-to-list")}</a></p>
        <h1>{tr.t_with("staff-request-title", [("reference", reference.clone().into())])}</h1>
        {urgent}
        <dl class="request-details">
            {field("staff-col-received", when(&request.row.received_at))}
            {field("staff-col-status", label(&tr, "status", &request.row.status))}
            {field("staff-col-kind", label(&tr, "kind", &request.row.kind))}
            {field("staff-col-country", label(&tr, "country", &request.row.country))}
            {field("staff-field-place", request.place)}
            {field("staff-field-channel", label(&tr, "channel", &request.channel))}
            {field("staff-field-contact", request.contact)}
            {field("staff-field-safe-time", request.safe_time)}
            {field("staff-field-name", request.name)}
            {field("staff-col-language", label(&tr, "language", &request.row.language))}
            {field("staff-field-message", request.message)}
            {ticked}
            {field("staff-col-assigned", request.row.assigned.clone().unwrap_or_else(|| tr.t("staff-unassigned")))}
            {field("staff-field-updated", request.updated_at.as_deref().map(when).unwrap_or_default())}
        </dl>
        <h2 id="changes">{tr.t("staff-changes-title")}</h2>
        {problem}
        <form method="post" action=action.clone() class="staff-form inline-form">
            <Csrf token=csrf.clone()/>
            <input type="hidden" name="action" value="status"/>
            <label for="status">{tr.t("staff-col-status")}</label>
            <select id="status" name="status">{statuses}</select>
            <button type="submit" class="button">{tr.t("staff-save-status")}</button>
        </form>
        <form method="post" action=action.clone() class="staff-form inline-form">
            <Csrf token=csrf.clone()/>
            <input type="hidden" name="action" value="assign"/>
            <label for="assignee">{tr.t("staff-col-assigned")}</label>
            <select id="assignee" name="assignee">
                <option value="">{tr.t("staff-unassigned")}</option>
                {people}
            </select>
            <button type="submit" class="button">{tr.t("staff-save-assignee")}</button>
        </form>
        <form method="post" action=action class="staff-form">
            <Csrf token=csrf/>
            <input type="hidden" name="action" value="note"/>
            <p class="field">
                <label for="note">{tr.t("staff-note-label")}</label>
                <textarea id="note" name="note" rows="3" maxlength=NOTE_MAX.to_string()></textarea>
            </p>
            <button type="submit" class="button">{tr.t("staff-add-note")}</button>
        </form>
        <h2>{tr.t("staff-notes-title")}</h2>
        <ul class="notes">{notes}</ul>
        <h2>{tr.t("staff-history-title")}</h2>
        <AuditTable tr=tr entries=history/>
    }
}

#[component]
fn AuditTable(tr: Tr, entries: Vec<audit::Entry>) -> impl IntoView {
    let rows = entries
        .into_iter()
        .map(|e| {
            let action = tr.t(&format!("staff-action-{}", e.action));
            view! {
                <tr>
                    <td>{when(&e.at)}</td>
                    <td>{e.who.unwrap_or_else(|| tr.t("staff-audit-system"))}</td>
                    <td>{action}</td>
                    <td>{e.subject}</td>
                    <td>{e.detail}</td>
                </tr>
            }
        })
        .collect_view();
    let headings = [
        "staff-audit-at",
        "staff-audit-who",
        "staff-audit-action",
        "staff-audit-subject",
        "staff-audit-detail",
    ]
    .map(|id| tr.t(id))
    .to_vec();
    view! { <StaffTable headings=headings>{rows}</StaffTable> }
}

/// The headers of a file to download: its type and its name.
pub fn attachment(content_type: &str, name: &str) -> [(header::HeaderName, String); 2] {
    [
        (header::CONTENT_TYPE, content_type.to_owned()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ),
    ]
}
