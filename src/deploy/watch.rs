//! Following a stack until its operation ends: new events as lines, the status on a
//! spinner, every wait bounded by a deadline, Ctrl-C stops watching (and nothing else).

use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use aws_sdk_cloudformation::types::StackEvent;
use tokio::time::Instant;

use super::client::{stack_info, Clients, StackInfo};
use super::state::{ending, Ending};
use super::{human_duration, Error, Ui};

/// The operation being watched, and how to tell that it has really ended (and that a
/// terminal status is not the one left over from the previous operation).
pub enum Op {
    Deploy {
        change_set_id: String,
        /// Status and last-update time before the change set was executed.
        before: (String, Option<i64>),
    },
    Delete,
}

/// The stack's events, newest first, as the API lists them. Events are a nicety (some
/// services record few or none): a failed call gives none, and the stack's status alone
/// decides the outcome.
async fn stack_events(c: &Clients, stack_id: &str) -> Vec<StackEvent> {
    match c
        .cfn
        .describe_stack_events()
        .stack_name(stack_id)
        .send()
        .await
    {
        Ok(out) => out.stack_events.unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// Event IDs already in the stack's history (not printed again).
pub async fn existing_events(c: &Clients, stack_id: &str) -> HashSet<String> {
    stack_events(c, stack_id)
        .await
        .iter()
        .filter_map(|e| e.event_id().map(str::to_string))
        .collect()
}

pub struct Watch<'a> {
    pub clients: &'a Clients,
    pub stack_id: &'a str,
    pub stack_name: &'a str,
    pub deadline: Instant,
    pub poll: Duration,
    pub timeout: Duration,
}

impl Watch<'_> {
    /// Watch until the operation ends. `Ok(status)` on success; on failure, a timeout or
    /// Ctrl-C an error that names the stack's state and the resources that failed.
    pub async fn run(
        &self,
        op: &Op,
        seen: &mut HashSet<String>,
        ui: &mut dyn Ui,
    ) -> Result<String, Error> {
        let started = Instant::now();
        let baseline = seen.clone();
        let mut printed: BTreeSet<(String, String)> = BTreeSet::new();
        let mut moved = false;
        let mut last_status = String::new();
        loop {
            self.print_new_events(seen, &mut printed, ui).await;
            let Some(info) = stack_info(&self.clients.cfn, self.stack_id).await? else {
                ui.clear_status();
                return self.gone(op);
            };
            let status = info.status.clone();
            if status != last_status
                && printed.insert((self.stack_name.to_string(), status.clone()))
            {
                ui.say(&format!("{}  {:<28}  {}", clock(), status, self.stack_name));
            }
            last_status.clone_from(&status);
            ui.status(&format!(
                "{}: {status} ({})",
                self.stack_name,
                human_duration(Duration::from_secs(started.elapsed().as_secs()))
            ));
            match self.end_of(op, &info, &mut moved).await {
                Ending::Succeeded => {
                    ui.clear_status();
                    return Ok(status);
                }
                Ending::Failed => {
                    ui.clear_status();
                    let details = self.failures(&baseline, info.reason.as_deref()).await;
                    return Err(Error::Failed(format!(
                        "stack {} ended in {status}{details}",
                        self.stack_name
                    )));
                }
                Ending::Running => {}
            }
            self.wait(&info, &baseline, ui).await?;
        }
    }

    /// The stack no longer exists: what a delete waits for, a failure of a deploy.
    fn gone(&self, op: &Op) -> Result<String, Error> {
        match op {
            Op::Delete => Ok("DELETE_COMPLETE".to_string()),
            Op::Deploy { .. } => Err(Error::Failed(format!(
                "stack {} disappeared while deploying",
                self.stack_name
            ))),
        }
    }

    /// Whether the operation has ended, and how. A deploy's terminal status counts only
    /// once the stack has `moved` since the change set was executed (or the change set
    /// says it ran): before that it is the previous operation's.
    async fn end_of(&self, op: &Op, info: &StackInfo, moved: &mut bool) -> Ending {
        let status = info.status.as_str();
        match op {
            Op::Delete => match status {
                "DELETE_COMPLETE" => Ending::Succeeded,
                "DELETE_FAILED" => Ending::Failed,
                _ => Ending::Running,
            },
            Op::Deploy {
                change_set_id,
                before,
            } => {
                *moved = *moved
                    || status.ends_with("_IN_PROGRESS")
                    || (status, info.last_updated) != (before.0.as_str(), before.1);
                match ending(status) {
                    Ending::Running => Ending::Running,
                    done if *moved || self.executed(change_set_id).await => done,
                    _ => Ending::Running,
                }
            }
        }
    }

    /// Sleep until the next poll; an error once the deadline has passed or on Ctrl-C.
    async fn wait(
        &self,
        info: &StackInfo,
        baseline: &HashSet<String>,
        ui: &mut dyn Ui,
    ) -> Result<(), Error> {
        let status = &info.status;
        let now = Instant::now();
        if now >= self.deadline {
            ui.clear_status();
            let details = self.failures(baseline, info.reason.as_deref()).await;
            return Err(Error::Failed(format!(
                "timed out after {}: stack {} is still {status}; CloudFormation keeps \
                 going without lamc (run the command again to keep waiting, or raise \
                 --timeout){details}",
                human_duration(self.timeout),
                self.stack_name
            )));
        }
        let nap = self.poll.min(self.deadline - now);
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {
                ui.clear_status();
                Err(Error::Interrupted(format!(
                    "stopped watching; stack {} is {status} and CloudFormation keeps going \
                     (nothing was cancelled or deleted)",
                    self.stack_name
                )))
            }
            _ = tokio::time::sleep(nap) => Ok(()),
        }
    }

    /// Whether the change set reports its execution over (covers services that finish
    /// an update before the first poll and leave the status text unchanged).
    async fn executed(&self, change_set_id: &str) -> bool {
        match self
            .clients
            .cfn
            .describe_change_set()
            .change_set_name(change_set_id)
            .stack_name(self.stack_id)
            .send()
            .await
        {
            Ok(out) => out
                .execution_status()
                .is_some_and(|s| matches!(s.as_str(), "EXECUTE_COMPLETE" | "EXECUTE_FAILED")),
            Err(_) => false,
        }
    }

    async fn print_new_events(
        &self,
        seen: &mut HashSet<String>,
        printed: &mut BTreeSet<(String, String)>,
        ui: &mut dyn Ui,
    ) {
        let events = stack_events(self.clients, self.stack_id).await;
        // Newest first from the API; print oldest first.
        let fresh: Vec<_> = events
            .iter()
            .filter(|e| e.event_id().is_some_and(|id| !seen.contains(id)))
            .collect();
        for e in fresh.into_iter().rev() {
            if let Some(id) = e.event_id() {
                seen.insert(id.to_string());
            }
            let logical = e.logical_resource_id().unwrap_or("?");
            let status = e.resource_status().map(|s| s.as_str()).unwrap_or("?");
            printed.insert((logical.to_string(), status.to_string()));
            let when = e
                .timestamp()
                .and_then(|t| chrono::DateTime::from_timestamp(t.secs(), 0))
                .map(|t| t.format("%H:%M:%S").to_string())
                .unwrap_or_else(clock);
            let mut line = format!("{when}  {status:<28}  {logical}");
            if let Some(ty) = e
                .resource_type()
                .filter(|t| *t != "AWS::CloudFormation::Stack")
            {
                line.push_str(&format!("  {ty}"));
            }
            if let Some(reason) = e.resource_status_reason().filter(|r| !r.is_empty()) {
                line.push_str(&format!("  {reason}"));
            }
            ui.say(&line);
        }
    }

    /// "\n  Logical (Type): reason" for each resource that failed during this operation.
    async fn failures(&self, baseline: &HashSet<String>, stack_reason: Option<&str>) -> String {
        let mut found: Vec<(String, String, String)> = Vec::new();
        for e in stack_events(self.clients, self.stack_id).await.iter().rev() {
            let new = e.event_id().is_some_and(|id| !baseline.contains(id));
            let failed = e
                .resource_status()
                .is_some_and(|s| s.as_str().ends_with("_FAILED"));
            let logical = e.logical_resource_id().unwrap_or("?");
            if new && failed && logical != self.stack_name {
                found.push((
                    logical.to_string(),
                    e.resource_type().unwrap_or("?").to_string(),
                    e.resource_status_reason()
                        .unwrap_or("no reason given")
                        .to_string(),
                ));
            }
        }
        // Some services record failures only on the resources, not as events.
        if let Ok(out) = self
            .clients
            .cfn
            .describe_stack_resources()
            .stack_name(self.stack_id)
            .send()
            .await
        {
            for r in out.stack_resources() {
                let failed = r
                    .resource_status()
                    .is_some_and(|s| s.as_str().ends_with("_FAILED"));
                let logical = r.logical_resource_id().unwrap_or("?");
                if failed && !found.iter().any(|f| f.0 == logical) {
                    found.push((
                        logical.to_string(),
                        r.resource_type().unwrap_or("?").to_string(),
                        r.resource_status_reason()
                            .unwrap_or("no reason given")
                            .to_string(),
                    ));
                }
            }
        }
        let mut text = String::new();
        if let Some(reason) = stack_reason.filter(|r| !r.is_empty()) {
            text.push_str(&format!(" ({reason})"));
        }
        if !found.is_empty() {
            text.push_str("\nfailed resources:");
            for (logical, ty, reason) in &found {
                text.push_str(&format!("\n  {logical} ({ty}): {reason}"));
            }
        }
        text
    }
}

/// Wait while an operation someone else started is running. Returns the settled info
/// (or `None` when the stack went away).
pub async fn until_idle(
    c: &Clients,
    stack: &str,
    deadline: Instant,
    poll: Duration,
    timeout: Duration,
    ui: &mut dyn Ui,
) -> Result<Option<super::client::StackInfo>, Error> {
    let mut announced = false;
    loop {
        let info = stack_info(&c.cfn, stack).await?;
        let busy = info.as_ref().is_some_and(|i| {
            matches!(
                super::state::readiness(Some(&i.status)),
                super::state::Readiness::Busy(_)
            )
        });
        let Some(current) = info.filter(|_| busy) else {
            ui.clear_status();
            return stack_info(&c.cfn, stack).await;
        };
        if !announced {
            ui.say(&format!(
                "stack {stack} is {}: waiting for that operation to finish first",
                current.status
            ));
            announced = true;
        }
        ui.status(&format!("{stack}: {} (waiting)", current.status));
        let now = Instant::now();
        if now >= deadline {
            ui.clear_status();
            return Err(Error::Failed(format!(
                "timed out after {} waiting for stack {stack}: it is still {}; nothing was \
                 changed",
                human_duration(timeout),
                current.status
            )));
        }
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {
                ui.clear_status();
                return Err(Error::Interrupted(format!(
                    "stopped waiting; stack {stack} is {} and nothing was changed",
                    current.status
                )));
            }
            _ = tokio::time::sleep(poll.min(deadline - now)) => {}
        }
    }
}

fn clock() -> String {
    chrono::Utc::now().format("%H:%M:%S").to_string()
}
