//! Lambda Managed Instances (L-LMI): what a function's `capacity { … }` cannot be combined
//! with, its ranges, and a declared provider's ranges and network.

use crate::diag::{Code, Diagnostic};
use crate::model::{
    Architecture, Capacity, CapacitySpec, Function, Kind, Model, Origin, Setting, Spec, S,
};
use crate::schema::limits::{
    LMI_CONCURRENCY, LMI_ENVIRONMENTS, LMI_MAX_VCPUS, LMI_MEMORY_MB, LMI_MEMORY_PER_VCPU,
    LMI_RUNTIMES,
};
use crate::source::Span;

use super::util::check_bounds;
use super::RuleContext;

pub(crate) fn check(model: &Model, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in &model.functions {
        let Some(c) = &f.capacity else {
            continue;
        };
        memory(ctx, f, out);
        runtime(f, c, out);
        log_format(f, c, out);
        exclusions(f, c, out);
        architecture(model, f, c, out);
        ranges(ctx, c, out);
    }
    for r in &model.resources {
        if let (Kind::Capacity, Origin::Created(Spec::Capacity(p))) = (r.kind, &r.origin) {
            provider(ctx, p, out);
        }
    }
}

/// E0453 (LMI-02): at least 2 GB, one vCPU's worth; above it, the Managed Instances
/// maximum (E0401) instead of a standard function's.
fn memory(ctx: &RuleContext, f: &Function, out: &mut Vec<Diagnostic>) {
    let Some(m) = &f.memory else {
        return;
    };
    if m.value >= LMI_MEMORY_MB.lo {
        out.extend(check_bounds(ctx, Code::E0401, "memory", m, &LMI_MEMORY_MB));
        return;
    }
    out.push(
        Diagnostic::new(
            Code::E0453,
            m.span,
            "a function on Managed Instances has at least 2GB of memory",
        )
        .label("below 2GB")
        .help(
            "write memory = 2GB or more, or remove `memory` (2GB is the default with `capacity`)",
        ),
    );
}

/// E0325 (LMI-07): the runtimes Managed Instances runs.
fn runtime(f: &Function, c: &Capacity, out: &mut Vec<Diagnostic>) {
    let Some(rt) = &f.runtime else {
        return;
    };
    if LMI_RUNTIMES.contains(&rt.value.as_str()) {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::E0325,
            rt.span,
            format!("Lambda Managed Instances does not run `{}`", rt.value),
        )
        .label("this runtime has no Managed Instances support")
        .secondary(c.span, "Managed Instances asked for here")
        .help(format!(
            "use a runtime it runs ({}), or remove `capacity`",
            LMI_RUNTIMES.join(", ")
        )),
    );
}

/// E0454 (LMI-04): JSON logs only. Unwritten, lamc writes JSON.
fn log_format(f: &Function, c: &Capacity, out: &mut Vec<Diagnostic>) {
    let Some(format) = f.logging.as_ref().and_then(|l| l.word("format")) else {
        return;
    };
    if format.value.cfn != "Text" {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::E0454,
            format.span,
            "a function on Managed Instances logs in JSON",
        )
        .label("text logs are not available on Managed Instances")
        .secondary(c.span, "Managed Instances asked for here")
        .help("write format = json, or remove `format` (JSON is the default with `capacity`)"),
    );
}

/// E0455 (CC-11): provisioned concurrency and SnapStart are the on-demand answers to cold
/// starts; a function on Managed Instances takes neither. One error for each.
fn exclusions(f: &Function, c: &Capacity, out: &mut Vec<Diagnostic>) {
    let provisioned = f
        .concurrency
        .as_ref()
        .and_then(|k| k.provisioned.as_ref())
        .map(|p| (p.span, "provisioned concurrency", "provisioned"));
    let snap = f
        .flag("snap_start")
        .filter(|s| s.value)
        .map(|s| (s.span, "SnapStart", "snap_start"));
    for (span, what, key) in provisioned.into_iter().chain(snap) {
        out.push(
            Diagnostic::new(
                Code::E0455,
                span,
                format!("{what} with Lambda Managed Instances"),
            )
            .label(format!("{what} is for functions on Lambda's own fleet"))
            .secondary(c.span, "Managed Instances asked for here")
            .help(format!(
                "remove `{key}`: execution environments on the provider stay warm (`min_environments`), or remove `capacity`"
            )),
        );
    }
}

/// E0115 (LMI-06): a declared provider's instances have one architecture; the function
/// must be built for it.
fn architecture(model: &Model, f: &Function, c: &Capacity, out: &mut Vec<Diagnostic>) {
    let Some(declared) = &c.declared else {
        return;
    };
    let Some(spec) = declared_spec(model, &declared.value.name) else {
        return;
    };
    let theirs = spec.architecture.as_ref().map(|a| a.value);
    let ours = f.architecture.as_ref().map(|a| a.value);
    let word = |a: Option<Architecture>| {
        let a = a.unwrap_or(Architecture::X86_64);
        crate::schema::ARCHITECTURE.word_of(crate::schema::ARCHITECTURES, &a)
    };
    if word(theirs) == word(ours) {
        return;
    }
    let at = f.architecture.as_ref().map_or(declared.span, |a| a.span);
    let mut d = Diagnostic::new(
        Code::E0115,
        at,
        format!(
            "`{}` runs on {} instances, the function is built for {}",
            declared.value.name,
            word(theirs),
            word(ours)
        ),
    )
    .label(format!("the function is {}", word(ours)))
    .help(format!(
        "write architecture = {} in the function, or use a provider of {} instances",
        word(theirs),
        word(ours)
    ));
    if let Some(a) = &spec.architecture {
        d = d.secondary(a.span, "the provider's architecture");
    }
    out.push(d);
}

fn declared_spec<'m>(model: &'m Model, name: &str) -> Option<&'m CapacitySpec> {
    model.resources.iter().find_map(|r| match &r.origin {
        Origin::Created(Spec::Capacity(c)) if r.kind == Kind::Capacity && r.name == name => {
            Some(&**c)
        }
        _ => None,
    })
}

/// E0417 (LMI-01, LMI-03) for each number; E0326 when the fewest environments exceed the most.
fn ranges(ctx: &RuleContext, c: &Capacity, out: &mut Vec<Diagnostic>) {
    let number = |key: &str| match c.settings.get(key) {
        Some(S {
            value: Setting::Number(n),
            span,
        }) => Some(S::new(*n, *span)),
        _ => None,
    };
    let checks = [
        ("memory_per_vcpu", &LMI_MEMORY_PER_VCPU),
        ("concurrency", &LMI_CONCURRENCY),
        ("min_environments", &LMI_ENVIRONMENTS),
        ("max_environments", &LMI_ENVIRONMENTS),
    ];
    for (key, bounds) in checks {
        if let Some(v) = number(key) {
            out.extend(check_bounds(ctx, Code::E0417, key, &v, bounds));
        }
    }
    if let (Some(lo), Some(hi)) = (number("min_environments"), number("max_environments")) {
        if lo.value > hi.value {
            out.push(min_above_max(lo, hi.span));
        }
    }
}

fn min_above_max(lo: S<u64>, hi: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0326,
        lo.span,
        "`min_environments` is above `max_environments`",
    )
    .label(format!("{} kept running", lo.value))
    .secondary(hi, "the most Lambda may start")
    .help("lower `min_environments` or raise `max_environments`")
}

/// A declared provider: its vCPU maximum (E0417) and its subnets and groups (E0479, E0480).
fn provider(ctx: &RuleContext, p: &CapacitySpec, out: &mut Vec<Diagnostic>) {
    if let Some(n) = &p.max_vcpus {
        out.extend(check_bounds(
            ctx,
            Code::E0417,
            "max_vcpus",
            n,
            &LMI_MAX_VCPUS,
        ));
    }
    super::network::network_lists(ctx, &p.vpc, "a capacity provider", out);
}
