//! The `passport staff` commands, run as the real program: the first admin is made from the
//! command line, with the password from standard input; bad input gets a clear error.
#![cfg(feature = "ssr")]

use std::{
    io::Write,
    path::PathBuf,
    process::{Command, Output, Stdio},
};

fn passport(db: &PathBuf, args: &[&str], stdin: &str) -> Output {
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
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("password written");
    child.wait_with_output().expect("passport ends")
}

fn said(output: &Output) -> String {
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
