//! What people coming from AWS SAM, CloudFormation and the Serverless Framework write where
//! lamc has a spelling of its own, recognised where it breaks the grammar: `rate(5
//! minutes)`, an unquoted `cron(…)`, `${AWS::Region}`, `${opt:stage}`, `runtime: python3.12`,
//! `!Ref`, an unquoted `s3:ObjectCreated:*`. The syntax error then gets a help line in
//! lamc's spelling, and a fix when the change is mechanical.

use crate::model::Pseudo;
use crate::model::S3Event;
use crate::spelling::{rate_duration, yaml_entry};

use super::scan::{OpenKind, Scan};

/// lamc's spelling of what was written at a syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spelling {
    pub help: String,
    /// Replace `start..end` (byte offsets in the file) with the text, when mechanical.
    pub fix: Option<(usize, usize, String)>,
}

/// lamc's spelling of the foreign construct that a syntax error at `at` stopped in.
pub fn recognize(text: &str, at: usize, scanned: &Scan) -> Option<Spelling> {
    let open = scanned.innermost_at(at);
    match open.map(|o| (o.kind, o.pos)) {
        Some((OpenKind::Paren, pos)) => call_argument(text, pos),
        Some((OpenKind::Interp, pos)) => interpolation(text, pos),
        _ => None,
    }
    .or_else(|| s3_event_name(text, at))
    .or_else(|| yaml_colon(text, at))
    .or_else(|| yaml_tag(text, at))
}

/// The text of the line that `at` is on, from `at` on.
fn rest_of_line(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or("");
    rest.split('\n').next().unwrap_or("")
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The word that ends just before `end`, and where it starts.
fn word_before(text: &str, end: usize) -> (&str, usize) {
    let bytes = text.as_bytes();
    let mut start = end.min(bytes.len());
    while start > 0 && is_word_byte(bytes[start - 1]) {
        start -= 1;
    }
    (&text[start..end.min(text.len())], start)
}

/// `rate(5 minutes)` and `cron(0 12 * * ? *)`: the argument of the call opened at `open`.
fn call_argument(text: &str, open: usize) -> Option<Spelling> {
    let (callee, _) = word_before(text, open);
    let inner_start = open + 1;
    let line = rest_of_line(text, inner_start);
    let inner = &line[..line.find(')')?];
    let inner_end = inner_start + inner.len();
    match callee {
        "rate" => {
            let duration = rate_duration(inner)?;
            Some(Spelling {
                help: format!("lamc writes a rate as a duration: `rate({duration})`"),
                fix: Some((inner_start, inner_end, duration)),
            })
        }
        "cron" if !inner.trim_start().starts_with('"') => {
            let quoted = format!("\"{}\"", inner.trim());
            Some(Spelling {
                help: format!("the cron expression is a string: `cron({quoted})`"),
                fix: Some((inner_start, inner_end, quoted)),
            })
        }
        _ => None,
    }
}

/// `${AWS::Region}` (CloudFormation's `Fn::Sub`) and `${opt:stage}` (a Serverless
/// Framework variable), in the interpolation opened at `open`.
fn interpolation(text: &str, open: usize) -> Option<Spelling> {
    let inner_start = open + 2;
    let line = rest_of_line(text, inner_start);
    let inner = &line[..line.find('}')?];
    let inner_end = inner_start + inner.len();
    let known = || {
        Pseudo::ALL
            .iter()
            .map(|(ours, _)| format!("`${{aws.{ours}}}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if inner.starts_with("AWS::") {
        return Some(match Pseudo::from_cfn_name(inner) {
            Some(p) => Spelling {
                help: format!(
                    "lamc writes the pseudo parameter {inner} as `${{aws.{}}}`",
                    p.as_str()
                ),
                fix: Some((inner_start, inner_end, format!("aws.{}", p.as_str()))),
            },
            None => Spelling {
                help: format!(
                    "lamc has no form of {inner}; the pseudo parameters it knows are {}",
                    known()
                ),
                fix: None,
            },
        });
    }
    let (source, rest) = inner.split_once(':')?;
    // `${opt:stage, 'dev'}` names `stage`; `${self:custom.tableName}` names `tableName`.
    let variable = rest.split(',').next().unwrap_or(rest).trim();
    let name = variable.rsplit(['.', ':']).next().unwrap_or(variable);
    let name = if name.bytes().all(is_word_byte) && !name.is_empty() {
        name
    } else {
        "NAME"
    };
    let help = match source {
        "opt" | "sls" | "param" => format!(
            "a value given at deploy time is a parameter: declare `param {name}: string` and \
             write `${{param.{name}}}`"
        ),
        "self" => format!(
            "a value of the program itself is a `let`: declare `let {name} = …` and write \
             `${{{name}}}` (or a parameter, `${{param.{name}}}`, if it is given at deploy time)"
        ),
        "env" | "ssm" | "cf" | "s3" | "file" | "aws" => format!(
            "lamc reads no `{source}:` variables when it compiles: pass the value as a parameter \
             (`param {name}: string`, then `${{param.{name}}}`); the pseudo parameters are {}",
            known()
        ),
        _ => return None,
    };
    Some(Spelling { help, fix: None })
}

/// `events = [s3:ObjectCreated:*]`: S3's own event name, unquoted.
fn s3_event_name(text: &str, at: usize) -> Option<Spelling> {
    if text.as_bytes().get(at) != Some(&b':') {
        return None;
    }
    let (word, start) = word_before(text, at);
    if word != "s3" {
        return None;
    }
    let line = rest_of_line(text, start);
    let len = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, ':' | '*' | '_')))
        .unwrap_or(line.len());
    let written = &line[..len];
    let end = start + len;
    let family = S3Event::NAMED.into_iter().find_map(|e| {
        let aws = e.aws_name()?;
        let stem = aws.strip_suffix(":*")?;
        let rest = written.strip_prefix(stem)?;
        Some((e.name()?, aws, rest))
    });
    Some(match family {
        // The whole family: lamc's name for it.
        Some((ours, aws, "" | ":*")) => Spelling {
            help: format!("lamc names the event {aws} `{ours}`"),
            fix: Some((start, end, ours.to_string())),
        },
        // One event of a family, or another kind: S3's name, as a string.
        _ => Spelling {
            help: format!(
                "S3's own event names are strings: `\"{written}\"` (lamc names the families \
                 `created`, `removed` and `restored`)"
            ),
            fix: Some((start, end, format!("\"{written}\""))),
        },
    })
}

/// `runtime: python3.12` in a block: YAML's `:` where lamc writes `=`.
fn yaml_colon(text: &str, at: usize) -> Option<Spelling> {
    if text.as_bytes().get(at) != Some(&b':') {
        return None;
    }
    let key_end = text[..at].trim_end_matches([' ', '\t']).len();
    let (key, key_start) = word_before(text, key_end);
    if key.is_empty() {
        return None;
    }
    // The word must be where a key goes: first on its line, or after `{` or `,`.
    let before = text[..key_start].trim_end_matches([' ', '\t']);
    if !(before.is_empty() || before.ends_with(['\n', '{', ','])) {
        return None;
    }
    // The value up to a comment or the end of the line (`MemorySize: 1024  # MB`).
    let line = rest_of_line(text, at + 1);
    let content = line.split(" #").next().unwrap_or(line);
    let written = content.trim();
    let value_end = at + 1 + content.trim_end().len();
    let (key, value) = yaml_entry(key, written);
    if value.is_empty() {
        // A nested map follows (`env:` and indented lines): not one mechanical change.
        return Some(Spelling {
            help: format!(
                "lamc writes `key = value` where YAML writes `key: value`, and a nested map \
                 as a block: `{key} {{ KEY = value, … }}`"
            ),
            fix: None,
        });
    }
    let ours = format!("{key} = {value}");
    Some(Spelling {
        help: format!("lamc writes `=` where YAML writes `:`: `{ours}`"),
        fix: Some((key_start, value_end, ours)),
    })
}

/// `!Ref`, `!GetAtt`, `!Sub` and the other short forms of CloudFormation's YAML.
fn yaml_tag(text: &str, at: usize) -> Option<Spelling> {
    let tag = text.get(at..)?.strip_prefix('!')?;
    let len = tag.bytes().take_while(|b| is_word_byte(*b)).count();
    let help = match &tag[..len] {
        "Ref" | "GetAtt" => {
            "lamc refers to a declaration as `KIND.NAME` (`queue.jobs`), to one of its attributes \
             as `KIND.NAME.ATTR` (`bucket.uploads.arn`) and to a parameter as `param.NAME`"
        }
        "Sub" | "Join" => {
            "a lamc string interpolates by itself: \
             `\"arn:${aws.partition}:s3:::${bucket.uploads.name}/*\"`"
        }
        "" => return None,
        _ => {
            "lamc has no CloudFormation functions: write the value itself, a reference \
             (`queue.jobs.url`), a parameter (`param.NAME`) or a string with `${…}`"
        }
    };
    Some(Spelling {
        help: help.to_string(),
        fix: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::scan::scan;

    /// lamc's spelling at the first byte of `marker` in `text`.
    fn at(text: &str, marker: &str) -> Option<Spelling> {
        let pos = text.find(marker).expect("marker in text");
        recognize(text, pos, &scan(text))
    }

    fn fixed(text: &str, s: &Spelling) -> String {
        let (a, b, with) = s.fix.clone().expect("a fix");
        format!("{}{with}{}", &text[..a], &text[b..])
    }

    #[test]
    fn rates_in_words_become_durations() {
        for (written, ours) in [
            ("1 minute", "1m"),
            ("5 minutes", "5m"),
            ("2 hours", "2h"),
            ("1 day", "1d"),
            ("10 mins", "10m"),
        ] {
            let text = format!("  on schedule rate({written})\n");
            let unit = written.split(' ').nth(1).expect("unit");
            let s = at(&text, unit).expect("recognised");
            assert_eq!(fixed(&text, &s), format!("  on schedule rate({ours})\n"));
        }
        assert_eq!(at("rate(five minutes)\n", "minutes"), None);
        assert_eq!(at("rate(5 fortnights)\n", "fortnights"), None);
    }

    #[test]
    fn an_unquoted_cron_expression_is_quoted() {
        let text = "  on schedule cron(0/2 * ? * MON-FRI *)\n";
        let s = at(text, "/").expect("recognised");
        assert_eq!(
            fixed(text, &s),
            "  on schedule cron(\"0/2 * ? * MON-FRI *\")\n"
        );
    }

    #[test]
    fn pseudo_parameters_and_framework_variables() {
        let text = "  env { R = \"${AWS::Region}-x\" }\n";
        let s = at(text, "::").expect("recognised");
        assert_eq!(fixed(text, &s), "  env { R = \"${aws.region}-x\" }\n");
        let s = at("x = \"${AWS::NoValue}\"\n", "::").expect("recognised");
        assert!(s.fix.is_none());
        assert!(s.help.contains("no form of AWS::NoValue"), "{}", s.help);
        let s = at("x = \"${opt:stage, 'dev'}\"\n", ":").expect("recognised");
        assert!(s.help.contains("`param stage: string`"), "{}", s.help);
        let s = at("x = \"${self:custom.tableName}\"\n", ":").expect("recognised");
        assert!(s.help.contains("`let tableName = …`"), "{}", s.help);
    }

    #[test]
    fn yaml_colons_become_equals_signs() {
        let text = "  runtime: python3.12\n";
        let s = at(text, ":").expect("recognised");
        assert_eq!(fixed(text, &s), "  runtime = python3.12\n");
        assert_eq!(
            s.help,
            "lamc writes `=` where YAML writes `:`: `runtime = python3.12`"
        );
        let text = "  MemorySize: 1024  # MB\n";
        let s = at(text, ":").expect("recognised");
        assert_eq!(fixed(text, &s), "  memory = 1024MB  # MB\n");
        let text = "  Handler: app.handler\n";
        let s = at(text, ":").expect("recognised");
        assert_eq!(fixed(text, &s), "  handler = \"app.handler\"\n");
        let s = at("  env:\n    A: 1\n", ":").expect("recognised");
        assert_eq!(s.fix, None);
        assert!(s.help.ends_with("`env { KEY = value, … }`"), "{}", s.help);
        // Not in key position: something else is wrong.
        assert_eq!(at("on http \"GET /\" x: 1\n", ":"), None);
    }

    #[test]
    fn s3_event_names_become_lamc_names_or_strings() {
        let text = "events = [s3:ObjectCreated:*, removed]\n";
        let s = at(text, ":").expect("recognised");
        assert_eq!(fixed(text, &s), "events = [created, removed]\n");
        let text = "events = [s3:ObjectRemoved:Delete]\n";
        let s = at(text, ":").expect("recognised");
        assert_eq!(fixed(text, &s), "events = [\"s3:ObjectRemoved:Delete\"]\n");
    }

    #[test]
    fn yaml_tags_are_explained() {
        let s = at("env { T = !Ref Table }\n", "!").expect("recognised");
        assert!(s.help.contains("`KIND.NAME`"), "{}", s.help);
        assert_eq!(at("x = !\n", "!"), None);
    }
}
