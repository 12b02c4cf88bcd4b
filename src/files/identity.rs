//! Which file a path or an open handle is, independent of its name: a build's own
//! outputs are recognised this way wherever they are and whatever they are called
//! (the template redirected with `> template.json` into a folder being zipped has no name
//! lamc is told).

use std::path::Path;

/// A file's device and inode numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileKey {
    dev: u64,
    ino: u64,
}

impl FileKey {
    /// The file `path` names (following symbolic links), when it exists.
    pub fn of_path(path: &Path) -> Option<FileKey> {
        std::fs::metadata(path)
            .ok()
            .as_ref()
            .and_then(FileKey::of_meta)
    }

    /// The file of already-read metadata.
    #[cfg(unix)]
    pub fn of_meta(meta: &std::fs::Metadata) -> Option<FileKey> {
        use std::os::unix::fs::MetadataExt;
        Some(FileKey {
            dev: meta.dev(),
            ino: meta.ino(),
        })
    }

    #[cfg(not(unix))]
    pub fn of_meta(_meta: &std::fs::Metadata) -> Option<FileKey> {
        None
    }

    /// The regular file standard output is redirected to, if it is one.
    #[cfg(unix)]
    pub fn of_stdout() -> Option<FileKey> {
        use std::os::fd::AsFd;
        let fd = std::io::stdout().as_fd().try_clone_to_owned().ok()?;
        let meta = std::fs::File::from(fd).metadata().ok()?;
        if meta.is_file() {
            FileKey::of_meta(&meta)
        } else {
            None
        }
    }

    #[cfg(not(unix))]
    pub fn of_stdout() -> Option<FileKey> {
        None
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_same_file_under_two_names_is_one_key() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let a = dir.path().join("a");
        std::fs::write(&a, "x")?;
        std::os::unix::fs::symlink(&a, dir.path().join("b"))?;
        std::fs::write(dir.path().join("c"), "x")?;
        assert_eq!(
            FileKey::of_path(&a),
            FileKey::of_path(&dir.path().join("b"))
        );
        assert_ne!(
            FileKey::of_path(&a),
            FileKey::of_path(&dir.path().join("c"))
        );
        assert_eq!(FileKey::of_path(&dir.path().join("missing")), None);
        Ok(())
    }
}
