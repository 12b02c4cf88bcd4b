//! Declared layers and the functions that list them: a layer that names its runtimes or
//! architectures is usable only by functions with one of them (RT-05: Lambda keeps the
//! lists to filter layers; lamc holds functions to them so that a layer built for another
//! runtime or instruction set is not loaded by one it cannot run in).

use crate::diag::{Code, Diagnostic};
use crate::model::{Architecture, Function, Kind, LayerSpec, Model, Origin, Spec, Value, S};
use crate::source::Span;

use super::RuleContext;

pub(crate) fn check(model: &Model, _ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in &model.functions {
        for (name, at) in declared_layers(f) {
            let Some(layer) = spec(model, name) else {
                continue;
            };
            runtime_matches(f, name, at, layer, out);
            architecture_matches(f, name, at, layer, out);
        }
    }
}

/// The declared layers a function lists (`layer.NAME`), with where each is listed.
pub(crate) fn declared_layers(f: &Function) -> impl Iterator<Item = (&str, Span)> {
    f.layers.iter().filter_map(|l| match l.value.value() {
        Value::Attr { target, .. } if target.kind == Kind::Layer => {
            Some((target.name.as_str(), l.span))
        }
        _ => None,
    })
}

/// The layer this stack creates under `name`.
pub(crate) fn spec<'m>(model: &'m Model, name: &str) -> Option<&'m LayerSpec> {
    model.resources.iter().find_map(|r| match &r.origin {
        Origin::Created(Spec::Layer(l)) if r.kind == Kind::Layer && r.name == name => Some(&**l),
        _ => None,
    })
}

/// The span of a list's items, from the first to the last.
fn list_span<T>(items: &[S<T>]) -> Option<Span> {
    Some(items.first()?.span.to(items.last()?.span))
}

/// E0475: the function's runtime is not one the layer names.
fn runtime_matches(
    f: &Function,
    name: &str,
    at: Span,
    layer: &LayerSpec,
    out: &mut Vec<Diagnostic>,
) {
    let (Some(runtime), Some(listed)) = (&f.runtime, list_span(&layer.runtimes)) else {
        return;
    };
    // An unknown runtime on either side is reported as such (E0302), not as a mismatch.
    let known = |r: &str| super::runtimes::lookup(r).is_some();
    if layer
        .runtimes
        .iter()
        .any(|r| r.value == runtime.value || !known(&r.value))
        || !known(&runtime.value)
    {
        return;
    }
    let names: Vec<&str> = layer.runtimes.iter().map(|r| r.value.as_str()).collect();
    out.push(
        Diagnostic::new(
            Code::E0475,
            at,
            format!("layer `{name}` is not built for {}", runtime.value),
        )
        .label(format!("`{}` runs {}", f.name.value, runtime.value))
        .secondary(listed, format!("the layer lists {}", names.join(", ")))
        .secondary(runtime.span, "the function's runtime")
        .help(format!(
            "add {} to the layer's `runtimes` if its content works there, or use a layer built for it",
            runtime.value
        )),
    );
}

/// E0476: the function's instruction set (x86_64 unless `architecture` says otherwise)
/// is not one the layer names.
fn architecture_matches(
    f: &Function,
    name: &str,
    at: Span,
    layer: &LayerSpec,
    out: &mut Vec<Diagnostic>,
) {
    let Some(listed) = list_span(&layer.architectures) else {
        return;
    };
    let arch = f
        .architecture
        .as_ref()
        .map_or(Architecture::X86_64, |a| a.value);
    if layer.architectures.iter().any(|a| a.value == arch) {
        return;
    }
    let word = arch_word(arch);
    let other = arch_word(layer.architectures[0].value);
    let mut d = Diagnostic::new(
        Code::E0476,
        at,
        format!("layer `{name}` is not built for {word}"),
    )
    .label(format!("`{}` runs on {word}", f.name.value))
    .secondary(listed, format!("the layer is built for {other}"));
    d = match &f.architecture {
        Some(a) => d.secondary(a.span, "the function's architecture"),
        None => d,
    };
    out.push(d.help(format!(
        "write `architecture = {other}` in the function, or add {word} to the layer's `architectures` if its content runs there"
    )));
}

fn arch_word(a: Architecture) -> &'static str {
    crate::schema::ARCHITECTURE.word_of(crate::schema::ARCHITECTURES, &a)
}
