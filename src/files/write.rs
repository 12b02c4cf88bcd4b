//! Replacing a file so that a failure never leaves a half-written one behind, and only
//! ever a regular file.

use std::io::{self, Write};
use std::path::Path;

use super::read::kind_of;

/// Replace `path` with `contents` atomically: write a temporary file in the same folder,
/// then rename it over `path`. On any error `path` is left exactly as it was and the
/// temporary file is removed (`NamedTempFile` deletes itself when dropped, also inside a
/// failed `persist`).
///
/// `path` must be a regular file or not exist: renaming over a device node, a named pipe
/// or a symbolic link would replace the node or the link, so those are refused. A
/// replaced file keeps its permissions; a new one gets the usual mode of a new file
/// (0666 less the umask, as `>` in a shell gives). `sync` waits for the data to reach the
/// disk before the rename.
pub fn write_atomically(path: &Path, contents: &[u8], sync: bool) -> io::Result<()> {
    let existing = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => Some(meta.permissions()),
        Ok(meta) => return Err(not_regular(kind_of(meta.file_type()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".lamc-").suffix(".tmp");
    if let Some(mode) = new_file_permissions() {
        builder.permissions(mode);
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.flush()?;
    if let Some(p) = existing {
        tmp.as_file().set_permissions(p)?;
    }
    if sync {
        tmp.as_file().sync_all()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The error for a target that is not a regular file.
pub fn not_regular(kind: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {kind}; lamc writes only to regular files"),
    )
}

/// tempfile creates its files private (0600); ask for 0666 instead, which the umask
/// narrows as it does for any new file.
#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o666))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_nothing_else() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("t.json");
        std::fs::write(&out, "old")?;
        write_atomically(&out, b"new", true)?;
        assert_eq!(std::fs::read_to_string(&out)?, "new");
        assert_eq!(entries(dir.path()), vec!["t.json".to_string()]);
        Ok(())
    }

    #[test]
    fn refuses_a_folder_and_leaves_no_temp_file() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("taken");
        std::fs::create_dir(&out)?;
        std::fs::write(out.join("keep"), "x")?;
        let err = write_atomically(&out, b"new", false).expect_err("a folder is refused");
        assert_eq!(
            err.to_string(),
            "it is a folder; lamc writes only to regular files"
        );
        assert_eq!(entries(dir.path()), vec!["taken".to_string()]);
        assert_eq!(std::fs::read_to_string(out.join("keep"))?, "x");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_and_devices() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("real.json");
        std::fs::write(&target, "keep")?;
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&target, &link)?;
        assert!(write_atomically(&link, b"new", false).is_err());
        assert!(std::fs::symlink_metadata(&link)?.file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target)?, "keep");
        let err = write_atomically(Path::new("/dev/null"), b"x", false).expect_err("device");
        assert!(err.to_string().contains("a character device"), "{err}");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn new_files_follow_the_umask_and_replaced_files_keep_their_mode() -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        // What the process creates a plain file with, whatever umask the test runs under.
        let plain = dir.path().join("plain");
        std::fs::write(&plain, "x")?;
        let usual = std::fs::metadata(&plain)?.permissions().mode() & 0o777;
        let out = dir.path().join("t.yaml");
        write_atomically(&out, b"x", false)?;
        assert_eq!(std::fs::metadata(&out)?.permissions().mode() & 0o777, usual);
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640))?;
        write_atomically(&out, b"y", false)?;
        assert_eq!(std::fs::metadata(&out)?.permissions().mode() & 0o777, 0o640);
        Ok(())
    }
}
