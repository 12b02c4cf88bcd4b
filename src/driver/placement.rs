//! The earlier placement of an app's functions in nested stacks, as the planner is given
//! it: the placement file beside the app, and the deployed stacks' placement.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::plan::placement::{self, Home, Placement};
use crate::plan::Memory;
use crate::source::SourceMap;

/// A placement file larger than this is refused: one line per function is some 30 bytes,
/// so this is hundreds of thousands of functions (far past what CloudFormation can hold).
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// What is known of the earlier placement before planning.
#[derive(Debug, Clone, Default)]
pub struct PlacementInput {
    /// The placement file's path and text, when it exists.
    pub file: Option<(PathBuf, String)>,
    /// The deployed stacks' placement (`deploy`, `diff`): function logical ID → stack.
    pub deployed: Option<BTreeMap<String, Home>>,
    /// `--rebalance`: place every function afresh.
    pub rebalance: bool,
}

impl PlacementInput {
    /// Read the placement file of the app in `entry` (`app.lam.placement`), when there is
    /// one. `Err`: a file that exists but cannot be read, as a message.
    pub fn read(entry: &Path, rebalance: bool) -> Result<PlacementInput, String> {
        let path = placement::path_for(entry);
        Ok(PlacementInput {
            file: read_file(&path)?.map(|text| (path, text)),
            deployed: None,
            rebalance,
        })
    }

    /// The file's text, when there is one.
    pub fn text(&self) -> Option<&str> {
        self.file.as_ref().map(|(_, t)| t.as_str())
    }

    /// The planner's view. The file joins `sources`, so that its unreadable lines are
    /// reported (E0441, into `diagnostics`) like the program's own.
    pub(super) fn memory(
        &self,
        sources: &mut SourceMap,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Memory {
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
