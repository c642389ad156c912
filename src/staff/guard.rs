//! What stands between a password guesser and the staff accounts, without letting a stranger
//! keep a caseworker out:
//!
//! - [`Throttle`] counts failed sign-ins per account *and* address network together. After
//!   [`FREE_FAILURES`], each further try from that network for that name must wait twice as
//!   long as the one before, up to [`DELAY_MAX`]. The same name from any other network is
//!   not slowed at all, so a stranger's guesses cannot lock a caseworker out.
//! - [`Hasher`] runs password hashing (argon2id, 19 MiB each) on its own few threads, one
//!   per core, with a short queue. A burst of sign-ins waits briefly or is told the server is
//!   busy; it never takes the threads the database uses, and never holds 19 MiB per thread
//!   of an unbounded pool.

use crate::bounded::BoundedMap;
use std::{
    net::IpAddr,
    sync::{Mutex, mpsc},
    time::{Duration, Instant},
};

/// Failed sign-ins from one network for one name before the delays start.
pub const FREE_FAILURES: u32 = 5;
/// The longest delay between two tries.
pub const DELAY_MAX: Duration = Duration::from_secs(15 * 60);
/// (name, network) pairs tracked per generation of the map.
const TRACKED_PER_GENERATION: usize = 10_000;
/// Sign-ins waiting for a hashing thread, at most; beyond these the server is busy.
const QUEUE: usize = 16;

struct Failures {
    count: u32,
    last: Instant,
}

/// Failed sign-ins per account name and address network.
pub struct Throttle {
    failures: Mutex<BoundedMap<(String, IpAddr), Failures>>,
}

impl Default for Throttle {
    fn default() -> Throttle {
        Throttle {
            failures: Mutex::new(BoundedMap::new(TRACKED_PER_GENERATION)),
        }
    }
}

/// How long a network must wait after its `count`th failure for a name.
fn delay_after(count: u32) -> Duration {
    match count.checked_sub(FREE_FAILURES) {
        None | Some(0) => Duration::ZERO,
        Some(over) => Duration::from_secs(1u64 << over.min(20)).min(DELAY_MAX),
    }
}

impl Throttle {
    fn key(name: &str, ip: IpAddr) -> (String, IpAddr) {
        (name.to_owned(), crate::help::limit::network_of(ip))
    }

    /// Whether `name` may be tried from `ip` now: `false` while its delay runs.
    pub fn allows(&self, name: &str, ip: IpAddr, now: Instant) -> bool {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures
            .get(&Self::key(name, ip))
            .is_none_or(|f| now.saturating_duration_since(f.last) >= delay_after(f.count))
    }

    /// Counts a failure; the count for this name and network so far.
    pub fn failed(&self, name: &str, ip: IpAddr, now: Instant) -> u32 {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let entry = failures.entry(Self::key(name, ip), || Failures {
            count: 0,
            last: now,
        });
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
        entry.count
    }

    /// A success from `ip` clears that network's count for `name`.
    pub fn succeeded(&self, name: &str, ip: IpAddr) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.remove(&Self::key(name, ip));
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// Password hashing on a fixed set of threads.
pub struct Hasher {
    jobs: mpsc::SyncSender<Job>,
}

impl Default for Hasher {
    fn default() -> Hasher {
        let threads = std::thread::available_parallelism().map_or(2, usize::from);
        Hasher::new(threads)
    }
}

impl Hasher {
    pub fn new(threads: usize) -> Hasher {
        let (jobs, queue) = mpsc::sync_channel::<Job>(QUEUE);
        let queue = std::sync::Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = std::sync::Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || {
                    loop {
                        let job = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => break,
                        }
                    }
                });
            if let Err(error) = spawned {
                tracing::error!(%error, "starting a password-hashing thread");
            }
        }
        Hasher { jobs }
    }

    /// Queues `work` for a hashing thread; its result will arrive on the receiver. `None`
    /// when the queue is full: the server is busy.
    pub fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<tokio::sync::oneshot::Receiver<T>> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        self.jobs.try_send(job).ok()?;
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strangers_failures_do_not_slow_the_same_name_from_elsewhere() {
        let throttle = Throttle::default();
        let now = Instant::now();
        let stranger: IpAddr = "203.0.113.9".parse().expect("ip");
        let office: IpAddr = "198.51.100.20".parse().expect("ip");
        for _ in 0..50 {
            throttle.failed("mai", stranger, now);
        }
        assert!(!throttle.allows("mai", stranger, now));
        assert!(throttle.allows("mai", office, now));
        assert!(throttle.allows("lan", stranger, now));
    }

    #[test]
    fn delays_start_after_the_free_failures_and_double_up_to_the_cap() {
        let throttle = Throttle::default();
        let start = Instant::now();
        let ip: IpAddr = "203.0.113.9".parse().expect("ip");
        for _ in 0..FREE_FAILURES {
            throttle.failed("mai", ip, start);
            assert!(throttle.allows("mai", ip, start));
        }
        throttle.failed("mai", ip, start);
        assert!(!throttle.allows("mai", ip, start));
        assert!(throttle.allows("mai", ip, start + Duration::from_secs(2)));
        assert_eq!(delay_after(FREE_FAILURES + 3), Duration::from_secs(8));
        assert_eq!(delay_after(FREE_FAILURES + 40), DELAY_MAX);
        throttle.succeeded("mai", ip);
        assert!(throttle.allows("mai", ip, start));
    }

    #[tokio::test]
    async fn hashing_runs_on_its_threads_and_a_full_queue_is_busy() {
        let hasher = Hasher::new(1);
        assert_eq!(hasher.run(|| 6 * 7).expect("queued").await, Ok(42));
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let blocked = hasher.run(move || wait.recv().is_ok()).expect("queued");
        // The one thread is busy with `blocked` or about to be; fill the queue behind it.
        let mut queued = Vec::new();
        let mut refused = false;
        for _ in 0..=QUEUE + 1 {
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            match hasher.jobs.try_send(Box::new(move || drop(tx))) {
                Ok(()) => queued.push(rx),
                Err(_) => refused = true,
            }
        }
        assert!(refused, "a queue of {QUEUE} must refuse more");
        assert!(hasher.run(|| 1).is_none());
        let _ = release.send(());
        assert_eq!(blocked.await, Ok(true));
        for rx in queued {
            assert!(rx.await.is_err(), "every queued job ran");
        }
    }
}
