//! A caseworker's note that met an ended session: it is carried through the sign-in form
//! and then held here, in memory only and for one page view, so that the request's page
//! opens with the note back in its form. Nothing of it is written to disk.

use std::sync::Mutex;

/// At most this many notes wait to be shown again; past it, the oldest sign-ins lose theirs.
const HELD_MAX: usize = 64;

/// Notes waiting for their page, by the session that signed in to save them.
#[derive(Default)]
pub struct Drafts(Mutex<Vec<(String, Draft)>>);

/// Words typed on one staff page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The page they go back to.
    pub page: String,
    pub text: String,
}

impl Drafts {
    /// Holds `draft` for the session whose key is `session` (its token's digest).
    pub fn hold(&self, session: &str, draft: Draft) {
        let Ok(mut held) = self.0.lock() else {
            return;
        };
        held.retain(|(key, _)| key != session);
        if held.len() >= HELD_MAX {
            held.remove(0);
        }
        held.push((session.to_owned(), draft));
    }

    /// The note `session` holds for `page`, taken: it is shown once.
    pub fn take(&self, session: &str, page: &str) -> Option<String> {
        let mut held = self.0.lock().ok()?;
        let at = held
            .iter()
            .position(|(key, draft)| key == session && draft.page == page)?;
        Some(held.remove(at).1.text)
    }
}

impl std::fmt::Debug for Drafts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Drafts")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(page: &str, text: &str) -> Draft {
        Draft {
            page: page.into(),
            text: text.into(),
        }
    }

    #[test]
    fn a_note_is_given_once_to_its_session_on_its_page() {
        let drafts = Drafts::default();
        drafts.hold("s1", draft("/staff/requests/K7-4XN", "called back"));
        assert_eq!(drafts.take("s2", "/staff/requests/K7-4XN"), None);
        assert_eq!(drafts.take("s1", "/staff/requests/AC-EFH"), None);
        assert_eq!(
            drafts.take("s1", "/staff/requests/K7-4XN").as_deref(),
            Some("called back")
        );
        assert_eq!(drafts.take("s1", "/staff/requests/K7-4XN"), None);
    }

    #[test]
    fn the_oldest_note_goes_when_too_many_wait() {
        let drafts = Drafts::default();
        for n in 0..=HELD_MAX {
            drafts.hold(&format!("s{n}"), draft("/staff/requests/A", "x"));
        }
        assert_eq!(drafts.take("s0", "/staff/requests/A"), None);
        assert!(
            drafts
                .take(&format!("s{HELD_MAX}"), "/staff/requests/A")
                .is_some()
        );
    }
}
