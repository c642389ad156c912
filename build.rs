//! Embeds the shipped Fluent files (`locales/`) and seed content (`content/`) in the server
//! binary, so it needs neither folder beside it. Files are found at build time; adding one
//! needs no code change.

use std::{
    env,
    fmt::Write,
    fs,
    path::{Path, PathBuf},
};

fn main() {
    // At run time, not `env!`: a build script compiled for one checkout may be run for
    // another that shares the target folder, and must read that one's files.
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = root.as_path();
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    embed(
        root,
        "locales",
        "ftl",
        "SHIPPED_FTL",
        &out.join("locales.rs"),
    );
    embed(
        root,
        "content",
        "toml",
        "SEED_FILES",
        &out.join("content.rs"),
    );
}

/// Writes `static NAME: &[(&str, &str)]`: each `.ext` file below `dir` as (path relative to
/// `dir`, contents), sorted by path.
fn embed(root: &Path, dir: &str, ext: &str, name: &str, out: &Path) {
    println!("cargo::rerun-if-changed={dir}");
    let base = root.join(dir);
    let mut files = Vec::new();
    collect(&base, ext, &mut files);
    files.sort();
    let mut code = format!("pub(crate) static {name}: &[(&str, &str)] = &[\n");
    for path in files {
        let relative = path
            .strip_prefix(&base)
            .expect("collected below base")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        writeln!(
            code,
            "    ({relative:?}, include_str!({:?})),",
            path.display()
        )
        .expect("writing to a String cannot fail");
    }
    code.push_str("];\n");
    fs::write(out, code).expect("cannot write the generated file list");
}

fn collect(dir: &Path, ext: &str, found: &mut Vec<PathBuf>) {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("unreadable directory entry").path();
        if path.is_dir() {
            collect(&path, ext, found);
        } else if path.extension().is_some_and(|e| e == ext) {
            found.push(path);
        }
    }
}
