//! `lamc deploy FILE --stack NAME`: compile, upload, create a change set, show it, confirm,
//! execute and watch. Also what `diff`, `destroy` and `validate --remote` share: the AWS
//! flags, `--timeout`, `--param`, the terminal [`Ui`](crate::deploy::Ui) and exit codes.
//!
//! The argument definitions compile without the `deploy` feature, so that `lamc --help`
//! always lists the commands; without it they stop with a clear message (exit 2).

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;

use super::{compile, eprint_text, placement, Reporter, EXIT_PROGRAM_ERRORS, EXIT_USAGE_OR_IO};
use crate::driver::CheckOptions;
use crate::driver::{Pipeline, PlanOptions, Stage};
use crate::plan::Stack;

/// Exit status: the AWS side failed (API error, rollback, a wait that ran out).
#[cfg_attr(not(feature = "deploy"), allow(dead_code))]
pub const EXIT_DEPLOY_FAILED: i32 = 3;
/// Exit status: Ctrl-C stopped the watch (the stack keeps going).
#[cfg_attr(not(feature = "deploy"), allow(dead_code))]
pub const EXIT_INTERRUPTED: i32 = 130;

const AFTER_HELP: &str = "\
Examples:
  lamc deploy app.lam --stack thumbs-dev --artifacts-bucket my-artifacts
  lamc deploy app.lam --stack thumbs-prod --param stage=prod --yes --timeout 45m
  lamc deploy app.lam --stack thumbs-dev --no-execute     create the change set, leave it for review

The file is checked first; any error stops the deploy. Local `code` folders are zipped and
uploaded to the artifacts bucket under content-hashed keys (an existing key is not
uploaded again); the bucket is created when missing. An app split into nested stacks
has its child templates uploaded the same way, and a template over 51,200 bytes goes
through the bucket too. The change set is shown as a diff (+ add, ~ modify, - remove,
[REPLACEMENT] when a resource is replaced); on a terminal lamc asks before executing,
elsewhere it needs --yes. Ctrl-C stops watching; it never cancels or deletes anything.

Functions of an app split into nested stacks stay in the stack they are deployed in (read
from the stack; FILE.placement when the stack does not exist yet, and written back after
a deploy). A function that must change stack is named with what the move costs it; lamc
then asks on a terminal, or needs --allow-moves.

Credentials and region come from the standard AWS chain (AWS_PROFILE, AWS_REGION,
~/.aws/config, SSO, instance roles) unless --profile / --region say otherwise.

Exit status: 0 deployed (or nothing to change), 1 the program has errors, 2 usage error,
3 the deployment failed, rolled back or timed out, 130 interrupted.";

/// Where to reach AWS; shared by the deploy commands.
#[derive(Debug, Clone, Args)]
pub(crate) struct AwsArgs {
    /// AWS region [default: from the AWS configuration chain].
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Named profile from the shared AWS config files.
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,

    /// Send CloudFormation and S3 calls to this endpoint (e.g. a local emulator).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

/// How long waits may take and how often to poll; shared by the deploy commands.
#[derive(Debug, Clone, Args)]
pub(crate) struct WaitArgs {
    /// Give up waiting after this long (e.g. 90s, 30m, 1h); the stack is left as it is.
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = parse_duration)]
    pub timeout: Duration,

    /// How often to poll CloudFormation.
    #[arg(long, env = "LAMC_POLL", value_name = "DURATION", default_value = "2s", value_parser = parse_duration, hide = true)]
    pub poll: Duration,
}

#[derive(Debug, Args)]
#[command(
    about = "Deploy a .lam file as a CloudFormation stack (change set, confirm, execute, watch)",
    after_help = AFTER_HELP
)]
pub(crate) struct DeployArgs {
    /// The .lam file to deploy.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub target: TargetArgs,

    /// Execute without asking (required when not on a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Create the change set and show it, but leave it unexecuted for review.
    #[arg(long, conflicts_with = "yes")]
    pub no_execute: bool,

    /// Deploy even when functions move to another nested stack (each is deleted and
    /// created again: new ARN, new event source mappings).
    #[arg(long)]
    pub allow_moves: bool,
}

/// The stack, its parameters, the bucket and the AWS and wait flags: what `deploy` and
/// `diff` both take.
#[derive(Debug, Args)]
pub(crate) struct TargetArgs {
    /// The CloudFormation stack to create or update.
    #[arg(long, value_name = "NAME")]
    pub stack: String,

    /// A template parameter, KEY=VALUE (repeatable).
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, String)>,

    /// S3 bucket for code artifacts and large templates (created when missing).
    #[arg(long, value_name = "BUCKET")]
    pub artifacts_bucket: Option<String>,

    /// Place every function in nested stacks afresh, ignoring where they are deployed and
    /// FILE.placement; the functions this moves are named.
    #[arg(long)]
    pub rebalance: bool,

    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(flatten)]
    pub wait: WaitArgs,
}

pub(crate) fn run(args: &DeployArgs, check: &CheckOptions) -> i32 {
    #[cfg(feature = "deploy")]
    {
        use crate::deploy::Mode;
        let mode = if args.no_execute {
            Mode::Keep
        } else {
            Mode::Execute {
                assume_yes: args.yes,
            }
        };
        run_change_set(&args.file, &args.target, mode, args.allow_moves, check)
    }
    #[cfg(not(feature = "deploy"))]
    {
        let _ = (args, check);
        not_built("deploy")
    }
}

/// Stop: this binary has no AWS SDK.
#[cfg(not(feature = "deploy"))]
pub(crate) fn not_built(command: &str) -> i32 {
    Reporter::new(super::MessageFormat::Human).error_line(&format!(
        "`lamc {command}` is not available: lamc was built without the deploy feature \
         (rebuild with `cargo build --features deploy`)"
    ));
    EXIT_USAGE_OR_IO
}

/// Check and plan FILE; print its diagnostics. `Err(exit)` when it cannot be deployed.
pub(crate) fn compile_for_deploy(file: &Path, check: &CheckOptions) -> Result<Stack, i32> {
    compile_placed_for_deploy(file, check, &placement::Input::default(), false).map(|(s, _)| s)
}

/// [`compile_for_deploy`], placing functions in nested stacks as `input` remembers; also
/// returns where they went. `again`: the file was compiled before, and its warnings shown;
/// only a failure is reported.
pub(crate) fn compile_placed_for_deploy(
    file: &Path,
    check: &CheckOptions,
    input: &placement::Input,
    again: bool,
) -> Result<(Stack, crate::plan::placement::Report), i32> {
    let reporter = Reporter::new(super::MessageFormat::Human);
    // Artifacts are uploaded from memory; nothing is written next to the source.
    let pipeline = Pipeline {
        check: check.clone(),
        stage: Stage::Plan(PlanOptions::default()),
        placement: input.clone(),
        ..Pipeline::default()
    };
    let compiled = compile(file, &pipeline).map_err(|failure| {
        reporter.error_line(&failure.message);
        failure.exit
    })?;
    if !again || compiled.fails(false) {
        eprint_text(&reporter.diagnostics(&compiled));
        eprint_text(&reporter.summary(&compiled, false));
    }
    match compiled.stack {
        Some(stack) if !compiled.fails(false) => {
            Ok((stack, compiled.placement.unwrap_or_default()))
        }
        _ => {
            reporter.error_line(&format!(
                "not deploying {}: fix the errors above first",
                compiled.name
            ));
            Err(EXIT_PROGRAM_ERRORS)
        }
    }
}

/// Resolve each `--param` to a template parameter: its logical ID, or the `.lam` name that
/// became it (`stage` → `Stage`). A name that matches nothing is an error (a typo would
/// otherwise be dropped silently).
#[cfg_attr(not(feature = "deploy"), allow(dead_code))]
pub(crate) fn resolve_params(
    stack: &Stack,
    params: &[(String, String)],
) -> Result<Vec<(String, String)>, String> {
    let names: Vec<&str> = stack.parameters.iter().map(|(n, _)| n.as_str()).collect();
    let mut out = Vec::new();
    for (key, value) in params {
        let pascal = crate::naming::pascal_case(key);
        let found = names
            .iter()
            .find(|n| **n == key.as_str())
            .or_else(|| names.iter().find(|n| **n == pascal.as_str()));
        if let Some(name) = found {
            out.push((name.to_string(), value.clone()));
            continue;
        }
        let hint = match crate::diag::did_you_mean(&pascal, names.iter().copied()) {
            Some(near) => format!("; did you mean `{near}`?"),
            None if names.is_empty() => "; the template has no parameters".to_string(),
            None => format!("; its parameters are {}", names.join(", ")),
        };
        return Err(format!(
            "--param {key}: the template has no parameter `{key}`{hint}"
        ));
    }
    Ok(out)
}

/// Compile, then create the change set and handle it as `mode` says (deploy and diff).
/// Functions are placed where the deployed stacks have them; after a deploy the placement
/// file is brought in step with them.
#[cfg(feature = "deploy")]
pub(crate) fn run_change_set(
    file: &Path,
    t: &TargetArgs,
    mode: crate::deploy::Mode,
    allow_moves: bool,
    check: &CheckOptions,
) -> i32 {
    use crate::deploy::Ui;
    let reporter = Reporter::new(super::MessageFormat::Human);
    let mut input = match placement::read(file, t.rebalance) {
        Ok(input) => input,
        Err(message) => {
            reporter.error_line(&message);
            return EXIT_USAGE_OR_IO;
        }
    };
    let mut ui = ui::TerminalUi::new();
    // Everything that needs no AWS call is checked first, with the placement file alone.
    let (mut req, mut report) =
        match planned_request(file, check, &input, false, t, mode, allow_moves) {
            Ok(planned) => planned,
            Err(exit) => return exit,
        };
    if let Err(e) = crate::deploy::usage_problem(&req, &ui) {
        return finish(Err(e), &mut ui);
    }
    if !t.rebalance {
        match crate::deploy::placement::read(&target(&t.aws), &t.stack) {
            Ok(Some(deployed)) if !deployed.is_empty() => {
                // Plan again where the deployed stacks have the functions.
                input.deployed = Some(deployed);
                (req, report) =
                    match planned_request(file, check, &input, true, t, mode, allow_moves) {
                        Ok(planned) => planned,
                        Err(exit) => return exit,
                    };
            }
            Ok(_) => {}
            Err(e) => return finish(Err(e), &mut ui),
        }
    }
    let placement_file = crate::plan::placement::path_for(file);
    if let Some(note) = placement::disagreements_note(&report, &placement_file, &t.stack) {
        ui.say(&note);
    }
    let result = crate::deploy::deploy(&req, &mut ui);
    if matches!(result, Ok(crate::deploy::Outcome::Deployed)) {
        store_placement(file, &report, &input, &mut ui);
    }
    finish(result, &mut ui)
}

/// Compile with the placement `input` (`again`: the second time, where the deployed stacks
/// have the functions) and make the deploy request; `Err` is the exit status, the problem
/// reported.
#[cfg(feature = "deploy")]
fn planned_request(
    file: &Path,
    check: &CheckOptions,
    input: &placement::Input,
    again: bool,
    t: &TargetArgs,
    mode: crate::deploy::Mode,
    allow_moves: bool,
) -> Result<(crate::deploy::DeployRequest, crate::plan::placement::Report), i32> {
    let (stack, report) = compile_placed_for_deploy(file, check, input, again)?;
    match request(stack, &report, t, mode, allow_moves) {
        Ok(req) => Ok((req, report)),
        Err(message) => {
            Reporter::new(super::MessageFormat::Human).error_line(&message);
            Err(EXIT_USAGE_OR_IO)
        }
    }
}

/// After a deploy, what is deployed is the placement: the next build starts from it.
#[cfg(feature = "deploy")]
fn store_placement(
    file: &Path,
    report: &crate::plan::placement::Report,
    input: &placement::Input,
    ui: &mut ui::TerminalUi,
) {
    use crate::deploy::Ui;
    match placement::store(file, report, input.text()) {
        Ok(Some(note)) => ui.say(&note),
        Ok(None) => {}
        // The deploy itself succeeded: the file is rebuilt from the stack next time.
        Err(message) => ui.say(&format!("warning: {message}")),
    }
}

/// The deploy request for a planned stack; `Err` for a `--param` the template lacks.
#[cfg(feature = "deploy")]
fn request(
    stack: Stack,
    report: &crate::plan::placement::Report,
    t: &TargetArgs,
    mode: crate::deploy::Mode,
    allow_moves: bool,
) -> Result<crate::deploy::DeployRequest, String> {
    let parameters = resolve_params(&stack, &t.params)?;
    let template = crate::emit::json(&stack);
    let template_parameters = stack.parameters.iter().map(|(n, _)| n.clone()).collect();
    let resources_in_all = crate::plan::resources_in_all(&stack);
    Ok(crate::deploy::DeployRequest {
        target: target(&t.aws),
        stack: t.stack.clone(),
        template,
        // The planned stack is not needed once its template is written: its code zips
        // and child templates move into the request instead of being copied.
        artifacts: stack.artifacts,
        child_templates: stack.children,
        resources_in_all,
        template_parameters,
        parameters,
        artifacts_bucket: t.artifacts_bucket.clone(),
        moves: crate::plan::placement::render_moves(&report.moves),
        move_count: report.moves.len(),
        allow_moves,
        mode,
        timeout: t.wait.timeout,
        poll: t.wait.poll,
    })
}

#[cfg(feature = "deploy")]
pub(crate) fn target(aws: &AwsArgs) -> crate::deploy::Target {
    crate::deploy::Target {
        region: aws.region.clone(),
        profile: aws.profile.clone(),
        endpoint_url: aws.endpoint_url.clone(),
    }
}

/// Report how a deploy command ended and pick the exit status.
#[cfg(feature = "deploy")]
pub(crate) fn finish(
    result: Result<crate::deploy::Outcome, crate::deploy::Error>,
    ui: &mut ui::TerminalUi,
) -> i32 {
    use crate::deploy::{Error, Outcome, Ui};
    let reporter = Reporter::new(super::MessageFormat::Human);
    match result {
        Ok(outcome) => {
            match outcome {
                Outcome::Deployed | Outcome::Shown | Outcome::Valid => {}
                Outcome::NoChanges => ui.say("no changes: the stack already matches"),
                Outcome::Kept { change_set } => {
                    ui.say(&format!("change set left for review: {change_set}"))
                }
                Outcome::Declined => ui.say("cancelled: nothing was changed"),
                Outcome::Deleted => {}
                Outcome::NothingToDelete => ui.say("no such stack: nothing to delete"),
            }
            super::EXIT_OK
        }
        Err(Error::Usage(message)) => {
            reporter.error_line(&message);
            EXIT_USAGE_OR_IO
        }
        Err(Error::Failed(message)) => {
            reporter.error_line(&message);
            EXIT_DEPLOY_FAILED
        }
        Err(Error::Interrupted(message)) => {
            reporter.error_line(&message);
            EXIT_INTERRUPTED
        }
    }
}

/// `KEY=VALUE`; the key is a parameter's logical ID (CFN-08) or its `.lam` name.
pub(crate) fn parse_param(s: &str) -> Result<(String, String), String> {
    let Some((key, value)) = s.split_once('=') else {
        return Err(format!("`{s}` is not KEY=VALUE"));
    };
    let key = key.trim();
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!(
            "`{key}` is not a parameter name (letters, digits and `_`)"
        ));
    }
    Ok((key.to_string(), value.to_string()))
}

/// `90s`, `30m`, `1h30m`, `500ms`, or a bare number of seconds.
pub(crate) fn parse_duration(s: &str) -> Result<Duration, String> {
    let text = s.trim();
    let bad = || format!("`{s}` is not a duration (e.g. 90s, 30m, 1h30m, 500ms)");
    if let Ok(secs) = text.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    let mut total = Duration::ZERO;
    let mut rest = text;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        let number: u64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest.chars().take_while(char::is_ascii_alphabetic).count();
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let part = match unit {
            "ms" => Duration::from_millis(number),
            "s" => Duration::from_secs(number),
            "m" => Duration::from_secs(number.saturating_mul(60)),
            "h" => Duration::from_secs(number.saturating_mul(3600)),
            _ => return Err(bad()),
        };
        total = total.saturating_add(part);
    }
    Ok(total)
}

/// The terminal side of [`crate::deploy::Ui`]: diff on stdout, progress on stderr, a spinner
/// only when stderr is a terminal, questions only when stdin is one.
#[cfg(feature = "deploy")]
pub(crate) mod ui {
    use std::io::{BufRead, IsTerminal, Write};
    use std::time::Duration;

    use indicatif::{ProgressBar, ProgressStyle};

    pub(crate) struct TerminalUi {
        spinner: Option<ProgressBar>,
        interactive: bool,
    }

    impl TerminalUi {
        pub(crate) fn new() -> Self {
            TerminalUi {
                spinner: None,
                interactive: std::io::stderr().is_terminal(),
            }
        }
    }

    impl crate::deploy::Ui for TerminalUi {
        fn show(&mut self, text: &str) {
            self.clear_status();
            let _ = super::super::print_text(text);
        }

        fn say(&mut self, line: &str) {
            match &self.spinner {
                Some(bar) => bar.println(line),
                None => super::eprint_text(&format!("{line}\n")),
            }
        }

        fn can_confirm(&self) -> bool {
            std::io::stdin().is_terminal()
        }

        fn confirm(&mut self, question: &str) -> Option<bool> {
            if !self.can_confirm() {
                return None;
            }
            self.clear_status();
            super::eprint_text(&format!("{question} [y/N] "));
            let _ = std::io::stderr().flush();
            let mut answer = String::new();
            std::io::stdin().lock().read_line(&mut answer).ok()?;
            Some(matches!(
                answer.trim().to_ascii_lowercase().as_str(),
                "y" | "yes"
            ))
        }

        fn status(&mut self, text: &str) {
            if !self.interactive {
                return;
            }
            let bar = self.spinner.get_or_insert_with(|| {
                let bar = ProgressBar::new_spinner();
                if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
                    bar.set_style(style);
                }
                bar.enable_steady_tick(Duration::from_millis(120));
                bar
            });
            bar.set_message(text.to_string());
        }

        fn clear_status(&mut self) {
            if let Some(bar) = self.spinner.take() {
                bar.finish_and_clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("5min").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("99999999999999999999h").is_err());
    }

    #[test]
    fn params() {
        assert_eq!(
            parse_param("stage=prod"),
            Ok(("stage".to_string(), "prod".to_string()))
        );
        assert_eq!(
            parse_param("url=a=b"),
            Ok(("url".to_string(), "a=b".to_string()))
        );
        assert!(parse_param("stage").is_err());
        assert!(parse_param("st-age=x").is_err());
        assert!(parse_param("=x").is_err());
    }
}
