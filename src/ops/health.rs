//! The server's own health, as `/healthz` and the staff home page tell it: today, whether
//! help requests can be written (a full disk). Reading keeps working when the disk is full;
//! a request that cannot be stored is answered 503 with Retry-After, and the phone's outbox
//! sends it again. Health comes back by itself with the next write that succeeds.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A full disk is logged at most this often, not once per request.
const LOG_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
pub struct Health {
    full: Mutex<Full>,
    /// Alerts tried and not sent yet, as the alerts' worker last counted them.
    alerts_failing: AtomicU64,
}

#[derive(Debug, Default)]
struct Full {
    since: Option<Instant>,
    logged: Option<Instant>,
    refused: u64,
}

/// Whether SQLite failed for want of space: the disk, or the database's page limit.
pub fn is_disk_full(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::DiskFull
    )
}

impl Health {
    /// A write failed with `error`. When it was for want of space, remembers it and logs it
    /// (at most once a minute, with how many writes failed since); other errors are the
    /// caller's to log. Returns whether the disk is full.
    pub fn write_failed(&self, error: &rusqlite::Error, requests: usize) -> bool {
        if !is_disk_full(error) {
            return false;
        }
        let mut full = self.full.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        full.since.get_or_insert(now);
        full.refused += requests as u64;
        if full
            .logged
            .is_none_or(|at| now.duration_since(at) >= LOG_EVERY)
        {
            tracing::error!(
                refused = full.refused,
                "the disk is full: help requests are answered 503 and phones will send them again; reading goes on. Free some space; the server recovers by itself"
            );
            full.logged = Some(now);
        }
        true
    }

    /// A write succeeded: any full disk is over.
    pub fn write_succeeded(&self) {
        let mut full = self.full.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(since) = full.since.take() {
            tracing::warn!(
                after_secs = since.elapsed().as_secs(),
                refused = full.refused,
                "disk space is back: help requests are stored again"
            );
            *full = Full::default();
        }
    }

    /// How many alerts were tried and not sent, as the alerts' worker counted them.
    pub fn set_alerts_failing(&self, count: u64) {
        self.alerts_failing.store(count, Ordering::Relaxed);
    }

    pub fn alerts_failing(&self) -> u64 {
        self.alerts_failing.load(Ordering::Relaxed)
    }

    /// Whether the last write failed for want of space.
    pub fn disk_full(&self) -> bool {
        self.full
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .since
            .is_some()
    }

    /// What `/healthz` says.
    pub fn summary(&self) -> &'static str {
        if self.disk_full() {
            "degraded: disk full"
        } else {
            "ok"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL), None)
    }

    #[test]
    fn a_full_disk_is_remembered_until_a_write_succeeds_and_other_errors_are_not() {
        let health = Health::default();
        assert_eq!(health.summary(), "ok");
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        assert!(!health.write_failed(&busy, 1));
        assert!(!health.disk_full());
        assert!(health.write_failed(&full(), 3));
        assert!(health.write_failed(&full(), 1));
        assert_eq!(health.summary(), "degraded: disk full");
        health.write_succeeded();
        assert_eq!(health.summary(), "ok");
    }
}
