//! Moving a lowered function from one version of a document to the next: every span in it
//! (its own, and those of the declarations, `let`s and parameters it refers to) taken to
//! where the same text is in the new version. The language server reuses a function
//! lowered for an earlier version ([`super::reuse`]) when only other text changed.
//!
//! Versions are compared file by file: the text both share at the start and at the end is
//! the same text, so a span inside it has a new place; a span over the changed text has
//! none, and the whole result is then lowered again.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostic;
use crate::model::*;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::CmpOp;

/// Where each byte of the previous version of every file is in the new one.
pub struct SpanMap {
    files: Vec<Option<FileShift>>,
    /// Some span had no place in the new version.
    lost: Cell<bool>,
}

/// One file's edit: bytes before `prefix` stayed, bytes from `suffix_from` on moved by
/// `delta`, the ones between were replaced.
#[derive(Debug, Clone, Copy)]
struct FileShift {
    prefix: usize,
    suffix_from: usize,
    delta: isize,
}

impl SpanMap {
    /// The map from `old` (by file ID) to `new`: a file whose ID now names another file
    /// keeps none of its spans.
    pub fn new(old: &SourceMap, new: &SourceMap) -> Self {
        let files = new
            .files()
            .iter()
            .zip(old.files())
            .map(|(n, o)| (n.name == o.name && n.path == o.path).then(|| shift(&o.text, &n.text)))
            .collect();
        SpanMap {
            files,
            lost: Cell::new(false),
        }
    }

    /// `span`'s place in the new version, or `None` when its text changed.
    pub fn place(&self, span: Span) -> Option<Span> {
        let s = (*self.files.get(span.file.0 as usize)?)?;
        if span.end <= s.prefix {
            return Some(span);
        }
        if span.start >= s.suffix_from {
            let moved = |at: usize| at.wrapping_add_signed(s.delta);
            return Some(Span::new(span.file, moved(span.start), moved(span.end)));
        }
        None
    }

    fn span(&self, span: &mut Span) {
        match self.place(*span) {
            Some(to) => *span = to,
            None => self.lost.set(true),
        }
    }

    /// Move `x` to the new version; `false` when some span in it has no place there (`x`
    /// is then only partly moved and must not be used).
    pub fn apply<T: Remap + ?Sized>(&self, x: &mut T) -> bool {
        self.lost.set(false);
        x.remap(self);
        !self.lost.get()
    }
}

/// The common prefix and suffix of two texts (not overlapping in either).
fn shift(old: &str, new: &str) -> FileShift {
    let (prefix, suffix) = crate::source::common_ends(old, new);
    FileShift {
        prefix,
        suffix_from: old.len() - suffix,
        delta: new.len() as isize - old.len() as isize,
    }
}

/// Whatever holds spans: each is moved with [`SpanMap`].
pub trait Remap {
    fn remap(&mut self, m: &SpanMap);
}

impl Remap for Span {
    fn remap(&mut self, m: &SpanMap) {
        m.span(self);
    }
}

impl<T: Remap> Remap for S<T> {
    fn remap(&mut self, m: &SpanMap) {
        m.span(&mut self.span);
        self.value.remap(m);
    }
}

impl<T: Remap> Remap for Option<T> {
    fn remap(&mut self, m: &SpanMap) {
        if let Some(x) = self {
            x.remap(m);
        }
    }
}

impl<T: Remap> Remap for Vec<T> {
    fn remap(&mut self, m: &SpanMap) {
        self.iter_mut().for_each(|x| x.remap(m));
    }
}

impl<T: Remap> Remap for Box<T> {
    fn remap(&mut self, m: &SpanMap) {
        (**self).remap(m);
    }
}

impl<K, T: Remap> Remap for BTreeMap<K, T> {
    fn remap(&mut self, m: &SpanMap) {
        self.values_mut().for_each(|x| x.remap(m));
    }
}

impl<A: Remap, B: Remap> Remap for (A, B) {
    fn remap(&mut self, m: &SpanMap) {
        self.0.remap(m);
        self.1.remap(m);
    }
}

/// Values without spans.
macro_rules! no_spans {
    ($($t:ty),* $(,)?) => {
        $(impl Remap for $t {
            fn remap(&mut self, _: &SpanMap) {}
        })*
    };
}

no_spans!(
    String,
    u64,
    f64,
    bool,
    BTreeSet<String>,
    CodeSource,
    Architecture,
    DeployStr,
    Setting,
    LogRetention,
    Value,
    ResRef,
    AllowTarget,
    Provisioned,
    Auth,
    RouteAuth,
    S3Event,
    StartPosition,
    Schedule,
    Metric,
    Stat,
    CmpOp,
    MissingData,
    super::unresolved::Unresolved,
);

/// Every field of a struct, named so that a new field does not compile until it is moved
/// too (or listed as holding no span).
macro_rules! fields {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl Remap for $t {
            fn remap(&mut self, m: &SpanMap) {
                let $t { $($f),* } = self;
                $($f.remap(m);)*
            }
        }
    };
}

fields!(Function {
    name,
    span,
    templates,
    runtime,
    handler,
    code,
    memory,
    timeout,
    architecture,
    function_name,
    layers,
    settings,
    log_retention,
    env,
    env_key_spans,
    tags,
    allows,
    concurrency,
    async_config,
    url,
    capacity,
    logging,
    vpc,
    files,
    durable,
    runtime_updates,
    dead_letter,
    triggers,
    alarms,
    written,
});
fields!(AllowRule {
    actions,
    target,
    span
});
fields!(Concurrency {
    reserved,
    provisioned,
    span
});
fields!(AsyncConfig {
    retries,
    max_age,
    on_success,
    on_failure,
    span
});
fields!(UrlConfig {
    auth,
    stream,
    public,
    cors,
    span
});
fields!(Cors {
    origins,
    methods,
    headers,
    max_age,
    span
});
fields!(Logging {
    settings,
    group,
    span
});
fields!(Vpc {
    subnets,
    security_groups,
    ipv6,
    unreadable,
    span
});
fields!(Capacity {
    provider,
    declared,
    settings,
    span
});
fields!(FileMount { path, access_point });
fields!(Durable {
    timeout,
    retention,
    span
});
fields!(RuntimeUpdates { mode, version });
fields!(Trigger { kind, span });
fields!(StreamOptions {
    start,
    batch,
    window,
    retries,
    bisect,
    max_age,
    parallelization,
    on_failure,
    report_failures,
    filter,
});
fields!(Pollers { min, max });
fields!(KafkaOptions {
    batch,
    window,
    start,
    consumer_group,
    auth,
    pollers,
    filter,
});
fields!(ScheduleOptions {
    name,
    window,
    retries,
    max_age,
    on_failure,
    start,
    end,
    group,
});
fields!(Alarm {
    name,
    metric,
    stat,
    op,
    threshold,
    period,
    datapoints,
    evaluation_periods,
    notify,
    missing,
    description,
    span,
});

no_spans!(UpdateMode, &'static str, KafkaAuth);

// Resources (other declarations' lowering is reused whole, see `super::reuse`).
no_spans!(Kind, KeyType, StreamView, Payload);
fields!(Resource {
    kind,
    name,
    name_span,
    span,
    origin,
    options
});
fields!(ResourceOptions {
    name,
    retain,
    kms,
    tags
});
fields!(QueueSpec {
    fifo,
    visibility,
    retention,
    delay,
    dead_letter,
    max_receives
});
fields!(TopicSpec { fifo, email, https });
fields!(BucketSpec {
    versioning,
    expire_days
});
fields!(TableSpec {
    key,
    sort,
    stream,
    ttl,
    pitr
});
fields!(StreamSpec {
    shards,
    on_demand,
    retention_hours
});
fields!(ApiSpec {
    cors,
    auth,
    public,
    implicit,
    payload,
    domain,
    throttle,
    access_log
});
fields!(ApiDomain {
    name,
    certificate,
    span
});
fields!(Throttle { rate, burst, span });
fields!(LayerSpec {
    code,
    runtimes,
    architectures,
    description,
    license
});
fields!(CapacitySpec {
    vpc,
    architecture,
    max_vcpus
});

impl Remap for Origin {
    fn remap(&mut self, m: &SpanMap) {
        match self {
            Origin::Created(spec) => spec.remap(m),
            Origin::Existing { arn } => arn.remap(m),
        }
    }
}

impl Remap for Spec {
    fn remap(&mut self, m: &SpanMap) {
        match self {
            Spec::Queue(s) => s.remap(m),
            Spec::Topic(s) => s.remap(m),
            Spec::Bucket(s) => s.remap(m),
            Spec::Table(s) => s.remap(m),
            Spec::Stream(s) => s.remap(m),
            Spec::Api(s) => s.remap(m),
            Spec::Bus => {}
            Spec::Layer(s) => s.remap(m),
            Spec::Capacity(s) => s.remap(m),
            Spec::Auth(s) => s.remap(m),
        }
    }
}

impl Remap for AuthSpec {
    fn remap(&mut self, m: &SpanMap) {
        match self {
            AuthSpec::Jwt { issuer, audience } => {
                issuer.remap(m);
                audience.remap(m);
            }
            AuthSpec::Function {
                function,
                cache,
                identity,
                identity_unread,
            } => {
                function.remap(m);
                cache.remap(m);
                identity.remap(m);
                identity_unread.remap(m);
            }
        }
    }
}

impl Remap for TriggerKind {
    fn remap(&mut self, m: &SpanMap) {
        match self {
            TriggerKind::Http {
                method,
                path,
                api,
                auth,
                scopes,
                public,
            } => {
                (method, path, api).remap(m);
                (auth, scopes).remap(m);
                public.remap(m);
            }
            TriggerKind::Sqs {
                queue,
                batch,
                window,
                max_concurrency,
                report_failures,
                pollers,
                filter,
            } => {
                (queue, batch).remap(m);
                (window, max_concurrency).remap(m);
                (report_failures, pollers).remap(m);
                filter.remap(m);
            }
            TriggerKind::Sns { topic, filter } => (topic, filter).remap(m),
            TriggerKind::S3 {
                bucket,
                events,
                raw_events,
                prefix,
                suffix,
            } => {
                (bucket, events).remap(m);
                (raw_events, prefix).remap(m);
                suffix.remap(m);
            }
            TriggerKind::DynamoDb { table, options } => (table, options).remap(m),
            TriggerKind::Kinesis { stream, options } => (stream, options).remap(m),
            TriggerKind::Schedule {
                expr,
                timezone,
                input,
                enabled,
                options,
            } => {
                (expr, timezone).remap(m);
                (input, enabled).remap(m);
                options.remap(m);
            }
            TriggerKind::Event {
                bus,
                pattern,
                input,
                enabled,
            } => {
                (bus, pattern).remap(m);
                (input, enabled).remap(m);
            }
            TriggerKind::Kafka {
                cluster,
                topic,
                options,
            } => {
                (cluster, topic).remap(m);
                options.remap(m);
            }
        }
    }
}

impl<T: Remap> Remap for &mut T {
    fn remap(&mut self, m: &SpanMap) {
        (**self).remap(m);
    }
}

impl<A: Remap, B: Remap, C: Remap> Remap for (A, B, C) {
    fn remap(&mut self, m: &SpanMap) {
        self.0.remap(m);
        self.1.remap(m);
        self.2.remap(m);
    }
}

impl Remap for Diagnostic {
    fn remap(&mut self, m: &SpanMap) {
        m.span(&mut self.primary.span);
        for l in &mut self.secondary {
            m.span(&mut l.span);
        }
        for f in &mut self.fixes {
            m.span(&mut f.span);
        }
    }
}
