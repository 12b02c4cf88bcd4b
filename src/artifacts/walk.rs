//! What goes into a code zip: the regular files of the code folder, less what is never
//! packaged, with symbolic links kept inside the folder.
//!
//! Left out: `.git` and `.lamc` (lamc's own build folder) at any depth, `.lamcignore`
//! files and what their patterns match, and the files this build writes (the artifacts
//! folder, the template, wherever they are: recognised by identity, not by name). Named
//! pipes, devices and sockets are skipped: they have no content to pack. A symbolic link
//! is followed when it leads to a place inside the code folder (its target is stored
//! under the link's name) and is an error when it leads out of it, nowhere, or round in
//! a loop. The files together must stay under Lambda's unzipped size limit (QT-04).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::lamcignore::{IgnoreError, Rules, IGNORE_FILE};
use super::Packaging;
use crate::files::FileKey;

/// QT-04 / PKG-01. Layers count towards it too, which lamc cannot see, so only a folder
/// already over it on its own is refused.
pub use crate::schema::limits::MAX_UNZIPPED_BYTES;

/// Folders and files never packaged, at any depth.
const NEVER_PACKED: [&str; 3] = [".git", ".lamc", IGNORE_FILE];

/// One file to pack.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// The name inside the zip: relative to the code folder, `/`-separated.
    pub name: String,
    /// Where it is read from.
    pub path: PathBuf,
}

/// Why a folder cannot be packed. Paths in `Link*` are relative to the code folder.
#[derive(Debug)]
pub enum PackError {
    LinkOut { link: String, target: PathBuf },
    LinkLoop { link: String },
    LinkBroken { link: String },
    Empty { left_out: usize },
    TooLarge { at_least: u64 },
    Ignore(IgnoreError),
    Io(std::io::Error),
}

impl From<IgnoreError> for PackError {
    fn from(e: IgnoreError) -> Self {
        PackError::Ignore(e)
    }
}

impl From<std::io::Error> for PackError {
    fn from(e: std::io::Error) -> Self {
        PackError::Io(e)
    }
}

/// The files to pack from `dir` (absolute, symbolic links resolved), sorted by name,
/// with their total size.
pub fn collect(dir: &Path, packaging: &Packaging) -> Result<(Vec<Entry>, u64), PackError> {
    let mut state = Walk {
        dir,
        packaging,
        rules: HashMap::from([(
            dir.to_path_buf(),
            Rules::down_to(packaging.root.as_deref(), dir)?,
        )]),
        left_out: 0,
    };
    let mut files = Vec::new();
    let mut total = 0u64;
    let mut walk = walkdir::WalkDir::new(dir).follow_links(true).into_iter();
    while let Some(item) = walk.next() {
        let step = match item {
            Ok(entry) => state.step(&entry)?,
            Err(e) => state.failed(e)?,
        };
        match step {
            Step::Next => {}
            Step::LeaveOutFolder => walk.skip_current_dir(),
            Step::Pack(entry, size) => {
                total = total.saturating_add(size);
                if total >= MAX_UNZIPPED_BYTES {
                    return Err(PackError::TooLarge { at_least: total });
                }
                files.push(entry);
            }
        }
    }
    if files.is_empty() {
        return Err(PackError::Empty {
            left_out: state.left_out,
        });
    }
    files.sort();
    Ok((files, total))
}

/// What to do with one entry of the walk.
enum Step {
    /// Nothing more (a folder entered, a file left out, a named pipe).
    Next,
    /// A folder left out: do not walk into it.
    LeaveOutFolder,
    /// A file to pack, and its size.
    Pack(Entry, u64),
}

/// The walk of one code folder: the `.lamcignore` rules of every folder entered so far,
/// and how many entries were left out (for E0431's message).
struct Walk<'a> {
    dir: &'a Path,
    packaging: &'a Packaging,
    rules: HashMap<PathBuf, Rules>,
    left_out: usize,
}

impl Walk<'_> {
    fn step(&mut self, entry: &walkdir::DirEntry) -> Result<Step, PackError> {
        if entry.depth() == 0 {
            return Ok(Step::Next);
        }
        let path = entry.path();
        let is_dir = entry.file_type().is_dir();
        if self.leaves_out(path, is_dir) || is_product(entry, self.packaging) {
            self.left_out += 1;
            return Ok(if is_dir {
                Step::LeaveOutFolder
            } else {
                Step::Next
            });
        }
        if entry.path_is_symlink() {
            let target = std::fs::canonicalize(path)?;
            if !target.starts_with(self.dir) {
                let link = name_in(self.dir, path);
                return Err(PackError::LinkOut { link, target });
            }
        }
        if is_dir {
            let inherited = path.parent().and_then(|p| self.rules.get(p)).cloned();
            let own = inherited.unwrap_or_default().enter(path)?;
            self.rules.insert(path.to_path_buf(), own);
            return Ok(Step::Next);
        }
        if !entry.file_type().is_file() {
            return Ok(Step::Next);
        }
        let size = entry.metadata().map_err(std::io::Error::other)?.len();
        let name = name_in(self.dir, path);
        let path = path.to_path_buf();
        Ok(Step::Pack(Entry { name, path }, size))
    }

    /// A step that failed: an error, unless it happened on a path that is left out
    /// anyway (a broken link inside an ignored `.venv`).
    fn failed(&mut self, e: walkdir::Error) -> Result<Step, PackError> {
        let Some(path) = e.path().map(Path::to_path_buf) else {
            return Err(PackError::Io(e.into()));
        };
        if self.leaves_out(&path, e.loop_ancestor().is_some()) {
            self.left_out += 1;
            return Ok(Step::Next);
        }
        let link = name_in(self.dir, &path);
        if e.loop_ancestor().is_some() {
            return Err(PackError::LinkLoop { link });
        }
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link && std::fs::metadata(&path).is_err() {
            return Err(PackError::LinkBroken { link });
        }
        Err(PackError::Io(e.into()))
    }

    /// Whether `path` is never packed by name, or the `.lamcignore` rules of the folder
    /// holding it (which the walk has entered) leave it out.
    fn leaves_out(&self, path: &Path, is_dir: bool) -> bool {
        let named = path
            .file_name()
            .is_some_and(|n| NEVER_PACKED.iter().any(|x| n == *x));
        named
            || path
                .parent()
                .and_then(|p| self.rules.get(p))
                .is_some_and(|r| r.ignores(path, is_dir))
    }
}

/// Whether `entry` is one of the files or folders this build writes.
fn is_product(entry: &walkdir::DirEntry, packaging: &Packaging) -> bool {
    if packaging.products.is_empty() {
        return false;
    }
    entry
        .metadata()
        .ok()
        .as_ref()
        .and_then(FileKey::of_meta)
        .is_some_and(|key| packaging.products.contains(&key))
}

/// `path` relative to `dir`, `/`-separated.
fn name_in(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for f in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, f.as_bytes()).expect("write");
        }
        dir
    }

    fn names(dir: &Path, packaging: &Packaging) -> Result<Vec<String>, PackError> {
        let real = std::fs::canonicalize(dir)?;
        let (files, _) = collect(&real, packaging)?;
        Ok(files.into_iter().map(|e| e.name).collect())
    }

    #[test]
    fn never_packs_git_lamc_ignore_files_or_what_they_match() -> Result<(), PackError> {
        let dir = tree(&[
            "main.py",
            ".git/HEAD",
            ".lamc/artifacts/f-1.zip",
            "lib/.lamc/x",
            "node_modules/dep/index.js",
            "tests/test_main.py",
            "build.log",
            "keep.log",
        ]);
        std::fs::write(dir.path().join(IGNORE_FILE), "tests/\n*.log\n!keep.log\n")?;
        let got = names(dir.path(), &Packaging::default())?;
        assert_eq!(got, ["keep.log", "main.py", "node_modules/dep/index.js"]);
        Ok(())
    }

    #[test]
    fn leaves_out_the_builds_own_outputs_by_identity() -> Result<(), PackError> {
        let dir = tree(&["main.py", "out/template.json", "dist/f-1.zip"]);
        let keys = ["out/template.json", "dist"]
            .iter()
            .filter_map(|p| FileKey::of_path(&dir.path().join(p)))
            .collect();
        let packaging = Packaging {
            products: keys,
            ..Packaging::default()
        };
        assert_eq!(names(dir.path(), &packaging)?, ["main.py"]);
        Ok(())
    }

    #[test]
    fn follows_links_inside_and_refuses_links_out() -> Result<(), PackError> {
        let outside = tree(&["secret.txt"]);
        let dir = tree(&["main.py", "lib/util.py"]);
        symlink("lib", dir.path().join("alias"))?;
        symlink("main.py", dir.path().join("entry.py"))?;
        assert_eq!(
            names(dir.path(), &Packaging::default())?,
            ["alias/util.py", "entry.py", "lib/util.py", "main.py"]
        );
        std::fs::remove_file(dir.path().join("alias"))?;
        symlink(outside.path(), dir.path().join("lib/out"))?;
        match names(dir.path(), &Packaging::default()) {
            Err(PackError::LinkOut { link, .. }) => assert_eq!(link, "lib/out"),
            other => panic!("expected a link out, got {other:?}"),
        }
        // Listed in a `.lamcignore`, the link is neither followed nor an error.
        std::fs::write(dir.path().join(IGNORE_FILE), "lib/out\n")?;
        assert!(names(dir.path(), &Packaging::default()).is_ok());
        Ok(())
    }

    #[test]
    fn a_link_to_a_system_folder_is_refused() {
        let dir = tree(&["main.py"]);
        symlink("/etc", dir.path().join("etc")).expect("symlink");
        assert!(matches!(
            names(dir.path(), &Packaging::default()),
            Err(PackError::LinkOut { .. })
        ));
    }

    #[test]
    fn loops_and_broken_links_are_refused() -> Result<(), PackError> {
        let dir = tree(&["main.py", "lib/util.py"]);
        symlink("..", dir.path().join("lib/up"))?;
        match names(dir.path(), &Packaging::default()) {
            Err(PackError::LinkLoop { link }) => assert_eq!(link, "lib/up"),
            other => panic!("expected a loop, got {other:?}"),
        }
        std::fs::remove_file(dir.path().join("lib/up"))?;
        symlink("nowhere", dir.path().join("dangling"))?;
        match names(dir.path(), &Packaging::default()) {
            Err(PackError::LinkBroken { link }) => assert_eq!(link, "dangling"),
            other => panic!("expected a broken link, got {other:?}"),
        }
        Ok(())
    }

    #[test]
    fn named_pipes_are_skipped_without_blocking() -> Result<(), PackError> {
        let dir = tree(&["main.py"]);
        let fifo = dir.path().join("pipe");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("no NUL");
        // SAFETY: `c` is a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert_eq!(names(dir.path(), &Packaging::default())?, ["main.py"]);
        Ok(())
    }

    #[test]
    fn empty_and_oversized_folders_are_refused() -> Result<(), PackError> {
        let dir = tempfile::tempdir()?;
        assert!(matches!(
            names(dir.path(), &Packaging::default()),
            Err(PackError::Empty { left_out: 0 })
        ));
        std::fs::create_dir(dir.path().join(".git"))?;
        assert!(matches!(
            names(dir.path(), &Packaging::default()),
            Err(PackError::Empty { left_out: 1 })
        ));
        // Sparse: the size is what counts, nothing is written or read.
        let big = std::fs::File::create(dir.path().join("model.bin"))?;
        big.set_len(MAX_UNZIPPED_BYTES - 1)?;
        assert!(names(dir.path(), &Packaging::default()).is_ok());
        std::fs::write(dir.path().join("one.byte"), "x")?;
        assert!(matches!(
            names(dir.path(), &Packaging::default()),
            Err(PackError::TooLarge {
                at_least: MAX_UNZIPPED_BYTES
            })
        ));
        Ok(())
    }
}
