//! `lamc fmt [--check] [FILE…|-]`: rewrite `.lam` files in the canonical layout.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use clap::Args;

use super::{eprint_text, output, print_text, EXIT_OK, EXIT_PROGRAM_ERRORS, EXIT_USAGE_OR_IO};
use crate::diag::render::{self, HumanOptions};
use crate::source::SourceMap;

const AFTER_HELP: &str = "\
Examples:
  lamc fmt app.lam                 rewrite app.lam in place
  lamc fmt examples stdlib         every *.lam file under these folders
  lamc fmt --check .               list the files that are not formatted (CI)
  lamc fmt - < app.lam             read stdin, write the formatted text to stdout

With no FILE, the current folder is formatted. Folders are walked for *.lam files
(hidden folders, target/ and node_modules/ are skipped). Files are replaced atomically and
keep their permissions. A file with syntax errors is left untouched and its errors are
printed. Comments are kept; see the README's \"Formatting\" section for the layout.

Exit status: 0 all formatted (or already formatted); 1 --check found files that would
change, or a file has syntax errors; 2 usage error, or a file that cannot be read or
written.";

#[derive(Debug, Args)]
#[command(
    about = "Format .lam files in the canonical layout",
    after_help = AFTER_HELP
)]
pub(crate) struct FmtArgs {
    /// Files or folders to format; `-` reads stdin and writes stdout.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Change nothing: name the files that would change (on stdout) and exit 1 if any.
    #[arg(long)]
    check: bool,
}

/// What happened to one input.
#[derive(Default)]
struct Outcome {
    io_failed: bool,
    failed: bool,
    would_change: Vec<String>,
}

pub(crate) fn run(args: &FmtArgs) -> i32 {
    let human = HumanOptions::for_terminal(std::io::stderr().is_terminal());
    let mut outcome = Outcome::default();
    let inputs = if args.files.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.files.clone()
    };
    let mut stdin_done = false;
    for input in &inputs {
        if input.as_os_str() == "-" {
            if stdin_done {
                error_line("`-` (stdin) given more than once", &human);
                return EXIT_USAGE_OR_IO;
            }
            stdin_done = true;
            format_stdin(args.check, &human, &mut outcome);
        } else if input.is_dir() {
            match lam_files(input) {
                Ok(files) => {
                    for f in files {
                        format_path(&f, args.check, &human, &mut outcome);
                    }
                }
                Err(e) => {
                    error_line(&format!("cannot read {}: {e}", input.display()), &human);
                    outcome.io_failed = true;
                }
            }
        } else {
            format_path(input, args.check, &human, &mut outcome);
        }
    }
    if args.check && !outcome.would_change.is_empty() {
        let mut list = outcome.would_change.join("\n");
        list.push('\n');
        if print_text(&list).is_err() {
            return EXIT_USAGE_OR_IO;
        }
        let n = outcome.would_change.len();
        let files = if n == 1 { "file" } else { "files" };
        eprint_text(&format!("{n} {files} would be reformatted\n"));
        outcome.failed = true;
    }
    if outcome.io_failed {
        EXIT_USAGE_OR_IO
    } else if outcome.failed {
        EXIT_PROGRAM_ERRORS
    } else {
        EXIT_OK
    }
}

/// Every `*.lam` file under `dir`, sorted, skipping hidden folders, `target` and
/// `node_modules`.
fn lam_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !e.file_type().is_dir()
                || !e
                    .file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with('.') || n == "target" || n == "node_modules")
        });
    for entry in walk {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|x| x == "lam") {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

fn format_path(path: &Path, check: bool, human: &HumanOptions, outcome: &mut Outcome) {
    let name = path.display().to_string();
    let text = match crate::files::read_source(path) {
        Ok(t) => t,
        Err(e) => {
            error_line(&format!("cannot read {name}: {}", e.with_code()), human);
            outcome.io_failed = true;
            return;
        }
    };
    let Some(formatted) = format_text(&name, &text, human, outcome) else {
        return;
    };
    if formatted == text {
        return;
    }
    if check {
        outcome.would_change.push(name);
        return;
    }
    // Write through a symbolic link rather than replacing it.
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if let Err(e) = output::write_atomically(&target, formatted.as_bytes()) {
        error_line(&format!("cannot write {name}: {e}"), human);
        outcome.io_failed = true;
    }
}

fn format_stdin(check: bool, human: &HumanOptions, outcome: &mut Outcome) {
    let mut text = String::new();
    let cap = crate::files::MAX_SOURCE_BYTES;
    let read = std::io::stdin().take(cap + 1).read_to_string(&mut text);
    let failed = match read {
        Err(e) => Some(e.to_string()),
        Ok(n) if n as u64 > cap => {
            let size = n as u64;
            Some(crate::files::ReadError::TooLarge { size, cap }.with_code())
        }
        Ok(_) => None,
    };
    if let Some(e) = failed {
        error_line(&format!("cannot read stdin: {e}"), human);
        outcome.io_failed = true;
        return;
    }
    let Some(formatted) = format_text("<stdin>", &text, human, outcome) else {
        return;
    };
    if check {
        if formatted != text {
            outcome.would_change.push("<stdin>".to_string());
        }
        return;
    }
    if let Err(e) = print_text(&formatted) {
        error_line(&format!("cannot write stdout: {e}"), human);
        outcome.io_failed = true;
    }
}

/// The formatted text, or `None` after printing why the input was refused.
fn format_text(
    name: &str,
    text: &str,
    human: &HumanOptions,
    outcome: &mut Outcome,
) -> Option<String> {
    let mut sources = SourceMap::new();
    let id = sources.add(name, None, text.to_string());
    match crate::fmt::format_file(id, text) {
        Ok(f) => Some(f),
        Err(mut diags) => {
            crate::diag::sort(&mut diags);
            eprint_text(&render::render_human(&diags, &sources, human));
            let errors = diags.len();
            let noun = if errors == 1 { "error" } else { "errors" };
            let more = render::omitted_note(errors);
            error_line(
                &format!(
                    "not formatting {name}: {errors} syntax {noun}{more}; the file is left unchanged"
                ),
                human,
            );
            outcome.failed = true;
            None
        }
    }
}

/// `error: MESSAGE` on stderr; the message may name files from a walked folder, so it is
/// made terminal-safe.
fn error_line(message: &str, human: &HumanOptions) {
    let word = render::paint("error", crate::diag::Severity::Error, human);
    let message = crate::diag::escape::terminal_safe(message);
    eprint_text(&format!("{word}: {message}\n"));
}
