//! The RFC 2136 client against a real BIND: `named` serves a zone `hubs.test` whose
//! update-policy grants one TSIG key its TXT records, as an organisation's zone would for
//! ACME's DNS-01 answers. `dig` reads what the zone holds. Both come from scripts/setup.sh.

use base64::Engine;
use passport::dns::update::{Rcode, Rfc2136, TsigError, TsigKey, UpdateError};
use std::{
    fs,
    net::{Ipv4Addr, SocketAddr, TcpListener, UdpSocket},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

const NAME: &str = "_acme-challenge.hall.hubs.test";
/// The key the zone grants TXT records to, and one it knows but grants nothing.
const GRANTED: &str = "passport-acme";
const UNGRANTED: &str = "passport-other";

const ZONE_FILE: &str = "$TTL 300
@ IN SOA ns.hubs.test. admin.hubs.test. 1 3600 600 86400 60
@ IN NS ns.hubs.test.
ns IN A 127.0.0.1
";

/// A program from bind9 or dnsutils. Without it the test fails: skipped, it would prove
/// nothing while looking green.
fn tool(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!(
                "`{name}` is not installed: run scripts/setup.sh (it installs bind9 and dnsutils)"
            )
        })
}

/// A key file as `tsig-keygen -a hmac-sha256 NAME` writes it, with a fresh secret.
fn key_file(name: &str) -> String {
    let mut secret = [0; 32];
    getrandom::fill(&mut secret).expect("random bytes");
    let secret = base64::engine::general_purpose::STANDARD.encode(secret);
    format!("key \"{name}\" {{\n\talgorithm hmac-sha256;\n\tsecret \"{secret}\";\n}};\n")
}

/// A port free on 127.0.0.1 for both UDP and TCP, as named listens on both.
fn free_port() -> u16 {
    for _ in 0..50 {
        let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("a UDP port");
        let port = udp.local_addr().expect("its address").port();
        if TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return port;
        }
    }
    panic!("no port free for both UDP and TCP on 127.0.0.1");
}

fn config(dir: &Path, port: u16, keys: &str) -> String {
    let dir = dir.display();
    format!(
        r#"options {{
  directory "{dir}";
  pid-file "{dir}/named.pid";
  session-keyfile "{dir}/session.key";
  managed-keys-directory "{dir}";
  listen-on port {port} {{ 127.0.0.1; }};
  listen-on-v6 {{ none; }};
  recursion no;
  dnssec-validation no;
}};
controls {{ }};
{keys}
zone "hubs.test" {{
  type primary;
  file "{dir}/hubs.test.zone";
  update-policy {{ grant {GRANTED} zonesub TXT; }};
}};
"#
    )
}

/// named, serving `hubs.test` on a free port of 127.0.0.1 from a folder of its own. Dropping
/// it (also when a test panics) stops it and removes the folder.
struct Named {
    child: Child,
    dir: PathBuf,
    port: u16,
    /// The key file of the key the zone grants TXT records to.
    granted: String,
    /// The key file of a key named knows but the zone grants nothing.
    ungranted: String,
}

impl Named {
    fn start(test: &str) -> Named {
        let named = tool("named");
        let dir = std::env::temp_dir().join(format!("passport-dns-{test}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("named's folder");
        let (granted, ungranted) = (key_file(GRANTED), key_file(UNGRANTED));
        let port = free_port();
        let conf = dir.join("named.conf");
        fs::write(&conf, config(&dir, port, &(granted.clone() + &ungranted))).expect("conf");
        fs::write(dir.join("hubs.test.zone"), ZONE_FILE).expect("zone file");
        let log = fs::File::create(dir.join("named.log")).expect("log file");
        // -g: in the foreground, logging to standard error; -n 1: one worker thread.
        let child = Command::new(named)
            .args(["-g", "-n", "1", "-p", &port.to_string(), "-c"])
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("named starts");
        let mut named = Named {
            child,
            dir,
            port,
            granted,
            ungranted,
        };
        named.wait_until_answering();
        named
    }

    /// Asks for the zone's SOA until named answers it.
    fn wait_until_answering(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("named's status") {
                panic!("named stopped ({status}):\n{}", self.log());
            }
            if !self.dig("SOA", "hubs.test").is_empty() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "named did not answer:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        fs::read_to_string(self.dir.join("named.log")).unwrap_or_default()
    }

    /// What `dig +short` says the zone holds of `kind` at `name`, a line each.
    fn dig(&self, kind: &str, name: &str) -> Vec<String> {
        let output = Command::new(tool("dig"))
            .args(["@127.0.0.1", "-p", &self.port.to_string()])
            .args(["+short", "+time=1", "+tries=1", kind, name])
            .output()
            .expect("dig runs");
        let mut lines: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| !line.starts_with(';'))
            .map(|line| line.trim_matches('"').to_owned())
            .collect();
        lines.sort();
        lines
    }

    /// The zone as central updates it, with the key in `key_file`.
    fn zone(&self, key_file: &str) -> Rfc2136 {
        Rfc2136 {
            server: SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)),
            zone: "hubs.test".to_owned(),
            key: TsigKey::parse(key_file).expect("the key file parses"),
        }
    }
}

impl Drop for Named {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("named's log:\n{}", self.log());
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test]
async fn two_challenges_at_one_name_are_published_side_by_side_and_removed_one_at_a_time() {
    let named = Named::start("two");
    let zone = named.zone(&named.granted);
    zone.set_txt(NAME, "first-challenge", 60)
        .await
        .expect("added");
    zone.set_txt(NAME, "second-challenge", 60)
        .await
        .expect("added");
    assert_eq!(
        named.dig("TXT", NAME),
        ["first-challenge", "second-challenge"]
    );

    zone.remove_txt(NAME, "first-challenge")
        .await
        .expect("removed");
    assert_eq!(named.dig("TXT", NAME), ["second-challenge"]);
}

#[tokio::test]
async fn updates_under_a_wrong_unknown_or_ungranted_key_are_refused_and_change_nothing() {
    let named = Named::start("keys");
    let wrong_secret = named.zone(&key_file(GRANTED));
    let refused = wrong_secret.set_txt(NAME, "forged", 60).await.unwrap_err();
    assert!(
        matches!(refused, UpdateError::KeyRejected(TsigError::BadSig)),
        "{refused:?}"
    );
    assert!(refused.to_string().contains("secret"), "{refused}");

    let unknown = named.zone(&key_file("passport-unknown"));
    let refused = unknown.set_txt(NAME, "forged", 60).await.unwrap_err();
    assert!(
        matches!(refused, UpdateError::KeyRejected(TsigError::BadKey)),
        "{refused:?}"
    );

    let ungranted = named.zone(&named.ungranted);
    let refused = ungranted.set_txt(NAME, "forged", 60).await.unwrap_err();
    assert!(
        matches!(refused, UpdateError::Refused(Rcode::Refused)),
        "{refused:?}"
    );
    assert!(refused.to_string().contains("update-policy"), "{refused}");
    assert!(named.dig("TXT", NAME).is_empty());
}

#[tokio::test]
async fn a_name_outside_the_zone_is_refused_here_not_by_the_server() {
    let named = Named::start("outside");
    let zone = named.zone(&named.granted);
    for outside in [
        "_acme-challenge.hall.example.org",
        "_acme-challenge.xhubs.test",
    ] {
        let refused = zone.set_txt(outside, "value", 60).await.unwrap_err();
        // Sent, it would have come back NOTZONE or REFUSED.
        assert_eq!(
            refused.to_string(),
            format!("`{outside}` is not inside the zone `hubs.test`")
        );
    }
    // named logs each update it is sent, and each it refuses.
    assert!(!named.log().contains("client @"), "{}", named.log());
}
