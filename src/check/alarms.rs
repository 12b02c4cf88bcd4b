//! Alarms: `alarm METRIC[.STAT] OP THRESHOLD …` inside functions and templates, and
//! stack-level alarms (`alarm NAME { … }`, `alarm function.X.errors > 1 …`). Defaults per
//! decision 4: `over 1m`, `for 1 of 1`, `for N` alone is N of N.

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::model::{
    Alarm, DeployStr, FnMetric, Kind, Metric, MetricUnit, MissingData, ResRef, Stat, S,
};
use crate::schema::{self, COMPARISONS as OPS, MISSING_DATA_VALUES as MISSING};
use crate::source::Span;
use crate::syntax::ast::{AlarmDecl, AlarmExpr, CmpOp, Expr, ExprKind, Ident, Path, Spanned};

use super::attrs::Fields;
use super::cx::Cx;
use super::required::{Missing, Owner, Required};
use super::unresolved::Unresolved;
use super::values::describe;

/// `pNN` or `pNN.N` with a value from 0 to 100.
fn is_percentile(s: &str) -> bool {
    let Some(num) = s.strip_prefix('p') else {
        return false;
    };
    let (int, frac) = match num.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (num, None),
    };
    let digits = |t: &str| !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return false;
    }
    let whole: u32 = int.parse().unwrap_or(u32::MAX);
    whole < 100 || (whole == 100 && frac.is_none_or(|f| f.bytes().all(|b| b == b'0')))
}

/// The parts of an alarm common to both forms, not yet checked.
struct Parts<'a> {
    metric: S<Metric>,
    stat: S<Stat>,
    op: S<CmpOp>,
    threshold: &'a Expr,
    over: Option<&'a Expr>,
    datapoints: Option<S<u64>>,
    evaluations: Option<S<u64>>,
    notify: Vec<S<ResRef>>,
    missing: Option<S<MissingData>>,
    description: Option<S<DeployStr>>,
    name: Option<S<String>>,
    span: Span,
}

impl<'a> Cx<'a> {
    /// An alarm inside a function or template: `errors >= 5 over 5m …`. The function is
    /// filled in when the function is merged.
    pub fn lower_fn_alarm(&mut self, a: &'a AlarmExpr) -> Option<Alarm> {
        let segs = &a.metric.segments;
        let first = segs.first()?;
        let metric = self.fn_metric(first)?;
        let stat = self.stat(
            metric.default_stat(),
            segs.get(1..).unwrap_or_default(),
            a.metric.span,
        )?;
        let parts = self.expr_parts(
            a,
            S::new(
                Metric::Function {
                    function: String::new(),
                    metric,
                },
                a.metric.span,
            ),
            stat,
        )?;
        self.finish(parts)
    }

    pub fn lower_stack_alarm(&mut self, decl: &'a AlarmDecl) -> Option<Alarm> {
        self.start_declaration();
        match decl {
            AlarmDecl::Expr(a) => {
                let (metric, stat) = self.stack_metric(&a.metric)?;
                let parts = self.expr_parts(a, metric, stat)?;
                self.finish(parts)
            }
            AlarmDecl::Named { name, block, span } => {
                let f = self.block_fields(block, Some(schema::ALARM.attrs), schema::ALARM.owner);
                self.named(name, &f, *span)
            }
        }
    }

    fn fn_metric(&mut self, id: &Ident) -> Option<FnMetric> {
        if let Some((_, m)) = FnMetric::ALL.iter().find(|(n, _)| *n == id.name) {
            return Some(*m);
        }
        let mut d = Diagnostic::new(
            Code::E0302,
            id.span,
            format!("unknown function metric `{}`", id.name),
        )
        .label("not a metric of a function");
        match did_you_mean(&id.name, FnMetric::ALL.iter().map(|(n, _)| *n)) {
            Some(near) => {
                d = d.help(format!("did you mean `{near}`?")).fix(
                    format!("replace with `{near}`"),
                    id.span,
                    near,
                )
            }
            None => {
                let all: Vec<&str> = FnMetric::ALL.iter().map(|(n, _)| *n).collect();
                d = d.help(format!("metrics are: {}", all.join(", ")))
            }
        }
        self.report(d);
        None
    }

    /// The statistic after the metric (`p99`, `p99.9`, `max`), or the metric's default.
    fn stat(&mut self, default: Stat, rest: &[Ident], whole: Span) -> Option<S<Stat>> {
        let (Some(first), Some(last)) = (rest.first(), rest.last()) else {
            return Some(S::new(default, whole));
        };
        let text = rest
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(".");
        let span = first.span.to(last.span);
        let named = schema::STATISTICS.iter().find(|(w, _)| *w == text);
        let stat = match (named, text.as_str()) {
            (Some((_, stat)), _) => stat.clone(),
            (None, t) if is_percentile(t) => Stat::Percentile(t.to_string()),
            _ => {
                let names = schema::STATISTIC
                    .iter()
                    .chain(schema::STAT_SUGGESTIONS.iter().copied());
                let mut d =
                    Diagnostic::new(Code::E0302, span, format!("unknown statistic `{text}`"))
                        .label("not a statistic");
                match did_you_mean(&text, names) {
                    Some(near) => d = d.help(format!("did you mean `{near}`?")).fix(format!("replace with `{near}`"), span, near),
                    None => d = d.help("statistics are sum, avg, min, max, sample_count and percentiles p0 to p100 (e.g. p99.9)"),
                }
                self.report(d);
                return None;
            }
        };
        Some(S::new(stat, span))
    }

    /// `function.NAME.METRIC[.STAT]`, `queue.NAME.visible`, `queue.NAME.age`.
    fn stack_metric(&mut self, path: &'a Path) -> Option<(S<Metric>, S<Stat>)> {
        let segs = &path.segments;
        let (Some(kind_id), Some(_)) = (segs.first(), segs.get(1)) else {
            return self.bad_metric_path(path);
        };
        let kind = self.metric_source(kind_id)?;
        let r = self.resolve_prefix(path, kind)?;
        let Some(metric_id) = segs.get(2) else {
            return self.bad_metric_path(path);
        };
        let rest = segs.get(3..).unwrap_or_default();
        let (metric, default_stat) = match kind {
            Kind::Function => {
                let m = self.fn_metric(metric_id)?;
                let metric = Metric::Function {
                    function: r.name,
                    metric: m,
                };
                (metric, m.default_stat())
            }
            _ => (self.queue_metric(metric_id, r)?, Stat::Max),
        };
        let stat = self.stat(default_stat, rest, path.span)?;
        Some((S::new(metric, path.span), stat))
    }

    /// The kind a stack alarm's metric path starts with: a function or a queue (E0201).
    fn metric_source(&mut self, kind_id: &Ident) -> Option<Kind> {
        match kind_id.name.as_str() {
            "function" => return Some(Kind::Function),
            "queue" => return Some(Kind::Queue),
            _ => {}
        }
        let mut d = Diagnostic::new(
            Code::E0201,
            kind_id.span,
            format!("unknown metric source `{}`", kind_id.name),
        )
        .label("stack alarms watch a function or a queue");
        if let Some(near) = did_you_mean(&kind_id.name, ["function", "queue"]) {
            d = d
                .fix(format!("replace with `{near}`"), kind_id.span, near)
                .help(format!("did you mean `{near}`?"));
        } else {
            d = d.help("write function.NAME.METRIC or queue.NAME.visible / queue.NAME.age");
        }
        self.report(d);
        None
    }

    /// `visible` or `age` of the queue `r` (E0302 for another word).
    fn queue_metric(&mut self, metric_id: &Ident, r: ResRef) -> Option<Metric> {
        match metric_id.name.as_str() {
            "visible" => return Some(Metric::QueueVisible { queue: r }),
            "age" => return Some(Metric::QueueAge { queue: r }),
            _ => {}
        }
        let other = metric_id.name.as_str();
        let mut d = Diagnostic::new(
            Code::E0302,
            metric_id.span,
            format!("unknown queue metric `{other}`"),
        )
        .label("not a queue metric");
        match did_you_mean(other, ["visible", "age"]) {
            Some(near) => {
                d = d.help(format!("did you mean `{near}`?")).fix(
                    format!("replace with `{near}`"),
                    metric_id.span,
                    near,
                )
            }
            None => {
                d = d.help(
                    "queue metrics are `visible` (messages waiting) and `age` (oldest message)",
                )
            }
        }
        self.report(d);
        None
    }

    /// `KIND.NAME` at the start of a metric path, resolved as a reference.
    fn resolve_prefix(&mut self, path: &'a Path, kind: Kind) -> Option<ResRef> {
        let name = path.segments.get(1)?;
        if !self.scope.exists(kind, &name.name) {
            if self.scope.unreadable.may_declare(kind.as_str(), &name.name) {
                return None;
            }
            let mut d = Diagnostic::new(
                Code::E0201,
                name.span,
                format!("unresolved reference `{}.{}`", kind.as_str(), name.name),
            )
            .label(format!("no {} named `{}`", kind.as_str(), name.name));
            match did_you_mean(&name.name, self.scope.names_of(kind)) {
                Some(near) => {
                    d = d.help(format!("did you mean `{near}`?")).fix(
                        format!("replace with `{near}`"),
                        name.span,
                        near,
                    )
                }
                None => d = d.help(format!("declare {} `{}`", kind.as_str(), name.name)),
            }
            self.unresolved(Unresolved::Decl(kind, name.name.clone()), d);
            return None;
        }
        let r = ResRef {
            kind,
            name: name.name.clone(),
        };
        self.used.insert(r.clone());
        Some(r)
    }

    fn bad_metric_path<T>(&mut self, path: &Path) -> Option<T> {
        self.report(
            Diagnostic::new(
                Code::E0201,
                path.span,
                format!("`{}` is not a metric", path.text()),
            )
            .label("incomplete metric path")
            .help("write function.NAME.METRIC[.STAT], queue.NAME.visible or queue.NAME.age"),
        );
        None
    }

    fn notify(&mut self, paths: impl IntoIterator<Item = &'a Path>) -> Vec<S<ResRef>> {
        paths
            .into_iter()
            .filter_map(|p| self.path_ref(p, "notify", &[Kind::Topic]))
            .collect()
    }

    fn expr_parts(
        &mut self,
        a: &'a AlarmExpr,
        metric: S<Metric>,
        stat: S<Stat>,
    ) -> Option<Parts<'a>> {
        let (mut missing, mut description) = (None, None);
        if let Some(b) = &a.block {
            let f = self.block_fields(b, Some(schema::ALARM_EXPR.attrs), schema::ALARM_EXPR.owner);
            missing = self
                .get_expr(&f, "missing")
                .and_then(|e| self.symbol(e, "missing-data treatment", MISSING));
            description = self
                .get_expr(&f, "description")
                .and_then(|e| self.deploy_str(e, "description"));
        }
        let spanned = |s: &Option<Spanned<u64>>| s.as_ref().map(|s| S::new(s.node, s.span));
        Some(Parts {
            metric,
            stat,
            op: S::new(a.op.node, a.op.span),
            threshold: &a.threshold,
            over: a.over.as_ref(),
            datapoints: spanned(&a.for_n),
            evaluations: spanned(&a.of_m),
            notify: self.notify(&a.notify),
            missing,
            description,
            name: None,
            span: a.span,
        })
    }

    fn named(&mut self, name: &'a Ident, f: &Fields<'a>, span: Span) -> Option<Alarm> {
        self.report_missing_keys(name, f);
        let metric = self.named_metric(f);
        let op = self
            .get_expr(f, "op")
            .and_then(|e| self.symbol(e, "comparison", OPS));
        let threshold = self.get_expr(f, "threshold");
        let over = self.get_expr(f, "over");
        let datapoints = self
            .get_expr(f, "datapoints")
            .and_then(|e| self.count(e, "datapoints"));
        let evaluations = self
            .get_expr(f, "evaluations")
            .and_then(|e| self.count(e, "evaluations"));
        let notify = self.named_notify(f);
        let missing = self
            .get_expr(f, "missing")
            .and_then(|e| self.symbol(e, "missing-data treatment", MISSING));
        let description = self
            .get_expr(f, "description")
            .and_then(|e| self.deploy_str(e, "description"));
        let ((metric, stat), op, threshold) = (metric?, op?, threshold?);
        self.finish(Parts {
            metric,
            stat,
            op,
            threshold,
            over,
            datapoints,
            evaluations,
            notify,
            missing,
            description,
            name: Some(S::new(name.name.clone(), name.span)),
            span,
        })
    }

    /// E0105 naming every one of `metric`, `op` and `threshold` the named alarm leaves out.
    fn report_missing_keys(&mut self, name: &Ident, f: &Fields<'a>) {
        let examples = [
            ("metric", "metric = function.NAME.errors"),
            ("op", "op = \">=\""),
            ("threshold", "threshold = …"),
        ];
        let missing = Missing {
            owner: Owner::Alarm,
            name: &name.name,
            span: name.span,
            keys: examples
                .into_iter()
                .filter(|(k, _)| !f.written(k))
                .map(|(key, example)| Required {
                    key,
                    example: example.into(),
                })
                .collect(),
        };
        if let Some(d) = missing.diagnostic() {
            self.report(d);
        }
    }

    /// A named alarm's `metric = …`: a metric path (E0301 for another value).
    fn named_metric(&mut self, f: &Fields<'a>) -> Option<(S<Metric>, S<Stat>)> {
        let e = self.get_expr(f, "metric").and_then(|e| self.subst(e))?;
        if let ExprKind::Path(p) = &e.kind {
            return self.stack_metric(p);
        }
        self.report(
            Diagnostic::new(Code::E0301, e.span, "`metric` must be a metric path")
                .label(format!("this is {}", describe(e)))
                .help("write metric = function.NAME.errors or queue.NAME.visible"),
        );
        None
    }

    /// A named alarm's `notify = …`: one topic or a list of them.
    fn named_notify(&mut self, f: &Fields<'a>) -> Vec<S<ResRef>> {
        let Some(e) = self.get_expr(f, "notify").and_then(|e| self.subst(e)) else {
            return Vec::new();
        };
        let items: Vec<&Expr> = match &e.kind {
            ExprKind::List(items) => items.iter().collect(),
            _ => vec![e],
        };
        items
            .into_iter()
            .filter_map(|i| self.reference(i, "notify", &[Kind::Topic]))
            .collect()
    }

    fn finish(&mut self, p: Parts<'a>) -> Option<Alarm> {
        let name = match &p.metric.value {
            Metric::Function { metric, .. } => metric.as_str().to_string(),
            Metric::QueueVisible { .. } => "visible".into(),
            Metric::QueueAge { .. } => "age".into(),
        };
        let threshold = match p.metric.value.unit() {
            MetricUnit::Count => self.number_f64(
                p.threshold,
                "threshold",
                &format!("`{name}` counts events: write a plain number, e.g. 5"),
            ),
            MetricUnit::Duration => self.millis_f64(p.threshold, "threshold"),
            MetricUnit::Percent => self.percent(p.threshold, "threshold"),
        };
        let period = match p.over {
            Some(e) => self.seconds(e, "over"),
            None => Some(S::new(60, p.span)),
        };
        // `for N` alone is N of N; `evaluations = M` alone is M of M (CloudWatch's default).
        let (datapoints, evaluations) = match (p.datapoints, p.evaluations) {
            (Some(n), Some(m)) => (n, m),
            (Some(n), None) => (n.clone(), n),
            (None, Some(m)) => (S::new(m.value, p.span), m),
            (None, None) => (S::new(1, p.span), S::new(1, p.span)),
        };
        Some(Alarm {
            name: p.name,
            metric: p.metric,
            stat: p.stat,
            op: p.op,
            threshold: threshold?,
            period: period?,
            datapoints,
            evaluation_periods: evaluations,
            notify: p.notify,
            missing: p.missing,
            description: p.description,
            span: p.span,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::is_percentile;

    #[test]
    fn percentiles() {
        assert!(is_percentile("p99"));
        assert!(is_percentile("p99.9"));
        assert!(is_percentile("p0"));
        assert!(is_percentile("p100"));
        assert!(!is_percentile("p101"));
        assert!(!is_percentile("p"));
        assert!(!is_percentile("px"));
        assert!(!is_percentile("p9.x"));
    }
}
