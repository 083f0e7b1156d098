//! Files only this user can read: the bot's data holds what people asked
//! about their health.
//!
//! Files are created `0600` and the folders faqbot creates for them `0700`,
//! whatever the process's umask. Folders and files that already exist keep
//! their modes: an operator who chose to share them chose so on purpose.
//! On systems without Unix modes these are the plain calls.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates the folders above `file` that are missing, each `0700`.
pub fn create_dir(file: &Path) -> io::Result<()> {
    let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Opens `path` to read and write, creating it `0600`.
pub fn open_rw(path: &Path) -> io::Result<File> {
    options().read(true).write(true).truncate(false).open(path)
}

/// Opens `path` to append (and read), creating it `0600`.
pub fn open_append(path: &Path) -> io::Result<File> {
    options().read(true).append(true).open(path)
}

/// Writes `bytes` to `path` whole, as a new `0600` file: written beside
/// it first and renamed over it, so a reader never sees half a file and
/// an earlier version's wider mode is not kept.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    create_dir(path)?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // tempfile creates its files 0600.
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_files_and_folders_are_private_existing_ones_keep_their_modes() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a/b/log.jsonl");
        create_dir(&file).unwrap();
        open_append(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&tmp.path().join("a/b")), 0o700);
        assert_eq!(mode(&tmp.path().join("a")), 0o700);

        let shared = tmp.path().join("shared.jsonl");
        std::fs::write(&shared, "").unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o640)).unwrap();
        open_append(&shared).unwrap();
        assert_eq!(mode(&shared), 0o640);
    }
}
