//! A compact way to build `Model` values in tests, without going through the checker.
#![allow(dead_code)]

use std::collections::BTreeMap;

use lamc::model::*;
use lamc::source::Span;
use lamc::syntax::ast::CmpOp;

pub fn s<T>(v: T) -> S<T> {
    S::new(v, Span::default())
}

pub fn rr(kind: Kind, name: &str) -> ResRef {
    ResRef {
        kind,
        name: name.to_string(),
    }
}

pub fn function(name: &str) -> Function {
    Function {
        runtime: Some(s("python3.12".to_string())),
        handler: Some(s("index.handler".to_string())),
        code: Some(s(CodeSource::Inline(
            "def handler(e, c):\n    return e\n".to_string(),
        ))),
        ..Function::new(s(name.to_string()), Span::default())
    }
}

pub fn created(kind: Kind, name: &str, spec: Spec) -> Resource {
    Resource {
        kind,
        name: name.to_string(),
        name_span: Span::default(),
        span: Span::default(),
        origin: Origin::Created(spec),
        options: Default::default(),
    }
}

pub fn existing(kind: Kind, name: &str, arn: &str) -> Resource {
    Resource {
        kind,
        name: name.to_string(),
        name_span: Span::default(),
        span: Span::default(),
        origin: Origin::Existing { arn: s(arn.into()) },
        options: Default::default(),
    }
}

pub fn queue(name: &str) -> Resource {
    created(Kind::Queue, name, Spec::Queue(QueueSpec::default()))
}

pub fn topic(name: &str) -> Resource {
    created(Kind::Topic, name, Spec::Topic(TopicSpec::default()))
}

pub fn bucket(name: &str) -> Resource {
    created(Kind::Bucket, name, Spec::Bucket(BucketSpec::default()))
}

pub fn table(name: &str, stream: Option<StreamView>) -> Resource {
    created(
        Kind::Table,
        name,
        Spec::Table(TableSpec {
            key: s(("id".to_string(), KeyType::String)),
            sort: None,
            stream: stream.map(s),
            ttl: None,
            pitr: None,
        }),
    )
}

pub fn kinesis(name: &str) -> Resource {
    created(Kind::Stream, name, Spec::Stream(StreamSpec::default()))
}

pub fn api(name: &str) -> Resource {
    created(Kind::Api, name, Spec::Api(ApiSpec::default()))
}

pub fn trigger(kind: TriggerKind) -> Trigger {
    Trigger {
        kind,
        span: Span::default(),
    }
}

pub fn http(method: &str, path: &str, api: &str) -> Trigger {
    trigger(TriggerKind::Http {
        method: s(method.to_string()),
        path: s(path.to_string()),
        api: s(api.to_string()),
        auth: None,
        scopes: Vec::new(),
        public: None,
    })
}

pub fn sqs(queue: &str) -> Trigger {
    trigger(TriggerKind::Sqs {
        queue: s(rr(Kind::Queue, queue)),
        batch: None,
        window: None,
        max_concurrency: None,
        report_failures: None,
        pollers: None,
        filter: None,
    })
}

pub fn schedule(expr: Schedule, timezone: Option<&str>) -> Trigger {
    trigger(TriggerKind::Schedule {
        expr: s(expr),
        timezone: timezone.map(|t| s(t.to_string())),
        input: None,
        enabled: None,
        options: Default::default(),
    })
}

pub fn alarm(metric: Metric, op: CmpOp, threshold: f64) -> Alarm {
    let stat = match &metric {
        Metric::Function { metric, .. } => metric.default_stat(),
        Metric::QueueAge { .. } => Stat::Max,
        Metric::QueueVisible { .. } => Stat::Max,
    };
    Alarm {
        name: None,
        metric: s(metric),
        stat: s(stat),
        op: s(op),
        threshold: s(threshold),
        period: s(60),
        datapoints: s(1),
        evaluation_periods: s(1),
        notify: Vec::new(),
        missing: None,
        description: None,
        span: Span::default(),
    }
}

pub fn fn_metric(function: &str, metric: FnMetric) -> Metric {
    Metric::Function {
        function: function.to_string(),
        metric,
    }
}

pub fn app(name: &str) -> App {
    let mut tags = BTreeMap::new();
    tags.insert("team".to_string(), s("media".into()));
    App {
        name: s(name.to_string()),
        description: Some(s("Image thumbnails".to_string())),
        tags,
    }
}

/// Plan and emit JSON, parsed back, panicking with the diagnostics on failure.
pub fn plan_json(model: &Model) -> serde_json::Value {
    let stack = match lamc::driver::plan(model, &lamc::driver::PlanOptions::default()) {
        Ok(s) => s,
        Err(d) => panic!("plan failed: {d:#?}"),
    };
    serde_json::from_str(&lamc::emit::json(&stack)).expect("emitted JSON parses")
}

/// A model with every resource kind, every trigger kind, provisioned auto scaling, a
/// scheduler schedule, an HTTP API, a function URL, alarms (incl. error_rate) and
/// existing resources.
pub fn rich_model(code_dir: Option<&std::path::Path>) -> Model {
    let mut m = Model {
        app: Some(app("thumbnails")),
        ..Model::default()
    };
    m.params.push(Param {
        name: s("stage".to_string()),
        ty: ParamType::String,
        default: Some(s("dev".to_string())),
        allowed: vec![s("dev".to_string()), s("prod".to_string())],
        description: Some("Deployment stage".to_string()),
        secret: None,
        span: Span::default(),
    });
    m.params.push(Param {
        name: s("retries".to_string()),
        ty: ParamType::Number,
        default: Some(s("3".to_string())),
        allowed: Vec::new(),
        description: None,
        secret: None,
        span: Span::default(),
    });

    // Resources
    m.resources.push(bucket("uploads"));
    m.resources.push(created(
        Kind::Bucket,
        "thumbs",
        Spec::Bucket(BucketSpec {
            versioning: Some(s(true)),
            expire_days: Some(s(30)),
        }),
    ));
    m.resources.push(created(
        Kind::Queue,
        "dead_letters",
        Spec::Queue(QueueSpec {
            retention: Some(s(1_209_600)),
            ..QueueSpec::default()
        }),
    ));
    m.resources.push(created(
        Kind::Queue,
        "orders",
        Spec::Queue(QueueSpec {
            visibility: Some(s(180)),
            delay: Some(s(5)),
            dead_letter: Some(s(rr(Kind::Queue, "dead_letters"))),
            ..QueueSpec::default()
        }),
    ));
    m.resources.push(created(
        Kind::Queue,
        "jobs",
        Spec::Queue(QueueSpec {
            fifo: Some(s(true)),
            visibility: Some(s(60)),
            ..QueueSpec::default()
        }),
    ));
    m.resources.push(created(
        Kind::Topic,
        "oncall",
        Spec::Topic(TopicSpec {
            fifo: None,
            email: vec![s("oncall@example.com".to_string())],
            https: vec![s("https://hooks.example.com/alarm".to_string())],
        }),
    ));
    m.resources.push(topic("events"));
    m.resources.push(created(
        Kind::Table,
        "orders_table",
        Spec::Table(TableSpec {
            key: s(("pk".to_string(), KeyType::String)),
            sort: Some(s(("ts".to_string(), KeyType::Number))),
            stream: Some(s(StreamView::NewAndOld)),
            ttl: Some(s("expires".into())),
            pitr: None,
        }),
    ));
    m.resources.push(created(
        Kind::Stream,
        "clicks",
        Spec::Stream(StreamSpec {
            shards: Some(s(2)),
            on_demand: None,
            retention_hours: Some(s(48)),
        }),
    ));
    m.resources.push(created(
        Kind::Stream,
        "views",
        Spec::Stream(StreamSpec {
            on_demand: Some(s(true)),
            ..StreamSpec::default()
        }),
    ));
    m.resources.push(created(
        Kind::Api,
        "default",
        Spec::Api(ApiSpec {
            cors: Some(Box::new(Cors {
                origins: vec![s("https://example.com".into())],
                methods: vec![s("GET".to_string()), s("POST".to_string())],
                headers: vec![s("content-type".into())],
                max_age: Some(s(600)),
                span: Span::default(),
            })),
            auth: None,
            public: None,
            implicit: true,
            ..ApiSpec::default()
        }),
    ));
    m.resources.push(created(
        Kind::Api,
        "admin",
        Spec::Api(ApiSpec {
            cors: None,
            auth: Some(s(RouteAuth::Iam)),
            public: None,
            implicit: false,
            ..ApiSpec::default()
        }),
    ));
    m.resources.push(existing(
        Kind::Queue,
        "legacy",
        "arn:aws:sqs:us-east-1:123456789012:legacy-jobs",
    ));
    m.resources.push(existing(
        Kind::Topic,
        "audit",
        "arn:aws:sns:us-east-1:123456789012:audit",
    ));
    m.resources.push(existing(
        Kind::Bucket,
        "archive",
        "arn:aws:s3:::corp-archive",
    ));
    m.resources.push(existing(
        Kind::Table,
        "users",
        "arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2024-01-01T00:00:00.000",
    ));
    m.resources.push(existing(
        Kind::Stream,
        "partner",
        "arn:aws:kinesis:us-east-1:123456789012:stream/partner",
    ));

    // resize: local code, S3 trigger, provisioned auto scaling, async destinations, alarms.
    let mut resize = function("resize");
    resize.runtime = Some(s("python3.12".to_string()));
    resize.handler = Some(s("resize.handler".to_string()));
    if let Some(dir) = code_dir {
        resize.code = Some(s(CodeSource::Local {
            path: dir.to_path_buf(),
            written: "src/resize".to_string(),
        }));
    }
    resize.memory = Some(s(2048));
    resize.timeout = Some(s(30));
    resize.set("storage", s(Setting::Number(1024)));
    resize.architecture = Some(s(Architecture::Arm64));
    resize.set(
        "description",
        s(Setting::Text("Resize uploaded images".into())),
    );
    let active = lamc::schema::TRACING.get("active").expect("a tracing word");
    resize.set("tracing", s(Setting::Word(active)));
    resize.log_retention = Some(s(LogRetention::Days(30)));
    resize.layers = vec![s(
        "arn:aws:lambda:us-east-1:123456789012:layer:pillow:3".into()
    )];
    resize.env.insert(
        "THUMBS".to_string(),
        s(Value::Attr {
            target: rr(Kind::Bucket, "thumbs"),
            attr: Attr::Name,
        }),
    );
    resize.env.insert(
        "STAGE".to_string(),
        s(Value::Concat(vec![
            Value::Param("stage".to_string()),
            Value::Str("-resize".to_string()),
        ])),
    );
    resize.env.insert(
        "ARCHIVE".to_string(),
        s(Value::Attr {
            target: rr(Kind::Bucket, "archive"),
            attr: Attr::Name,
        }),
    );
    resize.env.insert(
        "RETRIES".to_string(),
        s(Value::Param("retries".to_string())),
    );
    resize
        .tags
        .insert("cost-center".to_string(), s("42".into()));
    resize.allows.push(AllowRule {
        actions: vec![s("s3:PutObject".to_string())],
        target: s(AllowTarget::Ref(rr(Kind::Bucket, "thumbs"))),
        span: Span::default(),
    });
    resize.allows.push(AllowRule {
        actions: vec![
            s("s3:GetObject".to_string()),
            s("s3:ListBucket".to_string()),
        ],
        target: s(AllowTarget::Ref(rr(Kind::Bucket, "uploads"))),
        span: Span::default(),
    });
    resize.allows.push(AllowRule {
        actions: vec![s("dynamodb:GetItem".to_string())],
        target: s(AllowTarget::Ref(rr(Kind::Table, "users"))),
        span: Span::default(),
    });
    resize.concurrency = Some(Concurrency {
        reserved: Some(s(100)),
        provisioned: Some(s(Provisioned::Auto {
            min: 5,
            max: 50,
            target_percent: 70.0,
        })),
        span: Span::default(),
    });
    resize.async_config = Some(AsyncConfig {
        retries: Some(s(1)),
        max_age: Some(s(3600)),
        on_success: Some(s(rr(Kind::Function, "audit_log"))),
        on_failure: Some(s(rr(Kind::Queue, "dead_letters"))),
        span: Span::default(),
    });
    resize.triggers.push(trigger(TriggerKind::S3 {
        bucket: s(rr(Kind::Bucket, "uploads")),
        events: vec![s(S3Event::Created), s(S3Event::Removed)],
        raw_events: Vec::new(),
        prefix: Some(s(DeployStr::literal("images/"))),
        suffix: Some(s(DeployStr::literal(".jpg"))),
    }));
    resize.triggers.push(http("POST", "/resize", "default"));
    let mut errors = alarm(fn_metric("resize", FnMetric::Errors), CmpOp::Ge, 5.0);
    errors.period = s(300);
    errors.notify = vec![s(rr(Kind::Topic, "oncall"))];
    resize.alarms.push(errors);
    let mut p99 = alarm(fn_metric("resize", FnMetric::Duration), CmpOp::Gt, 20_000.0);
    p99.stat = s(Stat::Percentile("p99".to_string()));
    p99.period = s(300);
    p99.datapoints = s(3);
    p99.evaluation_periods = s(5);
    p99.missing = Some(s(MissingData::NotBreaching));
    p99.notify = vec![s(rr(Kind::Topic, "oncall")), s(rr(Kind::Topic, "audit"))];
    resize.alarms.push(p99);
    let mut rate = alarm(fn_metric("resize", FnMetric::ErrorRate), CmpOp::Gt, 5.0);
    rate.period = s(300);
    rate.description = Some(s("more than 5% of calls fail".into()));
    resize.alarms.push(rate);
    resize.alarms.push(alarm(
        fn_metric("resize", FnMetric::ProvisionedUtilization),
        CmpOp::Ge,
        90.0,
    ));
    m.functions.push(resize);

    // worker: SQS, FIFO SQS, existing queue, DynamoDB streams (created and existing), Kinesis.
    let mut worker = function("worker");
    worker.runtime = Some(s("nodejs22.x".to_string()));
    worker.code = Some(s(CodeSource::S3 {
        bucket: "my-code-bucket".into(),
        key: "worker.zip".into(),
    }));
    worker.function_name = Some(s("thumbnails-worker".into()));
    worker.timeout = Some(s(25));
    worker.concurrency = Some(Concurrency {
        reserved: Some(s(20)),
        provisioned: None,
        span: Span::default(),
    });
    worker.triggers.push(trigger(TriggerKind::Sqs {
        queue: s(rr(Kind::Queue, "orders")),
        batch: Some(s(100)),
        window: Some(s(5)),
        max_concurrency: Some(s(5)),
        report_failures: Some(s(true)),
        pollers: None,
        filter: None,
    }));
    worker.triggers.push(sqs("jobs"));
    worker.triggers.push(sqs("legacy"));
    worker.triggers.push(trigger(TriggerKind::DynamoDb {
        table: s(rr(Kind::Table, "orders_table")),
        options: StreamOptions {
            start: Some(s(StartPosition::TrimHorizon)),
            batch: Some(s(50)),
            window: Some(s(2)),
            retries: Some(s(3)),
            bisect: Some(s(true)),
            max_age: Some(s(3600)),
            parallelization: Some(s(2)),
            on_failure: Some(s(rr(Kind::Queue, "dead_letters"))),
            report_failures: Some(s(true)),
            filter: None,
        },
    }));
    worker.triggers.push(trigger(TriggerKind::DynamoDb {
        table: s(rr(Kind::Table, "users")),
        options: StreamOptions::default(),
    }));
    worker.triggers.push(trigger(TriggerKind::Kinesis {
        stream: s(rr(Kind::Stream, "clicks")),
        options: StreamOptions {
            on_failure: Some(s(rr(Kind::Topic, "events"))),
            ..StreamOptions::default()
        },
    }));
    worker.triggers.push(trigger(TriggerKind::Kinesis {
        stream: s(rr(Kind::Stream, "partner")),
        options: StreamOptions::default(),
    }));
    worker.alarms.push(alarm(
        fn_metric("worker", FnMetric::IteratorAge),
        CmpOp::Gt,
        60_000.0,
    ));
    m.functions.push(worker);

    // notify: SNS with filter, schedules (rule and scheduler), a URL.
    let mut notify = function("notify");
    notify.runtime = Some(s("nodejs22.x".to_string()));
    let filter = vec![(
        "type".to_string(),
        Value::List(vec![
            Value::Str("order".to_string()),
            Value::Str("refund".to_string()),
        ]),
    )];
    notify.triggers.push(trigger(TriggerKind::Sns {
        topic: s(rr(Kind::Topic, "events")),
        filter: Some(s(Value::Map(filter))),
    }));
    notify.triggers.push(schedule(Schedule::Rate(300), None));
    notify.triggers.push(trigger(TriggerKind::Schedule {
        expr: s(Schedule::Cron("0 3 * * ? *".to_string())),
        timezone: Some(s("Europe/Berlin".to_string())),
        input: Some(s(Value::Map(vec![
            ("job".to_string(), Value::Str("cleanup".to_string())),
            (
                "queue".to_string(),
                Value::Attr {
                    target: rr(Kind::Queue, "orders"),
                    attr: Attr::Url,
                },
            ),
        ]))),
        enabled: Some(s(true)),
        options: Default::default(),
    }));
    notify.triggers.push(schedule(
        Schedule::At("2030-12-31T23:00:00".to_string()),
        None,
    ));
    notify.triggers.push(trigger(TriggerKind::Schedule {
        expr: s(Schedule::Rate(3600)),
        timezone: None,
        input: Some(s(Value::Map(vec![(
            "n".to_string(),
            Value::Number("1".to_string()),
        )]))),
        enabled: Some(s(false)),
        options: Default::default(),
    }));
    notify.url = Some(UrlConfig {
        auth: s(Auth::None),
        stream: None,
        public: Some(s(true)),
        cors: Some(Cors {
            origins: vec![s("*".into())],
            methods: vec![s("GET".to_string())],
            headers: Vec::new(),
            max_age: None,
            span: Span::default(),
        }),
        span: Span::default(),
    });
    notify.triggers.push(http("GET", "/users/{id}", "default"));
    notify
        .triggers
        .push(http("ANY", "/admin/{proxy+}", "admin"));
    notify.async_config = Some(AsyncConfig {
        retries: Some(s(0)),
        max_age: None,
        on_success: None,
        on_failure: Some(s(rr(Kind::Topic, "oncall"))),
        span: Span::default(),
    });
    m.functions.push(notify);

    // audit_log: image code, fixed provisioned concurrency, IAM url.
    let mut audit = function("audit_log");
    audit.runtime = None;
    audit.handler = None;
    audit.code = Some(s(CodeSource::Image(
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/audit:1".into(),
    )));
    audit.concurrency = Some(Concurrency {
        reserved: None,
        provisioned: Some(s(Provisioned::Fixed(2))),
        span: Span::default(),
    });
    audit.url = Some(UrlConfig {
        auth: s(Auth::Iam),
        stream: None,
        public: None,
        cors: None,
        span: Span::default(),
    });
    audit.allows.push(AllowRule {
        actions: vec![s("lambda:InvokeFunction".to_string())],
        target: s(AllowTarget::Ref(rr(Kind::Function, "notify"))),
        span: Span::default(),
    });
    m.functions.push(audit);

    // Stack alarms and outputs.
    let mut dlq = alarm(
        Metric::QueueVisible {
            queue: rr(Kind::Queue, "dead_letters"),
        },
        CmpOp::Gt,
        0.0,
    );
    dlq.notify = vec![s(rr(Kind::Topic, "oncall"))];
    m.alarms.push(dlq);
    let mut age = alarm(
        Metric::QueueAge {
            queue: rr(Kind::Queue, "legacy"),
        },
        CmpOp::Gt,
        600_000.0,
    );
    age.name = Some(s("legacy_backlog".to_string()));
    m.alarms.push(age);
    for (name, value) in [
        (
            "thumbs_bucket",
            Value::Attr {
                target: rr(Kind::Bucket, "thumbs"),
                attr: Attr::Name,
            },
        ),
        (
            "api_url",
            Value::Attr {
                target: rr(Kind::Api, "default"),
                attr: Attr::Url,
            },
        ),
        (
            "notify_url",
            Value::Attr {
                target: rr(Kind::Function, "notify"),
                attr: Attr::Url,
            },
        ),
        (
            "legacy_url",
            Value::Attr {
                target: rr(Kind::Queue, "legacy"),
                attr: Attr::Url,
            },
        ),
        (
            "greeting",
            Value::Concat(vec![
                Value::Str("stage ".to_string()),
                Value::Param("stage".to_string()),
            ]),
        ),
    ] {
        m.outputs.push(Output {
            name: s(name.to_string()),
            value: s(value),
            description: Some(format!("the {name}")),
            span: Span::default(),
        });
    }
    m
}
