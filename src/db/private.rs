//! The database's files are readable by their owner alone: the database holds help requests,
//! and SQLite makes its `-wal` and `-shm` with the database file's own mode.

use std::{fs, io, os::unix::fs::PermissionsExt, path::Path};

/// Creates the database file with mode 0600 if it is missing, and sets 0600 on the file and
/// on any `-wal` or `-shm` beside it that an earlier release left readable by others.
pub fn prepare(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    // SQLite's name for a database in memory: there is no file to make private.
    if path == Path::new(":memory:") {
        return Ok(());
    }
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => {}
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(error),
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        match fs::set_permissions(&file, fs::Permissions::from_mode(0o600)) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).expect("exists").permissions().mode() & 0o777
    }

    #[test]
    fn the_database_its_wal_and_its_shm_are_the_owners_alone() {
        let dir = std::env::temp_dir().join(format!("passport-private-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("dir");
        let old = dir.join("old.db");
        fs::write(&old, b"").expect("an earlier release's file");
        fs::set_permissions(&old, fs::Permissions::from_mode(0o644)).expect("0644");
        let db = crate::db::Db::open(&old).expect("opens");
        let fresh = dir.join("fresh.db");
        let db2 = crate::db::Db::open(&fresh).expect("opens");
        for path in [&old, &fresh] {
            for suffix in ["", "-wal", "-shm"] {
                let mut file = path.as_os_str().to_owned();
                file.push(suffix);
                assert_eq!(
                    mode(Path::new(&file)),
                    0o600,
                    "{}",
                    Path::new(&file).display()
                );
            }
        }
        drop((db, db2));
        let _ = fs::remove_dir_all(dir);
    }
}
