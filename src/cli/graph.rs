//! `lamc graph FILE`: the app as a Mermaid or Graphviz graph.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{print_text, view, MessageFormat, Reporter, EXIT_OK, EXIT_USAGE_OR_IO};
use crate::driver::CheckOptions;
use crate::insight::graph::{render, Format};

const AFTER_HELP: &str = "\
Examples:
  lamc graph app.lam > app.mmd                 Mermaid, for a README or a pull request
  lamc graph app.lam --format dot | dot -Tsvg > app.svg

Functions; what triggers them (source --> function); what each may write to, dashed
(allow rules, async destinations, failed-batch destinations, dead-letter queues); alarms
and the topics they notify. Resources taken `from \"arn:…\"` are drawn dashed and marked
(existing). When the app is split into nested stacks, each stack's functions are a
cluster. The app is checked first: with errors, they are reported and the exit status
is 1.";

#[derive(Debug, Args)]
#[command(about = "Draw the app as a Mermaid or Graphviz graph", after_help = AFTER_HELP)]
pub(crate) struct GraphArgs {
    /// The .lam file.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The graph language.
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    format: GraphFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    /// Mermaid flowchart (GitHub renders it in a ```mermaid block).
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

pub(crate) fn run(args: &GraphArgs, check: &CheckOptions) -> i32 {
    let compiled = match view::checked(&args.file, check) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let Some(model) = compiled.model.as_ref() else {
        return super::EXIT_PROGRAM_ERRORS;
    };
    let format = match args.format {
        GraphFormat::Mermaid => Format::Mermaid,
        GraphFormat::Dot => Format::Dot,
    };
    let placement = compiled
        .placement
        .as_ref()
        .and_then(|r| r.placement.as_ref());
    match print_text(&render(model, placement, format)) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            Reporter::new(MessageFormat::Human).error_line(&format!("cannot write: {e}"));
            EXIT_USAGE_OR_IO
        }
    }
}
