//! `passport doctor`: checks a deployment and says what is wrong and how to fix it. Each
//! check gives a finding; any problem makes the command exit non-zero, for a cron job or a
//! monitoring script.

use rusqlite::{Connection, OptionalExtension};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Less free space than this, on the database's disk, is a problem.
pub const FREE_MIN_BYTES: u64 = 512 * 1024 * 1024;
/// A TLS certificate that expires within this many days is a problem.
pub const CERT_WARN_DAYS: i64 = 30;
/// A hub that has not reached central for longer than this is a problem.
pub const HUB_SYNC_MAX: Duration = Duration::from_secs(24 * 3600);

/// What `doctor` is told about the deployment, as `serve` is run.
#[derive(Debug, Clone, Default)]
pub struct Deployment {
    pub db: PathBuf,
    pub backups: Option<PathBuf>,
    /// Hours between scheduled backups: a newest backup older than twice that is a problem.
    pub backup_every_hours: u32,
    pub tls_cert: Option<PathBuf>,
    pub allow_staff_over_http: bool,
}

/// One check's result: what was checked, and, for a problem, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub check: &'static str,
    pub said: String,
    pub fix: Option<String>,
}

impl Finding {
    fn ok(check: &'static str, said: impl Into<String>) -> Finding {
        Finding {
            check,
            said: said.into(),
            fix: None,
        }
    }

    fn problem(check: &'static str, said: impl Into<String>, fix: impl Into<String>) -> Finding {
        Finding {
            check,
            said: said.into(),
            fix: Some(fix.into()),
        }
    }

    pub fn is_problem(&self) -> bool {
        self.fix.is_some()
    }
}

/// Runs every check; `conn` is the deployment's database, opened read-only.
pub fn run(deployment: &Deployment, conn: &Connection, now: SystemTime) -> Vec<Finding> {
    let mut found = permissions(deployment);
    found.push(free_space(&deployment.db, FREE_MIN_BYTES));
    found.extend(certificates(deployment, conn, now));
    found.push(staff_transport(deployment));
    found.push(keys(conn));
    found.push(last_backup(deployment, now));
    found.push(stale_facts(conn));
    found.extend(hub_sync(conn, now));
    found.push(alerts(conn));
    found
}

/// Alerts tried and not sent: an urgent request may be sitting unseen.
fn alerts(conn: &Connection) -> Finding {
    use crate::alerts::queue;
    let waiting = queue::failing(conn).and_then(|count| {
        let newest = queue::listed(conn)?.0.into_iter().next();
        Ok((count, newest.and_then(|alert| alert.last_error)))
    });
    match waiting {
        Ok((0, _)) => Finding::ok("alerts", "no alert is waiting to be sent"),
        Ok((count, error)) => Finding::problem(
            "alerts",
            format!(
                "{count} alerts could not be sent yet: {}",
                error.unwrap_or_default()
            ),
            "check --alert-smtp or --alert-webhook and the addresses on the staff page Alerts; they are tried again by themselves",
        ),
        Err(error) => Finding::problem(
            "alerts",
            format!("cannot read the alerts: {error}"),
            "run `passport migrate`",
        ),
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The database, its `-wal` and `-shm`, and every backup: the owner's alone.
fn permissions(deployment: &Deployment) -> Vec<Finding> {
    let mut files: Vec<PathBuf> = ["", "-wal", "-shm"]
        .iter()
        .map(|s| with_suffix(&deployment.db, s))
        .collect();
    if let Some(dir) = &deployment.backups {
        files.extend(super::backup::scheduled(dir).unwrap_or_default());
    }
    let open: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
            (mode & 0o077 != 0).then(|| format!("{} ({mode:o})", path.display()))
        })
        .collect();
    if open.is_empty() {
        vec![Finding::ok(
            "permissions",
            "the database and its backups are readable by their owner alone",
        )]
    } else {
        vec![Finding::problem(
            "permissions",
            format!("readable by others: {}", open.join(", ")),
            "chmod 600 each of them; they hold sealed help requests and staff accounts",
        )]
    }
}

/// Whether the disk beside `db` has `needed` bytes free.
fn free_space(db: &Path, needed: u64) -> Finding {
    let dir = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match rustix::fs::statvfs(dir) {
        Ok(stats) => {
            let free = stats.f_bavail.saturating_mul(stats.f_frsize);
            let said = format!("{} MB free beside the database", free / (1024 * 1024));
            if free < needed {
                Finding::problem(
                    "disk",
                    said,
                    "free some space (old backups, logs) or move the database to a bigger disk: when the disk is full, help requests are refused until there is room",
                )
            } else {
                Finding::ok("disk", said)
            }
        }
        Err(error) => Finding::problem(
            "disk",
            format!("cannot read {}: {error}", dir.display()),
            "check that the database's folder exists",
        ),
    }
}

/// Days from `now` until the end of a PEM chain's first certificate.
fn days_left(pem: &str, now: SystemTime) -> Option<i64> {
    let end = crate::certs::inspect(pem).ok()?.not_after;
    let now = i64::try_from(now.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs()).ok()?;
    Some((end - now).div_euclid(86_400))
}

fn certificates(deployment: &Deployment, conn: &Connection, now: SystemTime) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut check = |name: String, pem: Option<String>| {
        let finding = match pem.as_deref().and_then(|p| days_left(p, now)) {
            None => Finding::problem(
                "tls",
                format!("{name}: not a readable certificate"),
                "give serve a PEM certificate chain (--tls-cert)",
            ),
            Some(days) if days <= CERT_WARN_DAYS => Finding::problem(
                "tls",
                format!("{name} expires in {days} days"),
                "renew it now; phones refuse the app once it has expired",
            ),
            Some(days) => Finding::ok("tls", format!("{name} is valid for {days} more days")),
        };
        found.push(finding);
    };
    if let Some(path) = &deployment.tls_cert {
        check(
            path.display().to_string(),
            std::fs::read_to_string(path).ok(),
        );
    }
    let own: Option<String> = conn
        .query_row(
            "SELECT tls_chain FROM hub_self WHERE id = 1 AND tls_chain IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .optional()
        .ok()
        .flatten();
    if let Some(chain) = own {
        check("the hub's own certificate".to_owned(), Some(chain));
    }
    found
}

fn staff_transport(deployment: &Deployment) -> Finding {
    if deployment.allow_staff_over_http {
        Finding::problem(
            "staff",
            "the staff side is served over plain HTTP to other machines (--allow-staff-over-http)",
            "serve HTTPS (--tls-cert) or put a TLS proxy in front (--trusted-proxy), and drop --allow-staff-over-http",
        )
    } else {
        Finding::ok(
            "staff",
            "staff pages are refused over plain HTTP from other machines",
        )
    }
}

fn keys(conn: &Connection) -> Finding {
    let readable = crate::seal::keys::bootstrap(conn).ok().flatten().is_some();
    let holders: i64 = conn
        .query_row(
            "SELECT count(*) FROM staff_key WHERE grant_blob IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    if readable {
        Finding::problem(
            "keys",
            "the organisation's key is still readable in the database",
            "run `passport keys init`, or add the first caseworker or admin, and keep the recovery key it prints on paper",
        )
    } else if holders == 0 {
        Finding::problem(
            "keys",
            "no account can open help requests: only the recovery key can",
            "give a caseworker access with `passport keys recover USERNAME` and the recovery key",
        )
    } else if crate::seal::keys::recovery_confirmed(conn)
        .ok()
        .flatten()
        .is_none()
    {
        Finding::problem(
            "keys",
            "the recovery key was never typed back: it may have been copied wrong, or not kept",
            "run `passport keys confirm` and type it from the paper, while every password still works",
        )
    } else {
        Finding::ok(
            "keys",
            format!("the key is sealed away; {holders} accounts can open requests"),
        )
    }
}

fn last_backup(deployment: &Deployment, now: SystemTime) -> Finding {
    let Some(dir) = &deployment.backups else {
        return Finding::problem(
            "backups",
            "no scheduled backups",
            "serve with --backups DIR (on another disk), or run `passport backup FILE` from cron",
        );
    };
    let newest = super::backup::scheduled(dir)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|path| std::fs::metadata(&path).ok()?.modified().ok())
        .max();
    let limit = Duration::from_secs(u64::from(deployment.backup_every_hours.max(1)) * 2 * 3600);
    match newest.map(|at| now.duration_since(at).unwrap_or(Duration::ZERO)) {
        None => Finding::problem(
            "backups",
            format!("no backup in {}", dir.display()),
            "check that serve runs with --backups and can write there",
        ),
        Some(age) if age > limit => Finding::problem(
            "backups",
            format!("the newest backup is {} hours old", age.as_secs() / 3600),
            "check the server's log for failed backups, and the space on the backup disk",
        ),
        Some(age) => Finding::ok(
            "backups",
            format!("the newest backup is {} hours old", age.as_secs() / 3600),
        ),
    }
}

fn stale_facts(conn: &Connection) -> Finding {
    match crate::editor::facts::stale(conn) {
        Ok(stale) if stale.is_empty() => {
            Finding::ok("facts", "every fact was checked in the last 12 months")
        }
        Ok(stale) => Finding::problem(
            "facts",
            format!(
                "{} facts were last checked more than 12 months ago",
                stale.len()
            ),
            "an editor checks them again at /staff/facts",
        ),
        Err(error) => Finding::problem(
            "facts",
            format!("cannot read the facts: {error}"),
            "run `passport migrate`",
        ),
    }
}

fn hub_sync(conn: &Connection, now: SystemTime) -> Option<Finding> {
    crate::hub::identity::load(conn).ok().flatten()?;
    let last: Option<u64> = conn
        .query_row(
            "SELECT unixepoch(last_contact) FROM hub_self WHERE id = 1",
            [],
            |r| r.get::<_, Option<i64>>(0),
        )
        .ok()
        .flatten()
        .and_then(|s| u64::try_from(s).ok());
    let now = now.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs();
    Some(match last {
        None => Finding::problem(
            "hub",
            "this hub has never reached central",
            "connect it to the internet and check --upstream, or carry a USB file (passport hub export)",
        ),
        Some(at) if now.saturating_sub(at) > HUB_SYNC_MAX.as_secs() => Finding::problem(
            "hub",
            format!(
                "this hub last reached central {} hours ago",
                now.saturating_sub(at) / 3600
            ),
            "connect it to the internet, or carry its requests by USB (passport hub export)",
        ),
        Some(at) => Finding::ok(
            "hub",
            format!(
                "this hub reached central {} minutes ago",
                now.saturating_sub(at) / 60
            ),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn hub(last_contact: Option<&str>) -> Connection {
        let mut conn = Connection::open_in_memory().expect("opens");
        crate::db::migrate(&mut conn).expect("migrated");
        conn.execute(
            "INSERT INTO hub_self (id, name, upstream, placement, export_seed, bundle_key,
                 transfer_key, paired_at, last_contact)
             VALUES (1, 'hall', 'https://c', 'p', zeroblob(32), zeroblob(32), zeroblob(32),
                 '2026-12-01T08:00:00Z', ?1)",
            [last_contact],
        )
        .expect("a hub");
        conn
    }

    /// 2026-12-07T12:00:00Z.
    fn noon() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_644_800)
    }

    #[test]
    fn a_hub_out_of_reach_for_over_a_day_or_never_synced_is_a_problem() {
        let never = hub_sync(&hub(None), noon()).expect("a hub");
        assert!(never.is_problem() && never.said.contains("never reached central"));
        let old = hub_sync(&hub(Some("2026-12-06T06:00:00Z")), noon()).expect("a hub");
        assert!(old.is_problem(), "{}", old.said);
        assert!(old.said.contains("30 hours ago"), "{}", old.said);
        let fresh = hub_sync(&hub(Some("2026-12-07T11:20:00Z")), noon()).expect("a hub");
        assert!(!fresh.is_problem());
        assert!(fresh.said.contains("40 minutes ago"), "{}", fresh.said);
    }

    #[test]
    fn a_recovery_key_never_typed_back_is_a_problem_until_it_is() {
        let mut conn = Connection::open_in_memory().expect("opens");
        crate::db::migrate(&mut conn).expect("migrated");
        conn.execute_batch(
            "UPDATE org_key SET bootstrap = NULL;
             INSERT INTO staff (id, username, role, password_hash, locale, created_at)
                 VALUES (1, 'lan', 'admin', 'x', 'en', 'now');
             INSERT INTO staff_key (staff_id, kdf, salt, public_key, grant_blob)
                 VALUES (1, 'argon2id', x'00', x'00', x'00');",
        )
        .expect("a holder");
        let unconfirmed = keys(&conn);
        assert!(unconfirmed.is_problem());
        assert!(
            unconfirmed.said.contains("never typed back"),
            "{}",
            unconfirmed.said
        );
        conn.execute(
            "UPDATE org_key SET recovery_confirmed_at = '2026-12-07T12:00:00Z'",
            [],
        )
        .expect("confirmed");
        assert!(!keys(&conn).is_problem());
    }

    #[test]
    fn alerts_not_sent_are_a_problem() {
        let mut conn = Connection::open_in_memory().expect("opens");
        crate::db::migrate(&mut conn).expect("migrated");
        assert!(!alerts(&conn).is_problem());
        conn.execute(
            "INSERT INTO alert (channel, kind, items, created_at, next_at, attempts, last_error)
             VALUES ('email', 'urgent', '[]', 'now', 'later', 3, 'connection refused')",
            [],
        )
        .expect("an alert");
        let found = alerts(&conn);
        assert!(found.is_problem());
        assert!(
            found
                .said
                .contains("1 alerts could not be sent yet: connection refused")
        );
    }

    #[test]
    fn central_has_no_hub_check() {
        let mut conn = Connection::open_in_memory().expect("opens");
        crate::db::migrate(&mut conn).expect("migrated");
        assert!(hub_sync(&conn, noon()).is_none());
    }

    #[test]
    fn too_little_free_space_beside_the_database_is_a_problem() {
        let db = std::env::temp_dir().join("passport-doctor-space.db");
        let short = free_space(&db, u64::MAX);
        assert!(short.is_problem());
        assert!(
            short
                .fix
                .as_deref()
                .is_some_and(|f| f.contains("free some space"))
        );
        assert!(!free_space(&db, 0).is_problem());
        let missing = free_space(Path::new("/no/such/folder/passport.db"), 0);
        assert!(missing.is_problem() && missing.said.contains("cannot read"));
    }
}
