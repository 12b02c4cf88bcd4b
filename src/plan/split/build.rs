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
//! - `DependsOn` across the boundary becomes a dependency on (or of) the child stack;
//! - `AWS::StackId` in a child means the root's stack ID, passed in as the parameter
//!   `RootStackId`: the names lamc chooses (`plan::known`) derive from it, and must be
//!   the same wherever they are computed.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use super::refs;
use crate::model::ParamType;
use crate::plan::tree::{Node, Props};
use crate::plan::values::joined_list;
use crate::plan::{
    ChildTemplate, FastMap, FastSet, Goal, Parameter, Resource, Stack, StackOutput, Usage,
    ARTIFACTS_BUCKET,
};

/// Hex digits of the template's SHA-256 kept in its key (as for code zips).
const KEY_HASH_CHARS: usize = 16;

/// Where a logical ID lives once split.
enum Where {
    Root,
    Child(u32),
    Param(ParamType),
    /// A pseudo parameter (`AWS::Region`) or a name the plan does not define.
    Other,
    /// `AWS::StackId`, which children receive from the root.
    RootStackId,
}

/// The child parameter that carries the root's `AWS::StackId`.
const ROOT_STACK_ID: &str = "RootStackId";

pub struct Split {
    pub root: Stack,
    /// (child index, its stack), by index.
    pub children: Vec<(u32, Stack)>,
}

struct Rewriter<'a> {
    /// The resources of the flat stack that stay in the root.
    root_ids: &'a FastSet<String>,
    /// Resource id → child index, for every other resource.
    child_of: &'a FastMap<String, u32>,
    stack_ids: &'a BTreeMap<u32, String>,
    /// The values of `stack_ids`, for look-ups by name (there is a child per ~200
    /// resources, so a scan per reference grew with the square of the app).
    stack_names: BTreeSet<&'a str>,
    param_types: BTreeMap<String, ParamType>,
    /// Child → parameter name → (type, value the root passes).
    imports: BTreeMap<u32, BTreeMap<String, (ParamType, Node)>>,
    /// Child → output name → value (local to that child).
    exports: BTreeMap<u32, BTreeMap<String, Node>>,
}

impl Rewriter<'_> {
    fn place(&self, id: &str) -> Where {
        if id == "AWS::StackId" {
            return Where::RootStackId;
        }
        if let Some(c) = self.child_of.get(id) {
            return Where::Child(*c);
        }
        if self.root_ids.contains(id) {
            return Where::Root;
        }
        match self.param_types.get(id) {
            Some(ty) => Where::Param(*ty),
            None => Where::Other,
        }
    }

    /// Whether [`Self::reference`] does anything for `id` seen from `here`: rewrites it,
    /// or records what the child must import.
    fn touches(&self, id: &str, here: Option<u32>) -> bool {
        crosses(&self.place(id), here)
    }

    /// IDs a value name must not take.
    fn taken(&self, name: &str) -> bool {
        self.child_of.contains_key(name)
            || self.root_ids.contains(name)
            || self.param_types.contains_key(name)
            || self.stack_names.contains(name)
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
        while self.taken(&name) {
            name.push_str("Value");
        }
        name
    }

    fn output_ref(&self, child: u32, name: &str) -> Node {
        let stack = self.stack_ids.get(&child).cloned().unwrap_or_default();
        Node::get_att(stack, format!("Outputs.{name}"))
    }

    /// A reference to `id` (attribute `attr`) as seen from `here` (`None` = root); `None`
    /// when it stays as written.
    fn reference(&mut self, id: &str, attr: Option<&str>, here: Option<u32>) -> Option<Node> {
        let original = || match attr {
            Some(a) => Node::get_att(id, a.to_string()),
            None => Node::ref_(id),
        };
        let place = self.place(id);
        if !crosses(&place, here) {
            return None;
        }
        match (place, here) {
            (Where::RootStackId, Some(c)) => {
                let mut name = ROOT_STACK_ID.to_string();
                while self.taken(&name) {
                    name.push_str("Value");
                }
                self.import(c, name.clone(), ParamType::String, original());
                Some(Node::ref_(name))
            }
            (Where::Param(ty), Some(c)) => {
                self.import(c, id.to_string(), ty, original());
                None
            }
            (Where::Root, Some(c)) => {
                let name = self.value_name(id, attr);
                self.import(c, name.clone(), ParamType::String, original());
                // `Ref X` arrives as the parameter `X`: the text stays as it was.
                attr.map(|_| Node::ref_(name))
            }
            (Where::Child(d), here) => {
                let name = self.value_name(id, attr);
                self.exports
                    .entry(d)
                    .or_default()
                    .insert(name.clone(), original());
                let remote = self.output_ref(d, &name);
                match here {
                    None => Some(remote),
                    Some(c) => {
                        self.import(c, name.clone(), ParamType::String, remote);
                        attr.map(|_| Node::ref_(name))
                    }
                }
            }
            // Stays as written (`crosses` said so above).
            (Where::Other | Where::Root | Where::Param(_) | Where::RootStackId, _) => None,
        }
    }

    fn import(&mut self, child: u32, name: String, ty: ParamType, value: Node) {
        self.imports
            .entry(child)
            .or_default()
            .insert(name, (ty, value));
    }

    /// Rewrite `n` in place as seen from `here`; whether anything changed. (In place: the
    /// flat stack is consumed, so a 10,000-function app is never held twice.)
    fn rewrite(&mut self, n: &mut Node, here: Option<u32>) -> bool {
        let replaced = match n {
            Node::Ref(id) => self.reference(id, None, here),
            Node::GetAtt(g) => self.reference(&g.0, Some(&g.1), here),
            Node::Sub(text) => {
                // Most texts name only what stays beside them: look before building the
                // `Fn::Join` that rewriting needs.
                let mut touched = false;
                refs::sub_vars(text, &mut |id| touched |= self.touches(id, here));
                if !touched {
                    return false;
                }
                let mut joined = refs::sub_to_join(text);
                self.rewrite(&mut joined, here).then_some(joined)
            }
            Node::List(items) => return self.rewrite_all(items.iter_mut(), here),
            Node::Join(j) => return self.rewrite_all(j.1.iter_mut(), here),
            Node::Map(entries) => {
                return self.rewrite_all(entries.iter_mut().map(|(_, v)| v), here);
            }
            Node::Select(_, inner) => return self.rewrite(inner, here),
            Node::Split(sp) => return self.rewrite(&mut sp.1, here),
            Node::Str(_) | Node::Num(_) | Node::Bool(_) => return false,
        };
        match replaced {
            Some(new) => {
                *n = new;
                true
            }
            None => false,
        }
    }

    /// Every node rewritten (no short cut: each may record an import or export).
    fn rewrite_all<'n>(
        &mut self,
        nodes: impl Iterator<Item = &'n mut Node>,
        here: Option<u32>,
    ) -> bool {
        let mut changed = false;
        for n in nodes {
            changed |= self.rewrite(n, here);
        }
        changed
    }
}

/// Whether a name at `place`, seen from `here` (`None` = root), crosses a stack boundary:
/// it must be passed in as a parameter or read from a child's output. Names the plan does
/// not define, and names in the stack that uses them, stay as written.
fn crosses(place: &Where, here: Option<u32>) -> bool {
    match (place, here) {
        (Where::Other, _)
        | (Where::Root, None)
        | (Where::Param(_), None)
        | (Where::RootStackId, None) => false,
        (Where::Child(d), Some(c)) => *d != c,
        _ => true,
    }
}

/// Cut `flat` along `child_of`. `stack_ids` names each child's stack resource.
pub fn split(
    flat: Stack,
    child_of: &FastMap<String, u32>,
    stack_ids: &BTreeMap<u32, String>,
) -> Split {
    let Stack {
        description,
        mut parameters,
        resources: flat_resources,
        mut outputs,
        artifacts,
        children: _,
    } = flat;
    let root_ids = root_ids(&flat_resources, child_of);
    let mut rw = rewriter(&root_ids, child_of, stack_ids, &parameters);
    let cut = cut(&mut rw, flat_resources);
    for (_, o) in &mut outputs {
        rw.rewrite(&mut o.value, None);
    }
    let masked = masked_parameters(&parameters);
    if !parameters.iter().any(|(id, _)| id == ARTIFACTS_BUCKET) {
        parameters.push((ARTIFACTS_BUCKET.to_string(), artifacts_parameter()));
    }
    let (root_resources, children) = assemble(&mut rw, cut, stack_ids, &masked);
    Split {
        root: Stack {
            description,
            parameters,
            resources: root_resources,
            outputs,
            artifacts,
            children: Vec::new(),
        },
        children,
    }
}

/// The flat stack's resources that no child takes.
fn root_ids(
    resources: &BTreeMap<String, Resource>,
    child_of: &FastMap<String, u32>,
) -> FastSet<String> {
    resources
        .keys()
        .filter(|id| !child_of.contains_key(id.as_str()))
        .cloned()
        .collect()
}

fn rewriter<'a>(
    root_ids: &'a FastSet<String>,
    child_of: &'a FastMap<String, u32>,
    stack_ids: &'a BTreeMap<u32, String>,
    parameters: &[(String, Parameter)],
) -> Rewriter<'a> {
    Rewriter {
        root_ids,
        child_of,
        stack_ids,
        stack_names: stack_ids.values().map(String::as_str).collect(),
        param_types: parameters
            .iter()
            .map(|(id, p)| (id.clone(), p.ty))
            .collect(),
        imports: BTreeMap::new(),
        exports: BTreeMap::new(),
    }
}

/// A secret parameter passed on to a child stays masked there too.
fn masked_parameters(parameters: &[(String, Parameter)]) -> BTreeSet<String> {
    parameters
        .iter()
        .filter(|(_, p)| p.no_echo)
        .map(|(id, _)| id.clone())
        .collect()
}

/// The root's resources (its own, then a stack resource per child) and the child stacks,
/// each with the parameters and outputs the rewriting found it needs.
fn assemble(
    rw: &mut Rewriter,
    mut cut: Cut,
    stack_ids: &BTreeMap<u32, String>,
    masked: &BTreeSet<String>,
) -> (BTreeMap<String, Resource>, Vec<(u32, Stack)>) {
    let mut root_resources: BTreeMap<String, Resource> = cut.root.into_iter().collect();
    let mut children = Vec::new();
    for (c, resources) in cut.children {
        let imports = rw.imports.remove(&c).unwrap_or_default();
        let exports = rw.exports.remove(&c).unwrap_or_default();
        let stack_id = stack_ids.get(&c).cloned().unwrap_or_default();
        let child = child_stack(&stack_id, resources, &imports, exports, masked);
        let deps = cut.stack_deps.remove(&c).unwrap_or_default();
        root_resources.insert(stack_id, stack_resource(imports, deps));
        children.push((c, child));
    }
    (root_resources, children)
}

/// The flat stack's resources, rewritten as seen from the stack each lands in.
struct Cut {
    root: Vec<(String, Resource)>,
    children: BTreeMap<u32, Vec<(String, Resource)>>,
    /// Child → what its stack resource must wait for (root resources or other stacks).
    stack_deps: BTreeMap<u32, BTreeSet<String>>,
}

/// The flat stack is walked in ID order, so each stack's resources arrive sorted: they
/// are collected in vectors and each map is built in one go at the end (inserting
/// ~100,000 IDs one by one compared each with a dozen others).
fn cut(rw: &mut Rewriter, flat: BTreeMap<String, Resource>) -> Cut {
    let mut cut = Cut {
        root: Vec::new(),
        children: BTreeMap::new(),
        stack_deps: BTreeMap::new(),
    };
    for (id, mut res) in flat {
        let here = rw.child_of.get(&id).copied();
        rw.rewrite_all(res.properties.0.iter_mut().map(|(_, v)| v), here);
        place_dependencies(rw, &mut res, here, &mut cut.stack_deps);
        match here {
            Some(c) => cut.children.entry(c).or_default().push((id, res)),
            None => {
                drop_referenced_dependencies(&mut res);
                cut.root.push((id, res));
            }
        }
    }
    cut
}

/// A `DependsOn` that stays within the resource's stack stays; one on another child
/// becomes a dependency on that child's stack resource; one of a child on the root (or
/// on another child) becomes a dependency of the child's stack resource.
fn place_dependencies(
    rw: &Rewriter,
    res: &mut Resource,
    here: Option<u32>,
    stack_deps: &mut BTreeMap<u32, BTreeSet<String>>,
) {
    let mut depends_on = Vec::new();
    for d in std::mem::take(&mut res.depends_on) {
        match (rw.place(&d), here) {
            (Where::Child(e), Some(c)) if e == c => depends_on.push(d),
            (Where::Child(e), Some(c)) => {
                if let Some(s) = rw.stack_ids.get(&e) {
                    stack_deps.entry(c).or_default().insert(s.clone());
                }
            }
            (Where::Child(e), None) => {
                if let Some(s) = rw.stack_ids.get(&e) {
                    depends_on.push(s.clone());
                }
            }
            (_, Some(c)) => {
                stack_deps.entry(c).or_default().insert(d);
            }
            (_, None) => depends_on.push(d),
        }
    }
    res.depends_on = depends_on;
}

/// A child's own template: its resources, a parameter per value it imports (masked when
/// the root's is), an output per value another stack reads.
fn child_stack(
    stack_id: &str,
    resources: Vec<(String, Resource)>,
    imports: &BTreeMap<String, (ParamType, Node)>,
    exports: BTreeMap<String, Node>,
    masked: &BTreeSet<String>,
) -> Stack {
    let parameter = |name: &String, ty: ParamType| Parameter {
        ty,
        default: None,
        allowed: Vec::new(),
        description: None,
        no_echo: masked.contains(name),
    };
    Stack {
        description: Some(format!(
            "{stack_id}: functions of the root stack and the resources only they use"
        )),
        parameters: imports
            .iter()
            .map(|(name, (ty, _))| (name.clone(), parameter(name, *ty)))
            .collect(),
        resources: resources.into_iter().collect(),
        outputs: exports
            .into_iter()
            .map(|(name, value)| {
                let output = StackOutput {
                    value,
                    description: None,
                };
                (name, output)
            })
            .collect(),
        artifacts: Vec::new(),
        children: Vec::new(),
    }
}

/// The root's `AWS::CloudFormation::Stack` of a child: the values it passes in, what it
/// waits for. Its `TemplateURL` is set once the child's key is known.
fn stack_resource(
    imports: BTreeMap<String, (ParamType, Node)>,
    deps: BTreeSet<String>,
) -> Resource {
    let mut props = Props::new().set("TemplateURL", Node::str(""));
    if !imports.is_empty() {
        props.put(
            "Parameters",
            Node::Map(
                imports
                    .into_iter()
                    // A stack's parameters take text: a list is passed joined (CFN-P1).
                    .map(|(n, (ty, v))| {
                        let v = if ty.is_list() { joined_list(v) } else { v };
                        (n.into(), v)
                    })
                    .collect(),
            ),
        );
    }
    let mut res = Resource::new("AWS::CloudFormation::Stack", props);
    for d in deps {
        res = res.depends_on(&d);
    }
    drop_referenced_dependencies(&mut res);
    res
}

/// Give each child its content-hashed key and point its stack resource at it (CFN-12:
/// TemplateURL must be an https S3 URL).
/// Each child comes with its JSON text (`template::compact` of the stack), or none when
/// the plan is only measured ([`Goal::Measure`]): then the key has the length of a hash
/// but no hash, so that the root measures the same.
pub fn finish(root: &mut Stack, children: Vec<(String, Usage, String)>, goal: Goal) {
    for (stack_id, usage, text) in children {
        let hash: String = match goal {
            Goal::Emit => Sha256::digest(text.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
                .chars()
                .take(KEY_HASH_CHARS)
                .collect(),
            Goal::Measure => "0".repeat(KEY_HASH_CHARS),
        };
        let key = format!("{stack_id}-{hash}.json");
        if let Some(r) = root.resources.get_mut(&stack_id) {
            r.properties.put(
                "TemplateURL",
                Node::sub(format!(
                    "https://${{{ARTIFACTS_BUCKET}}}.s3.${{AWS::Region}}.${{AWS::URLSuffix}}/{key}"
                )),
            );
        }
        root.children.push(ChildTemplate {
            logical_id: stack_id,
            key,
            bytes: text.into_bytes(),
            usage,
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
        no_echo: false,
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
