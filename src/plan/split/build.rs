//! Cut the one-stack plan into a root and its children, rewriting every reference that
//! crosses a boundary:
//!
//! - a child naming a root resource or parameter receives it as a parameter of its own:
//!   `Ref X` keeps its name (the parameter is called `X`), `Fn::GetAtt [X, Arn]` becomes
//!   `Ref XArn`; the root passes `Ref X` / `Fn::GetAtt [X, Arn]` in the child's
//!   `Parameters`;
//! - the root naming a child's resource reads a child output:
//!   `Fn::GetAtt [NestedStackN, Outputs.XArn]`;
//! - one child naming another's resource (units never do, see `place`, but the rewriting
//!   does not rely on it) gets it as a parameter that the root fills from the other
//!   child's output;
//! - `Fn::Sub` text that names something across the boundary becomes the equivalent
//!   `Fn::Join`, so that each piece is rewritten like any other reference;
//! - `DependsOn` across the boundary becomes a dependency on (or of) the child stack.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use super::refs;
use crate::model::ParamType;
use crate::plan::tree::{Node, Props};
use crate::plan::{ChildTemplate, Parameter, Resource, Stack, StackOutput, ARTIFACTS_BUCKET};

/// Hex digits of the template's SHA-256 kept in its key (as for code zips).
const KEY_HASH_CHARS: usize = 16;

/// Where a logical ID lives once split.
enum Where {
    Root,
    Child(u32),
    Param(ParamType),
    /// A pseudo parameter (`AWS::Region`) or a name the plan does not define.
    Other,
}

pub struct Split {
    pub root: Stack,
    /// (child index, its stack), by index.
    pub children: Vec<(u32, Stack)>,
}

struct Rewriter<'a> {
    flat: &'a Stack,
    /// Resource id → child index; absent = root.
    child_of: &'a BTreeMap<String, u32>,
    stack_ids: &'a BTreeMap<u32, String>,
    param_types: BTreeMap<String, ParamType>,
    /// IDs a value name must not take.
    taken: BTreeSet<String>,
    /// Child → parameter name → (type, value the root passes).
    imports: BTreeMap<u32, BTreeMap<String, (ParamType, Node)>>,
    /// Child → output name → value (local to that child).
    exports: BTreeMap<u32, BTreeMap<String, Node>>,
}

impl Rewriter<'_> {
    fn place(&self, id: &str) -> Where {
        if self.flat.resources.contains_key(id) {
            return match self.child_of.get(id) {
                Some(c) => Where::Child(*c),
                None => Where::Root,
            };
        }
        match self.param_types.get(id) {
            Some(ty) => Where::Param(*ty),
            None => Where::Other,
        }
    }

    /// The parameter/output name carrying `Ref id` (`id`) or `GetAtt id attr` (`idAttr`).
    fn value_name(&self, id: &str, attr: Option<&str>) -> String {
        let Some(attr) = attr else {
            return id.to_string();
        };
        let mut name: String = format!("{id}{attr}")
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        // CFN-08: at most 255 characters; the ASCII filter makes byte truncation safe.
        name.truncate(240);
        while self.taken.contains(&name) {
            name.push_str("Value");
        }
        name
    }

    fn output_ref(&self, child: u32, name: &str) -> Node {
        let stack = self.stack_ids.get(&child).cloned().unwrap_or_default();
        Node::get_att(stack, format!("Outputs.{name}"))
    }

    /// A reference to `id` (attribute `attr`) as seen from `here` (`None` = root).
    fn reference(&mut self, id: &str, attr: Option<&str>, here: Option<u32>) -> Node {
        let original = match attr {
            Some(a) => Node::get_att(id, a),
            None => Node::ref_(id),
        };
        match (self.place(id), here) {
            (Where::Other, _) | (Where::Root, None) | (Where::Param(_), None) => original,
            (Where::Child(d), Some(c)) if d == c => original,
            (Where::Param(ty), Some(c)) => {
                self.import(c, id.to_string(), ty, original.clone());
                original
            }
            (Where::Root, Some(c)) => {
                let name = self.value_name(id, attr);
                self.import(c, name.clone(), ParamType::String, original);
                Node::ref_(name)
            }
            (Where::Child(d), here) => {
                let name = self.value_name(id, attr);
                self.exports
                    .entry(d)
                    .or_default()
                    .insert(name.clone(), original);
                let remote = self.output_ref(d, &name);
                match here {
                    None => remote,
                    Some(c) => {
                        self.import(c, name.clone(), ParamType::String, remote);
                        Node::ref_(name)
                    }
                }
            }
        }
    }

    fn import(&mut self, child: u32, name: String, ty: ParamType, value: Node) {
        self.imports
            .entry(child)
            .or_default()
            .insert(name, (ty, value));
    }

    fn rewrite(&mut self, n: &Node, here: Option<u32>) -> Node {
        match n {
            Node::Ref(id) => self.reference(id, None, here),
            Node::GetAtt(id, attr) => self.reference(id, Some(attr), here),
            Node::Sub(text) => {
                let joined = refs::sub_to_join(text);
                let rewritten = self.rewrite(&joined, here);
                if rewritten == joined {
                    n.clone()
                } else {
                    rewritten
                }
            }
            Node::List(items) => Node::List(items.iter().map(|i| self.rewrite(i, here)).collect()),
            Node::Join(sep, items) => Node::Join(
                sep.clone(),
                items.iter().map(|i| self.rewrite(i, here)).collect(),
            ),
            Node::Map(entries) => Node::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), self.rewrite(v, here)))
                    .collect(),
            ),
            Node::Select(i, inner) => Node::Select(*i, Box::new(self.rewrite(inner, here))),
            Node::Split(sep, inner) => {
                Node::Split(sep.clone(), Box::new(self.rewrite(inner, here)))
            }
            Node::Str(_) | Node::Num(_) | Node::Bool(_) => n.clone(),
        }
    }

    fn props(&mut self, p: &Props, here: Option<u32>) -> Props {
        Props(
            p.0.iter()
                .map(|(k, v)| (k.clone(), self.rewrite(v, here)))
                .collect(),
        )
    }
}

/// Cut `flat` along `child_of`. `stack_ids` names each child's stack resource.
pub fn split(
    flat: &Stack,
    child_of: &BTreeMap<String, u32>,
    stack_ids: &BTreeMap<u32, String>,
) -> Split {
    let mut taken: BTreeSet<String> = flat.resources.keys().cloned().collect();
    taken.extend(flat.parameters.iter().map(|(id, _)| id.clone()));
    taken.extend(stack_ids.values().cloned());
    let mut rw = Rewriter {
        flat,
        child_of,
        stack_ids,
        param_types: flat
            .parameters
            .iter()
            .map(|(id, p)| (id.clone(), p.ty))
            .collect(),
        taken,
        imports: BTreeMap::new(),
        exports: BTreeMap::new(),
    };

    let mut child_resources: BTreeMap<u32, BTreeMap<String, Resource>> = BTreeMap::new();
    // Child → what its stack resource must wait for (root resources or other stacks).
    let mut stack_deps: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
    let mut root_resources: BTreeMap<String, Resource> = BTreeMap::new();
    for (id, r) in &flat.resources {
        let here = child_of.get(id).copied();
        let properties = rw.props(&r.properties, here);
        let mut depends_on = Vec::new();
        for d in &r.depends_on {
            match (rw.place(d), here) {
                (Where::Child(e), Some(c)) if e == c => depends_on.push(d.clone()),
                (Where::Child(e), Some(c)) => {
                    if let Some(s) = stack_ids.get(&e) {
                        stack_deps.entry(c).or_default().insert(s.clone());
                    }
                }
                (Where::Child(e), None) => {
                    if let Some(s) = stack_ids.get(&e) {
                        depends_on.push(s.clone());
                    }
                }
                (_, Some(c)) => {
                    stack_deps.entry(c).or_default().insert(d.clone());
                }
                (_, None) => depends_on.push(d.clone()),
            }
        }
        let mut res = Resource {
            ty: r.ty.clone(),
            properties,
            depends_on,
        };
        match here {
            Some(c) => {
                child_resources
                    .entry(c)
                    .or_default()
                    .insert(id.clone(), res);
            }
            None => {
                drop_referenced_dependencies(&mut res);
                root_resources.insert(id.clone(), res);
            }
        }
    }
    let outputs: Vec<(String, StackOutput)> = flat
        .outputs
        .iter()
        .map(|(id, o)| {
            (
                id.clone(),
                StackOutput {
                    value: rw.rewrite(&o.value, None),
                    description: o.description.clone(),
                },
            )
        })
        .collect();

    let mut children = Vec::new();
    let mut parameters = flat.parameters.clone();
    if !parameters.iter().any(|(id, _)| id == ARTIFACTS_BUCKET) {
        parameters.push((ARTIFACTS_BUCKET.to_string(), artifacts_parameter()));
    }
    for (c, resources) in child_resources {
        let imports = rw.imports.remove(&c).unwrap_or_default();
        let exports = rw.exports.remove(&c).unwrap_or_default();
        let stack_id = stack_ids.get(&c).cloned().unwrap_or_default();
        let child = Stack {
            description: Some(format!(
                "{stack_id}: functions of the root stack and the resources only they use"
            )),
            parameters: imports
                .iter()
                .map(|(name, (ty, _))| {
                    (
                        name.clone(),
                        Parameter {
                            ty: *ty,
                            default: None,
                            allowed: Vec::new(),
                            description: None,
                        },
                    )
                })
                .collect(),
            resources,
            outputs: exports
                .into_iter()
                .map(|(name, value)| {
                    (
                        name,
                        StackOutput {
                            value,
                            description: None,
                        },
                    )
                })
                .collect(),
            artifacts: Vec::new(),
            children: Vec::new(),
        };
        let mut props = Props::new().set("TemplateURL", Node::str(""));
        if !imports.is_empty() {
            props.put(
                "Parameters",
                Node::Map(imports.into_iter().map(|(n, (_, v))| (n, v)).collect()),
            );
        }
        let mut res = Resource::new("AWS::CloudFormation::Stack", props);
        for d in stack_deps.remove(&c).unwrap_or_default() {
            res = res.depends_on(&d);
        }
        drop_referenced_dependencies(&mut res);
        root_resources.insert(stack_id, res);
        children.push((c, child));
    }
    Split {
        root: Stack {
            description: flat.description.clone(),
            parameters,
            resources: root_resources,
            outputs,
            artifacts: flat.artifacts.clone(),
            children: Vec::new(),
        },
        children,
    }
}

/// Give each child its content-hashed key and point its stack resource at it (CFN-12:
/// TemplateURL must be an https S3 URL).
/// Each child comes with its JSON text (`emit::json` of the stack).
pub fn finish(root: &mut Stack, children: Vec<(String, Stack, String)>) {
    for (stack_id, stack, text) in children {
        let digest = Sha256::digest(text.as_bytes());
        let hash: String = digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
            .chars()
            .take(KEY_HASH_CHARS)
            .collect();
        let key = format!("{stack_id}-{hash}.json");
        if let Some(r) = root.resources.get_mut(&stack_id) {
            r.properties.put(
                "TemplateURL",
                Node::Sub(format!(
                    "https://${{{ARTIFACTS_BUCKET}}}.s3.${{AWS::Region}}.${{AWS::URLSuffix}}/{key}"
                )),
            );
        }
        root.children.push(ChildTemplate {
            logical_id: stack_id,
            key,
            bytes: text.into_bytes(),
            stack,
        });
    }
}

fn artifacts_parameter() -> Parameter {
    Parameter {
        ty: ParamType::String,
        default: None,
        allowed: Vec::new(),
        description: Some(
            "S3 bucket holding the zipped function code and nested stack templates \
             (lamc build --artifacts-dir)"
                .to_string(),
        ),
    }
}

/// A `DependsOn` on something the properties already refer to is redundant (cfn-lint
/// W3005); cross-stack rewriting can produce such pairs.
fn drop_referenced_dependencies(r: &mut Resource) {
    let mut named = BTreeSet::new();
    for (_, v) in &r.properties.0 {
        refs::collect(v, &mut named);
    }
    r.depends_on.retain(|d| !named.contains(d));
    r.depends_on.sort();
    r.depends_on.dedup();
}
