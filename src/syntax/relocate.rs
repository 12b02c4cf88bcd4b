//! Moving a parsed declaration to another place: every span in it shifted by the same
//! number of bytes (and into another file). The incremental parser reuses a declaration
//! parsed in an earlier version of a document at its new offset.

use crate::source::{FileId, Span};

use super::ast::*;

/// Where spans go: into `file`, `delta` bytes later (or earlier, when negative).
#[derive(Debug, Clone, Copy)]
pub struct Shift {
    pub file: FileId,
    pub delta: isize,
}

impl Shift {
    fn span(self, span: &mut Span) {
        span.file = self.file;
        span.start = span.start.wrapping_add_signed(self.delta);
        span.end = span.end.wrapping_add_signed(self.delta);
    }
}

/// Every syntax node: shift each span it holds.
pub trait Relocate {
    fn relocate(&mut self, to: Shift);
}

impl Relocate for Span {
    fn relocate(&mut self, to: Shift) {
        to.span(self);
    }
}

impl<T: Relocate> Relocate for Vec<T> {
    fn relocate(&mut self, to: Shift) {
        self.iter_mut().for_each(|x| x.relocate(to));
    }
}

impl<T: Relocate> Relocate for Option<T> {
    fn relocate(&mut self, to: Shift) {
        if let Some(x) = self {
            x.relocate(to);
        }
    }
}

impl<T: Relocate> Relocate for Box<T> {
    fn relocate(&mut self, to: Shift) {
        (**self).relocate(to);
    }
}

impl Relocate for Ident {
    fn relocate(&mut self, to: Shift) {
        to.span(&mut self.span);
    }
}

impl<T> Relocate for Spanned<T> {
    fn relocate(&mut self, to: Shift) {
        to.span(&mut self.span);
    }
}

impl Relocate for Item {
    fn relocate(&mut self, to: Shift) {
        match self {
            Item::Use(d) => {
                match &mut d.target {
                    UseTarget::Std(name) => name.relocate(to),
                    UseTarget::File(path) => path.relocate(to),
                }
                d.span.relocate(to);
            }
            Item::Param(d) => {
                d.name.relocate(to);
                d.ty.relocate(to);
                d.default.relocate(to);
                d.block.relocate(to);
                d.span.relocate(to);
            }
            Item::Let(d) => {
                d.name.relocate(to);
                d.value.relocate(to);
                d.span.relocate(to);
            }
            Item::App(d) => {
                d.name.relocate(to);
                d.block.relocate(to);
                d.span.relocate(to);
            }
            Item::Defaults(d) => {
                d.keyword.relocate(to);
                d.body.relocate(to);
                d.span.relocate(to);
            }
            Item::Template(d) | Item::Function(d) => {
                d.name.relocate(to);
                d.extends.relocate(to);
                d.body.relocate(to);
                d.span.relocate(to);
            }
            Item::Resource(d) => {
                d.kind.relocate(to);
                d.name.relocate(to);
                d.block.relocate(to);
                d.span.relocate(to);
            }
            Item::Existing(d) => {
                d.kind.relocate(to);
                d.name.relocate(to);
                d.arn.relocate(to);
                d.span.relocate(to);
            }
            Item::Alarm(AlarmDecl::Named { name, block, span }) => {
                name.relocate(to);
                block.relocate(to);
                span.relocate(to);
            }
            Item::Alarm(AlarmDecl::Expr(e)) => e.relocate(to),
            Item::Output(d) => {
                d.name.relocate(to);
                d.value.relocate(to);
                d.span.relocate(to);
            }
        }
    }
}

impl Relocate for Body {
    fn relocate(&mut self, to: Shift) {
        self.members.relocate(to);
        self.span.relocate(to);
    }
}

impl Relocate for Member {
    fn relocate(&mut self, to: Shift) {
        match self {
            Member::Entry(e) => e.relocate(to),
            Member::Trigger(t) => {
                t.kind.relocate(to);
                t.source.relocate(to);
                t.via.relocate(to);
                t.block.relocate(to);
                t.span.relocate(to);
            }
            Member::Alarm(a) => a.relocate(to),
            Member::Allow(a) => {
                a.actions.relocate(to);
                a.target.relocate(to);
                a.span.relocate(to);
            }
        }
    }
}

impl Relocate for Block {
    fn relocate(&mut self, to: Shift) {
        self.entries.relocate(to);
        self.span.relocate(to);
    }
}

impl Relocate for Entry {
    fn relocate(&mut self, to: Shift) {
        self.key.relocate(to);
        match &mut self.value {
            EntryValue::Expr(e) => e.relocate(to),
            EntryValue::Block(b) => b.relocate(to),
        }
        self.span.relocate(to);
    }
}

impl Relocate for AlarmExpr {
    fn relocate(&mut self, to: Shift) {
        self.metric.relocate(to);
        self.op.relocate(to);
        self.threshold.relocate(to);
        self.over.relocate(to);
        self.for_n.relocate(to);
        self.of_m.relocate(to);
        self.notify.relocate(to);
        self.block.relocate(to);
        self.span.relocate(to);
    }
}

impl Relocate for Path {
    fn relocate(&mut self, to: Shift) {
        self.segments.relocate(to);
        self.span.relocate(to);
    }
}

impl Relocate for Expr {
    fn relocate(&mut self, to: Shift) {
        match &mut self.kind {
            ExprKind::Str(s) => {
                for part in &mut s.parts {
                    if let StrPart::Interp(e) = part {
                        e.relocate(to);
                    }
                }
            }
            ExprKind::Number(_) | ExprKind::Quantity(_) | ExprKind::Bool(_) => {}
            ExprKind::List(items) => items.relocate(to),
            ExprKind::Map(entries) => {
                for e in entries {
                    e.key.relocate(to);
                    e.value.relocate(to);
                }
            }
            ExprKind::Range { lo, hi, at } => {
                lo.relocate(to);
                hi.relocate(to);
                at.relocate(to);
            }
            ExprKind::Call { name, args } => {
                name.relocate(to);
                args.relocate(to);
            }
            ExprKind::Path(p) => p.relocate(to),
        }
        self.span.relocate(to);
    }
}
