//! The placement file beside the app (`app.lam.placement`): read before planning, written
//! after a build, and the notes the commands print about functions that change stack.

use std::path::Path;

use super::output;
use crate::plan::placement::{self, Report};

/// What a command knows of the earlier placement before it plans.
pub(crate) type Input = crate::driver::PlacementInput;

/// Read the placement file of the app in `entry`, when there is one.
pub(crate) fn read(entry: &Path, rebalance: bool) -> Result<Input, String> {
    Input::read(entry, rebalance)
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
    use crate::plan::placement::{Home, Placement};

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
        assert!(read(&entry, false).expect("read").file.is_none());
        std::fs::write(placement::path_for(&entry), [0xff, 0xfe]).expect("write");
        let err = read(&entry, false).expect_err("not text");
        assert!(err.contains("not UTF-8"), "{err}");
    }
}
