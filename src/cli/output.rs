//! Writing output files so that a failure never leaves a half-written one behind.

use std::io::{self, Write};
use std::path::Path;

/// Replace `path` with `contents` atomically: write a temporary file in the same
/// directory, then rename it over `path`. On any error `path` is left exactly as it was
/// and the temporary file is removed (`NamedTempFile` deletes itself when dropped, also
/// inside a failed `persist`).
pub(crate) fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".lamc-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.flush()?;
    tmp.as_file().sync_all()?;
    // tempfile creates its files private (0600); a template is an ordinary file, so keep
    // the permissions of the file being replaced, or use the usual 0644 for a new one.
    let permissions = match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Some(meta.permissions()),
        _ => default_permissions(),
    };
    if let Some(p) = permissions {
        tmp.as_file().set_permissions(p)?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
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
        write_atomically(&out, b"new")?;
        assert_eq!(std::fs::read_to_string(&out)?, "new");
        assert_eq!(entries(dir.path()), vec!["t.json".to_string()]);
        Ok(())
    }

    #[test]
    fn failure_leaves_no_temp_file() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        // Renaming a file over a non-empty directory fails.
        let out = dir.path().join("taken");
        std::fs::create_dir(&out)?;
        std::fs::write(out.join("keep"), "x")?;
        assert!(write_atomically(&out, b"new").is_err());
        assert_eq!(entries(dir.path()), vec!["taken".to_string()]);
        assert_eq!(std::fs::read_to_string(out.join("keep"))?, "x");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_not_private() -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("t.yaml");
        write_atomically(&out, b"x")?;
        assert_eq!(std::fs::metadata(&out)?.permissions().mode() & 0o777, 0o644);
        Ok(())
    }
}
