//! Per-function limits: memory (FN-05), timeout (FN-06), ephemeral storage (FN-07),
//! layers (FN-12…FN-14), description (FN-17), tags (FN-32), log retention (LOG-01),
//! asynchronous invocation (AI-02, AI-03) and function URL CORS (URL-05).

use crate::diag::{Code, Diagnostic};
use crate::model::{Cors, Function, LogRetention, S};
use crate::source::Span;

use super::arns::{arn_text_problem, LAYER_ARN};
use super::limit::Limit;
use super::util::{check_bounds, fmt_days, shown};
use super::RuleContext;

use crate::schema::limits::{
    ASYNC_MAX_AGE_S, ASYNC_RETRIES, CORS_MAX_AGE_S, MAX_DESCRIPTION, MAX_URL_CORS_METHODS,
    MAX_URL_CORS_ORIGINS, MEMORY_MB, STORAGE_MB, TIMEOUT_S, URL_CORS_METHODS,
};
pub use crate::schema::limits::{LOG_RETENTION_DAYS, MAX_LAYERS};

pub(crate) fn check(functions: &[Function], ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in functions {
        let storage = f.storage();
        // On Managed Instances memory has bounds of its own (rules/capacity.rs).
        let memory = if f.capacity.is_some() {
            &None
        } else {
            &f.memory
        };
        let ranges = [
            (Code::E0401, "memory", memory, &MEMORY_MB),
            (Code::E0402, "timeout", &f.timeout, &TIMEOUT_S),
            (Code::E0403, "storage", &storage, &STORAGE_MB),
        ];
        for (code, what, value, bounds) in ranges {
            if let Some(v) = value {
                out.extend(check_bounds(ctx, code, what, v, bounds));
            }
        }
        layers(ctx, f, out);
        if let Some(S {
            value: LogRetention::Days(days),
            span,
        }) = &f.log_retention
        {
            log_retention(ctx, &S::new(*days, *span), out);
        }
        // FN-17: description 0–256 characters.
        let description = f
            .description()
            .and_then(|d| Limit::text_length("description", d.span, d.value, MAX_DESCRIPTION));
        if let Some(problem) = description {
            out.push(problem.diagnostic(ctx));
        }
        if let Some(a) = &f.async_config {
            if let Some(r) = &a.retries {
                out.extend(check_bounds(
                    ctx,
                    Code::E0417,
                    "async retries",
                    r,
                    &ASYNC_RETRIES,
                ));
            }
            if let Some(m) = &a.max_age {
                out.extend(check_bounds(
                    ctx,
                    Code::E0417,
                    "async max_age",
                    m,
                    &ASYNC_MAX_AGE_S,
                ));
            }
        }
        if let Some(cors) = f.url.as_ref().and_then(|u| u.cors.as_ref()) {
            url_cors(ctx, cors, out);
        }
    }
}

fn layers(ctx: &RuleContext, f: &Function, out: &mut Vec<Diagnostic>) {
    // FN-12 / QT-10: at most five layers.
    let spans: Vec<_> = f.layers.iter().map(|l| l.span).collect();
    let too_many = Limit::too_many(
        Code::E0410,
        "layers",
        "a function",
        &spans,
        MAX_LAYERS,
        "merge layers, or bundle the extra dependencies into the function's code".into(),
    );
    out.extend(too_many.map(|problem| problem.diagnostic(ctx)));
    for (i, layer) in f.layers.iter().enumerate() {
        // FN-12: unique
        if let Some(first) = f.layers[..i].iter().find(|l| l.value == layer.value) {
            out.push(
                Diagnostic::new(Code::E0460, layer.span, "layer listed twice")
                    .label("the same ARN again")
                    .secondary(first.span, "first listed here")
                    .help("remove the duplicate"),
            );
            continue;
        }
        // FN-12 / FN-13: ARN shape
        if let Some(problem) = arn_text_problem(&LAYER_ARN, &layer.value) {
            out.push(
                Diagnostic::new(Code::E0418, layer.span, "malformed layer ARN")
                    .label(problem)
                    .help("use arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION"),
            );
        }
    }
}

fn log_retention(ctx: &RuleContext, r: &S<u64>, out: &mut Vec<Diagnostic>) {
    if LOG_RETENTION_DAYS.contains(&r.value) {
        return;
    }
    // LOG-01: the nearest allowed value (ties go to the longer retention).
    let nearest = LOG_RETENTION_DAYS
        .iter()
        .copied()
        .min_by_key(|d| (d.abs_diff(r.value), u64::MAX - d))
        .unwrap_or(30);
    let written = shown(ctx, r, || fmt_days(r.value));
    out.push(
        Diagnostic::new(
            Code::E0312,
            r.span,
            format!("log retention {written} is not a value CloudWatch Logs accepts"),
        )
        .label(format!("{} days is not allowed", r.value))
        .help(format!("use one of {} days", retention_days_list()))
        .fix(
            format!("use {}", fmt_days(nearest)),
            r.span,
            fmt_days(nearest),
        ),
    );
}

/// `1, 3, …, 3288 or 3653`: the values CloudWatch Logs allows (LOG-01).
fn retention_days_list() -> String {
    let days: Vec<String> = LOG_RETENTION_DAYS.iter().map(u64::to_string).collect();
    or_list(&days)
}

/// `a, b or c`.
fn or_list<T: AsRef<str>>(items: &[T]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.to_string(),
        None => String::new(),
    }
}

/// URL-05: function URL CORS.
fn url_cors(ctx: &RuleContext, cors: &Cors, out: &mut Vec<Diagnostic>) {
    if let Some(m) = &cors.max_age {
        out.extend(check_bounds(
            ctx,
            Code::E0417,
            "cors max_age",
            m,
            &CORS_MAX_AGE_S,
        ));
    }
    for m in &cors.methods {
        out.extend(cors_method(ctx, m));
    }
    let methods: Vec<Span> = cors.methods.iter().map(|m| m.span).collect();
    let origins: Vec<Span> = cors.origins.iter().map(|o| o.span).collect();
    let lists = [
        (
            "CORS methods",
            methods,
            MAX_URL_CORS_METHODS,
            "use `*` for all methods",
        ),
        (
            "CORS origins",
            origins,
            MAX_URL_CORS_ORIGINS,
            "use fewer origins or `*`",
        ),
    ];
    for (items, spans, max, help) in lists {
        let problem = Limit::too_many(
            Code::E0440,
            items,
            "a function URL",
            &spans,
            max,
            help.into(),
        );
        out.extend(problem.map(|p| p.diagnostic(ctx)));
    }
}

/// E0313 for a CORS method function URLs do not allow; the fix when it is one in the
/// wrong case.
fn cors_method(ctx: &RuleContext, m: &S<String>) -> Option<Diagnostic> {
    if URL_CORS_METHODS.contains(&m.value.as_str()) {
        return None;
    }
    let upper = m.value.to_ascii_uppercase();
    let mut d = Diagnostic::new(
        Code::E0313,
        m.span,
        format!("`{}` is not a method function URLs allow in CORS", m.value),
    )
    .label("not allowed here")
    .help(format!("use {}", or_list(URL_CORS_METHODS)));
    if URL_CORS_METHODS.contains(&upper.as_str()) {
        d = d.fix(
            format!("use {upper}"),
            m.span,
            super::util::string_replacement(ctx, m.span, &upper),
        );
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{AsyncConfig, Auth, DeployStr, Setting, UrlConfig};

    #[test]
    fn memory_boundaries() {
        let mut kit = Kit::new();
        let mut ok = kit.function("ok");
        ok.memory = Some(kit.s("10240MB", 10_240));
        let mut low = kit.function("low");
        low.memory = Some(kit.s("128MB", 128));
        let mut big = kit.function("big");
        let v = kit.s("10241MB", 10_241);
        big.memory = Some(v.clone());
        let diags = kit.run(&model(vec![ok, low, big]));
        let d = one(&diags, Code::E0401);
        assert_eq!(d.primary.span, v.span);
        assert_eq!(d.message, "memory 10241MB is out of range");
        assert_eq!(d.primary.message, "above the maximum, 10240MB");
        assert_eq!(
            d.help.as_deref(),
            Some("use a value between 128MB and 10240MB")
        );
        assert_eq!(d.fixes[0].replacement, "10240MB");
    }

    #[test]
    fn timeout_boundaries() {
        let mut kit = Kit::new();
        let mut ok = kit.function("ok");
        ok.timeout = Some(kit.s("15m", 900));
        let mut zero = kit.function("zero");
        let v = kit.s("0s", 0);
        zero.timeout = Some(v.clone());
        let mut over = kit.function("over");
        over.timeout = Some(kit.s("901s", 901));
        let diags = kit.run(&model(vec![ok, zero, over]));
        let found = with_code(&diags, Code::E0402);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].primary.span, v.span);
        assert_eq!(found[0].fixes[0].replacement, "1s");
        assert_eq!(found[0].primary.message, "below the minimum, 1s");
        assert_eq!(found[1].fixes[0].replacement, "15m");
    }

    #[test]
    fn storage_boundaries() {
        let mut kit = Kit::new();
        let mut ok = kit.function("ok");
        ok.set("storage", kit.s("512MB", Setting::Number(512)));
        let mut low = kit.function("low");
        let v = kit.s("511MB", 511);
        low.set("storage", v.clone().map(Setting::Number));
        let diags = kit.run(&model(vec![ok, low]));
        assert_eq!(one(&diags, Code::E0403).primary.span, v.span);
    }

    fn layer(kit: &mut Kit, n: usize) -> S<DeployStr> {
        kit.text(&format!(
            "arn:aws:lambda:us-east-1:123456789012:layer:l{n}:1"
        ))
    }

    #[test]
    fn five_layers_ok_six_not() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        f.layers = (0..5).map(|n| layer(&mut kit, n)).collect();
        let mut g = kit.function("g");
        g.layers = (0..6).map(|n| layer(&mut kit, n)).collect();
        let sixth = g.layers[5].span;
        let diags = kit.run(&model(vec![f, g]));
        assert_eq!(one(&diags, Code::E0410).primary.span, sixth);
        none(&diags, Code::E0418);
    }

    #[test]
    fn malformed_layer_arn() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let bad = kit.text("arn:aws:lambda:us-east-1:123456789012:layer:deps");
        f.layers = vec![bad.clone()];
        let diags = kit.run(&model(vec![f]));
        assert_eq!(one(&diags, Code::E0418).primary.span, bad.span);
    }

    #[test]
    fn log_retention_values() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        f.log_retention = Some(kit.s("3653d", LogRetention::Days(3653)));
        let mut g = kit.function("g");
        let bad = kit.s("31d", LogRetention::Days(31));
        g.log_retention = Some(bad.clone());
        let mut h = kit.function("h");
        h.log_retention = Some(kit.s("never", LogRetention::Never));
        let diags = kit.run(&model(vec![f, g, h]));
        let d = one(&diags, Code::E0312);
        assert_eq!(d.primary.span, bad.span);
        assert_eq!(d.fixes[0].replacement, "30d");
    }

    #[test]
    fn async_ranges() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let span = kit.span("async { … }");
        let retries = kit.s("3", 3);
        f.async_config = Some(AsyncConfig {
            retries: Some(retries.clone()),
            max_age: Some(kit.s("6h", 21_600)),
            on_success: None,
            on_failure: None,
            span,
        });
        let mut g = kit.function("g");
        let age = kit.s("59s", 59);
        g.async_config = Some(AsyncConfig {
            retries: Some(kit.s("2", 2)),
            max_age: Some(age.clone()),
            on_success: None,
            on_failure: None,
            span,
        });
        let diags = kit.run(&model(vec![f, g]));
        let found = with_code(&diags, Code::E0417);
        assert_eq!(found.len(), 2, "{diags:#?}");
        assert_eq!(found[0].primary.span, retries.span);
        assert_eq!(found[1].primary.span, age.span);
        assert_eq!(found[1].fixes[0].replacement, "1m");
    }

    #[test]
    fn url_cors_max_age() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let span = kit.span("url { … }");
        let age = kit.s("86401s", 86_401);
        let auth = kit.s("none", Auth::None);
        f.url = Some(UrlConfig {
            auth: auth.clone(),
            stream: None,
            public: None,
            cors: Some(Cors {
                max_age: Some(age.clone()),
                span,
                ..Cors::default()
            }),
            span,
        });
        let mut g = kit.function("g");
        g.url = Some(UrlConfig {
            auth,
            stream: None,
            public: None,
            cors: Some(Cors {
                max_age: Some(kit.s("1d", 86_400)),
                span,
                ..Cors::default()
            }),
            span,
        });
        let diags = kit.run(&model(vec![f, g]));
        assert_eq!(one(&diags, Code::E0417).primary.span, age.span);
    }
}
