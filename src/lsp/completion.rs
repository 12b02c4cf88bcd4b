//! Completion from the lexical context (it works on text that does not parse yet) and the
//! declarations of the last compiled version: declaration kinds at top level, attribute
//! names valid in the current block, enum values after `key =`, and references of the kind
//! the position expects (`on sqs queue.|`, `dead_letter = |`, `notify topic.|`), parameter
//! types after `param NAME:`.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionResponse, CompletionTextEdit, Documentation,
    MarkupContent, MarkupKind, Position, Range, TextEdit,
};

use crate::check::rules::runtimes;
use crate::check::ALL_KINDS;
use crate::model::Kind;
use crate::schema;

use super::context::{self, Context};
use super::convert;
use super::document::Document;
use super::index::{DeclKind, Index};
use super::knowledge;

pub fn complete(doc: &Document, pos: Position, markdown: bool) -> Option<CompletionResponse> {
    let root = doc.root();
    let offset = convert::offset(root, pos);
    let ctx = context::at(doc.text(), offset);
    if ctx.in_string_or_comment {
        return None;
    }
    let mut items = items(&ctx, doc.index());
    // Labels that contain dots (`python3.12`, `queue.orders`) replace the whole word typed
    // so far: editors split words at dots, and would otherwise insert after the last one.
    let typed = typed_word(&ctx.segment);
    if typed.contains('.') {
        let units = typed.encode_utf16().count() as u32;
        let start = Position::new(pos.line, pos.character.saturating_sub(units));
        for i in items.iter_mut().filter(|i| i.label.contains('.')) {
            i.filter_text = Some(i.label.clone());
            i.text_edit = Some(CompletionTextEdit::Edit(TextEdit {
                range: Range::new(start, pos),
                new_text: i.label.clone(),
            }));
        }
    }
    if !markdown {
        for i in &mut items {
            if let Some(Documentation::MarkupContent(m)) = i.documentation.take() {
                i.documentation = Some(Documentation::String(m.value));
            }
        }
    }
    Some(CompletionResponse::Array(items))
}

fn item(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        ..CompletionItem::default()
    }
}

/// What to offer in `ctx`.
/// The word being typed at the end of a segment: letters, digits, `_` and `.`.
fn typed_word(segment: &str) -> &str {
    let len = segment
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .map(char::len_utf8)
        .sum::<usize>();
    &segment[segment.len() - len..]
}

pub fn items(ctx: &Context, index: &Index) -> Vec<CompletionItem> {
    let seg = ctx.segment.trim_start();
    let word = typed_word(seg);
    let before = &seg[..seg.len() - word.len()];
    let before = before.trim_end();
    let block = ctx.block.as_deref();
    if let Some(dot) = word.rfind('.') {
        let items = dotted(&word[..dot], ctx, index);
        // A dotted value that is no reference (`runtime = python3.1|`) completes below, whole.
        if !items.is_empty() || !before.contains('=') {
            return items;
        }
    }
    let words: Vec<&str> = before.split_whitespace().collect();
    if before.is_empty() {
        return statement_start(block);
    }
    if let Some(eq) = before.find('=') {
        let key = before[..eq].split_whitespace().last().unwrap_or_default();
        return values(block.unwrap_or_default(), key, index);
    }
    match words.as_slice() {
        ["on"] => schema::TRIGGERS
            .iter()
            .map(|t| item(t.kind, CompletionItemKind::EVENT, Some(t.doc.to_string())))
            .collect(),
        ["on", kind] => trigger_source(kind, index),
        ["alarm"] if block == Some("function") => knowledge::function_metrics()
            .map(|m| item(m, CompletionItemKind::FIELD, Some("function metric".into())))
            .collect(),
        [.., "extends"] | [.., "extends", _] => index
            .names_of(DeclKind::Template)
            .into_iter()
            .map(|n| item(n, CompletionItemKind::CLASS, Some("template".into())))
            .collect(),
        ["param", ..] if block.is_none() && before.ends_with(':') => schema::PARAM_TYPES
            .0
            .iter()
            .map(|w| {
                item(
                    w.word,
                    CompletionItemKind::TYPE_PARAMETER,
                    Some(w.cfn.to_string()),
                )
            })
            .collect(),
        [.., "notify"] => references(&[Kind::Topic], index),
        [.., "via"] => references(&[Kind::Api], index),
        ["allow", .., "on"] => references(ALL_KINDS, index),
        _ => Vec::new(),
    }
}

/// At the start of a statement: declarations at top level, attributes in a block.
fn statement_start(block: Option<&str>) -> Vec<CompletionItem> {
    let Some(block) = block else {
        return knowledge::declarations()
            .map(|(k, m)| item(k, CompletionItemKind::KEYWORD, Some(m.to_string())))
            .collect();
    };
    let mut out: Vec<CompletionItem> = knowledge::attributes(block)
        .iter()
        .map(|d| CompletionItem {
            documentation: Some(Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: knowledge::attr_markdown(block, d),
            })),
            ..item(
                d.key,
                CompletionItemKind::PROPERTY,
                Some(knowledge::type_text(d)),
            )
        })
        .collect();
    if block == "function" {
        out.extend(
            schema::BODY_KEYWORDS
                .iter()
                .map(|k| item(k.word, CompletionItemKind::KEYWORD, Some(k.doc.to_string()))),
        );
    }
    out
}

/// After `key =` (or inside its list): enum values and references of the expected kind.
fn values(block: &str, key: &str, index: &Index) -> Vec<CompletionItem> {
    let mut out: Vec<CompletionItem> = knowledge::enum_values(block, key)
        .into_iter()
        .map(|v| {
            let detail = (key == "runtime")
                .then(|| runtimes::lookup(v))
                .flatten()
                .map(|r| format!("{}, deprecation {}", r.family.as_str(), r.deprecated));
            item(v, CompletionItemKind::ENUM_MEMBER, detail)
        })
        .collect();
    out.extend(references(&knowledge::reference_kinds(block, key), index));
    out
}

/// `on KIND |`: the declarations the trigger reads from, or a schedule expression.
fn trigger_source(kind: &str, index: &Index) -> Vec<CompletionItem> {
    match kind {
        "schedule" => [
            "rate(5m)",
            "cron(\"0 3 * * ? *\")",
            "at(\"2030-01-01T00:00:00\")",
        ]
        .iter()
        .map(|s| item(s, CompletionItemKind::SNIPPET, Some("schedule".into())))
        .collect(),
        "http" => vec![item(
            "\"GET /\"",
            CompletionItemKind::SNIPPET,
            Some("method and path".into()),
        )],
        _ => schema::trigger(kind)
            .and_then(|t| t.source)
            .map(|k| references(&[k], index))
            .unwrap_or_default(),
    }
}

/// `kind.name` for every declaration of the given kinds.
fn references(kinds: &[Kind], index: &Index) -> Vec<CompletionItem> {
    kinds
        .iter()
        .flat_map(|k| {
            index.names_of(DeclKind::Res(*k)).into_iter().map(move |n| {
                item(
                    &format!("{}.{n}", k.as_str()),
                    CompletionItemKind::REFERENCE,
                    Some(k.as_str().to_string()),
                )
            })
        })
        .collect()
}

/// After a dot: declaration names after a kind word, attributes (or metrics) after
/// `kind.name.`, parameters after `param.`, statistics after a function metric.
fn dotted(head: &str, ctx: &Context, index: &Index) -> Vec<CompletionItem> {
    let parts: Vec<&str> = head.split('.').collect();
    match parts.as_slice() {
        ["param"] => index
            .names_of(DeclKind::Param)
            .into_iter()
            .map(|n| item(n, CompletionItemKind::VARIABLE, Some("parameter".into())))
            .collect(),
        [kind] if Kind::parse(kind).is_some() => {
            let k = Kind::parse(kind).unwrap_or(Kind::Queue);
            index
                .names_of(DeclKind::Res(k))
                .into_iter()
                .map(|n| item(n, CompletionItemKind::REFERENCE, Some(k.as_str().into())))
                .collect()
        }
        [kind, _] if Kind::parse(kind).is_some() => {
            let k = Kind::parse(kind).unwrap_or(Kind::Queue);
            let in_alarm =
                ctx.segment.trim_start().starts_with("alarm") || ctx.segment.contains("metric");
            if k == Kind::Function && in_alarm {
                return knowledge::function_metrics()
                    .map(|m| item(m, CompletionItemKind::FIELD, Some("function metric".into())))
                    .collect();
            }
            schema::exposes(k)
                .iter()
                .map(|(a, _)| item(a, CompletionItemKind::FIELD, Some("attribute".into())))
                .collect()
        }
        [metric] if knowledge::function_metrics().any(|m| m == *metric) => knowledge::statistics()
            .map(|s| item(s, CompletionItemKind::ENUM_MEMBER, Some("statistic".into())))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::driver::{check_source_with_syntax, CheckOptions};

    fn labels(text: &str) -> Vec<String> {
        let (_, syntax) = check_source_with_syntax(
            "t.lam".into(),
            None,
            text.into(),
            &CheckOptions::default(),
            None,
        );
        let index = Index::build(&syntax);
        items(&context::at(text, text.len()), &index)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn offers_what_the_position_expects() {
        assert!(labels("fun").contains(&"function".to_string()));
        let attrs = labels("function f {\n  mem");
        assert!(attrs.contains(&"memory".to_string()));
        assert!(attrs.contains(&"on".to_string()));
        assert!(!attrs.contains(&"visibility".to_string()));
        assert!(labels("function f {\n  runtime = py").contains(&"python3.12".to_string()));
        assert!(labels("function f {\n  runtime = python3.1").contains(&"python3.12".into()));
        assert!(labels("function f {\n  architecture = ").contains(&"arm64".to_string()));
        let q = "queue orders {}\ntopic t {}\nfunction f {\n  on sqs ";
        assert_eq!(labels(q), vec!["queue.orders".to_string()]);
        assert_eq!(
            labels("queue orders {}\nfunction f {\n  on sqs queue."),
            vec!["orders"]
        );
        assert!(labels("function f {\n  on ").contains(&"schedule".to_string()));
        assert!(labels("queue dlq {}\nqueue q { dead_letter = ").contains(&"queue.dlq".into()));
        assert!(
            labels("bucket b {}\nfunction f {\n  on s3 bucket.b { events = [created, ")
                .contains(&"removed".to_string())
        );
        assert!(labels("function f {\n  alarm duration.").contains(&"p99".to_string()));
        assert!(labels("queue q {}\noutput u = queue.q.").contains(&"url".to_string()));
        assert!(labels("bucket b {}\noutput u = ").contains(&"bucket.b".to_string()));
        assert!(labels("table t {}\nfunction f {\n  env { T = ").contains(&"table.t".into()));
        let types = labels("param subnets: sub");
        assert!(types.contains(&"subnets".to_string()), "{types:?}");
        assert!(types.contains(&"security_groups".to_string()), "{types:?}");
        assert!(labels("param subnets ").is_empty());
    }
}
