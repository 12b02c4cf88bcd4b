//! A small builder for rule tests: every value gets a real span in a synthetic source
//! file, so tests can assert exactly where a diagnostic points.

use chrono::NaiveDate;

use crate::diag::{Code, Diagnostic};
use crate::model::*;
use crate::source::{FileId, SourceMap, Span};

use super::RuleContext;

pub(crate) struct Kit {
    text: String,
}

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

impl Kit {
    pub fn new() -> Self {
        Kit {
            text: String::new(),
        }
    }

    /// Append `text` as its own line and return its span.
    pub fn span(&mut self, text: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(text);
        self.text.push('\n');
        Span::new(FileId(0), start, start + text.len())
    }

    pub fn s<T>(&mut self, text: &str, value: T) -> S<T> {
        S::new(value, self.span(text))
    }

    /// A string literal: the span includes the quotes.
    pub fn str(&mut self, value: &str) -> S<String> {
        let text = format!("\"{value}\"");
        self.s(&text, value.to_string())
    }

    /// Literal text where deploy-time values are allowed.
    pub fn text(&mut self, value: &str) -> S<DeployStr> {
        let span = self.span(&format!("\"{value}\""));
        S::new(DeployStr::literal(value), span)
    }

    pub fn res_ref(&mut self, kind: Kind, name: &str) -> S<ResRef> {
        let text = format!("{}.{}", kind.as_str(), name);
        self.s(
            &text,
            ResRef {
                kind,
                name: name.to_string(),
            },
        )
    }

    /// A python3.12 function with a well-formed handler and S3 code.
    pub fn function(&mut self, name: &str) -> Function {
        let name_s = self.s(name, name.to_string());
        let span = self.span(&format!("function {name} {{ … }}"));
        let runtime = self.s("python3.12", "python3.12".to_string());
        let handler = self.str("app.handler");
        let code = self.s(
            "s3(\"artifacts\", \"app.zip\")",
            CodeSource::S3 {
                bucket: DeployStr::literal("artifacts"),
                key: DeployStr::literal("app.zip"),
            },
        );
        Function {
            runtime: Some(runtime),
            handler: Some(handler),
            code: Some(code),
            ..Function::new(name_s, span)
        }
    }

    pub fn resource(&mut self, kind: Kind, name: &str, spec: Spec) -> Resource {
        let name_span = self.span(name);
        let span = self.span(&format!("{} {name} {{ … }}", kind.as_str()));
        Resource {
            kind,
            name: name.to_string(),
            name_span,
            span,
            origin: Origin::Created(spec),
            options: Default::default(),
        }
    }

    pub fn existing(&mut self, kind: Kind, name: &str, arn: &str) -> Resource {
        let name_span = self.span(name);
        let arn = self.text(arn);
        let span = self.span(&format!("{} {name} from …", kind.as_str()));
        Resource {
            kind,
            name: name.to_string(),
            name_span,
            span,
            origin: Origin::Existing { arn },
            options: Default::default(),
        }
    }

    pub fn trigger(&mut self, kind: TriggerKind) -> Trigger {
        let span = self.span("on …");
        Trigger { kind, span }
    }

    /// `function.NAME.METRIC` alarm with the given op and threshold, over 1m, 1 of 1.
    pub fn alarm(&mut self, function: &str, metric: FnMetric, op: CmpOp, threshold: f64) -> Alarm {
        let m = self.s(
            metric.as_str(),
            Metric::Function {
                function: function.to_string(),
                metric,
            },
        );
        let stat = self.s("sum", metric.default_stat());
        let op = self.s(op.as_str(), op);
        let threshold = self.s(&threshold.to_string(), threshold);
        let period = self.s("1m", 60);
        let datapoints = self.s("1", 1);
        let evaluation_periods = self.s("1", 1);
        let span = self.span("alarm …");
        Alarm {
            name: None,
            metric: m,
            stat,
            op,
            threshold,
            period,
            datapoints,
            evaluation_periods,
            notify: Vec::new(),
            missing: None,
            description: None,
            span,
        }
    }

    pub fn sources(&self) -> SourceMap {
        let mut map = SourceMap::new();
        map.add("test.lam", None, self.text.clone());
        map
    }

    /// Run every rule with today pinned to the aws-limits.md snapshot date.
    pub fn run(&self, model: &Model) -> Vec<Diagnostic> {
        self.run_at(model, date(2026, 11, 26))
    }

    pub fn run_at(&self, model: &Model, today: NaiveDate) -> Vec<Diagnostic> {
        self.run_with(
            model,
            today,
            super::concurrency::DEFAULT_ACCOUNT_CONCURRENCY,
        )
    }

    /// Every rule, for an account with the given concurrency quota.
    pub fn run_with(&self, model: &Model, today: NaiveDate, account: u64) -> Vec<Diagnostic> {
        let sources = self.sources();
        let ctx = RuleContext {
            today,
            sources: &sources,
            let_values: &[],
            account_concurrency: account,
        };
        super::run(model, &ctx)
    }
}

pub(crate) use crate::syntax::ast::CmpOp;

pub(crate) fn model(functions: Vec<Function>) -> Model {
    Model {
        functions,
        ..Model::default()
    }
}

/// The diagnostics with `code`.
pub(crate) fn with_code(diags: &[Diagnostic], code: Code) -> Vec<&Diagnostic> {
    diags.iter().filter(|d| d.code == code).collect()
}

/// Exactly one diagnostic with `code`; panics with the full list otherwise.
#[track_caller]
pub(crate) fn one(diags: &[Diagnostic], code: Code) -> Diagnostic {
    let found = with_code(diags, code);
    assert_eq!(found.len(), 1, "expected one {code}, got {diags:#?}");
    found[0].clone()
}

/// No diagnostic with `code`.
#[track_caller]
pub(crate) fn none(diags: &[Diagnostic], code: Code) {
    let found = with_code(diags, code);
    assert!(found.is_empty(), "expected no {code}, got {found:#?}");
}
