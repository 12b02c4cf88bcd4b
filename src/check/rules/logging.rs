//! `logging { … }`: log levels need JSON logs (FN-23, FN-24) and the log group's name
//! (FN-25).

use crate::diag::{Code, Diagnostic};
use crate::model::{Function, Logging};
use crate::schema::limits::MAX_LOG_GROUP_NAME;

use super::RuleContext;

pub(crate) fn check(functions: &[Function], _ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for logging in functions.iter().filter_map(|f| f.logging.as_ref()) {
        levels_need_json(logging, out);
        group_name(logging, out);
    }
}

/// E0469: Lambda filters log lines by level only in JSON logs; with text logs (the
/// default) it refuses `ApplicationLogLevel` and `SystemLogLevel`. One diagnostic for the
/// one missing `format = json`, whichever levels are set.
fn levels_need_json(logging: &Logging, out: &mut Vec<Diagnostic>) {
    let format = logging.word("format");
    if format.as_ref().is_some_and(|f| f.value.word == "json") {
        return;
    }
    let levels: Vec<_> = ["level", "system_level"]
        .into_iter()
        .filter_map(|key| logging.word(key).map(|w| (key, w)))
        .collect();
    let Some((key, level)) = levels.first() else {
        return;
    };
    let written = levels
        .iter()
        .map(|(k, w)| format!("{k} = {}", w.value.word))
        .collect::<Vec<_>>()
        .join(", ");
    let mut d = Diagnostic::new(Code::E0469, level.span, format!("`{key}` needs JSON logs"))
        .label("Lambda filters by level only with `format = json`");
    for (other, w) in levels.iter().skip(1) {
        d = d.secondary(w.span, format!("`{other}` needs them too"));
    }
    d = match &format {
        Some(text) => d
            .secondary(text.span, "the logs are text here")
            .help(format!(
                "write `format = json` to keep `{written}`, or remove the level"
            ))
            .fix("write `json`", text.span, "json"),
        // No `format` written: the logs are text, and there is no second place to show.
        None => d.help(format!(
            "add `format = json`: logging {{ format = json, {written} }}"
        )),
    };
    out.push(d);
}

/// E0470 (FN-25): 1–512 of `A-Z a-z 0-9 . - _ / #`. Deploy-time parts are not judged.
fn group_name(logging: &Logging, out: &mut Vec<Diagnostic>) {
    let Some(group) = &logging.group else {
        return;
    };
    let Some(name) = group.value.as_literal() else {
        return;
    };
    let Some(problem) = log_group_name_problem(name) else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::E0470,
            group.span,
            format!("CloudWatch Logs refuses the log group name \"{name}\""),
        )
        .label(problem)
        .help(format!(
            "a log group name is 1–{MAX_LOG_GROUP_NAME} letters, digits and `. - _ / #`, e.g. group = \"/aws/lambda/orders\""
        )),
    );
}

/// Why CloudWatch Logs would refuse `name` as a log group name, when it would.
fn log_group_name_problem(name: &str) -> Option<String> {
    let chars = name.chars().count();
    if chars == 0 {
        return Some("empty".into());
    }
    if chars > MAX_LOG_GROUP_NAME {
        return Some(format!("{chars} characters; at most {MAX_LOG_GROUP_NAME}"));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || ".-_/#".contains(c);
    name.chars()
        .find(|c| !allowed(*c))
        .map(|bad| format!("`{}` is not allowed", bad.escape_debug()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_group_names_follow_cloudwatchs_rules() {
        assert_eq!(log_group_name_problem("/aws/lambda/orders"), None);
        assert_eq!(log_group_name_problem("team.orders#1_a-b"), None);
        assert!(log_group_name_problem("").is_some());
        assert!(log_group_name_problem("orders logs").is_some());
        assert!(log_group_name_problem("a:b").is_some());
        assert_eq!(log_group_name_problem(&"a".repeat(512)), None);
        assert!(log_group_name_problem(&"a".repeat(513)).is_some());
    }
}
