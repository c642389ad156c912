//! `/staff/preview/{lang}/…`: any public page as it will look once the saved changes are
//! published. The page is rendered by the public router itself, with the unpublished UI
//! edits in its messages and a database handle whose TEMP views lay the unpublished texts
//! and facts over the published ones. Nothing here writes; nothing is cached.

use crate::app::InProcess;
use crate::content::texts::ui_edits;
use crate::i18n::{Catalog, Locale};
use crate::staff::layout::StaffError;
use crate::staff::session::Signed;
use crate::state::AppState;
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

/// Views that show each saved change (texts and facts) in place of the published row, for
/// one connection.
pub const VIEWS: &str = "
CREATE TEMP VIEW content_text AS
    SELECT message_id, locale, value, status, edited_at, edited_by, source_hash
    FROM main.content_text t
    WHERE NOT EXISTS (SELECT 1 FROM main.pending_text p
                      WHERE p.kind = 'content' AND p.message_id = t.message_id
                        AND p.locale = t.locale)
    UNION ALL
    SELECT message_id, locale, value, status, edited_at, edited_by, source_hash
    FROM main.pending_text WHERE kind = 'content' AND trim(value) <> '';
CREATE TEMP VIEW contact AS
    SELECT id, country_code, position,
        coalesce((SELECT value FROM main.pending_fact f
                  WHERE f.entity = 'contact' AND f.id = c.id AND f.field = 'phone'), phone) AS phone,
        CASE WHEN EXISTS (SELECT 1 FROM main.pending_fact f WHERE f.entity = 'contact'
                          AND f.id = c.id AND f.field = 'phone_abroad')
             THEN (SELECT value FROM main.pending_fact f WHERE f.entity = 'contact'
                   AND f.id = c.id AND f.field = 'phone_abroad')
             ELSE phone_abroad END AS phone_abroad,
        advice, recheck, source_id,
        coalesce((SELECT value FROM main.pending_fact f WHERE f.entity = 'contact'
                  AND f.id = c.id AND f.field = 'checked_on'), checked_on) AS checked_on,
        edited_at
    FROM main.contact c;
CREATE TEMP VIEW source AS
    SELECT id, name,
        coalesce((SELECT value FROM main.pending_fact f
                  WHERE f.entity = 'source' AND f.id = s.id AND f.field = 'url'), url) AS url,
        edited_at
    FROM main.source s;
CREATE TEMP VIEW checklist_item AS
    SELECT checklist_slug, id, position, severity, source_id,
        coalesce((SELECT value FROM main.pending_fact f WHERE f.entity = 'checklist_item'
                  AND f.id = i.checklist_slug || '/' || i.id AND f.field = 'checked_on'),
                 checked_on) AS checked_on,
        edited_at
    FROM main.checklist_item i;
CREATE TEMP VIEW guide_point AS
    SELECT guide_slug, id, section, position,
        CASE WHEN EXISTS (SELECT 1 FROM main.pending_fact f WHERE f.entity = 'guide_point'
                          AND f.id = p.guide_slug || '/' || p.id AND f.field = 'url')
             THEN (SELECT value FROM main.pending_fact f WHERE f.entity = 'guide_point'
                   AND f.id = p.guide_slug || '/' || p.id AND f.field = 'url')
             ELSE url END AS url,
        source_id,
        coalesce((SELECT value FROM main.pending_fact f WHERE f.entity = 'guide_point'
                  AND f.id = p.guide_slug || '/' || p.id AND f.field = 'checked_on'),
                 checked_on) AS checked_on,
        edited_at
    FROM main.guide_point p;
CREATE TEMP VIEW guide AS
    SELECT slug, position, country, for_country, kind, source_id,
        coalesce((SELECT value FROM main.pending_fact f WHERE f.entity = 'guide'
                  AND f.id = g.slug AND f.field = 'checked_on'), checked_on) AS checked_on,
        edited_at
    FROM main.guide g;
";

/// The whole app's state: the preview renders the public app itself, over other texts.
pub async fn page(
    State(app): State<AppState>,
    signed: Signed,
    Path(path): Path<String>,
) -> Result<Response, StaffError> {
    let edits = app.db.read(|c| ui_edits(c, true)).await?;
    let db = app.db.read_only_with(VIEWS)?;
    let page = InProcess::new(app.preview(db, Catalog::with_edits(edits)))
        .render_path(&format!("/{path}"), &HeaderMap::new())
        .await;
    // Only pages are previewed: the manifest's JSON, say, would otherwise become an HTML
    // page of the staff origin, with editors' text in it.
    let is_page = page
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/html"));
    if !is_page {
        return Err(StaffError::PageMissing);
    }
    let status = page.status;
    let html = String::from_utf8_lossy(&page.body);
    let tr = app.site.tr(signed.user.locale);
    let banner = format!(
        "<p class=\"preview-banner\" role=\"status\">{}</p>",
        tr.t("staff-preview-banner")
            .replace('&', "&amp;")
            .replace('<', "&lt;")
    );
    let mut html = Locale::ALL
        .into_iter()
        .fold(html.into_owned(), |html, locale| {
            html.replace(
                &format!("href=\"/{locale}/"),
                &format!("href=\"/staff/preview/{locale}/"),
            )
        });
    if let Some(at) = html.find("<main") {
        html.insert_str(at, &banner);
    }
    let mut response = (
        if status.is_success() {
            StatusCode::OK
        } else {
            status
        },
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response();
    crate::web::no_store(&mut response);
    Ok(response)
}
