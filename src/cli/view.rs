//! What the commands that show an app (`schedule`, `graph`) share: check and plan it as
//! `lamc build` would (reading FILE.placement, so that nested stacks are the built ones),
//! writing nothing, and report its diagnostics as `lamc check` does.

use std::path::Path;

use super::{
    compile_placed, eprint_text, placement, Compiled, MessageFormat, Reporter, EXIT_PROGRAM_ERRORS,
    EXIT_USAGE_OR_IO,
};
use crate::driver::CheckOptions;
use crate::plan::PlanOptions;

/// The checked and planned app, its warnings already on stderr; or the exit status when it
/// cannot be shown (errors reported).
pub(crate) fn checked(file: &Path, check: &CheckOptions) -> Result<Compiled, i32> {
    let reporter = Reporter::new(MessageFormat::Human);
    let input = match placement::Input::read(file, false) {
        Ok(input) => input,
        Err(message) => {
            reporter.error_line(&message);
            return Err(EXIT_USAGE_OR_IO);
        }
    };
    let compiled = match compile_placed(file, check, &PlanOptions::default(), &input, false) {
        Ok(c) => c,
        Err(failure) => {
            reporter.error_line(&failure.message);
            return Err(failure.exit);
        }
    };
    eprint_text(&reporter.diagnostics(&compiled));
    eprint_text(&reporter.summary(&compiled, false));
    if compiled.fails(false) || compiled.model.is_none() {
        return Err(EXIT_PROGRAM_ERRORS);
    }
    Ok(compiled)
}
