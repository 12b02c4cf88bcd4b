//! The template's own Lambda layers (`AWS::Serverless::LayerVersion`,
//! `AWS::Lambda::LayerVersion`) as `layer NAME { code, runtimes, architectures,
//! description, license }`. A layer whose code lamc cannot say stays a resource comment
//! (a `layer` without `code` would not compile), so [`code`] decides whether it is
//! declared at all.

use serde_json::{Map, Value};

use super::convert::quoted;
use super::intrinsics::Scope;
use super::resources::{shown, Writer};
use super::write;
use crate::check::rules::runtimes;

/// Whether `ty` is a layer version resource.
pub fn is_layer(ty: &str) -> bool {
    matches!(
        ty,
        "AWS::Serverless::LayerVersion" | "AWS::Lambda::LayerVersion"
    )
}

/// The layer's `code` value: SAM's `ContentUri` (a folder, `s3://b/k`, `{Bucket, Key}`)
/// or CloudFormation's `Content` (`{S3Bucket, S3Key}`); `None` when lamc cannot say it.
pub fn code(props: &Map<String, Value>, scope: &Scope) -> Option<String> {
    let s3 = |b: Option<&Value>, k: Option<&Value>| {
        let (b, k) = (scope.expr(b?).ok()?, scope.expr(k?).ok()?);
        Some(format!("s3({}, {})", quoted(&b), quoted(&k)))
    };
    match props.get("ContentUri") {
        Some(Value::String(s)) => Some(
            match s.strip_prefix("s3://").and_then(|r| r.split_once('/')) {
                Some((b, k)) => format!("s3({}, {})", write::string(b), write::string(k)),
                None => {
                    let path = s.trim_end_matches('/');
                    write::string(if path.is_empty() { "." } else { path })
                }
            },
        ),
        Some(Value::Object(m)) => s3(m.get("Bucket"), m.get("Key")),
        Some(_) => None,
        None => {
            let c = props.get("Content")?;
            s3(c.get("S3Bucket"), c.get("S3Key"))
        }
    }
}

/// The settings of a layer block (its `code` known to be sayable, see [`code`]).
pub fn body(w: &mut Writer, props: &Map<String, Value>) {
    for k in ["ContentUri", "Content", "LayerName"] {
        w.took(k);
    }
    if let Some(n) = props.get("LayerName") {
        w.skip(format!("LayerName: {} (lamc names the layer)", shown(n)));
    }
    if let Some(c) = code(props, w.scope) {
        w.line(format!("code = {c}"));
    }
    for k in ["ContentUri", "Content"] {
        let version = props
            .get(k)
            .and_then(|c| c.get("Version").or(c.get("S3ObjectVersion")));
        if let Some(v) = version {
            w.skip(format!(
                "{k} version {} (lamc takes the object as it is)",
                shown(v)
            ));
        }
    }
    w.took("CompatibleRuntimes");
    if let Some(list) = props.get("CompatibleRuntimes") {
        words(w, "CompatibleRuntimes", "runtimes", list, |r| {
            runtimes::lookup(r).is_some()
        });
    }
    w.took("CompatibleArchitectures");
    if let Some(list) = props.get("CompatibleArchitectures") {
        words(w, "CompatibleArchitectures", "architectures", list, |a| {
            matches!(a, "x86_64" | "arm64")
        });
    }
    for (key, ours) in [("Description", "description"), ("LicenseInfo", "license")] {
        w.took(key);
        if let Some(v) = props.get(key) {
            match w.scope.expr(v) {
                Ok(e) => w.line(format!("{ours} = {e}")),
                Err(why) => w.skip(format!("{key} ({why})")),
            }
        }
    }
}

/// `ours = [a, b]` from a list of words lamc spells as AWS does; one it does not know
/// stays a comment.
fn words(w: &mut Writer, key: &str, ours: &str, list: &Value, known: impl Fn(&str) -> bool) {
    let mut out = Vec::new();
    for item in list.as_array().into_iter().flatten() {
        match item.as_str() {
            Some(s) if known(s) => out.push(s.to_string()),
            _ => w.skip(format!("{key}: {} (not a value lamc knows)", shown(item))),
        }
    }
    if !out.is_empty() {
        w.line(format!("{ours} = [{}]", out.join(", ")));
    }
}
