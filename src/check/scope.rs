//! Declarations and their namespaces: one namespace per kind across all files. Reports
//! duplicate names (E0102), colliding logical-ID stems (E0106), a second `app`, unknown or
//! cyclic `extends` (E0201/E0202/E0204) and cyclic `let`s (E0204).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::model::Kind;
use crate::naming::pascal_case;
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    AlarmDecl, AppDecl, Body, DefaultsDecl, EntryValue, ExistingDecl, FunctionDecl, Ident, Item,
    LetDecl, Member, OutputDecl, ParamDecl, ResourceDecl,
};

use super::lets::Lets;
use super::load::Loaded;
use super::unreadable::Unreadable;

/// A resource declaration: created here or existing elsewhere.
#[derive(Clone, Copy)]
pub enum ResDecl<'a> {
    Created(&'a ResourceDecl),
    Existing(&'a ExistingDecl),
}

impl<'a> ResDecl<'a> {
    pub fn name(&self) -> &'a Ident {
        match self {
            ResDecl::Created(d) => &d.name,
            ResDecl::Existing(d) => &d.name,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            ResDecl::Created(d) => d.span,
            ResDecl::Existing(d) => d.span,
        }
    }
}

/// Every declaration of the program, by namespace, in load order.
#[derive(Default)]
pub struct Scope<'a> {
    pub app: Option<&'a AppDecl>,
    pub params: Vec<&'a ParamDecl>,
    /// Every `let`, evaluated once (cycles and values over budget already reported).
    pub lets: Lets<'a>,
    pub templates: BTreeMap<String, &'a FunctionDecl>,
    pub functions: Vec<(FileId, &'a FunctionDecl)>,
    pub resources: Vec<(Kind, ResDecl<'a>)>,
    /// The first `defaults` block of each file.
    pub defaults: BTreeMap<FileId, &'a DefaultsDecl>,
    pub alarms: Vec<&'a AlarmDecl>,
    pub outputs: Vec<&'a OutputDecl>,
    /// Some `on http` has no `via` and no `api default` is declared.
    pub implicit_api: bool,
    /// Functions with a `url` block (their own, a template's or their file's defaults).
    pub fn_has_url: BTreeSet<String>,
    /// What was declared where the program could not be read.
    pub unreadable: Unreadable,
    /// Name → position in `functions`, so that each reference is resolved in constant time
    /// (a linear scan made checking quadratic in the number of declarations).
    /// (foldhash: the language server builds the scope on every edit.)
    function_index: crate::plan::FastMap<&'a str, usize>,
    /// (kind, name) → position in `resources`.
    resource_index: crate::plan::FastMap<(Kind, &'a str), usize>,
}

impl<'a> Scope<'a> {
    pub fn function(&self, name: &str) -> Option<&'a FunctionDecl> {
        let i = *self.function_index.get(name)?;
        self.functions.get(i).map(|(_, f)| *f)
    }

    pub fn resource(&self, kind: Kind, name: &str) -> Option<ResDecl<'a>> {
        let i = *self.resource_index.get(&(kind, name))?;
        self.resources.get(i).map(|(_, d)| *d)
    }

    /// Add a function (its name is already known to be new in its namespace).
    fn push_function(&mut self, file: FileId, f: &'a FunctionDecl) {
        self.function_index
            .entry(f.name.name.as_str())
            .or_insert(self.functions.len());
        self.functions.push((file, f));
    }

    /// Add a resource (its name is already known to be new in its kind's namespace).
    fn push_resource(&mut self, kind: Kind, d: ResDecl<'a>) {
        self.resource_index
            .entry((kind, d.name().name.as_str()))
            .or_insert(self.resources.len());
        self.resources.push((kind, d));
    }

    pub fn param(&self, name: &str) -> Option<&'a ParamDecl> {
        self.params.iter().find(|p| p.name.name == name).copied()
    }

    /// Whether `KIND.NAME` names a declaration (the implicit api included).
    pub fn exists(&self, kind: Kind, name: &str) -> bool {
        self.decl_span(kind, name).is_some()
            || (kind == Kind::Api && name == "default" && self.implicit_api)
    }

    /// Where `KIND.NAME` is declared.
    pub fn decl_span(&self, kind: Kind, name: &str) -> Option<Span> {
        match kind {
            Kind::Function => self.function(name).map(|f| f.name.span),
            _ => self.resource(kind, name).map(|d| d.name().span),
        }
    }

    /// Names declared under `kind`, for "did you mean".
    pub fn names_of(&self, kind: Kind) -> Vec<&'a str> {
        let mut out: Vec<&str> = match kind {
            Kind::Function => self
                .functions
                .iter()
                .map(|(_, f)| f.name.name.as_str())
                .collect(),
            _ => self
                .resources
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, d)| d.name().name.as_str())
                .collect(),
        };
        if kind == Kind::Api && self.implicit_api {
            out.push("default");
        }
        out
    }

    /// Kinds under which `name` is declared (for "it is a topic" hints).
    pub fn kinds_named(&self, name: &str) -> Vec<Kind> {
        ALL_KINDS
            .iter()
            .copied()
            .filter(|k| self.decl_span(*k, name).is_some())
            .collect()
    }

    /// Whether `decl` (of `file`) may inherit from something that could not be read: a
    /// template that is unknown (reported), did not parse or that a failed `use` may have
    /// brought, or its file's `defaults` that did not parse.
    pub fn inherits_unreadable(&self, decl: &'a FunctionDecl, file: FileId) -> bool {
        // Not a template (already reported, or unreadable): it may set anything.
        let unknown_template = |ext: &Ident| !self.templates.contains_key(&ext.name);
        self.unreadable.defaults_of(file)
            || std::iter::once(decl)
                .chain(self.template_chain(decl).into_iter().map(|(_, t)| t))
                .any(|d| d.extends.iter().any(unknown_template))
    }

    /// The templates `decl` extends, transitively, in precedence order (each template
    /// followed by its own `extends`, depth first), each with the `extends` name that
    /// brought it in. Unknown names and cycles are skipped (reported by [`build`]).
    pub fn template_chain(&self, decl: &'a FunctionDecl) -> Vec<(&'a Ident, &'a FunctionDecl)> {
        let mut out: Vec<(&Ident, &FunctionDecl)> = Vec::new();
        let mut seen: HashSet<*const FunctionDecl> = HashSet::from([decl as *const FunctionDecl]);
        // An explicit stack of the `extends` lists being walked: chains are as long as the
        // program makes them, the thread's stack is not.
        let mut walking = vec![decl.extends.iter()];
        while let Some(top) = walking.last_mut() {
            let Some(ext) = top.next() else {
                walking.pop();
                continue;
            };
            let Some(t) = self.templates.get(&ext.name) else {
                continue;
            };
            if seen.insert(*t as *const FunctionDecl) {
                out.push((ext, *t));
                walking.push(t.extends.iter());
            }
        }
        out
    }
}

pub const ALL_KINDS: &[Kind] = &[
    Kind::Queue,
    Kind::Topic,
    Kind::Bucket,
    Kind::Table,
    Kind::Stream,
    Kind::Api,
    Kind::Bus,
    Kind::Layer,
    Kind::Capacity,
    Kind::Auth,
    Kind::Function,
    Kind::Secret,
    Kind::Parameter,
    Kind::Key,
    Kind::Resource,
    Kind::Cluster,
];

/// Collect the declarations of every loaded file.
pub fn build<'a>(files: &'a [Loaded], diags: &mut Vec<Diagnostic>) -> Scope<'a> {
    let mut scope = Scope {
        unreadable: Unreadable::collect(files),
        ..Scope::default()
    };
    let lets = collect_declarations(files, &mut scope, diags);
    check_stems(&scope, diags);
    check_extends(&scope, diags);
    let unreadable_lets = scope
        .unreadable
        .lets()
        .map(str::to_string)
        .collect::<Vec<_>>();
    scope.lets = Lets::build(lets, unreadable_lets, diags);
    scope.implicit_api =
        scope.resource(Kind::Api, "default").is_none() && any_http_without_via(files);
    scope.fn_has_url = functions_with_url(&scope);
    scope
}

/// (namespace, name) → first declaration's name span, for E0102.
#[derive(Default)]
struct FirstDeclared<'a> {
    first: crate::plan::FastMap<(&'static str, &'a str), Span>,
}

impl<'a> FirstDeclared<'a> {
    /// Whether `id` is new in `ns` (E0102 if it is not).
    fn declare(&mut self, ns: &'static str, id: &'a Ident, diags: &mut Vec<Diagnostic>) -> bool {
        match self.first.get(&(ns, id.name.as_str())) {
            Some(prev) => {
                diags.push(
                    Diagnostic::new(
                        Code::E0102,
                        id.span,
                        format!("duplicate {ns} `{}`", id.name),
                    )
                    .label(format!("{ns} `{}` declared again here", id.name))
                    .secondary(*prev, "first declared here")
                    .help(format!("rename one of them or remove the second {ns}")),
                );
                false
            }
            None => {
                self.first.insert((ns, id.name.as_str()), id.span);
                true
            }
        }
    }
}

/// Every item of every file into its namespace of `scope`, in load order. The `let`s are
/// returned, not stored: they are evaluated together once all are known.
fn collect_declarations<'a>(
    files: &'a [Loaded],
    scope: &mut Scope<'a>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<&'a LetDecl> {
    let mut lets: Vec<&'a LetDecl> = Vec::new();
    let mut names = FirstDeclared::default();
    for loaded in files {
        for item in &loaded.ast.items {
            declare_item(scope, &mut lets, &mut names, loaded.file, item, diags);
        }
    }
    lets
}

fn declare_item<'a>(
    scope: &mut Scope<'a>,
    lets: &mut Vec<&'a LetDecl>,
    names: &mut FirstDeclared<'a>,
    file: FileId,
    item: &'a Item,
    diags: &mut Vec<Diagnostic>,
) {
    match item {
        Item::Use(_) => {}
        Item::App(a) => declare_app(scope, a, diags),
        Item::Param(p) => {
            if names.declare("param", &p.name, diags) {
                scope.params.push(p);
            }
        }
        Item::Let(l) => {
            if names.declare("let", &l.name, diags) {
                lets.push(l);
            }
        }
        Item::Defaults(d) => declare_defaults(scope, file, d, diags),
        Item::Template(t) => {
            if names.declare("template", &t.name, diags) {
                scope.templates.insert(t.name.name.clone(), t);
            }
        }
        Item::Function(f) => {
            if names.declare("function", &f.name, diags) {
                scope.push_function(file, f);
            }
        }
        Item::Resource(r) => declare_resource(scope, names, &r.kind, ResDecl::Created(r), diags),
        Item::Existing(r) => declare_resource(scope, names, &r.kind, ResDecl::Existing(r), diags),
        Item::Alarm(a) => {
            let is_new = match a {
                AlarmDecl::Named { name, .. } => names.declare("alarm", name, diags),
                AlarmDecl::Expr(_) => true,
            };
            if is_new {
                scope.alarms.push(a);
            }
        }
        Item::Output(o) => {
            if names.declare("output", &o.name, diags) {
                scope.outputs.push(o);
            }
        }
    }
}

/// The first `app`; E0102 at any other.
fn declare_app<'a>(scope: &mut Scope<'a>, a: &'a AppDecl, diags: &mut Vec<Diagnostic>) {
    match scope.app {
        Some(prev) => diags.push(
            Diagnostic::new(Code::E0102, a.name.span, "more than one `app` declaration")
                .label("second app declared here")
                .secondary(prev.name.span, "first declared here")
                .help("a program has at most one `app`; merge them"),
        ),
        None => scope.app = Some(a),
    }
}

/// The first `defaults` block of `file`; E0102 at any other in that file.
fn declare_defaults<'a>(
    scope: &mut Scope<'a>,
    file: FileId,
    d: &'a DefaultsDecl,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(prev) = scope.defaults.get(&file) {
        diags.push(
            Diagnostic::new(
                Code::E0102,
                d.keyword,
                "more than one `defaults` block in this file",
            )
            .label("second defaults block")
            .secondary(prev.keyword, "first declared here")
            .help("merge the two blocks into one"),
        );
    } else {
        scope.defaults.insert(file, d);
    }
}

/// A created or existing resource, in the namespace of its kind.
fn declare_resource<'a>(
    scope: &mut Scope<'a>,
    names: &mut FirstDeclared<'a>,
    kind_word: &Ident,
    decl: ResDecl<'a>,
    diags: &mut Vec<Diagnostic>,
) {
    // An unknown kind word is the parser's E0101.
    let Some(kind) = Kind::parse(&kind_word.name).filter(|k| *k != Kind::Function) else {
        return;
    };
    if names.declare(kind.as_str(), decl.name(), diags) {
        scope.push_resource(kind, decl);
    }
}

/// E0106: two names of one kind that give the same logical ID (`resize_image`, `resizeImage`).
fn check_stems(scope: &Scope, diags: &mut Vec<Diagnostic>) {
    let mut groups: Vec<(&str, Vec<&Ident>)> = Vec::new();
    groups.push((
        "function",
        scope.functions.iter().map(|(_, f)| &f.name).collect(),
    ));
    for kind in ALL_KINDS.iter().filter(|k| **k != Kind::Function) {
        let names = scope
            .resources
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, d)| d.name())
            .collect();
        groups.push((kind.as_str(), names));
    }
    groups.push(("param", scope.params.iter().map(|p| &p.name).collect()));
    groups.push((
        "alarm",
        scope
            .alarms
            .iter()
            .filter_map(|a| match a {
                AlarmDecl::Named { name, .. } => Some(name),
                AlarmDecl::Expr(_) => None,
            })
            .collect(),
    ));
    groups.push(("output", scope.outputs.iter().map(|o| &o.name).collect()));
    for (ns, names) in groups {
        // Looked up, never walked in order (the language server builds the scope at
        // every edit: an ordered map of every declaration's stem cost a tenth of it).
        let mut stems: crate::plan::FastMap<String, &Ident> = crate::plan::FastMap::default();
        for id in names {
            let stem = pascal_case(&id.name);
            match stems.get(&stem) {
                Some(prev) if prev.name != id.name => diags.push(
                    Diagnostic::new(
                        Code::E0106,
                        id.span,
                        format!(
                            "{ns}s `{}` and `{}` map to the same logical ID `{stem}`",
                            prev.name, id.name
                        ),
                    )
                    .label(format!("`{}` becomes `{stem}`", id.name))
                    .secondary(prev.span, format!("`{}` also becomes `{stem}`", prev.name))
                    .help("rename one of them so that their words differ"),
                ),
                Some(_) => {}
                None => {
                    stems.insert(stem, id);
                }
            }
        }
    }
}

/// `extends` of functions and templates: unknown names (E0201), functions named as
/// templates (E0202), cycles among templates (E0204).
fn check_extends(scope: &Scope, diags: &mut Vec<Diagnostic>) {
    let unknown = extends_not_templates(scope, diags);
    report_unknown_templates(scope, unknown, diags);
    check_template_cycles(scope, diags);
}

/// Every function and template, in declaration order.
fn function_like<'s, 'a>(scope: &'s Scope<'a>) -> impl Iterator<Item = &'a FunctionDecl> + 's {
    scope
        .functions
        .iter()
        .map(|(_, f)| *f)
        .chain(scope.templates.values().copied())
}

/// The `extends` names that are neither a template nor possibly one; E0202 at those that
/// name a function, the others (unknown) are returned in declaration order.
fn extends_not_templates<'a>(scope: &Scope<'a>, diags: &mut Vec<Diagnostic>) -> Vec<&'a Ident> {
    let mut unknown: Vec<&Ident> = Vec::new();
    for decl in function_like(scope) {
        for ext in &decl.extends {
            if scope.templates.contains_key(&ext.name)
                || scope.unreadable.may_declare_template(&ext.name)
            {
                continue;
            }
            if let Some(f) = scope.function(&ext.name) {
                diags.push(
                    Diagnostic::new(
                        Code::E0202,
                        ext.span,
                        format!("`{}` is a function, not a template", ext.name),
                    )
                    .label("only templates can be extended")
                    .secondary(f.name.span, "declared as a function here")
                    .help(format!(
                        "turn `{}` into a `template` or move the shared attributes into one",
                        ext.name
                    )),
                );
                continue;
            }
            unknown.push(ext);
        }
    }
    unknown
}

/// E0201: one diagnostic per unknown name: at its first use (declaration order), or at the
/// template it meant when several uses agree and nothing extends that template.
fn report_unknown_templates(scope: &Scope, unknown: Vec<&Ident>, diags: &mut Vec<Diagnostic>) {
    if unknown.is_empty() {
        return;
    }
    let template_names: Vec<&str> = scope.templates.keys().map(String::as_str).collect();
    let mut order: Vec<&str> = Vec::new();
    let mut by_name: BTreeMap<&str, Vec<&Ident>> = BTreeMap::new();
    for ext in unknown {
        let uses = by_name.entry(&ext.name).or_default();
        if uses.is_empty() {
            order.push(&ext.name);
        }
        uses.push(ext);
    }
    let extended: BTreeSet<&str> = function_like(scope)
        .flat_map(|d| d.extends.iter().map(|e| e.name.as_str()))
        .collect();
    for name in order {
        let uses = by_name.remove(name).unwrap_or_default();
        let Some((first, others)) = uses.split_first() else {
            continue;
        };
        let renamed = did_you_mean(name, template_names.iter().copied())
            .filter(|near| uses.len() > 1 && !extended.contains(near))
            .and_then(|near| scope.templates.get(near));
        let d = match renamed {
            Some(t) => renamed_template(&t.name, name, &uses),
            None => {
                let mut d = unknown_template(first, &template_names);
                for other in others {
                    d = d.secondary(other.span, "also extended here");
                }
                d
            }
        };
        diags.push(d);
    }
}

/// E0204: cycles among templates, depth-first with an explicit stack (chains are as long
/// as the program makes them), each back edge reported once.
fn check_template_cycles(scope: &Scope, diags: &mut Vec<Diagnostic>) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Active,
        Done,
    }
    let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
    for (root, root_decl) in &scope.templates {
        if marks.contains_key(root.as_str()) {
            continue;
        }
        marks.insert(root, Mark::Active);
        // The templates being visited, each with the `extends` still to follow; `path`
        // holds the edge that led to each of them but the first.
        let mut frames = vec![(root.as_str(), root_decl.extends.iter())];
        let mut path: Vec<(&str, &Ident)> = Vec::new();
        while let Some((name, pending)) = frames.last_mut() {
            let name: &str = name;
            let Some(ext) = pending.next() else {
                marks.insert(name, Mark::Done);
                frames.pop();
                path.pop();
                continue;
            };
            let next = ext.name.as_str();
            match marks.get(next) {
                Some(Mark::Done) => {}
                Some(Mark::Active) => diags.push(template_cycle(&path, name, ext)),
                None => {
                    if let Some(t) = scope.templates.get(next) {
                        marks.insert(next, Mark::Active);
                        path.push((name, ext));
                        frames.push((next, t.extends.iter()));
                    }
                }
            }
        }
    }
}

/// E0204 at `ext`, the edge from `name` that closes a cycle with part of `path`.
fn template_cycle(path: &[(&str, &Ident)], name: &str, ext: &Ident) -> Diagnostic {
    let next = ext.name.as_str();
    // The cycle is the part of the path from `next` on, plus this edge.
    let start = path
        .iter()
        .position(|(from, _)| *from == next)
        .unwrap_or(path.len());
    let mut names: Vec<&str> = path[start..].iter().map(|(from, _)| *from).collect();
    names.push(name);
    names.push(next);
    let mut d = Diagnostic::new(
        Code::E0204,
        ext.span,
        format!(
            "templates extend each other in a cycle: {}",
            names.join(" → ")
        ),
    )
    .label(format!("`{name}` extends `{next}`, closing the cycle"));
    for (from, edge) in &path[start..] {
        d = d.secondary(edge.span, format!("`{from}` extends `{}` here", edge.name));
    }
    d.help("remove one of these `extends` so that the templates form a tree")
}

/// E0201 at template `declared`, which nothing extends, while `uses` extend `wanted`.
fn renamed_template(declared: &Ident, wanted: &str, uses: &[&Ident]) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::E0201,
        declared.span,
        format!(
            "template `{}` is never extended, but `{wanted}` is extended {} times",
            declared.name,
            uses.len()
        ),
    )
    .label(format!("declared as `{}`", declared.name));
    for u in uses {
        d = d.secondary(u.span, format!("`{wanted}` extended here"));
    }
    d.help(format!("rename it to `{wanted}`")).fix(
        format!("rename to `{wanted}`"),
        declared.span,
        wanted,
    )
}

/// E0201 for `extends NAME` where no template is `NAME`: did you mean another, or does a
/// standard module declare it?
fn unknown_template(ext: &Ident, templates: &[&str]) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0201,
        ext.span,
        format!("unknown template `{}`", ext.name),
    )
    .label("no template with this name");
    if let Some(near) = did_you_mean(&ext.name, templates.iter().copied()) {
        return d.help(format!("did you mean `{near}`?")).fix(
            format!("replace with `{near}`"),
            ext.span,
            near,
        );
    }
    match crate::stdlib::declaring_template(&ext.name) {
        Some(module) => d.help(format!(
            "`{}` is in the standard library: add `use std.{module}`",
            ext.name
        )),
        None => d.help(
            "declare the template, or `use` the module that declares it (e.g. `use std.alarms`)",
        ),
    }
}

fn body_members(files: &[Loaded]) -> impl Iterator<Item = &Member> {
    files
        .iter()
        .flat_map(|l| l.ast.items.iter())
        .flat_map(|item| {
            let body: Option<&Body> = match item {
                Item::Function(f) | Item::Template(f) => Some(&f.body),
                _ => None,
            };
            body.into_iter().flat_map(|b| b.members.iter())
        })
}

fn any_http_without_via(files: &[Loaded]) -> bool {
    body_members(files)
        .any(|m| matches!(m, Member::Trigger(t) if t.kind.name == "http" && t.via.is_none()))
}

fn has_url(body: &Body) -> bool {
    body.members
        .iter()
        .any(|m| matches!(m, Member::Entry(e) if e.key.name == "url" && matches!(e.value, EntryValue::Block(_) | EntryValue::Expr(_))))
}

fn functions_with_url(scope: &Scope) -> BTreeSet<String> {
    scope
        .functions
        .iter()
        .filter(|(file, f)| {
            has_url(&f.body)
                || scope
                    .template_chain(f)
                    .iter()
                    .any(|(_, t)| has_url(&t.body))
                || scope.defaults.get(file).is_some_and(|d| has_url(&d.body))
        })
        .map(|(_, f)| f.name.name.clone())
        .collect()
}
