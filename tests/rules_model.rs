//! The rules as the checker calls them: `rules::run` over a whole model, plus the public
//! runtime table and schedule helpers that editors use.

use chrono::{NaiveDate, TimeZone, Utc};
use lamc::check::rules::{run, runtimes, RuleContext};
use lamc::cron;
use lamc::diag::Code;
use lamc::model::*;
use lamc::source::{FileId, SourceMap, Span};
use lamc::syntax::ast::CmpOp;

/// Builds spans over a synthetic source text, one value per line.
struct Src(String);

impl Src {
    fn s<T>(&mut self, text: &str, value: T) -> S<T> {
        let start = self.0.len();
        self.0.push_str(text);
        self.0.push('\n');
        S::new(value, Span::new(FileId(0), start, start + text.len()))
    }
}

fn function(src: &mut Src, name: &str) -> Function {
    Function {
        runtime: Some(src.s("python3.12", "python3.12".to_string())),
        handler: Some(src.s("\"app.handler\"", "app.handler".to_string())),
        code: Some(src.s(
            "s3(…)",
            CodeSource::S3 {
                bucket: "artifacts".into(),
                key: "a.zip".into(),
            },
        )),
        ..Function::new(src.s(name, name.to_string()), src.s("function …", ()).span)
    }
}

fn rules(src: &Src, model: &Model) -> Vec<lamc::diag::Diagnostic> {
    let mut sources = SourceMap::new();
    sources.add("app.lam", None, src.0.clone());
    let ctx = RuleContext {
        today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default(),
        sources: &sources,
        let_values: &[],
        account_concurrency: lamc::check::rules::concurrency::DEFAULT_ACCOUNT_CONCURRENCY,
    };
    let mut d = run(model, &ctx);
    lamc::diag::sort(&mut d);
    d
}

/// The design's example app, resolved: no diagnostics at all.
#[test]
fn the_example_app_is_clean() {
    let mut src = Src(String::new());
    let mut resize = function(&mut src, "resize");
    resize.memory = Some(src.s("2GB", 2048));
    resize.timeout = Some(src.s("2m", 120));
    resize.architecture = Some(src.s("arm64", Architecture::Arm64));
    resize.log_retention = Some(src.s("30d", LogRetention::Days(30)));
    let bucket = src.s(
        "bucket.uploads",
        ResRef {
            kind: Kind::Bucket,
            name: "uploads".into(),
        },
    );
    let events = vec![src.s("created", S3Event::Created)];
    let prefix = Some(src.s("\"images/\"", DeployStr::literal("images/")));
    let suffix = Some(src.s("\".jpg\"", DeployStr::literal(".jpg")));
    let on_s3 = src.s("on s3 …", ()).span;
    resize.triggers.push(Trigger {
        kind: TriggerKind::S3 {
            bucket,
            events,
            raw_events: vec![],
            prefix,
            suffix,
        },
        span: on_s3,
    });
    resize.concurrency = Some(Concurrency {
        reserved: Some(src.s("100", 100)),
        provisioned: Some(src.s(
            "5..50 at 70%",
            Provisioned::Auto {
                min: 5,
                max: 50,
                target_percent: 70.0,
            },
        )),
        span: on_s3,
    });
    let metric = src.s(
        "duration",
        Metric::Function {
            function: "resize".into(),
            metric: FnMetric::Duration,
        },
    );
    resize.alarms.push(Alarm {
        name: None,
        metric,
        stat: src.s("p99", Stat::Percentile("p99".into())),
        op: src.s(">", CmpOp::Gt),
        threshold: src.s("90s", 90_000.0),
        period: src.s("5m", 300),
        datapoints: src.s("3", 3),
        evaluation_periods: src.s("5", 5),
        notify: vec![src.s(
            "topic.oncall",
            ResRef {
                kind: Kind::Topic,
                name: "oncall".into(),
            },
        )],
        missing: None,
        description: None,
        span: on_s3,
    });
    let mut cleanup = function(&mut src, "cleanup");
    let expr = src.s(
        "cron(\"0 3 * * ? *\")",
        Schedule::Cron("0 3 * * ? *".into()),
    );
    let timezone = Some(src.s("\"Europe/Berlin\"", "Europe/Berlin".to_string()));
    cleanup.triggers.push(Trigger {
        kind: TriggerKind::Schedule {
            expr,
            timezone,
            input: None,
            enabled: None,
            options: Default::default(),
        },
        span: on_s3,
    });
    let uploads = Resource {
        kind: Kind::Bucket,
        name: "uploads".into(),
        name_span: src.s("uploads", ()).span,
        span: on_s3,
        origin: Origin::Created(Spec::Bucket(BucketSpec::default())),
    };
    let model = Model {
        resources: vec![uploads],
        functions: vec![resize, cleanup],
        ..Model::default()
    };
    let diags = rules(&src, &model);
    assert!(diags.is_empty(), "{diags:#?}");
}

/// Several problems in one run, every one reported, in source order.
#[test]
fn every_problem_is_reported() {
    let mut src = Src(String::new());
    let mut f = function(&mut src, "f");
    f.runtime = Some(src.s("nodejs14.x", "nodejs14.x".to_string()));
    f.handler = Some(src.s("\"index.handler\"", "index.handler".to_string()));
    f.memory = Some(src.s("20GB", 20_480));
    f.timeout = Some(src.s("16m", 960));
    let expr = src.s("rate(30s)", Schedule::Rate(30));
    let span = expr.span;
    f.triggers.push(Trigger {
        kind: TriggerKind::Schedule {
            expr,
            timezone: None,
            input: None,
            enabled: None,
            options: Default::default(),
        },
        span,
    });
    let model = Model {
        functions: vec![f],
        ..Model::default()
    };
    let codes: Vec<Code> = rules(&src, &model).iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec![Code::E0412, Code::E0401, Code::E0402, Code::E0408]
    );
}

#[test]
fn runtime_table_is_public() {
    let py = runtimes::lookup("python3.12").expect("python3.12");
    assert_eq!(py.family, runtimes::Family::Python);
    assert_eq!(py.successor, Some("python3.14"));
    assert!(runtimes::all().len() >= 47);
    assert!(runtimes::lookup("dotnet9").is_some_and(|r| !r.zip_runtime));
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
    assert!(matches!(
        runtimes::lookup("nodejs20.x").map(|r| r.lifecycle(today)),
        Some(runtimes::Lifecycle::Deprecated(_))
    ));
}

#[test]
fn next_fire_times_for_editors() {
    let from = Utc
        .with_ymd_and_hms(2026, 11, 26, 10, 0, 0)
        .single()
        .unwrap_or_default();
    let times = cron::next_fire_times(
        &Schedule::Cron("0/30 9-10 ? * MON-FRI *".into()),
        None,
        from,
        3,
    )
    .unwrap_or_default();
    let want: Vec<_> = [(26, 10, 30), (27, 9, 0), (27, 9, 30)]
        .iter()
        .filter_map(|&(d, h, m)| Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).single())
        .collect();
    assert_eq!(times, want);
    assert!(cron::next_fire_times(&Schedule::Cron("0 3 * *".into()), None, from, 1).is_err());
}

proptest::proptest! {
    /// No schedule text makes the parser or the fire-time search panic.
    #[test]
    fn schedules_never_panic(text in "[0-9A-Za-z*?/,#LW -]{0,40}", at in "[0-9T:-]{0,22}") {
        let _ = cron::parse_cron(&text);
        let from = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default();
        let _ = cron::next_fire_times(&Schedule::Cron(text.clone()), Some("Europe/Berlin"), from, 3);
        let _ = cron::next_fire_times(&Schedule::At(at), None, from, 1);
    }
}
