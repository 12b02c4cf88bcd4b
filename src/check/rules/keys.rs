//! `kms` on created resources: the key reference has one of the four shapes KMS accepts
//! (E0496, KMS-ID): a key ID, a key ARN, an alias name (`alias/…`) or an alias ARN. A
//! reference with deploy-time parts is checked as far as its known start allows. And
//! alarms that notify a topic encrypted with the AWS managed key `alias/aws/sns`, which
//! CloudWatch cannot use (W0562, SEC-04).

use crate::diag::{Code, Diagnostic};
use crate::kms;
use crate::model::{DeployStr, Model, Origin, ResRef, Resource, S};

pub(crate) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    managed_topics_notified(model, out);
    for r in &model.resources {
        let (Origin::Created(_), Some(key)) = (&r.origin, &r.options.kms) else {
            continue;
        };
        if let Some(problem) = problem(key) {
            out.push(
                Diagnostic::new(
                    Code::E0496,
                    key.span,
                    format!("`{}` is not a KMS key reference", key.value),
                )
                .label(problem)
                .secondary(r.name_span, format!("{} declared here", r.kind.as_str()))
                .help(
                    "use an alias (`kms = \"alias/orders\"`), a key ID, or a key or alias ARN \
                     (`arn:aws:kms:REGION:ACCOUNT:key/ID`)",
                ),
            );
        }
    }
}

fn problem(key: &S<DeployStr>) -> Option<String> {
    match key.value.known_prefix() {
        (text, true) => kms::parse(&text).err(),
        (prefix, false) => kms::prefix_problem(&prefix),
    }
}

/// W0562: every alarm (the program's and each function's) notifying a topic whose key is
/// `alias/aws/sns`.
fn managed_topics_notified(model: &Model, out: &mut Vec<Diagnostic>) {
    let alarms = model
        .alarms
        .iter()
        .chain(model.functions.iter().flat_map(|f| f.alarms.iter()));
    for target in alarms.flat_map(|a| a.notify.iter()) {
        let Some((topic, key)) = managed_topic(model, &target.value) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Code::W0562,
                target.span,
                format!(
                    "CloudWatch cannot publish to topic `{}` (`alias/aws/sns`)",
                    topic.name
                ),
            )
            .label("the alarm's notifications would be refused")
            .secondary(
                key.span,
                "the AWS managed key, whose policy admits no AWS service",
            )
            .help(
                "encrypt the topic with a customer managed key whose policy lets \
                 `cloudwatch.amazonaws.com` use it, or remove `kms`",
            ),
        );
    }
}

/// The topic `r` names, and its key, when that key is SNS's AWS managed one.
fn managed_topic<'m>(model: &'m Model, r: &ResRef) -> Option<(&'m Resource, &'m S<DeployStr>)> {
    let topic = model.resource(r)?;
    let key = topic.options.kms.as_ref()?;
    (key.value.as_literal() == Some("alias/aws/sns")).then_some((topic, key))
}
