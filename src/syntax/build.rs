//! pest pairs → AST declarations, blocks and bodies. Expressions and literals are in
//! `expr.rs`. Every node gets the byte span of its text in the whole file.

use super::ast::*;
use super::Rule;
use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::iterators::{Pair, Pairs};

pub struct Builder<'a, 'd> {
    pub(super) file: FileId,
    /// The whole file's text.
    pub(super) text: &'a str,
    /// Offset of the parsed slice in the file (pest spans are relative to it).
    pub(super) base: usize,
    pub(super) diags: &'d mut Vec<Diagnostic>,
    /// `(start, end)` of every comment in the file, in order.
    pub(super) comments: &'a [(usize, usize)],
}

/// Children of a pair, without punctuation that carries no content.
pub(super) fn content(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner().filter(|p| {
        !matches!(
            p.as_rule(),
            Rule::eq
                | Rule::colon
                | Rule::lbrace
                | Rule::rbrace
                | Rule::lbracket
                | Rule::rbracket
                | Rule::lparen
                | Rule::rparen
                | Rule::dotdot
                | Rule::interp_end
        )
    })
}

/// `items` collected into a vector with room for `upper` (their number when none is
/// dropped for an error), shrunk only when some were. The tree lives through checking,
/// and a vector grown by pushing starts with room for four: most paths have two
/// segments, most strings one part, most calls one argument.
pub(super) fn exact<T>(upper: usize, items: impl Iterator<Item = T>) -> Vec<T> {
    let mut v = Vec::with_capacity(upper);
    v.extend(items);
    v.shrink_to_fit();
    v
}

/// How many children of `pair` [`content`] yields that `keep` keeps.
pub(super) fn count(pair: &Pair<'_, Rule>, keep: impl Fn(Rule) -> bool) -> usize {
    content(pair.clone()).filter(|p| keep(p.as_rule())).count()
}

/// What the separator check calls the things it separates.
#[derive(Clone, Copy)]
enum Members {
    Attributes,
    MapEntries,
}

impl<'a, 'd> Builder<'a, 'd> {
    pub fn new(
        file: FileId,
        text: &'a str,
        base: usize,
        comments: &'a [(usize, usize)],
        diags: &'d mut Vec<Diagnostic>,
    ) -> Self {
        Builder {
            file,
            text,
            base,
            diags,
            comments,
        }
    }

    /// The span of a pair. pest includes the whitespace and comments it skipped before a
    /// trailing optional part that turned out absent (`on x y` then a newline); those are
    /// trimmed so that every span ends at the node's last character.
    pub(super) fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        let start = self.base + s.start();
        let end = self.trim_end(start, self.base + s.end());
        Span::new(self.file, start, end)
    }

    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        let bytes = self.text.as_bytes();
        // Fast path: a node that ends on a visible character before the end of the file
        // cannot end with a comment (a comment is always followed by a newline or the end).
        if end < bytes.len()
            && bytes
                .get(end.wrapping_sub(1))
                .is_some_and(|b| !b.is_ascii_whitespace())
        {
            return end;
        }
        loop {
            while end > start && bytes.get(end - 1).is_some_and(|b| b.is_ascii_whitespace()) {
                end -= 1;
            }
            match self.comments.binary_search_by_key(&end, |c| c.1) {
                Ok(i) if self.comments[i].0 >= start && self.comments[i].0 < end => {
                    end = self.comments[i].0;
                }
                _ => return end,
            }
        }
    }

    pub(super) fn ident(&self, pair: &Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    /// A structural surprise (a grammar/builder mismatch). Reported rather than panicking.
    pub(super) fn internal(&mut self, span: Span, what: &str) {
        self.diags.push(
            Diagnostic::new(Code::E0001, span, format!("could not read {what}"))
                .label("here")
                .help("this is a bug in lamc's parser; please report it with this input"),
        );
    }

    pub fn item(&mut self, pair: Pair<'_, Rule>) -> Option<Item> {
        let span = self.span(&pair);
        Some(match pair.as_rule() {
            Rule::use_decl => Item::Use(self.use_decl(pair, span)?),
            Rule::param_decl => Item::Param(Box::new(self.param_decl(pair, span)?)),
            Rule::let_decl => Item::Let(self.let_decl(pair, span)?),
            Rule::app_decl => Item::App(self.app_decl(pair, span)?),
            Rule::defaults_decl => Item::Defaults(self.defaults_decl(pair, span)?),
            Rule::template_decl => Item::Template(self.function_decl(pair, span)?),
            Rule::function_decl => Item::Function(self.function_decl(pair, span)?),
            Rule::resource_decl => self.resource_decl(pair, span)?,
            Rule::alarm_decl => Item::Alarm(self.alarm_decl(pair, span)?),
            Rule::output_decl => Item::Output(self.output_decl(pair, span)?),
            _ => {
                self.internal(span, "this declaration");
                return None;
            }
        })
    }

    fn let_decl(&mut self, pair: Pair<'_, Rule>, span: Span) -> Option<LetDecl> {
        let mut it = content(pair).skip(1);
        let name = self.ident(&it.next()?);
        let value = self.expr(it.next()?)?;
        Some(LetDecl { name, value, span })
    }

    fn app_decl(&mut self, pair: Pair<'_, Rule>, span: Span) -> Option<AppDecl> {
        let mut it = content(pair).skip(1);
        let name = self.ident(&it.next()?);
        let block = self.block(it.next()?);
        Some(AppDecl { name, block, span })
    }

    fn defaults_decl(&mut self, pair: Pair<'_, Rule>, span: Span) -> Option<DefaultsDecl> {
        let mut it = content(pair);
        let keyword = self.span(&it.next()?);
        let body = self.body(it.next()?);
        Some(DefaultsDecl {
            keyword,
            body,
            span,
        })
    }

    /// A resource created here (a block), or an existing one (`from "arn…"`).
    fn resource_decl(&mut self, pair: Pair<'_, Rule>, span: Span) -> Option<Item> {
        let mut it = content(pair);
        let kind = self.ident(&it.next()?);
        let name = self.ident(&it.next()?);
        let rest = it.next()?;
        if rest.as_rule() == Rule::existing_arn {
            let s = rest.into_inner().nth(1)?;
            let arn = self.expr(s)?;
            Some(Item::Existing(Box::new(ExistingDecl {
                kind,
                name,
                arn,
                span,
            })))
        } else {
            let block = self.block(rest);
            Some(Item::Resource(ResourceDecl {
                kind,
                name,
                block,
                span,
            }))
        }
    }

    /// A named alarm with a block, or a one-line alarm expression.
    fn alarm_decl(&mut self, pair: Pair<'_, Rule>, span: Span) -> Option<AlarmDecl> {
        let inner = content(pair).nth(1)?;
        if inner.as_rule() == Rule::alarm_named {
            let mut it = content(inner);
            let name = self.ident(&it.next()?);
            let block = self.block(it.next()?);
            Some(AlarmDecl::Named { name, block, span })
        } else {
            Some(AlarmDecl::Expr(Box::new(self.alarm_expr(inner, span)?)))
        }
    }

    fn output_decl(&mut self, pair: Pair<'_, Rule>, span: Span) -> Option<OutputDecl> {
        let mut it = content(pair).skip(1);
        let name = self.ident(&it.next()?);
        let value = self.expr(it.next()?)?;
        Some(OutputDecl { name, value, span })
    }

    fn use_decl(&mut self, pair: Pair<'_, Rule>, span: Span) -> Option<UseDecl> {
        let target = content(pair).nth(1)?;
        let target = if target.as_rule() == Rule::std_module {
            let module = target.into_inner().next()?;
            UseTarget::Std(self.ident(&module))
        } else {
            UseTarget::File(self.plain_string(target, "a `use` path")?)
        };
        Some(UseDecl { target, span })
    }

    fn param_decl(&mut self, pair: Pair<'_, Rule>, span: Span) -> Option<ParamDecl> {
        let mut it = content(pair).skip(1);
        let name = self.ident(&it.next()?);
        let ty_pair = it.next()?;
        let ty = Spanned {
            node: ty_pair.as_str().to_string(),
            span: self.span(&ty_pair),
        };
        let mut default = None;
        let mut block = None;
        for p in it {
            if p.as_rule() == Rule::block {
                block = Some(self.block(p));
            } else {
                default = self.expr(p);
            }
        }
        Some(ParamDecl {
            name,
            ty,
            default,
            block,
            span,
        })
    }

    fn function_decl(&mut self, pair: Pair<'_, Rule>, span: Span) -> Option<FunctionDecl> {
        let mut it = content(pair).skip(1);
        let name = self.ident(&it.next()?);
        let mut extends = Vec::new();
        let mut body = None;
        for p in it {
            match p.as_rule() {
                Rule::extends => {
                    let n = count(&p, |r| r == Rule::name);
                    let names = content(p).filter(|q| q.as_rule() == Rule::name);
                    extends = exact(n, names.map(|q| self.ident(&q)));
                }
                _ => body = Some(self.body(p)),
            }
        }
        Some(FunctionDecl {
            name,
            extends,
            body: body?,
            span,
        })
    }

    /// Report two members on one line with no `,` between them.
    fn check_separators<'i>(&mut self, children: Pairs<'i, Rule>, what: Members) {
        let mut prev_end: Option<usize> = None;
        let mut had_comma = false;
        for p in children {
            match p.as_rule() {
                Rule::comma => had_comma = true,
                Rule::lbrace | Rule::rbrace => {}
                _ => {
                    let span = self.span(&p);
                    if let Some(end) = prev_end {
                        let gap = self.text.get(end..span.start).unwrap_or("");
                        if !had_comma && !crate::source::has_line_end(gap) {
                            self.missing_separator(end, &p, what);
                        }
                    }
                    prev_end = Some(span.end);
                    had_comma = false;
                }
            }
        }
    }

    fn missing_separator(&mut self, prev_end: usize, next: &Pair<'_, Rule>, what: Members) {
        let first = next
            .clone()
            .into_inner()
            .next()
            .unwrap_or_else(|| next.clone());
        if let Some(d) = self.broken_clause(next, first.as_str()) {
            self.diags.push(d);
            return;
        }
        let at = self.span(&first);
        let (between, one) = match what {
            Members::Attributes => ("attributes", "attribute"),
            Members::MapEntries => ("map entries", "entry"),
        };
        let insert = Span::new(self.file, prev_end, prev_end);
        self.diags.push(
            Diagnostic::new(
                Code::E0001,
                at,
                format!(
                    "expected a newline or `,` between {between}, found `{}`",
                    first.as_str()
                ),
            )
            .label(format!(
                "this {one} starts on the same line as the previous one"
            ))
            .help(format!(
                "put each {one} on its own line, or separate them with `,`"
            ))
            .fix("insert `,`", insert, ","),
        );
    }

    /// `on http "GET /" via { … }`: the `via` clause is broken, so the trigger ended before
    /// it and `via { … }` read as a new attribute. Say what the clause needed instead.
    fn broken_clause(&self, next: &Pair<'_, Rule>, word: &str) -> Option<Diagnostic> {
        let needs = match word {
            "via" | "notify" => "a reference such as `api.web` or `topic.oncall`",
            "over" => "a period such as `5m`",
            "for" | "of" => "a whole number",
            "at" => "a percent such as `70%`",
            _ => return None,
        };
        if next.as_rule() != Rule::entry {
            return None;
        }
        let after = content(next.clone()).nth(1)?;
        let full = self.span(&after);
        let (span, found) = if after.as_rule() == Rule::block {
            (
                Span::new(self.file, full.start, full.start + 1),
                "`{`".to_string(),
            )
        } else {
            (full, format!("`{}`", after.as_str()))
        };
        Some(
            Diagnostic::new(
                Code::E0001,
                span,
                format!("expected {needs} after `{word}`, found {found}"),
            )
            .label(format!("`{word}` needs {needs} here"))
            .help(format!("write {needs} right after `{word}`")),
        )
    }

    pub(super) fn block(&mut self, pair: Pair<'_, Rule>) -> Block {
        let span = self.span(&pair);
        self.check_separators(pair.clone().into_inner(), Members::Attributes);
        let n = count(&pair, |r| r == Rule::entry);
        let entries = content(pair).filter(|p| p.as_rule() == Rule::entry);
        let entries = exact(n, entries.filter_map(|p| self.entry(p)));
        Block { entries, span }
    }

    fn entry(&mut self, pair: Pair<'_, Rule>) -> Option<Entry> {
        let span = self.span(&pair);
        let mut it = content(pair);
        let key = self.key(it.next()?)?;
        let v = it.next()?;
        let value = if v.as_rule() == Rule::block {
            EntryValue::Block(self.block(v))
        } else {
            EntryValue::Expr(self.expr(v)?)
        };
        Some(Entry { key, value, span })
    }

    /// A name, or a string literal used as a name (`"cost-center" = "42"`).
    pub(super) fn key(&mut self, pair: Pair<'_, Rule>) -> Option<Ident> {
        let inner = pair.into_inner().next()?;
        if inner.as_rule() == Rule::name {
            return Some(self.ident(&inner));
        }
        let s = self.plain_string(inner, "a key")?;
        Some(Ident {
            name: s.node,
            span: s.span,
        })
    }

    fn body(&mut self, pair: Pair<'_, Rule>) -> Body {
        let span = self.span(&pair);
        self.check_separators(pair.clone().into_inner(), Members::Attributes);
        let mut members = Vec::with_capacity(count(&pair, |_| true));
        for p in content(pair) {
            let m = match p.as_rule() {
                Rule::entry => self.entry(p).map(Member::Entry),
                Rule::trigger => self.trigger(p).map(|t| Member::Trigger(Box::new(t))),
                Rule::allow => self.allow(p).map(|a| Member::Allow(Box::new(a))),
                Rule::alarm_member => {
                    let span = self.span(&p);
                    content(p)
                        .nth(1)
                        .and_then(|e| self.alarm_expr(e, span))
                        .map(|a| Member::Alarm(Box::new(a)))
                }
                _ => None,
            };
            members.extend(m);
        }
        // The tree lives through checking: keep no spare capacity (room was made for every
        // child; a member with an error is left out).
        members.shrink_to_fit();
        Body { members, span }
    }

    fn trigger(&mut self, pair: Pair<'_, Rule>) -> Option<Trigger> {
        let span = self.span(&pair);
        let mut it = content(pair).skip(1).peekable();
        let kind = self.ident(&it.next()?);
        let mut trigger = Trigger {
            kind,
            source: None,
            via: None,
            block: None,
            span,
        };
        while let Some(p) = it.next() {
            match p.as_rule() {
                Rule::trigger_source => {
                    trigger.source = p.into_inner().next().and_then(|e| self.expr(e));
                }
                Rule::kw_via => trigger.via = it.next().map(|q| self.path(q)),
                Rule::block => trigger.block = Some(self.block(p)),
                _ => {}
            }
        }
        Some(trigger)
    }

    fn allow(&mut self, pair: Pair<'_, Rule>) -> Option<Allow> {
        let span = self.span(&pair);
        let mut it = content(pair).skip(1);
        let actions = self.expr(it.next()?)?;
        let target = self.expr(it.nth(1)?)?;
        Some(Allow {
            actions,
            target,
            span,
        })
    }

    /// `METRIC OP THRESHOLD [over P] [for N [of M]] [notify …] [{ … }]`; `span` covers the
    /// whole alarm, `alarm` keyword included.
    pub(super) fn alarm_expr(&mut self, pair: Pair<'_, Rule>, span: Span) -> Option<AlarmExpr> {
        let mut it = content(pair).peekable();
        let metric = self.path(it.next()?);
        let op_pair = it.next()?;
        let op = Spanned {
            node: match op_pair.as_str() {
                ">=" => CmpOp::Ge,
                "<=" => CmpOp::Le,
                "<" => CmpOp::Lt,
                _ => CmpOp::Gt,
            },
            span: self.span(&op_pair),
        };
        let threshold = self.expr(it.next()?)?;
        let mut alarm = AlarmExpr {
            metric,
            op,
            threshold,
            over: None,
            for_n: None,
            of_m: None,
            notify: Vec::new(),
            block: None,
            span,
        };
        while let Some(p) = it.next() {
            match p.as_rule() {
                Rule::kw_over => alarm.over = it.next().and_then(|e| self.expr(e)),
                Rule::kw_for => alarm.for_n = it.next().and_then(|n| self.whole(n)),
                Rule::kw_of => alarm.of_m = it.next().and_then(|n| self.whole(n)),
                Rule::notify => {
                    let n = count(&p, |r| r == Rule::path);
                    let paths = content(p).filter(|q| q.as_rule() == Rule::path);
                    alarm.notify = exact(n, paths.map(|q| self.path(q)));
                }
                Rule::block => alarm.block = Some(self.block(p)),
                _ => {}
            }
        }
        Some(alarm)
    }

    pub(super) fn map(&mut self, pair: Pair<'_, Rule>) -> Vec<MapEntry> {
        self.check_separators(pair.clone().into_inner(), Members::MapEntries);
        let mut entries = Vec::with_capacity(count(&pair, |_| true));
        for p in content(pair) {
            let mut it = content(p);
            let (Some(k), Some(v)) = (it.next(), it.next()) else {
                continue;
            };
            if let (Some(key), Some(value)) = (self.key(k), self.expr(v)) {
                entries.push(MapEntry { key, value });
            }
        }
        entries.shrink_to_fit();
        entries
    }
}
