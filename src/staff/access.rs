//! Who may use which staff route. A route table (the staff side's and the editor's) says it
//! once per route, and the router is built from that table: every route checks the session
//! and the role before its handler runs, so no handler checks them itself.

use super::accounts::Role;
use super::layout;
use super::login;
use super::session::{self, Signed};
use crate::state::AppState;
use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, FromRequestParts, Request, State},
    http::{Method, request::Parts},
    response::Response,
    routing::{MethodFilter, MethodRouter, on},
};
use std::{future::Future, pin::Pin};

/// Who may use a staff route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The sign-in page itself.
    Anyone,
    /// Any signed-in account.
    Signed,
    /// Caseworkers and admins: the routes that show help requests.
    Requests,
    /// Editors and admins: the content and its translations.
    Content,
    /// Admins only.
    Admin,
}

impl Access {
    /// Whether a signed-in account with `role` may use a route with this access.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Anyone | Access::Signed => true,
            Access::Requests => role.handles_requests(),
            Access::Content => role.edits_content(),
            Access::Admin => role == Role::Admin,
        }
    }
}

/// A handler with its extractors behind it: the request and the state in, the answer out.
/// A route table writes each as `endpoint!(handler)`.
pub type Endpoint = fn(Request, AppState) -> Pin<Box<dyn Future<Output = Response> + Send>>;

/// The [`Endpoint`] of an axum handler.
macro_rules! endpoint {
    ($handler:path) => {
        |request, state| axum::handler::Handler::call($handler, request, state)
    };
}
pub(crate) use endpoint;

/// One staff route: its method and path (with `{…}` for a segment and `{*…}` for the rest),
/// who may use it, and its handler.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    /// The largest body the route takes, for an upload bigger than the app's usual limit.
    pub upload: Option<usize>,
    handler: Endpoint,
}

impl Route {
    pub const fn get(path: &'static str, access: Access, handler: Endpoint) -> Route {
        Route {
            method: Method::GET,
            path,
            access,
            upload: None,
            handler,
        }
    }

    pub const fn post(path: &'static str, access: Access, handler: Endpoint) -> Route {
        Route {
            method: Method::POST,
            path,
            access,
            upload: None,
            handler,
        }
    }

    /// A post of an upload up to `max_bytes`: it is served by [`uploads`].
    pub const fn upload(
        path: &'static str,
        access: Access,
        max_bytes: usize,
        handler: Endpoint,
    ) -> Route {
        Route {
            method: Method::POST,
            path,
            access,
            upload: Some(max_bytes),
            handler,
        }
    }

    fn method_router(&'static self) -> MethodRouter<AppState> {
        let filter = if self.method == Method::POST {
            MethodFilter::POST
        } else {
            MethodFilter::GET
        };
        let checked = move |State(app): State<AppState>, request: Request| async move {
            match admit(self.access, &app, request).await {
                Ok((request, None)) => (self.handler)(request, app).await,
                Ok((request, Some(signed))) => {
                    let site = app.site.clone();
                    let response = (self.handler)(request, app).await;
                    layout::explain(response, &site, &signed)
                }
                Err(refused) => refused,
            }
        };
        let router = on(filter, checked);
        match self.upload {
            Some(max_bytes) => router.layer(DefaultBodyLimit::max(max_bytes)),
            None => router,
        }
    }
}

/// The routes of `table` that take the app's usual bodies.
pub fn router(table: &'static [Route]) -> Router<AppState> {
    build(table.iter().filter(|route| route.upload.is_none()))
}

/// The routes of `table` that take uploads: the app adds them outside its usual body limit.
pub fn uploads(table: &'static [Route]) -> Router<AppState> {
    build(table.iter().filter(|route| route.upload.is_some()))
}

fn build(routes: impl Iterator<Item = &'static Route>) -> Router<AppState> {
    routes.fold(Router::new(), |router, route| {
        router.route(route.path, route.method_router())
    })
}

/// The request, with the person signed in on it, if `access` lets them through; else the
/// answer: the sign-in page for no session, the forbidden page for the wrong role.
async fn admit(
    access: Access,
    app: &AppState,
    request: Request,
) -> Result<(Request, Option<Signed>), Response> {
    if access == Access::Anyone {
        return Ok((request, None));
    }
    let (mut parts, body) = request.into_parts();
    let signed = match Signed::from_request_parts(&mut parts, app).await {
        Ok(signed) => signed,
        Err(to_sign_in) => return Err(carry_note(app, parts, body, to_sign_in).await),
    };
    if !access.allows(signed.user.role) {
        return Err(layout::forbidden(&app.site, &signed));
    }
    parts.extensions.insert(signed.clone());
    Ok((Request::from_parts(parts, body), Some(signed)))
}

/// A request's page posted without a live session: when it holds a caseworker's note, the
/// sign-in form carries the note back to the page (see [`login::expired`]); anything else
/// goes to sign in as `to_sign_in` says.
async fn carry_note(app: &AppState, parts: Parts, body: Body, to_sign_in: Response) -> Response {
    let page = parts.uri.path();
    if parts.method != Method::POST || !page.starts_with("/staff/requests/") {
        return to_sign_in;
    }
    let Ok(body) = axum::body::to_bytes(body, crate::web::BODY_MAX).await else {
        return to_sign_in;
    };
    let form = session::parse_form(&body);
    match session::field(&form, "note").map(str::trim) {
        Some(note) if !note.is_empty() => login::expired(&app.site, &parts.headers, page, note),
        _ => to_sign_in,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_access_lets_in_exactly_the_roles_it_names() {
        let allowed = |access: Access| {
            Role::ALL
                .into_iter()
                .filter(|role| access.allows(*role))
                .collect::<Vec<_>>()
        };
        assert_eq!(allowed(Access::Signed), Role::ALL);
        assert_eq!(allowed(Access::Requests), [Role::Caseworker, Role::Admin]);
        assert_eq!(allowed(Access::Content), [Role::Editor, Role::Admin]);
        assert_eq!(allowed(Access::Admin), [Role::Admin]);
    }
}
