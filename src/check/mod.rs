//! Name resolution, types and units, and AWS limits: AST → [`Model`] + diagnostics.
//!
//! The passes, in order: `load` (files and `use`), `scope` (declarations, namespaces,
//! `extends` and `let` cycles), then lowering — resources, parameters, every function,
//! template and `defaults` body once (`function`, `triggers`, `alarms`), functions merged
//! with what they inherit, stack alarms, outputs — then the unused-resource warning and the
//! limit rules (`rules`: those about one function, then those across declarations). Every
//! pass keeps going after an error so that one run reports every problem; broken pieces
//! are left out of the model. The language server takes the functions an edit did not
//! touch from its previous check (`reuse`).

mod alarms;
mod api;
mod attrs;
mod capacity;
mod cx;
mod function;
mod inherit;
mod kafka;
mod lets;
mod load;
mod network;
mod params;
pub mod paths;
mod patterns;
mod refs;
mod remap;
mod required;
mod resources;
mod reuse;
pub use reuse::CheckCache;
pub mod rules;
mod scope;
pub use scope::ALL_KINDS;
mod triggers;
mod unreadable;
mod unresolved;
mod unused;
mod values;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Code, Diagnostic};
use crate::driver::CheckOptions;
use crate::files::ProjectRoot;
use crate::model::{ApiSpec, Kind, Model, Origin, Param, Resource, Spec, S};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::FunctionDecl;

use cx::Cx;
use function::BodyKind;
use reuse::{Outcome, Reuse};

/// Check the program rooted at `root`, loading the files and stdlib modules it `use`s into
/// `sources`. Returns the model when one could be built (even with errors, as far as it
/// goes) and every diagnostic.
pub fn check(
    sources: &mut SourceMap,
    root: FileId,
    opts: &CheckOptions,
) -> (Option<Model>, Vec<Diagnostic>) {
    let entry = sources.get(root).path.clone();
    let project = ProjectRoot::for_entry(entry.as_deref(), opts.root.as_deref());
    let (model, diags, _) = check_with_syntax(sources, root, &project, opts, None);
    (model, diags)
}

/// [`check`], also handing back the syntax tree of every file it loaded (root first), so
/// that an editor can answer hover, completion and navigation without parsing again. An
/// editor passes a `cache` kept between versions of a document: declarations that did not
/// change are not parsed again, and functions that did not change (nor what they read) are
/// not lowered and checked again ([`CheckCache`]). Files and `code` folders must be inside
/// `project`.
pub fn check_with_syntax(
    sources: &mut SourceMap,
    root: FileId,
    project: &ProjectRoot,
    opts: &CheckOptions,
    mut cache: Option<&mut CheckCache>,
) -> (
    Option<Model>,
    Vec<Diagnostic>,
    Vec<(FileId, crate::syntax::ast::File)>,
) {
    let mut diags = Vec::new();
    let parse = cache.as_deref_mut().map(|c| &mut c.parse);
    let files = load::load_all(sources, root, project, &mut diags, parse);
    diags.extend(empty_program(&files, &diags));
    let sources: &SourceMap = sources;
    let trees: Vec<_> = files.iter().map(|l| (l.file, &l.ast)).collect();
    diags.extend(rules::control::check(&trees, sources));
    let scope = scope::build(&files, &mut diags);
    let mut reuse = Reuse::from(cache, &files, &scope, sources, opts, &diags);
    let mut cx = Cx::new(sources, &scope);
    let (mut model, unused_params) = lower(&mut cx, &mut reuse);
    cx.report_unresolved();
    diags.append(&mut cx.diags);
    drop_repeats(&mut diags);
    // What is used is known only when the whole program could be read and resolved.
    if !diags.iter().any(Diagnostic::is_error) {
        diags.extend(unused::resources(&model, &cx.used));
        diags.extend(unused::params(&unused_params));
    }
    paths::resolve_code(&mut model, sources, project, &mut diags);
    let mut let_values: Vec<(crate::source::Span, String)> = scope
        .lets
        .decls()
        .map(|(name, l)| (l.value.span, name.to_string()))
        .collect();
    let_values.sort();
    let ctx = rules::RuleContext {
        today: opts.today,
        sources,
        let_values: &let_values,
        account_concurrency: opts.account_concurrency,
    };
    let limits = run_rules(&mut model, &ctx, &mut reuse);
    reuse.finish();
    diags.extend(not_about_broken_resources(limits, &scope, &diags));
    rules::control::drop_cascades(&mut diags);
    let comments: Vec<_> = files
        .iter()
        .map(|l| (l.file, &l.ast.comments[..]))
        .collect();
    crate::diag::ignore::apply(sources, &comments, &mut diags);
    let syntax = files.into_iter().map(|l| (l.file, l.ast)).collect();
    (Some(model), diags, syntax)
}

/// The limit rules: those about one function each (taken from the previous check where
/// `reuse` has them), then those across declarations, on the whole model.
fn run_rules(model: &mut Model, ctx: &rules::RuleContext, reuse: &mut Reuse) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Each function is checked where it lies, as a slice of one (a function is about
    // 2 KB: moving every one into a model of its own and back cost more than some of the
    // rules), on every core; the results are taken in declaration order.
    let fresh: Vec<&crate::model::Function> = model
        .functions
        .iter()
        .enumerate()
        .filter(|(i, _)| reuse.rules(*i).is_none())
        .map(|(_, f)| f)
        .collect();
    let found = crate::parallel::map_in_order(fresh, FUNCTIONS_PER_THREAD, |f| {
        let mut found = Vec::new();
        rules::run_function(std::slice::from_ref(f), ctx, &mut found);
        found
    });
    let mut found = found.into_iter();
    for i in 0..model.functions.len() {
        if let Some(known) = reuse.rules(i) {
            out.extend_from_slice(known);
            continue;
        }
        let mine = found.next().unwrap_or_default();
        reuse.keep_rules(i, &mine);
        out.extend(mine);
    }
    rules::run_program(model, ctx, &mut out);
    rules::dedup(&mut out);
    out
}

/// W0511 when the root file declares nothing and has no syntax error (a file of comments
/// only, or an empty one): its template would have no resources.
fn empty_program(files: &[load::Loaded], diags: &[Diagnostic]) -> Option<Diagnostic> {
    let root = files.first()?;
    let broken = diags
        .iter()
        .any(|d| d.is_error() && d.primary.span.file == root.file);
    if !root.ast.items.is_empty() || broken {
        return None;
    }
    let at = root
        .ast
        .comments
        .first()
        .map_or(Span::new(root.file, 0, 0), |c| {
            Span::new(root.file, c.start, c.start + 1)
        });
    let what = if root.ast.comments.is_empty() {
        "the file is empty"
    } else {
        "only comments here"
    };
    Some(
        Diagnostic::new(Code::W0511, at, "the program declares nothing")
            .label(what)
            .help("declare what the app needs, e.g. `queue jobs {}` or `function worker { … }`"),
    )
}

/// Below this many functions per thread, lowering stays on the calling thread (the
/// language server checks on every edit).
const FUNCTIONS_PER_THREAD: usize = 256;

/// What functions inherit: every template and `defaults` block, lowered once each (so
/// that their problems are reported once however many functions inherit them), with the
/// parameters each refers to (used only by the functions that inherit them: an unused
/// parameter is left out of the template).
struct Inherited<'s> {
    templates: BTreeMap<String, crate::model::Function>,
    template_params: BTreeMap<&'s str, BTreeSet<String>>,
    defaults: BTreeMap<FileId, crate::model::Function>,
    defaults_params: BTreeMap<FileId, BTreeSet<String>>,
}

/// The model, with only the parameters something refers to (so that the template
/// declares only those; cfn-lint W2001 otherwise), and the other parameters.
fn lower(cx: &mut Cx, reuse: &mut Reuse) -> (Model, Vec<Param>) {
    let scope = cx.scope;
    let mut model = Model {
        app: scope.app.map(|a| cx.lower_app(a)),
        params: scope.params.iter().map(|p| cx.lower_param(p)).collect(),
        ..Model::default()
    };
    model.resources = lower_resources(cx, reuse);
    if scope.implicit_api {
        model.resources.push(implicit_api(cx));
    }
    let inherited = lower_inherited(cx);
    model.functions = lower_functions(cx, &inherited, reuse);
    for a in &scope.alarms {
        model.alarms.extend(cx.lower_stack_alarm(a));
    }
    // Outputs all go into the root template: their values share one budget.
    cx.start_declaration();
    for o in &scope.outputs {
        model.outputs.extend(cx.lower_output(o));
    }
    let (used, unused) = std::mem::take(&mut model.params)
        .into_iter()
        .partition(|p| cx.used_params.contains(&p.name.value));
    model.params = used;
    (model, unused)
}

/// The resources of the declarations (in order): taken from the previous check where
/// `reuse` allows, else lowered (in a context of their own, kept for the next check).
fn lower_resources(cx: &mut Cx, reuse: &mut Reuse) -> Vec<Resource> {
    let scope = cx.scope;
    let spans = scope.resources.iter().map(|(_, decl)| decl.span());
    if let Some((resources, outcome)) = reuse.take_resources(spans) {
        outcome.restore(cx);
        reuse.keep_resources(outcome, resources.len());
        return resources;
    }
    let mut rcx = Cx::new(cx.sources, scope);
    let mut out = Vec::with_capacity(scope.resources.len());
    for (kind, decl) in &scope.resources {
        out.extend(rcx.lower_resource(*kind, *decl));
    }
    let outcome = Outcome::of(&rcx);
    outcome.restore(cx);
    if reuse.keeping() {
        reuse.keep_resources(outcome, out.len());
    }
    out
}

/// Every template and `defaults` block, lowered (see [`Inherited`]).
fn lower_inherited<'s>(cx: &mut Cx<'s>) -> Inherited<'s> {
    let scope = cx.scope;
    let mut out = Inherited {
        templates: BTreeMap::new(),
        template_params: BTreeMap::new(),
        defaults: BTreeMap::new(),
        defaults_params: BTreeMap::new(),
    };
    for (name, t) in &scope.templates {
        let (partial, params) = cx.params_used_by(|cx| {
            cx.lower_body(
                S::new(name.clone(), t.name.span),
                t.span,
                &t.body,
                BodyKind::Template,
            )
        });
        out.templates.insert(name.clone(), partial);
        out.template_params.insert(name.as_str(), params);
    }
    for (file, d) in &scope.defaults {
        let (partial, params) = cx.params_used_by(|cx| {
            cx.lower_body(
                S::new(String::new(), d.keyword),
                d.span,
                &d.body,
                BodyKind::Defaults,
            )
        });
        out.defaults.insert(*file, partial);
        out.defaults_params.insert(*file, params);
    }
    out
}

/// Every function, merged with what it inherits: taken from the previous check where
/// `reuse` allows, else lowered. Each function is lowered on its own (its diagnostics
/// and references in a context of its own), so large programs use every core; the
/// results are taken in declaration order, so the model and the diagnostics are those of
/// one thread.
fn lower_functions(
    cx: &mut Cx,
    inherited: &Inherited,
    reuse: &mut Reuse,
) -> Vec<crate::model::Function> {
    let scope = cx.scope;
    let sources = cx.sources;
    let mut previous = reuse.previous_functions();
    let taken: Vec<Option<(usize, Outcome)>> = scope
        .functions
        .iter()
        .map(|(_, f)| reuse.take(f.span, &mut previous))
        .collect();
    let missing: Vec<&(FileId, &FunctionDecl)> = scope
        .functions
        .iter()
        .zip(&taken)
        .filter(|(_, t)| t.is_none())
        .map(|(f, _)| f)
        .collect();
    let mut fresh = crate::parallel::map_in_order(missing, FUNCTIONS_PER_THREAD, |&(file, f)| {
        lower_function(Cx::new(sources, scope), inherited, file, f)
    })
    .into_iter();
    let in_place = all_in_place(previous.len(), &taken);
    let mut out = Vec::with_capacity(taken.len());
    for (j, ((_, f), taken)) in scope.functions.iter().zip(taken).enumerate() {
        let function = match taken {
            Some((i, outcome)) => {
                outcome.restore(cx);
                reuse.keep(f.span, outcome);
                if in_place {
                    continue;
                }
                let empty = crate::model::Function::new(S::new(String::new(), f.span), f.span);
                std::mem::replace(&mut previous[i], empty)
            }
            None => {
                let Some((function, fcx)) = fresh.next() else {
                    continue;
                };
                absorb(cx, reuse, f.span, fcx);
                function
            }
        };
        match previous.get_mut(j) {
            Some(slot) if in_place => *slot = function,
            _ => out.push(function),
        }
    }
    if in_place {
        return previous;
    }
    reuse.give_back(previous);
    out
}

/// Whether every function taken from the previous check is where it was (then the
/// previous list is the new one, edited in place).
fn all_in_place(previous: usize, taken: &[Option<(usize, Outcome)>]) -> bool {
    previous == taken.len()
        && taken
            .iter()
            .enumerate()
            .all(|(j, t)| t.as_ref().is_none_or(|(i, _)| *i == j))
}

/// What lowering the function declared at `span` found in `fcx`, added to `cx` (and kept
/// for the next check).
fn absorb(cx: &mut Cx, reuse: &mut Reuse, span: Span, mut fcx: Cx) {
    if reuse.keeping() {
        reuse.keep(span, Outcome::of(&fcx));
    }
    cx.diags.append(&mut fcx.diags);
    cx.used.extend(fcx.used);
    cx.used_params.extend(fcx.used_params);
    cx.unresolved.append(&mut fcx.unresolved);
}

/// The function `f` of `file`, lowered in `fcx` and merged with what it inherits.
fn lower_function<'s>(
    mut fcx: Cx<'s>,
    inherited: &Inherited,
    file: FileId,
    f: &'s FunctionDecl,
) -> (crate::model::Function, Cx<'s>) {
    let scope = fcx.scope;
    let mut own = fcx.lower_body(
        S::new(f.name.name.clone(), f.name.span),
        f.span,
        &f.body,
        BodyKind::Function,
    );
    if scope.inherits_unreadable(f, file) {
        // What it inherits may set any attribute: none is missing or defaulted.
        let anything = crate::schema::FUNCTION
            .keys()
            .chain([function::UNREAD_TRIGGER]);
        own.written.extend(anything.map(|a| a.to_string()));
    }
    let merged = fcx.merge_function(f, own, &inherited.templates, inherited.defaults.get(&file));
    let params = scope
        .template_chain(f)
        .into_iter()
        .filter_map(|(_, t)| inherited.template_params.get(t.name.name.as_str()))
        .chain(inherited.defaults_params.get(&file));
    for params in params {
        fcx.used_params.extend(params.iter().cloned());
    }
    (merged, fcx)
}

/// The limit rules' diagnostics, without those about a resource whose declaration has an
/// error: it was read only in part, and a conclusion from an attribute that could not be
/// read (a misspelt `visibility`, a table `stream` of an unknown kind) would be wrong.
fn not_about_broken_resources(
    limits: Vec<Diagnostic>,
    scope: &scope::Scope,
    found: &[Diagnostic],
) -> Vec<Diagnostic> {
    let mut decls: Vec<Span> = scope.resources.iter().map(|(_, r)| r.span()).collect();
    decls.sort_by_key(|d| (d.file, d.start));
    // The declaration around `s` (declarations do not overlap).
    let around = |s: Span| -> Option<Span> {
        let after = decls.partition_point(|d| (d.file, d.start) <= (s.file, s.start));
        let d = *decls.get(after.checked_sub(1)?)?;
        (d.file == s.file && s.end <= d.end).then_some(d)
    };
    let broken: BTreeSet<Span> = found
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| around(d.primary.span))
        .collect();
    limits
        .into_iter()
        .filter(|d| {
            !d.secondary
                .iter()
                .any(|l| around(l.span).is_some_and(|decl| broken.contains(&decl)))
        })
        .collect()
}

/// `api.default`, created for `on http` triggers without `via`. It spans the first such
/// trigger's `http` keyword, the place that asked for it.
fn implicit_api(cx: &Cx) -> Resource {
    let span = cx
        .scope
        .functions
        .iter()
        .flat_map(|(_, f)| f.body.members.iter())
        .chain(
            cx.scope
                .templates
                .values()
                .flat_map(|t| t.body.members.iter()),
        )
        .find_map(|m| match m {
            crate::syntax::ast::Member::Trigger(t) if t.kind.name == "http" && t.via.is_none() => {
                Some(t.kind.span)
            }
            _ => None,
        })
        .unwrap_or_default();
    Resource {
        kind: Kind::Api,
        name: "default".into(),
        name_span: span,
        span,
        origin: Origin::Created(Spec::Api(ApiSpec {
            implicit: true,
            ..ApiSpec::default()
        })),
        options: Default::default(),
    }
}

/// Keep one of each diagnostic reported more than once at the same place: a `let` or a
/// template is checked again wherever it is used, and says the same each time. The message
/// is compared whole, as identity, not read for meaning.
fn drop_repeats(diags: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert((d.code, d.primary.span, d.message.clone())));
}
