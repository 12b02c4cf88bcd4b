//! `lamc import FILE [-o app.lam]`: a SAM template or a serverless.yml as a `.lam` program.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{eprint_text, output, print_text, EXIT_OK, EXIT_PROGRAM_ERRORS, EXIT_USAGE_OR_IO};
use crate::diag::render::{self, HumanOptions};
use crate::driver::CheckOptions;
use crate::import::{ImportError, Imported, Options};

const AFTER_HELP: &str = "\
Examples:
  lamc import template.yaml                 print the program (AWS SAM, YAML or JSON)
  lamc import serverless.yml -o app.lam     write it to app.lam (replaced atomically)

The program is written in lamc's layout (as `lamc fmt` leaves it). What lamc cannot say yet
stays in it as `# not imported: …` comments at the place it belongs; stderr counts and
lists them. docs/import.md says what maps to what.

Exit status: 0 a program was written; 1 the file is not a SAM template or a serverless.yml;
2 usage error, or a file that cannot be read or written.";

#[derive(Debug, Args)]
#[command(
    about = "Write a .lam program from an AWS SAM template or a serverless.yml",
    after_help = AFTER_HELP
)]
pub(crate) struct ImportArgs {
    /// The SAM template (YAML or JSON) or serverless.yml.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Write the program to this file instead of stdout.
    #[arg(short = 'o', long = "out", value_name = "OUT")]
    out: Option<PathBuf>,
}

pub(crate) fn run(args: &ImportArgs, check: &CheckOptions) -> i32 {
    let human = HumanOptions::for_terminal(std::io::stderr().is_terminal());
    let name = args.file.display().to_string();
    let text = match crate::files::read_source(&args.file) {
        Ok(t) => t,
        Err(e) => {
            error_line(&format!("cannot read {name}: {}", e.with_code()), &human);
            return EXIT_USAGE_OR_IO;
        }
    };
    let opts = Options {
        today: check.today,
        app_name: app_name(&args.file),
        file_name: file_name(&args.file),
    };
    let imported = match crate::import::import(&text, &opts) {
        Ok(i) => i,
        Err(ImportError::NotRecognized(why)) => {
            error_line(&format!("cannot import {name}: {why}"), &human);
            return EXIT_PROGRAM_ERRORS;
        }
        Err(ImportError::Internal(why)) => {
            error_line(&format!("internal error importing {name}: {why}"), &human);
            return EXIT_USAGE_OR_IO;
        }
    };
    if let Err(why) = write(args, &imported.program) {
        error_line(&why, &human);
        return EXIT_USAGE_OR_IO;
    }
    eprint_text(&summary(&name, &imported));
    EXIT_OK
}

fn write(args: &ImportArgs, program: &str) -> Result<(), String> {
    let Some(out) = &args.out else {
        return print_text(program).map_err(|e| format!("cannot write stdout: {e}"));
    };
    let input = std::fs::canonicalize(&args.file).ok();
    if let Some(why) = output::refuse_output(out, input.as_deref()) {
        let why = why.replace("the program being built", "the import's input");
        return Err(format!(
            "cannot write the program to {}: {why}",
            out.display()
        ));
    }
    output::write_atomically(out, program.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", out.display()))
}

/// `imported 3 functions from template.yaml (AWS SAM template); 2 not imported: …`.
pub(crate) fn summary(name: &str, imported: &Imported) -> String {
    let n = imported.functions;
    let functions = if n == 1 { "function" } else { "functions" };
    let mut text = format!(
        "imported {n} {functions} from {name} ({})",
        imported.source.describe()
    );
    let skipped = imported.skipped.len();
    if skipped == 0 {
        text.push_str("; everything came across\n");
    } else {
        text.push_str(&format!(
            "; {skipped} not imported, kept as `# not imported:` comments:\n"
        ));
        for s in &imported.skipped {
            text.push_str(&format!("  {s}\n"));
        }
    }
    // Each line made terminal-safe on its own (the line ends are ours).
    text.lines()
        .map(|l| format!("{}\n", crate::diag::escape::terminal_safe(l)))
        .collect()
}

/// The SAM application's name: the file's folder (`sam-app/template.yaml` → `sam_app`), or
/// its stem when the folder has no usable name.
fn app_name(file: &Path) -> String {
    let folder = std::fs::canonicalize(file).ok().and_then(|p| {
        p.parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    });
    folder
        .or_else(|| file.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".into())
}

fn file_name(file: &Path) -> String {
    file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn error_line(message: &str, human: &HumanOptions) {
    let word = render::paint("error", crate::diag::Severity::Error, human);
    let message = crate::diag::escape::terminal_safe(message);
    eprint_text(&format!("{word}: {message}\n"));
}
