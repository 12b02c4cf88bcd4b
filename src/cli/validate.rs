//! `lamc validate FILE [--remote]`: the local check; with `--remote`, CloudFormation's
//! ValidateTemplate on the compiled template as well.

use std::path::PathBuf;

use clap::Args;

use super::deploy::AwsArgs;
use crate::driver::CheckOptions;

const AFTER_HELP: &str = "\
Examples:
  lamc validate app.lam
  lamc validate app.lam --remote --region eu-west-1

Without --remote this is `lamc check` on one file. With --remote the compiled template is
also sent to CloudFormation's ValidateTemplate (credentials from the standard AWS chain);
nothing is created.

Exit status: 0 valid, 1 the program has errors, 2 usage error, 3 CloudFormation rejected
the template or could not be reached.";

#[derive(Debug, Args)]
#[command(
    about = "Check a .lam file, and with --remote have CloudFormation validate its template",
    after_help = AFTER_HELP
)]
pub(crate) struct ValidateArgs {
    /// The .lam file to validate.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Also send the template to CloudFormation's ValidateTemplate.
    #[arg(long)]
    remote: bool,

    #[command(flatten)]
    aws: AwsArgs,
}

pub(crate) fn run(args: &ValidateArgs, check: &CheckOptions) -> i32 {
    let stack = match super::deploy::compile_for_deploy(&args.file, check) {
        Ok(stack) => stack,
        Err(exit) => return exit,
    };
    if !args.remote {
        return super::EXIT_OK;
    }
    #[cfg(feature = "deploy")]
    {
        use crate::deploy::Ui;
        let template = crate::emit::json(&stack);
        let mut ui = super::deploy::ui::TerminalUi::new();
        let result = crate::deploy::validate_remote(&super::deploy::target(&args.aws), &template);
        if result.is_ok() {
            ui.say("CloudFormation accepted the template");
        }
        super::deploy::finish(result, &mut ui)
    }
    #[cfg(not(feature = "deploy"))]
    {
        let _ = stack;
        super::deploy::not_built("validate --remote")
    }
}
