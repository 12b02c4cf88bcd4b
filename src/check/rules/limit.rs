//! Limits as data: a number outside its bounds, a text of the wrong length, a list with
//! too many items. The rules find a [`Limit`] problem; [`Limit::diagnostic`] is the one
//! place that words it (message, label, help, fix), from the problem's fields and the
//! numbers in `src/schema/limits.rs`.

use crate::diag::{Code, Diagnostic};
use crate::model::{DeployStr, S};
use crate::schema::limits::Bounds;
use crate::source::Span;

use super::util::shown;
use super::RuleContext;

/// The declaration whose kind sets tighter bounds than the attribute's own.
pub(crate) struct Because<'a> {
    /// The declaration, with its article ("a FIFO queue").
    pub owner: &'a str,
    /// Where it is declared so, and what the label there says ("this queue is FIFO").
    pub span: Span,
    pub label: &'a str,
}

/// One limit broken, with what the diagnostic needs to say so.
pub(crate) enum Limit<'a> {
    /// A number outside `bounds`: `memory = 20GB`.
    OutOfRange {
        code: Code,
        /// The attribute as the message names it ("memory", "async retries").
        attribute: &'a str,
        value: &'a S<u64>,
        bounds: &'static Bounds,
        /// Where the bounds come from, when they are not the attribute's own (a FIFO
        /// queue's smaller batches).
        because: Option<Because<'a>>,
    },
    /// A text shorter or longer than allowed: a description of 300 characters.
    Length {
        code: Code,
        /// What the text is ("description", "tag key").
        what: &'a str,
        span: Span,
        /// Characters (or bytes) counted; deploy-time parts count as none.
        chars: usize,
        /// What `chars` counts: "characters" or "bytes".
        unit: &'static str,
        /// Whether deploy-time parts may add to `chars` (the count is then a minimum).
        partly_known: bool,
        min: usize,
        max: usize,
        /// How to bring it within the limit, in the terms of the attribute.
        help: String,
    },
    /// More items than allowed: a sixth layer.
    TooMany {
        code: Code,
        /// The items, plural ("layers", "CORS methods").
        items: &'a str,
        /// Who holds them, with its article ("a function", "a function URL").
        owner: &'a str,
        /// The first item past the limit, and the others after it.
        first_extra: Span,
        more: Vec<Span>,
        count: usize,
        max: usize,
        help: String,
    },
}

impl<'a> Limit<'a> {
    /// `value` when it lies outside `bounds`.
    pub(crate) fn range(
        code: Code,
        attribute: &'a str,
        value: &'a S<u64>,
        bounds: &'static Bounds,
    ) -> Option<Limit<'a>> {
        let inside = (bounds.lo..=bounds.hi).contains(&value.value);
        (!inside).then_some(Limit::OutOfRange {
            code,
            attribute,
            value,
            bounds,
            because: None,
        })
    }

    /// A text AWS takes as it is, of at most `max` characters (E0451), when `text` is
    /// longer. Deploy-time parts count as empty: only a certain excess is reported.
    pub(crate) fn text_length(
        what: &'a str,
        span: Span,
        text: &DeployStr,
        max: usize,
    ) -> Option<Limit<'a>> {
        let chars = text.known_chars();
        (chars > max).then(|| Limit::Length {
            code: Code::E0451,
            what,
            span,
            chars,
            unit: "characters",
            partly_known: text.as_literal().is_none(),
            min: 0,
            max,
            help: format!("shorten the {what} to {max} characters"),
        })
    }

    /// More than `max` items (at `spans`, in order) held by `owner`: the first one past
    /// the limit is the label, the rest follow it.
    pub(crate) fn too_many(
        code: Code,
        items: &'a str,
        owner: &'a str,
        spans: &[Span],
        max: usize,
        help: String,
    ) -> Option<Limit<'a>> {
        let (first_extra, more) = spans.get(max..)?.split_first()?;
        Some(Limit::TooMany {
            code,
            items,
            owner,
            first_extra: *first_extra,
            more: more.to_vec(),
            count: spans.len(),
            max,
            help,
        })
    }

    /// The same problem, its bounds set by `why` (only a range has such a cause).
    pub(crate) fn because(self, why: Because<'a>) -> Self {
        match self {
            Limit::OutOfRange {
                code,
                attribute,
                value,
                bounds,
                ..
            } => Limit::OutOfRange {
                code,
                attribute,
                value,
                bounds,
                because: Some(why),
            },
            other => other,
        }
    }

    /// The diagnostic that reports this problem.
    pub(crate) fn diagnostic(&self, ctx: &RuleContext) -> Diagnostic {
        match self {
            Limit::OutOfRange {
                code,
                attribute,
                value,
                bounds,
                because,
            } => {
                let d = out_of_range(ctx, *code, attribute, value, bounds, because.as_ref());
                match because {
                    Some(b) => d.secondary(b.span, b.label),
                    None => d,
                }
            }
            Limit::Length {
                code,
                what,
                span,
                chars,
                unit,
                partly_known,
                min,
                max,
                help,
            } => {
                let (message, label) = length_words(what, *chars, unit, *partly_known, *min, *max);
                Diagnostic::new(*code, *span, message)
                    .label(label)
                    .help(help.clone())
            }
            Limit::TooMany {
                code,
                items,
                owner,
                first_extra,
                more,
                count,
                max,
                help,
            } => {
                let d = Diagnostic::new(
                    *code,
                    *first_extra,
                    format!("{count} {items}; {owner} can have at most {max}"),
                )
                .label(format!("the first past {max}"))
                .help(help.clone());
                more.iter()
                    .fold(d, |d, span| d.secondary(*span, "also past the limit"))
            }
        }
    }
}

/// A length's message (too short or too long) and its label: what was counted, and what
/// is allowed.
fn length_words(
    what: &str,
    chars: usize,
    unit: &str,
    partly_known: bool,
    min: usize,
    max: usize,
) -> (String, String) {
    let counted = if partly_known {
        format!("at least {chars}")
    } else {
        chars.to_string()
    };
    let (message, limit) = if chars < min {
        (format!("{what} is too short"), format!("at least {min}"))
    } else {
        (format!("{what} is too long"), format!("at most {max}"))
    };
    (message, format!("{counted} {unit}; {limit} are allowed"))
}

/// `memory 20GB is out of range`: the label says which end it passes, the help the
/// allowed range, the fix the nearest allowed value.
fn out_of_range(
    ctx: &RuleContext,
    code: Code,
    attribute: &str,
    v: &S<u64>,
    bounds: &Bounds,
    because: Option<&Because>,
) -> Diagnostic {
    let fmt = bounds.measure.format();
    let (lo, hi) = (fmt(bounds.lo), fmt(bounds.hi));
    let nearest = fmt(v.value.clamp(bounds.lo, bounds.hi));
    let written = shown(ctx, v, || fmt(v.value));
    let passed = if v.value > bounds.hi {
        format!("above the maximum, {hi}")
    } else {
        format!("below the minimum, {lo}")
    };
    let allowed = if bounds.hi == u64::MAX {
        format!("use {lo} or more")
    } else {
        format!("use a value between {lo} and {hi}")
    };
    Diagnostic::new(
        code,
        v.span,
        match because {
            Some(b) => format!("{attribute} {written} is out of range for {}", b.owner),
            None => format!("{attribute} {written} is out of range"),
        },
    )
    .label(passed)
    .help(allowed)
    .fix(format!("use {nearest}"), v.span, nearest)
}
