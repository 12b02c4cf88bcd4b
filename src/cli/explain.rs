//! `lamc explain CODE`: the long documentation of a diagnostic code.

use clap::Args;

use super::{print_text, EXIT_OK, EXIT_USAGE_OR_IO};
use crate::diag::{did_you_mean, Code, ALL_CODES};

const AFTER_HELP: &str = "\
Examples:
  lamc explain E0401          memory out of range: what, why, an example and the fix
  lamc explain w0502          codes are case-insensitive
  lamc explain --list         every code with its one-line summary";

#[derive(Debug, Args)]
#[command(
    about = "Explain a diagnostic code (what it means, why, and how to fix it)",
    after_help = AFTER_HELP
)]
pub(crate) struct ExplainArgs {
    /// A diagnostic code such as E0401 or W0502.
    #[arg(
        value_name = "CODE",
        required_unless_present = "list",
        conflicts_with = "list"
    )]
    code: Option<String>,

    /// List every code with its summary.
    #[arg(long)]
    list: bool,
}

pub(crate) fn run(args: &ExplainArgs) -> i32 {
    let text = match (&args.code, args.list) {
        (_, true) => list(),
        (Some(code), false) => match Code::parse(code) {
            Some(c) => with_newline(c.doc()),
            None => {
                super::eprint_text(&unknown_code(code));
                return EXIT_USAGE_OR_IO;
            }
        },
        // clap requires CODE unless --list; kept total rather than trusting that.
        (None, false) => {
            super::eprint_text("error: give a code (e.g. `lamc explain E0401`) or --list\n");
            return EXIT_USAGE_OR_IO;
        }
    };
    match print_text(&text) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            super::eprint_text(&format!("error: cannot write: {e}\n"));
            EXIT_USAGE_OR_IO
        }
    }
}

/// `E0401  error    memory out of range`, one line per code in table order.
fn list() -> String {
    ALL_CODES
        .iter()
        .map(|c| {
            let info = c.info();
            format!(
                "{}  {:<7}  {}\n",
                info.code,
                info.severity.as_str(),
                info.summary
            )
        })
        .collect()
}

fn unknown_code(given: &str) -> String {
    let upper = given.trim().to_ascii_uppercase();
    let mut text = format!("error: unknown diagnostic code `{}`\n", given.trim());
    if let Some(near) = did_you_mean(&upper, ALL_CODES.iter().map(|c| c.as_str())) {
        text.push_str(&format!("  help: did you mean `{near}`?\n"));
    }
    text.push_str("  note: `lamc explain --list` shows every code\n");
    text
}

fn with_newline(s: &str) -> String {
    if s.ends_with('\n') {
        s.to_string()
    } else {
        format!("{s}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_codes_are_suggested() {
        assert!(unknown_code("E041").contains("did you mean `E04"));
        assert!(!unknown_code("hello").contains("did you mean"));
    }

    #[test]
    fn list_has_every_code_once() {
        let l = list();
        assert_eq!(l.lines().count(), ALL_CODES.len());
        assert!(l.contains("W0502  warning  queue visibility timeout"));
    }
}
