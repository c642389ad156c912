//! The caseworker dashboard: the list of help requests with filters and a weekly chart, one
//! request with its notes, status, assignment and history, and the audit log. Every view and
//! change of a request is written to the audit log. What the filters and changes are lives
//! here; the SQL in [`store`], the handlers in [`pages`], the markup in [`views`].

pub mod pages;
pub mod store;
pub mod views;

use super::session;
use crate::help::{COUNTRIES, KINDS};
use crate::i18n::Locale;

pub const STATUSES: [&str; 5] = ["new", "contacted", "in-progress", "referred", "closed"];
/// Kinds of help where someone may be in danger now: unanswered, they come first.
pub const URGENT_KINDS: [&str; 3] = ["in-trouble-abroad", "passport-held", "want-to-go-home"];
pub const AGES: [&str; 4] = ["1", "7", "30", "older"];
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
