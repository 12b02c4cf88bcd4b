//! `lamc lsp`: the language server, spoken over stdin/stdout.

use clap::Args;

use crate::driver::CheckOptions;

use super::{EXIT_OK, EXIT_USAGE_OR_IO};

/// Run the language server on stdin/stdout (for editors).
#[derive(Debug, Args)]
#[command(after_help = "Editors start it themselves; see the README's \"Editors\" section.")]
pub struct LspArgs {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long, hide = true)]
    stdio: bool,
}

pub fn run(args: &LspArgs, check: &CheckOptions) -> i32 {
    let _ = args.stdio;
    match crate::lsp::run_stdio(check.clone()) {
        Ok(crate::lsp::Ending::Clean) => EXIT_OK,
        // The protocol's rule: `exit` without `shutdown` first ends with status 1.
        Ok(crate::lsp::Ending::ExitWithoutShutdown) => 1,
        Err(e) => {
            super::eprint_text(&format!("lamc lsp: {e}\n"));
            EXIT_USAGE_OR_IO
        }
    }
}
