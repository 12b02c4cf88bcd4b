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
use crate::schema::ARCHITECTURE;

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
        let written = w.scope.parts(n).map(|p| super::intrinsics::render(&p));
        let written = written.unwrap_or_else(|_| shown(n));
        w.skip(format!("LayerName: {written} (lamc names the layer)"));
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
            runtimes::lookup(r).map(|info| info.id)
        });
    }
    w.took("CompatibleArchitectures");
    if let Some(list) = props.get("CompatibleArchitectures") {
        words(w, "CompatibleArchitectures", "architectures", list, |a| {
            ARCHITECTURE.word_for(a)
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

/// `ours = [a, b]` from a list of AWS's spellings, each as `word` names it in lamc; one it
/// does not know stays a comment.
fn words(
    w: &mut Writer,
    key: &str,
    ours: &str,
    list: &Value,
    word: impl Fn(&str) -> Option<&'static str>,
) {
    let mut out = Vec::new();
    for item in list.as_array().into_iter().flatten() {
        match item.as_str().and_then(&word) {
            Some(found) => out.push(found.to_string()),
            None => w.skip(format!("{key}: {} (not a value lamc knows)", shown(item))),
        }
    }
    if !out.is_empty() {
        w.line(format!("{ours} = [{}]", out.join(", ")));
    }
}

/// serverless.yml's `layers` section: each `NAME: { path, … }` becomes `layer NAME { … }`,
/// declared under the logical ID the Framework gives it (`NameLambdaLayer`, which functions
/// `Ref`). A layer without a `path` stays a comment.
pub fn serverless(
    section: &Map<String, Value>,
    scope: &mut super::intrinsics::Scope,
    notes: &mut super::write::Notes,
    out: &mut Vec<super::write::Member>,
) {
    const KEYS: [(&str, &str); 6] = [
        ("path", "ContentUri"),
        ("name", "LayerName"),
        ("description", "Description"),
        ("compatibleRuntimes", "CompatibleRuntimes"),
        ("compatibleArchitectures", "CompatibleArchitectures"),
        ("licenseInfo", "LicenseInfo"),
    ];
    for (name, spec) in section {
        let Some(m) = spec
            .as_object()
            .filter(|m| m.get("path").is_some_and(Value::is_string))
        else {
            notes.skip(out, format!("layers.{name} (a layer without a path)"));
            continue;
        };
        let mut props = Map::new();
        for (ours, cfn) in KEYS {
            if let Some(v) = m.get(ours) {
                props.insert(cfn.into(), v.clone());
            }
        }
        for k in m.keys().filter(|k| !KEYS.iter().any(|(o, _)| o == k)) {
            props.insert(k.clone(), m[k].clone());
        }
        let target = scope.declare(
            &logical_id(name),
            crate::model::Kind::Layer,
            &write::snake(name),
        );
        out.push(super::write::Member::Blank);
        out.push(super::resources::declare(
            "AWS::Serverless::LayerVersion",
            &target,
            &props,
            scope,
            notes,
            false,
        ));
    }
}

/// The Framework's logical ID of the layer `name`: `-` as `Dash`, `_` as `Underscore`,
/// the first letter capital, then `LambdaLayer` (`getLambdaLayerLogicalId`, which spells
/// the name as `getNormalizedFunctionName` does, in the Framework's
/// `lib/plugins/aws/lib/naming.js`).
fn logical_id(name: &str) -> String {
    let spelled = name.replace('-', "Dash").replace('_', "Underscore");
    let mut chars = spelled.chars();
    let first = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>())
        .unwrap_or_default();
    format!("{first}{}LambdaLayer", chars.as_str())
}

#[cfg(test)]
mod tests {
    #[test]
    fn layer_logical_ids_spell_the_name_as_the_framework_does() {
        assert_eq!(super::logical_id("deps"), "DepsLambdaLayer");
        assert_eq!(
            super::logical_id("my-deps_v2"),
            "MyDashdepsUnderscorev2LambdaLayer"
        );
    }
}
