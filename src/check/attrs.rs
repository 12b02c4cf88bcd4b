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
                self.report(
                    Diagnostic::new(
                        Code::E0104,
                        f.key.span,
                        format!("duplicate attribute `{key}`"),
                    )
                    .label(format!("`{key}` set again here"))
                    .secondary(prev.key.span, "first set here")
                    .help("remove one of them"),
                );
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
    let allowed = allowed.as_slice();
    let key = f.key.name.as_str();
    let d = Diagnostic::new(
        Code::E0103,
        f.key.span,
        format!("unknown attribute `{key}` in {owner}"),
    )
    .label(format!("not an attribute of {owner}"));
    if let Some(ours) = spelling::attribute(key, allowed) {
        let meant = Some(ours.name.to_string());
        if let Some(shape) = ours.shape {
            return (d.help(format!("lamc writes this as `{shape}`")), meant);
        }
        // `memorySize = 1024` is in MB: the whole line in lamc's spelling.
        let number = match (f.val, ours.unit) {
            (Val::Expr(e), Some(unit)) => match &e.kind {
                ExprKind::Number(n) if n.times_whole(1).is_some() => Some((e.span, n, unit)),
                _ => None,
            },
            _ => None,
        };
        let d = match number {
            Some((value, n, unit)) => {
                let line = format!("{} = {n}{unit}", ours.name);
                let span = Span::new(f.key.span.file, f.key.span.start, value.end);
                d.help(format!(
                    "lamc calls this `{}`, with a unit: `{line}`",
                    ours.name
                ))
                .fix(format!("write `{line}`"), span, line.clone())
            }
            None => d.help(format!("lamc calls this `{}`", ours.name)).fix(
                format!("rename to `{}`", ours.name),
                f.key.span,
                ours.name,
            ),
        };
        return (d, meant);
    }
    // A function body (or a template or `defaults`): SAM's `Events`, serverless.yml's
    // `iamRoleStatements`, … have no attribute in lamc, but a form.
    if allowed.contains(&"handler") {
        if let Some(help) = spelling::function_key(key) {
            return (d.help(help), None);
        }
    }
    match did_you_mean(key, allowed.iter().copied()) {
        Some(near) => {
            let d = d.help(format!("did you mean `{near}`?")).fix(
                format!("rename to `{near}`"),
                f.key.span,
                near,
            );
            (d, Some(near.to_string()))
        }
        None => {
            let list: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
            (d.help(format!("{owner} takes {}", list.join(", "))), None)
        }
    }
}
