//! Expression typing: `let` substitution, quantities converted to the model's units (with
//! E0301 type/unit mismatches, E0303 fractions, E0003 overflow), strings, booleans, enum
//! symbols (E0302) and general values for env/outputs/filters.

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::model::{DeployStr, Value, S};
use crate::source::Span;
use crate::syntax::ast::{
    Decimal, Dimension, Expr, ExprKind, Ident, Quantity, StrLit, StrPart, Unit,
};

use super::cx::{article, or_list, Cx};
use super::lets::{Lookup, MAX_VALUE_BYTES};
use super::unresolved::Unresolved;
use crate::files::read::thousands;

/// A parameter or a pseudo-parameter (`param.stage`, `aws.region`), and with `refs` also
/// a reference to a declaration (`bucket.b.name`): a value known when the stack is deployed.
fn is_deploy_time(e: &Expr, refs: bool) -> bool {
    let ExprKind::Path(p) = &e.kind else {
        return false;
    };
    match p.segments.as_slice() {
        [first, _, ..] => {
            first.name == "param"
                || first.name == "aws"
                || (refs && crate::model::Kind::parse(&first.name).is_some())
        }
        _ => false,
    }
}

/// Why the value of `what` must be known when compiling.
fn why_known(what: &str) -> String {
    match what {
        // The template's and the parameters' own sections take no intrinsic functions
        // (CFN-IF-01, docs/aws-facts.md).
        "description" | "default" | "allowed value" => {
            format!("CloudFormation takes only plain text as a template's or parameter's `{what}`")
        }
        _ => format!("lamc checks `{what}` (or plans from it) before anything is deployed"),
    }
}

/// The name, when `e` is a bare name (`service`, not `queue.orders`).
pub fn bare_name(e: &Expr) -> Option<&Ident> {
    match &e.kind {
        ExprKind::Path(p) => match p.segments.as_slice() {
            [only] => Some(only),
            _ => None,
        },
        _ => None,
    }
}

/// Where a value is written, for what a list parameter may do there (CFN-P1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// Where CloudFormation takes a string or JSON.
    Value,
    /// Inside a string's `${…}`.
    Interpolated,
    /// An output's whole value.
    Output,
}

/// What an expression is, in words, for "found …" labels.
pub fn describe(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Str(_) => "a string".into(),
        ExprKind::Number(_) => "a plain number".into(),
        ExprKind::Quantity(q) => match q.unit.dimension() {
            Dimension::Size => format!("a size ({q})"),
            Dimension::Duration => format!("a duration ({q})"),
            Dimension::Percent => format!("a percentage ({q})"),
        },
        ExprKind::Bool(_) => "a boolean".into(),
        ExprKind::List(_) => "a list".into(),
        ExprKind::Map(_) => "a map".into(),
        ExprKind::Range { .. } => "a range".into(),
        ExprKind::Call { name, .. } => format!("a call to `{}(…)`", name.name),
        ExprKind::Path(p) => {
            let first = p.segments.first().map(|s| s.name.as_str());
            match (first, p.segments.len() >= 2) {
                (Some("param"), true) => format!("a parameter (`{}`)", p.text()),
                (Some("aws"), true) => format!("a pseudo-parameter (`{}`)", p.text()),
                (Some(kind), true) if crate::model::Kind::parse(kind).is_some() => {
                    format!("a reference (`{}`)", p.text())
                }
                _ => format!("a symbol (`{}`)", p.text()),
            }
        }
    }
}

fn dimension_noun(d: Dimension) -> &'static str {
    match d {
        Dimension::Size => "size",
        Dimension::Duration => "duration",
        Dimension::Percent => "percentage",
    }
}

/// u128 → u64, or E0003 when the number does not fit.
fn fit_u64(cx: &mut Cx, v: u128, span: Span) -> Option<u64> {
    match u64::try_from(v) {
        Ok(v) => Some(v),
        Err(_) => {
            cx.report(
                Diagnostic::new(Code::E0003, span, "number too large")
                    .label("this does not fit in 64 bits")
                    .help("use a smaller number"),
            );
            None
        }
    }
}

impl<'a> Cx<'a> {
    /// Follow `let` names to the expression they stand for, where a value is expected:
    /// a bare name that is not a `let` is E0201 (it would otherwise be taken for its own
    /// text). `None` when the name is unknown or its `let` is unusable (reported).
    pub fn subst(&mut self, e: &'a Expr) -> Option<&'a Expr> {
        let v = self.subst_symbol(e)?;
        if let Some(name) = bare_name(v) {
            self.unknown_name(name.span, &name.name);
            return None;
        }
        Some(v)
    }

    /// Follow `let` names, leaving any other bare name as the symbol it is: for the places
    /// that take an enum value (`architecture = arm64`) or a reference, which say
    /// themselves what a wrong name is. `None` when the `let` is unusable (reported).
    pub fn subst_symbol(&self, e: &'a Expr) -> Option<&'a Expr> {
        let Some(name) = bare_name(e) else {
            return Some(e);
        };
        match self.lookup_let(&name.name) {
            Lookup::Value(v) => Some(v),
            Lookup::Broken => None,
            Lookup::NotALet => Some(e),
        }
    }

    /// E0201 for a name (`sevice`, `python3.12`) that stands for nothing where a value is
    /// expected, with the nearest `let` or parameter.
    pub(super) fn unknown_name(&mut self, span: Span, name: &str) {
        let mut d = Diagnostic::new(Code::E0201, span, format!("unknown name `{name}`"))
            .label("not a `let` constant, nor a value this place takes");
        match self.nearest_name(name) {
            Some(near) => {
                d = d.help(format!("did you mean `{near}`?")).fix(
                    format!("replace with `{near}`"),
                    span,
                    near,
                );
            }
            None if name.contains('.') => {
                d = d.help(format!("to write the text, quote it: \"{name}\""));
            }
            None => {
                d = d.help(format!(
                    "declare it with `let {name} = …`, or write the text as a string: \"{name}\""
                ));
            }
        }
        self.unresolved(Unresolved::Name(name.to_string()), d);
    }

    /// The spelling of the `let`, parameter or pseudo-parameter nearest to `word`.
    fn nearest_name(&self, word: &str) -> Option<String> {
        // (what `word` is compared with, what to write instead)
        let mut candidates: Vec<(String, String)> = self
            .scope
            .lets
            .names()
            .map(|n| (n.to_string(), n.to_string()))
            .collect();
        for p in &self.scope.params {
            candidates.push((p.name.name.clone(), format!("param.{}", p.name.name)));
        }
        for (name, _) in crate::model::Pseudo::ALL {
            candidates.push((name.to_string(), format!("aws.{name}")));
        }
        let near = did_you_mean(word, candidates.iter().map(|(key, _)| key.as_str()))?;
        candidates
            .iter()
            .find(|(key, _)| key == near)
            .map(|(_, write)| write.clone())
    }

    /// Charge what `e` costs, its lets expanded, to the declaration being lowered. E0435
    /// when the value alone, or with the values already written in the same declaration,
    /// would not fit in a template; `false` then (and quietly when it uses an unusable
    /// `let`), so that it is never built.
    fn afford(&mut self, e: &'a Expr) -> bool {
        let Some(cost) = self.scope.lets.cost(e) else {
            return false;
        };
        let message = if cost.bytes > MAX_VALUE_BYTES {
            "value too large for a template"
        } else if cost.bytes > self.budget {
            "the values of this declaration are too large for a template"
        } else {
            self.budget -= cost.bytes;
            return true;
        };
        self.budget = 0;
        self.report(
            Diagnostic::new(Code::E0435, e.span, message)
                .label(format!(
                    "this value takes {} bytes once its lets are expanded",
                    thousands(cost.bytes)
                ))
                .help(format!(
                    "a declaration's values must fit in a template ({} bytes): use large \
                     values fewer times, or keep large data out of the template (in an S3 \
                     object or a parameter)",
                    thousands(MAX_VALUE_BYTES)
                )),
        );
        false
    }

    /// A quantity of dimension `dim`; `unit` is what a bare number should have carried.
    fn quantity(
        &mut self,
        e: &'a Expr,
        what: &str,
        dim: Dimension,
        unit: Unit,
        example: &str,
    ) -> Option<(Quantity, Span)> {
        let e = self.subst(e)?;
        if self.only_at_deploy_time(e, what) {
            return None;
        }
        let noun = dimension_noun(dim);
        match &e.kind {
            ExprKind::Quantity(q) if q.unit.dimension() == dim => Some((*q, e.span)),
            ExprKind::Number(n) => {
                let written = format!("{n}{}", unit.as_str());
                self.report(
                    Diagnostic::new(Code::E0301, e.span, format!("`{what}` needs a unit"))
                        .label(format!("a plain number, but `{what}` is {}", article(noun)))
                        .help(format!("write {written}"))
                        .fix(format!("write {written}"), e.span, written.clone()),
                );
                None
            }
            _ => {
                self.report(
                    Diagnostic::new(
                        Code::E0301,
                        e.span,
                        format!("`{what}` must be {}", article(noun)),
                    )
                    .label(format!("this is {}", describe(e)))
                    .help(format!("write {} such as {example}", article(noun))),
                );
                None
            }
        }
    }

    /// A size in whole megabytes (`512MB`, `2GB`, `1.5GB`).
    pub fn size_mb(&mut self, e: &'a Expr, what: &str) -> Option<S<u64>> {
        let (q, span) = self.quantity(e, what, Dimension::Size, Unit::Mb, "512MB")?;
        match q.megabytes() {
            Some(mb) => Some(S::new(fit_u64(self, mb, span)?, span)),
            None => {
                let factor = match q.unit {
                    Unit::Gb => 1024.0,
                    Unit::Kb => 1.0 / 1024.0,
                    _ => 1.0,
                };
                let near = (q.value.to_f64() * factor).round();
                self.report(
                    Diagnostic::new(
                        Code::E0303,
                        span,
                        format!("`{what}` must be a whole number of megabytes"),
                    )
                    .label(format!("{q} is not a whole number of MB"))
                    .help(format!("write {near}MB")),
                );
                None
            }
        }
    }

    /// A duration in whole units of `unit_ms` milliseconds (seconds, hours, days).
    fn whole_duration(
        &mut self,
        e: &'a Expr,
        what: &str,
        unit: Unit,
        unit_ms: u128,
        noun: &str,
        example: &str,
    ) -> Option<S<u64>> {
        let (q, span) = self.quantity(e, what, Dimension::Duration, unit, example)?;
        match q.millis().filter(|ms| ms % unit_ms == 0) {
            Some(ms) => Some(S::new(fit_u64(self, ms / unit_ms, span)?, span)),
            None => {
                let one = Quantity {
                    value: Decimal::int(1),
                    unit: q.unit,
                };
                let approx = match one.millis() {
                    Some(f) => (q.value.to_f64() * f as f64 / unit_ms as f64).round(),
                    None => 0.0,
                };
                self.report(
                    Diagnostic::new(
                        Code::E0303,
                        span,
                        format!("`{what}` must be a whole number of {noun}"),
                    )
                    .label(format!("{q} is not a whole number of {noun}"))
                    .help(format!("write {approx}{}", unit.as_str())),
                );
                None
            }
        }
    }

    pub fn seconds(&mut self, e: &'a Expr, what: &str) -> Option<S<u64>> {
        self.whole_duration(e, what, Unit::S, 1000, "seconds", "30s")
    }

    pub fn hours(&mut self, e: &'a Expr, what: &str) -> Option<S<u64>> {
        self.whole_duration(e, what, Unit::H, 3_600_000, "hours", "48h")
    }

    pub fn days(&mut self, e: &'a Expr, what: &str) -> Option<S<u64>> {
        self.whole_duration(e, what, Unit::D, 86_400_000, "days", "30d")
    }

    /// A duration in milliseconds, for alarm thresholds (fractions of a millisecond kept).
    pub fn millis_f64(&mut self, e: &'a Expr, what: &str) -> Option<S<f64>> {
        let (q, span) = self.quantity(e, what, Dimension::Duration, Unit::S, "90s")?;
        let per_unit = Quantity {
            value: Decimal::int(1),
            unit: q.unit,
        }
        .millis()
        .unwrap_or(1);
        Some(S::new(q.value.to_f64() * per_unit as f64, span))
    }

    pub fn percent(&mut self, e: &'a Expr, what: &str) -> Option<S<f64>> {
        let (q, span) = self.quantity(e, what, Dimension::Percent, Unit::Percent, "70%")?;
        Some(S::new(q.value.to_f64(), span))
    }

    /// A plain number as f64 (alarm count thresholds).
    pub fn number_f64(&mut self, e: &'a Expr, what: &str, help: &str) -> Option<S<f64>> {
        let e = self.subst(e)?;
        if self.only_at_deploy_time(e, what) {
            return None;
        }
        match &e.kind {
            ExprKind::Number(n) => Some(S::new(n.to_f64(), e.span)),
            _ => {
                self.report(
                    Diagnostic::new(
                        Code::E0301,
                        e.span,
                        format!("`{what}` must be a plain number"),
                    )
                    .label(format!("this is {}", describe(e)))
                    .help(help.to_string()),
                );
                None
            }
        }
    }

    /// A whole count (`batch = 10`).
    pub fn count(&mut self, e: &'a Expr, what: &str) -> Option<S<u64>> {
        let e = self.subst(e)?;
        if self.only_at_deploy_time(e, what) {
            return None;
        }
        match &e.kind {
            ExprKind::Number(n) => match n.times_whole(1) {
                Some(v) => Some(S::new(fit_u64(self, v, e.span)?, e.span)),
                None => {
                    self.report(
                        Diagnostic::new(
                            Code::E0303,
                            e.span,
                            format!("`{what}` must be a whole number"),
                        )
                        .label(format!("{n} has a fraction"))
                        .help(format!("write {}", n.to_f64().round())),
                    );
                    None
                }
            },
            _ => {
                self.report(
                    Diagnostic::new(
                        Code::E0301,
                        e.span,
                        format!("`{what}` must be a whole number"),
                    )
                    .label(format!("this is {}", describe(e)))
                    .help(format!("write a plain number, e.g. `{what} = 10`")),
                );
                None
            }
        }
    }

    pub fn boolean(&mut self, e: &'a Expr, what: &str) -> Option<S<bool>> {
        let e = self.subst(e)?;
        if self.only_at_deploy_time(e, what) {
            return None;
        }
        match &e.kind {
            ExprKind::Bool(b) => Some(S::new(*b, e.span)),
            _ => {
                self.report(
                    Diagnostic::new(
                        Code::E0301,
                        e.span,
                        format!("`{what}` must be true or false"),
                    )
                    .label(format!("this is {}", describe(e)))
                    .help(format!("write `{what} = true` or `{what} = false`")),
                );
                None
            }
        }
    }

    /// A string known at compile time: literal text, with `${let}` interpolations folded.
    pub fn string(&mut self, e: &'a Expr, what: &str) -> Option<S<String>> {
        if !self.afford(e) {
            return None;
        }
        self.text_of(e, what)
    }

    fn text_of(&mut self, e: &'a Expr, what: &str) -> Option<S<String>> {
        let e = self.subst(e)?;
        if self.only_at_deploy_time(e, what) {
            return None;
        }
        let ExprKind::Str(s) = &e.kind else {
            let d = Diagnostic::new(Code::E0301, e.span, format!("`{what}` must be a string"))
                .label(format!("this is {}", describe(e)));
            self.report(match &e.kind {
                // `handler = index.handler`, as YAML writes it: the same text, quoted.
                ExprKind::Path(p) => {
                    let quoted = format!("\"{}\"", p.text());
                    d.help(format!("quote it: `{quoted}`")).fix(
                        format!("write `{quoted}`"),
                        e.span,
                        quoted,
                    )
                }
                _ => d.help(format!("write `{what} = \"…\"`")),
            });
            return None;
        };
        let mut out = String::new();
        for part in &s.parts {
            match part {
                StrPart::Lit(t) => out.push_str(t),
                StrPart::Interp(inner) => {
                    let inner = self.subst(inner)?;
                    if self.compile_time_needed(inner, what, true) {
                        return None;
                    }
                    match &inner.kind {
                        ExprKind::Str(_) => out.push_str(&self.text_of(inner, what)?.value),
                        ExprKind::Number(n) => out.push_str(&n.to_string()),
                        ExprKind::Quantity(q) => out.push_str(&q.to_string()),
                        ExprKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                        _ => {
                            self.report(
                                Diagnostic::new(
                                    Code::E0301,
                                    inner.span,
                                    format!("cannot interpolate {} into a string", describe(inner)),
                                )
                                .label("not a single value")
                                .help("interpolate a string, a number or a `let` constant"),
                            );
                            return None;
                        }
                    }
                }
            }
        }
        Some(S::new(out, e.span))
    }

    /// A list of strings; a single string counts as a list of one.
    pub fn strings(&mut self, e: &'a Expr, what: &str) -> Vec<S<String>> {
        let Some(e) = self.subst(e) else {
            return Vec::new();
        };
        match &e.kind {
            ExprKind::List(items) => items.iter().filter_map(|i| self.string(i, what)).collect(),
            ExprKind::Str(_) => self.string(e, what).into_iter().collect(),
            _ => {
                self.report(
                    Diagnostic::new(
                        Code::E0301,
                        e.span,
                        format!("`{what}` must be a list of strings"),
                    )
                    .label(format!("this is {}", describe(e)))
                    .help(format!("write `{what} = [\"…\", \"…\"]`")),
                );
                Vec::new()
            }
        }
    }

    /// A string that may hold deploy-time values (parameters, pseudo-parameters,
    /// attributes): where CloudFormation takes an intrinsic function.
    pub fn deploy_str(&mut self, e: &'a Expr, what: &str) -> Option<S<DeployStr>> {
        let v = self.value(e)?;
        match DeployStr::from_value(v.value) {
            Some(text) => Some(S::new(text, v.span)),
            None => {
                let shown = self.subst_symbol(e).unwrap_or(e);
                self.report(
                    Diagnostic::new(Code::E0301, v.span, format!("`{what}` must be a string"))
                        .label(format!("this is {}", describe(shown)))
                        .help(format!("write `{what} = \"…\"`")),
                );
                None
            }
        }
    }

    /// A list of strings that may hold deploy-time values; a single string counts as a
    /// list of one, and a list parameter (`param.subnets`) as its items (CFN-P1).
    pub fn deploy_strs(&mut self, e: &'a Expr, what: &str) -> Vec<S<DeployStr>> {
        let Some(resolved) = self.subst(e) else {
            return Vec::new();
        };
        if let Some(list) = self.whole_list_param(resolved) {
            return vec![list];
        }
        match &resolved.kind {
            ExprKind::List(items) => items
                .iter()
                .filter_map(|i| self.deploy_str(i, what))
                .collect(),
            _ => self.deploy_str(e, what).into_iter().collect(),
        }
    }

    /// E0437 when `e` is a value only known at deploy time (a parameter, a pseudo-parameter,
    /// an attribute) where lamc must know the value itself.
    pub fn only_at_deploy_time(&mut self, e: &'a Expr, what: &str) -> bool {
        self.compile_time_needed(e, what, false)
    }

    /// [`Self::only_at_deploy_time`], with `refs`: also for references to declarations (in
    /// strings, where their names and ARNs could otherwise go).
    fn compile_time_needed(&mut self, e: &'a Expr, what: &str, refs: bool) -> bool {
        if !is_deploy_time(e, refs) {
            return false;
        }
        self.report(
            Diagnostic::new(
                Code::E0437,
                e.span,
                format!("`{what}` must be known when compiling"),
            )
            .label(format!("{} is only known at deploy time", describe(e)))
            .help(format!(
                "{}: write a literal or a `let` constant",
                why_known(what)
            )),
        );
        true
    }

    /// The text of a symbol (`python3.12`) or plain string.
    pub fn symbol_text(&mut self, e: &'a Expr, what: &str) -> Option<S<String>> {
        let e = self.subst_symbol(e)?;
        if self.only_at_deploy_time(e, what) {
            return None;
        }
        match &e.kind {
            ExprKind::Path(p) => Some(S::new(p.text(), e.span)),
            ExprKind::Str(s) if s.as_plain().is_some() => s.as_plain().map(|t| S::new(t, e.span)),
            _ => {
                self.report(
                    Diagnostic::new(Code::E0301, e.span, format!("`{what}` must be a name"))
                        .label(format!("this is {}", describe(e)))
                        .help(format!("write e.g. `{what} = python3.13`")),
                );
                None
            }
        }
    }

    /// One of a fixed set of symbols.
    pub fn symbol<T: Copy>(
        &mut self,
        e: &'a Expr,
        what: &str,
        choices: &[(&str, T)],
    ) -> Option<S<T>> {
        let names: Vec<String> = choices.iter().map(|(n, _)| format!("`{n}`")).collect();
        let e = self.subst_symbol(e)?;
        if self.only_at_deploy_time(e, what) {
            return None;
        }
        let text = match &e.kind {
            ExprKind::Path(p) => p.text(),
            ExprKind::Str(s) if s.as_plain().is_some() => s.as_plain().unwrap_or_default(),
            _ => {
                self.report(
                    Diagnostic::new(
                        Code::E0301,
                        e.span,
                        format!("`{what}` must be one of {}", or_list(&names)),
                    )
                    .label(format!("this is {}", describe(e))),
                );
                return None;
            }
        };
        if let Some((_, v)) = choices.iter().find(|(n, _)| *n == text) {
            return Some(S::new(*v, e.span));
        }
        let mut d = Diagnostic::new(Code::E0302, e.span, format!("unknown {what} `{text}`"))
            .label(format!("not a valid {what}"));
        let near = did_you_mean(&text, choices.iter().map(|(n, _)| *n))
            .or_else(|| did_you_mean(&text, self.scope.lets.names()))
            .map(str::to_string);
        match near {
            Some(near) => {
                d = d
                    .help(format!(
                        "did you mean `{near}`? (expected {})",
                        or_list(&names)
                    ))
                    .fix(format!("replace with `{near}`"), e.span, near);
            }
            None => d = d.help(format!("expected {}", or_list(&names))),
        }
        self.report(d);
        None
    }

    /// `param.NAME` of a list parameter, written as a whole value.
    pub(super) fn whole_list_param(&mut self, e: &'a Expr) -> Option<S<DeployStr>> {
        let ExprKind::Path(p) = &e.kind else {
            return None;
        };
        let name = p.segments.get(1).filter(|_| p.segments.len() == 2)?;
        if p.segments[0].name != "param" || !self.param_type_of(&name.name)?.is_list() {
            return None;
        }
        let value = self.path_value(p)?;
        DeployStr::from_value(value).map(|d| S::new(d, e.span))
    }

    /// A value that ends up in the template where CloudFormation takes a string or JSON
    /// (env, filters, schedule input): a list parameter is refused there (E0464).
    pub fn value(&mut self, e: &'a Expr) -> Option<S<Value>> {
        if !self.afford(e) {
            return None;
        }
        self.value_of(e, At::Value)
    }

    /// An output's value: a list parameter is allowed whole (written as its items joined
    /// with commas, as an output must be a string).
    pub fn output_value(&mut self, e: &'a Expr) -> Option<S<Value>> {
        if !self.afford(e) {
            return None;
        }
        self.value_of(e, At::Output)
    }

    fn value_of(&mut self, e: &'a Expr, at: At) -> Option<S<Value>> {
        let e = self.subst(e)?;
        let v = match &e.kind {
            ExprKind::Str(s) => match s.as_plain() {
                Some(t) => Value::Str(t),
                None => self.interpolated(s)?,
            },
            ExprKind::Number(n) => Value::Number(n.to_string()),
            ExprKind::Quantity(q) => Value::Str(q.to_string()),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::List(items) => Value::List(
                items
                    .iter()
                    .filter_map(|i| self.value_of(i, At::Value))
                    .map(|s| s.value)
                    .collect(),
            ),
            ExprKind::Map(entries) => Value::Map(
                entries
                    .iter()
                    .filter_map(|m| {
                        self.value_of(&m.value, At::Value)
                            .map(|v| (m.key.name.clone(), v.value))
                    })
                    .collect(),
            ),
            ExprKind::Path(p) => {
                let v = self.path_value(p)?;
                if let Value::Param(name) = &v {
                    if at != At::Output
                        && self.list_param_as_text(name, e.span, at == At::Interpolated)
                    {
                        return None;
                    }
                }
                v
            }
            ExprKind::Range { .. } | ExprKind::Call { .. } => {
                self.report(
                    Diagnostic::new(Code::E0301, e.span, "this cannot be used as a value")
                        .label(format!("this is {}", describe(e)))
                        .help("use a string, a number, a boolean, a list, a map, a parameter or an attribute"),
                );
                return None;
            }
        };
        Some(S::new(v, e.span))
    }

    /// A string with `${…}` in it: its literal parts and the values interpolated, adjacent
    /// literal text joined so that `"a${x}b"` stays minimal; `"${param.x}"` is the
    /// parameter itself.
    fn interpolated(&mut self, s: &'a StrLit) -> Option<Value> {
        let mut parts: Vec<Value> = Vec::new();
        for part in &s.parts {
            match part {
                StrPart::Lit(t) => parts.push(Value::Str(t.clone())),
                StrPart::Interp(inner) => self.interpolate(inner, &mut parts)?,
            }
        }
        let mut merged: Vec<Value> = Vec::new();
        for p in parts {
            match (merged.last_mut(), p) {
                (Some(Value::Str(prev)), Value::Str(next)) => prev.push_str(&next),
                (_, p) => merged.push(p),
            }
        }
        Some(match <[Value; 1]>::try_from(merged) {
            Ok([only]) => only,
            Err(parts) => Value::Concat(parts),
        })
    }

    /// One `${…}` of a string, as the parts it adds; a list or a map cannot be one.
    fn interpolate(&mut self, inner: &'a Expr, parts: &mut Vec<Value>) -> Option<()> {
        match self.value_of(inner, At::Interpolated)?.value {
            Value::Concat(inner_parts) => parts.extend(inner_parts),
            Value::Number(n) => parts.push(Value::Str(n)),
            Value::Bool(b) => parts.push(Value::Str(b.to_string())),
            v @ (Value::Str(_) | Value::Attr { .. } | Value::Param(_) | Value::Pseudo(_)) => {
                parts.push(v)
            }
            Value::List(_) | Value::Map(_) => {
                self.report(
                    Diagnostic::new(
                        Code::E0301,
                        inner.span,
                        "cannot interpolate a list or a map into a string",
                    )
                    .label("this is not a single value")
                    .help("interpolate a string, a number, a parameter or an attribute"),
                );
                return None;
            }
        }
        Some(())
    }
}
