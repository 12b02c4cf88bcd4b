//! The project root: the folder that `use` and `code` paths must stay inside.
//!
//! It is the folder of the entry file (the `.lam` file given on the command line, or the
//! document an editor opened) unless `--root DIR` (or the editor's workspace folder) names
//! another, e.g. a repository root shared by several apps. A path is checked twice: as
//! written (an absolute path, or `..` climbing out, is refused before anything is looked
//! up, so nothing outside is even probed), then once its symbolic links are resolved (a
//! link inside the project that leads out of it is refused too).

use std::path::{Component, Path, PathBuf};

/// The folder a program's files must stay inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRoot {
    /// Absolute, and with symbolic links resolved when the folder exists.
    dir: PathBuf,
}

/// How a path leaves the project root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escape {
    /// Written as an absolute path.
    Absolute,
    /// `..` climbs above the root.
    Climbs,
    /// A symbolic link on the way leads out of the root.
    Link,
}

/// Where a path inside the root leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// It exists; its real path (inside the root).
    Found(PathBuf),
    /// Nothing is there; the path that was looked for.
    Missing(PathBuf),
}

impl ProjectRoot {
    /// The root at `dir` (relative to the current folder when relative).
    pub fn new(dir: &Path) -> Self {
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let dir = std::fs::canonicalize(&absolute).unwrap_or_else(|_| normalize(&absolute));
        ProjectRoot { dir }
    }

    /// The root for an entry file: `explicit` when given, else the file's folder, else
    /// (a document that is not on disk) the current folder.
    pub fn for_entry(entry: Option<&Path>, explicit: Option<&Path>) -> Self {
        match (explicit, entry.and_then(Path::parent)) {
            (Some(dir), _) => ProjectRoot::new(dir),
            (None, Some(parent)) if !parent.as_os_str().is_empty() => ProjectRoot::new(parent),
            _ => ProjectRoot::new(Path::new(".")),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the real path `path` is the root or inside it.
    pub fn contains(&self, path: &Path) -> bool {
        path.starts_with(&self.dir)
    }

    /// Resolve `written`, a path as written in a file whose folder is `base` (`None`: a
    /// document not on disk, whose paths are relative to the root).
    pub fn resolve(&self, base: Option<&Path>, written: &str) -> Result<Resolved, Escape> {
        if Path::new(written).has_root() {
            return Err(Escape::Absolute);
        }
        let base = base.unwrap_or(&self.dir);
        let base = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
        let lexical = normalize(&base.join(written));
        if !self.contains(&lexical) {
            return Err(Escape::Climbs);
        }
        match std::fs::canonicalize(&lexical) {
            Ok(real) if self.contains(&real) => Ok(Resolved::Found(real)),
            Ok(_) => Err(Escape::Link),
            Err(_) => Ok(Resolved::Missing(lexical)),
        }
    }
}

/// `path` with `.` dropped and each `..` taking off the component before it, without
/// looking at the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> (tempfile::TempDir, ProjectRoot) {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("app/src")).expect("mkdir");
        std::fs::create_dir_all(dir.path().join("secrets")).expect("mkdir");
        let root = ProjectRoot::new(&dir.path().join("app"));
        (dir, root)
    }

    #[test]
    fn paths_inside_resolve() {
        let (_dir, root) = project();
        let base = root.dir().to_path_buf();
        assert_eq!(
            root.resolve(Some(&base), "src"),
            Ok(Resolved::Found(base.join("src")))
        );
        assert_eq!(
            root.resolve(Some(&base), "./src/../src/"),
            Ok(Resolved::Found(base.join("src")))
        );
        assert_eq!(
            root.resolve(Some(&base), "."),
            Ok(Resolved::Found(base.clone()))
        );
        assert_eq!(
            root.resolve(Some(&base), "nope"),
            Ok(Resolved::Missing(base.join("nope")))
        );
        assert_eq!(
            root.resolve(None, "src"),
            Ok(Resolved::Found(base.join("src")))
        );
    }

    #[test]
    fn absolute_paths_and_climbing_out_are_refused() {
        let (_dir, root) = project();
        let base = root.dir().join("src");
        assert_eq!(root.resolve(Some(&base), "/etc"), Err(Escape::Absolute));
        assert_eq!(
            root.resolve(Some(&base), "../../secrets"),
            Err(Escape::Climbs)
        );
        assert_eq!(
            root.resolve(Some(&base), "../../../../../../../../etc"),
            Err(Escape::Climbs)
        );
        // Climbing out and back in is still inside.
        assert!(root.resolve(Some(&base), "../../app/src").is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_root_are_refused() {
        let (dir, root) = project();
        std::os::unix::fs::symlink(dir.path().join("secrets"), root.dir().join("out"))
            .expect("symlink");
        assert_eq!(root.resolve(Some(root.dir()), "out"), Err(Escape::Link));
    }

    #[test]
    fn the_entry_folder_is_the_default_root() {
        let (dir, _) = project();
        let entry = dir.path().join("app/app.lam");
        let root = ProjectRoot::for_entry(Some(&entry), None);
        assert!(root.dir().ends_with("app"));
        let wider = ProjectRoot::for_entry(Some(&entry), Some(dir.path()));
        assert!(wider.contains(&root.dir().join("x")));
        assert!(!root.contains(&wider.dir().join("secrets")));
    }
}
