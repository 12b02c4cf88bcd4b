//! The command line. The only module that prints or sets the exit status.
//!
//! One file per command (`build`, `check`, `explain`); this file holds the argument
//! definitions, the dispatch, and what the commands share: running the pipeline and
//! reporting diagnostics.

mod build;
mod check;
mod cost;
mod deploy;
mod destroy;
mod diff;
mod explain;
mod fmt;
mod graph;
mod import;
mod lint;
mod lsp;
mod output;
mod placement;
mod schedule;
mod validate;
mod view;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::render::{self, HumanOptions};
use crate::diag::Diagnostic;
use crate::driver::{CheckOptions, EntryError, Pipeline};
use crate::plan::Stack;
use crate::source::SourceMap;

/// Exit status: success (warnings allowed).
pub const EXIT_OK: i32 = 0;
/// Exit status: the program has errors (or warnings under `--deny-warnings`).
pub const EXIT_PROGRAM_ERRORS: i32 = 1;
/// Exit status: bad usage, or a file that cannot be read or written.
pub const EXIT_USAGE_OR_IO: i32 = 2;

const ROOT_AFTER_HELP: &str = "\
Examples:
  lamc build app.lam > template.json          compile to a CloudFormation template (JSON)
  lamc build app.lam --format yaml -o stack.yaml
  lamc check app.lam                          report problems without building
  lamc explain E0401                          what a diagnostic code means and how to fix it
  lamc fmt --check examples                   list .lam files not in the canonical layout
  lamc lsp                                    language server for editors (stdio)
  lamc deploy app.lam --stack NAME            change set, diff, confirm, execute, watch
  lamc schedule app.lam --count 3             the next firings of every schedule
  lamc graph app.lam --format dot             the app as a graph (Mermaid or DOT)
  lamc import template.yaml -o app.lam        a .lam program from a SAM template or serverless.yml
  lamc cost app.lam --region eu-west-1        estimated monthly cost of provisioned concurrency

Exit status:
  0  success (warnings allowed)
  1  the program has errors (or warnings, with --deny-warnings)
  2  usage error, or a file that cannot be read or written
  3  deploy, diff, destroy: the AWS side failed or timed out

Environment:
  LAMC_TODAY=YYYY-MM-DD  the date runtime deprecation checks compare against (default: today, UTC)
  NO_COLOR               any value turns colour off; colour is also off when output is not a terminal";

/// lamc compiles a `.lam` file into a CloudFormation template for AWS Lambda, checking every
/// Lambda and CloudFormation limit before you deploy.
#[derive(Debug, Parser)]
#[command(
    name = "lamc",
    version,
    about = "Compile .lam serverless apps to CloudFormation, with AWS limits checked at compile time",
    after_help = ROOT_AFTER_HELP,
    arg_required_else_help = true,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Pin the date for runtime lifecycle checks (YYYY-MM-DD); overrides LAMC_TODAY.
    #[arg(long, global = true, hide = true, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<NaiveDate>,

    /// The project root: `use` and `code` paths must stay inside it [default: the folder
    /// of FILE; for `lsp`, the workspace folder].
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,

    /// The account's concurrent-executions quota in the region (the standard quota by
    /// default): all functions together may reserve this minus 100 (E0423).
    #[arg(
        long,
        global = true,
        value_name = "N",
        default_value_t = crate::check::rules::concurrency::DEFAULT_ACCOUNT_CONCURRENCY,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    account_concurrency: u64,
}

#[derive(Debug, Subcommand)]
enum Command {
    Build(build::BuildArgs),
    Check(check::CheckArgs),
    Explain(explain::ExplainArgs),
    Fmt(fmt::FmtArgs),
    Lsp(lsp::LspArgs),
    Validate(validate::ValidateArgs),
    Diff(diff::DiffArgs),
    Deploy(deploy::DeployArgs),
    Destroy(destroy::DestroyArgs),
    Schedule(schedule::ScheduleArgs),
    Graph(graph::GraphArgs),
    Import(import::ImportArgs),
    Cost(cost::CostArgs),
}

/// How diagnostics are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum MessageFormat {
    /// Annotated source snippets for people.
    #[default]
    Human,
    /// One JSON object per diagnostic per line, for tools.
    Json,
    /// One SARIF 2.1.0 log, for code-scanning tools.
    Sarif,
}

/// Parse the arguments and run the command; returns the process exit status.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // `--help` and `--version` come back as "errors" with exit code 0; usage errors
            // carry clap's usage code, 2, which is also ours.
            let _ = err.print();
            return err.exit_code();
        }
    };
    let mut check = CheckOptions::default();
    if let Some(today) = cli.today {
        check.today = today;
    }
    check.root = cli.root.clone();
    check.account_concurrency = cli.account_concurrency;
    match &cli.command {
        Command::Build(args) => build::run(args, &check),
        Command::Check(args) => check::run(args, &check),
        Command::Explain(args) => explain::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Lsp(args) => lsp::run(args, &check),
        Command::Validate(args) => validate::run(args, &check),
        Command::Diff(args) => diff::run(args, &check),
        Command::Deploy(args) => deploy::run(args, &check),
        Command::Destroy(args) => destroy::run(args),
        Command::Schedule(args) => schedule::run(args, &check),
        Command::Graph(args) => graph::run(args, &check),
        Command::Import(args) => import::run(args, &check),
        Command::Cost(args) => cost::run(args, &check),
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date of the form YYYY-MM-DD"))
}

/// What running the pipeline on one file produced.
pub(crate) struct Compiled {
    /// The name of the input as given on the command line (used in the summary).
    pub name: String,
    pub sources: SourceMap,
    /// The file given on the command line.
    pub root: crate::source::FileId,
    /// Checker and planner diagnostics together, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The planned stack, when the command asked for one and checking and planning
    /// succeeded.
    pub stack: Option<Stack>,
    /// Where its functions went (nested stacks), when planning succeeded.
    pub placement: Option<crate::plan::placement::Report>,
    /// Which declaration each resource came from, when the command asked for it.
    pub origins: Option<crate::plan::SourceOrigins>,
    /// The checked program, kept (not dropped inside [`compile`]) so that a command about
    /// to exit can skip freeing it, as it skips freeing the plan; `check` lists the public
    /// routes from it.
    pub model: Option<crate::model::Model>,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn has_warnings(&self) -> bool {
        self.diagnostics.iter().any(|d| !d.is_error())
    }

    /// Whether this file makes the run fail.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.has_errors() || (deny_warnings && self.has_warnings())
    }
}

/// Why a file could not be compiled at all (no diagnostics to show).
pub(crate) struct Failure {
    pub message: String,
    pub exit: i32,
}

/// Run the pipeline on `path` as far as `pipeline.stage` says.
pub(crate) fn compile(path: &Path, pipeline: &Pipeline) -> Result<Compiled, Failure> {
    let comp = crate::driver::compile_path(path, pipeline).map_err(|e| Failure {
        message: match (&e, e.code()) {
            (EntryError::Internal(why), _) => {
                format!("internal error: {why} ({})", path.display())
            }
            (_, Some(code)) => format!("cannot read {}: {e} [{code}]", path.display()),
            (_, None) => format!("cannot read {}: {e}", path.display()),
        },
        exit: match e {
            EntryError::Internal(_) => EXIT_PROGRAM_ERRORS,
            _ => EXIT_USAGE_OR_IO,
        },
    })?;
    let name = comp.sources.get(comp.root).name.clone();
    let (stack, placement, origins) = match comp.planned {
        Some(p) => (Some(p.stack), Some(p.placement), p.origins),
        None => (None, None, None),
    };
    Ok(Compiled {
        name,
        root: comp.root,
        sources: comp.sources,
        diagnostics: comp.diagnostics,
        stack,
        placement,
        origins,
        model: comp.model,
    })
}

/// Writes diagnostics in the chosen format.
pub(crate) struct Reporter {
    pub format: MessageFormat,
    pub human: HumanOptions,
}

impl Reporter {
    /// Human reports go to stderr, so colour follows stderr.
    pub fn new(format: MessageFormat) -> Self {
        Reporter {
            format,
            human: HumanOptions::for_terminal(std::io::stderr().is_terminal()),
        }
    }

    /// The diagnostics of one file, rendered.
    pub fn diagnostics(&self, compiled: &Compiled) -> String {
        match self.format {
            MessageFormat::Human => {
                render::render_human(&compiled.diagnostics, &compiled.sources, &self.human)
            }
            MessageFormat::Json => {
                render::render_json_lines(&compiled.diagnostics, &compiled.sources)
            }
            MessageFormat::Sarif => {
                let mut log = crate::diag::sarif::SarifLog::new();
                log.add(&compiled.diagnostics, &compiled.sources);
                log.render()
            }
        }
    }

    /// The closing line for one file, with a newline, or "" when there is nothing to say.
    pub fn summary(&self, compiled: &Compiled, deny_warnings: bool) -> String {
        let failed = compiled.fails(deny_warnings);
        let mut line =
            render::summary_line(&compiled.name, &compiled.diagnostics, failed, &self.human)
                .unwrap_or_default();
        if failed && deny_warnings && !compiled.has_errors() && compiled.has_warnings() {
            line.push_str(" (warnings denied by --deny-warnings)");
        }
        if !line.is_empty() {
            line.push('\n');
        }
        line
    }

    /// `error: MESSAGE` on stderr for failures that have no source position (made
    /// terminal-safe: it may name files).
    pub fn error_line(&self, message: &str) {
        let word = render::paint("error", crate::diag::Severity::Error, &self.human);
        let message = crate::diag::escape::terminal_safe(message);
        eprint_text(&format!("{word}: {message}\n"));
    }
}

/// Write to stderr, ignoring failure (there is nowhere left to report it).
pub(crate) fn eprint_text(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// Write to stdout; a failure (closed pipe, full disk) is an I/O error for the caller.
pub(crate) fn print_text(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// `<dir of FILE>/.lamc/artifacts`: where zipped code folders go unless told otherwise.
pub(crate) fn default_artifacts_dir(file: &Path) -> PathBuf {
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    dir.join(".lamc").join("artifacts")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn artifacts_default_next_to_the_input() {
        assert_eq!(
            default_artifacts_dir(Path::new("app.lam")),
            PathBuf::from("./.lamc/artifacts")
        );
        assert_eq!(
            default_artifacts_dir(Path::new("svc/app.lam")),
            PathBuf::from("svc/.lamc/artifacts")
        );
    }

    #[test]
    fn dates_parse_strictly() {
        assert!(parse_date("2026-11-26").is_ok());
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("tomorrow").is_err());
    }
}
