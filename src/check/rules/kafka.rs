//! `on kafka`: the batch and its window (ESM-03, ESM-04, E0407), the topic's name (ESM-20,
//! E0317), the consumer group's id (ESM-22, E0318) and one mapping per consumer group
//! (E0424), and a sign-in secret MSK cannot use (MSK-SCRAM, E0319). A name with
//! deploy-time parts is checked as far as its known parts allow.

use std::collections::btree_map::{BTreeMap, Entry};

use crate::diag::{Code, Diagnostic};
use crate::model::{DeployStr, KafkaAuth, Model, Origin, ResRef, TriggerKind, S};
use crate::schema::limits::{Bounds, KAFKA_CONSUMER_GROUP, KAFKA_TOPIC};
use crate::source::Span;

use super::limit::Limit;
use super::util::string_replacement;
use super::RuleContext;

/// ESM-20: what a topic name may hold besides letters and digits.
const TOPIC_EXTRA: &str = "._-";
/// ESM-22: what a consumer group id may hold besides letters and digits.
const GROUP_EXTRA: &str = "-/*:_+=.@";

pub(crate) fn check(model: &Model, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let mut groups: BTreeMap<&str, Span> = BTreeMap::new();
    for f in &model.functions {
        for t in &f.triggers {
            let TriggerKind::Kafka { topic, options, .. } = &t.kind else {
                continue;
            };
            super::triggers::batch_and_window(
                ctx,
                options.batch.as_ref(),
                options.window.as_ref(),
                out,
            );
            out.extend(topic_problem(ctx, topic));
            if let Some(g) = &options.consumer_group {
                out.extend(group_problem(ctx, g));
                out.extend(shared_group(&mut groups, g));
            }
            if let Some(auth) = &options.auth {
                if let KafkaAuth::Secret(secret) = &auth.value {
                    out.extend(scram_secret_problem(model, auth.span, secret));
                }
            }
        }
    }
}

/// A name's rule: its length, the characters it may hold besides ASCII letters and digits.
struct Rule {
    code: Code,
    /// The attribute, as the help writes it.
    key: &'static str,
    what: &'static str,
    bounds: &'static Bounds,
    extra: &'static str,
}

/// E0317: a Kafka topic name Lambda refuses (ESM-20): 1–249 of letters, digits, `.`, `_`
/// and `-`, not starting with `.`.
fn topic_problem(ctx: &RuleContext, topic: &S<DeployStr>) -> Option<Diagnostic> {
    let rule = Rule {
        code: Code::E0317,
        key: "topic",
        what: "Kafka topic name",
        bounds: &KAFKA_TOPIC,
        extra: TOPIC_EXTRA,
    };
    if let Some(d) = name_problem(ctx, topic, &rule) {
        return Some(d);
    }
    let starts_with_dot = matches!(topic.value.parts().first(), Some(crate::model::Value::Str(t)) if t.starts_with('.'));
    starts_with_dot.then(|| {
        Diagnostic::new(
            Code::E0317,
            topic.span,
            format!("`{}` is not a valid {}", topic.value, rule.what),
        )
        .label("a topic name cannot start with `.`")
        .help(format!(
            "name the topic as the cluster knows it, e.g. `topic = \"{}\"`",
            topic.value.to_string().trim_start_matches('.')
        ))
    })
}

/// E0318: a consumer group id Lambda refuses (ESM-22): 1–200 of letters, digits and
/// `-/*:_+=.@`.
fn group_problem(ctx: &RuleContext, group: &S<DeployStr>) -> Option<Diagnostic> {
    let rule = Rule {
        code: Code::E0318,
        key: "consumer_group",
        what: "consumer group id",
        bounds: &KAFKA_CONSUMER_GROUP,
        extra: GROUP_EXTRA,
    };
    name_problem(ctx, group, &rule)
}

/// Length, then characters; a deploy-time part counts as nothing for the length (the
/// count is a lower bound) and is not judged for its characters.
fn name_problem(ctx: &RuleContext, n: &S<DeployStr>, rule: &Rule) -> Option<Diagnostic> {
    let whole = n.value.as_literal().is_some();
    let chars = n.value.known_chars();
    let (min, max) = (rule.bounds.lo as usize, rule.bounds.hi as usize);
    if (whole && chars < min) || chars > max {
        let limit = Limit::Length {
            code: rule.code,
            what: rule.what,
            span: n.span,
            chars,
            unit: "characters",
            partly_known: !whole,
            min,
            max,
            help: format!("use a {} of {min} to {max} characters", rule.what),
        };
        return Some(limit.diagnostic(ctx));
    }
    let text = n.value.known_text();
    let bad = text
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && !rule.extra.contains(*c))?;
    let allowed: Vec<String> = rule.extra.chars().map(|c| format!("`{c}`")).collect();
    let d = Diagnostic::new(
        rule.code,
        n.span,
        format!("`{}` is not a valid {}", n.value, rule.what),
    )
    .label(format!(
        "`{bad}` is not allowed: only letters, digits and {}",
        allowed.join(" ")
    ));
    let Some(literal) = n.value.as_literal() else {
        return Some(d.help(format!(
            "use only letters, digits and {} around the deploy-time values",
            allowed.join(" ")
        )));
    };
    let cleaned: String = literal
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || rule.extra.contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    Some(d.help(format!("write `{} = \"{cleaned}\"`", rule.key)).fix(
        format!("use {cleaned}"),
        n.span,
        string_replacement(ctx, n.span, &cleaned),
    ))
}

/// MSK-SCRAM: what the name of every secret Amazon MSK signs in with starts with.
const SCRAM_PREFIX: &str = "AmazonMSK_";

/// E0319: `auth = secret.X` where X's name, as far as its ARN says it, does not start with
/// `AmazonMSK_`: MSK cannot associate such a secret with the cluster, so the mapping can
/// never sign in (MSK-SCRAM).
fn scram_secret_problem(model: &Model, auth: Span, secret: &ResRef) -> Option<Diagnostic> {
    let declared = model.resource(secret)?;
    let Origin::Existing { arn } = &declared.origin else {
        return None;
    };
    let (known, whole) = arn.value.known_prefix();
    let (head, name) = known.split_once(":secret:")?;
    let fits = if whole || name.len() >= SCRAM_PREFIX.len() {
        name.starts_with(SCRAM_PREFIX)
    } else {
        SCRAM_PREFIX.starts_with(name)
    };
    if fits {
        return None;
    }
    let example = match arn.value.as_literal() {
        Some(_) => format!("{head}:secret:{SCRAM_PREFIX}{name}"),
        None => format!(
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:{SCRAM_PREFIX}{}-AbCdEf",
            secret.name
        ),
    };
    Some(
        Diagnostic::new(
            Code::E0319,
            auth,
            format!("Amazon MSK cannot sign in with `{secret}`"),
        )
        .label(format!("its name does not start with `{SCRAM_PREFIX}`"))
        .secondary(arn.span, "the secret named here")
        .help(format!(
            "MSK uses only secrets named `{SCRAM_PREFIX}…` and encrypted with a customer managed key: store the credentials in one and write `secret {} from \"{example}\"`",
            secret.name
        )),
    )
}

/// E0424: two mappings that join one consumer group. Lambda takes a group id for one
/// Kafka event source only (ESM-22): the second mapping fails to be created.
fn shared_group<'m>(
    seen: &mut BTreeMap<&'m str, Span>,
    group: &'m S<DeployStr>,
) -> Option<Diagnostic> {
    let text = group.value.as_literal()?;
    let first = match seen.entry(text) {
        Entry::Vacant(v) => {
            v.insert(group.span);
            return None;
        }
        Entry::Occupied(o) => *o.get(),
    };
    Some(
        Diagnostic::new(
            Code::E0424,
            group.span,
            format!("consumer group `{text}` is already another mapping's"),
        )
        .label("a second event source mapping in the same consumer group")
        .secondary(first, "the group's first mapping")
        .help("give each `on kafka` trigger its own `consumer_group`, or leave it out to let Lambda generate one"),
    )
}
