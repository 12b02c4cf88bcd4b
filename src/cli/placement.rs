//! The placement file beside the app (`app.lam.placement`): read before planning, written
//! after a build, and the notes the commands print about functions that change stack.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::output;
use crate::diag::Diagnostic;
use crate::plan::placement::{self, Home, Placement, Report};
use crate::plan::Memory;
use crate::source::SourceMap;

/// A placement file larger than this is refused: one line per function is some 30 bytes,
/// so this is hundreds of thousands of functions (far past what CloudFormation can hold).
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// What a command knows of the earlier placement before it plans.
#[derive(Debug, Default)]
pub(crate) struct Input {
    /// The placement file's path and text, when it exists.
    pub file: Option<(PathBuf, String)>,
    /// The deployed stacks' placement (`deploy`, `diff`): function logical ID → stack.
    pub deployed: Option<BTreeMap<String, Home>>,
    /// `--rebalance`: place every function afresh.
    pub rebalance: bool,
}

impl Input {
    /// Read the placement file of the app in `entry`, when there is one.
    pub fn read(entry: &Path, rebalance: bool) -> Result<Input, String> {
        let path = placement::path_for(entry);
        Ok(Input {
            file: read_file(&path)?.map(|text| (path, text)),
            deployed: None,
            rebalance,
        })
    }

    /// The planner's view. The file joins `sources`, so that its unreadable lines are
    /// reported (into `diagnostics`) like the program's own.
    pub fn memory(&self, sources: &mut SourceMap, diagnostics: &mut Vec<Diagnostic>) -> Memory {
        let file = self.file.as_ref().and_then(|(path, text)| {
            let id = sources.add(path.display().to_string(), Some(path.clone()), text.clone());
            match Placement::parse(text, id) {
                Ok(p) => Some(p),
                Err(mut errs) => {
                    diagnostics.append(&mut errs);
                    crate::diag::sort(diagnostics);
                    None
                }
            }
        });
        Memory {
            file,
            deployed: self.deployed.clone(),
            rebalance: self.rebalance,
        }
    }

    /// The file's text, when there is one.
    pub fn text(&self) -> Option<&str> {
        self.file.as_ref().map(|(_, t)| t.as_str())
    }
}

/// The file's text; `None` when there is no such file.
fn read_file(path: &Path) -> Result<Option<String>, String> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "cannot read {}: it is over {} MiB, which no placement file is",
            path.display(),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| format!("cannot read {}: it is not UTF-8 text", path.display()))
}

/// Keep the placement file in step with what was built: write it (atomically, and only
/// when its text changes) when the app is split; remove a stale one when the app fits in
/// one template. Returns a note for stderr when the file appears or goes.
pub(crate) fn store(
    entry: &Path,
    report: &Report,
    existing: Option<&str>,
) -> Result<Option<String>, String> {
    let path = placement::path_for(entry);
    let Some(placed) = &report.placement else {
        if existing.is_none() {
            return Ok(None);
        }
        std::fs::remove_file(&path)
            .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        return Ok(Some(format!(
            "note: removed {}: the app fits in one template",
            path.display()
        )));
    };
    let entry_name = entry
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = placed.render(&entry_name);
    if existing == Some(text.as_str()) {
        return Ok(None);
    }
    output::write_atomically(&path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(existing.is_none().then(|| {
        format!(
            "note: wrote {}: commit it with the app, so that later builds keep each function \
             in its stack",
            path.display()
        )
    }))
}

/// One line naming the functions that move, for a build without `--stats`.
pub(crate) fn moves_note(report: &Report) -> Option<String> {
    const SHOWN: usize = 8;
    if report.moves.is_empty() {
        return None;
    }
    let mut names: Vec<&str> = report
        .moves
        .iter()
        .take(SHOWN)
        .map(|m| m.function.as_str())
        .collect();
    if report.moves.len() > SHOWN {
        names.push("…");
    }
    Some(format!(
        "warning: {} moving to another stack, which deletes and creates each again: {} \
         (`--stats` says why and what each move costs)",
        placement::count(report.moves.len()),
        names.join(", ")
    ))
}

/// Where the placement file and the deployed stacks disagree (the deployed stacks win).
#[cfg_attr(not(feature = "deploy"), allow(dead_code))]
pub(crate) fn disagreements_note(report: &Report, file: &Path, stack: &str) -> Option<String> {
    if report.disagreements.is_empty() {
        return None;
    }
    let mut out = format!(
        "note: {} places {} elsewhere than stack {stack} does; the deployed stack wins:",
        file.display(),
        placement::count(report.disagreements.len())
    );
    for (function, in_file, deployed) in &report.disagreements {
        out.push_str(&format!(
            "\n  {function}: {in_file} in the file, {deployed} deployed"
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(homes: &[(&str, Home)]) -> Report {
        Report {
            placement: Some(Placement {
                homes: homes.iter().map(|(f, h)| (f.to_string(), *h)).collect(),
            }),
            ..Report::default()
        }
    }

    #[test]
    fn the_file_is_written_once_and_removed_when_the_app_fits() {
        let dir = tempfile::tempdir().expect("temp dir");
        let entry = dir.path().join("app.lam");
        let placed = report(&[("a", Home::Child(0)), ("b", Home::Root)]);
        let note = store(&entry, &placed, None).expect("written");
        assert!(note.is_some_and(|n| n.contains("wrote")));
        let path = placement::path_for(&entry);
        let text = std::fs::read_to_string(&path).expect("file");
        assert!(text.ends_with("a = NestedStack1\nb = root\n"), "{text}");
        assert_eq!(store(&entry, &placed, Some(&text)), Ok(None));
        let note = store(&entry, &Report::default(), Some(&text)).expect("removed");
        assert!(note.is_some_and(|n| n.contains("removed")));
        assert!(!path.exists());
        assert_eq!(store(&entry, &Report::default(), None), Ok(None));
    }

    #[test]
    fn a_missing_file_is_no_placement_and_a_binary_one_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let entry = dir.path().join("app.lam");
        assert!(Input::read(&entry, false).expect("read").file.is_none());
        std::fs::write(placement::path_for(&entry), [0xff, 0xfe]).expect("write");
        let err = Input::read(&entry, false).expect_err("not text");
        assert!(err.contains("not UTF-8"), "{err}");
    }
}
