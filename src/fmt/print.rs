//! The syntax tree (plus the source text and its comments) → a layout [`Doc`].
//!
//! Literals are copied from the source byte for byte (strings, raw strings, numbers and
//! quantities as written); everything between them is re-laid out. Comments are placed
//! by position: a comment on the same line as the token before it stays at the end of
//! that line; any other comment stays on its own line before the next token.

use super::doc::{group, text, Doc, INDENT, WIDTH};
use crate::source::Span;
use crate::syntax::ast::*;

/// At most this many entries keep a block on one line (`{ a = 1, b = 2, c = 3 }`).
pub const INLINE_MAX_ENTRIES: usize = 3;
/// An inline block holds at most one level of nested braces (`{ filter = { k = [..] } }`).
pub const INLINE_MAX_DEPTH: usize = 2;

pub struct Printer<'a> {
    text: &'a str,
    comments: &'a [Span],
    /// The next comment not yet placed.
    next: usize,
    /// End of the last token or comment placed (a source offset).
    last_end: usize,
    /// Nothing placed yet since the last opening bracket (no blank line goes there).
    fresh: bool,
    /// Columns of indentation of the lines being built (used to predict widths).
    indent: usize,
}

/// One member of a block, body or map, whatever its kind.
#[derive(Clone, Copy)]
enum Slot<'t> {
    Entry(&'t Entry),
    MapEntry(&'t MapEntry),
    Trigger(&'t Trigger),
    Alarm(&'t AlarmExpr),
    Allow(&'t Allow),
}

impl Slot<'_> {
    fn start(&self) -> usize {
        match self {
            Slot::Entry(e) => e.span.start,
            Slot::MapEntry(e) => e.key.span.start,
            Slot::Trigger(t) => t.span.start,
            Slot::Alarm(a) => a.span.start,
            Slot::Allow(a) => a.span.start,
        }
    }

    /// How deeply braces nest inside this member.
    fn depth(&self) -> usize {
        match self {
            Slot::Entry(e) => match &e.value {
                EntryValue::Expr(x) => expr_depth(x),
                EntryValue::Block(b) => block_depth(b),
            },
            Slot::MapEntry(e) => expr_depth(&e.value),
            Slot::Trigger(t) => t.block.as_ref().map_or(0, block_depth),
            Slot::Alarm(a) => a.block.as_ref().map_or(0, block_depth),
            Slot::Allow(_) => 0,
        }
    }
}

fn block_depth(b: &Block) -> usize {
    1 + b
        .entries
        .iter()
        .map(|e| Slot::Entry(e).depth())
        .max()
        .unwrap_or(0)
}

fn expr_depth(e: &Expr) -> usize {
    match &e.kind {
        ExprKind::Map(entries) => {
            1 + entries
                .iter()
                .map(|m| expr_depth(&m.value))
                .max()
                .unwrap_or(0)
        }
        ExprKind::List(items) | ExprKind::Call { args: items, .. } => {
            items.iter().map(expr_depth).max().unwrap_or(0)
        }
        ExprKind::Range { at: Some(a), .. } => expr_depth(a),
        _ => 0,
    }
}

/// Whether the text has a line holding only whitespace between two line ends.
fn has_blank_line(gap: &str) -> bool {
    let mut parts = crate::source::split_lines(gap);
    parts.next();
    let rest: Vec<&str> = parts.collect();
    // The last piece is the start of the line the next token is on, not a whole line.
    rest.len() >= 2
        && rest[..rest.len() - 1]
            .iter()
            .any(|l| l.trim_matches([' ', '\t']).is_empty())
}

/// The pieces of one member, built before the block decides on alignment.
struct Built {
    /// Own-line comments (and blank lines) before the member.
    leading: Vec<Doc>,
    /// A blank line separates this member from the one before.
    blank_before: bool,
    /// `key`, for `key = value` members (alignment pads after it).
    key: Option<(Doc, usize)>,
    /// Everything after the key (` = value`), or the whole member.
    rest: Doc,
    /// Comments at the end of the member's line.
    trailing: Vec<Doc>,
    /// A `key = value` member that is predicted to print on one line.
    alignable: bool,
}

/// Where a block's `{` … `}` sits and how it may be laid out.
struct Frame {
    open: usize,
    close: usize,
    /// Never on one line (function bodies, `defaults`, `app`).
    always_broken: bool,
}

impl<'a> Printer<'a> {
    pub fn new(text: &'a str, comments: &'a [Span]) -> Self {
        Printer {
            text,
            comments,
            next: 0,
            last_end: 0,
            fresh: true,
            indent: 0,
        }
    }

    fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    fn gap(&self, from: usize, to: usize) -> &'a str {
        if from >= to {
            return "";
        }
        self.text.get(from..to).unwrap_or("")
    }

    fn comment_doc(&self, c: Span, own_line: bool) -> Doc {
        Doc::Comment {
            text: self.slice(c).trim_end().to_string(),
            own_line,
        }
    }

    /// Place every comment that starts before `pos`. `blanks`: keep a blank line before an
    /// own-line comment (between members only).
    fn comments_before(&mut self, pos: usize, blanks: bool, out: &mut Vec<Doc>) {
        while let Some(&c) = self.comments.get(self.next) {
            if c.start >= pos {
                break;
            }
            let gap = self.gap(self.last_end, c.start);
            let trailing = self.last_end > 0 && !crate::source::has_line_end(gap);
            if !trailing && blanks && !self.fresh && has_blank_line(gap) {
                out.push(Doc::Blank);
            }
            out.push(self.comment_doc(c, !trailing));
            self.last_end = c.end;
            self.next += 1;
            self.fresh = false;
        }
    }

    /// Place the comments that end the current source line, up to `limit` (the next
    /// token that must not be passed).
    fn trailing_comments(&mut self, limit: usize, out: &mut Vec<Doc>) {
        while let Some(&c) = self.comments.get(self.next) {
            if c.start >= limit || crate::source::has_line_end(self.gap(self.last_end, c.start)) {
                break;
            }
            out.push(self.comment_doc(c, false));
            self.last_end = c.end;
            self.next += 1;
        }
    }

    /// A token copied from the source: comments before it are placed first; comments
    /// inside it (in a string's `${…}`) are part of it.
    fn token(&mut self, span: Span, out: &mut Vec<Doc>) {
        self.comments_before(span.start, false, out);
        out.push(text(self.slice(span)));
        while self
            .comments
            .get(self.next)
            .is_some_and(|c| c.start < span.end)
        {
            self.next += 1;
        }
        self.last_end = self.last_end.max(span.end);
        self.fresh = false;
    }

    // ---- declarations ----------------------------------------------------------------

    /// Own-line comments before the next item, each with whether a blank line precedes
    /// it; then whether a blank line precedes the item itself.
    pub fn leading_top(&mut self, pos: usize) -> (Vec<(Doc, bool)>, bool) {
        let mut out = Vec::new();
        while let Some(&c) = self.comments.get(self.next) {
            if c.start >= pos {
                break;
            }
            let blank = has_blank_line(self.gap(self.last_end, c.start));
            out.push((self.comment_doc(c, true), blank));
            self.last_end = c.end;
            self.next += 1;
        }
        let blank = has_blank_line(self.gap(self.last_end, pos));
        (out, blank)
    }

    /// One declaration, with the comments that end its last line (up to `limit`).
    pub fn item(&mut self, item: &Item, limit: usize) -> Doc {
        self.fresh = true;
        self.indent = 0;
        let mut out = Vec::new();
        if !self.block_item(item, &mut out) {
            self.line_item(item, &mut out);
        }
        self.trailing_comments(limit, &mut out);
        Doc::Concat(out)
    }

    /// A declaration with a block (`app`, `defaults`, functions and templates, resources,
    /// named alarms), into `out`; `false` for any other item.
    fn block_item(&mut self, item: &Item, out: &mut Vec<Doc>) -> bool {
        match item {
            Item::App(a) => {
                out.push(text("app "));
                self.token(a.name.span, out);
                out.push(text(" "));
                out.push(self.block(&a.block, true));
            }
            Item::Defaults(d) => {
                self.comments_before(d.keyword.start, false, out);
                out.push(text("defaults "));
                out.push(self.body(&d.body));
            }
            Item::Template(f) | Item::Function(f) => {
                let kw = if matches!(item, Item::Template(_)) {
                    "template "
                } else {
                    "function "
                };
                out.push(text(kw));
                self.token(f.name.span, out);
                for (i, t) in f.extends.iter().enumerate() {
                    out.push(text(if i == 0 { " extends " } else { ", " }));
                    self.token(t.span, out);
                }
                out.push(text(" "));
                out.push(self.body(&f.body));
            }
            Item::Resource(r) => {
                self.token(r.kind.span, out);
                out.push(text(" "));
                self.token(r.name.span, out);
                out.push(text(" "));
                out.push(self.block(&r.block, false));
            }
            Item::Alarm(AlarmDecl::Named { name, block, .. }) => {
                out.push(text("alarm "));
                self.token(name.span, out);
                out.push(text(" "));
                out.push(self.block(block, false));
            }
            _ => return false,
        }
        true
    }

    /// A declaration written on one line (`use`, `param`, `let`, `from "arn…"`, an alarm
    /// expression, `output`), into `out`.
    fn line_item(&mut self, item: &Item, out: &mut Vec<Doc>) {
        match item {
            Item::Use(u) => {
                out.push(text("use "));
                match &u.target {
                    UseTarget::Std(m) => {
                        out.push(text("std."));
                        self.token(m.span, out);
                    }
                    UseTarget::File(f) => self.token(f.span, out),
                }
            }
            Item::Param(p) => {
                out.push(text("param "));
                self.token(p.name.span, out);
                out.push(text(": "));
                self.token(p.ty.span, out);
                if let Some(d) = &p.default {
                    out.push(text(" = "));
                    out.push(self.expr(d));
                }
                if let Some(b) = &p.block {
                    out.push(text(" "));
                    out.push(self.block(b, false));
                }
            }
            Item::Let(l) => {
                out.push(text("let "));
                self.token(l.name.span, out);
                out.push(text(" = "));
                out.push(self.expr(&l.value));
            }
            Item::Existing(e) => {
                self.token(e.kind.span, out);
                out.push(text(" "));
                self.token(e.name.span, out);
                out.push(text(" from "));
                self.token(e.arn.span, out);
            }
            Item::Alarm(AlarmDecl::Expr(a)) => {
                out.push(text("alarm "));
                out.push(self.alarm_expr(a));
            }
            Item::Output(o) => {
                out.push(text("output "));
                self.token(o.name.span, out);
                out.push(text(" = "));
                out.push(self.expr(&o.value));
            }
            // Printed by `block_item`; listed so that a new kind of item is a compile
            // error here until it is printed somewhere.
            Item::App(_)
            | Item::Defaults(_)
            | Item::Template(_)
            | Item::Function(_)
            | Item::Resource(_)
            | Item::Alarm(AlarmDecl::Named { .. }) => {}
        }
    }

    /// Comments after the last declaration: each with whether a blank line precedes it.
    pub fn rest(&mut self) -> Vec<(Doc, bool)> {
        self.leading_top(self.text.len().saturating_add(1)).0
    }

    // ---- blocks and bodies -------------------------------------------------------------

    fn body(&mut self, body: &Body) -> Doc {
        let slots: Vec<Slot<'_>> = body
            .members
            .iter()
            .map(|m| match m {
                Member::Entry(e) => Slot::Entry(e),
                Member::Trigger(t) => Slot::Trigger(t),
                Member::Alarm(a) => Slot::Alarm(a),
                Member::Allow(a) => Slot::Allow(a),
            })
            .collect();
        let frame = Frame {
            open: body.span.start,
            close: body.span.end.saturating_sub(1),
            always_broken: true,
        };
        self.container(&frame, &slots)
    }

    fn block(&mut self, block: &Block, always_broken: bool) -> Doc {
        let slots: Vec<Slot<'_>> = block.entries.iter().map(Slot::Entry).collect();
        let frame = Frame {
            open: block.span.start,
            close: block.span.end.saturating_sub(1),
            always_broken,
        };
        self.container(&frame, &slots)
    }

    fn map(&mut self, span: Span, entries: &[MapEntry]) -> Doc {
        let slots: Vec<Slot<'_>> = entries.iter().map(Slot::MapEntry).collect();
        let frame = Frame {
            open: span.start,
            close: span.end.saturating_sub(1),
            always_broken: false,
        };
        self.container(&frame, &slots)
    }

    /// `{ a = 1, b = 2 }` when it fits the inline form, else one member per line with the
    /// `=` of consecutive one-line `key = value` members aligned.
    fn container(&mut self, frame: &Frame, slots: &[Slot<'_>]) -> Doc {
        let head = self.open_brace(frame, slots);
        let (built, dangling) = self.members(frame, slots);
        if built.is_empty() && dangling.is_empty() && !head.iter().any(Doc::is_hard) {
            return Doc::Concat(vec![Doc::Concat(head), text("}")]);
        }
        let depth = 1 + slots.iter().map(Slot::depth).max().unwrap_or(0);
        let inline_allowed = !frame.always_broken
            && slots.len() <= INLINE_MAX_ENTRIES
            && depth <= INLINE_MAX_DEPTH
            && !slots.is_empty();
        let pads = self.alignment(&built);
        let mut inner = member_lines(built, pads);
        inner.extend(dangling);
        let mut docs = head;
        if !inline_allowed {
            docs.push(Doc::BreakParent);
        }
        docs.push(Doc::Indent(inner));
        docs.push(Doc::Line);
        docs.push(text("}"));
        group(docs)
    }

    /// The comments before `{`, the brace, and the comments after it on its line.
    fn open_brace(&mut self, frame: &Frame, slots: &[Slot<'_>]) -> Vec<Doc> {
        let mut head = Vec::new();
        self.comments_before(frame.open, false, &mut head);
        head.push(text("{"));
        self.last_end = self.last_end.max(frame.open + 1);
        self.fresh = true;
        let first = slots.first().map_or(frame.close, Slot::start);
        self.trailing_comments(first, &mut head);
        head
    }

    /// Each member one indent in, and the comments left before `}`; leaves the printer
    /// past the closing brace.
    fn members(&mut self, frame: &Frame, slots: &[Slot<'_>]) -> (Vec<Built>, Vec<Doc>) {
        self.indent += INDENT;
        let mut built = Vec::with_capacity(slots.len());
        for (i, slot) in slots.iter().enumerate() {
            let limit = slots.get(i + 1).map_or(frame.close, Slot::start);
            built.push(self.slot(*slot, limit));
        }
        let mut dangling = Vec::new();
        self.comments_before(frame.close, true, &mut dangling);
        self.indent -= INDENT;
        self.last_end = self.last_end.max(frame.close + 1);
        self.fresh = false;
        (built, dangling)
    }

    /// Spaces to add after each member's key so that the `=` of a run of one-line
    /// `key = value` members line up. A blank line or any other member ends a run.
    fn alignment(&self, built: &[Built]) -> Vec<usize> {
        let mut pads = vec![0; built.len()];
        let mut i = 0;
        while i < built.len() {
            if !built[i].alignable {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < built.len() && built[j].alignable && !built[j].blank_before {
                j += 1;
            }
            let widest = built[i..j]
                .iter()
                .filter_map(|b| b.key.as_ref().map(|k| k.1))
                .max()
                .unwrap_or(0);
            for k in i..j {
                let w = built[k].key.as_ref().map_or(widest, |k| k.1);
                pads[k] = widest - w;
            }
            i = j;
        }
        pads
    }

    /// One member: its own-line comments, its key and the rest, its trailing comments.
    fn slot(&mut self, slot: Slot<'_>, limit: usize) -> Built {
        let (leading, blank_before) = self.leading(slot.start());
        let (key, rest, alignable) = self.member(slot);
        let mut trailing = Vec::new();
        self.trailing_comments(limit, &mut trailing);
        Built {
            leading,
            blank_before,
            key,
            rest,
            trailing,
            alignable,
        }
    }

    /// The own-line comments before a member starting at `start`, and whether a blank
    /// line comes before them (or before the member when there are none).
    fn leading(&mut self, start: usize) -> (Vec<Doc>, bool) {
        let mut leading = Vec::new();
        let blank_gap = |p: &Self| !p.fresh && has_blank_line(p.gap(p.last_end, start));
        // A blank line before the member's first own-line comment, or before the member.
        let first_comment_blank = self
            .comments
            .get(self.next)
            .filter(|c| c.start < start)
            .map(|c| !self.fresh && has_blank_line(self.gap(self.last_end, c.start)));
        let blank_before = match first_comment_blank {
            Some(b) => b,
            None => blank_gap(self),
        };
        // The first comment's blank line is `blank_before`; later ones keep their own.
        self.fresh = true;
        self.comments_before(start, true, &mut leading);
        if !leading.is_empty() && blank_gap(self) {
            leading.push(Doc::Blank);
        }
        self.fresh = false;
        (leading, blank_before)
    }

    /// A member's key with its width (for `key = value` members), the rest, and whether
    /// it is a one-line `key = value` that aligns with its neighbours.
    fn member(&mut self, slot: Slot<'_>) -> (Option<(Doc, usize)>, Doc, bool) {
        match slot {
            Slot::Entry(e) => {
                let (k, width) = self.key(e.key.span);
                match &e.value {
                    EntryValue::Expr(x) => {
                        let v = self.expr(x);
                        let alignable = self.one_line(width, &v);
                        (
                            Some((k, width)),
                            Doc::Concat(vec![text(" = "), v]),
                            alignable,
                        )
                    }
                    EntryValue::Block(b) => {
                        let rest = Doc::Concat(vec![text(" "), self.block(b, false)]);
                        (Some((k, width)), rest, false)
                    }
                }
            }
            Slot::MapEntry(e) => {
                let (k, width) = self.key(e.key.span);
                let v = self.expr(&e.value);
                let alignable = self.one_line(width, &v);
                (
                    Some((k, width)),
                    Doc::Concat(vec![text(" = "), v]),
                    alignable,
                )
            }
            Slot::Trigger(t) => (None, self.trigger(t), false),
            Slot::Alarm(a) => (
                None,
                Doc::Concat(vec![text("alarm "), self.alarm_expr(a)]),
                false,
            ),
            Slot::Allow(a) => {
                let mut d = vec![text("allow ")];
                d.push(self.expr(&a.actions));
                d.push(text(" on "));
                d.push(self.expr(&a.target));
                (None, Doc::Concat(d), false)
            }
        }
    }

    /// A member's key and its width in characters.
    fn key(&mut self, span: Span) -> (Doc, usize) {
        let mut k = Vec::new();
        self.token(span, &mut k);
        let width = self.slice(span).chars().count();
        (Doc::Concat(k), width)
    }

    /// Whether `key = value` is predicted to print on one line at the current indent.
    fn one_line(&self, key_width: usize, value: &Doc) -> bool {
        value
            .first_line_width()
            .is_some_and(|w| self.indent + key_width + 3 + w <= WIDTH)
    }

    fn trigger(&mut self, t: &Trigger) -> Doc {
        let mut d = vec![text("on ")];
        self.token(t.kind.span, &mut d);
        if let Some(s) = &t.source {
            d.push(text(" "));
            d.push(self.expr(s));
        }
        if let Some(v) = &t.via {
            d.push(text(" via "));
            self.path(v, &mut d);
        }
        if let Some(b) = &t.block {
            d.push(text(" "));
            d.push(self.block(b, false));
        }
        Doc::Concat(d)
    }

    fn alarm_expr(&mut self, a: &AlarmExpr) -> Doc {
        let mut d = Vec::new();
        self.path(&a.metric, &mut d);
        d.push(text(" "));
        self.token(a.op.span, &mut d);
        d.push(text(" "));
        d.push(self.expr(&a.threshold));
        if let Some(o) = &a.over {
            d.push(text(" over "));
            d.push(self.expr(o));
        }
        if let Some(n) = &a.for_n {
            d.push(text(" for "));
            self.token(n.span, &mut d);
        }
        if let Some(m) = &a.of_m {
            d.push(text(" of "));
            self.token(m.span, &mut d);
        }
        for (i, p) in a.notify.iter().enumerate() {
            d.push(text(if i == 0 { " notify " } else { ", " }));
            self.path(p, &mut d);
        }
        if let Some(b) = &a.block {
            d.push(text(" "));
            d.push(self.block(b, false));
        }
        Doc::Concat(d)
    }

    // ---- expressions -------------------------------------------------------------------

    fn path(&mut self, p: &Path, out: &mut Vec<Doc>) {
        self.token(p.span, out);
    }

    fn expr(&mut self, e: &Expr) -> Doc {
        let mut out = Vec::new();
        match &e.kind {
            ExprKind::Str(_)
            | ExprKind::Number(_)
            | ExprKind::Quantity(_)
            | ExprKind::Bool(_)
            | ExprKind::Path(_) => self.token(e.span, &mut out),
            ExprKind::List(items) => {
                return self.sequence("[", "]", e.span, items);
            }
            ExprKind::Map(entries) => return self.map(e.span, entries),
            ExprKind::Range { lo, hi, at } => {
                self.token(lo.span, &mut out);
                out.push(text(".."));
                self.token(hi.span, &mut out);
                if let Some(a) = at {
                    out.push(text(" at "));
                    out.push(self.expr(a));
                }
            }
            ExprKind::Call { name, args } => {
                self.token(name.span, &mut out);
                // `(` may follow the name after spaces (`rate (5m)`).
                let paren = self
                    .gap(name.span.end, e.span.end)
                    .find('(')
                    .map_or(name.span.end, |n| name.span.end + n);
                let open = Span::new(e.span.file, paren, e.span.end);
                out.push(self.sequence("(", ")", open, args));
            }
        }
        Doc::Concat(out)
    }

    /// `[a, b]` / `(a, b)`, or one item per line with a trailing comma when it does not
    /// fit or holds a comment. `span` runs from the opener to the closer.
    fn sequence(&mut self, open: &str, close: &str, span: Span, items: &[Expr]) -> Doc {
        let mut head = Vec::new();
        self.comments_before(span.start, false, &mut head);
        head.push(text(open));
        let close_at = span.end.saturating_sub(1);
        self.last_end = self.last_end.max(span.start + 1);
        self.fresh = true;
        let first = items.first().map_or(close_at, |i| i.span.start);
        self.trailing_comments(first, &mut head);

        self.indent += INDENT;
        let mut inner = vec![Doc::SoftLine];
        for (i, item) in items.iter().enumerate() {
            inner.push(self.expr(item));
            let last = i + 1 == items.len();
            inner.push(if last {
                Doc::IfBreak {
                    broken: ",".into(),
                    flat: String::new(),
                }
            } else {
                text(",")
            });
            let limit = items.get(i + 1).map_or(close_at, |n| n.span.start);
            self.trailing_comments(limit, &mut inner);
            if !last {
                inner.push(Doc::Line);
            }
        }
        let mut dangling = Vec::new();
        self.comments_before(close_at, false, &mut dangling);
        self.indent -= INDENT;
        self.last_end = self.last_end.max(span.end);
        self.fresh = false;
        if items.is_empty() && dangling.is_empty() && !head.iter().any(Doc::is_hard) {
            return Doc::Concat(vec![Doc::Concat(head), text(close)]);
        }
        inner.extend(dangling);
        let mut docs = head;
        docs.push(Doc::Indent(inner));
        docs.push(Doc::SoftLine);
        docs.push(text(close));
        group(docs)
    }
}

/// The members one per line (or comma-separated when the group fits), each key padded by
/// its `pads` entry when the group breaks.
fn member_lines(built: Vec<Built>, pads: Vec<usize>) -> Vec<Doc> {
    let mut inner = vec![Doc::Line];
    let count = built.len();
    for (i, (b, pad)) in built.into_iter().zip(pads).enumerate() {
        if b.blank_before {
            inner.push(Doc::Blank);
        }
        inner.extend(b.leading);
        if let Some((key, _)) = b.key {
            inner.push(key);
            if pad > 0 {
                inner.push(Doc::IfBreak {
                    broken: " ".repeat(pad),
                    flat: String::new(),
                });
            }
        }
        inner.push(b.rest);
        if i + 1 < count {
            inner.push(Doc::IfBreak {
                broken: String::new(),
                flat: ",".into(),
            });
        }
        inner.extend(b.trailing);
        if i + 1 < count {
            inner.push(Doc::Line);
        }
    }
    inner
}

#[cfg(test)]
mod tests {
    use super::has_blank_line;

    #[test]
    fn blank_lines_are_whole_empty_lines() {
        assert!(has_blank_line("\n\n  "));
        assert!(has_blank_line("x\n  \n  "));
        assert!(!has_blank_line("\n  "));
        assert!(!has_blank_line("  "));
        assert!(!has_blank_line("\n# c\n"));
    }
}
