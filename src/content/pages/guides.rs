//! `/{lang}/guides` and `/{lang}/guides/{slug}`: the legal ways to go, step by step.

use super::{Citations, index_page};
use crate::content::store::{self, Guide};
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::site::Site;
use crate::site::{Card, Lang, PageMeta, Section, html, not_found, render};
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use leptos::prelude::*;
use std::sync::Arc;

pub async fn list(
    State(site): State<Arc<Site>>,
    State(db): State<Db>,
    Lang(locale): Lang,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let guides = db.read(move |c| store::guides(c, locale)).await?;
    let cards = guides
        .into_iter()
        .map(|g| Card {
            href: format!("/{locale}/guides/{}", g.slug),
            title: g.title,
            text: g.summary,
        })
        .collect();
    Ok(index_page(
        &site,
        locale,
        &headers,
        Section::Guides,
        "guides-intro",
        cards,
    ))
}

pub async fn show(
    State(site): State<Arc<Site>>,
    State(db): State<Db>,
    Lang(locale): Lang,
    Path((_, slug)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some(guide) = db.read(move |c| store::guide(c, locale, &slug)).await? else {
        return Ok(not_found::response(&site, locale));
    };
    let tr = site.tr(locale);
    let meta = PageMeta {
        title: guide.title.clone(),
        description: guide.summary.clone(),
        section: Section::Guides,
        here: format!("/guides/{}", guide.slug),
    };
    let page = render(
        &site,
        locale,
        meta,
        || view! { <GuidePage tr=tr guide=guide/> },
    );
    Ok(html(&headers, StatusCode::OK, locale, page))
}

#[component]
fn GuidePage(tr: Tr, guide: Guide) -> impl IntoView {
    let citations = Citations::new(
        guide
            .sections
            .iter()
            .flat_map(|s| s.points.iter().map(|p| &p.source)),
    );
    let sections = guide
        .sections
        .iter()
        .map(|section| {
            let points = section
                .points
                .iter()
                .map(|point| {
                    let text = match &point.url {
                        Some(url) => view! {
                            <a href=url.clone() rel="noreferrer noopener" target="_blank">{point.text.clone()}</a>
                        }
                        .into_any(),
                        None => point.text.clone().into_any(),
                    };
                    view! { <li>{text} {citations.mark(&tr, &point.source)}</li> }
                })
                .collect_view();
            let id = format!("section-{}", section.kind);
            view! {
                <section class=format!("guide-section guide-{}", section.kind) aria-labelledby=id.clone()>
                    <h2 id=id.clone()>{tr.t(&format!("guide-section-{}", section.kind))}</h2>
                    <ul>{points}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <h1>{guide.title.clone()}</h1>
        <p class="lead">{guide.summary.clone()}</p>
        {sections}
        {citations.footer(&tr)}
    }
}
