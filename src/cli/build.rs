//! `lamc build FILE`: check, plan, and print (or write) the CloudFormation template.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{
    compile, default_artifacts_dir, eprint_text, output, placement, print_text, MessageFormat,
    Reporter, EXIT_OK, EXIT_PROGRAM_ERRORS, EXIT_USAGE_OR_IO,
};
use crate::artifacts::Packaging;
use crate::driver::{CheckOptions, Pipeline, PlanOptions, Stage};
use crate::files::FileKey;

const AFTER_HELP: &str = "\
Examples:
  lamc build app.lam > template.json
  lamc build app.lam --format yaml -o template.yaml
  lamc build app.lam --deny-warnings --artifacts-dir build/artifacts -o build/template.json

The template goes to stdout, or to OUT (written atomically: on any error OUT keeps its old
contents). OUT must be a regular file or a new one, and not a file of the program: a
device, a link or the source itself is refused (exit 2). Diagnostics and warnings go to
stderr (with --message-format sarif, one SARIF 2.1.0 log); when there is an error nothing
is written to stdout and the exit status is 1.

Local `code` folders are zipped into the artifacts directory, by default
`.lamc/artifacts` in the directory of FILE. A zip never holds `.git`, `.lamc`, the
artifacts directory, the template, or what a `.lamcignore` (gitignore syntax) matches;
`use` and `code` paths stay inside the project root (the directory of FILE, or --root).
An app too large for one template is split into nested stacks; their templates (JSON,
content-hashed names) go to the same directory, and the root template names them
through the ArtifactsBucket parameter.
Which nested stack each function lives in is kept in FILE.placement (e.g.
app.lam.placement), written beside FILE: commit it, so that later builds keep every
function in its stack. --rebalance places every function afresh, and names each function
that this moves (a moved function is deleted and created again, with a new ARN).";

#[derive(Debug, Args)]
#[command(
    about = "Compile a .lam file to a CloudFormation template",
    after_help = AFTER_HELP
)]
pub(crate) struct BuildArgs {
    /// The .lam file to compile.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Write the template to OUT instead of stdout (atomically).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    out: Option<PathBuf>,

    /// Template format.
    #[arg(long, value_enum, default_value_t = TemplateFormat::Json)]
    format: TemplateFormat,

    /// Fail (exit 1, no template) when there are warnings.
    #[arg(long)]
    deny_warnings: bool,

    /// Where zipped code folders go [default: <dir of FILE>/.lamc/artifacts].
    #[arg(long, value_name = "DIR")]
    artifacts_dir: Option<PathBuf>,

    /// Print resources, outputs, parameters and bytes per stack (root and nested), with
    /// the headroom left under each limit, and each function that moves to another
    /// stack with what the move costs it, to stderr.
    #[arg(long)]
    stats: bool,

    /// Place every function in nested stacks afresh, ignoring FILE.placement. Functions
    /// that change stack are deleted and created again (new ARN, new event source mappings).
    #[arg(long)]
    rebalance: bool,

    /// How diagnostics are written to stderr.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TemplateFormat {
    Json,
    Yaml,
}

pub(crate) fn run(args: &BuildArgs, check: &CheckOptions) -> i32 {
    let reporter = Reporter::new(args.message_format);
    let artifacts_dir = args
        .artifacts_dir
        .clone()
        .unwrap_or_else(|| default_artifacts_dir(&args.file));
    let pipeline = match pipeline(args, check, &artifacts_dir) {
        Ok(pipeline) => pipeline,
        Err(why) => {
            reporter.error_line(&why);
            return EXIT_USAGE_OR_IO;
        }
    };
    let input = &pipeline.placement;
    let mut compiled = match compile(&args.file, &pipeline) {
        Ok(c) => c,
        Err(failure) => {
            reporter.error_line(&failure.message);
            return failure.exit;
        }
    };
    eprint_text(&reporter.diagnostics(&compiled));
    if args.message_format != MessageFormat::Sarif {
        // A SARIF log on stderr stays one JSON document: the log is the summary.
        eprint_text(&reporter.summary(&compiled, args.deny_warnings));
    }
    let report = compiled.placement.take().unwrap_or_default();
    let stack = match &compiled.stack {
        Some(stack) if !compiled.fails(args.deny_warnings) => stack,
        _ => return EXIT_PROGRAM_ERRORS,
    };
    placement_notes(args, stack, &report);
    let template = match args.format {
        TemplateFormat::Json => crate::emit::json(stack),
        TemplateFormat::Yaml => crate::emit::yaml(stack),
    };
    if let Some(why) = refused_over_inputs(args.out.as_deref(), &compiled) {
        reporter.error_line(&why);
        return EXIT_USAGE_OR_IO;
    }
    let written = write(args, &template, &artifacts_dir);
    // The process exits next: freeing the model, the plan and the template one allocation
    // at a time would only delay that (about 8% of a 10,000-function build).
    std::mem::forget(template);
    std::mem::forget(compiled);
    // The placement follows from the app and the file before it, so a template written
    // without it is rebuilt the same way next time: the file comes second.
    match written.and_then(|()| placement::store(&args.file, &report, input.text())) {
        Ok(note) => {
            if let Some(note) = note {
                eprint_text(&format!("{note}\n"));
            }
            EXIT_OK
        }
        Err(message) => {
            reporter.error_line(&message);
            EXIT_USAGE_OR_IO
        }
    }
}

/// With `--stats`, the stack's figures and every move of the placement; else a note
/// when functions moved between nested stacks.
fn placement_notes(
    args: &BuildArgs,
    stack: &crate::plan::Stack,
    report: &crate::plan::placement::Report,
) {
    if args.stats {
        eprint_text(&crate::plan::stats(stack));
        eprint_text(&crate::plan::placement::render_moves(&report.moves));
    } else if let Some(note) = placement::moves_note(report) {
        eprint_text(&format!("{note}\n"));
    }
}

/// What a build runs: the checks, a plan that packages into `artifacts_dir`, and the
/// placement file as it is; or why it cannot start.
fn pipeline(
    args: &BuildArgs,
    check: &CheckOptions,
    artifacts_dir: &Path,
) -> Result<Pipeline, String> {
    if let Some(why) = refused_destination(args, artifacts_dir) {
        return Err(why);
    }
    let plan = PlanOptions {
        packaging: Packaging {
            products: products(args, artifacts_dir),
            ..Packaging::default()
        },
        artifacts_dir: Some(artifacts_dir.to_path_buf()),
        ..PlanOptions::default()
    };
    Ok(Pipeline {
        check: check.clone(),
        stage: Stage::Plan(plan),
        placement: placement::read(&args.file, args.rebalance)?,
        stop_on_warnings: args.deny_warnings,
        exits_next: true,
    })
}

/// The template to `--out` or stdout, and a record of where it went.
fn write(args: &BuildArgs, template: &str, artifacts_dir: &Path) -> Result<(), String> {
    match &args.out {
        Some(out) => output::write_atomically(out, template.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", out.display()))?,
        None => print_text(template).map_err(|e| format!("cannot write the template: {e}"))?,
    }
    if let Some(path) = template_path(args) {
        // Best effort: a build whose record cannot be written is still a good build;
        // the next one then packs this template if a `code` folder holds it.
        let _ = output::remember_template(artifacts_dir, &path);
    }
    Ok(())
}

/// Why the template or the artifacts cannot go where the arguments say, checked before
/// anything is built: `-o` onto the input file or onto anything but a regular file,
/// `--artifacts-dir` onto anything but a folder.
fn refused_destination(args: &BuildArgs, artifacts_dir: &Path) -> Option<String> {
    if let Some(why) = output::refuse_artifacts_dir(artifacts_dir) {
        return Some(format!(
            "cannot write artifacts to {}: {why}",
            artifacts_dir.display()
        ));
    }
    let out = args.out.as_deref()?;
    let input = std::fs::canonicalize(&args.file).ok();
    let why = output::refuse_output(out, input.as_deref())?;
    Some(format!(
        "cannot write the template to {}: {why}",
        out.display()
    ))
}

/// [`refused_destination`] for the files the program `use`s, known once it is loaded.
fn refused_over_inputs(out: Option<&Path>, compiled: &super::Compiled) -> Option<String> {
    let out = out?;
    let inputs = compiled.sources.files().iter();
    let why = output::refuse_output(out, inputs.filter_map(|f| f.path.as_deref()))?;
    Some(format!(
        "cannot write the template to {}: {why}",
        out.display()
    ))
}

/// What this build writes, so that a `code` folder holding it does not pack it: the
/// artifacts folder, the template file, standard output when it is redirected to a file
/// (`> template.json`), and the templates earlier builds wrote (a build to `a.json` then
/// one to `b.json` must not pack `a.json`).
fn products(args: &BuildArgs, artifacts_dir: &Path) -> Vec<FileKey> {
    let mut keys: Vec<FileKey> = [Some(artifacts_dir), args.out.as_deref()]
        .into_iter()
        .flatten()
        .filter_map(FileKey::of_path)
        .collect();
    if args.out.is_none() {
        keys.extend(FileKey::of_stdout());
    }
    let earlier = output::earlier_templates(artifacts_dir);
    keys.extend(earlier.iter().filter_map(|p| FileKey::of_path(p)));
    keys
}

/// Where this build's template went: the `-o` file, or the regular file standard output
/// is redirected to (when the system can say which).
fn template_path(args: &BuildArgs) -> Option<std::path::PathBuf> {
    match &args.out {
        Some(out) => std::fs::canonicalize(out).ok(),
        None => output::stdout_file(),
    }
}
