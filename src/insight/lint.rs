//! cfn-lint's findings on the emitted templates, as lamc diagnostics at the `.lam` span that
//! produced the resource: the property's own attribute when the model keeps a span for it
//! (`memory` for `MemorySize`), else the declaration's name. Running cfn-lint is the
//! command line's job (`lamc check --lint`); this module reads its JSON report.

use serde::Deserialize;

use crate::diag::{Code, Diagnostic};
use crate::model::{Function, Kind, Model, Origin, Resource, Spec};
use crate::plan::SourceOrigins;
use crate::source::Span;

/// One entry of `cfn-lint --format json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Finding {
    /// The template file, as cfn-lint was given it.
    #[serde(default)]
    pub filename: String,
    pub level: String,
    pub message: String,
    pub location: Location,
    pub rule: Rule,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Location {
    /// `["Resources", "ResizeFunction", "Properties", "MemorySize"]`; numbers for indexes.
    #[serde(default)]
    pub path: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Rule {
    pub id: String,
    #[serde(default)]
    pub short_description: String,
    #[serde(default)]
    pub source: String,
}

/// cfn-lint's report on one template, or why it cannot be read.
pub fn parse(report: &str) -> Result<Vec<Finding>, String> {
    let report = report.trim();
    if report.is_empty() {
        return Ok(Vec::new());
    }
    serde_json::from_str(report).map_err(|e| format!("cfn-lint's JSON report is not readable: {e}"))
}

/// What the findings are mapped with.
pub struct Context<'a> {
    pub model: &'a Model,
    pub origins: &'a SourceOrigins,
    /// Where a finding that no declaration produced is reported (the top of the file).
    pub fallback: Span,
}

/// One linted template: what to call it, and its text (for the resources' types).
pub struct Template {
    /// `the template`, or `nested stack NestedStack2`.
    pub name: String,
    pub types: std::collections::BTreeMap<String, String>,
}

impl Template {
    pub fn new(name: String, text: &str) -> Self {
        let doc: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        let types = doc["Resources"]
            .as_object()
            .map(|r| {
                r.iter()
                    .map(|(id, res)| {
                        (
                            id.clone(),
                            res["Type"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Template { name, types }
    }
}

/// The finding as a diagnostic.
pub fn diagnostic(f: &Finding, cx: &Context, template: &Template) -> Diagnostic {
    let path: Vec<String> = f.location.path.iter().map(segment).collect();
    let code = match f.level.as_str() {
        "Error" => Code::E0461,
        _ => Code::W0539,
    };
    let level = f.level.to_lowercase();
    let mut d = Diagnostic::new(
        code,
        place(&path, cx, template),
        format!("cfn-lint {} ({level}): {}", f.rule.id, f.message),
    )
    .label(format!("`{}` in {}", path.join("."), template.name));
    let mut help = format!(
        "cfn-lint rule {} checks: {}",
        f.rule.id, f.rule.short_description
    );
    if !f.rule.source.is_empty() {
        help.push_str(&format!(" ({})", f.rule.source));
    }
    help.push_str("; change the attribute shown, or leave the rule out with cfn-lint's own configuration if it does not apply");
    d = d.help(help);
    d
}

fn segment(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The span behind a template path: its declaration, narrowed to the attribute behind the
/// property when the model keeps one.
fn place(path: &[String], cx: &Context, template: &Template) -> Span {
    let (Some("Resources"), Some(id)) = (path.first().map(String::as_str), path.get(1)) else {
        return cx.fallback;
    };
    let Some(decl) = cx.origins.decl(id) else {
        return cx.fallback;
    };
    let property = match path.get(2).map(String::as_str) {
        Some("Properties") => path.get(3).map(String::as_str),
        _ => None,
    };
    if decl.kind == Kind::Function {
        return match cx.model.function(&decl.name) {
            Some(f) => property
                .filter(|_| {
                    template.types.get(id.as_str()).map(String::as_str) == Some(LAMBDA_FUNCTION)
                })
                .and_then(|p| function_property(f, p))
                .unwrap_or(f.name.span),
            None => cx.fallback,
        };
    }
    match cx.model.resource(&decl) {
        Some(r) => property
            .and_then(|p| resource_property(r, p))
            .unwrap_or(r.name_span),
        None => cx.fallback,
    }
}

/// The function itself, not one of its other resources (its role, log group,
/// permissions, …), whose properties may be named alike.
const LAMBDA_FUNCTION: &str = "AWS::Lambda::Function";

/// The attribute behind a property of `AWS::Lambda::Function`: the schema's attributes
/// that name their CloudFormation path, then those lowered by hand.
fn function_property(f: &Function, property: &str) -> Option<Span> {
    let from_schema = crate::schema::FUNCTION
        .attrs
        .iter()
        .find(|a| a.cfn.and_then(|path| path.first()) == Some(&property))
        .and_then(|a| f.setting(a.key).map(|s| s.span));
    from_schema.or_else(|| match property {
        "Runtime" => f.runtime.as_ref().map(|x| x.span),
        "Handler" => f.handler.as_ref().map(|x| x.span),
        "Code" | "PackageType" | "ImageConfig" => f.code.as_ref().map(|x| x.span),
        "MemorySize" => f.memory.as_ref().map(|x| x.span),
        "Timeout" => f.timeout.as_ref().map(|x| x.span),
        "Architectures" => f.architecture.as_ref().map(|x| x.span),
        "FunctionName" => f.function_name.as_ref().map(|x| x.span),
        "Layers" => f.layers.first().map(|x| x.span),
        "VpcConfig" => f.vpc.as_ref().map(|v| v.span),
        "FileSystemConfigs" => f.files.first().map(|m| m.path.span),
        "DurableConfig" => f.durable.as_ref().map(|d| d.span),
        "Environment" => f.env_key_spans.values().next().copied(),
        "ReservedConcurrentExecutions" => f
            .concurrency
            .as_ref()
            .and_then(|c| c.reserved.as_ref().map(|r| r.span)),
        _ => None,
    })
}

/// The attribute behind a property of a declared resource (queues; others point at their
/// declaration).
fn resource_property(r: &Resource, property: &str) -> Option<Span> {
    let Origin::Created(Spec::Queue(q)) = &r.origin else {
        return None;
    };
    match property {
        "VisibilityTimeout" => q.visibility.as_ref().map(|x| x.span),
        "MessageRetentionPeriod" => q.retention.as_ref().map(|x| x.span),
        "DelaySeconds" => q.delay.as_ref().map(|x| x.span),
        "RedrivePolicy" => q.dead_letter.as_ref().map(|x| x.span),
        "FifoQueue" => q.fifo.as_ref().map(|x| x.span),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_read_and_an_empty_one_is_no_findings() {
        assert!(parse("").is_ok_and(|f| f.is_empty()));
        assert!(parse("[]").is_ok_and(|f| f.is_empty()));
        assert!(parse("not json").is_err());
        let one = r#"[{"Level": "Warning", "Message": "m", "Location": {"Path": ["Resources", "X", 0]},
                       "Rule": {"Id": "W1", "ShortDescription": "s", "Source": ""}}]"#;
        let findings = parse(one).unwrap_or_default();
        assert_eq!(findings.len(), 1);
        let path: Vec<String> = findings[0].location.path.iter().map(segment).collect();
        assert_eq!(path, ["Resources", "X", "0"]);
    }
}
