//! `/staff/facts`: the facts behind the texts. A contact's phone numbers and hours, a
//! source's address, the date each fact was last checked; and the facts whose last check is
//! more than 12 months old, oldest first. A fact form validates the shape of what it takes
//! (phone number, web address, a date not in the future). Changes wait, like texts, for
//! "Publish".

use super::texts::{self, NOW};
use super::translations::edit_href;
use crate::content::fields::{is_date, is_page_address, is_phone_number};
use crate::db::Db;
use crate::i18n::{Locale, validate::Kind};
use crate::site::Site;
use crate::staff::layout::{self, Csrf, Frame, StaffError, StaffForm, StaffTable, when};
use crate::staff::session::{self, Signed};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use leptos::prelude::*;
use rusqlite::{Connection, OptionalExtension, params};
use std::sync::Arc;

/// A kind of row with facts: its table, the SQL that names a row (`id`, or "slug/id"), and
/// the fields an editor may change, each with the shape it must have.
pub struct Entity {
    pub code: &'static str,
    table: &'static str,
    key: &'static str,
    pub fields: &'static [(&'static str, Shape)],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Phone,
    OptionalPhone,
    Url,
    OptionalUrl,
    Date,
}

pub const ENTITIES: [Entity; 5] = [
    Entity {
        code: "contact",
        table: "contact",
        key: "id",
        fields: &[
            ("phone", Shape::Phone),
            ("phone_abroad", Shape::OptionalPhone),
            ("checked_on", Shape::Date),
        ],
    },
    Entity {
        code: "source",
        table: "source",
        key: "id",
        fields: &[("url", Shape::Url)],
    },
    Entity {
        code: "checklist_item",
        table: "checklist_item",
        key: "checklist_slug || '/' || id",
        fields: &[("checked_on", Shape::Date)],
    },
    Entity {
        code: "guide_point",
        table: "guide_point",
        key: "guide_slug || '/' || id",
        fields: &[("url", Shape::OptionalUrl), ("checked_on", Shape::Date)],
    },
    Entity {
        code: "guide",
        table: "guide",
        key: "slug",
        fields: &[("checked_on", Shape::Date)],
    },
];

pub fn entity(code: &str) -> Option<&'static Entity> {
    ENTITIES.iter().find(|e| e.code == code)
}

/// Why a fact's value was refused: the message that says so.
pub fn check(shape: Shape, value: &str, today: &str) -> Result<Option<String>, &'static str> {
    let value = value.trim();
    if value.is_empty() {
        return match shape {
            Shape::OptionalPhone | Shape::OptionalUrl => Ok(None),
            _ => Err("staff-fact-required"),
        };
    }
    let fits = match shape {
        Shape::Phone | Shape::OptionalPhone => is_phone_number(value),
        Shape::Url | Shape::OptionalUrl => is_page_address(value),
        Shape::Date => is_date(value),
    };
    if !fits {
        return Err(match shape {
            Shape::Phone | Shape::OptionalPhone => "staff-fact-bad-phone",
            Shape::Url | Shape::OptionalUrl => "staff-fact-bad-url",
            Shape::Date => "staff-fact-bad-date",
        });
    }
    // ISO dates compare as text.
    if shape == Shape::Date && value > today {
        return Err("staff-fact-future-date");
    }
    Ok(Some(value.to_owned()))
}

/// A field's value: the saved change if there is one, else the published value.
pub fn current(
    conn: &Connection,
    entity: &Entity,
    id: &str,
    field: &str,
) -> rusqlite::Result<Option<Option<String>>> {
    let pending = conn
        .query_row(
            "SELECT value FROM pending_fact WHERE entity = ?1 AND id = ?2 AND field = ?3",
            params![entity.code, id, field],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?;
    if pending.is_some() {
        return Ok(pending);
    }
    published(conn, entity, id, field)
}

/// A field's published value; `None` when no row has this id.
pub fn published(
    conn: &Connection,
    entity: &Entity,
    id: &str,
    field: &str,
) -> rusqlite::Result<Option<Option<String>>> {
    // Table, key and field come from `ENTITIES`, never from a request.
    conn.query_row(
        &format!(
            "SELECT {field} FROM {} WHERE {} = ?1",
            entity.table, entity.key
        ),
        [id],
        |r| r.get::<_, Option<String>>(0),
    )
    .optional()
}

/// Saves a fact's new value as not yet published, with its history.
pub fn save(
    conn: &Connection,
    entity: &Entity,
    id: &str,
    field: &str,
    value: Option<&str>,
    by: &str,
) -> rusqlite::Result<bool> {
    let Some(old) = current(conn, entity, id, field)? else {
        return Ok(false);
    };
    if old.as_deref() == value {
        return Ok(false);
    }
    conn.execute(
        &format!(
            "INSERT INTO pending_fact (entity, id, field, value, edited_at, edited_by)
             VALUES (?1, ?2, ?3, ?4, {NOW}, ?5)
             ON CONFLICT (entity, id, field) DO UPDATE SET value = excluded.value,
                 edited_at = excluded.edited_at, edited_by = excluded.edited_by"
        ),
        params![entity.code, id, field, value, by],
    )?;
    texts::record(
        conn,
        &texts::Record {
            kind: "fact",
            id: &format!("{}:{id}:{field}", entity.code),
            locale: "",
            old: old.as_deref(),
            new: value,
            status: None,
            action: "save",
            by,
        },
    )?;
    Ok(true)
}

/// Applies every saved fact to its table; part of publishing.
pub fn publish(tx: &Connection) -> rusqlite::Result<()> {
    let mut statement =
        tx.prepare("SELECT entity, id, field, value, edited_at FROM pending_fact")?;
    let rows: Vec<(String, String, String, Option<String>, String)> = statement
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (code, id, field, value, at) in rows {
        set(tx, &code, &id, &field, value.as_deref(), &at)?;
    }
    tx.execute("DELETE FROM pending_fact", [])?;
    Ok(())
}

/// Sets one fact's published value, marking its row edited at `at`; a fact no entity or
/// field of [`ENTITIES`] names is left alone. False when nothing was changed.
pub fn set(
    tx: &Connection,
    code: &str,
    id: &str,
    field: &str,
    value: Option<&str>,
    at: &str,
) -> rusqlite::Result<bool> {
    let Some(entity) = entity(code) else {
        return Ok(false);
    };
    let Some((field, _)) = entity.fields.iter().find(|(f, _)| *f == field) else {
        return Ok(false);
    };
    let changed = tx.execute(
        &format!(
            "UPDATE {} SET {field} = ?1, edited_at = ?2 WHERE {} = ?3",
            entity.table, entity.key
        ),
        params![value, at, id],
    )?;
    Ok(changed > 0)
}

/// A fact whose last check is more than 12 months old.
#[derive(Debug, Clone)]
pub struct Stale {
    pub entity: &'static str,
    pub id: String,
    pub label: String,
    pub checked_on: String,
}

/// The facts last checked more than 12 months ago, oldest first, named in English.
pub fn stale(conn: &Connection) -> rusqlite::Result<Vec<Stale>> {
    let mut statement = conn.prepare(
        "SELECT 'contact', c.id, coalesce(t.value, c.id), c.checked_on FROM contact c
             LEFT JOIN content_text t ON t.message_id = 'contact.' || c.id || '.name'
                 AND t.locale = 'en'
         UNION ALL
         SELECT 'checklist_item', i.checklist_slug || '/' || i.id, coalesce(t.value, i.id),
                i.checked_on FROM checklist_item i
             LEFT JOIN content_text t ON t.locale = 'en'
                 AND t.message_id = 'checklist.' || i.checklist_slug || '.item.' || i.id || '.text'
         UNION ALL
         SELECT 'guide_point', p.guide_slug || '/' || p.id, coalesce(t.value, p.id),
                p.checked_on FROM guide_point p
             LEFT JOIN content_text t ON t.locale = 'en'
                 AND t.message_id = 'guide.' || p.guide_slug || '.point.' || p.id
         UNION ALL
         SELECT 'guide', g.slug, coalesce(t.value, g.slug), coalesce(g.checked_on, '') FROM guide g
             LEFT JOIN content_text t ON t.locale = 'en'
                 AND t.message_id = 'guide.' || g.slug || '.summary'
         ORDER BY 4, 1, 2",
    )?;
    let rows = statement.query_map([], |r| {
        let code: String = r.get(0)?;
        Ok(Stale {
            entity: entity(&code).map_or("contact", |e| e.code),
            id: r.get(1)?,
            label: r.get(2)?,
            checked_on: r.get(3)?,
        })
    })?;
    let cutoff: String = conn.query_row("SELECT date('now', '-12 months')", [], |r| r.get(0))?;
    Ok(rows
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|s| s.checked_on < cutoff)
        .collect())
}

/// Every row with facts, `(entity, id, English name)`, for the facts page.
fn all(conn: &Connection) -> rusqlite::Result<Vec<(&'static str, String, String)>> {
    let mut statement = conn.prepare(
        "SELECT 'contact', c.id, coalesce(t.value, c.id) FROM contact c
             LEFT JOIN content_text t ON t.message_id = 'contact.' || c.id || '.name'
                 AND t.locale = 'en'
         UNION ALL
         SELECT 'source', id, name FROM source
         ORDER BY 1, 3",
    )?;
    let rows = statement.query_map([], |r| {
        let code: String = r.get(0)?;
        Ok((
            if code == "source" {
                "source"
            } else {
                "contact"
            },
            r.get(1)?,
            r.get(2)?,
        ))
    })?;
    rows.collect()
}

/// Each field's current value, and the history of changes as `[when, who, field, old, new]`.
type FormData = (Vec<String>, Vec<[String; 5]>);

/// What a row's fact form shows; `None` when there is no such row.
fn form_data(conn: &Connection, entity: &Entity, id: &str) -> rusqlite::Result<Option<FormData>> {
    let mut values = Vec::new();
    for (field, _) in entity.fields {
        let Some(value) = current(conn, entity, id, field)? else {
            return Ok(None);
        };
        values.push(value.unwrap_or_default());
    }
    let mut statement = conn.prepare(
        "SELECT changed_at, changed_by, message_id, old_value, new_value
                 FROM text_history WHERE kind = 'fact' AND message_id LIKE ?1 ESCAPE '\\'
                 ORDER BY id DESC LIMIT 50",
    )?;
    let prefix = format!("{}:{id}:", entity.code)
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let history = statement
        .query_map([format!("{prefix}%")], |r| {
            let field: String = r.get(2)?;
            Ok([
                when(&r.get::<_, String>(0)?),
                r.get(1)?,
                field.rsplit(':').next().unwrap_or_default().to_owned(),
                r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            ])
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some((values, history)))
}

/// The message that names an entity or field: Fluent ids have `-` where SQL names have `_`.
fn message(prefix: &str, name: &str) -> String {
    format!("{prefix}-{}", name.replace('_', "-"))
}

fn fact_href(entity: &str, id: &str) -> String {
    format!("/staff/facts/{entity}/{id}")
}

/// `/staff/facts`: the facts checked longest ago, and every row with facts.
pub async fn list(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
) -> Result<Response, StaffError> {
    let (stale, all) = db.read(|c| Ok((stale(c)?, all(c)?))).await?;
    let tr = site.tr(signed.user.locale);
    let stale_rows = stale
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <td>{s.checked_on.clone()}</td>
                    <td>{tr.t(&message("staff-fact-entity", s.entity))}</td>
                    <td><a href=fact_href(s.entity, &s.id)>{s.label.clone()}</a></td>
                </tr>
            }
        })
        .collect_view();
    let rows = all
        .iter()
        .map(|(entity, id, label)| {
            view! {
                <tr>
                    <td>{tr.t(&message("staff-fact-entity", entity))}</td>
                    <td><a href=fact_href(entity, id)>{label.clone()}</a></td>
                </tr>
            }
        })
        .collect_view();
    let stale_headings = ["staff-fact-checked", "staff-fact-kind", "staff-fact-what"]
        .map(|h| tr.t(h))
        .to_vec();
    let headings = ["staff-fact-kind", "staff-fact-what"]
        .map(|h| tr.t(h))
        .to_vec();
    let none = stale
        .is_empty()
        .then(|| view! { <p>{tr.t("staff-fact-none-stale")}</p> });
    let frame = Frame::signed(&signed, tr.t("staff-fact-title"), "/staff/facts");
    Ok(layout::page(&site, StatusCode::OK, frame, || {
        view! {
            <h1>{tr.t("staff-fact-title")}</h1>
            <h2>{tr.t("staff-fact-stale-title")}</h2>
            {none}
            <StaffTable headings=stale_headings>{stale_rows}</StaffTable>
            <h2>{tr.t("staff-fact-all-title")}</h2>
            <StaffTable headings=headings>{rows}</StaffTable>
        }
    }))
}

/// `/staff/facts/{entity}/{id}`: the fact form of one row.
pub async fn form(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, StaffError> {
    show(&db, &site, &signed, (&code, &id), &[], StatusCode::OK).await
}

/// The fact form of one row, `(entity, id)`; `errors` are `(field, message id)` of a refused
/// save.
async fn show(
    db: &Db,
    site: &Site,
    signed: &Signed,
    (code, id): (&str, &str),
    errors: &[(&str, &str)],
    status: StatusCode,
) -> Result<Response, StaffError> {
    let Some(entity) = entity(code) else {
        return Ok(crate::web::see_other("/staff/facts"));
    };
    let loaded = {
        let id = id.to_owned();
        db.read(move |c| form_data(c, entity, &id)).await?
    };
    let Some((values, history)) = loaded else {
        return Ok(crate::web::see_other("/staff/facts"));
    };
    let tr = site.tr(signed.user.locale);
    let fields = entity
        .fields
        .iter()
        .zip(values)
        .map(|((field, shape), value)| {
            let error = errors
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, message)| view! { <p class="field-error" id=format!("{field}-error")>{tr.t(message)}</p> });
            let kind = match shape {
                Shape::Date => "date",
                Shape::Url | Shape::OptionalUrl => "url",
                Shape::Phone | Shape::OptionalPhone => "tel",
            };
            let invalid = error.is_some().then_some("true");
            view! {
                <p class="field">
                    <label for=*field>{tr.t(&message("staff-fact-field", field))}</label>
                    <input type=kind id=*field name=*field value=value aria-invalid=invalid/>
                    {error}
                </p>
            }
        })
        .collect_view();
    let hours = (entity.code == "contact").then(|| {
        let href = edit_href(
            Locale::SOURCE,
            Kind::Content,
            &format!("contact.{id}.hours"),
        );
        view! { <p><a href=href>{tr.t("staff-fact-hours")}</a></p> }
    });
    let history_rows = history
        .into_iter()
        .map(|[at, by, field, old, new]| {
            let field = tr.t(&message("staff-fact-field", &field));
            view! { <tr><td>{at}</td><td>{by}</td><td>{field}</td><td>{old}</td><td>{new}</td></tr> }
        })
        .collect_view();
    let history_headings = [
        "staff-tr-when",
        "staff-tr-who",
        "staff-fact-what",
        "staff-tr-old",
        "staff-tr-new",
    ]
    .map(|h| tr.t(h))
    .to_vec();
    let frame = Frame::signed(signed, tr.t("staff-fact-title"), "/staff/facts");
    let action = fact_href(entity.code, id);
    let csrf = signed.csrf.clone();
    let heading = format!(
        "{} · {id}",
        tr.t(&message("staff-fact-entity", entity.code))
    );
    Ok(layout::page(site, status, frame, || {
        view! {
            <p><a href="/staff/facts">{tr.t("staff-fact-back")}</a></p>
            <h1>{heading}</h1>
            <form method="post" action=action class="staff-form">
                <Csrf token=csrf/>
                {fields}
                <button type="submit" class="button">{tr.t("staff-fact-save")}</button>
            </form>
            {hours}
            <h2>{tr.t("staff-tr-history")}</h2>
            <StaffTable headings=history_headings>{history_rows}</StaffTable>
        }
    }))
}

/// A fact form posted: every field checked for its shape, then saved unpublished.
pub async fn submit(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    Path((code, id)): Path<(String, String)>,
    StaffForm(form): StaffForm,
) -> Result<Response, StaffError> {
    let Some(entity) = entity(&code) else {
        return Ok(crate::web::see_other("/staff/facts"));
    };
    let today = db
        .read(|c| c.query_row("SELECT date('now')", [], |r| r.get::<_, String>(0)))
        .await?;
    let mut values = Vec::new();
    let mut errors = Vec::new();
    for (field, shape) in entity.fields {
        match check(
            *shape,
            session::field(&form, field).unwrap_or_default(),
            &today,
        ) {
            Ok(value) => values.push((*field, value)),
            Err(message) => errors.push((*field, message)),
        }
    }
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show(&db, &site, &signed, (&code, &id), &errors, status).await;
    }
    let by = signed.user.username.clone();
    let back = fact_href(entity.code, &id);
    db.write(move |c| {
        let tx = c.transaction()?;
        for (field, value) in values {
            save(&tx, entity, &id, field, value.as_deref(), &by)?;
        }
        tx.commit()
    })
    .await?;
    Ok(crate::web::see_other(&format!("{back}?saved=1")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_refused_unless_they_have_their_shape() {
        let today = "2026-11-23";
        assert_eq!(
            check(Shape::Phone, "+66 99 130 1300", today),
            Ok(Some("+66 99 130 1300".into()))
        );
        assert_eq!(
            check(Shape::Phone, "call 1300", today),
            Err("staff-fact-bad-phone")
        );
        assert_eq!(check(Shape::Phone, " ", today), Err("staff-fact-required"));
        assert_eq!(check(Shape::OptionalPhone, "", today), Ok(None));
        let page = "https://www.ilo.org/resource/other/ilo-indicators-forced-labour";
        assert_eq!(check(Shape::Url, page, today), Ok(Some(page.into())));
        for bad in [
            "https://www.ilo.org/",
            "www.ilo.org",
            "https://ilo",
            "https://ilo .org",
            "javascript:alert(1)",
            "ftp://x.org",
        ] {
            assert_eq!(
                check(Shape::Url, bad, today),
                Err("staff-fact-bad-url"),
                "{bad}"
            );
        }
        assert_eq!(
            check(Shape::Date, "2026-11-23", today),
            Ok(Some("2026-11-23".into()))
        );
        assert_eq!(
            check(Shape::Date, "2026-11-24", today),
            Err("staff-fact-future-date")
        );
        assert_eq!(
            check(Shape::Date, "2026-13-01", today),
            Err("staff-fact-bad-date")
        );
        assert_eq!(
            check(Shape::Date, "23/11/2026", today),
            Err("staff-fact-bad-date")
        );
    }
}
