//! Execution roles: trust for Lambda (IAM-10) and one least-privilege inline policy built
//! from what the function's log group, triggers, destinations, tracing and `allow` lines
//! need — each statement scoped to the ARNs involved.

use super::ctx::Ctx;
use super::tree::{Node, Props, Text};
use super::{FastSet, Resource};

/// One `Allow` statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub actions: Vec<Text>,
    pub resources: Vec<Node>,
    /// Its `Condition` block, when the resources alone cannot scope it (a KMS key named by
    /// its alias: `plan::kms`).
    pub condition: Option<Node>,
}

impl Statement {
    pub fn new(actions: &[&'static str], resources: Vec<Node>) -> Self {
        Statement {
            actions: actions.iter().map(|a| Text::Borrowed(a)).collect(),
            resources,
            condition: None,
        }
    }

    /// The same statement, allowed only under `condition`.
    pub fn when(mut self, condition: Node) -> Self {
        self.condition = Some(condition);
        self
    }

    fn node(&self) -> Node {
        Props::new()
            .set("Effect", Node::str("Allow"))
            .set(
                "Action",
                one_or_list(self.actions.iter().cloned().map(Node::Str).collect()),
            )
            .set("Resource", one_or_list(self.resources.clone()))
            .opt("Condition", self.condition.clone())
            .node()
    }
}

fn one_or_list(mut items: Vec<Node>) -> Node {
    if items.len() == 1 {
        items.pop().unwrap_or_else(|| Node::List(Vec::new()))
    } else {
        Node::List(items)
    }
}

/// `{ Version, Statement: [...] }`
pub fn policy_document(statements: &[Statement]) -> Node {
    Props::new()
        .set("Version", Node::str("2012-10-17"))
        .set(
            "Statement",
            Node::List(statements.iter().map(Statement::node).collect()),
        )
        .node()
}

/// A trust policy letting `service` (e.g. `lambda.amazonaws.com`) assume the role.
pub fn trust(service: &str) -> Node {
    let st = Props::new()
        .set("Effect", Node::str("Allow"))
        .set(
            "Principal",
            Props::new()
                .set("Service", Node::str(service.to_string()))
                .node(),
        )
        .set("Action", Node::str("sts:AssumeRole"))
        .node();
    Props::new()
        .set("Version", Node::str("2012-10-17"))
        .set("Statement", Node::List(vec![st]))
        .node()
}

/// Build every function's role once all statements are known.
///
/// Statements naming a function (async destinations, `allow … on function.X`) or a bucket
/// that notifies a function go into a separately attached `AWS::IAM::Policy`: the function
/// depends on its role, and such a bucket or function may depend (directly or through
/// another role) on this function, so putting them inline would close a dependency cycle.
pub fn finish_roles(cx: &mut Ctx) {
    let late_ids = late_ids(cx);
    let model = cx.model;
    for f in &model.functions {
        let name = f.name.value.as_str();
        let Some(ids) = cx.fn_ids(name).cloned() else {
            continue;
        };
        cx.current = Some(name);
        let all = cx.statements.remove(name).unwrap_or_default();
        let (late, inline): (Vec<Statement>, Vec<Statement>) = all
            .into_iter()
            .partition(|s| s.resources.iter().any(|r| mentions(r, &late_ids)));
        // Inline policy names only need to be unique within their role.
        let policy_name = Node::str("execution");
        let inline_policy = Props::new()
            .set("PolicyName", policy_name.clone())
            .set("PolicyDocument", policy_document(&inline))
            .node();
        let policies = std::iter::once(inline_policy)
            .chain(super::network::files_policy(cx, f))
            .collect();
        let role = Props::new()
            .set("AssumeRolePolicyDocument", trust("lambda.amazonaws.com"))
            .opt("ManagedPolicyArns", super::network::managed_policies(f))
            .set("Policies", Node::List(policies))
            .opt("Tags", cx.tags(&Default::default()));
        cx.add(&ids.role, Resource::new("AWS::IAM::Role", role));
        if !late.is_empty() {
            let id = cx.ids.alloc(&[name, "Policy"]);
            let policy = Props::new()
                .set("PolicyName", Node::str("targets"))
                .set("PolicyDocument", policy_document(&late))
                .set("Roles", Node::List(vec![Node::ref_(&ids.role)]));
            cx.add(&id, Resource::new("AWS::IAM::Policy", policy));
            for dependent in cx.policy_dependents.remove(name).unwrap_or_default() {
                if let Some(r) = cx.stack.resources.remove(&dependent) {
                    cx.stack
                        .resources
                        .insert(dependent.clone(), r.depends_on(&id));
                }
            }
        }
        cx.current = None;
    }
}

/// Logical IDs that an inline role statement must not reference (see [`finish_roles`]).
fn late_ids(cx: &Ctx) -> FastSet<String> {
    let mut ids = FastSet::default();
    for f in cx.fns.values() {
        ids.insert(f.function.clone());
        ids.extend(f.alias.clone());
        ids.extend(f.url.clone());
    }
    for (id, r) in &cx.stack.resources {
        if r.ty == "AWS::S3::Bucket" && r.properties.get("NotificationConfiguration").is_some() {
            ids.insert(id.clone());
        }
    }
    ids
}

/// Whether a node refers to one of `ids`.
pub fn mentions(node: &Node, ids: &FastSet<String>) -> bool {
    match node {
        Node::Ref(id) => ids.contains(id.as_ref()),
        Node::GetAtt(g) => ids.contains(g.0.as_ref()),
        Node::Sub(text) => sub_mentions(text, ids),
        Node::List(items) => items.iter().any(|i| mentions(i, ids)),
        Node::Join(j) => j.1.iter().any(|i| mentions(i, ids)),
        Node::Map(entries) => entries.iter().any(|(_, v)| mentions(v, ids)),
        Node::Select(_, inner) => mentions(inner, ids),
        Node::Split(sp) => mentions(&sp.1, ids),
        Node::Str(_) | Node::Num(_) | Node::Bool(_) => false,
    }
}

/// Whether `text` contains `${Id}` or `${Id.` for one of `ids` (logical IDs, which hold
/// neither `.` nor `}`): the name after each `${` is looked up, rather than every ID
/// searched for in the text, which made roles quadratic in the number of functions.
fn sub_mentions(text: &str, ids: &FastSet<String>) -> bool {
    text.match_indices("${").any(|(at, _)| {
        let after = &text[at + 2..];
        after
            .find(['.', '}'])
            .is_some_and(|end| ids.contains(&after[..end]))
    })
}

/// `arn` and `arn/*`, for statements that mix bucket- and object-level S3 actions.
pub fn bucket_and_objects(arn: &Node) -> Vec<Node> {
    vec![arn.clone(), objects(arn)]
}

/// `arn/*`: every object in a bucket.
pub fn objects(arn: &Node) -> Node {
    super::values::join(vec![arn.clone(), Node::str("/*")])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sub_mentions_an_id_as_a_variable_or_an_attribute() {
        let ids: FastSet<String> = ["Fn".to_string(), "Bucket".to_string()]
            .into_iter()
            .collect();
        let yes = ["${Fn}", "arn:${Fn.Arn}/x", "${Other}${Bucket}", "${${Fn}"];
        let no = ["${Fnx}", "Fn", "${AWS::Region}", "${!Fn}", "${Fn", "${xFn}"];
        for t in yes {
            assert!(mentions(&Node::sub(t), &ids), "{t}");
        }
        for t in no {
            assert!(!mentions(&Node::sub(t), &ids), "{t}");
        }
    }
}
