//! Program equality with positions ignored: what the formatter must preserve.

use crate::source::Span;
use crate::syntax::ast::*;

/// Whether two files hold the same declarations, spans aside (comments are compared
/// separately, with [`comment_texts`]).
pub fn same_tree(a: &File, b: &File) -> bool {
    let mut a = a.items.clone();
    let mut b = b.items.clone();
    a.iter_mut().for_each(strip_item);
    b.iter_mut().for_each(strip_item);
    a == b
}

/// The text of every comment, in order, without trailing whitespace (the formatter
/// removes trailing whitespace from every line, comments included).
pub fn comment_texts<'t>(text: &'t str, comments: &[Span]) -> Vec<&'t str> {
    comments
        .iter()
        .map(|c| text.get(c.start..c.end).unwrap_or("").trim_end())
        .collect()
}

/// Set every span in the item to the default span.
pub fn strip_item(item: &mut Item) {
    match item {
        Item::Use(u) => use_decl(u),
        Item::Param(p) => param(p),
        Item::Let(l) => {
            l.span = Span::default();
            ident(&mut l.name);
            expr(&mut l.value);
        }
        Item::App(a) => {
            a.span = Span::default();
            ident(&mut a.name);
            block(&mut a.block);
        }
        Item::Defaults(d) => {
            d.span = Span::default();
            d.keyword = Span::default();
            body(&mut d.body);
        }
        Item::Template(f) | Item::Function(f) => {
            f.span = Span::default();
            ident(&mut f.name);
            f.extends.iter_mut().for_each(ident);
            body(&mut f.body);
        }
        Item::Resource(r) => {
            r.span = Span::default();
            ident(&mut r.kind);
            ident(&mut r.name);
            block(&mut r.block);
        }
        Item::Existing(e) => {
            e.span = Span::default();
            ident(&mut e.kind);
            ident(&mut e.name);
            expr(&mut e.arn);
        }
        Item::Alarm(AlarmDecl::Named {
            name,
            block: b,
            span,
        }) => {
            *span = Span::default();
            ident(name);
            block(b);
        }
        Item::Alarm(AlarmDecl::Expr(a)) => alarm(a),
        Item::Output(o) => {
            o.span = Span::default();
            ident(&mut o.name);
            expr(&mut o.value);
        }
    }
}

fn use_decl(u: &mut UseDecl) {
    u.span = Span::default();
    match &mut u.target {
        UseTarget::Std(i) => ident(i),
        UseTarget::File(s) => s.span = Span::default(),
    }
}

fn param(p: &mut ParamDecl) {
    p.span = Span::default();
    ident(&mut p.name);
    p.ty.span = Span::default();
    if let Some(d) = &mut p.default {
        expr(d);
    }
    if let Some(b) = &mut p.block {
        block(b);
    }
}

fn ident(i: &mut Ident) {
    i.span = Span::default();
}

fn path(p: &mut Path) {
    p.span = Span::default();
    p.segments.iter_mut().for_each(ident);
}

fn body(b: &mut Body) {
    b.span = Span::default();
    for m in &mut b.members {
        match m {
            Member::Entry(e) => entry(e),
            Member::Trigger(t) => {
                t.span = Span::default();
                ident(&mut t.kind);
                if let Some(s) = &mut t.source {
                    expr(s);
                }
                if let Some(v) = &mut t.via {
                    path(v);
                }
                if let Some(b) = &mut t.block {
                    block(b);
                }
            }
            Member::Alarm(a) => alarm(a),
            Member::Allow(a) => {
                a.span = Span::default();
                expr(&mut a.actions);
                expr(&mut a.target);
            }
        }
    }
}

fn block(b: &mut Block) {
    b.span = Span::default();
    b.entries.iter_mut().for_each(entry);
}

fn entry(e: &mut Entry) {
    e.span = Span::default();
    ident(&mut e.key);
    match &mut e.value {
        EntryValue::Expr(x) => expr(x),
        EntryValue::Block(b) => block(b),
    }
}

fn alarm(a: &mut AlarmExpr) {
    a.span = Span::default();
    path(&mut a.metric);
    a.op.span = Span::default();
    expr(&mut a.threshold);
    if let Some(o) = &mut a.over {
        expr(o);
    }
    if let Some(n) = &mut a.for_n {
        n.span = Span::default();
    }
    if let Some(m) = &mut a.of_m {
        m.span = Span::default();
    }
    a.notify.iter_mut().for_each(path);
    if let Some(b) = &mut a.block {
        block(b);
    }
}

fn expr(e: &mut Expr) {
    e.span = Span::default();
    match &mut e.kind {
        ExprKind::Str(s) => {
            for p in &mut s.parts {
                if let StrPart::Interp(x) = p {
                    expr(x);
                }
            }
        }
        ExprKind::Number(_) | ExprKind::Quantity(_) | ExprKind::Bool(_) => {}
        ExprKind::List(items) => items.iter_mut().for_each(expr),
        ExprKind::Map(entries) => {
            for m in entries {
                ident(&mut m.key);
                expr(&mut m.value);
            }
        }
        ExprKind::Range { lo, hi, at } => {
            lo.span = Span::default();
            hi.span = Span::default();
            if let Some(a) = at {
                expr(a);
            }
        }
        ExprKind::Call { name, args } => {
            ident(name);
            args.iter_mut().for_each(expr);
        }
        ExprKind::Path(p) => path(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::syntax::parse;

    #[test]
    fn layout_does_not_matter_but_content_does() {
        let (a, _) = parse(FileId(0), "queue q { retention = 14d }\n");
        let (b, _) = parse(FileId(0), "queue   q {\n  retention = 14d\n}\n");
        let (c, _) = parse(FileId(0), "queue q { retention = 15d }\n");
        assert!(same_tree(&a, &b));
        assert!(!same_tree(&a, &c));
    }
}
