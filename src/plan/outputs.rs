//! Parameters and outputs of the template.

use super::ctx::Ctx;
use super::ids::Ids;
use super::{Parameter, StackOutput, ARTIFACTS_BUCKET};
use crate::model::ParamType;

pub fn parameters(cx: &mut Ctx) {
    let model = cx.model;
    for p in &model.params {
        let Some(id) = cx.params.get(&p.name.value).cloned() else {
            continue;
        };
        cx.stack.parameters.push((
            id,
            Parameter {
                ty: p.ty,
                default: p.default.as_ref().map(|d| d.value.clone()),
                allowed: p.allowed.iter().map(|a| a.value.clone()).collect(),
                description: p.description.clone(),
                no_echo: p.secret.as_ref().is_some_and(|s| s.value),
            },
        ));
    }
}

/// `ArtifactsBucket`, when any function's or layer's code is a local folder (a layer
/// from a folder needs it even when every function's code is inline).
pub fn artifacts_parameter(cx: &mut Ctx) {
    if !super::code_requests(cx.model).is_empty() {
        cx.stack.parameters.push((
            ARTIFACTS_BUCKET.to_string(),
            Parameter {
                ty: ParamType::String,
                default: None,
                allowed: Vec::new(),
                description: Some(
                    "S3 bucket holding the zipped function code (lamc build --artifacts-dir)"
                        .to_string(),
                ),
                no_echo: false,
            },
        ));
    }
}

pub fn outputs(cx: &mut Ctx) {
    // Outputs have their own namespace of logical IDs.
    let mut ids = Ids::default();
    let model = cx.model;
    for o in &model.outputs {
        let id = ids.alloc(&[&o.name.value]);
        let value = cx.string_value(&o.value.value);
        cx.stack.outputs.push((
            id,
            StackOutput {
                value,
                description: o.description.clone(),
            },
        ));
    }
}
