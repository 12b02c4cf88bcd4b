//! `on KIND SOURCE [via api.X] [{ … }]` → [`Trigger`] (decision 5). Validates the shape and
//! the kinds of what is referenced; ranges and the schedule expressions are the rules' job.

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::events::{self, Dialect, Problem, Quota, Record};
use crate::model::{
    Kind, Pollers, S3Event, Schedule, ScheduleOptions, StartPosition, StreamOptions, Trigger,
    TriggerKind, Value, DEFAULT_ROUTE, S,
};
use crate::schema::limits::{Bounds, ESM_FILTERS, ESM_FILTERS_DEFAULT};
use crate::schema::{self, METHODS, START_POSITIONS};
use crate::source::Span;
use crate::spelling;
use crate::syntax::ast::{self, Expr, ExprKind, Ident};

use super::attrs::{Field, Fields, Val};
use super::cx::Cx;
use super::values::describe;

impl<'a> Cx<'a> {
    pub fn lower_trigger(&mut self, t: &'a ast::Trigger) -> Option<Trigger> {
        let kind = t.kind.name.as_str();
        let Some(spec) = schema::trigger(kind) else {
            let kinds = || schema::TRIGGERS.iter().map(|t| t.kind);
            let mut d = Diagnostic::new(
                Code::E0302,
                t.kind.span,
                format!("unknown trigger `on {kind}`"),
            )
            .label("not a trigger kind");
            match did_you_mean(kind, kinds()) {
                Some(near) => {
                    d = d.help(format!("did you mean `on {near}`?")).fix(
                        format!("replace with `{near}`"),
                        t.kind.span,
                        near,
                    )
                }
                None => {
                    let all: Vec<&str> = kinds().collect();
                    d = d.help(format!("triggers are: {}", all.join(", ")))
                }
            }
            self.report(d);
            return None;
        };
        if let (Some(via), false) = (&t.via, kind == "http") {
            // From the end of what precedes `via` (the source, else the kind) to its path.
            let before = t.source.as_ref().map_or(t.kind.span, |s| s.span);
            let whole = Span::new(via.span.file, before.end, via.span.end);
            self.report(
                Diagnostic::new(
                    Code::E0457,
                    via.span,
                    format!("`via` does not apply to `on {kind}`"),
                )
                .label("only http triggers are routed through an api")
                .help(format!("remove `via {}`", via.text()))
                .fix(format!("remove `via {}`", via.text()), whole, ""),
            );
        }
        let block = match &t.block {
            Some(b) => self.block_fields(b, Some(spec.block.attrs), spec.block.owner),
            None => Fields::default(),
        };
        let source = t.source.as_ref();
        if spec.needs_source && source.is_none() {
            let example = spec.example;
            self.report(
                Diagnostic::new(Code::E0459, t.span, format!("`on {kind}` needs a source"))
                    .label("nothing to trigger on")
                    .help(format!("write `{example}`")),
            );
            return None;
        }
        let kind = self.trigger_kind(t, source, &block)?;
        Some(Trigger { kind, span: t.span })
    }

    /// The trigger of kind `t.kind`, known to the schema, from its source (there when the
    /// schema says it needs one) and its options.
    fn trigger_kind(
        &mut self,
        t: &'a ast::Trigger,
        source: Option<&'a Expr>,
        block: &Fields<'a>,
    ) -> Option<TriggerKind> {
        match t.kind.name.as_str() {
            "http" => self.http(t, source?, block),
            "sqs" => self.sqs(source?, block),
            "sns" => Some(TriggerKind::Sns {
                topic: self.reference(source?, "on sns", &[Kind::Topic])?,
                filter: block.get("filter").and_then(|f| self.map_value(f)),
            }),
            "s3" => self.s3(t, source?, block),
            "dynamodb" => Some(TriggerKind::DynamoDb {
                table: self.reference(source?, "on dynamodb", &[Kind::Table])?,
                options: self.stream_options(t, block, Record::DynamoDb),
            }),
            "kinesis" => Some(TriggerKind::Kinesis {
                stream: self.reference(source?, "on kinesis", &[Kind::Stream])?,
                options: self.stream_options(t, block, Record::Kinesis),
            }),
            "schedule" => self.scheduled(source?, block),
            "event" => self.event(t, source, block),
            "kafka" => self.kafka(t, source?, block),
            // Every kind of the schema has its arm above.
            _ => None,
        }
    }

    fn sqs(&mut self, source: &'a Expr, block: &Fields<'a>) -> Option<TriggerKind> {
        Some(TriggerKind::Sqs {
            queue: self.reference(source, "on sqs", &[Kind::Queue])?,
            batch: self
                .get_expr(block, "batch")
                .and_then(|e| self.count(e, "batch")),
            window: self
                .get_expr(block, "window")
                .and_then(|e| self.seconds(e, "window")),
            max_concurrency: self
                .get_expr(block, "max_concurrency")
                .and_then(|e| self.count(e, "max_concurrency")),
            report_failures: self
                .get_expr(block, "report_failures")
                .and_then(|e| self.boolean(e, "report_failures")),
            pollers: self
                .get_expr(block, "pollers")
                .and_then(|e| self.pollers(e)),
            filter: self.esm_filter(block, Record::Sqs),
        })
    }

    /// `pollers = MIN..MAX` (ESM-14); the ranges are the rules' job.
    pub(super) fn pollers(&mut self, e: &'a Expr) -> Option<S<Pollers>> {
        let e = self.subst(e)?;
        match &e.kind {
            ExprKind::Range { lo, hi, at: None } => Some(S::new(
                Pollers {
                    min: S::new(lo.node, lo.span),
                    max: S::new(hi.node, hi.span),
                },
                e.span,
            )),
            _ => {
                self.report(
                    Diagnostic::new(Code::E0301, e.span, "`pollers` must be a range MIN..MAX")
                        .label(format!("this is {}", describe(e)))
                        .help("write the fewest and most pollers: `pollers = 2..20`"),
                );
                None
            }
        }
    }

    /// `on event [bus.X] { pattern = {…}, input = {…}, enabled = … }`: a rule on the
    /// default bus, or on the bus named. The pattern is validated as EventBridge would
    /// (`crate::events`).
    fn event(
        &mut self,
        t: &'a ast::Trigger,
        source: Option<&'a Expr>,
        block: &Fields<'a>,
    ) -> Option<TriggerKind> {
        let bus = match source {
            Some(src) => Some(self.reference(src, "on event", &[Kind::Bus])?),
            None => None,
        };
        let Some(field) = block.get("pattern") else {
            self.report(
                Diagnostic::new(Code::E0105, t.span, "`on event` needs a `pattern`")
                    .label("no event pattern")
                    .help("write `on event { pattern = { source = [\"aws.ec2\"] } }`"),
            );
            return None;
        };
        let problems = (self.diags.len(), self.unresolved.len());
        let pattern = self.map_value(field)?;
        // A map whose entries were all reported unreadable is not empty as written.
        let unreadable = problems != (self.diags.len(), self.unresolved.len());
        if matches!(&pattern.value, Value::Map(m) if m.is_empty()) && !unreadable {
            self.report(
                Diagnostic::new(Code::E0452, pattern.span, "the event pattern is empty")
                    .label("matches nothing: EventBridge refuses an empty pattern")
                    .help("name the events to match: `pattern = { source = [\"aws.ec2\"] }`"),
            );
            return None;
        }
        if !unreadable {
            let problems = events::check(&self.pattern_tree(field), Dialect::Rule);
            self.report_patterns(problems);
        }
        Some(TriggerKind::Event {
            bus,
            pattern,
            input: block.get("input").and_then(|f| self.map_value(f)),
            enabled: self
                .get_expr(block, "enabled")
                .and_then(|e| self.boolean(e, "enabled")),
        })
    }

    /// `filter = { … }` or `filter = [{ … }, …]` of an event source mapping: Lambda's
    /// FilterCriteria, each pattern validated for the source's records.
    pub(super) fn esm_filter(
        &mut self,
        block: &Fields<'a>,
        record: Record,
    ) -> Option<S<Vec<Value>>> {
        let field = block.get("filter")?;
        let span = field.val.span();
        let items: Vec<Field<'a>> = match field.val {
            Val::Expr(e) => match self.subst_symbol(e).map(|e| &e.kind) {
                Some(ExprKind::List(items)) => items
                    .iter()
                    .map(|i| Field {
                        key: field.key,
                        val: Val::Expr(i),
                    })
                    .collect(),
                _ => vec![field],
            },
            Val::Block(_) => vec![field],
        };
        if items.is_empty() {
            self.report_patterns(vec![Problem::Empty { span }]);
            return None;
        }
        let mut error = self.report_patterns(filter_count(span, items.len()));
        let mut patterns = Vec::new();
        for item in items {
            let before = (self.diags.len(), self.unresolved.len());
            let tree = self.pattern_tree(item);
            if !matches!(tree.node, events::Node::Map(_)) {
                error |= self.report_patterns(vec![Problem::NotAPattern { span: tree.span }]);
                continue;
            }
            let value = self.map_value(item);
            if before != (self.diags.len(), self.unresolved.len()) {
                error = true;
                continue;
            }
            error |= self.report_patterns(events::check(&tree, Dialect::Filter(record)));
            patterns.extend(value.map(|v| v.value));
        }
        (!error).then(|| S::new(patterns, span))
    }

    fn scheduled(&mut self, source: &'a Expr, block: &Fields<'a>) -> Option<TriggerKind> {
        Some(TriggerKind::Schedule {
            expr: self.schedule(source)?,
            timezone: self
                .get_expr(block, "timezone")
                .and_then(|e| self.string(e, "timezone")),
            input: block.get("input").and_then(|f| self.map_value(f)),
            enabled: self
                .get_expr(block, "enabled")
                .and_then(|e| self.boolean(e, "enabled")),
            options: Box::new(self.schedule_options(block)),
        })
    }

    /// `name` and the EventBridge Scheduler options of `on schedule`.
    fn schedule_options(&mut self, b: &Fields<'a>) -> ScheduleOptions {
        let text =
            |cx: &mut Self, key: &str| cx.get_expr(b, key).and_then(|e| cx.deploy_str(e, key));
        ScheduleOptions {
            name: text(self, "name"),
            window: self
                .get_expr(b, "window")
                .and_then(|e| self.seconds(e, "window")),
            retries: self
                .get_expr(b, "retries")
                .and_then(|e| self.count(e, "retries")),
            max_age: self
                .get_expr(b, "max_age")
                .and_then(|e| self.seconds(e, "max_age")),
            on_failure: self
                .get_expr(b, "on_failure")
                .and_then(|e| self.reference(e, "on_failure", &[Kind::Queue])),
            start: text(self, "start"),
            end: text(self, "end"),
            group: text(self, "group"),
        }
    }

    fn http(
        &mut self,
        t: &'a ast::Trigger,
        source: &'a Expr,
        block: &Fields<'a>,
    ) -> Option<TriggerKind> {
        let route = self.string(source, "http route")?;
        if route.value.trim() == DEFAULT_ROUTE {
            // AG-08: the catch-all route, every method and path no other route takes.
            let api = self.via_api(t)?;
            return Some(self.http_route(block, "ANY", DEFAULT_ROUTE, &route, api));
        }
        let (upper, path) = self.method_and_path(&route)?;
        self.express_parameters(&route, path);
        let api = self.via_api(t)?;
        Some(self.http_route(block, &upper, path, &route, api))
    }

    /// The method (upper case) and the path of `"METHOD /path"`: E0324 for another shape
    /// or a path without its `/`, E0302 for an unknown method.
    fn method_and_path<'r>(&mut self, route: &'r S<String>) -> Option<(String, &'r str)> {
        let mut words = route.value.split_whitespace();
        let (Some(method), Some(path), None) = (words.next(), words.next(), words.next()) else {
            self.report(not_method_and_path(route));
            return None;
        };
        let upper = method.to_ascii_uppercase();
        if !METHODS.contains(&upper.as_str()) {
            let mut d = Diagnostic::new(
                Code::E0302,
                route.span,
                format!("unknown http method `{method}`"),
            )
            .label("not an http method");
            match did_you_mean(&upper, METHODS.iter().copied()) {
                Some(near) => {
                    d = d.help(format!(
                        "did you mean `{near}`? (methods: {})",
                        METHODS.join(", ")
                    ))
                }
                None => d = d.help(format!("methods are: {}", METHODS.join(", "))),
            }
            self.report(d);
            return None;
        }
        if !path.starts_with('/') {
            let help = if path == DEFAULT_ROUTE {
                format!("the catch-all route takes every method: write \"{DEFAULT_ROUTE}\" alone")
            } else {
                format!("write \"{upper} /{path}\"")
            };
            self.report(
                Diagnostic::new(
                    Code::E0324,
                    route.span,
                    format!("http path `{path}` must start with `/`"),
                )
                .label("not a path")
                .help(help),
            );
            return None;
        }
        Some((upper, path))
    }

    /// The API a route goes through: `via api.X`, else the implicit `api.default`.
    fn via_api(&mut self, t: &'a ast::Trigger) -> Option<S<String>> {
        Some(match &t.via {
            Some(via) => {
                let r = self.path_ref(via, "via", &[Kind::Api])?;
                S::new(r.value.name, r.span)
            }
            None => {
                self.used.insert(crate::model::ResRef {
                    kind: Kind::Api,
                    name: "default".into(),
                });
                S::new("default".to_string(), t.kind.span)
            }
        })
    }

    fn http_route(
        &mut self,
        block: &Fields<'a>,
        method: &str,
        path: &str,
        route: &S<String>,
        api: S<String>,
    ) -> TriggerKind {
        TriggerKind::Http {
            method: S::new(method.to_string(), route.span),
            path: S::new(path.to_string(), route.span),
            api,
            auth: self
                .get_expr(block, "auth")
                .and_then(|e| self.route_auth(e, "auth")),
            scopes: self
                .get_expr(block, "scopes")
                .map(|e| self.deploy_strs(e, "scopes"))
                .unwrap_or_default(),
            public: self
                .get_expr(block, "public")
                .and_then(|e| self.boolean(e, "public")),
        }
    }

    /// `rate("5 minutes")`: EventBridge's words, where lamc takes a duration.
    fn rate_in_words(&self, kind: &str, arg: &'a Expr) -> Option<Diagnostic> {
        let ExprKind::Str(s) = &self.subst_symbol(arg)?.kind else {
            return None;
        };
        let ours = spelling::rate_duration(&s.as_plain()?).filter(|_| kind == "rate")?;
        Some(
            Diagnostic::new(Code::E0301, arg.span, "`rate` must be a duration")
                .label("this is a string")
                .help(format!("lamc writes a rate as a duration: `rate({ours})`"))
                .fix(format!("write `{ours}`"), arg.span, ours),
        )
    }

    /// W0529: `/todos/:id` is a literal path in API Gateway; `{id}` is its parameter.
    fn express_parameters(&mut self, route: &S<String>, path: &str) {
        let Some(ours) = spelling::route_parameters(path) else {
            return;
        };
        let mut d = Diagnostic::new(
            Code::W0529,
            route.span,
            format!("`{path}` matches the text `:` literally"),
        )
        .label("API Gateway has no `:name` parameters")
        .help(format!("a path parameter is written `{{name}}`: `{ours}`"));
        // The fix edits the path inside the string, when it is there as written.
        let text = &self.sources.get(route.span.file).text;
        let written = text.get(route.span.start..route.span.end).unwrap_or("");
        if let Some(at) = written.find(path).filter(|_| written.starts_with('"')) {
            let start = route.span.start + at;
            let span = Span::new(route.span.file, start, start + path.len());
            d = d.fix(format!("write `{ours}`"), span, ours);
        }
        self.report(d);
    }

    fn s3(
        &mut self,
        t: &'a ast::Trigger,
        source: &'a Expr,
        block: &Fields<'a>,
    ) -> Option<TriggerKind> {
        let bucket = self.reference(source, "on s3", &[Kind::Bucket])?;
        let mut events = Vec::new();
        let mut raw_events = Vec::new();
        if let Some(e) = self
            .get_expr(block, "events")
            .and_then(|e| self.subst_symbol(e))
        {
            let items: Vec<&Expr> = match &e.kind {
                ExprKind::List(items) => items.iter().collect(),
                _ => vec![e],
            };
            for item in items {
                let Some(item) = self.subst_symbol(item) else {
                    continue;
                };
                // A literal S3 event name (`"s3:ObjectTagging:*"`) passes through as is;
                // S3's name for a family lamc names (`"s3:ObjectCreated:*"`) is that event.
                if let ExprKind::Str(s) = &item.kind {
                    if let Some(text) = s.as_plain().filter(|t| t.starts_with("s3:")) {
                        match S3Event::NAMED
                            .into_iter()
                            .find(|e| e.aws_name() == Some(&text))
                        {
                            Some(named) => events.push(S::new(named, item.span)),
                            None => {
                                events.push(S::new(S3Event::Other, item.span));
                                raw_events.push(S::new(text, item.span));
                            }
                        }
                        continue;
                    }
                }
                events.extend(self.symbol(item, "s3 event", schema::S3_EVENTS));
            }
        } else {
            events.push(S::new(S3Event::Created, t.kind.span));
        }
        Some(TriggerKind::S3 {
            bucket,
            events,
            raw_events,
            prefix: self
                .get_expr(block, "prefix")
                .and_then(|e| self.deploy_str(e, "prefix")),
            suffix: self
                .get_expr(block, "suffix")
                .and_then(|e| self.deploy_str(e, "suffix")),
        })
    }

    /// `start = latest | trim_horizon | …`; Lambda's default, `latest`, where it is not
    /// written (pointing at the trigger).
    pub(super) fn start_position(
        &mut self,
        t: &'a ast::Trigger,
        b: &Fields<'a>,
    ) -> Option<S<StartPosition>> {
        let start = self.get_expr(b, "start");
        start
            .and_then(|e| self.symbol(e, "start position", START_POSITIONS))
            .or(Some(S::new(StartPosition::Latest, t.kind.span)))
    }

    fn stream_options(
        &mut self,
        t: &'a ast::Trigger,
        b: &Fields<'a>,
        record: Record,
    ) -> StreamOptions {
        StreamOptions {
            start: self.start_position(t, b),
            batch: self
                .get_expr(b, "batch")
                .and_then(|e| self.count(e, "batch")),
            window: self
                .get_expr(b, "window")
                .and_then(|e| self.seconds(e, "window")),
            retries: self
                .get_expr(b, "retries")
                .and_then(|e| self.count(e, "retries")),
            bisect: self
                .get_expr(b, "bisect")
                .and_then(|e| self.boolean(e, "bisect")),
            max_age: self
                .get_expr(b, "max_age")
                .and_then(|e| self.seconds(e, "max_age")),
            parallelization: self
                .get_expr(b, "parallelization")
                .and_then(|e| self.count(e, "parallelization")),
            on_failure: self
                .get_expr(b, "on_failure")
                .and_then(|e| self.reference(e, "on_failure", &[Kind::Queue, Kind::Topic])),
            report_failures: self
                .get_expr(b, "report_failures")
                .and_then(|e| self.boolean(e, "report_failures")),
            filter: self.esm_filter(b, record),
        }
    }

    /// `rate(…)`, `cron("…")` or `at("…")` after `on schedule`.
    fn schedule(&mut self, source: &'a Expr) -> Option<S<Schedule>> {
        let e = self.subst(source)?;
        let ExprKind::Call { name, args } = &e.kind else {
            self.report(not_a_schedule_call(e));
            return None;
        };
        let kind = name.name.as_str();
        if !["rate", "cron", "at"].contains(&kind) {
            self.report(unknown_schedule(name));
            return None;
        }
        let [arg] = args.as_slice() else {
            self.report(
                Diagnostic::new(
                    Code::E0323,
                    e.span,
                    format!("`{kind}(…)` takes one argument"),
                )
                .label(format!("{} given", args.len()))
                .help(match kind {
                    "rate" => "write rate(5m)",
                    "cron" => "write cron(\"0 3 * * ? *\")",
                    _ => "write at(\"2026-12-31T23:00:00\")",
                }),
            );
            return None;
        };
        if let Some(ours) = self.rate_in_words(kind, arg) {
            self.report(ours);
            return None;
        }
        let schedule = match kind {
            "rate" => Schedule::Rate(self.seconds(arg, "rate")?.value),
            "cron" => Schedule::Cron(self.string(arg, "cron")?.value),
            _ => Schedule::At(self.string(arg, "at")?.value),
        };
        Some(S::new(schedule, e.span))
    }

    /// A map value written `key = { … }` or `key { … }` (filters, schedule input).
    fn map_value(&mut self, f: Field<'a>) -> Option<S<Value>> {
        let span = f.val.span();
        let fields = self.nested(f, None, &format!("`{}`", f.key.name))?;
        let mut entries = Vec::new();
        for item in &fields.order {
            let v = match item.val {
                super::attrs::Val::Expr(e) => self.value(e).map(|v| v.value),
                super::attrs::Val::Block(_) => self.map_value(*item).map(|v| v.value),
            };
            if let Some(v) = v {
                entries.push((item.key.name.clone(), v));
            }
        }
        Some(S::new(Value::Map(entries), span))
    }
}

/// E0485 above the most filters Lambda takes, W0553 above its default quota (ESM-15, D-6).
fn filter_count(span: Span, count: usize) -> Vec<Problem> {
    let over = |b: &Bounds, quota| (count > b.hi as usize).then_some(quota);
    over(&ESM_FILTERS, Quota::Most)
        .or_else(|| over(&ESM_FILTERS_DEFAULT, Quota::Default))
        .map(|quota| Problem::TooManyFilters { span, count, quota })
        .into_iter()
        .collect()
}

/// E0301 for a schedule that is not a call; a string as SAM and serverless.yml write one
/// (`"rate(5 minutes)"`) gets lamc's spelling as the fix.
fn not_a_schedule_call(e: &Expr) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0301,
        e.span,
        "`on schedule` takes rate(…), cron(…) or at(…)",
    )
    .label(format!("this is {}", describe(e)));
    let ours = match &e.kind {
        ExprKind::Str(s) => s.as_plain().and_then(|t| spelling::schedule_expression(&t)),
        _ => None,
    };
    match ours {
        Some(ours) => d
            .help(format!("a schedule is a call, not a string: `{ours}`"))
            .fix(format!("write `{ours}`"), e.span, ours),
        None => d.help("write rate(5m), cron(\"0 3 * * ? *\") or at(\"2026-12-31T23:00:00\")"),
    }
}

/// E0302 for a call that is not `rate`, `cron` or `at`.
fn unknown_schedule(name: &Ident) -> Diagnostic {
    let kind = name.name.as_str();
    let d = Diagnostic::new(
        Code::E0302,
        name.span,
        format!("unknown schedule `{kind}(…)`"),
    )
    .label("not a schedule expression");
    match did_you_mean(kind, ["rate", "cron", "at"]) {
        Some(near) => d.help(format!("did you mean `{near}(…)`?")).fix(
            format!("replace with `{near}`"),
            name.span,
            near,
        ),
        None => d.help("write rate(5m), cron(\"0 3 * * ? *\") or at(\"2026-12-31T23:00:00\")"),
    }
}

/// E0324 for a route that is not a method and a path; serverless.yml gives the path
/// and the method apart, so a lone path is told to put the method first.
fn not_method_and_path(route: &S<String>) -> Diagnostic {
    let help = match route.value.trim() {
        path if path.starts_with('/') => {
            format!("put the method first: \"GET {path}\" (or \"ANY {path}\" for every method)")
        }
        _ => "write e.g. \"GET /users/{id}\"".to_string(),
    };
    Diagnostic::new(Code::E0324, route.span, "an http route is \"METHOD /path\"")
        .label("expected a method and a path")
        .help(help)
}
