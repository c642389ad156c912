//! The `passport staff` commands, run as the real program: the first admin is made from the
//! command line, with the password from standard input; bad input gets a clear error.

use std::{
    io::Write,
    path::PathBuf,
    process::{Command, Output, Stdio},
};

pub(crate) fn passport(db: &PathBuf, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_passport"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("passport starts");
    // A command refused before it reads its standard input (a bad role, say) may have
    // closed it already: what it said is what the test reads.
    match child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
    {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
        written => written.expect("password written"),
    }
    child.wait_with_output().expect("passport ends")
}

pub(crate) fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn staff_accounts_are_managed_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("passport-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = dir.join("cli.db");

    let added = passport(
        &db,
        &["staff", "add", "lan", "--role", "admin"],
        "a long admin password\n",
    );
    assert!(added.status.success(), "{}", said(&added));
    assert!(said(&added).contains("added lan (admin)"));

    for (args, stdin, expected) in [
        (
            vec!["staff", "add", "lan", "--role", "admin"],
            "another long password\n",
            "exists already",
        ),
        (
            vec!["staff", "add", "minh", "--role", "boss"],
            "another long password\n",
            "caseworker, editor, admin",
        ),
        (
            vec!["staff", "add", "Minh!", "--role", "editor"],
            "another long password\n",
            "a username is",
        ),
        (
            vec!["staff", "add", "minh", "--role", "editor"],
            "short\n",
            "at least 12 characters",
        ),
        (
            vec!["staff", "add", "minh", "--role", "editor"],
            "",
            "no password given",
        ),
        (
            vec!["staff", "passwd", "nobody"],
            "a long enough password\n",
            "no account named `nobody`",
        ),
    ] {
        let output = passport(&db, &args, stdin);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            said(&output).contains(expected),
            "{args:?}: {}",
            said(&output)
        );
        assert!(!said(&output).contains("panicked"), "{args:?}");
    }

    let disabled = passport(&db, &["staff", "disable", "lan"], "");
    assert!(disabled.status.success(), "{}", said(&disabled));
    let listed = passport(&db, &["staff", "list"], "");
    assert_eq!(
        String::from_utf8_lossy(&listed.stdout),
        "lan\tadmin\tdisabled\n"
    );
    let enabled = passport(&db, &["staff", "enable", "lan"], "");
    assert!(enabled.status.success());
    let passwd = passport(&db, &["staff", "passwd", "lan"], "a brand new password\n");
    assert!(passwd.status.success(), "{}", said(&passwd));
    let listed = passport(&db, &["staff", "list"], "");
    assert_eq!(
        String::from_utf8_lossy(&listed.stdout),
        "lan\tadmin\tactive\n"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn translations_go_out_to_a_translator_and_come_back_all_or_nothing() {
    let dir = std::env::temp_dir().join(format!("passport-cli-tr-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = dir.join("tr.db");
    let file = dir.join("th.ftl");
    let path = file.to_str().expect("utf-8 path");

    let exported = passport(
        &db,
        &["translations", "export", "--locale", "th", "--out", path],
        "",
    );
    assert!(exported.status.success(), "{}", said(&exported));
    let original = std::fs::read_to_string(&file).expect("exported");
    assert!(original.contains("nav-home = ") && original.contains("checklist_job-offer_title = "));

    // Unchanged, the file imports as nothing new.
    let same = passport(&db, &["translations", "import", path, "--locale", "th"], "");
    assert!(same.status.success(), "{}", said(&same));
    assert!(
        said(&same).contains("added 0, changed 0,"),
        "{}",
        said(&same)
    );

    // One fixed text and one broken placeholder: refused whole, with the line and the id.
    let fixed = original.replacen("nav-home = ", "nav-home = หน้าแรกใหม่ ", 1);
    let broken = fixed.replacen("{ $size }", "{ $sise }", 1);
    std::fs::write(&file, &broken).expect("written");
    let refused = passport(&db, &["translations", "import", path, "--locale", "th"], "");
    assert!(!refused.status.success());
    assert!(
        said(&refused).contains("offline-size") && said(&refused).contains("refused 1"),
        "{}",
        said(&refused)
    );
    assert!(
        said(&refused).contains("nothing was imported"),
        "{}",
        said(&refused)
    );

    std::fs::write(&file, &fixed).expect("written");
    let imported = passport(
        &db,
        &[
            "translations",
            "import",
            path,
            "--locale",
            "th",
            "--status",
            "reviewed",
        ],
        "",
    );
    assert!(imported.status.success(), "{}", said(&imported));
    assert!(
        said(&imported).contains("added 0, changed 1,"),
        "{}",
        said(&imported)
    );
    let published = passport(&db, &["translations", "publish"], "");
    assert!(
        said(&published).contains("published content version 2"),
        "{}",
        said(&published)
    );
    let again = passport(&db, &["translations", "export", "--locale", "th"], "");
    assert!(String::from_utf8_lossy(&again.stdout).contains("nav-home = หน้าแรกใหม่ "));

    let bad = passport(&db, &["translations", "export", "--locale", "fr"], "");
    assert!(!bad.status.success() && said(&bad).contains("`fr` is not one of en, vi, th, ksw"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The recovery key a command printed.
fn recovery_key(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .find(|line| line.len() == 65 && line.split('-').count() == 11)
        .expect("a recovery key is printed")
        .to_owned()
}

#[test]
fn the_organisation_key_is_made_recovered_and_reported_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("passport-keys-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = dir.join("keys.db");
    let password = "a long enough password\n";

    // The first admin takes the key from its bootstrap: the recovery key is printed once.
    let first = passport(&db, &["staff", "add", "lan", "--role", "admin"], password);
    assert!(first.status.success(), "{}", said(&first));
    let key = recovery_key(&first);
    assert!(said(&first).contains("it opens help requests"));
    let status = passport(&db, &["keys", "status"], "");
    assert!(
        said(&status).contains("sealed") && said(&status).contains("lan"),
        "{}",
        said(&status)
    );
    assert!(said(&status).contains("recovery key NOT confirmed"));
    assert!(said(&first).contains("passport keys confirm"));

    // The paper is checked while every password still works: a wrong copy is refused.
    let mut wrong: Vec<char> = key.chars().collect();
    wrong[0] = if wrong[0] == 'A' { 'B' } else { 'A' };
    let wrong: String = wrong.into_iter().collect();
    let unconfirmed = passport(&db, &["keys", "confirm"], &wrong);
    assert!(!unconfirmed.status.success(), "{}", said(&unconfirmed));
    let confirmed = passport(&db, &["keys", "confirm"], &key);
    assert!(confirmed.status.success(), "{}", said(&confirmed));
    let status = passport(&db, &["keys", "status"], "");
    assert!(
        said(&status).contains("recovery key confirmed 20"),
        "{}",
        said(&status)
    );
    let init = passport(&db, &["keys", "init"], "");
    assert!(
        !init.status.success() && said(&init).contains("made already"),
        "{}",
        said(&init)
    );

    // A caseworker added later waits for access; the recovery key gives it.
    let mai = passport(
        &db,
        &["staff", "add", "mai", "--role", "caseworker"],
        password,
    );
    assert!(
        said(&mai).contains("cannot open help requests until"),
        "{}",
        said(&mai)
    );
    let mut typo: Vec<char> = key.chars().collect();
    typo[0] = if typo[0] == 'A' { 'B' } else { 'A' };
    let typo: String = typo.into_iter().collect();
    let refused = passport(&db, &["keys", "recover", "mai"], &typo);
    assert!(
        !refused.status.success() && said(&refused).contains("typing mistake"),
        "{}",
        said(&refused)
    );
    let recovered = passport(&db, &["keys", "recover", "mai"], &key.to_lowercase());
    assert!(recovered.status.success(), "{}", said(&recovered));

    // An admin whose password was reset loses access; the recovery key restores it.
    let reset = passport(&db, &["staff", "passwd", "lan"], "another long password\n");
    assert!(
        said(&reset).contains("cannot open help requests until"),
        "{}",
        said(&reset)
    );
    let status = passport(&db, &["keys", "status"], "");
    assert!(
        said(&status).contains("accounts that open requests: 1"),
        "{}",
        said(&status)
    );
    let back = passport(&db, &["keys", "recover", "lan"], &key);
    assert!(back.status.success(), "{}", said(&back));
    let status = passport(&db, &["keys", "status"], "");
    assert!(
        said(&status).contains("accounts that open requests: 2"),
        "{}",
        said(&status)
    );

    // Another organisation's key is refused.
    let other = dir.join("other.db");
    let made = passport(&other, &["keys", "init"], "");
    assert!(made.status.success(), "{}", said(&made));
    let other_key = recovery_key(&made);
    assert_ne!(other_key, key);
    let wrong = passport(&db, &["keys", "recover", "lan"], &other_key);
    assert!(
        said(&wrong).contains("not this organisation's"),
        "{}",
        said(&wrong)
    );
    let status = passport(&other, &["keys", "status"], "");
    assert!(
        said(&status).contains("accounts that open requests: 0"),
        "{}",
        said(&status)
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// A translator's round trip exactly as the README shows it, with the default log level: the
/// exported file holds no log line, and importing it changes and refuses nothing.
#[test]
fn an_export_redirected_to_a_file_imports_again_unchanged() {
    let dir = std::env::temp_dir().join(format!("passport-roundtrip-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = dir.join("roundtrip.db");
    let exported = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "\"{}\" translations export --locale th --db roundtrip.db > th.ftl",
            env!("CARGO_BIN_EXE_passport")
        ))
        .current_dir(&dir)
        .env_remove("RUST_LOG")
        .output()
        .expect("the shell runs");
    assert!(exported.status.success(), "{}", said(&exported));
    assert!(
        String::from_utf8_lossy(&exported.stderr).contains("INFO"),
        "the log still goes somewhere: to standard error"
    );
    let file = std::fs::read_to_string(dir.join("th.ftl")).expect("the file was written");
    assert!(file.contains("nav-home = "), "{file}");
    assert!(!file.contains("INFO"), "a log line in the file: {file}");

    let imported = passport(
        &db,
        &[
            "translations",
            "import",
            &dir.join("th.ftl").to_string_lossy(),
            "--locale",
            "th",
        ],
        "",
    );
    assert!(imported.status.success(), "{}", said(&imported));
    let summary = said(&imported);
    assert!(
        summary.contains("added 0, changed 0,") && summary.contains("refused 0"),
        "{summary}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
