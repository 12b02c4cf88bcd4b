//! `lamc check FILE…`: diagnostics only, stack-level limits such as E0413 included
//! ([`Stage::Limits`]: nothing is written).

use std::path::PathBuf;

use clap::Args;

use super::{
    compile, eprint_text, lint, placement, print_text, MessageFormat, Reporter, EXIT_OK,
    EXIT_PROGRAM_ERRORS, EXIT_USAGE_OR_IO,
};
use crate::diag::render::render_notes_json_lines;
use crate::diag::sarif::SarifLog;
use crate::diag::Note;
use crate::driver::{CheckOptions, Pipeline, PlanOptions, Stage};

const AFTER_HELP: &str = "\
Examples:
  lamc check app.lam
  lamc check app.lam jobs.lam --deny-warnings
  lamc check app.lam --message-format json | jq -r .code
  lamc check app.lam --message-format sarif > lamc.sarif

Every file is checked, even after one fails. Human reports go to stderr; with
--message-format json each diagnostic is one JSON object per line on stdout (code,
severity, message, file, line, column, end_line, end_column, label, help, labels, fixes;
lines and columns are 1-based, columns count characters, the end is exclusive). With
--message-format sarif, stdout is one SARIF 2.1.0 log for all the files (a rule per code
reported, with its documentation; a result per diagnostic, with its region and fixes),
written even when there is nothing to report.
A route that says `auth = none` on an API guarded by an authorizer is listed as a note:
a `note:` line after the summary, a JSON object of severity `note` (code W0522), or a
SARIF result of level `note`.
With --lint, cfn-lint ($LAMC_CFN_LINT, else cfn-lint on PATH) also checks the templates a
build would write (the root and each nested stack's, in a temporary folder removed
afterwards; run in FILE's folder, so a .cfnlintrc there applies). Its findings are
reported at the .lam lines that produced them: E0461 for its errors, W0539 for the rest.
Exit status: 1 when any file has errors, 2 when a file cannot be read (or --lint finds no
cfn-lint, or cannot run or read it).";

#[derive(Debug, Args)]
#[command(
    about = "Check .lam files and report diagnostics without building",
    after_help = AFTER_HELP
)]
pub(crate) struct CheckArgs {
    /// The .lam files to check.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// How diagnostics are written.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,

    /// Fail (exit 1) when there are warnings.
    #[arg(long)]
    deny_warnings: bool,

    /// Also run cfn-lint ($LAMC_CFN_LINT, else on PATH) over the templates a build would
    /// write, and report its findings at the .lam lines behind them (E0461, W0539).
    #[arg(long)]
    lint: bool,
}

pub(crate) fn run(args: &CheckArgs, check: &CheckOptions) -> i32 {
    let reporter = Reporter::new(args.message_format);
    let cfn_lint = match args.lint.then(lint::find_cfn_lint).transpose() {
        Ok(exe) => exe,
        Err(message) => {
            reporter.error_line(&message);
            return EXIT_USAGE_OR_IO;
        }
    };
    let mut pipeline = Pipeline {
        check: check.clone(),
        // Linting needs the templates a build emits, and where their resources came from.
        stage: match cfn_lint {
            Some(_) => Stage::Plan(PlanOptions {
                origins: true,
                ..PlanOptions::default()
            }),
            None => Stage::Limits,
        },
        ..Pipeline::default()
    };
    let mut failed = Failed::default();
    // SARIF is one log for all the files, written once they are all checked.
    let mut sarif = SarifLog::new();
    for (i, file) in args.files.iter().enumerate() {
        pipeline.exits_next = i + 1 == args.files.len();
        let Some(compiled) = check_file(
            file,
            &mut pipeline,
            cfn_lint.as_deref(),
            &reporter,
            &mut failed,
        ) else {
            continue;
        };
        if let Err(e) = report(args, &reporter, &compiled, &mut sarif) {
            reporter.error_line(&format!("cannot write diagnostics: {e}"));
            return EXIT_USAGE_OR_IO;
        }
        failed.program |= compiled.fails(args.deny_warnings);
        if pipeline.exits_next {
            // The process exits next: freeing a large app's model and plan one allocation
            // at a time would only delay that.
            std::mem::forget(compiled);
        }
    }
    if args.message_format == MessageFormat::Sarif {
        if let Err(e) = print_text(&sarif.render()) {
            reporter.error_line(&format!("cannot write diagnostics: {e}"));
            return EXIT_USAGE_OR_IO;
        }
    }
    if failed.io {
        EXIT_USAGE_OR_IO
    } else if failed.program {
        EXIT_PROGRAM_ERRORS
    } else {
        EXIT_OK
    }
}

/// What went wrong over all the files: one that could not be read (or linted), one
/// with errors.
#[derive(Default)]
struct Failed {
    io: bool,
    program: bool,
}

/// One file compiled (and linted with `cfn_lint`), or `None` when it could not be, the
/// reason said and counted in `failed`.
fn check_file(
    file: &std::path::Path,
    pipeline: &mut Pipeline,
    cfn_lint: Option<&std::path::Path>,
    reporter: &Reporter,
    failed: &mut Failed,
) -> Option<super::Compiled> {
    // The placement file decides which nested stack each function goes to, and so
    // whether one is over a limit: read as `lamc build` reads it.
    pipeline.placement = match placement::read(file, false) {
        Ok(input) => input,
        Err(message) => {
            reporter.error_line(&message);
            failed.io = true;
            return None;
        }
    };
    let mut compiled = match compile(file, pipeline) {
        Ok(c) => c,
        Err(failure) => {
            reporter.error_line(&failure.message);
            if failure.exit == EXIT_USAGE_OR_IO {
                failed.io = true;
            } else {
                failed.program = true;
            }
            return None;
        }
    };
    if let Some(exe) = cfn_lint {
        match lint::lint(&compiled, exe, &project_dir(file)) {
            Ok(found) => {
                compiled.diagnostics.extend(found);
                crate::diag::sort(&mut compiled.diagnostics);
            }
            Err(message) => {
                reporter.error_line(&message);
                failed.io = true;
            }
        }
    }
    Some(compiled)
}

/// One file's diagnostics in the chosen format (SARIF: added to the one log), its
/// summary and, for people, the routes anyone may call.
fn report(
    args: &CheckArgs,
    reporter: &Reporter,
    compiled: &super::Compiled,
    sarif: &mut SarifLog,
) -> std::io::Result<()> {
    // Routes public by exception are notes: in every format, never a failure.
    let notes = public_routes(compiled);
    match args.message_format {
        MessageFormat::Human => eprint_text(&reporter.diagnostics(compiled)),
        MessageFormat::Json => {
            let mut lines = reporter.diagnostics(compiled);
            lines.push_str(&render_notes_json_lines(&notes, &compiled.sources));
            print_text(&lines)?;
        }
        MessageFormat::Sarif => {
            sarif.add(&compiled.diagnostics, &compiled.sources);
            sarif.add_notes(&notes, &compiled.sources);
        }
    }
    eprint_text(&reporter.summary(compiled, args.deny_warnings));
    if args.message_format == MessageFormat::Human {
        eprint_text(&note_lines(&notes, compiled));
    }
    Ok(())
}

/// The folder of `file`, where cfn-lint looks for the project's `.cfnlintrc`.
fn project_dir(file: &std::path::Path) -> std::path::PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    }
}

/// The routes that opt out of their API's authorizer (`auth = none`): allowed, and worth
/// seeing in a review of what anyone may call.
fn public_routes(compiled: &super::Compiled) -> Vec<Note> {
    compiled
        .model
        .as_ref()
        .map(crate::check::rules::public_exceptions)
        .unwrap_or_default()
}

/// `note: FILE:LINE: MESSAGE` lines, after the summary of the human report.
fn note_lines(notes: &[Note], compiled: &super::Compiled) -> String {
    notes
        .iter()
        .map(|n| {
            let at = compiled.sources.get(n.span.file);
            let line = at.line_col(n.span.start).line;
            let name = crate::diag::escape::terminal_safe(&at.name);
            let message = crate::diag::escape::terminal_safe(&n.message);
            format!("note: {name}:{line}: {message}\n")
        })
        .collect()
}
