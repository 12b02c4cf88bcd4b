//! What is declared but never used: resources (W0506) and parameters (W0528). Reported
//! only for a program without errors: while part of it could not be read or resolved,
//! what it uses is not known.

use std::collections::BTreeSet;

use crate::diag::{Code, Diagnostic};
use crate::model::{Model, Origin, Param, ResRef, Spec};

/// W0506: a created resource that nothing refers to (`used`).
pub fn resources(model: &Model, used: &BTreeSet<ResRef>) -> Vec<Diagnostic> {
    model
        .resources
        .iter()
        .filter(|r| match &r.origin {
            Origin::Created(Spec::Api(a)) => !a.implicit,
            Origin::Created(_) => true,
            Origin::Existing { .. } => false,
        })
        .filter(|r| !used.contains(&r.res_ref()))
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

/// W0528: each parameter that nothing refers to (they are left out of the template).
pub fn params(unused: &[Param]) -> Vec<Diagnostic> {
    unused
        .iter()
        .map(|p| {
            Diagnostic::new(
                Code::W0528,
                p.name.span,
                format!("param `{}` is never used", p.name.value),
            )
            .label("declared here, referenced nowhere")
            .help(format!(
                "refer to it as `param.{0}` (or `${{param.{0}}}` in a string), or remove it; \
                 until then it is left out of the template",
                p.name.value
            ))
        })
        .collect()
}
