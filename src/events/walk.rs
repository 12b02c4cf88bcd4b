//! The structure of a pattern: maps of fields, `$or`, leaves that are lists of values or
//! content filters (EVP-01, EVP-03, EVP-04, EVP-07).

use super::filters;
use super::{Dialect, Key, Node, Problem, Tree};
use crate::schema::patterns::{ENVELOPE_KEYS, OR};

/// A whole pattern (a rule's, or one filter of an event source mapping).
pub(super) fn pattern(t: &Tree, dialect: Dialect, out: &mut Vec<Problem>) {
    let Node::Map(entries) = &t.node else {
        out.push(Problem::NotAPattern { span: t.span });
        return;
    };
    if entries.is_empty() {
        out.push(Problem::Empty { span: t.span });
        return;
    }
    fields(entries, dialect, true, out);
    if dialect == Dialect::Rule && !names_source(entries) {
        out.push(Problem::NoSource { span: t.span });
    }
}

/// Whether every event the pattern matches has its `source` named: at the top, or in each
/// branch of a top-level `$or`.
fn names_source(entries: &[(Key, Tree)]) -> bool {
    entries.iter().any(|(k, v)| {
        k.name == "source"
            || (k.name == OR
                && matches!(&v.node, Node::List(items) if !items.is_empty()
                    && items.iter().all(|b| matches!(&b.node, Node::Map(e) if names_source(e)))))
    })
}

/// The fields of one map; `top` when they are the event's (or the record's) own.
fn fields(entries: &[(Key, Tree)], dialect: Dialect, top: bool, out: &mut Vec<Problem>) {
    for (key, value) in entries {
        if key.name == OR {
            or(key, value, dialect, top, out);
            continue;
        }
        if top && !known_top_key(&key.name, dialect) {
            out.push(match dialect {
                Dialect::Rule => Problem::UnknownEnvelopeKey { key: key.clone() },
                Dialect::Filter(record) => Problem::UnknownRecordKey {
                    key: key.clone(),
                    record,
                },
            });
            continue;
        }
        field(key, value, dialect, out);
    }
}

fn known_top_key(name: &str, dialect: Dialect) -> bool {
    match dialect {
        Dialect::Rule => ENVELOPE_KEYS.contains(&name),
        Dialect::Filter(record) => record.keys().contains(&name),
    }
}

/// `key = { … }` (nested fields) or `key = [ … ]` (what the field may be).
fn field(key: &Key, value: &Tree, dialect: Dialect, out: &mut Vec<Problem>) {
    match &value.node {
        Node::Map(inner) if inner.is_empty() => out.push(Problem::Empty { span: value.span }),
        Node::Map(inner) => fields(inner, dialect, false, out),
        Node::List(items) if items.is_empty() => out.push(Problem::Empty { span: value.span }),
        Node::List(items) => {
            for item in items {
                leaf_item(key, item, dialect, out);
            }
        }
        _ => out.push(Problem::NotAList {
            key: key.name.clone(),
            span: value.span,
        }),
    }
}

/// One item of a field's list: a value to equal, or a content filter.
fn leaf_item(key: &Key, item: &Tree, dialect: Dialect, out: &mut Vec<Problem>) {
    match &item.node {
        Node::Map(entries) => filters::content_filter(item, entries, dialect, out),
        Node::List(_) => out.push(Problem::NestedList {
            key: key.name.clone(),
            span: item.span,
        }),
        Node::Str(_) | Node::Num(_) | Node::Bool(_) | Node::Null | Node::Deploy => {}
    }
}

/// `$or = [{ … }, { … }]`: each branch a pattern's fields of the same level.
fn or(key: &Key, value: &Tree, dialect: Dialect, top: bool, out: &mut Vec<Problem>) {
    if let Dialect::Filter(_) = dialect {
        out.push(Problem::Unsupported {
            op: OR.to_string(),
            span: key.span,
        });
        return;
    }
    let branches = match &value.node {
        Node::List(items) if items.is_empty() => {
            out.push(Problem::Empty { span: value.span });
            return;
        }
        Node::List(items) => items,
        _ => {
            out.push(Problem::OrShape { span: value.span });
            return;
        }
    };
    for branch in branches {
        match &branch.node {
            Node::Map(entries) if !entries.is_empty() => fields(entries, dialect, top, out),
            Node::Map(_) => out.push(Problem::Empty { span: branch.span }),
            _ => out.push(Problem::OrShape { span: branch.span }),
        }
    }
}
