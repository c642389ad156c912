//! `/staff/recordings/{locale}`: which texts can be heard in a language and which are still
//! missing, most important first; and, for one text, "Record" (the browser's microphone,
//! `record.js`) and "Upload". A clip is checked by its bytes (`crate::audio::container`)
//! and saved unpublished; "Publish" makes it what phones play.

use super::files::fields;
use crate::audio::{self, container::Refusal, store, wanted};
use crate::db::Db;
use crate::i18n::{Locale, Tr};
use crate::site::Site;
use crate::staff::layout::{self, Csrf, Frame, StaffError, StaffTable};
use crate::staff::session::{self, Signed};
use axum::{
    extract::{Multipart, Path, RawQuery, State, multipart::MultipartRejection},
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::Response,
};
use leptos::prelude::*;
use std::sync::Arc;

/// The largest upload the recording form takes: a clip's limit and room for the form.
pub const UPLOAD_MAX_BYTES: usize = audio::container::MAX_BYTES + 64 * 1024;

fn list_href(locale: Locale) -> String {
    format!("/staff/recordings/{locale}")
}

fn text_href(locale: Locale, id: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("id", id)
        .finish();
    format!("/staff/recordings/{locale}/text?{query}")
}

/// What a status cell says about one text's recording.
fn status(tr: &Tr, wanted: &wanted::Wanted) -> String {
    let id = match (&wanted.pending, &wanted.published) {
        (Some(Some(_)), _) => "staff-rec-state-saved",
        (Some(None), _) => "staff-rec-state-removed",
        (None, Some(_)) => "staff-rec-state-published",
        (None, None) => "staff-rec-state-missing",
    };
    tr.t(id)
}

/// `GET /staff/recordings/{locale}`.
pub async fn list(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    Path(code): Path<String>,
) -> Result<Response, StaffError> {
    let Some(locale) = Locale::from_code(&code) else {
        return Ok(crate::web::see_other("/staff/translations"));
    };
    let texts = db.read(move |c| wanted::list(c, locale)).await?;
    let tr = site.tr(signed.user.locale);
    let recorded = texts.iter().filter(|w| w.recorded()).count();
    let summary = tr.t_with(
        "staff-rec-count",
        [("recorded", recorded.into()), ("total", texts.len().into())],
    );
    let rows = texts
        .iter()
        .map(|w| {
            let class = (!w.recorded()).then_some("missing");
            view! {
                <tr class=class>
                    <td lang=locale.code()>{w.text.clone()}</td>
                    <td>{status(&tr, w)}</td>
                    <td><a href=text_href(locale, &w.id)>{tr.t("staff-rec-open")}</a></td>
                </tr>
            }
        })
        .collect_view();
    let headings = ["staff-rec-text", "staff-tr-state", "staff-glossary-action"]
        .map(|h| tr.t(h))
        .to_vec();
    let voices = (!locale.has_phone_voices())
        .then(|| view! { <p class="notice">{tr.t("staff-rec-no-voice")}</p> });
    let language = tr.in_locale(locale).t("language-name");
    let others = Locale::ALL
        .into_iter()
        .map(|l| {
            let current = (l == locale).then_some("page");
            view! {
                <li><a href=list_href(l) aria-current=current lang=l.code()>{tr.in_locale(l).t("language-name")}</a></li>
            }
        })
        .collect_view();
    let frame = Frame::signed(&signed, tr.t("staff-rec-title"), &list_href(locale));
    Ok(layout::page(&site, StatusCode::OK, frame, || {
        view! {
            <h1>{tr.t("staff-rec-title")} " · " <span lang=locale.code()>{language}</span></h1>
            <ul class="inline-list">{others}</ul>
            <p>{tr.t("staff-rec-intro")}</p>
            {voices}
            <p role="status">{summary}</p>
            <StaffTable headings=headings>{rows}</StaffTable>
        }
    }))
}

/// What the text's page says after a post.
enum Outcome {
    None,
    Saved,
    Removed,
    Refused(Refusal),
    NoFile,
}

/// `GET /staff/recordings/{locale}/text?id=…`.
pub async fn text(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, StaffError> {
    let form = session::parse_form(query.unwrap_or_default().as_bytes());
    let outcome = match session::field(&form, "done") {
        Some("saved") => Outcome::Saved,
        Some("removed") => Outcome::Removed,
        _ => Outcome::None,
    };
    let id = session::field(&form, "id").unwrap_or_default().to_owned();
    text_page(&db, &site, &signed, &code, id, outcome, StatusCode::OK).await
}

async fn text_page(
    db: &Db,
    site: &Site,
    signed: &Signed,
    code: &str,
    id: String,
    outcome: Outcome,
    status_code: StatusCode,
) -> Result<Response, StaffError> {
    let Some(locale) = Locale::from_code(code) else {
        return Ok(crate::web::see_other("/staff/translations"));
    };
    let found = {
        let id = id.clone();
        db.read(move |c| {
            let found = wanted::list(c, locale)?.into_iter().find(|w| w.id == id);
            let history = store::history(c, &id, locale)?;
            Ok(found.map(|w| (w, history)))
        })
        .await?
    };
    let Some((wanted, history)) = found else {
        return Ok(crate::web::see_other(&list_href(locale)));
    };
    let tr = site.tr(signed.user.locale);
    let current = match &wanted.pending {
        Some(pending) => pending.clone(),
        None => wanted.published.clone(),
    };
    let player = current.clone().map(|sha| {
        view! { <p><audio controls preload="none" src=format!("/staff/audio/{sha}")></audio></p> }
    });
    let message = match outcome {
        Outcome::None => None,
        Outcome::Saved => Some(("status", tr.t("staff-rec-saved"))),
        Outcome::Removed => Some(("status", tr.t("staff-rec-removed"))),
        Outcome::NoFile => Some(("alert", tr.t("staff-audio-no-file"))),
        Outcome::Refused(refusal) => Some(("alert", refused(&tr, refusal))),
    }
    .map(|(role, text)| view! { <p role=role class=format!("outcome outcome-{role}")>{text}</p> });
    let action = format!("/staff/recordings/{locale}/text");
    let language = tr.in_locale(locale).t("language-name");
    let rows = history
        .into_iter()
        .map(|entry| {
            let clip = entry.sha256.map(|sha| {
                view! { <audio controls preload="none" src=format!("/staff/audio/{sha}")></audio> }
            });
            view! {
                <tr>
                    <td>{entry.at}</td>
                    <td>{entry.by}</td>
                    <td>{tr.t(&format!("staff-rec-action-{}", entry.action))}</td>
                    <td>{clip}</td>
                </tr>
            }
        })
        .collect_view();
    let headings = [
        "staff-rec-when",
        "staff-tr-who",
        "staff-rec-action",
        "staff-rec-clip",
    ]
    .map(|h| tr.t(h))
    .to_vec();
    let csrf = signed.csrf.clone();
    let remove = current.is_some().then(|| {
        view! {
            <form method="post" action=action.clone() enctype="multipart/form-data">
                <Csrf token=csrf.clone()/>
                <input type="hidden" name="id" value=wanted.id.clone()/>
                <button type="submit" name="action" value="remove" class="button button-secondary">{tr.t("staff-rec-remove")}</button>
            </form>
        }
    });
    let frame = Frame::signed(signed, wanted.id.clone(), &list_href(locale))
        .with_script(site.assets.built.record.clone());
    let mut response = layout::page(site, status_code, frame, || {
        view! {
            <p><a href=list_href(locale)>{tr.t("staff-rec-back")}</a></p>
            <h1><code>{wanted.id.clone()}</code> " · " <span lang=locale.code()>{language}</span></h1>
            <blockquote class="to-read" lang=locale.code()>{wanted.text.clone()}</blockquote>
            <p>{status(&tr, &wanted)}</p>
            {player}
            {message}
            <section class="recorder" hidden
                data-recording=tr.t("staff-rec-recording")
                data-no-microphone=tr.t("staff-rec-no-microphone")
                data-ready=tr.t("staff-rec-ready")>
                <h2>{tr.t("staff-rec-record-title")}</h2>
                <p>
                    <button type="button" class="button" data-record>{tr.t("staff-rec-record")}</button>
                    " "
                    <button type="button" class="button" data-stop hidden>{tr.t("staff-rec-stop")}</button>
                </p>
                <p><audio controls data-take hidden></audio></p>
                <p role="status" data-state></p>
            </section>
            <form method="post" action=action enctype="multipart/form-data" class="recording-form">
                <Csrf token=csrf.clone()/>
                <input type="hidden" name="id" value=wanted.id.clone()/>
                <p>
                    <label for="clip">{tr.t("staff-rec-upload")}</label>
                    <input type="file" id="clip" name="file" accept="audio/ogg,audio/webm,audio/opus,.ogg,.opus,.webm"/>
                </p>
                <p class="hint">{tr.t("staff-rec-upload-hint")}</p>
                <button type="submit" name="action" value="save" class="button">{tr.t("staff-rec-save")}</button>
            </form>
            {remove}
            <section aria-labelledby="well-title">
                <h2 id="well-title">{tr.t("staff-rec-well-title")}</h2>
                <p>{tr.t("staff-rec-well")}</p>
            </section>
            <h2>{tr.t("staff-tr-history")}</h2>
            <StaffTable headings=headings>{rows}</StaffTable>
        }
    });
    response.headers_mut().insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(crate::site::security::RECORDING_PERMISSIONS),
    );
    Ok(response)
}

/// A refused clip's reason, for the editor: what was wrong, and what to do.
fn refused(tr: &Tr, refusal: Refusal) -> String {
    tr.t_with(
        refusal.message(),
        [
            ("seconds", (audio::container::MAX_SECONDS as i64).into()),
            ("kb", ((audio::container::MAX_BYTES / 1024) as i64).into()),
        ],
    )
}

/// `POST /staff/recordings/{locale}/text`: a recorded or uploaded clip to save, or the
/// removal of the recording. A refused clip saves nothing and says why.
pub async fn submit(
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
    let Ok(multipart) = multipart else {
        return text_page(
            &db,
            &site,
            &signed,
            &code,
            String::new(),
            Outcome::NoFile,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let (form, file) = fields(multipart).await;
    if !signed.form_is_genuine(&headers, &form) {
        return Ok(layout::not_genuine(&site, signed.user.locale));
    }
    let id = session::field(&form, "id").unwrap_or_default().to_owned();
    let by = signed.user.username.clone();
    let remove = session::field(&form, "action") == Some("remove");
    let file = file.filter(|bytes| !bytes.is_empty());
    let outcome = {
        let id = id.clone();
        db.write(move |c| {
            if crate::content::texts::from_central(c)? || !wanted::can_record(c, &id)? {
                return Ok(None);
            }
            if remove {
                store::remove(c, &id, locale, &by)?;
                return Ok(Some(Outcome::Removed));
            }
            let Some(bytes) = file else {
                return Ok(Some(Outcome::NoFile));
            };
            Ok(Some(match store::save(c, &id, locale, &bytes, &by)? {
                Ok(_) => Outcome::Saved,
                Err(refusal) => Outcome::Refused(refusal),
            }))
        })
        .await?
    };
    match outcome {
        None => Ok(crate::web::see_other(&list_href(locale))),
        Some(Outcome::Saved) => Ok(crate::web::see_other(&format!(
            "{}&done=saved",
            text_href(locale, &id)
        ))),
        Some(Outcome::Removed) => Ok(crate::web::see_other(&format!(
            "{}&done=removed",
            text_href(locale, &id)
        ))),
        Some(outcome) => {
            text_page(
                &db,
                &site,
                &signed,
                &code,
                id,
                outcome,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
