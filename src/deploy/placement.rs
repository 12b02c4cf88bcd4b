//! The placement a deployed app has: which stack (the root, or one of its nested stacks)
//! holds each function, read through ListStackResources (paginated; DescribeStackResources
//! stops at 100 resources, CFN-19). `lamc deploy` and `lamc diff` plan with it, so that
//! functions stay where they are deployed even when the placement file is missing.

use std::collections::BTreeMap;

use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::StackResourceSummary;

use super::client::{clients, failed, Clients};
use super::{runtime, Error, Target};
use crate::plan::placement::Home;

/// Function logical ID → the stack that holds it; `None` when the stack does not exist.
pub fn read(target: &Target, stack: &str) -> Result<Option<BTreeMap<String, Home>>, Error> {
    runtime()?.block_on(async {
        let c = clients(target).await?;
        let Some(root) = list(&c, stack).await? else {
            return Ok(None);
        };
        let mut homes = BTreeMap::new();
        let mut children = Vec::new();
        for r in root.iter().filter(|r| exists(r)) {
            let (Some(id), Some(ty)) = (r.logical_resource_id(), r.resource_type()) else {
                continue;
            };
            match ty {
                "AWS::Lambda::Function" => {
                    homes.insert(id.to_string(), Home::Root);
                }
                "AWS::CloudFormation::Stack" => {
                    if let (Some(home), Some(physical)) =
                        (Home::parse(id), r.physical_resource_id())
                    {
                        children.push((home, physical.to_string()));
                    }
                }
                _ => {}
            }
        }
        for (home, physical) in children {
            for r in list(&c, &physical).await?.unwrap_or_default() {
                if exists(&r) && r.resource_type() == Some("AWS::Lambda::Function") {
                    if let Some(id) = r.logical_resource_id() {
                        homes.insert(id.to_string(), home);
                    }
                }
            }
        }
        Ok(Some(homes))
    })
}

/// Every resource of a stack, all pages; `None` when there is no such stack.
async fn list(c: &Clients, stack: &str) -> Result<Option<Vec<StackResourceSummary>>, Error> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = match c
            .cfn
            .list_stack_resources()
            .stack_name(stack)
            .set_next_token(token.take())
            .send()
            .await
        {
            Ok(page) => page,
            // CloudFormation's own text: ListStackResources models no error (the SDK's
            // `ListStackResourcesError` has only `Unhandled`) and a missing stack is the
            // generic `ValidationError`, told apart from other validation errors only by
            // its message (see `client::stack_info`).
            Err(e) if e.message().is_some_and(|m| m.contains("does not exist")) => return Ok(None),
            Err(e) => return Err(failed(&format!("cannot list the resources of {stack}"), &e)),
        };
        out.extend(page.stack_resource_summaries().iter().cloned());
        match page.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => return Ok(Some(out)),
        }
    }
}

/// Whether the resource is there: not deleted, and not a creation that failed.
fn exists(r: &StackResourceSummary) -> bool {
    let status = r.resource_status().map(|s| s.as_str()).unwrap_or("");
    !(status.starts_with("DELETE_COMPLETE") || status == "CREATE_FAILED")
}
