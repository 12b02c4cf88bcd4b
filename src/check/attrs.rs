//! Attribute blocks: which keys a block allows (E0103, with "did you mean"), each key set
//! once (E0104), and whether a key takes a value or a nested block.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::schema::Attr;
use crate::source::Span;
use crate::spelling;
use crate::syntax::ast::{Block, Entry, EntryValue, Expr, ExprKind, Ident};

use super::cx::Cx;
use super::values::describe;

/// What a key was given: `key = expr` or `key { … }`.
#[derive(Clone, Copy)]
pub enum Val<'a> {
    Expr(&'a Expr),
    Block(&'a Block),
}

impl Val<'_> {
    pub fn span(&self) -> Span {
        match self {
            Val::Expr(e) => e.span,
            Val::Block(b) => b.span,
        }
    }
}

#[derive(Clone, Copy)]
pub struct Field<'a> {
    pub key: &'a Ident,
    pub val: Val<'a>,
}

impl<'a> From<&'a Entry> for Field<'a> {
    fn from(e: &'a Entry) -> Self {
        Field {
            key: &e.key,
            val: match &e.value {
                EntryValue::Expr(x) => Val::Expr(x),
                EntryValue::Block(b) => Val::Block(b),
            },
        }
    }
}

/// The checked attributes of one block, by key; keys kept in source order too.
#[derive(Default)]
pub struct Fields<'a> {
    by_key: BTreeMap<&'a str, Field<'a>>,
    pub order: Vec<Field<'a>>,
    /// Allowed keys that a misspelt key was taken for (E0103 with "did you mean"): the
    /// author wrote them, so they are not reported missing as well.
    guessed: BTreeSet<String>,
}

impl<'a> Fields<'a> {
    pub fn get(&self, key: &str) -> Option<Field<'a>> {
        self.by_key.get(key).copied()
    }

    pub fn has(&self, key: &str) -> bool {
        self.by_key.contains_key(key)
    }

    /// Whether the author wrote `key`, correctly or misspelt (see `guessed`). A required
    /// key that was written is never reported missing: its misspelling already was.
    pub fn written(&self, key: &str) -> bool {
        self.has(key) || self.guessed.contains(key)
    }

    /// Every key written, correctly or misspelt.
    pub fn written_keys(&self) -> impl Iterator<Item = &str> {
        self.by_key
            .keys()
            .copied()
            .chain(self.guessed.iter().map(String::as_str))
    }
}

impl<'a> Cx<'a> {
    /// Check keys against `allowed` (`None`: any key, as in `env`) and for duplicates.
    /// `owner` names the block in messages ("a function", "the sqs trigger").
    pub fn fields(
        &mut self,
        items: impl IntoIterator<Item = Field<'a>>,
        allowed: Option<&[Attr]>,
        owner: &str,
    ) -> Fields<'a> {
        let mut out = Fields::default();
        for f in items {
            let key = f.key.name.as_str();
            if let Some(allowed) = allowed {
                if !allowed.iter().any(|a| a.key == key) {
                    let (d, meant) = unknown_attribute(f, allowed, owner);
                    out.guessed.extend(meant);
                    self.report(d);
                    continue;
                }
            }
            if let Some(prev) = out.by_key.get(key) {
                let duplicate = DuplicateAttribute {
                    key,
                    span: f.key.span,
                    first: prev.key.span,
                };
                self.report(duplicate.diagnostic());
                continue;
            }
            out.by_key.insert(key, f);
            out.order.push(f);
        }
        out
    }

    pub fn block_fields(
        &mut self,
        b: &'a Block,
        allowed: Option<&[Attr]>,
        owner: &str,
    ) -> Fields<'a> {
        self.fields(b.entries.iter().map(Field::from), allowed, owner)
    }

    /// The fields of a nested block written `key { … }` or `key = { … }`.
    pub fn nested(
        &mut self,
        f: Field<'a>,
        allowed: Option<&[Attr]>,
        owner: &str,
    ) -> Option<Fields<'a>> {
        match f.val {
            Val::Block(b) => Some(self.block_fields(b, allowed, owner)),
            Val::Expr(e) => {
                let e = self.subst(e)?;
                match &e.kind {
                    ExprKind::Map(entries) => Some(self.fields(
                        entries.iter().map(|m| Field {
                            key: &m.key,
                            val: Val::Expr(&m.value),
                        }),
                        allowed,
                        owner,
                    )),
                    _ => {
                        self.report(
                            Diagnostic::new(
                                Code::E0301,
                                e.span,
                                format!("`{}` takes a block", f.key.name),
                            )
                            .label(format!("this is {}", describe(e)))
                            .help(format!("write `{} {{ … }}`", f.key.name)),
                        );
                        None
                    }
                }
            }
        }
    }

    /// The expression of a key that takes a value (not a nested block).
    pub fn expr_of(&mut self, f: Field<'a>) -> Option<&'a Expr> {
        match f.val {
            Val::Expr(e) => Some(e),
            Val::Block(b) => {
                self.report(
                    Diagnostic::new(
                        Code::E0301,
                        b.span,
                        format!("`{}` takes a value, not a block", f.key.name),
                    )
                    .label("unexpected block")
                    .help(format!("write `{} = …`", f.key.name)),
                );
                None
            }
        }
    }

    /// `fields.get(key)` as an expression.
    pub fn get_expr(&mut self, fields: &Fields<'a>, key: &str) -> Option<&'a Expr> {
        let f = fields.get(key)?;
        self.expr_of(f)
    }
}

/// E0103 for `f`, whose key is not one of `allowed`, and the allowed key it was taken for
/// (another tool's name for it, another case of it, or a near spelling).
fn unknown_attribute(f: Field, allowed: &[Attr], owner: &str) -> (Diagnostic, Option<String>) {
    let allowed: Vec<&'static str> = allowed.iter().map(|a| a.key).collect();
    let hint = hint_for(f, &allowed);
    let meant = hint.meant().map(str::to_string);
    let unknown = UnknownAttribute {
        key: &f.key.name,
        span: f.key.span,
        owner,
        hint,
    };
    (unknown.diagnostic(), meant)
}

/// A key that the block does not have, and what lamc makes of it.
struct UnknownAttribute<'a> {
    key: &'a str,
    span: Span,
    /// The block, with its article ("a function", "an `on sqs` trigger").
    owner: &'a str,
    hint: Hint<'a>,
}

/// What the unknown key most likely is.
enum Hint<'a> {
    /// Another tool's name for an attribute lamc writes as a block or a form
    /// (`reservedConcurrency` → `concurrency { reserved = N }`).
    Shape { ours: &'a str, shape: &'static str },
    /// Another tool's name (or case) for one of ours: `logRetention` → `log_retention`.
    Renamed { ours: &'a str },
    /// Another tool's name with a bare number in that tool's unit: `memorySize = 1024` →
    /// `memory = 1024MB`, the whole line rewritten over `span`.
    WithUnit {
        ours: &'a str,
        line: String,
        span: Span,
    },
    /// A key of a function in another tool that lamc writes as a form of its own
    /// (`Events` → `on …` lines).
    FunctionForm { help: &'static str },
    /// A near spelling of an allowed key.
    Near { near: &'a str },
    /// Nothing close: the keys the block takes.
    Allowed { keys: Vec<&'a str> },
}

impl Hint<'_> {
    /// The allowed key it was taken for, if any.
    fn meant(&self) -> Option<&str> {
        match self {
            Hint::Shape { ours, .. } | Hint::Renamed { ours } | Hint::WithUnit { ours, .. } => {
                Some(ours)
            }
            Hint::Near { near } => Some(near),
            Hint::FunctionForm { .. } | Hint::Allowed { .. } => None,
        }
    }
}

/// Classify the unknown key of `f` against the `allowed` keys of its block.
fn hint_for<'a>(f: Field, allowed: &[&'a str]) -> Hint<'a> {
    let key = f.key.name.as_str();
    if let Some(ours) = spelling::attribute(key, allowed) {
        if let Some(shape) = ours.shape {
            return Hint::Shape {
                ours: ours.name,
                shape,
            };
        }
        // `memorySize = 1024` is in MB: the whole line in lamc's spelling.
        let number = match (f.val, ours.unit) {
            (Val::Expr(e), Some(unit)) => match &e.kind {
                ExprKind::Number(n) if n.times_whole(1).is_some() => Some((e.span, n, unit)),
                _ => None,
            },
            _ => None,
        };
        return match number {
            Some((value, n, unit)) => Hint::WithUnit {
                ours: ours.name,
                line: format!("{} = {n}{unit}", ours.name),
                span: Span::new(f.key.span.file, f.key.span.start, value.end),
            },
            None => Hint::Renamed { ours: ours.name },
        };
    }
    // A function body (or a template or `defaults`): SAM's `Events`, serverless.yml's
    // `iamRoleStatements`, … have no attribute in lamc, but a form.
    if allowed.contains(&"handler") {
        if let Some(help) = spelling::function_key(key) {
            return Hint::FunctionForm { help };
        }
    }
    match did_you_mean(key, allowed.iter().copied()) {
        Some(near) => Hint::Near { near },
        None => Hint::Allowed {
            keys: allowed.to_vec(),
        },
    }
}

impl UnknownAttribute<'_> {
    /// The one wording of E0103: message and label from the key and its block, help and
    /// fix from the hint.
    fn diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::new(
            Code::E0103,
            self.span,
            format!("unknown attribute `{}`", self.key),
        )
        .label(format!("not an attribute of {}", self.owner));
        match &self.hint {
            Hint::Shape { shape, .. } => d.help(format!("lamc writes this as `{shape}`")),
            Hint::Renamed { ours } => d.help(format!("lamc calls this `{ours}`")).fix(
                format!("rename to `{ours}`"),
                self.span,
                *ours,
            ),
            Hint::WithUnit { ours, line, span } => d
                .help(format!("lamc calls this `{ours}`, with a unit: `{line}`"))
                .fix(format!("write `{line}`"), *span, line.clone()),
            Hint::FunctionForm { help } => d.help(*help),
            Hint::Near { near } => d.help(format!("did you mean `{near}`?")).fix(
                format!("rename to `{near}`"),
                self.span,
                *near,
            ),
            Hint::Allowed { keys } => {
                let list: Vec<String> = keys.iter().map(|a| format!("`{a}`")).collect();
                d.help(format!("{} takes {}", self.owner, list.join(", ")))
            }
        }
    }
}

/// A key set twice in one block (E0104): where, and where it was first set.
struct DuplicateAttribute<'a> {
    key: &'a str,
    span: Span,
    first: Span,
}

impl DuplicateAttribute<'_> {
    /// The one wording of E0104.
    fn diagnostic(&self) -> Diagnostic {
        Diagnostic::new(
            Code::E0104,
            self.span,
            format!("duplicate attribute `{}`", self.key),
        )
        .label(format!("`{}` set again here", self.key))
        .secondary(self.first, "first set here")
        .help("remove one of them")
    }
}
