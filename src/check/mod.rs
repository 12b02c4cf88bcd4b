//! Name resolution, types and units, and AWS limits: AST → [`Model`] + diagnostics.
//!
//! The passes, in order: `load` (files and `use`), `scope` (declarations, namespaces,
//! `extends` and `let` cycles), then lowering — resources, parameters, every function,
//! template and `defaults` body once (`function`, `triggers`, `alarms`), functions merged
//! with what they inherit, stack alarms, outputs — then the unused-resource warning and the
//! limit rules (`rules`). Every pass keeps going after an error so that one run reports
//! every problem; broken pieces are left out of the model.

mod alarms;
mod attrs;
mod cx;
mod function;
mod lets;
mod load;
mod refs;
mod resources;
pub mod rules;
mod scope;
pub use scope::ALL_KINDS;
mod triggers;
mod values;

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic};
use crate::driver::CheckOptions;
use crate::model::{ApiSpec, Kind, Model, Origin, Resource, Spec, S};
use crate::source::{FileId, SourceMap};
use crate::syntax::ParseCache;

use cx::Cx;
use function::BodyKind;

/// Check the program rooted at `root`, loading the files and stdlib modules it `use`s into
/// `sources`. Returns the model when one could be built (even with errors, as far as it
/// goes) and every diagnostic.
pub fn check(
    sources: &mut SourceMap,
    root: FileId,
    opts: &CheckOptions,
) -> (Option<Model>, Vec<Diagnostic>) {
    let (model, diags, _) = check_with_syntax(sources, root, opts, None);
    (model, diags)
}

/// [`check`], also handing back the syntax tree of every file it loaded (root first), so
/// that an editor can answer hover, completion and navigation without parsing again. An
/// editor passes a `cache` kept between versions of a document: declarations that did not
/// change are not parsed again.
pub fn check_with_syntax(
    sources: &mut SourceMap,
    root: FileId,
    opts: &CheckOptions,
    cache: Option<&mut ParseCache>,
) -> (
    Option<Model>,
    Vec<Diagnostic>,
    Vec<(FileId, crate::syntax::ast::File)>,
) {
    let mut diags = Vec::new();
    let files = load::load_all(sources, root, &mut diags, cache);
    let sources: &SourceMap = sources;
    let scope = scope::build(&files, &mut diags);
    let mut cx = Cx::new(sources, &scope);
    let model = lower(&mut cx);
    diags.append(&mut cx.diags);
    drop_repeats(&mut diags);
    diags.extend(unused_resources(&model, &cx));
    diags.extend(rules::run(
        &model,
        &rules::RuleContext {
            today: opts.today,
            sources,
        },
    ));
    let syntax = files.into_iter().map(|l| (l.file, l.ast)).collect();
    (Some(model), diags, syntax)
}

/// Below this many functions per thread, lowering stays on the calling thread (the
/// language server checks on every edit).
const FUNCTIONS_PER_THREAD: usize = 256;

fn lower(cx: &mut Cx) -> Model {
    let scope = cx.scope;
    let mut model = Model {
        app: scope.app.map(|a| cx.lower_app(a)),
        params: scope.params.iter().map(|p| cx.lower_param(p)).collect(),
        ..Model::default()
    };
    for (kind, decl) in &scope.resources {
        model.resources.extend(cx.lower_resource(*kind, *decl));
    }
    if scope.implicit_api {
        model.resources.push(implicit_api(cx));
    }
    // Templates and defaults are lowered once each, so that their problems are reported
    // once however many functions inherit them.
    let mut templates = BTreeMap::new();
    for (name, t) in &scope.templates {
        let partial = cx.lower_body(
            S::new(name.clone(), t.name.span),
            t.span,
            &t.body,
            BodyKind::Template,
        );
        templates.insert(name.clone(), partial);
    }
    let mut defaults = BTreeMap::new();
    for (file, d) in &scope.defaults {
        let partial = cx.lower_body(
            S::new(String::new(), d.keyword),
            d.span,
            &d.body,
            BodyKind::Defaults,
        );
        defaults.insert(*file, partial);
    }
    // Each function is lowered on its own (its diagnostics and references in a context
    // of its own), so large programs use every core; the results are taken in declaration
    // order, so the model and the diagnostics are those of one thread.
    let sources = cx.sources;
    let lowered = crate::parallel::map_in_order(
        scope.functions.iter().collect(),
        FUNCTIONS_PER_THREAD,
        |(file, f)| {
            let mut fcx = Cx::new(sources, scope);
            let own = fcx.lower_body(
                S::new(f.name.name.clone(), f.name.span),
                f.span,
                &f.body,
                BodyKind::Function,
            );
            let merged = fcx.merge_function(f, own, &templates, defaults.get(file));
            (merged, fcx.diags, fcx.used)
        },
    );
    model.functions.reserve_exact(lowered.len());
    for (function, mut diags, used) in lowered {
        model.functions.push(function);
        cx.diags.append(&mut diags);
        cx.used.extend(used);
    }
    for a in &scope.alarms {
        model.alarms.extend(cx.lower_stack_alarm(a));
    }
    // Outputs all go into the root template: their values share one budget.
    cx.start_declaration();
    for o in &scope.outputs {
        model.outputs.extend(cx.lower_output(o));
    }
    model
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
    }
}

/// Keep one of each diagnostic reported more than once at the same place: a `let` or a
/// template is checked again wherever it is used, and says the same each time.
fn drop_repeats(diags: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert((d.code, d.primary.span, d.message.clone())));
}

/// W0506: a created resource that nothing refers to.
fn unused_resources(model: &Model, cx: &Cx) -> Vec<Diagnostic> {
    model
        .resources
        .iter()
        .filter(|r| match &r.origin {
            Origin::Created(Spec::Api(a)) => !a.implicit,
            Origin::Created(_) => true,
            Origin::Existing { .. } => false,
        })
        .filter(|r| !cx.used.contains(&r.res_ref()))
        .map(|r| {
            Diagnostic::new(
                Code::W0506,
                r.name_span,
                format!("{} `{}` is never used", r.kind.as_str(), r.name),
            )
            .label("declared here, referenced nowhere")
            .help("remove it or reference it (a trigger, `allow`, env, an output, an alarm…)")
        })
        .collect()
}
