//! The syntax tree of one `.lam` file. Every node keeps its [`Span`]; nothing here is
//! resolved or typed yet (that is `check`'s job).

use crate::source::Span;

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

/// One parsed file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct File {
    pub items: Vec<Item>,
    /// Every `#` comment (from `#` to the end of its line, newline excluded), in order, so
    /// that a formatter can keep them.
    pub comments: Vec<Span>,
    /// Declarations that could not be parsed (each reported), in order.
    pub unreadable: Vec<Unreadable>,
}

/// A declaration that could not be parsed, as far as its first words tell: the checker
/// knows that something of that kind and name was written, so that references to it are
/// not reported as unresolved too.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    /// The declaration keyword (`function`, `queue`, `param`, …), or the one that a
    /// misspelt keyword was taken for (`fucntion` → `function`).
    pub keyword: String,
    /// The name after the keyword, when one is there (none for `use` and `defaults`).
    pub name: Option<Ident>,
    /// From the keyword to where parsing resumed.
    pub span: Span,
}

// Items are built once per parse and never moved in bulk; boxing variants would only add
// indirection to every consumer. The rarer large ones (`param` with a default and a block,
// an existing resource with its ARN) are boxed: every item is the size of the largest.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Use(UseDecl),
    Param(Box<ParamDecl>),
    Let(LetDecl),
    App(AppDecl),
    Defaults(DefaultsDecl),
    /// `template NAME [extends …] { body }`
    Template(FunctionDecl),
    /// `function NAME [extends …] { body }`
    Function(FunctionDecl),
    /// `queue NAME { … }` and the other resource kinds.
    Resource(ResourceDecl),
    /// `queue NAME from "arn:…"`
    Existing(Box<ExistingDecl>),
    Alarm(AlarmDecl),
    Output(OutputDecl),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Use(d) => d.span,
            Item::Param(d) => d.span,
            Item::Let(d) => d.span,
            Item::App(d) => d.span,
            Item::Defaults(d) => d.span,
            Item::Template(d) | Item::Function(d) => d.span,
            Item::Resource(d) => d.span,
            Item::Existing(d) => d.span,
            Item::Alarm(d) => d.span(),
            Item::Output(d) => d.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct UseDecl {
    pub target: UseTarget,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UseTarget {
    /// `use std.alarms` — the module name (`alarms`).
    Std(Ident),
    /// `use "shared/queues.lam"` — path relative to the using file.
    File(Spanned<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParamDecl {
    pub name: Ident,
    /// The type's word as written (`subnets`); the checker knows the words.
    pub ty: Spanned<String>,
    pub default: Option<Expr>,
    /// `{ allowed = [...], description = "…" }`
    pub block: Option<Block>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LetDecl {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppDecl {
    pub name: Ident,
    pub block: Block,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DefaultsDecl {
    /// The `defaults` keyword.
    pub keyword: Span,
    pub body: Body,
    pub span: Span,
}

/// A function or a template: same shape.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDecl {
    pub name: Ident,
    pub extends: Vec<Ident>,
    pub body: Body,
    pub span: Span,
}

/// The body of a function, template or `defaults`: attributes, nested blocks, triggers,
/// alarms and `allow` lines, in source order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    pub members: Vec<Member>,
    pub span: Span,
}

/// Triggers, alarms and `allow` lines are boxed: they are larger than an entry (an `allow`
/// holds two expressions), and a body holds mostly entries (a 10,000-function file has
/// ~120,000 members).
#[derive(Debug, Clone, PartialEq)]
pub enum Member {
    /// `memory = 512MB` or `env { … }`
    Entry(Entry),
    Trigger(Box<Trigger>),
    Alarm(Box<AlarmExpr>),
    Allow(Box<Allow>),
}

/// `{ key = value, nested { … } }`
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    pub entries: Vec<Entry>,
    pub span: Span,
}

impl Block {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key.name == key)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Ident,
    pub value: EntryValue,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EntryValue {
    /// `key = expr`
    Expr(Expr),
    /// `key { … }` (env, cors, concurrency, async, url, …)
    Block(Block),
}

impl EntryValue {
    pub fn span(&self) -> Span {
        match self {
            EntryValue::Expr(e) => e.span,
            EntryValue::Block(b) => b.span,
        }
    }
}

/// `on KIND [SOURCE] [via PATH] [{ … }]`
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    /// `http`, `sqs`, `sns`, `s3`, `dynamodb`, `kinesis`, `schedule` (checked later).
    pub kind: Ident,
    /// `"GET /users/{id}"`, `queue.orders`, `rate(5m)`, …
    pub source: Option<Expr>,
    pub via: Option<Path>,
    pub block: Option<Block>,
    pub span: Span,
}

/// `allow ["s3:PutObject"] on bucket.thumbs`
#[derive(Debug, Clone, PartialEq)]
pub struct Allow {
    /// A single string or a list of strings (as written; checked later).
    pub actions: Expr,
    /// A path (`secret.db`) or a string (an ARN).
    pub target: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Gt,
    Ge,
    Lt,
    Le,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
        }
    }
}

/// `METRIC[.STAT] OP THRESHOLD [over P] [for N [of M]] [notify REF, …] [{ … }]`
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmExpr {
    pub metric: Path,
    pub op: Spanned<CmpOp>,
    pub threshold: Expr,
    pub over: Option<Expr>,
    /// `for N`: datapoints to alarm.
    pub for_n: Option<Spanned<u64>>,
    /// `of M`: evaluation periods.
    pub of_m: Option<Spanned<u64>>,
    pub notify: Vec<Path>,
    pub block: Option<Block>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AlarmDecl {
    /// `alarm NAME { metric = …, … }`
    Named {
        name: Ident,
        block: Block,
        span: Span,
    },
    /// `alarm queue.dlq.visible > 0 over 5m notify topic.oncall`
    Expr(Box<AlarmExpr>),
}

impl AlarmDecl {
    pub fn span(&self) -> Span {
        match self {
            AlarmDecl::Named { span, .. } => *span,
            AlarmDecl::Expr(e) => e.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResourceDecl {
    /// `queue`, `topic`, `bucket`, `table`, `stream`, `api`
    pub kind: Ident,
    pub name: Ident,
    pub block: Block,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExistingDecl {
    pub kind: Ident,
    pub name: Ident,
    /// The ARN: a string, possibly with deploy-time parts (`"arn:aws:sqs:${aws.region}:…"`).
    pub arn: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutputDecl {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

/// A dotted path: `python3.12`, `queue.orders`, `bucket.thumbs.name`, `duration.p99`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub segments: Vec<Ident>,
    pub span: Span,
}

impl Path {
    /// The path as written, segments joined by `.`.
    pub fn text(&self) -> String {
        self.segments
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(".")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Str(StrLit),
    /// A plain number (`42`, `1_000`, `0.5`), exact.
    Number(Decimal),
    /// A number glued to a unit (`512MB`, `1.5GB`, `30s`, `70%`).
    Quantity(Quantity),
    Bool(bool),
    List(Vec<Expr>),
    Map(Vec<MapEntry>),
    /// `5..50 [at 70%]`
    Range {
        lo: Spanned<u64>,
        hi: Spanned<u64>,
        at: Option<Box<Expr>>,
    },
    /// `rate(5m)`, `cron("…")`, `s3("b", "k")`, …
    Call {
        name: Ident,
        args: Vec<Expr>,
    },
    Path(Path),
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapEntry {
    pub key: Ident,
    pub value: Expr,
}

/// A string literal. `parts` alternate literal text and `${…}` interpolations; a raw
/// `"""…"""` string is a single literal part.
#[derive(Debug, Clone, PartialEq)]
pub struct StrLit {
    pub parts: Vec<StrPart>,
    pub raw: bool,
}

impl StrLit {
    /// The text when the string has no interpolation.
    pub fn as_plain(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                StrPart::Lit(s) => out.push_str(s),
                StrPart::Interp(_) => return None,
            }
        }
        Some(out)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum StrPart {
    /// Literal text, escapes already decoded.
    Lit(String),
    /// `${expr}`
    Interp(Expr),
}

/// An exact decimal: `digits / 10^scale` (`1.5` = 15 / 10^1). No floating point, so
/// `1.5GB` is exactly `1536MB` and `1500ms` is known not to be whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub digits: u128,
    pub scale: u32,
}

impl Decimal {
    pub fn int(v: u128) -> Self {
        Decimal {
            digits: v,
            scale: 0,
        }
    }

    /// `self × factor`, when it is a whole number.
    pub fn times_whole(self, factor: u128) -> Option<u128> {
        let n = self.digits.checked_mul(factor)?;
        let d = 10u128.checked_pow(self.scale)?;
        (n % d == 0).then_some(n / d)
    }

    pub fn to_f64(self) -> f64 {
        self.digits as f64 / 10f64.powi(self.scale as i32)
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.digits);
        }
        let d = 10u128.pow(self.scale);
        let frac = format!("{:0width$}", self.digits % d, width = self.scale as usize);
        write!(f, "{}.{}", self.digits / d, frac.trim_end_matches('0'))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Kb,
    Mb,
    Gb,
    Ms,
    S,
    M,
    H,
    D,
    Percent,
}

impl Unit {
    /// How the language writes it ([`crate::schema::UNITS`]).
    pub fn as_str(self) -> &'static str {
        crate::schema::UNITS
            .iter()
            .find(|(_, u)| *u == self)
            .map_or("", |(w, _)| w)
    }

    pub fn parse(s: &str) -> Option<Unit> {
        crate::schema::UNITS
            .iter()
            .find(|(w, _)| *w == s)
            .map(|(_, u)| *u)
    }

    pub fn dimension(self) -> Dimension {
        match self {
            Unit::Kb | Unit::Mb | Unit::Gb => Dimension::Size,
            Unit::Ms | Unit::S | Unit::M | Unit::H | Unit::D => Dimension::Duration,
            Unit::Percent => Dimension::Percent,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Size,
    Duration,
    Percent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    pub value: Decimal,
    pub unit: Unit,
}

impl Quantity {
    /// Size in KB (binary: 1MB = 1024KB), when whole.
    pub fn kilobytes(self) -> Option<u128> {
        let f = match self.unit {
            Unit::Kb => 1,
            Unit::Mb => 1024,
            Unit::Gb => 1024 * 1024,
            _ => return None,
        };
        self.value.times_whole(f)
    }

    /// Size in whole MB, when it is whole (1.5GB → 1536; 1536KB → None… unless divisible).
    pub fn megabytes(self) -> Option<u128> {
        let kb = self.kilobytes()?;
        (kb % 1024 == 0).then_some(kb / 1024)
    }

    /// Duration in whole milliseconds, when whole.
    pub fn millis(self) -> Option<u128> {
        let f = match self.unit {
            Unit::Ms => 1,
            Unit::S => 1000,
            Unit::M => 60_000,
            Unit::H => 3_600_000,
            Unit::D => 86_400_000,
            _ => return None,
        };
        self.value.times_whole(f)
    }

    /// Duration in whole seconds, when it is whole (`1500ms` → None).
    pub fn seconds(self) -> Option<u128> {
        let ms = self.millis()?;
        (ms % 1000 == 0).then_some(ms / 1000)
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.value, self.unit.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_convert_exactly() {
        let q = |d, s, u| Quantity {
            value: Decimal {
                digits: d,
                scale: s,
            },
            unit: u,
        };
        assert_eq!(q(15, 1, Unit::Gb).megabytes(), Some(1536));
        assert_eq!(q(2, 0, Unit::Gb).megabytes(), Some(2048));
        assert_eq!(q(1500, 0, Unit::Ms).seconds(), None);
        assert_eq!(q(2, 0, Unit::M).seconds(), Some(120));
        assert_eq!(q(15, 1, Unit::S).millis(), Some(1500));
        assert_eq!(
            Decimal {
                digits: 150,
                scale: 2
            }
            .to_string(),
            "1.5"
        );
    }
}
