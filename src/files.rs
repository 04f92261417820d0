//! How Bridger writes files: whole or not at all, readable only by the account running it, and
//! never over one of the site's own files. A bundle, a receipt, a packet or an audit export is
//! written beside its destination, flushed, then renamed into place, so a killed process or a
//! pulled USB stick leaves the old file or the new one, never half of one.

use crate::error::{Error, Result, Said};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

/// A new file that only this account may read or write (0600 on Unix; on other systems the
/// user's profile folder decides), at a name nothing held before: a file or a link planted at a
/// guessable name is never opened, so it cannot steer the write to another file.
fn create_private(dir: &Path, name: &std::ffi::OsStr) -> std::io::Result<(std::path::PathBuf, File)> {
    let mut last = None;
    for _ in 0..16 {
        let mut temp = name.to_os_string();
        temp.push(format!(".tmp-{:016x}", fastrand::u64(..)));
        let path = dir.join(temp);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// Writes `bytes` to a private temporary file beside `path`, syncs it, renames it over `path`
/// and syncs the folder, so the old file stays whole until the new one is complete.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically_with(path, |file| file.write_all(bytes).map_err(io_error(path, CANNOT_WRITE)))
}

/// What was being done when a file could not be written.
pub(crate) const CANNOT_WRITE: (&str, &str) = ("cannot write", "no se puede escribir");

/// The error for an I/O failure on `path`, with what was being done to it.
pub(crate) fn io_error(path: &Path, context: (&str, &str)) -> impl FnOnce(std::io::Error) -> Error {
    let context = Said { en: format!("{} {}", context.0, path.display()), es: format!("{} {}", context.1, path.display()) };
    move |source| Error::Io { context, source }
}

/// As [`write_atomically`], with the contents written by `write` into the temporary file, for
/// a file too large to hold in memory first. Nothing is left behind when `write` fails.
pub(crate) fn write_atomically_with(path: &Path, write: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| Error::field("path", said!("choose a file, not a folder", "elija un archivo, no una carpeta")))?;
    // Only a file is ever replaced: a device, a pipe or a folder at that name stays what it is.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(Error::field("path", said!("{} is not a file: choose a file to save into", "{} no es un archivo: elija un archivo donde guardar", path.display())));
    }
    let (temp, mut file) = create_private(dir, name).map_err(io_error(path, CANNOT_WRITE))?;
    let written = write(&mut file).and_then(|()| file.sync_all().map_err(io_error(path, CANNOT_WRITE)));
    drop(file);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    std::fs::rename(&temp, path).map_err(io_error(path, ("cannot replace", "no se puede reemplazar")))?;
    if let Ok(d) = File::open(dir) {
        // Some file systems cannot sync a folder; the rename itself is still atomic there.
        let _ = d.sync_all();
    }
    Ok(())
}

/// A private working file beside a file being written (on the same disk, so a large bundle
/// never passes through memory), removed when dropped.
pub(crate) struct Scratch {
    path: std::path::PathBuf,
    pub file: File,
}

impl Scratch {
    pub(crate) fn beside(path: &Path) -> Result<Scratch> {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut name = path.file_name().ok_or_else(|| Error::field("path", said!("choose a file, not a folder", "elija un archivo, no una carpeta")))?.to_os_string();
        name.push(".part");
        let (path, file) = create_private(dir, &name).map_err(io_error(path, CANNOT_WRITE))?;
        Ok(Scratch { path, file })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Moves a database aside to `to`, with its WAL and shared-memory files beside it, so commits
/// still in the WAL move with it and the copy opens as it was. Nothing is deleted.
pub(crate) fn move_database(db: &Path, to: &Path) -> Result<()> {
    std::fs::rename(db, to).map_err(|source| Error::Io { context: said!("cannot move {} aside", "no se puede apartar {}", db.display()), source })?;
    for side in ["-wal", "-shm"] {
        let (mut from, mut into) = (db.as_os_str().to_os_string(), to.as_os_str().to_os_string());
        from.push(side);
        into.push(side);
        if Path::new(&from).exists() {
            std::fs::rename(&from, &into).map_err(|source| Error::Io { context: said!("cannot move {} aside", "no se puede apartar {}", Path::new(&from).display()), source })?;
        }
    }
    Ok(())
}

/// Makes a file SQLite created (a database, a backup) private to this account.
pub(crate) fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|source| Error::Io { context: said!("cannot make {} private", "no se puede hacer privado {}", path.display()), source })?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates a folder (and its parents) that only this account may open.
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    let io = |source| Error::Io { context: said!("cannot create the folder {}", "no se puede crear la carpeta {}", dir.display()), source };
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn files_written_are_private_and_replace_the_old_one_whole() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.bundle");
        std::fs::write(&path, b"old").expect("old file");
        write_atomically(&path, b"new contents").expect("written");
        assert_eq!(std::fs::read(&path).expect("export"), b"new contents");
        assert_eq!(std::fs::metadata(&path).expect("metadata").permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).expect("folder").count(), 1, "no temporary file is left behind");
        create_private_dir(&dir.path().join("a/b")).expect("private folder");
        assert_eq!(std::fs::metadata(dir.path().join("a/b")).expect("metadata").permissions().mode() & 0o777, 0o700);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_beside_the_destination_never_steers_the_write() {
        let dir = tempfile::tempdir().expect("temp dir");
        let victim = dir.path().join("site.db");
        std::fs::write(&victim, b"the database").expect("victim");
        let path = dir.path().join("audit.csv");
        // The names the temporary file once took: the destination's name and this process id.
        std::os::unix::fs::symlink(&victim, dir.path().join(format!("audit.csv.tmp-{}", std::process::id()))).expect("planted link");
        write_atomically(&path, b"the export").expect("written");
        assert_eq!(std::fs::read(&victim).expect("victim"), b"the database");
        assert_eq!(std::fs::read(&path).expect("export"), b"the export");
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_or_a_folder_at_the_destination_is_left_as_it_is() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let pipe = dir.path().join("roster.csv");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status().expect("mkfifo");
        assert!(made.success());
        let refused = write_atomically(&pipe, b"everyone's charges").expect_err("a pipe is not replaced");
        assert!(refused.to_string().contains("is not a file"), "{refused}");
        assert!(std::fs::metadata(&pipe).expect("still there").file_type().is_fifo());
        let folder = dir.path().join("reports");
        std::fs::create_dir(&folder).expect("folder");
        assert!(write_atomically(&folder, b"x").is_err());
        assert!(folder.is_dir());
    }
}
