//! The staff side answers only where a password cannot be read off the air: over HTTPS (our
//! own, or a trusted proxy's), or on this machine itself. Anywhere else, such as a hub serving
//! plain HTTP on an event's Wi-Fi, every `/staff` address answers with a page that says how to
//! serve HTTPS, and no form that would send a password. `--allow-staff-over-http` lifts this
//! for a closed lab network.

use super::layout::{self, Frame};
use crate::serve::edge::Transport;
use crate::site::Site;
use axum::{
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::Response,
};
use leptos::prelude::*;
use std::sync::Arc;

/// The middleware in front of every route: `/staff` paths that arrived over plain HTTP from
/// another machine get [`refusal`]. Requests made in-process carry no [`Transport`].
pub async fn private_only(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let staff = path == "/staff" || path.starts_with("/staff/");
    if staff && Transport::in_clear(&request) && !site.staff_over_http {
        return refusal(&site, &request);
    }
    next.run(request).await
}

fn refusal(site: &Site, request: &Request) -> Response {
    let locale = layout::locale_for(request.headers());
    let tr = site.tr(locale);
    let frame = Frame::anonymous(locale, tr.t("staff-https-title"), "/staff");
    layout::page(site, StatusCode::FORBIDDEN, frame, || {
        view! {
            <h1>{tr.t("staff-https-title")}</h1>
            <p>{tr.t("staff-https-text")}</p>
            <p>{tr.t("staff-https-how")}</p>
        }
    })
}
