//! The state shared by the lowering passes: the stack being built, the logical IDs of every
//! declaration, and the IAM statements each function's role will receive.

use std::collections::BTreeMap;

use super::iam::Statement;
use super::ids::Ids;
use super::tree::Node;
use super::{FastMap, Resource, Stack, ARTIFACTS_BUCKET};
use crate::diag::Diagnostic;
use crate::model::{DeployStr, Model, Origin, ResRef, Resource as Declared, S};
use crate::naming;

/// Logical IDs that belong to one function.
#[derive(Debug, Clone)]
pub struct FnIds {
    pub function: String,
    pub role: String,
    pub log_group: String,
    /// The alias (`live` unless named), when the function publishes versions.
    pub alias: Option<String>,
    /// The alias's name, as triggers and qualifiers write it.
    pub alias_name: String,
    /// `AWS::Lambda::Url`, when the function has a `url` block.
    pub url: Option<String>,
}

pub struct Ctx<'m> {
    pub model: &'m Model,
    pub ids: Ids,
    pub stack: Stack,
    pub diags: Vec<Diagnostic>,
    /// Created resources (not existing ones) → logical ID.
    pub res_ids: BTreeMap<ResRef, String>,
    /// Function name → its logical IDs.
    pub fns: FastMap<String, FnIds>,
    /// Every declared resource by reference (the first of a name, as `Model::resource`
    /// finds it): that lookup is a linear scan, once per trigger.
    declared: BTreeMap<ResRef, &'m Declared>,
    /// Parameter name → logical ID.
    pub params: BTreeMap<String, String>,
    /// Function name → statements for its execution role, in the order they were needed.
    pub statements: BTreeMap<String, Vec<Statement>>,
    /// Function name → resources that must wait for its separately attached policy
    /// (see `iam::finish_roles`).
    pub policy_dependents: BTreeMap<String, Vec<String>>,
    /// The function whose resources are being lowered (`None` for stack-level ones).
    pub current: Option<&'m str>,
    /// Resource logical ID → the function it belongs to. Resources without an entry (the
    /// declared queues, topics, tables, …, and stack-level alarms) are shared; nested-stack
    /// splitting (`split`) keeps each function's own resources together.
    pub owner: FastMap<String, &'m str>,
    /// `tags(&{})`, the list every resource without tags of its own carries.
    app_tags: Option<Node>,
    /// The zips of local `code` folders, made before planning (see [`super::code_requests`]).
    pub code: Option<&'m crate::artifacts::Packed>,
    /// Buckets and functions that get a name lamc chooses (`known`), so that values can
    /// name them without a reference that would close a cycle.
    pub known: Known,
}

/// The declarations that [`super::known`] names, decided before lowering.
pub type Known = std::collections::BTreeSet<ResRef>;

impl<'m> Ctx<'m> {
    /// Allocate the logical IDs of every declaration up front, so that references resolve
    /// whatever the declaration order.
    pub fn new(model: &'m Model, known: Known) -> Self {
        let mut ids = Ids::default();
        ids.reserve(ARTIFACTS_BUCKET);
        let mut params = BTreeMap::new();
        for p in &model.params {
            params.insert(p.name.value.clone(), ids.alloc(&[&p.name.value]));
        }
        let mut declared = BTreeMap::new();
        for r in &model.resources {
            declared.entry(r.res_ref()).or_insert(r);
        }
        let mut res_ids = BTreeMap::new();
        for r in &model.resources {
            if let Origin::Created(_) = r.origin {
                let id = ids.alloc(&[&r.name, naming::kind_word(r.kind)]);
                res_ids.insert(r.res_ref(), id);
            }
        }
        let mut fns = FastMap::default();
        for f in &model.functions {
            let n = f.name.value.as_str();
            let fn_ids = FnIds {
                function: ids.alloc(&[n, "Function"]),
                role: ids.alloc(&[n, "Role"]),
                log_group: ids.alloc(&[n, "LogGroup"]),
                alias: f.has_alias().then(|| ids.alloc(&[n, "Alias"])),
                alias_name: f.alias_name().to_string(),
                url: f.url.as_ref().map(|_| ids.alloc(&[n, "Url"])),
            };
            fns.insert(n.to_string(), fn_ids);
        }
        let mut cx = Ctx {
            model,
            ids,
            stack: Stack::default(),
            diags: Vec::new(),
            res_ids,
            fns,
            declared,
            params,
            statements: BTreeMap::new(),
            policy_dependents: BTreeMap::new(),
            current: None,
            owner: FastMap::default(),
            app_tags: None,
            code: None,
            known,
        };
        cx.app_tags = cx.tags_uncached(&BTreeMap::new());
        cx
    }

    /// Add a resource; while a function is being lowered it is recorded as that
    /// function's own.
    pub fn add(&mut self, id: &str, resource: Resource) {
        if let Some(f) = self.current {
            self.owner.entry(id.to_string()).or_insert(f);
        }
        self.stack.resources.insert(id.to_string(), resource);
    }

    /// The S3 key of `function`'s zipped code folder. `None` when it could not be zipped:
    /// the reason is then a diagnostic of this lowering.
    pub fn code_key(&mut self, function: &str) -> Option<String> {
        match self.code.and_then(|c| c.key(function)) {
            Some(Ok(key)) => Some(key.to_string()),
            Some(Err(d)) => {
                self.diags.push(d.clone());
                None
            }
            // Every local folder is requested (`code_requests`); this is never taken.
            None => None,
        }
    }

    pub fn fn_ids(&self, name: &str) -> Option<&FnIds> {
        self.fns.get(name)
    }

    /// What triggers and destinations invoke: the alias when the function publishes
    /// versions (its Ref is the alias ARN), else the function ARN.
    pub fn invoke_target(&self, name: &str) -> Node {
        match self.fns.get(name) {
            Some(FnIds {
                alias: Some(alias), ..
            }) => Node::ref_(alias),
            Some(ids) => Node::get_att(&ids.function, "Arn"),
            None => Node::str(name.to_string()),
        }
    }

    pub fn statement(&mut self, function: &str, st: Statement) {
        let list = self.statements.entry(function.to_string()).or_default();
        if !list.contains(&st) {
            list.push(st);
        }
    }

    /// The logical ID of a resource this stack creates; `None` for existing resources.
    pub fn res_id(&self, r: &ResRef) -> Option<&str> {
        self.res_ids.get(r).map(String::as_str)
    }

    /// The declaration `r` names.
    pub fn resource(&self, r: &ResRef) -> Option<&'m Declared> {
        self.declared.get(r).copied()
    }

    /// Whether lamc names `r` itself (see [`super::known`]).
    pub fn is_known(&self, r: &ResRef) -> bool {
        self.known.contains(r)
    }

    /// The ARN an existing resource was declared with.
    pub fn existing_arn(&self, r: &ResRef) -> Option<&'m DeployStr> {
        match &self.resource(r)?.origin {
            Origin::Existing { arn } => Some(&arn.value),
            Origin::Created(_) => None,
        }
    }
}

impl Ctx<'_> {
    /// App tags merged with `extra` (extra wins), as `[{Key, Value}]`; `None` when empty.
    pub fn tags(&self, extra: &BTreeMap<String, S<DeployStr>>) -> Option<Node> {
        if extra.is_empty() {
            // Most resources carry the app's tags alone: built once (see `Ctx::new`).
            return self.app_tags.clone();
        }
        self.tags_uncached(extra)
    }

    fn tags_uncached(&self, extra: &BTreeMap<String, S<DeployStr>>) -> Option<Node> {
        let merged = self.merged_tags(extra);
        (!merged.is_empty()).then(|| {
            Node::List(
                merged
                    .into_iter()
                    .map(|(k, v)| {
                        super::tree::Props::new()
                            .set("Key", Node::str(k))
                            .set("Value", self.text(v))
                            .node()
                    })
                    .collect(),
            )
        })
    }

    /// The same tags as a `{key: value}` map (API Gateway V2's shape).
    pub fn tags_map(&self, extra: &BTreeMap<String, S<DeployStr>>) -> Option<Node> {
        let merged = self.merged_tags(extra);
        (!merged.is_empty()).then(|| {
            Node::Map(
                merged
                    .into_iter()
                    .map(|(k, v)| (k.into(), self.text(v)))
                    .collect(),
            )
        })
    }

    fn merged_tags<'t>(
        &'t self,
        extra: &'t BTreeMap<String, S<DeployStr>>,
    ) -> BTreeMap<String, &'t DeployStr> {
        let mut merged: BTreeMap<String, &DeployStr> = self
            .model
            .app
            .as_ref()
            .map(|a| a.tags.iter().map(|(k, v)| (k.clone(), &v.value)).collect())
            .unwrap_or_default();
        for (k, v) in extra {
            merged.insert(k.clone(), &v.value);
        }
        merged
    }
}
