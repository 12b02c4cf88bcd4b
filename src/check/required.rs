//! Required attributes as data: a declaration lacking what it cannot do without (E0105).
//! The checkers say which keys are missing, with an example of each in lamc's spelling;
//! [`Missing::diagnostic`] is the one place that words the report.

use crate::diag::{Code, Diagnostic};
use crate::source::Span;

/// The kind of declaration that lacks attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    Function,
    Table,
    Alarm,
    Layer,
    Capacity,
}

impl Owner {
    fn word(self) -> &'static str {
        match self {
            Owner::Function => "function",
            Owner::Table => "table",
            Owner::Alarm => "alarm",
            Owner::Layer => "layer",
            Owner::Capacity => "capacity provider",
        }
    }

    /// Where lamc looked, or what the keys are for: the label on the declaration's name.
    fn why(self) -> &'static str {
        match self {
            Owner::Function => "not set here, in a template it extends, or in `defaults`",
            Owner::Table => "a table needs its partition key and its type",
            Owner::Alarm => "an alarm needs a metric, an operator and a threshold",
            Owner::Layer => "a layer needs the folder it is built from",
            Owner::Capacity => "a capacity provider launches its instances in these subnets",
        }
    }
}

/// A required key and how it could be written (`handler = "resize.handler"`).
pub(crate) struct Required {
    pub key: &'static str,
    pub example: String,
}

/// The keys a declaration lacks.
pub(crate) struct Missing<'a> {
    pub owner: Owner,
    pub name: &'a str,
    /// The declaration's name, where the report points.
    pub span: Span,
    pub keys: Vec<Required>,
}

impl Missing<'_> {
    /// The E0105 report, or `None` when nothing is missing.
    pub(crate) fn diagnostic(&self) -> Option<Diagnostic> {
        if self.keys.is_empty() {
            return None;
        }
        let keys: Vec<String> = self.keys.iter().map(|r| format!("`{}`", r.key)).collect();
        let examples: Vec<String> = self
            .keys
            .iter()
            .map(|r| format!("`{}`", r.example))
            .collect();
        let message = format!(
            "{} `{}` is missing {}",
            self.owner.word(),
            self.name,
            and_list(&keys)
        );
        Some(
            Diagnostic::new(Code::E0105, self.span, message)
                .label(self.owner.why())
                .help(format!("add {}", and_list(&examples))),
        )
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn required(key: &'static str, example: &str) -> Required {
        Required {
            key,
            example: example.to_string(),
        }
    }

    #[test]
    fn the_report_lists_each_missing_key_and_its_example() {
        let span = Span::new(FileId(0), 9, 15);
        let missing = Missing {
            owner: Owner::Function,
            name: "resize",
            span,
            keys: vec![
                required("code", "code = \"src/resize\""),
                required("handler", "handler = \"resize.handler\""),
            ],
        };
        let d = missing.diagnostic().expect("a report");
        assert_eq!(d.code, Code::E0105);
        assert_eq!(d.primary.span, span);
        assert_eq!(
            d.message,
            "function `resize` is missing `code` and `handler`"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("add `code = \"src/resize\"` and `handler = \"resize.handler\"`")
        );
        let none = Missing {
            keys: Vec::new(),
            ..missing
        };
        assert!(none.diagnostic().is_none());
    }
}
