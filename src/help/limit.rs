//! Per-address rate limiting for sending help requests: a token bucket per IPv4 address or
//! IPv6 /64 network.
//!
//! The numbers are chosen so that a whole village behind one shared address is not blocked
//! too quickly: a burst of [`BURST`] requests, then one more every [`REFILL`] (two a minute).
//! An outreach event where 20 people send a request at once still gets through, and 120 more
//! can follow within the hour; a script hammering the endpoint gets a 429 after the burst.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

pub const BURST: u32 = 20;
pub const REFILL: Duration = Duration::from_secs(30);
/// Above this many tracked addresses, the full (idle) buckets are forgotten.
const TRACKED_MAX: usize = 10_000;

pub struct RateLimiter {
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
    burst: f64,
    refill: Duration,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl Default for RateLimiter {
    fn default() -> RateLimiter {
        RateLimiter::new(BURST, REFILL)
    }
}

impl RateLimiter {
    pub fn new(burst: u32, refill: Duration) -> RateLimiter {
        RateLimiter {
            buckets: Mutex::new(HashMap::new()),
            burst: f64::from(burst),
            refill,
        }
    }

    /// Takes one request's token for `ip`, or says how long until the next one.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let key = network_of(ip);
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= TRACKED_MAX {
            buckets.retain(|_, b| self.tokens_at(b, now) < self.burst);
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        bucket.tokens = self.tokens_at(bucket, now);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(self.refill.mul_f64(1.0 - bucket.tokens))
        }
    }

    fn tokens_at(&self, bucket: &Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.updated);
        (bucket.tokens + elapsed.as_secs_f64() / self.refill.as_secs_f64()).min(self.burst)
    }
}

/// One household's key: its IPv4 address, or the /64 network of its IPv6 address (a single
/// phone may change the rest of its address at will).
fn network_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::from(segments)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_one_more_per_refill_period() {
        let limiter = RateLimiter::new(3, Duration::from_secs(30));
        let ip: IpAddr = "203.0.113.7".parse().expect("ip");
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(ip, start).is_ok());
        }
        let wait = limiter.check(ip, start).expect_err("over the burst");
        assert_eq!(wait, Duration::from_secs(30));
        assert!(limiter.check(ip, start + Duration::from_secs(15)).is_err());
        assert!(limiter.check(ip, start + Duration::from_secs(31)).is_ok());
        assert!(limiter.check(ip, start + Duration::from_secs(32)).is_err());
    }

    #[test]
    fn addresses_are_counted_apart_and_ipv6_by_its_64_network() {
        let limiter = RateLimiter::new(1, Duration::from_secs(30));
        let now = Instant::now();
        let one: IpAddr = "2001:db8:1:2::1".parse().expect("ip");
        let same_home: IpAddr = "2001:db8:1:2:abcd::9".parse().expect("ip");
        let elsewhere: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert!(limiter.check(one, now).is_ok());
        assert!(limiter.check(same_home, now).is_err());
        assert!(limiter.check(elsewhere, now).is_ok());
        assert!(
            limiter
                .check("198.51.100.1".parse().expect("ip"), now)
                .is_ok()
        );
    }
}
