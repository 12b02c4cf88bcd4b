//! What the syntax trees declare and reference, for navigation, and a walk that finds the
//! innermost interesting node at an offset, for hover. Built from the trees the checker
//! parsed (never by parsing again).

use crate::model::Kind;
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    AlarmDecl, AlarmExpr, Block, Body, Entry, EntryValue, Expr, ExprKind, File, FunctionDecl,
    Ident, Item, Member, ParamDecl, Path, StrPart, Trigger,
};

/// What a name declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeclKind {
    Res(Kind),
    Template,
    Let,
    Param,
    Alarm,
    Output,
    App,
}

impl DeclKind {
    pub fn word(self) -> &'static str {
        match self {
            DeclKind::Res(k) => k.as_str(),
            DeclKind::Template => "template",
            DeclKind::Let => "let",
            DeclKind::Param => "param",
            DeclKind::Alarm => "alarm",
            DeclKind::Output => "output",
            DeclKind::App => "app",
        }
    }
}

/// One declaration: `queue orders { … }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decl {
    pub kind: DeclKind,
    pub name: String,
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
}

/// One place a declaration is named: the `queue.orders` of `queue.orders.url`, an
/// `extends` name, a `let` constant, `param.stage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub kind: DeclKind,
    pub name: String,
    pub span: Span,
}

/// The declarations and references of every file of one compilation.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub decls: Vec<Decl>,
    pub refs: Vec<Reference>,
}

impl Index {
    pub fn build(files: &[(FileId, File)]) -> Index {
        let mut index = Index::default();
        for (_, file) in files {
            for item in &file.items {
                index.item(item);
            }
        }
        // A bare name is a `let` reference only when such a constant exists.
        let lets: Vec<String> = index
            .decls
            .iter()
            .filter(|d| d.kind == DeclKind::Let)
            .map(|d| d.name.clone())
            .collect();
        index
            .refs
            .retain(|r| r.kind != DeclKind::Let || lets.contains(&r.name));
        index
    }

    pub fn decl(&self, kind: DeclKind, name: &str) -> Option<&Decl> {
        self.decls.iter().find(|d| d.kind == kind && d.name == name)
    }

    /// Names declared with `kind`, sorted and without duplicates.
    pub fn names_of(&self, kind: DeclKind) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .decls
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The declaration or reference under `offset` of `file`, as (kind, name).
    pub fn target_at(&self, file: FileId, offset: usize) -> Option<(DeclKind, String)> {
        let inside = |s: &Span| s.file == file && s.start <= offset && offset <= s.end;
        if let Some(d) = self.decls.iter().find(|d| inside(&d.name_span)) {
            return Some((d.kind, d.name.clone()));
        }
        self.refs
            .iter()
            .filter(|r| inside(&r.span))
            .min_by_key(|r| r.span.len())
            .map(|r| (r.kind, r.name.clone()))
    }

    fn decl_of(&mut self, kind: DeclKind, name: &Ident, span: Span) {
        self.decls.push(Decl {
            kind,
            name: name.name.clone(),
            name_span: name.span,
            span,
        });
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Use(_) => {}
            Item::Param(p) => self.param(p),
            Item::Let(l) => {
                self.decl_of(DeclKind::Let, &l.name, l.span);
                self.expr(&l.value);
            }
            Item::App(a) => {
                self.decl_of(DeclKind::App, &a.name, a.span);
                self.block(&a.block);
            }
            Item::Defaults(d) => self.body(&d.body),
            Item::Template(f) => self.function(DeclKind::Template, f),
            Item::Function(f) => self.function(DeclKind::Res(Kind::Function), f),
            Item::Resource(r) => {
                if let Some(kind) = Kind::parse(&r.kind.name) {
                    self.decl_of(DeclKind::Res(kind), &r.name, r.span);
                }
                self.block(&r.block);
            }
            Item::Existing(e) => {
                if let Some(kind) = Kind::parse(&e.kind.name) {
                    self.decl_of(DeclKind::Res(kind), &e.name, e.span);
                }
            }
            Item::Alarm(AlarmDecl::Named { name, block, span }) => {
                self.decl_of(DeclKind::Alarm, name, *span);
                self.block(block);
            }
            Item::Alarm(AlarmDecl::Expr(a)) => {
                self.path(&a.metric);
                self.alarm_rest(a);
            }
            Item::Output(o) => {
                self.decl_of(DeclKind::Output, &o.name, o.span);
                self.expr(&o.value);
            }
        }
    }

    fn param(&mut self, p: &ParamDecl) {
        self.decl_of(DeclKind::Param, &p.name, p.span);
        if let Some(d) = &p.default {
            self.expr(d);
        }
        if let Some(b) = &p.block {
            self.block(b);
        }
    }

    /// A function or template (`kind` says which): its name, the templates it extends and
    /// its body.
    fn function(&mut self, kind: DeclKind, f: &FunctionDecl) {
        self.decl_of(kind, &f.name, f.span);
        for t in &f.extends {
            self.refs.push(Reference {
                kind: DeclKind::Template,
                name: t.name.clone(),
                span: t.span,
            });
        }
        self.body(&f.body);
    }

    /// An alarm's threshold, notified topics and block (its metric is the caller's).
    fn alarm_rest(&mut self, a: &AlarmExpr) {
        self.expr(&a.threshold);
        for n in &a.notify {
            self.path(n);
        }
        if let Some(b) = &a.block {
            self.block(b);
        }
    }

    fn body(&mut self, body: &Body) {
        for m in &body.members {
            match m {
                Member::Entry(e) => self.entry(e),
                Member::Trigger(t) => {
                    if let Some(s) = &t.source {
                        self.expr(s);
                    }
                    if let Some(v) = &t.via {
                        self.path(v);
                    }
                    if let Some(b) = &t.block {
                        self.block(b);
                    }
                }
                Member::Alarm(a) => {
                    // A function's own alarm names its metric (`errors`), not a declaration.
                    if a.metric.segments.len() > 2 {
                        self.path(&a.metric);
                    }
                    self.alarm_rest(a);
                }
                Member::Allow(a) => {
                    self.expr(&a.actions);
                    self.expr(&a.target);
                }
            }
        }
    }

    fn block(&mut self, b: &Block) {
        for e in &b.entries {
            self.entry(e);
        }
    }

    fn entry(&mut self, e: &Entry) {
        match &e.value {
            EntryValue::Expr(x) => self.expr(x),
            EntryValue::Block(b) => self.block(b),
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Str(s) => {
                for p in &s.parts {
                    if let StrPart::Interp(x) = p {
                        self.expr(x);
                    }
                }
            }
            ExprKind::List(xs) => xs.iter().for_each(|x| self.expr(x)),
            ExprKind::Map(ms) => ms.iter().for_each(|m| self.expr(&m.value)),
            ExprKind::Range { at: Some(x), .. } => self.expr(x),
            ExprKind::Call { args, .. } => args.iter().for_each(|x| self.expr(x)),
            ExprKind::Path(p) => self.path(p),
            _ => {}
        }
    }

    fn path(&mut self, p: &Path) {
        let segs = &p.segments;
        let Some(first) = segs.first() else { return };
        match (Kind::parse(&first.name), segs.get(1)) {
            (Some(kind), Some(name)) => self.refs.push(Reference {
                kind: DeclKind::Res(kind),
                name: name.name.clone(),
                span: first.span.to(name.span),
            }),
            (None, Some(name)) if first.name == "param" => self.refs.push(Reference {
                kind: DeclKind::Param,
                name: name.name.clone(),
                span: first.span.to(name.span),
            }),
            (None, None) => self.refs.push(Reference {
                kind: DeclKind::Let,
                name: first.name.clone(),
                span: first.span,
            }),
            _ => {}
        }
    }
}

/// The innermost node of interest for hover at an offset.
pub enum Hit<'a> {
    /// An attribute key, `memory` of `memory = 512MB`.
    Key(&'a Ident),
    /// The value of a `runtime = …` entry.
    Runtime(&'a Expr),
    /// An `on schedule …` trigger whose source is under the offset.
    Schedule(&'a Trigger, &'a Expr),
    /// The kind word of a trigger (`sqs` of `on sqs queue.x`).
    TriggerKind(&'a Ident),
}

/// Find the [`Hit`] under `offset` in `file`.
pub fn hit_at(file: &File, offset: usize) -> Option<Hit<'_>> {
    let item = file.items.iter().find(|i| inside(i.span(), offset))?;
    let mut found = None;
    match item {
        Item::Template(f) | Item::Function(f) => body_hit(&f.body, offset, &mut found),
        Item::Defaults(d) => body_hit(&d.body, offset, &mut found),
        Item::Resource(r) => block_hit(&r.block, offset, &mut found),
        Item::App(a) => block_hit(&a.block, offset, &mut found),
        Item::Param(p) => {
            if let Some(b) = &p.block {
                block_hit(b, offset, &mut found)
            }
        }
        Item::Alarm(AlarmDecl::Named { block, .. }) => block_hit(block, offset, &mut found),
        Item::Alarm(AlarmDecl::Expr(a)) => {
            if let Some(b) = &a.block {
                block_hit(b, offset, &mut found)
            }
        }
        _ => {}
    }
    found
}

fn inside(s: Span, offset: usize) -> bool {
    s.start <= offset && offset <= s.end
}

fn body_hit<'a>(body: &'a Body, offset: usize, found: &mut Option<Hit<'a>>) {
    for m in &body.members {
        match m {
            Member::Entry(e) => entry_hit(e, offset, found),
            Member::Trigger(t) if inside(t.span, offset) => {
                if inside(t.kind.span, offset) {
                    *found = Some(Hit::TriggerKind(&t.kind));
                } else if let Some(src) = t.source.as_ref().filter(|s| inside(s.span, offset)) {
                    if t.kind.name == "schedule" {
                        *found = Some(Hit::Schedule(t, src));
                    }
                } else if let Some(b) = &t.block {
                    block_hit(b, offset, found);
                }
            }
            Member::Alarm(a) => {
                if let Some(b) = &a.block {
                    block_hit(b, offset, found);
                }
            }
            _ => {}
        }
    }
}

fn block_hit<'a>(b: &'a Block, offset: usize, found: &mut Option<Hit<'a>>) {
    for e in &b.entries {
        entry_hit(e, offset, found);
    }
}

fn entry_hit<'a>(e: &'a Entry, offset: usize, found: &mut Option<Hit<'a>>) {
    if !inside(e.span, offset) {
        return;
    }
    if inside(e.key.span, offset) {
        *found = Some(Hit::Key(&e.key));
        return;
    }
    match &e.value {
        EntryValue::Expr(x) if e.key.name == "runtime" && inside(x.span, offset) => {
            *found = Some(Hit::Runtime(x));
        }
        EntryValue::Block(b) => block_hit(b, offset, found),
        EntryValue::Expr(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::driver::{check_source_with_syntax, CheckOptions};

    fn index(text: &str) -> Index {
        let (_, syntax) = check_source_with_syntax(
            "t.lam".into(),
            None,
            text.into(),
            &CheckOptions::default(),
            None,
        );
        Index::build(&syntax)
    }

    #[test]
    fn declarations_and_references() {
        let text = "let size = 512MB\nqueue q {}\ntemplate t { memory = size }\n\
                    function f extends t {\n  env { U = queue.q.url, S = \"${param.p}\" }\n  on sqs queue.q\n}\n\
                    param p: string\n";
        let ix = index(text);
        assert!(ix.decl(DeclKind::Res(Kind::Queue), "q").is_some());
        assert!(ix.decl(DeclKind::Res(Kind::Function), "f").is_some());
        let count = |k, n: &str| {
            ix.refs
                .iter()
                .filter(|r| r.kind == k && r.name == n)
                .count()
        };
        assert_eq!(count(DeclKind::Res(Kind::Queue), "q"), 2);
        assert_eq!(count(DeclKind::Template, "t"), 1);
        assert_eq!(count(DeclKind::Let, "size"), 1);
        assert_eq!(count(DeclKind::Param, "p"), 1);
        let at = text.find("queue.q.url").unwrap_or_default() + 7;
        assert_eq!(
            ix.target_at(FileId(0), at),
            Some((DeclKind::Res(Kind::Queue), "q".to_string()))
        );
    }

    #[test]
    fn a_bus_after_on_event_leads_to_its_declaration() {
        let text = "bus orders {}
function f {
  on event bus.orders { pattern = { source = [\"shop\"] } }
}
";
        let ix = index(text);
        assert!(ix.decl(DeclKind::Res(Kind::Bus), "orders").is_some());
        let at = text.find("bus.orders").unwrap_or_default() + 5;
        assert_eq!(
            ix.target_at(FileId(0), at),
            Some((DeclKind::Res(Kind::Bus), "orders".to_string()))
        );
    }

    #[test]
    fn existing_resources_of_other_services_are_declarations() {
        let text =
            "secret db from \"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf\"\n\
                    key k from \"arn:aws:kms:us-east-1:123456789012:key/1234abcd\"\n\
                    function f {\n  env { S = secret.db.arn }\n  allow \"kms:Decrypt\" on key.k\n\
                    allow \"secretsmanager:GetSecretValue\" on \"${secret.db.arn}\"\n}\n";
        let ix = index(text);
        assert!(ix.decl(DeclKind::Res(Kind::Secret), "db").is_some());
        assert!(ix.decl(DeclKind::Res(Kind::Key), "k").is_some());
        let at = text.find("on key.k").unwrap_or_default() + 4;
        assert_eq!(
            ix.target_at(FileId(0), at),
            Some((DeclKind::Res(Kind::Key), "k".to_string()))
        );
        let refs = ix
            .refs
            .iter()
            .filter(|r| r.kind == DeclKind::Res(Kind::Secret))
            .count();
        assert_eq!(refs, 2, "in env and inside the ARN string");
    }

    #[test]
    fn an_msk_cluster_and_its_sign_in_secret_are_references() {
        let text = "cluster events from \"arn:aws:kafka:us-east-1:123456789012:cluster/events/abc-1\"\n\
                    secret login from \"arn:aws:secretsmanager:us-east-1:123456789012:secret:l-AbCdEf\"\n\
                    function f {\n  on kafka cluster.events { topic = \"t\", auth = secret.login }\n}\n";
        let ix = index(text);
        assert!(ix.decl(DeclKind::Res(Kind::Cluster), "events").is_some());
        let at = text.find("cluster.events").unwrap_or_default() + 2;
        assert_eq!(
            ix.target_at(FileId(0), at),
            Some((DeclKind::Res(Kind::Cluster), "events".to_string()))
        );
        let at = text.find("secret.login").unwrap_or_default() + 2;
        assert_eq!(
            ix.target_at(FileId(0), at),
            Some((DeclKind::Res(Kind::Secret), "login".to_string()))
        );
    }
}
