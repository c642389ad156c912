//! `/staff/glossary/{locale}`: the glossary as editors change it, one term per row, its
//! approved translation in this language and the other spellings the consistency report
//! should count. The English terms and notes come with the release (`content/glossary.toml`).

use super::glossary::{self, Approved};
use crate::db::Db;
use crate::i18n::Locale;
use crate::site::Site;
use crate::staff::layout::{self, Csrf, Frame, StaffError, StaffForm, StaffTable};
use crate::staff::session::{self, Signed};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;
use std::sync::Arc;

/// `GET /staff/glossary/{locale}`.
pub async fn list(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    Path(code): Path<String>,
) -> Result<Response, StaffError> {
    let Some(locale) = Locale::from_code(&code).filter(|l| *l != Locale::SOURCE) else {
        return Ok(crate::web::see_other("/staff/translations"));
    };
    let terms = db.read(glossary::load).await?;
    let tr = site.tr(signed.user.locale);
    let language = tr.in_locale(locale).t("language-name");
    let rows = terms
        .into_iter()
        .map(|t| {
            let approved = t.approved(locale).cloned().unwrap_or(Approved {
                value: String::new(),
                variants: Vec::new(),
            });
            let form = format!("term-{}", t.id);
            view! {
                <tr>
                    <td lang="en">{t.english.clone()} <br/><small>{t.note.clone()}</small></td>
                    <td>
                        <input form=form.clone() name="value" lang=locale.code() value=approved.value aria-label=tr.t("staff-glossary-approved")/>
                    </td>
                    <td>
                        <textarea form=form.clone() name="variants" rows="2" lang=locale.code() aria-label=tr.t("staff-glossary-variants")>{approved.variants.join("\n")}</textarea>
                    </td>
                    <td>
                        <form id=form method="post" action=format!("/staff/glossary/{locale}")>
                            <Csrf token=signed.csrf.clone()/>
                            <input type="hidden" name="term" value=t.id.clone()/>
                            <button type="submit" class="button">{tr.t("staff-glossary-save")}</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let headings = [
        "staff-tr-english",
        "staff-glossary-approved",
        "staff-glossary-variants",
        "staff-glossary-action",
    ]
    .map(|h| tr.t(h))
    .to_vec();
    let frame = Frame::signed(
        &signed,
        tr.t("staff-tr-glossary"),
        &format!("/staff/glossary/{locale}"),
    );
    Ok(layout::page(&site, StatusCode::OK, frame, || {
        view! {
            <h1>{tr.t("staff-tr-glossary")} " · " <span lang=locale.code()>{language}</span></h1>
            <p>{tr.t("staff-glossary-intro")}</p>
            <StaffTable headings=headings>{rows}</StaffTable>
        }
    }))
}

/// `POST /staff/glossary/{locale}`: one term's approved translation and variants.
pub async fn save(
    State(db): State<Db>,
    signed: Signed,
    Path(code): Path<String>,
    StaffForm(form): StaffForm,
) -> Result<Response, StaffError> {
    let back = format!("/staff/glossary/{code}");
    let (Some(locale), Some(term), Some(value)) = (
        Locale::from_code(&code).filter(|l| *l != Locale::SOURCE),
        session::field(&form, "term").map(str::to_owned),
        session::field(&form, "value").map(|v| v.trim().to_owned()),
    ) else {
        return Ok(crate::web::see_other(&back));
    };
    if value.is_empty() {
        return Ok(crate::web::see_other(&back));
    }
    let variants = session::field(&form, "variants")
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|v| !v.is_empty() && *v != value)
        .map(str::to_owned)
        .collect();
    let approved = Approved { value, variants };
    let by = signed.user.username.clone();
    db.write(move |c| glossary::save(c, &term, locale, &approved, &by))
        .await?;
    Ok(crate::web::see_other(&back))
}
