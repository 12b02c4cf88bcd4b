//! `lamc diff FILE --stack NAME`: the change set `lamc deploy` would execute, printed and
//! then deleted.

use std::path::PathBuf;

use clap::Args;

use super::deploy::TargetArgs;
use crate::driver::CheckOptions;

const AFTER_HELP: &str = "\
Examples:
  lamc diff app.lam --stack thumbs-dev --artifacts-bucket my-artifacts
  lamc diff app.lam --stack thumbs-prod --param stage=prod

Creates the same change set as `lamc deploy` (uploading the code artifacts and
nested stack templates it needs), prints
it to stdout (+ add, ~ modify, - remove, [REPLACEMENT] when a resource is replaced) and
deletes it. Against a stack that does not exist yet, the empty stack CloudFormation makes
for the change set is deleted too. Functions that would move to another nested stack are
listed after it, with what each move costs; so are functions that FILE.placement puts
elsewhere than the deployed stack (the deployed stack wins).

Exit status: 0 shown, 1 the program has errors, 2 usage error, 3 CloudFormation failed.";

#[derive(Debug, Args)]
#[command(
    about = "Show what deploying a .lam file would change in a stack",
    after_help = AFTER_HELP
)]
pub(crate) struct DiffArgs {
    /// The .lam file to compare with the stack.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    #[command(flatten)]
    target: TargetArgs,
}

pub(crate) fn run(args: &DiffArgs, check: &CheckOptions) -> i32 {
    #[cfg(feature = "deploy")]
    {
        super::deploy::run_change_set(
            &args.file,
            &args.target,
            crate::deploy::Mode::DiffOnly,
            false,
            check,
        )
    }
    #[cfg(not(feature = "deploy"))]
    {
        let _ = (args, check);
        super::deploy::not_built("diff")
    }
}
