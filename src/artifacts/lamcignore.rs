//! `.lamcignore` files: gitignore patterns for what a code zip leaves out.
//!
//! Every `.lamcignore` in the folders from the project root down to a file applies to it,
//! each with its patterns relative to its own folder, the deeper one deciding when two
//! match (as git does with `.gitignore`). The patterns are parsed by the `ignore` crate
//! (ripgrep's); the files are read here, as regular files under a cap, so that a named
//! pipe called `.lamcignore` cannot stall a build.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

use crate::files::read::{read_capped, ReadError};

/// The name of an ignore file.
pub const IGNORE_FILE: &str = ".lamcignore";

/// An ignore file larger than this is refused (a long one is a few kilobytes).
const MAX_IGNORE_BYTES: u64 = 1024 * 1024;

/// Why an ignore file cannot be used.
#[derive(Debug)]
pub enum IgnoreError {
    Read(PathBuf, ReadError),
    Pattern {
        file: PathBuf,
        line: usize,
        message: String,
    },
}

/// The patterns that apply inside one folder, outermost first.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    levels: Vec<Arc<Gitignore>>,
}

impl Rules {
    /// The rules of every folder from `root` down to `dir`, both included; only `dir`'s
    /// own when `root` is not above it.
    pub fn down_to(root: Option<&Path>, dir: &Path) -> Result<Rules, IgnoreError> {
        let mut folders: Vec<&Path> = match root {
            Some(root) if dir.starts_with(root) => dir
                .ancestors()
                .take_while(|a| a.starts_with(root))
                .collect(),
            _ => vec![dir],
        };
        folders.reverse();
        let mut rules = Rules::default();
        for folder in folders {
            rules = rules.enter(folder)?;
        }
        Ok(rules)
    }

    /// These rules, and `dir`'s own `.lamcignore` when it has one.
    pub fn enter(&self, dir: &Path) -> Result<Rules, IgnoreError> {
        let file = dir.join(IGNORE_FILE);
        match std::fs::symlink_metadata(&file) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(self.clone()),
            Err(e) => return Err(IgnoreError::Read(file, ReadError::Io(e))),
        }
        let bytes =
            read_capped(&file, MAX_IGNORE_BYTES).map_err(|e| IgnoreError::Read(file.clone(), e))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| IgnoreError::Read(file.clone(), ReadError::NotUtf8))?;
        let mut builder = GitignoreBuilder::new(dir);
        for (i, line) in text.lines().enumerate() {
            builder
                .add_line(Some(file.clone()), line)
                .map_err(|e| IgnoreError::Pattern {
                    file: file.clone(),
                    line: i + 1,
                    message: e.to_string(),
                })?;
        }
        let matcher = builder.build().map_err(|e| IgnoreError::Pattern {
            file: file.clone(),
            line: 0,
            message: e.to_string(),
        })?;
        let mut rules = self.clone();
        rules.levels.push(Arc::new(matcher));
        Ok(rules)
    }

    /// Whether `path` (inside the folder these rules belong to) is left out.
    pub fn ignores(&self, path: &Path, is_dir: bool) -> bool {
        for level in self.levels.iter().rev() {
            match level.matched(path, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deeper_files_decide_and_patterns_are_relative_to_their_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let code = root.join("svc");
        std::fs::create_dir_all(code.join("lib")).expect("mkdir");
        std::fs::write(root.join(IGNORE_FILE), "*.log\n/svc/tmp\n").expect("write");
        std::fs::write(code.join(IGNORE_FILE), "# keep this one\n!keep.log\n").expect("write");
        let rules = Rules::down_to(Some(root), &code).expect("rules");
        assert!(rules.ignores(&code.join("debug.log"), false));
        assert!(!rules.ignores(&code.join("keep.log"), false));
        assert!(rules.ignores(&code.join("tmp"), true));
        assert!(!rules.ignores(&code.join("lib/tmp"), true));
        assert!(!rules.ignores(&code.join("main.py"), false));
        // Without the project root only the code folder's own file applies.
        let own = Rules::down_to(None, &code).expect("rules");
        assert!(!own.ignores(&code.join("debug.log"), false));
    }

    #[test]
    fn a_bad_pattern_names_its_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(IGNORE_FILE), "ok\n{unclosed\n").expect("write");
        match Rules::down_to(None, dir.path()) {
            Err(IgnoreError::Pattern { line, .. }) => assert_eq!(line, 2),
            other => panic!("expected a pattern error, got {other:?}"),
        }
    }
}
