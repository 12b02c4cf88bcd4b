//! Published versions and their alias: the alias's name (VA-03), and an `alias` that
//! nothing makes.

use crate::diag::{Code, Diagnostic};
use crate::model::Function;
use crate::schema::limits::MAX_ALIAS_NAME;
use crate::schema::DEFAULT_ALIAS;

use super::RuleContext;

pub(crate) fn check(functions: &[Function], _ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in functions {
        alias_name(f, out);
        unused_alias(f, out);
    }
}

/// E0468 (VA-03): 1–128 of `A-Z a-z 0-9 - _`, not only digits (a number names a version).
fn alias_name(f: &Function, out: &mut Vec<Diagnostic>) {
    let Some(alias) = f.text("alias") else {
        return;
    };
    let Some(name) = alias.value.as_literal() else {
        return;
    };
    let Some(problem) = alias_name_problem(name) else {
        return;
    };
    let fixed = suggested(name);
    out.push(
        Diagnostic::new(
            Code::E0468,
            alias.span,
            format!("Lambda refuses the alias name \"{name}\""),
        )
        .label(problem)
        .help(format!(
            "an alias name is 1–{MAX_ALIAS_NAME} letters, digits, `-` or `_`, not only digits: write `alias = \"{fixed}\"`"
        ))
        .fix(
            format!("write \"{fixed}\""),
            alias.span,
            format!("\"{fixed}\""),
        ),
    );
}

/// Why Lambda would refuse `name` as an alias name, when it would.
pub(crate) fn alias_name_problem(name: &str) -> Option<String> {
    let chars = name.chars().count();
    if chars == 0 {
        return Some("empty".into());
    }
    if chars > MAX_ALIAS_NAME {
        return Some(format!("{chars} characters; at most {MAX_ALIAS_NAME}"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Some(format!("`{}` is not allowed", bad.escape_debug()));
    }
    if name.chars().all(|c| c.is_ascii_digit()) {
        return Some("only digits: that names a version".into());
    }
    None
}

/// A name Lambda accepts, close to `name`: other characters become `-`.
fn suggested(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(MAX_ALIAS_NAME)
        .collect();
    if s.chars().all(|c| c.is_ascii_digit() || c == '-') {
        s = DEFAULT_ALIAS.to_string();
    }
    s
}

/// W0545: `alias = "…"` names the alias that publishing creates; with nothing that
/// publishes a version there is no alias, and triggers invoke `$LATEST`.
fn unused_alias(f: &Function, out: &mut Vec<Diagnostic>) {
    let Some(alias) = f.text("alias") else {
        return;
    };
    if f.has_alias() {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::W0545,
            alias.span,
            "this alias is never created: nothing publishes a version",
        )
        .label("no `publish = true`, `snap_start` or provisioned concurrency")
        .help(format!(
            "add `publish = true` to function `{}` so that its triggers invoke the alias, or remove `alias`",
            f.name.value
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_names_follow_lambdas_rules() {
        assert_eq!(alias_name_problem("live"), None);
        assert_eq!(alias_name_problem("prod-2_b"), None);
        assert_eq!(alias_name_problem("v1"), None);
        assert!(alias_name_problem("").is_some());
        assert!(alias_name_problem("42").is_some());
        assert!(alias_name_problem("blue green").is_some());
        assert!(alias_name_problem("$LATEST").is_some());
        assert_eq!(alias_name_problem(&"a".repeat(128)), None);
        assert!(alias_name_problem(&"a".repeat(129)).is_some());
    }

    #[test]
    fn the_suggestion_is_itself_accepted() {
        for name in ["blue green", "42", "", "a.b", "--"] {
            assert_eq!(alias_name_problem(&suggested(name)), None, "{name}");
        }
    }
}
