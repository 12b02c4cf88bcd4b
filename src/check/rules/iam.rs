//! `allow ACTIONS on TARGET`: actions that grant too much, nothing at all, or do not exist,
//! and targets that are not resources.
//!
//! - E0443: `"*"` (every action of every service), or a wildcard in the service prefix.
//! - W0521: every action of one service (`"s3:*"`).
//! - E0444: an action that cannot apply to the target's ARN, decided from the IAM Service
//!   Authorization Reference table (`crate::iam`, IAM-SAR-02) for the services it holds;
//!   for other prefixes, on a resource of a service in the table, by the prefix
//!   (IAM-SAR-01).
//! - E0497: not an action: no `service:` prefix, or a name the service does not have.
//! - W0564: an action that supports no resource-level permission: granted on `"*"`.
//! - E0206 / E0207: `on "text"` that is not an ARN, or `on "*"`.

use crate::diag::{Code, Diagnostic};
use crate::iam::{self, ArnText, Verdict};
use crate::model::{AllowRule, AllowTarget, Kind, Origin, ResRef, S};

use super::lookup::Lookup;
use super::RuleContext;

pub(crate) fn check(model: &Lookup, _ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in &model.functions {
        for rule in &f.allows {
            if let Some(d) = target_problem(rule) {
                out.push(d);
                continue;
            }
            let target = Target::of(model, rule);
            if target.arns.is_empty() {
                // A declaration that could not be read (reported where it is written).
                continue;
            }
            for action in &rule.actions {
                out.extend(action_problem(rule, &target, action));
            }
        }
    }
}

/// What an `allow` is on, as the rules need it: its ARN's service and the ARNs the
/// statement may name.
pub(crate) struct Target {
    /// `arn:PARTITION:SERVICE:…`'s service, when known.
    service: Option<String>,
    arns: Vec<ArnText>,
    /// An action for help texts; `None` where no one action is typical (any service).
    example: Option<&'static str>,
    /// The ARN of an existing resource of another service, as written.
    written: Option<String>,
}

impl Target {
    pub(crate) fn of(model: &Lookup, rule: &AllowRule) -> Target {
        match &rule.target.value {
            AllowTarget::Arn(arn) => Target::arn(ArnText::of(arn), None),
            AllowTarget::Ref(r) => match model.resource(r).map(|d| &d.origin) {
                Some(Origin::Existing { arn }) if r.kind.existing_only() => Target {
                    written: Some(arn.value.to_string()),
                    ..Target::arn(ArnText::of(&arn.value), example_action(r.kind))
                },
                _ => Target::kind(r),
            },
        }
    }

    fn arn(arn: ArnText, example: Option<&'static str>) -> Target {
        Target {
            service: service_of(&arn),
            arns: vec![arn],
            example,
            written: None,
        }
    }

    /// The ARNs lamc writes for a declaration of one of its own kinds
    /// (`plan::allow::statements`), in a sample account and region.
    fn kind(r: &ResRef) -> Target {
        let base = "arn:aws";
        let at = "us-east-1:123456789012";
        let n = &r.name;
        let arns: Vec<String> = match r.kind {
            Kind::Queue => vec![format!("{base}:sqs:{at}:{n}")],
            Kind::Topic => vec![format!("{base}:sns:{at}:{n}")],
            Kind::Bucket => vec![format!("{base}:s3:::{n}"), format!("{base}:s3:::{n}/*")],
            Kind::Table => vec![
                format!("{base}:dynamodb:{at}:table/{n}"),
                format!("{base}:dynamodb:{at}:table/{n}/stream/*"),
            ],
            Kind::Stream => vec![format!("{base}:kinesis:{at}:stream/{n}")],
            Kind::Api => vec![format!("{base}:execute-api:{at}:{n}/*")],
            Kind::Bus => vec![format!("{base}:events:{at}:event-bus/{n}")],
            Kind::Layer => vec![format!("{base}:lambda:{at}:layer:{n}:1")],
            Kind::Capacity => vec![format!("{base}:lambda:{at}:capacity-provider:{n}")],
            Kind::Function => vec![
                format!("{base}:lambda:{at}:function:{n}"),
                format!("{base}:lambda:{at}:function:{n}:*"),
            ],
            // Existing only: an unreadable ARN was reported (E0418); judge nothing.
            Kind::Secret | Kind::Parameter | Kind::Key | Kind::Resource | Kind::Cluster => {
                Vec::new()
            }
            // Never an `allow` target (E0202).
            Kind::Auth => Vec::new(),
        };
        let arns: Vec<ArnText> = arns.iter().map(|a| ArnText::literal(a)).collect();
        Target {
            service: arns.first().and_then(service_of),
            arns,
            example: example_action(r.kind),
            written: None,
        }
    }
}

impl Target {
    /// An action for help texts, or the shape of one.
    fn example(&self) -> &'static str {
        self.example.unwrap_or("service:Action")
    }
}

/// The service field of an ARN, when it is literal text.
fn service_of(arn: &ArnText) -> Option<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    for p in &arn.0 {
        match p {
            iam::Piece::Char(':') => fields.push(std::mem::take(&mut field)),
            iam::Piece::Char(c) => field.push(*c),
            iam::Piece::Unknown => return (fields.len() > 2).then(|| fields[2].clone()),
        }
        if fields.len() > 2 {
            return Some(fields[2].clone());
        }
    }
    None
}

/// An action a function typically needs on each kind, for help texts.
fn example_action(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Queue => "sqs:SendMessage",
        Kind::Topic => "sns:Publish",
        Kind::Bucket => "s3:GetObject",
        Kind::Table => "dynamodb:GetItem",
        Kind::Stream => "kinesis:PutRecord",
        Kind::Api | Kind::Auth => "execute-api:Invoke",
        Kind::Bus => "events:PutEvents",
        Kind::Function => "lambda:InvokeFunction",
        Kind::Layer => "lambda:GetLayerVersion",
        Kind::Capacity => "lambda:GetCapacityProvider",
        Kind::Secret => "secretsmanager:GetSecretValue",
        Kind::Parameter => "ssm:GetParameter",
        Kind::Key => "kms:Decrypt",
        Kind::Cluster => "kafka-cluster:Connect",
        Kind::Resource => return None,
    })
}

/// `on "*"` (E0207) or `on "text"` that is not an ARN (E0206).
fn target_problem(rule: &AllowRule) -> Option<Diagnostic> {
    let AllowTarget::Arn(arn) = &rule.target.value else {
        return None;
    };
    let span = rule.target.span;
    let (known, whole) = arn.known_prefix();
    if whole && known.trim() == "*" {
        return Some(
            Diagnostic::new(Code::E0207, span, "`allow` on every resource")
                .label("`\"*\"` is every resource of every service")
                .help("name the resource: `allow \"ssm:GetParameter\" on parameter.NAME` or on its ARN; an action that supports no resource is granted on \"*\" by itself"),
        );
    }
    let problem = super::arns::allow_arn_problem(&known, whole)?;
    Some(
        Diagnostic::new(Code::E0206, span, format!("`{arn}` is not an ARN"))
            .label(problem)
            .help("write the resource's ARN, e.g. \"arn:aws:ssm:${aws.region}:${aws.account_id}:parameter/app/*\", or a declaration such as `secret.NAME`"),
    )
}

fn action_problem(rule: &AllowRule, target: &Target, action: &S<String>) -> Option<Diagnostic> {
    let text = action.value.as_str();
    let Some((prefix, name)) = text.split_once(':') else {
        if text.contains('*') {
            return Some(every_action(action, target.example()));
        }
        return Some(not_an_action(rule, action, target.example()));
    };
    if prefix.contains('*') {
        return Some(every_action(action, target.example()));
    }
    match iam::judge(text, &target.arns) {
        Verdict::Unknown(near) => return Some(unknown_action(action, prefix, near)),
        Verdict::Elsewhere(formats) => return Some(elsewhere(rule, action, target, &formats)),
        Verdict::OnlyStar => return Some(only_star(rule, action)),
        Verdict::NotInTable => {
            if let Some(d) = prefix_problem(rule, target, action, prefix) {
                return Some(d);
            }
        }
        Verdict::Applies => {}
    }
    (name == "*").then(|| {
        Diagnostic::new(
            Code::W0521,
            action.span,
            format!(
                "`{text}` allows every {prefix} action on {}",
                rule.target.value
            ),
        )
        .label("a service-wide wildcard")
        .secondary(rule.target.span, "on this resource")
        .help(format!(
            "list the actions the function needs{} (a prefix such as \"{prefix}:Get*\" also works)",
            target
                .example
                .filter(|e| e.starts_with(&format!("{prefix}:")))
                .map_or(String::new(), |e| format!(", e.g. \"{e}\""))
        ))
    })
}

/// IAM-SAR-01: an action of a service outside the table, on a resource of a service in
/// it, applies only when its prefix is the resource's service.
fn prefix_problem(
    rule: &AllowRule,
    target: &Target,
    action: &S<String>,
    prefix: &str,
) -> Option<Diagnostic> {
    let service = target.service.as_deref()?;
    if iam::service(service).is_none() || prefix.eq_ignore_ascii_case(service) {
        return None;
    }
    let on = named(rule);
    Some(
        Diagnostic::new(
            Code::E0444,
            action.span,
            format!("`{}` cannot apply to {on}", action.value),
        )
        .label(format!(
            "`{prefix}:` actions apply to `arn:aws:{prefix}:…` resources"
        ))
        .secondary(
            rule.target.span,
            format!("{on} is an `arn:aws:{service}:…` resource"),
        )
        .help(format!(
            "use an action of {on}'s service, e.g. \"{}\", or allow `{}` on the resource it is for",
            target.example(),
            action.value
        )),
    )
}

fn elsewhere(
    rule: &AllowRule,
    action: &S<String>,
    target: &Target,
    formats: &[&str],
) -> Diagnostic {
    let on = named(rule);
    let shown: Vec<String> = formats.iter().take(3).map(|f| shape(f)).collect();
    let more = if formats.len() > 3 { ", …" } else { "" };
    let arn_string = matches!(rule.target.value, AllowTarget::Arn(_));
    let what = match (&target.written, &target.service) {
        (Some(arn), _) => format!("{on} is `{arn}`"),
        (None, Some(s)) if arn_string => format!("an `arn:aws:{s}:…` ARN"),
        (None, Some(s)) => format!("{on} is an `arn:aws:{s}:…` resource"),
        (None, None) => format!("on {on}"),
    };
    Diagnostic::new(
        Code::E0444,
        action.span,
        format!("`{}` cannot apply to {on}", action.value),
    )
    .label(format!("it applies to {}{more}", shown.join(", ")))
    .secondary(rule.target.span, what)
    .help(elsewhere_help(rule, action, target, &shown))
}

/// Where the action would apply, and an action for the target when there is a telling one.
fn elsewhere_help(
    rule: &AllowRule,
    action: &S<String>,
    target: &Target,
    shown: &[String],
) -> String {
    let allow_it = format!(
        "allow `{}` on a resource of the type it applies to ({})",
        action.value,
        shown.first().map_or("", String::as_str)
    );
    match target.example {
        Some(example) if !example.eq_ignore_ascii_case(&action.value) => format!(
            "use an action that applies to {}, e.g. \"{example}\", or {allow_it}",
            rule.target.value
        ),
        _ => allow_it,
    }
}

/// How messages name an `allow` line's target: the declaration, or "this ARN" (the ARN
/// itself is underlined).
fn named(rule: &AllowRule) -> String {
    match &rule.target.value {
        AllowTarget::Ref(r) => r.to_string(),
        AllowTarget::Arn(_) => "this ARN".to_string(),
    }
}

/// A reference ARN format as users read it: `arn:aws:kafka:…:topic/…`.
fn shape(format: &str) -> String {
    let mut out = format.replace("${Partition}", "aws").replace(".*", "…");
    while let Some(start) = out.find("${") {
        let end = out[start..].find('}').map_or(out.len(), |e| start + e + 1);
        out.replace_range(start..end, "…");
    }
    format!("`{out}`")
}

fn only_star(rule: &AllowRule, action: &S<String>) -> Diagnostic {
    Diagnostic::new(
        Code::W0564,
        action.span,
        format!(
            "`{}` cannot be limited to {}: it is granted on every resource",
            action.value, rule.target.value
        ),
    )
    .label("this action supports no resource-level permission")
    .secondary(rule.target.span, "not used for this action")
    .help("lamc grants it with `Resource: \"*\"`, as IAM requires; when that is intended, end the line with `# lamc: ignore W0564`")
}

fn unknown_action(action: &S<String>, prefix: &str, near: Option<&str>) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0497,
        action.span,
        format!("`{}` is not an IAM action", action.value),
    );
    match near {
        Some(name) => {
            let fixed = format!("{prefix}:{name}");
            d.label(format!("{prefix} has no such action"))
                .help(format!("did you mean \"{fixed}\"?"))
                .fix(
                    format!("replace with \"{fixed}\""),
                    action.span,
                    format!("\"{fixed}\""),
                )
        }
        None => d
            .label(format!("{prefix} has no such action"))
            .help(format!(
            "write one of the actions the Service Authorization Reference lists for {prefix}: {}",
            iam::service(prefix).map_or("", |s| s.url)
        )),
    }
}

fn not_an_action(rule: &AllowRule, action: &S<String>, example: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0497,
        action.span,
        format!("`{}` is not an IAM action", action.value),
    )
    .label("an action is `service:Action`")
    .secondary(rule.target.span, format!("on {}", rule.target.value))
    .help(format!("write the service prefix, e.g. \"{example}\""))
}

fn every_action(action: &S<String>, example: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0443,
        action.span,
        format!("`{}` allows every action of every service", action.value),
    )
    .label("a wildcard over services")
    .help(format!(
        "list the actions the function needs, e.g. \"{example}\""
    ))
}

#[cfg(test)]
mod tests;
