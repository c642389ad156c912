//! The dashboard's markup: the filters, the list, the weekly chart, one request and the audit
//! log, in the reader's language.

use super::store::{Note, Opened, Request, Row, Weekly};
use super::{AGES, Filters, NOTE_MAX, STATUSES};
use crate::help::{COUNTRIES, KINDS};
use crate::i18n::{Locale, Tr};
use crate::seal::keyring::Locked;
use crate::staff::audit;
use crate::staff::layout::{Csrf, StaffTable, when};
use leptos::prelude::*;

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
pub fn RequestTable(tr: Tr, rows: Vec<Row>) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let href = format!("/staff/requests/{}", row.reference);
            let urgent = row.urgent.then(
                || view! { <strong class="badge badge-urgent">{tr.t("staff-urgent")}</strong> " " },
            );
            let via = row.via.map(|hub| {
                let text = tr.t_with("staff-via-hub", [("hub", hub.into())]);
                view! { " " <span class="badge badge-hub">{text}</span> }
            });
            view! {
                <tr data-reference=row.reference.clone()>
                    <td>{urgent}<a href=href>{row.reference.clone()}</a>{via}</td>
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
pub fn RequestView(
    tr: Tr,
    csrf: String,
    request: Request,
    notes: Vec<Note>,
    assignees: Vec<(i64, String)>,
    history: Vec<audit::Entry>,
    problem: Option<String>,
    draft: Option<String>,
) -> impl IntoView {
    let reference = request.row.reference.clone();
    let action = format!("/staff/requests/{reference}");
    let field = |message: &'static str, value: String| detail(&tr, message, value);
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
                    <p class="note-body">{note.body.unwrap_or_else(|why| tr.t(locked_message(why)))}</p>
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
            {field("staff-field-channel", label(&tr, "channel", &request.channel))}
            {field("staff-col-language", label(&tr, "language", &request.row.language))}
            {request.row.via.clone().map(|hub| field("staff-field-hub", hub))}
            <PersonalFields tr=tr.clone() personal=request.personal/>
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
                {draft.is_some().then(|| view! { <span class="notice" role="status">{tr.t("staff-draft-restored")}</span> })}
                <textarea id="note" name="note" rows="3" maxlength=NOTE_MAX.to_string()>{draft.clone()}</textarea>
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
pub fn AuditTable(tr: Tr, entries: Vec<audit::Entry>) -> impl IntoView {
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

/// One term and its value in a request's details; an empty value says so.
fn detail(tr: &Tr, message: &'static str, value: String) -> impl IntoView + use<> {
    let value = if value.is_empty() {
        tr.t("staff-empty")
    } else {
        value
    };
    view! { <dt>{tr.t(message)}</dt><dd>{value}</dd> }
}

/// What the person wrote, opened, or why this session cannot see it.
#[component]
fn PersonalFields(tr: Tr, personal: Result<Opened, Locked>) -> impl IntoView {
    let field = |message: &'static str, value: String| detail(&tr, message, value);
    match personal {
        Ok(opened) => {
            let ticked = (!opened.ticked.is_empty()).then(|| {
                let items = opened
                    .ticked
                    .iter()
                    .map(|sign| view! { <li>{sign.clone()}</li> })
                    .collect_view();
                view! { <dt>{tr.t("staff-field-ticked")}</dt><dd><ul>{items}</ul></dd> }
            });
            view! {
                {field("staff-field-place", opened.place)}
                {field("staff-field-contact", opened.contact)}
                {field("staff-field-safe-time", opened.safe_time)}
                {field("staff-field-name", opened.name)}
                {field("staff-field-message", opened.message)}
                {ticked}
            }
            .into_any()
        }
        Err(why) => view! {
            <dt>{tr.t("staff-sealed-title")}</dt>
            <dd><p class="notice" id="sealed" role="status">{tr.t(locked_message(why))}</p></dd>
        }
        .into_any(),
    }
}

/// Why a session sees a request's sealed fields sealed, as a message.
pub fn locked_message(why: Locked) -> &'static str {
    match why {
        Locked::NoGrant => "staff-sealed-no-access",
        Locked::SignInAgain => "staff-sealed-sign-in-again",
        Locked::Unopened => "staff-sealed-unopened",
    }
}
