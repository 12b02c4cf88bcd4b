//! Names that do not resolve (E0201), reported once per name. A declaration that was
//! renamed or misspelt is one mistake, however many places use the old name: one
//! diagnostic, at the first use with the others as secondary labels, or at the
//! declaration itself when several uses agree on a near name and nothing uses the name it
//! has (`queue odrers {}` while five places say `queue.orders`): one edit fixes them all.

use std::collections::BTreeMap;

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::model::{Kind, ResRef};
use crate::source::Span;

use super::cx::Cx;

/// A name that did not resolve.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unresolved {
    /// `KIND.NAME`
    Decl(Kind, String),
    /// `param.NAME`
    Param(String),
    /// A bare name where a value is expected: a `let` that does not exist.
    Name(String),
}

impl Unresolved {
    fn text(&self) -> String {
        match self {
            Unresolved::Decl(kind, name) => format!("{}.{name}", kind.as_str()),
            Unresolved::Param(name) => format!("param.{name}"),
            Unresolved::Name(name) => name.clone(),
        }
    }

    fn name(&self) -> &str {
        match self {
            Unresolved::Decl(_, name) | Unresolved::Param(name) | Unresolved::Name(name) => name,
        }
    }

    fn noun(&self) -> &'static str {
        match self {
            Unresolved::Decl(kind, _) => kind.as_str(),
            Unresolved::Param(_) => "param",
            Unresolved::Name(_) => "let",
        }
    }
}

impl Cx<'_> {
    /// One E0201 per name that does not resolve (see the module docs).
    pub fn report_unresolved(&mut self) {
        let mut uses = std::mem::take(&mut self.unresolved);
        uses.sort_by_key(|(_, d)| (d.primary.span.file, d.primary.span.start));
        let mut by_name: BTreeMap<Unresolved, Vec<Diagnostic>> = BTreeMap::new();
        for (name, d) in uses {
            by_name.entry(name).or_default().push(d);
        }
        for (name, uses) in by_name {
            // One use may as well be the misspelling; several agreeing are not.
            let renamed = (uses.len() > 1)
                .then(|| self.renamed_declaration(&name))
                .flatten();
            if let Some(declared) = renamed {
                self.report(at_declaration(&name, declared, &uses));
                continue;
            }
            let mut uses = uses.into_iter();
            if let Some(first) = uses.next() {
                let d = uses.fold(first, |d, other| {
                    d.secondary(other.primary.span, "also used here")
                });
                self.report(d);
            }
        }
    }

    /// The declaration that `name` most likely meant, when nothing uses the name it has:
    /// its own name is then the mistake. Its name and where it is.
    fn renamed_declaration(&self, name: &Unresolved) -> Option<(String, Span)> {
        let scope = self.scope;
        match name {
            Unresolved::Decl(kind, wanted) => {
                let names = scope.names_of(*kind);
                let near = did_you_mean(wanted, names.iter().copied())?;
                let used = self.used.contains(&ResRef {
                    kind: *kind,
                    name: near.to_string(),
                });
                let span = scope.decl_span(*kind, near)?;
                (!used).then(|| (near.to_string(), span))
            }
            Unresolved::Param(wanted) => {
                let names = scope.params.iter().map(|p| p.name.name.as_str());
                let near = did_you_mean(wanted, names)?;
                let span = scope.param(near)?.name.span;
                (!self.used_params.contains(near)).then(|| (near.to_string(), span))
            }
            Unresolved::Name(wanted) => {
                let lets = &scope.lets;
                let near = did_you_mean(wanted, lets.names())?;
                let span = lets.decls().find(|(n, _)| *n == near)?.1.name.span;
                (!lets.is_used(near)).then(|| (near.to_string(), span))
            }
        }
    }
}

/// E0201 at the declaration `declared` (its name and span), which every use of `name`
/// meant.
fn at_declaration(name: &Unresolved, declared: (String, Span), uses: &[Diagnostic]) -> Diagnostic {
    let (has, span) = declared;
    let wanted = name.name();
    let times = match uses.len() {
        1 => "once".to_string(),
        n => format!("{n} times"),
    };
    let mut d = Diagnostic::new(
        Code::E0201,
        span,
        format!(
            "{} `{has}` is never used, but `{}` is used {times}",
            name.noun(),
            name.text()
        ),
    )
    .label(format!("declared as `{has}`"));
    for u in uses {
        d = d.secondary(u.primary.span, format!("`{}` used here", name.text()));
    }
    d.help(format!("rename it to `{wanted}`"))
        .fix(format!("rename to `{wanted}`"), span, wanted)
}
