//! `layer NAME { … }` → `AWS::Lambda::LayerVersion`. Its code folder is zipped like a
//! function's, and the zip's S3 key holds the hash of its content; every property of a
//! layer version is create-only (CL-S), so a change of code (a new key) publishes a new
//! version and the functions that list the layer move to it (LAYER-01).

use super::ctx::Ctx;
use super::tree::{Node, Props};
use super::{Resource, ARTIFACTS_BUCKET};
use crate::artifacts::MAX_UNZIPPED_BYTES;
use crate::check::rules::layers::{self, declared_layers};
use crate::diag::{Code, Diagnostic};
use crate::files::read::thousands;
use crate::model::{CodeSource, Function, LayerSpec};

/// The name a layer's zip is requested and keyed by (`layer-deps-<hash>.zip`). A function
/// name has no `-`, so it never collides with a function's (`deps-<hash>.zip`).
pub fn artifact_name(layer: &str) -> String {
    format!("layer-{layer}")
}

pub fn lower(cx: &mut Ctx, id: &str, name: &str, spec: &LayerSpec) {
    let content = match spec.code.as_ref().map(|c| &c.value) {
        Some(CodeSource::S3 { bucket, key }) => Props::new()
            .set("S3Bucket", cx.text(bucket))
            .set("S3Key", cx.text(key))
            .node(),
        Some(CodeSource::Local { .. }) => match cx.code_key(&artifact_name(name)) {
            Some(key) => Props::new()
                .set("S3Bucket", Node::ref_(ARTIFACTS_BUCKET))
                .set("S3Key", Node::str(key))
                .node(),
            None => Props::new().node(),
        },
        // The checker allows nothing else; keep the template well-formed regardless.
        _ => Props::new().node(),
    };
    let runtimes = (!spec.runtimes.is_empty())
        .then(|| Node::list_of_str(spec.runtimes.iter().map(|r| r.value.clone())));
    let architectures = (!spec.architectures.is_empty()).then(|| {
        Node::list_of_str(
            spec.architectures
                .iter()
                .map(|a| crate::schema::architecture_cfn(a.value)),
        )
    });
    let props = Props::new()
        .set("Content", content)
        .opt("CompatibleRuntimes", runtimes)
        .opt("CompatibleArchitectures", architectures)
        .opt(
            "Description",
            spec.description.as_ref().map(|d| cx.text(&d.value)),
        )
        .opt(
            "LicenseInfo",
            spec.license.as_ref().map(|l| cx.text(&l.value)),
        );
    cx.add(id, Resource::new("AWS::Lambda::LayerVersion", props));
}

/// E0477 (QT-04, PKG-01): a function's zip and the zips of the declared layers it lists,
/// unzipped, must stay under Lambda's limit together. Only what lamc packs is measured:
/// a layer given by ARN, or code in S3, is not known here.
pub fn check_size(cx: &mut Ctx, f: &Function) {
    let Some(code) = f
        .code
        .as_ref()
        .filter(|c| matches!(c.value, CodeSource::Local { .. }))
    else {
        return;
    };
    let Some(packed) = cx.code else { return };
    let Some(own) = packed.unzipped(&f.name.value) else {
        return;
    };
    let mut total = own;
    let mut measured = Vec::new();
    for (name, at) in declared_layers(f) {
        let layer = layers::spec(cx.model, name).and_then(|l| l.code.as_ref());
        if let (Some(size), Some(layer)) = (packed.unzipped(&artifact_name(name)), layer) {
            total += size;
            measured.push((name, at, layer.span, size));
        }
    }
    if measured.is_empty() || total < MAX_UNZIPPED_BYTES {
        return;
    }
    let mut d = Diagnostic::new(
        Code::E0477,
        code.span,
        format!(
            "`{}` and its layers unzip to {} bytes, over Lambda's limit",
            f.name.value,
            thousands(total)
        ),
    )
    .label(format!("{} bytes in the function's code", thousands(own)));
    for (name, at, layer_code, size) in measured {
        d = d
            .secondary(at, format!("layer `{name}` listed here"))
            .secondary(
                layer_code,
                format!("{} bytes in layer `{name}`", thousands(size)),
            );
    }
    cx.diags.push(d.help(format!(
        "Lambda unpacks less than {} bytes (250 MB) for a function and its layers: leave out what the function does not run with a `.lamcignore`, or ship a container image: code = image(\"…\")",
        thousands(MAX_UNZIPPED_BYTES)
    )));
}
