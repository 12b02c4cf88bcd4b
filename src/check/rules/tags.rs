//! Tags on the app, functions and resources: a key of 1–128 characters and a value of at
//! most 256 (FN-32, E0451), and no key beginning with `aws:`, which AWS keeps for its own
//! tags (TAG-01, E0310). A key has no span of its own: reports point at its value.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic};
use crate::model::{DeployStr, Model, S};
use crate::schema::limits::{MAX_TAG_KEY, MAX_TAG_VALUE};

use super::limit::Limit;
use super::RuleContext;

/// TAG-01
const RESERVED_PREFIX: &str = "aws:";

pub(crate) fn check(model: &Model, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    if let Some(app) = &model.app {
        tags(ctx, &app.tags, out);
    }
    for f in &model.functions {
        tags(ctx, &f.tags, out);
    }
    for r in &model.resources {
        tags(ctx, &r.options.tags, out);
    }
}

fn tags(ctx: &RuleContext, tags: &BTreeMap<String, S<DeployStr>>, out: &mut Vec<Diagnostic>) {
    for (k, v) in tags {
        let klen = k.chars().count();
        if klen == 0 || klen > MAX_TAG_KEY {
            let problem = Limit::Length {
                code: Code::E0451,
                what: "tag key",
                span: v.span,
                chars: klen,
                unit: "characters",
                partly_known: false,
                min: 1,
                max: MAX_TAG_KEY,
                help: format!("use a tag key of 1 to {MAX_TAG_KEY} characters"),
            };
            out.push(problem.diagnostic(ctx));
        } else if k.to_ascii_lowercase().starts_with(RESERVED_PREFIX) {
            out.push(reserved(k, v));
        }
        if let Some(problem) = Limit::text_length("tag value", v.span, &v.value, MAX_TAG_VALUE) {
            out.push(problem.diagnostic(ctx));
        }
    }
}

/// E0310: `aws:…` tags are AWS's own (CloudFormation's `aws:cloudformation:stack-name`).
fn reserved(key: &str, value: &S<DeployStr>) -> Diagnostic {
    let rest = &key[RESERVED_PREFIX.len()..];
    Diagnostic::new(
        Code::E0310,
        value.span,
        format!("tag key `{key}` begins with the reserved prefix `aws:`"),
    )
    .label(format!("the value of tag `{key}`"))
    .help(format!(
        "AWS keeps `aws:` for its own tags: use another key, such as `{}`",
        if rest.is_empty() { "app" } else { rest }
    ))
}
