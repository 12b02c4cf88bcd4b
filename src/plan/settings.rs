//! Attributes the schema lowers by their type alone ([`crate::schema::Attr::cfn`]) → the
//! CloudFormation properties at their paths, merged into maps the hand-written lowering
//! already started (`LoggingConfig` holds `LogGroup` before `LogFormat` joins it).

use std::collections::BTreeMap;

use super::ctx::Ctx;
use super::tree::{Node, Props};
use crate::model::{Setting, S};
use crate::schema::Block;

/// Write each of `block`'s attributes found in `settings` at its path, in schema order.
pub fn write(cx: &Ctx, props: &mut Props, block: &Block, settings: &BTreeMap<&str, S<Setting>>) {
    for attr in block.attrs {
        if let (Some(path), Some(v)) = (attr.cfn, settings.get(attr.key)) {
            put_at(props, path, node(cx, &v.value));
        }
    }
}

/// The value in CloudFormation's spelling: a word as the schema spells it for
/// CloudFormation, numbers already in its unit.
fn node(cx: &Ctx, v: &Setting) -> Node {
    match v {
        Setting::Word(w) => Node::str(w.cfn),
        Setting::Number(n) => Node::int(*n),
        Setting::Bool(b) => Node::Bool(*b),
        Setting::Text(t) => cx.text(t),
    }
}

pub(super) fn put_at(props: &mut Props, path: &[&'static str], value: Node) {
    match path {
        [] => {}
        [key] => props.put(*key, value),
        [key, rest @ ..] => {
            let entries = match props.get_mut(key) {
                Some(Node::Map(entries)) => std::mem::take(entries),
                _ => Vec::new(),
            };
            let mut inner = Props(entries);
            put_at(&mut inner, rest, value);
            props.put(*key, inner.node());
        }
    }
}

/// Put `props` in `order` (a resource type's properties as lamc always wrote them, so
/// that templates keep their bytes); keys not in it follow, in the order they were put.
pub fn order(props: &mut Props, order: &[&str]) {
    props
        .0
        .sort_by_key(|(k, _)| order.iter().position(|o| o == k).unwrap_or(order.len()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_merges_into_an_existing_map() {
        let mut p = Props::new().set(
            "LoggingConfig",
            Props::new().set("LogGroup", Node::str("g")).node(),
        );
        put_at(&mut p, &["LoggingConfig", "LogFormat"], Node::str("JSON"));
        put_at(
            &mut p,
            &["SnapStart", "ApplyOn"],
            Node::str("PublishedVersions"),
        );
        let expected = Props::new()
            .set(
                "LoggingConfig",
                Props::new()
                    .set("LogGroup", Node::str("g"))
                    .set("LogFormat", Node::str("JSON"))
                    .node(),
            )
            .set(
                "SnapStart",
                Props::new()
                    .set("ApplyOn", Node::str("PublishedVersions"))
                    .node(),
            );
        assert_eq!(p, expected);
    }

    #[test]
    fn order_puts_known_keys_first_and_keeps_the_rest() {
        let mut p = Props::new()
            .set("Z", Node::int(1))
            .set("B", Node::int(2))
            .set("Y", Node::int(3))
            .set("A", Node::int(4));
        order(&mut p, &["A", "B"]);
        let keys: Vec<&str> = p.0.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["A", "B", "Z", "Y"]);
    }
}
