//! `allow ACTIONS on REF`: actions that grant too much or nothing at all.
//!
//! - E0443: `"*"` (every action of every service), or a wildcard in the service prefix.
//! - W0521: every action of one service (`"s3:*"`).
//! - E0444: an action that cannot apply to the resource's ARN (`iam:PassRole` on a table),
//!   decided from which ARN services each action prefix applies to (IAM-SAR-01), not by
//!   comparing the prefix with the resource kind's name.

use crate::diag::{Code, Diagnostic};
use crate::model::{AllowRule, Kind, S};

use super::lookup::Lookup;
use super::RuleContext;

/// The ARN service of what `allow … on KIND.NAME` scopes to (ARN shapes in plan/values).
fn arn_service(kind: Kind) -> &'static str {
    match kind {
        Kind::Queue => "sqs",
        Kind::Topic => "sns",
        Kind::Bucket => "s3",
        Kind::Table => "dynamodb",
        Kind::Stream => "kinesis",
        Kind::Api | Kind::Auth => "execute-api",
        Kind::Function => "lambda",
    }
}

/// IAM-SAR-01: action prefixes whose actions apply to ARNs of another service than the
/// prefix itself. Every other prefix applies to ARNs of its own name.
const CROSS_SERVICE: &[(&str, &[&str])] = &[
    // Amazon MSK's data-plane actions name clusters, topics and groups `arn:…:kafka:…`.
    ("kafka-cluster", &["kafka"]),
    // AssumeRole and friends apply to roles (`arn:…:iam::…:role/…`).
    ("sts", &["iam"]),
];

/// The ARN services an action prefix's actions can apply to.
fn services_of(prefix: &str) -> Vec<&str> {
    CROSS_SERVICE
        .iter()
        .find(|(p, _)| p.eq_ignore_ascii_case(prefix))
        .map_or_else(|| vec![prefix], |(_, s)| s.to_vec())
}

/// Actions a function typically needs on each kind, for help texts.
fn example_action(kind: Kind) -> &'static str {
    match kind {
        Kind::Queue => "sqs:SendMessage",
        Kind::Topic => "sns:Publish",
        Kind::Bucket => "s3:GetObject",
        Kind::Table => "dynamodb:GetItem",
        Kind::Stream => "kinesis:PutRecord",
        Kind::Api | Kind::Auth => "execute-api:Invoke",
        Kind::Function => "lambda:InvokeFunction",
    }
}

pub(crate) fn check(model: &Lookup, _ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in &model.functions {
        for rule in &f.allows {
            for action in &rule.actions {
                out.extend(action_problem(rule, action));
            }
        }
    }
}

fn action_problem(rule: &AllowRule, action: &S<String>) -> Option<Diagnostic> {
    let target = &rule.target.value;
    let example = example_action(target.kind);
    let text = action.value.as_str();
    let Some((prefix, name)) = text.split_once(':') else {
        if text.contains('*') {
            return Some(every_action(action, example));
        }
        return Some(
            Diagnostic::new(
                Code::E0444,
                action.span,
                format!("`{text}` is not an IAM action"),
            )
            .label("an action is `service:Action`")
            .secondary(rule.target.span, format!("on {target}"))
            .help(format!("write the service prefix, e.g. \"{example}\"")),
        );
    };
    if prefix.contains('*') {
        return Some(every_action(action, example));
    }
    let wanted = arn_service(target.kind);
    let applies = services_of(prefix);
    if !applies.contains(&wanted) {
        let arns = applies
            .iter()
            .map(|s| format!("`arn:aws:{s}:…`"))
            .collect::<Vec<_>>()
            .join(" or ");
        return Some(
            Diagnostic::new(
                Code::E0444,
                action.span,
                format!("`{text}` cannot apply to {target}"),
            )
            .label(format!("`{prefix}:` actions apply to {arns} resources"))
            .secondary(
                rule.target.span,
                format!("{target} is an `arn:aws:{wanted}:…` resource"),
            )
            .help(format!(
                "use an action of {target}'s service, e.g. \"{example}\", or allow `{text}` on the resource it is for"
            )),
        );
    }
    (name == "*").then(|| {
        Diagnostic::new(
            Code::W0521,
            action.span,
            format!("`{text}` allows every {prefix} action on {target}"),
        )
        .label("a service-wide wildcard")
        .secondary(rule.target.span, "on this resource")
        .help(format!(
            "list the actions the function needs, e.g. \"{example}\" (a prefix such as \"{prefix}:Get*\" also works)"
        ))
    })
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
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{Function, Kind};

    fn allow(kit: &mut Kit, f: &mut Function, kind: Kind, actions: &[&str]) -> Vec<S<String>> {
        let actions: Vec<S<String>> = actions.iter().map(|a| kit.str(a)).collect();
        let target = kit.res_ref(kind, "x");
        let span = kit.span("allow … on …");
        f.allows.push(AllowRule {
            actions: actions.clone(),
            target,
            span,
        });
        actions
    }

    #[test]
    fn wildcards_over_services_are_errors_and_service_wide_ones_warnings() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let a = allow(
            &mut kit,
            &mut f,
            Kind::Bucket,
            &["*", "s3:*", "s3:Get*", "*:*"],
        );
        let diags = kit.run(&model(vec![f]));
        let errors: Vec<_> = with_code(&diags, Code::E0443)
            .iter()
            .map(|d| d.primary.span)
            .collect();
        assert_eq!(errors, vec![a[0].span, a[3].span]);
        assert_eq!(one(&diags, Code::W0521).primary.span, a[1].span);
        none(&diags, Code::E0444);
    }

    #[test]
    fn actions_must_apply_to_the_resource_service() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let a = allow(
            &mut kit,
            &mut f,
            Kind::Table,
            &["iam:PassRole", "dynamodb:GetItem", "kms:Decrypt", "PutItem"],
        );
        allow(&mut kit, &mut f, Kind::Api, &["execute-api:Invoke"]);
        allow(&mut kit, &mut f, Kind::Function, &["lambda:InvokeFunction"]);
        let diags = kit.run(&model(vec![f]));
        let spans: Vec<_> = with_code(&diags, Code::E0444)
            .iter()
            .map(|d| d.primary.span)
            .collect();
        assert_eq!(spans, vec![a[0].span, a[2].span, a[3].span]);
        let d = with_code(&diags, Code::E0444)[0].clone();
        assert_eq!(d.message, "`iam:PassRole` cannot apply to table.x");
        assert_eq!(
            d.primary.message,
            "`iam:` actions apply to `arn:aws:iam:…` resources"
        );
    }

    #[test]
    fn the_table_maps_prefixes_whose_arns_differ() {
        assert_eq!(services_of("kafka-cluster"), vec!["kafka"]);
        assert_eq!(services_of("sts"), vec!["iam"]);
        assert_eq!(services_of("sqs"), vec!["sqs"]);
    }
}
