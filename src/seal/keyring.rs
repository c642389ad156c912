//! The organisation's private key as each signed-in session holds it: in this process's
//! memory only, under the session's token digest, for as long as the session lives. It is
//! dropped, and its memory zeroed, at sign-out, when the session expires, and when the
//! session is ended anywhere else (a disabled account, a new password).

use super::OpenKey;
use crate::staff::session::{IDLE_MINUTES, MAX_HOURS};
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant},
};

/// What a staff session can do with what is sealed.
#[derive(Clone, Debug)]
pub enum Reader {
    /// It holds the organisation's key.
    Opens(Arc<OpenKey>),
    /// It cannot open anything, for this reason.
    Locked(Locked),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locked {
    /// The account has not been given access.
    NoGrant,
    /// The account has access, but this session does not hold the key: the server restarted
    /// since it signed in. Signing in again unwraps it.
    SignInAgain,
    /// The blob did not open with the organisation's key: it was changed, or sealed to
    /// another key.
    Unopened,
}

impl Reader {
    /// The key, or why there is none.
    pub fn key(&self) -> Result<&OpenKey, Locked> {
        match self {
            Reader::Opens(key) => Ok(key),
            Reader::Locked(why) => Err(*why),
        }
    }
}

struct Held {
    key: Arc<OpenKey>,
    started: Instant,
    seen: Instant,
}

#[derive(Default)]
pub struct Keyring {
    held: Mutex<HashMap<String, Held>>,
}

const IDLE: Duration = Duration::from_secs(IDLE_MINUTES as u64 * 60);
const MAX: Duration = Duration::from_secs(MAX_HOURS as u64 * 3600);

impl Keyring {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Held>> {
        self.held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Gives the session `session` the key.
    pub fn hold(&self, session: &str, key: OpenKey) {
        let now = Instant::now();
        self.lock().insert(
            session.to_owned(),
            Held {
                key: Arc::new(key),
                started: now,
                seen: now,
            },
        );
    }

    /// The key the session holds, if it holds one and is still live.
    pub fn get(&self, session: &str) -> Option<Arc<OpenKey>> {
        let now = Instant::now();
        let mut held = self.lock();
        let live = held.get(session).is_some_and(|h| live(h, now));
        if !live {
            held.remove(session);
            return None;
        }
        let entry = held.get_mut(session)?;
        entry.seen = now;
        Some(entry.key.clone())
    }

    /// Drops the session's key.
    pub fn drop_session(&self, session: &str) {
        self.lock().remove(session);
    }

    /// Drops every key whose session has expired or is not among `sessions`; returns how
    /// many are still held.
    pub fn keep_only(&self, sessions: &HashSet<String>) -> usize {
        let now = Instant::now();
        let mut held = self.lock();
        held.retain(|session, h| live(h, now) && sessions.contains(session));
        held.len()
    }
}

/// Every minute, drops the keys of sessions that have ended: expired, signed out elsewhere,
/// or ended by another process (`passport staff disable` or `passwd`).
pub fn spawn_sweep(db: crate::db::Db, keyring: Arc<Keyring>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        loop {
            every.tick().await;
            match db.read(crate::staff::session::live).await {
                Ok(live) => {
                    keyring.keep_only(&live);
                }
                Err(error) => tracing::error!(%error, "listing the live staff sessions"),
            }
        }
    });
}

fn live(held: &Held, now: Instant) -> bool {
    now.duration_since(held.started) < MAX && now.duration_since(held.seen) < IDLE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_held_per_session_until_it_is_dropped_or_its_session_goes() {
        let ring = Keyring::default();
        let (key, public) = OpenKey::generate().expect("random");
        ring.hold("one", key);
        assert_eq!(ring.get("one").map(|k| k.public()), Some(public));
        assert!(ring.get("two").is_none());
        ring.drop_session("one");
        assert!(ring.get("one").is_none());
        let (key, _) = OpenKey::generate().expect("random");
        ring.hold("three", key);
        let (key, _) = OpenKey::generate().expect("random");
        ring.hold("four", key);
        assert_eq!(ring.keep_only(&HashSet::from(["four".to_owned()])), 1);
        assert!(ring.get("three").is_none());
        assert!(ring.get("four").is_some());
    }
}
