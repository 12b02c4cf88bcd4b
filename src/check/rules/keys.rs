//! `kms` on created resources: the key reference has one of the four shapes KMS accepts
//! (E0496, KMS-ID): a key ID, a key ARN, an alias name (`alias/…`) or an alias ARN. A
//! reference with deploy-time parts is checked as far as its known start allows.

use crate::diag::{Code, Diagnostic};
use crate::kms;
use crate::model::{DeployStr, Model, Origin, S};

pub(crate) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
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
