//! The commands, step by step: settle the stack, upload, create the change set, show it,
//! then execute and watch (deploy), delete it (diff), or delete the stack (destroy).

use std::collections::HashSet;

use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput;
use aws_sdk_cloudformation::types::{
    Capability, ChangeAction, ChangeSetType, Parameter, Replacement as SdkReplacement,
};
use tokio::time::Instant;

use super::changes::{Action, ChangeSummary, Replacement, ResourceChange};
use super::client::{clients, failed, stack_info, Clients};
use super::state::{is_no_change_reason, readiness, Readiness};
use super::upload::{self, INLINE_TEMPLATE_LIMIT};
use super::watch::{existing_events, until_idle, Op, Watch};
use super::{
    human_duration, runtime, DeployRequest, DestroyRequest, Error, Mode, Outcome, Target, Ui,
};
use crate::plan::{ARTIFACTS_BUCKET, MAX_RESOURCES_PER_OPERATION};

/// `lamc deploy` and `lamc diff` (by `req.mode`).
pub fn deploy(req: &DeployRequest, ui: &mut dyn Ui) -> Result<Outcome, Error> {
    runtime()?.block_on(deploy_async(req, ui))
}

/// `lamc destroy`.
pub fn destroy(req: &DestroyRequest, ui: &mut dyn Ui) -> Result<Outcome, Error> {
    runtime()?.block_on(destroy_async(req, ui))
}

/// CloudFormation's own ValidateTemplate on `template` (JSON text, at most CFN-05's inline
/// size: validating a larger one would need a bucket).
pub fn validate_remote(target: &Target, template: &str) -> Result<Outcome, Error> {
    runtime()?.block_on(async {
        if template.len() > INLINE_TEMPLATE_LIMIT {
            return Err(Error::Usage(format!(
                "the template is {} bytes, over the {INLINE_TEMPLATE_LIMIT}-byte inline limit \
                 (CFN-05); `lamc diff` checks it through S3 instead",
                template.len()
            )));
        }
        let c = clients(target).await?;
        c.cfn
            .validate_template()
            .template_body(template)
            .send()
            .await
            .map_err(|e| failed("CloudFormation rejected the template", &e))?;
        Ok(Outcome::Valid)
    })
}

/// What stops a deploy before any call to AWS: a bucket needed but not given, no way to
/// confirm. Checked again by [`deploy`]; the command line asks first, before it reads the
/// deployed stacks.
pub fn usage_problem(req: &DeployRequest, ui: &dyn Ui) -> Result<(), Error> {
    if needs_bucket(req) && req.artifacts_bucket.is_none() {
        let why = if !req.child_templates.is_empty() {
            format!(
                "this app is split into {} nested stacks whose templates go through S3",
                req.child_templates.len()
            )
        } else if req.artifacts.is_empty() {
            format!(
                "the template is {} bytes, over the {INLINE_TEMPLATE_LIMIT}-byte inline limit \
                 (CFN-05), so it goes through S3",
                req.template.len()
            )
        } else {
            "this app has local `code` folders to upload".to_string()
        };
        return Err(Error::Usage(format!(
            "{why}: pass --artifacts-bucket BUCKET"
        )));
    }
    if matches!(req.mode, Mode::Execute { assume_yes: false }) && !ui.can_confirm() {
        return Err(Error::Usage(
            "not asking for confirmation without a terminal: pass --yes to deploy".into(),
        ));
    }
    Ok(())
}

fn needs_bucket(req: &DeployRequest) -> bool {
    let has_uploads = !req.artifacts.is_empty() || !req.child_templates.is_empty();
    has_uploads || req.template.len() > INLINE_TEMPLATE_LIMIT
}

async fn deploy_async(req: &DeployRequest, ui: &mut dyn Ui) -> Result<Outcome, Error> {
    let deadline = Instant::now() + req.timeout;
    usage_problem(req, ui)?;
    refuse_moves_without_agreement(req, ui)?;
    let c = clients(&req.target).await?;
    let existing = until_idle(&c, &req.stack, deadline, req.poll, req.timeout, ui).await?;
    let kind = change_set_type(req, existing.as_ref().map(|i| i.status.as_str()))?;
    if kind == ChangeSetType::Create {
        warn_operation_size(req, ui);
    }
    let template_url = upload_all(&c, req, ui).await?;
    let previous: HashSet<&str> = existing
        .as_ref()
        .map(|i| i.parameters.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let parameters = parameters(req, &kind, &previous, req.artifacts_bucket.as_deref());
    let request = ChangeSetRequest {
        kind,
        parameters,
        template_url,
        // A stack this command brings into being only to show a diff is removed again.
        created_here: existing.is_none(),
    };
    let Some(change_set) = ChangeSet::create(&c, req, request, ui).await? else {
        return Ok(Outcome::NoChanges);
    };
    let Some(summary) = change_set.review(deadline, req, ui).await? else {
        change_set.discard().await;
        ui.show(&ChangeSummary::default().render(&req.stack));
        return Ok(Outcome::NoChanges);
    };
    ui.show(&summary.render(&req.stack));
    if req.move_count > 0 {
        ui.show(&req.moves);
    }
    match req.mode {
        Mode::DiffOnly => {
            change_set.discard().await;
            Ok(Outcome::Shown)
        }
        Mode::Keep => Ok(Outcome::Kept {
            change_set: change_set.id,
        }),
        Mode::Execute { assume_yes } => {
            if !assume_yes {
                if let Some(stop) = change_set.confirm(req, ui).await {
                    return stop;
                }
            }
            change_set.execute_and_watch(deadline, req, ui).await
        }
    }
}

/// Moving a function deletes it and creates it again: `--yes` alone does not agree to it.
fn refuse_moves_without_agreement(req: &DeployRequest, ui: &mut dyn Ui) -> Result<(), Error> {
    if asks_moves(req) && matches!(req.mode, Mode::Execute { assume_yes: true }) {
        ui.say(req.moves.trim_end());
        return Err(Error::Usage(format!(
            "not deploying: {} would move to another stack (listed above); pass \
             --allow-moves to deploy them anyway",
            crate::plan::placement::count(req.move_count)
        )));
    }
    Ok(())
}

fn asks_moves(req: &DeployRequest) -> bool {
    req.move_count > 0 && !req.allow_moves
}

/// Create or update, from the stack's status; a stack that cannot take a change set is an
/// error that says what to do.
fn change_set_type(req: &DeployRequest, status: Option<&str>) -> Result<ChangeSetType, Error> {
    match readiness(status) {
        Readiness::Missing | Readiness::Review => Ok(ChangeSetType::Create),
        Readiness::Updatable => Ok(ChangeSetType::Update),
        Readiness::MustDelete(status) => Err(Error::Failed(format!(
            "stack {} is {status}: a stack whose creation failed cannot be updated; \
             delete it with `lamc destroy --stack {}` and deploy again",
            req.stack, req.stack
        ))),
        Readiness::Busy(status) => Err(Error::Failed(format!(
            "stack {} is still {status}",
            req.stack
        ))),
    }
}

/// CFN-13 counts nested stacks' resources in one operation; only a create touches them all.
fn warn_operation_size(req: &DeployRequest, ui: &mut dyn Ui) {
    if req.resources_in_all > MAX_RESOURCES_PER_OPERATION {
        ui.say(&format!(
            "warning: creating stack {} creates {} resources, nested stacks included; \
             CloudFormation allows {MAX_RESOURCES_PER_OPERATION} per stack operation \
             (CFN-13) and may refuse this first deploy. Deploy part of the app first \
             (later updates touch only the stacks that changed)",
            req.stack, req.resources_in_all
        ));
    }
}

/// Code zips and child templates to the artifacts bucket, and the root template when it is
/// over the inline limit: its URL then.
async fn upload_all(
    c: &Clients,
    req: &DeployRequest,
    ui: &mut dyn Ui,
) -> Result<Option<String>, Error> {
    let Some(bucket) = req.artifacts_bucket.as_deref() else {
        return Ok(None);
    };
    if needs_bucket(req) {
        upload::ensure_bucket(c, bucket, ui).await?;
        let zips = req.artifacts.iter().map(|a| upload::Object {
            key: &a.key,
            bytes: &a.bytes,
            content_type: "application/zip",
        });
        upload::objects(c, bucket, "code artifacts", zips, ui).await?;
        let templates = req.child_templates.iter().map(|t| upload::Object {
            key: &t.key,
            bytes: &t.bytes,
            content_type: "application/json",
        });
        upload::objects(c, bucket, "nested stack templates", templates, ui).await?;
    }
    if req.template.len() <= INLINE_TEMPLATE_LIMIT {
        return Ok(None);
    }
    let url = upload::template(c, bucket, &req.stack, &req.template).await?;
    ui.say(&format!(
        "template ({} bytes, over the inline limit) uploaded to {url}",
        req.template.len()
    ));
    Ok(Some(url))
}

/// What the change set is made of, decided before it is created.
struct ChangeSetRequest {
    kind: ChangeSetType,
    parameters: Vec<Parameter>,
    template_url: Option<String>,
    created_here: bool,
}

/// A change set CloudFormation accepted, and what is needed to review, run or discard it.
struct ChangeSet<'c> {
    c: &'c Clients,
    name: String,
    id: String,
    stack_id: String,
    created_here: bool,
}

impl<'c> ChangeSet<'c> {
    /// `None` when CloudFormation refused an empty update outright (some services do
    /// instead of failing the change set): the summary of no changes is shown then.
    async fn create(
        c: &'c Clients,
        req: &DeployRequest,
        request: ChangeSetRequest,
        ui: &mut dyn Ui,
    ) -> Result<Option<Self>, Error> {
        let name = format!("lamc-{}", chrono::Utc::now().format("%Y%m%d%H%M%S"));
        let create = c
            .cfn
            .create_change_set()
            .stack_name(&req.stack)
            .change_set_name(&name)
            .change_set_type(request.kind)
            .set_parameters(Some(request.parameters))
            .capabilities(Capability::CapabilityIam)
            .capabilities(Capability::CapabilityNamedIam)
            .description("created by lamc");
        let create = match &request.template_url {
            Some(url) => create.template_url(url),
            None => create.template_body(&req.template),
        };
        let created = match create.send().await {
            Ok(created) => created,
            Err(e) if e.message().is_some_and(is_no_change_reason) => {
                ui.show(&ChangeSummary::default().render(&req.stack));
                return Ok(None);
            }
            Err(e) => return Err(failed("cannot create a change set", &e)),
        };
        Ok(Some(ChangeSet {
            c,
            id: created.id().unwrap_or(&name).to_string(),
            stack_id: created.stack_id().unwrap_or(&req.stack).to_string(),
            name,
            created_here: request.created_here,
        }))
    }

    /// Wait until CloudFormation has computed the changes; `None` when there are none.
    /// A change set that cannot be reviewed is discarded.
    async fn review(
        &self,
        deadline: Instant,
        req: &DeployRequest,
        ui: &mut dyn Ui,
    ) -> Result<Option<ChangeSummary>, Error> {
        let waited = wait_for_change_set(self.c, &self.stack_id, &self.id, deadline, req, ui).await;
        if waited.is_err() {
            self.discard().await;
        }
        waited
    }

    /// Ask the user. `Some` outcome when the deploy stops here (declined, or no way to ask).
    async fn confirm(
        &self,
        req: &DeployRequest,
        ui: &mut dyn Ui,
    ) -> Option<Result<Outcome, Error>> {
        let question = if asks_moves(req) {
            format!(
                "deploy these changes to stack {}, moving {} to another stack?",
                req.stack,
                crate::plan::placement::count(req.move_count)
            )
        } else {
            format!("deploy these changes to stack {}?", req.stack)
        };
        let stop = match ui.confirm(&question) {
            Some(true) => return None,
            Some(false) => Ok(Outcome::Declined),
            None => Err(Error::Usage(
                "not asking for confirmation without a terminal: pass --yes to deploy".into(),
            )),
        };
        self.discard().await;
        Some(stop)
    }

    async fn execute_and_watch(
        self,
        deadline: Instant,
        req: &DeployRequest,
        ui: &mut dyn Ui,
    ) -> Result<Outcome, Error> {
        let c = self.c;
        let before = stack_info(&c.cfn, &self.stack_id)
            .await?
            .map(|i| (i.status, i.last_updated))
            .unwrap_or_default();
        let mut seen = existing_events(c, &self.stack_id).await;
        let executed = c
            .cfn
            .execute_change_set()
            .change_set_name(&self.id)
            .stack_name(&self.stack_id)
            .send()
            .await;
        if let Err(e) = executed {
            let state = stack_info(&c.cfn, &self.stack_id)
                .await
                .ok()
                .flatten()
                .map(|i| i.status)
                .unwrap_or_else(|| "unknown".to_string());
            return Err(Error::Failed(format!(
                "executing the change set failed: {}\nstack {} is {state}",
                super::client::explain(&e),
                req.stack
            )));
        }
        ui.say(&format!(
            "executing change set {} on stack {}",
            self.name, req.stack
        ));
        let watch = Watch {
            clients: c,
            stack_id: &self.stack_id,
            stack_name: &req.stack,
            deadline,
            poll: req.poll,
            timeout: req.timeout,
        };
        let op = Op::Deploy {
            change_set_id: self.id,
            before,
        };
        let status = watch.run(&op, &mut seen, ui).await?;
        ui.say(&format!("stack {} is {status}", req.stack));
        Ok(Outcome::Deployed)
    }

    /// Delete the change set, and the stack too when it only exists because of it (a
    /// CREATE change set leaves an empty stack in REVIEW_IN_PROGRESS). Best effort: a
    /// leftover change set costs nothing and changes nothing.
    async fn discard(&self) {
        let c = self.c;
        let _ = c
            .cfn
            .delete_change_set()
            .change_set_name(&self.id)
            .stack_name(&self.stack_id)
            .send()
            .await;
        if self.created_here {
            let review = stack_info(&c.cfn, &self.stack_id)
                .await
                .ok()
                .flatten()
                .is_some_and(|i| i.status == "REVIEW_IN_PROGRESS");
            if review {
                let _ = c.cfn.delete_stack().stack_name(&self.stack_id).send().await;
            }
        }
    }
}

/// `--param` values; `ArtifactsBucket` from `--artifacts-bucket`; on update, parameters
/// not given keep the stack's previous value.
fn parameters(
    req: &DeployRequest,
    kind: &ChangeSetType,
    previous: &HashSet<&str>,
    bucket: Option<&str>,
) -> Vec<Parameter> {
    let mut out = Vec::new();
    for name in &req.template_parameters {
        let given = req
            .parameters
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .or_else(|| bucket.filter(|_| name == ARTIFACTS_BUCKET));
        let p = Parameter::builder().parameter_key(name);
        if let Some(value) = given {
            out.push(p.parameter_value(value).build());
        } else if *kind == ChangeSetType::Update && previous.contains(name.as_str()) {
            out.push(p.use_previous_value(true).build());
        }
    }
    out
}

/// Poll the change set until it is ready. `None` when it has nothing to change.
async fn wait_for_change_set(
    c: &Clients,
    stack_id: &str,
    change_set_id: &str,
    deadline: Instant,
    req: &DeployRequest,
    ui: &mut dyn Ui,
) -> Result<Option<ChangeSummary>, Error> {
    loop {
        let out = c
            .cfn
            .describe_change_set()
            .change_set_name(change_set_id)
            .stack_name(stack_id)
            .send()
            .await
            .map_err(|e| failed("cannot describe the change set", &e))?;
        let status = out.status().map(|s| s.as_str()).unwrap_or("");
        match status {
            "CREATE_COMPLETE" => {
                ui.clear_status();
                let changes = all_changes(c, stack_id, change_set_id, &out).await?;
                return Ok((!changes.is_empty()).then_some(ChangeSummary { changes }));
            }
            "FAILED" => {
                ui.clear_status();
                let reason = out.status_reason().unwrap_or("no reason given");
                if is_no_change_reason(reason) {
                    return Ok(None);
                }
                return Err(Error::Failed(format!(
                    "CloudFormation could not create the change set: {reason}"
                )));
            }
            _ => {}
        }
        ui.status(&format!("{}: preparing change set ({status})", req.stack));
        let now = Instant::now();
        if now >= deadline {
            ui.clear_status();
            return Err(Error::Failed(format!(
                "timed out after {} waiting for the change set (it is {status}); it was \
                 deleted, the stack is unchanged",
                human_duration(req.timeout)
            )));
        }
        tokio::time::sleep(req.poll.min(deadline - now)).await;
    }
}

/// The resource changes of a computed change set: `first`'s page and the later ones
/// (CloudFormation pages them by 100).
async fn all_changes(
    c: &Clients,
    stack_id: &str,
    change_set_id: &str,
    first: &DescribeChangeSetOutput,
) -> Result<Vec<ResourceChange>, Error> {
    let of_page = |page: &DescribeChangeSetOutput| -> Vec<ResourceChange> {
        page.changes()
            .iter()
            .filter_map(|change| change.resource_change())
            .map(resource_change)
            .collect()
    };
    let mut changes = of_page(first);
    let mut token = first.next_token().map(str::to_string);
    while let Some(t) = token {
        let page = c
            .cfn
            .describe_change_set()
            .change_set_name(change_set_id)
            .stack_name(stack_id)
            .next_token(t)
            .send()
            .await
            .map_err(|e| failed("cannot describe the change set", &e))?;
        changes.extend(of_page(&page));
        token = page.next_token().map(str::to_string);
    }
    Ok(changes)
}

fn resource_change(rc: &aws_sdk_cloudformation::types::ResourceChange) -> ResourceChange {
    let action = match rc.action() {
        Some(ChangeAction::Add) => Action::Add,
        Some(ChangeAction::Modify) => Action::Modify,
        Some(ChangeAction::Remove) => Action::Remove,
        _ => Action::Other,
    };
    let replacement = match rc.replacement() {
        Some(SdkReplacement::True) => Replacement::Yes,
        Some(SdkReplacement::Conditional) => Replacement::Conditional,
        _ => Replacement::No,
    };
    let mut properties: Vec<String> = rc
        .details()
        .iter()
        .filter_map(|d| d.target())
        .filter_map(|t| t.name())
        .map(str::to_string)
        .collect();
    properties.sort();
    properties.dedup();
    ResourceChange {
        action,
        logical_id: rc.logical_resource_id().unwrap_or("?").to_string(),
        resource_type: rc.resource_type().unwrap_or("?").to_string(),
        replacement,
        properties,
    }
}

async fn destroy_async(req: &DestroyRequest, ui: &mut dyn Ui) -> Result<Outcome, Error> {
    let deadline = Instant::now() + req.timeout;
    if !req.assume_yes && !ui.can_confirm() {
        return Err(Error::Usage(
            "not asking for confirmation without a terminal: pass --yes to destroy".into(),
        ));
    }
    let c = clients(&req.target).await?;
    let Some(info) = until_idle(&c, &req.stack, deadline, req.poll, req.timeout, ui).await? else {
        return Ok(Outcome::NothingToDelete);
    };
    if !req.assume_yes {
        let question = format!(
            "delete stack {} ({}) and every resource it created?",
            req.stack, info.status
        );
        match ui.confirm(&question) {
            Some(true) => {}
            Some(false) => return Ok(Outcome::Declined),
            None => {
                return Err(Error::Usage(
                    "not asking for confirmation without a terminal: pass --yes to destroy".into(),
                ))
            }
        }
    }
    let mut seen = existing_events(&c, &info.id).await;
    c.cfn
        .delete_stack()
        .stack_name(&info.id)
        .send()
        .await
        .map_err(|e| failed(&format!("cannot delete stack {}", req.stack), &e))?;
    ui.say(&format!("deleting stack {}", req.stack));
    let watch = Watch {
        clients: &c,
        stack_id: &info.id,
        stack_name: &req.stack,
        deadline,
        poll: req.poll,
        timeout: req.timeout,
    };
    watch.run(&Op::Delete, &mut seen, ui).await?;
    ui.say(&format!("stack {} deleted", req.stack));
    Ok(Outcome::Deleted)
}
