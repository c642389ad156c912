//! Per-address rate limiting for sending help requests: a token bucket per IPv4 address or
//! IPv6 /64 network.
//!
//! The numbers are chosen so that a whole village behind one shared address is not blocked
//! too quickly: a burst of [`BURST`] requests, then one more every [`REFILL`] (two a minute).
//! An outreach event where 20 people send a request at once still gets through, and 120 more
//! can follow within the hour; a script hammering the endpoint gets a 429 after the burst.
//! `passport serve --help-rate` sets other numbers, or switches the limit off for load tests.

use crate::bounded::BoundedMap;
use std::{
    fmt,
    net::IpAddr,
    str::FromStr,
    sync::Mutex,
    time::{Duration, Instant},
};

pub const BURST: u32 = 20;
pub const REFILL: Duration = Duration::from_secs(30);
/// The longest refill period accepted: beyond a day, `Retry-After` stops meaning anything.
const REFILL_MAX_SECS: u64 = 24 * 60 * 60;
/// Addresses tracked per generation of the limiter's map (see [`BoundedMap`]): at most
/// twice this many are held, about 1.5 MB, whatever a flood of addresses does.
const TRACKED_PER_GENERATION: usize = 10_000;

/// How many requests one address may make (help requests, staff sign-ins): a burst, then one
/// more per refill period; or no limit at all, for load tests. Written `BURST/SECONDS`
/// (`20/30`) or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rate {
    PerAddress { burst: u32, refill: Duration },
    Off,
}

impl Default for Rate {
    fn default() -> Rate {
        Rate::PerAddress {
            burst: BURST,
            refill: REFILL,
        }
    }
}

impl FromStr for Rate {
    type Err = String;

    fn from_str(text: &str) -> Result<Rate, String> {
        if text.trim() == "off" {
            return Ok(Rate::Off);
        }
        let (burst, seconds) = text.split_once('/').ok_or_else(|| {
            format!("`{text}` is neither BURST/SECONDS (such as 20/30) nor `off`")
        })?;
        let burst: u32 = burst
            .trim()
            .parse()
            .ok()
            .filter(|b| *b > 0)
            .ok_or_else(|| format!("the burst `{burst}` is not a whole number from 1 up"))?;
        let seconds: u64 = seconds
            .trim()
            .parse()
            .ok()
            .filter(|s| (1..=REFILL_MAX_SECS).contains(s))
            .ok_or_else(|| {
                format!("the refill `{seconds}` is not a whole number of seconds from 1 to {REFILL_MAX_SECS}")
            })?;
        Ok(Rate::PerAddress {
            burst,
            refill: Duration::from_secs(seconds),
        })
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rate::PerAddress { burst, refill } => write!(f, "{burst}/{}", refill.as_secs()),
            Rate::Off => f.write_str("off"),
        }
    }
}

/// Our own token buckets rather than `governor`'s keyed limiter: that one's map grows with
/// every new key until something calls `retain_recent`, a scan of the whole map, while this
/// one holds a fixed number of keys with no scan at all, and the arithmetic is the same.
pub struct RateLimiter {
    buckets: Mutex<BoundedMap<IpAddr, Bucket>>,
    rate: Rate,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl Default for RateLimiter {
    fn default() -> RateLimiter {
        RateLimiter::new(Rate::default())
    }
}

impl RateLimiter {
    pub fn new(rate: Rate) -> RateLimiter {
        RateLimiter {
            buckets: Mutex::new(BoundedMap::new(TRACKED_PER_GENERATION)),
            rate,
        }
    }

    /// Takes one request's token for `ip`, or says how long until the next one.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let Rate::PerAddress { burst, refill } = self.rate else {
            return Ok(());
        };
        let burst = f64::from(burst);
        let tokens_at = |bucket: &Bucket| {
            let elapsed = now.saturating_duration_since(bucket.updated);
            (bucket.tokens + elapsed.as_secs_f64() / refill.as_secs_f64()).min(burst)
        };
        let key = network_of(ip);
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = buckets.entry(key, || Bucket {
            tokens: burst,
            updated: now,
        });
        bucket.tokens = tokens_at(bucket);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(refill.mul_f64(1.0 - bucket.tokens))
        }
    }
}

/// One household's key: its IPv4 address, or the /64 network of its IPv6 address (a single
/// phone may change the rest of its address at will). An IPv4 address mapped into IPv6, as
/// a dual-stack listener sees IPv4 clients, is its IPv4 address.
pub fn network_of(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        ip @ IpAddr::V4(_) => ip,
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

    fn per_address(burst: u32, seconds: u64) -> Rate {
        Rate::PerAddress {
            burst,
            refill: Duration::from_secs(seconds),
        }
    }

    #[test]
    fn a_burst_passes_then_one_more_per_refill_period() {
        let limiter = RateLimiter::new(per_address(3, 30));
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
        let limiter = RateLimiter::new(per_address(1, 30));
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

    #[test]
    fn mapped_ipv4_clients_are_counted_apart_not_as_one_ipv6_network() {
        let limiter = RateLimiter::new(per_address(1, 30));
        let now = Instant::now();
        let one: IpAddr = "::ffff:203.0.113.7".parse().expect("ip");
        let other: IpAddr = "::ffff:198.51.100.1".parse().expect("ip");
        assert!(limiter.check(one, now).is_ok());
        assert!(limiter.check(other, now).is_ok());
        assert!(
            limiter
                .check("203.0.113.7".parse().expect("ip"), now)
                .is_err()
        );
        assert!(limiter.check("::1".parse().expect("ip"), now).is_ok());
    }

    #[test]
    fn a_flood_of_addresses_cannot_grow_the_limiter() {
        let limiter = RateLimiter::new(per_address(1, 30));
        let now = Instant::now();
        for n in 0..50_000u32 {
            let ip = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + n));
            let _ = limiter.check(ip, now);
        }
        let held = limiter.buckets.lock().expect("lock").len();
        assert!(held <= 2 * TRACKED_PER_GENERATION, "{held}");
    }

    #[test]
    fn off_lets_every_request_through() {
        let limiter = RateLimiter::new(Rate::Off);
        let ip: IpAddr = "203.0.113.7".parse().expect("ip");
        let now = Instant::now();
        for _ in 0..1000 {
            assert!(limiter.check(ip, now).is_ok());
        }
    }

    #[test]
    fn the_rate_is_read_as_burst_slash_seconds_or_off() {
        assert_eq!("20/30".parse(), Ok(Rate::default()));
        assert_eq!(Rate::default().to_string(), "20/30");
        assert_eq!(" 500 / 1 ".parse(), Ok(per_address(500, 1)));
        assert_eq!("off".parse(), Ok(Rate::Off));
        assert_eq!(Rate::Off.to_string(), "off");
        for bad in [
            "",
            "20",
            "20/",
            "/30",
            "0/30",
            "20/0",
            "-1/30",
            "20/x",
            "1.5/30",
            "20/86401",
            "4294967296/30",
            "on",
        ] {
            let error = bad.parse::<Rate>().expect_err(bad);
            assert!(!error.is_empty(), "{bad}");
        }
    }
}
