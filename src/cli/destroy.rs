//! `lamc destroy --stack NAME`: delete a stack, after confirmation.

use clap::Args;

use super::deploy::{AwsArgs, WaitArgs};

const AFTER_HELP: &str = "\
Examples:
  lamc destroy --stack thumbs-dev
  lamc destroy --stack thumbs-dev --yes --timeout 20m

Deletes the stack and every resource it created. On a terminal lamc asks first; elsewhere
it needs --yes. A stack that does not exist is not an error. Buckets that still hold
objects make the deletion fail (CloudFormation does not empty them).

Exit status: 0 deleted (or no such stack), 2 usage error, 3 the deletion failed or timed
out, 130 interrupted.";

#[derive(Debug, Args)]
#[command(about = "Delete a deployed stack", after_help = AFTER_HELP)]
pub(crate) struct DestroyArgs {
    /// The stack to delete.
    #[arg(long, value_name = "NAME")]
    stack: String,

    /// Delete without asking (required when not on a terminal).
    #[arg(long, short = 'y')]
    yes: bool,

    #[command(flatten)]
    aws: AwsArgs,

    #[command(flatten)]
    wait: WaitArgs,
}

pub(crate) fn run(args: &DestroyArgs) -> i32 {
    #[cfg(feature = "deploy")]
    {
        let req = crate::deploy::DestroyRequest {
            target: super::deploy::target(&args.aws),
            stack: args.stack.clone(),
            assume_yes: args.yes,
            timeout: args.wait.timeout,
            poll: args.wait.poll,
        };
        let mut ui = super::deploy::ui::TerminalUi::new();
        let result = crate::deploy::destroy(&req, &mut ui);
        super::deploy::finish(result, &mut ui)
    }
    #[cfg(not(feature = "deploy"))]
    {
        let _ = args;
        super::deploy::not_built("destroy")
    }
}
