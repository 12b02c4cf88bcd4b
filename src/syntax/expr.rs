//! pest pairs → expressions: strings (escapes, `${…}`), numbers and quantities (exact),
//! ranges, lists, maps, calls and paths.

use super::ast::*;
use super::build::{content, count, exact, Builder};
use super::Rule;
use crate::diag::{Code, Diagnostic};
use crate::source::Span;
use pest::iterators::Pair;

/// What the units are called in help lines.
const UNITS_HELP: &str = "units are KB, MB, GB (sizes), ms, s, m, h, d (durations) and % (percent)";

/// A near unit for a suffix that is not one (`gb` → `GB`, `min` → `m`).
fn near_unit(suffix: &str) -> Option<Unit> {
    let lower = suffix.to_ascii_lowercase();
    Some(match lower.as_str() {
        "kb" | "kib" => Unit::Kb,
        "mb" | "mib" => Unit::Mb,
        "gb" | "gib" => Unit::Gb,
        "ms" | "msec" | "millis" | "milliseconds" => Unit::Ms,
        "sec" | "secs" | "second" | "seconds" => Unit::S,
        "min" | "mins" | "minute" | "minutes" => Unit::M,
        "hr" | "hrs" | "hour" | "hours" => Unit::H,
        "day" | "days" => Unit::D,
        "s" => Unit::S,
        "h" => Unit::H,
        "d" => Unit::D,
        _ => return None,
    })
}

impl Builder<'_, '_> {
    /// Any expression pair (`string`, `range`, `number`, `list`, `map`, `call`, `path`).
    pub(super) fn expr(&mut self, pair: Pair<'_, Rule>) -> Option<Expr> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::string => ExprKind::Str(self.string(pair)?),
            Rule::number => self.number(pair)?,
            Rule::range => self.range(pair)?,
            Rule::list => {
                let n = count(&pair, |r| r != Rule::comma);
                let items = content(pair).filter(|p| p.as_rule() != Rule::comma);
                ExprKind::List(exact(n, items.filter_map(|p| self.expr(p))))
            }
            Rule::map => ExprKind::Map(self.map(pair)),
            Rule::call => {
                // The name, then the arguments.
                let n = count(&pair, |r| r != Rule::comma).saturating_sub(1);
                let mut it = content(pair);
                let name = self.ident(&it.next()?);
                let args = it.filter(|p| p.as_rule() != Rule::comma);
                let args = exact(n, args.filter_map(|p| self.expr(p)));
                ExprKind::Call { name, args }
            }
            Rule::path => {
                let path = self.path(pair);
                match path.segments.as_slice() {
                    [one] if one.name == "true" => ExprKind::Bool(true),
                    [one] if one.name == "false" => ExprKind::Bool(false),
                    _ => ExprKind::Path(path),
                }
            }
            _ => {
                self.internal(span, "this value");
                return None;
            }
        };
        Some(Expr { kind, span })
    }

    pub(super) fn path(&mut self, pair: Pair<'_, Rule>) -> Path {
        let span = self.span(&pair);
        let n = pair.clone().into_inner().count();
        let segments = exact(n, pair.into_inner().map(|p| self.ident(&p)));
        Path { segments, span }
    }

    /// A whole number (`for 3`, range bounds), which must fit in 64 bits.
    pub(super) fn whole(&mut self, pair: Pair<'_, Rule>) -> Option<Spanned<u64>> {
        let span = self.span(&pair);
        let digits: String = pair.as_str().chars().filter(|c| *c != '_').collect();
        match digits.parse::<u64>() {
            Ok(v) => Some(Spanned { node: v, span }),
            Err(_) => {
                self.too_large(span);
                None
            }
        }
    }

    fn too_large(&mut self, span: Span) {
        self.diags.push(
            Diagnostic::new(Code::E0003, span, "number is too large")
                .label("this number does not fit")
                .help("use a smaller number"),
        );
    }

    fn range(&mut self, pair: Pair<'_, Rule>) -> Option<ExprKind> {
        let mut it = content(pair);
        let lo = self.whole(it.next()?)?;
        let hi = self.whole(it.next()?)?;
        let at = match (it.next(), it.next()) {
            (Some(_kw_at), Some(e)) => Some(Box::new(self.expr(e)?)),
            _ => None,
        };
        Some(ExprKind::Range { lo, hi, at })
    }

    fn number(&mut self, pair: Pair<'_, Rule>) -> Option<ExprKind> {
        let span = self.span(&pair);
        let mut int = "";
        let mut frac = "";
        let mut suffix = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::num_int => int = p.as_str(),
                Rule::num_frac => frac = p.as_str().get(1..).unwrap_or(""),
                Rule::num_suffix => suffix = Some(p),
                _ => {}
            }
        }
        // Exact: every digit, integer part then fraction, into one integer and a scale.
        let mut digits: Option<u128> = Some(0);
        let mut scale: u32 = 0;
        for (part, is_frac) in [(int, false), (frac, true)] {
            for b in part.bytes().filter(u8::is_ascii_digit) {
                digits = digits
                    .and_then(|v| v.checked_mul(10))
                    .and_then(|v| v.checked_add(u128::from(b - b'0')));
                scale += u32::from(is_frac);
            }
        }
        let Some(digits) = digits else {
            self.too_large(span);
            return None;
        };
        let value = Decimal { digits, scale };
        let Some(suffix) = suffix else {
            return Some(ExprKind::Number(value));
        };
        match Unit::parse(suffix.as_str()) {
            Some(unit) => Some(ExprKind::Quantity(Quantity { value, unit })),
            // The value is left out of the tree (its attribute with it), so that later
            // checks do not report the same mistake again as a missing unit.
            None => {
                // Reported here; the value is dropped so that the checker does not add a
                // second diagnostic ("needs a unit") about the same text.
                self.unknown_unit(span, &suffix);
                None
            }
        }
    }

    fn unknown_unit(&mut self, span: Span, suffix: &Pair<'_, Rule>) {
        let text = suffix.as_str();
        let suffix_span = self.span(suffix);
        let number = self.text.get(span.start..span.end).unwrap_or("");
        let mut d = Diagnostic::new(
            Code::E0003,
            span,
            format!("unknown unit `{text}` in `{number}`"),
        )
        .label("not a number with a known unit");
        match near_unit(text) {
            Some(u) => {
                d = d
                    .help(format!("did you mean `{}`? {UNITS_HELP}", u.as_str()))
                    .fix(format!("use `{}`", u.as_str()), suffix_span, u.as_str());
            }
            None => d = d.help(format!("{UNITS_HELP}; write a unit right after the number")),
        }
        self.diags.push(d);
    }

    /// A string literal: `"…"` (escapes decoded, `${…}` parsed) or `"""…"""` (raw).
    pub(super) fn string(&mut self, pair: Pair<'_, Rule>) -> Option<StrLit> {
        let inner = pair.into_inner().next()?;
        if inner.as_rule() == Rule::raw_string {
            let text = inner.into_inner().next().map_or("", |p| p.as_str());
            return Some(StrLit {
                parts: vec![StrPart::Lit(text.to_string())],
                raw: true,
            });
        }
        let mut parts = Vec::with_capacity(1);
        let mut lit = String::new();
        for p in inner.into_inner() {
            match p.as_rule() {
                Rule::str_text => lit.push_str(p.as_str()),
                Rule::str_escape => {
                    let c = p.as_str().chars().nth(1).unwrap_or('\\');
                    match c {
                        '"' => lit.push('"'),
                        '\\' => lit.push('\\'),
                        'n' => lit.push('\n'),
                        't' => lit.push('\t'),
                        '$' => lit.push('$'),
                        other => {
                            self.bad_escape(&p, other);
                            lit.push(other);
                        }
                    }
                }
                Rule::interp => {
                    if !lit.is_empty() {
                        parts.push(StrPart::Lit(std::mem::take(&mut lit)));
                    }
                    if let Some(e) = content(p).next().and_then(|e| self.expr(e)) {
                        parts.push(StrPart::Interp(e));
                    }
                }
                _ => {}
            }
        }
        if !lit.is_empty() || parts.is_empty() {
            parts.push(StrPart::Lit(lit));
        }
        // Most strings are one part: room for more only when there are more.
        parts.shrink_to_fit();
        Some(StrLit { parts, raw: false })
    }

    fn bad_escape(&mut self, p: &Pair<'_, Rule>, c: char) {
        self.diags.push(
            Diagnostic::new(
                Code::E0001,
                self.span(p),
                format!("unknown escape `\\{c}` in a string"),
            )
            .label("not an escape")
            .help(r#"the escapes are \" \\ \n \t and \$; write `\\` for a backslash"#),
        );
    }

    /// A string that must be plain text (no `${…}`): `use` paths, ARNs, keys.
    pub(super) fn plain_string(
        &mut self,
        pair: Pair<'_, Rule>,
        what: &str,
    ) -> Option<Spanned<String>> {
        let span = self.span(&pair);
        let lit = self.string(pair)?;
        match lit.as_plain() {
            Some(s) => Some(Spanned { node: s, span }),
            None => {
                self.diags.push(
                    Diagnostic::new(Code::E0001, span, format!("{what} cannot contain `${{…}}`"))
                        .label("interpolation is not allowed here")
                        .help(format!("write {what} as plain text")),
                );
                None
            }
        }
    }
}
