//! Where a command may write a file: never over one of the program's own files, and only
//! to a regular file (or a new one), replaced atomically.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use crate::files::read::kind_of;
use crate::files::FileKey;

/// Replace `path` with `contents` atomically, waiting for the disk (see
/// [`crate::files::write_atomically`]): on any error `path` keeps its old contents.
pub(crate) fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    crate::files::write_atomically(path, contents, true)
}

/// Why the template must not be written to `out`, or `None`. `inputs` are the program's
/// files: writing over one would replace the source with the template. Anything but a
/// regular file (a device, a named pipe, a folder, a symbolic link) would be replaced
/// by the rename, so it is refused too; a new file is fine.
pub(crate) fn refuse_output<'a>(
    out: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Option<String> {
    let meta = std::fs::symlink_metadata(out).ok()?;
    if !meta.is_file() {
        return Some(format!(
            "it is {}; the template is written only to a regular file or a new one \
             (leave out -o to write to stdout)",
            kind_of(meta.file_type())
        ));
    }
    let key = FileKey::of_meta(&meta);
    let real = std::fs::canonicalize(out).ok();
    let is_input = inputs.into_iter().any(|input| {
        real.as_deref() == Some(input) || (key.is_some() && FileKey::of_path(input) == key)
    });
    is_input.then(|| "it is a file of the program being built".to_string())
}

/// Why `dir` cannot receive artifacts, or `None`: it must be a folder (or a link to one)
/// or not exist yet.
pub(crate) fn refuse_artifacts_dir(dir: &Path) -> Option<String> {
    let meta = std::fs::metadata(dir).ok()?;
    (!meta.is_dir()).then(|| format!("it is {}, not a folder", describe(&meta)))
}

fn describe(meta: &std::fs::Metadata) -> &'static str {
    if meta.is_file() {
        "a regular file"
    } else {
        kind_of(meta.file_type())
    }
}

/// The file in the artifacts folder that lists the templates `lamc build` wrote there
/// before (one absolute path a line, sorted), so that a later build never packs one of
/// them into a `code = "."` zip, whatever it was called.
const TEMPLATES_RECORD: &str = "templates-written";

/// The templates earlier builds with this artifacts folder wrote (see
/// [`remember_template`]); none when there is no readable record.
pub(crate) fn earlier_templates(artifacts_dir: &Path) -> Vec<PathBuf> {
    let record = artifacts_dir.join(TEMPLATES_RECORD);
    match crate::files::read_source(&record) {
        Ok(text) => text
            .lines()
            .filter(|l| !l.is_empty())
            .map(PathBuf::from)
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Add `template` (an absolute path) to the record in `artifacts_dir`.
pub(crate) fn remember_template(artifacts_dir: &Path, template: &Path) -> io::Result<()> {
    let mut known: BTreeSet<PathBuf> = earlier_templates(artifacts_dir).into_iter().collect();
    if !known.insert(template.to_path_buf()) {
        return Ok(());
    }
    // Forget templates that are gone: the record stays as long as the folder's own files.
    known.retain(|p| p.is_file());
    let mut text = String::new();
    for path in &known {
        text.push_str(&path.to_string_lossy());
        text.push('\n');
    }
    std::fs::create_dir_all(artifacts_dir)?;
    crate::files::write_atomically(
        &artifacts_dir.join(TEMPLATES_RECORD),
        text.as_bytes(),
        false,
    )
}

/// The regular file standard output is redirected to, by its path (Linux: `/proc`).
pub(crate) fn stdout_file() -> Option<PathBuf> {
    FileKey::of_stdout()?;
    std::fs::read_link("/proc/self/fd/1")
        .ok()
        .filter(|p| p.is_absolute() && p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_and_special_files_are_refused() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let app = dir.path().join("app.lam");
        std::fs::write(&app, "queue q {}\n")?;
        let real = std::fs::canonicalize(&app)?;
        let out = dir.path().join("t.json");
        assert_eq!(refuse_output(&out, [real.as_path()]), None);
        std::fs::write(&out, "{}")?;
        assert_eq!(refuse_output(&out, [real.as_path()]), None);
        assert_eq!(
            refuse_output(&app, [real.as_path()]).as_deref(),
            Some("it is a file of the program being built")
        );
        let dotted = dir.path().join(".").join("app.lam");
        assert!(refuse_output(&dotted, [real.as_path()]).is_some());
        assert!(refuse_output(dir.path(), [real.as_path()])
            .is_some_and(|m| m.starts_with("it is a folder")));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&out, &link)?;
            assert!(refuse_output(&link, [real.as_path()])
                .is_some_and(|m| m.starts_with("it is a symbolic link")));
            assert!(refuse_output(Path::new("/dev/null"), [real.as_path()])
                .is_some_and(|m| m.starts_with("it is a character device")));
        }
        Ok(())
    }

    #[test]
    fn the_artifacts_dir_must_be_a_folder() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        assert_eq!(refuse_artifacts_dir(dir.path()), None);
        assert_eq!(refuse_artifacts_dir(&dir.path().join("new")), None);
        let file = dir.path().join("app.lam");
        std::fs::write(&file, "")?;
        assert_eq!(
            refuse_artifacts_dir(&file).as_deref(),
            Some("it is a regular file, not a folder")
        );
        Ok(())
    }
}
