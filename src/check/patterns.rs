//! Event patterns and event filters as written, for [`crate::events`] to validate: each
//! part keeps its span, `let`s are read through, and values known only when deploying
//! (`aws.account_id`, parameters, `"${…}"`) are strings of unknown text. Nothing here
//! reports: the value itself is lowered (and its own mistakes reported) by `map_value`.

use crate::events::{Key, Node, Problem, Tree};
use crate::syntax::ast::{Block, EntryValue, Expr, ExprKind, Ident};

use super::attrs::{Field, Val};
use super::cx::Cx;

impl<'a> Cx<'a> {
    /// The tree of `key = { … }` or `key { … }`.
    pub(super) fn pattern_tree(&self, f: Field<'a>) -> Tree {
        match f.val {
            Val::Expr(e) => self.expr_tree(e),
            Val::Block(b) => self.block_tree(b),
        }
    }

    fn block_tree(&self, b: &'a Block) -> Tree {
        let entries = b.entries.iter().map(|e| {
            let value = match &e.value {
                EntryValue::Expr(x) => self.expr_tree(x),
                EntryValue::Block(inner) => self.block_tree(inner),
            };
            (key(&e.key), value)
        });
        Tree {
            node: Node::Map(entries.collect()),
            span: b.span,
        }
    }

    pub(super) fn expr_tree(&self, e: &'a Expr) -> Tree {
        let span = e.span;
        let Some(e) = self.subst_symbol(e) else {
            return Tree {
                node: Node::Deploy,
                span,
            };
        };
        let node = match &e.kind {
            ExprKind::Map(entries) => Node::Map(
                entries
                    .iter()
                    .map(|m| (key(&m.key), self.expr_tree(&m.value)))
                    .collect(),
            ),
            ExprKind::List(items) => Node::List(items.iter().map(|i| self.expr_tree(i)).collect()),
            ExprKind::Str(s) => s.as_plain().map_or(Node::Deploy, Node::Str),
            ExprKind::Number(n) => Node::Num(n.to_string()),
            ExprKind::Bool(b) => Node::Bool(*b),
            // References and what the value's own lowering refuses.
            _ => Node::Deploy,
        };
        Tree { node, span: e.span }
    }

    /// Reports each problem; whether one of them is an error.
    pub(super) fn report_patterns(&mut self, problems: Vec<Problem>) -> bool {
        let mut error = false;
        for p in problems {
            error |= p.is_error();
            self.report(p.diagnostic());
        }
        error
    }
}

fn key(k: &Ident) -> Key {
    Key {
        name: k.name.clone(),
        span: k.span,
    }
}
