//! HTTP API settings and authorizers:
//!
//! - authorizers: at most 50 audiences (HAPI-07, E0434), `cache` in range (HAPI-01, E0417) and with `identity` when on (E0498),
//!   identity sources of API Gateway's shape (HAPI-03, E0315), a JWT issuer that is an
//!   `https://` URL (HAPI-02, E0314), a function authorizer that can answer within API
//!   Gateway's wait (AG-06, W0568);
//! - routes: their `scopes` (`super::scopes`);
//! - APIs: `throttle` in range (AG-12, E0417) and not zero (W0569), `domain` a DNS name
//!   (HAPI-06, E0499) with an ACM certificate ARN (E0316).

use crate::diag::{Code, Diagnostic};
use crate::model::{
    ApiDomain, ApiSpec, AuthSpec, DeployStr, Function, Origin, ResRef, Resource, Spec, Throttle, S,
};
use crate::schema::limits::{
    fmt_seconds, AUTHORIZER_TIMEOUT_S, AUTH_CACHE_S, MAX_JWT_AUDIENCES, THROTTLE_BURST,
    THROTTLE_RATE,
};
use crate::source::Span;

use super::arns::{arn_text_problem, CERTIFICATE_ARN};
use super::limit::Limit;
use super::lookup::Lookup;
use super::util::check_bounds;
use super::RuleContext;

pub(crate) fn check(model: &Lookup, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for r in &model.resources {
        match &r.origin {
            Origin::Created(Spec::Auth(spec)) => authorizer(model, ctx, r, spec, out),
            Origin::Created(Spec::Api(api)) => settings(ctx, api, out),
            _ => {}
        }
    }
    for f in &model.functions {
        for t in &f.triggers {
            super::scopes::check(model, ctx, &t.kind, out);
        }
    }
}

fn authorizer(
    model: &Lookup,
    ctx: &RuleContext,
    r: &Resource,
    spec: &AuthSpec,
    out: &mut Vec<Diagnostic>,
) {
    match spec {
        AuthSpec::Jwt { issuer, audience } => {
            out.extend(issuer_problem(issuer));
            out.extend(too_many_audiences(ctx, audience));
        }
        AuthSpec::Function {
            function,
            cache,
            identity,
            identity_unread,
        } => {
            if let Some(c) = cache {
                out.extend(check_bounds(ctx, Code::E0417, "cache", c, &AUTH_CACHE_S));
                if !identity_unread {
                    out.extend(cache_without_identity(r, c, identity));
                }
            }
            out.extend(identity.iter().filter_map(identity_problem));
            if let Some(f) = model.function(&function.value.name) {
                out.extend(slow_authorizer(r, function, f));
            }
        }
    }
}

/// E0314 (HAPI-02): API Gateway fetches the issuer's keys over HTTPS.
fn issuer_problem(issuer: &S<DeployStr>) -> Option<Diagnostic> {
    let (known, _) = issuer.value.known_prefix();
    let prefix = "https://";
    let n = known.len().min(prefix.len());
    if known[..n].eq_ignore_ascii_case(&prefix[..n]) {
        return None;
    }
    Some(
        Diagnostic::new(
            Code::E0314,
            issuer.span,
            "a JWT issuer is an `https://` URL",
        )
        .label("not an https:// URL")
        .help("write the issuer's URL as tokens carry it in `iss`, e.g. issuer = \"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123\""),
    )
}

/// E0434 (HAPI-07): API Gateway accepts at most 50 audiences per JWT authorizer.
fn too_many_audiences(ctx: &RuleContext, audience: &[S<DeployStr>]) -> Option<Diagnostic> {
    let spans: Vec<Span> = audience.iter().map(|a| a.span).collect();
    let problem = Limit::too_many(
        Code::E0434,
        "audiences",
        "a JWT authorizer",
        &spans,
        MAX_JWT_AUDIENCES,
        format!(
            "keep at most {MAX_JWT_AUDIENCES}: issue the tokens for fewer client IDs, or split the routes between two authorizers"
        ),
    )?;
    Some(problem.diagnostic(ctx))
}

/// E0498 (HAPI-01): the cache key is made of the identity sources; without any, API Gateway
/// refuses a cached authorizer.
fn cache_without_identity(
    r: &Resource,
    cache: &S<u64>,
    identity: &[S<DeployStr>],
) -> Option<Diagnostic> {
    if cache.value == 0 || !identity.is_empty() {
        return None;
    }
    Some(
        Diagnostic::new(
            Code::E0498,
            cache.span,
            format!("authorizer `{}` caches answers without an identity source", r.name),
        )
        .label("a cache needs a key: the request parts in `identity`")
        .secondary(r.name_span, "no `identity` in this authorizer")
        .help("add identity = [\"$request.header.Authorization\"] (what the cache is keyed on), or cache = 0s"),
    )
}

/// HAPI-03: `$request.header.NAME`, `$request.querystring.NAME`, `$context.NAME` or
/// `$stageVariables.NAME`. A deploy-time source is checked as far as its known start goes:
/// `"$request.header.${param.header}"` and a list parameter pass.
fn identity_problem(source: &S<DeployStr>) -> Option<Diagnostic> {
    let (known, whole) = source.value.known_prefix();
    if identity_shape_ok(&known, whole) {
        return None;
    }
    Some(
        Diagnostic::new(
            Code::E0315,
            source.span,
            format!("`{}` is not an identity source", source.value),
        )
        .label("not `$request.header.NAME`, `$request.querystring.NAME`, `$context.NAME` or `$stageVariables.NAME`")
        .help(format!(
            "write where the value is read from, e.g. \"$request.header.{}\"",
            suggested_name(&source.value, &known, whole)
        )),
    )
}

/// Whether `known` (the whole source, or the start of one whose end is only known at
/// deploy time) is or may become `PREFIX` followed by a name.
fn identity_shape_ok(known: &str, whole: bool) -> bool {
    const PREFIXES: &[&str] = &[
        "$request.header.",
        "$request.querystring.",
        "$context.",
        "$stageVariables.",
    ];
    PREFIXES.iter().any(|p| match known.strip_prefix(p) {
        Some(name) => !name.is_empty() || !whole,
        None => !whole && p.starts_with(known),
    })
}

/// The name to suggest after `$request.header.`: for a deploy-time source, what follows
/// its last literal `.`, `$` or space (`${param.header}` in `header.${param.header}`).
fn suggested_name(source: &DeployStr, known: &str, whole: bool) -> String {
    if whole {
        return header_name(known).to_string();
    }
    let cut = known.rfind(['.', '$', ' ']).map_or(0, |i| i + 1);
    source
        .to_string()
        .get(cut..)
        .unwrap_or_default()
        .to_string()
}

/// A header name to suggest: the written name's last word, else `Authorization`.
fn header_name(written: &str) -> &str {
    written
        .rsplit(['.', '$', ' '])
        .find(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or("Authorization")
}

/// W0568 (AG-06): API Gateway waits 10 s for an authorizer, then refuses the request.
fn slow_authorizer(r: &Resource, reference: &S<ResRef>, f: &Function) -> Option<Diagnostic> {
    let timeout = f.timeout.as_ref()?;
    if timeout.value <= AUTHORIZER_TIMEOUT_S {
        return None;
    }
    Some(
        Diagnostic::new(
            Code::W0568,
            reference.span,
            format!(
                "authorizer `{}` runs a function with a {} timeout",
                r.name,
                fmt_seconds(timeout.value)
            ),
        )
        .label(format!(
            "API Gateway waits {AUTHORIZER_TIMEOUT_S}s for an authorizer, then refuses the request"
        ))
        .secondary(timeout.span, "timeout set here")
        .help(format!(
            "give function.{} a timeout of {AUTHORIZER_TIMEOUT_S}s or less: an answer after that is never read",
            f.name.value
        )),
    )
}

fn settings(ctx: &RuleContext, api: &ApiSpec, out: &mut Vec<Diagnostic>) {
    if let Some(t) = &api.throttle {
        throttle(ctx, t, out);
    }
    if let Some(d) = &api.domain {
        out.extend(domain_name_problem(d));
        out.extend(certificate_problem(d));
    }
}

fn throttle(ctx: &RuleContext, t: &Throttle, out: &mut Vec<Diagnostic>) {
    if let Some(rate) = &t.rate {
        out.extend(check_bounds(ctx, Code::E0417, "rate", rate, &THROTTLE_RATE));
    }
    if let Some(burst) = &t.burst {
        out.extend(check_bounds(
            ctx,
            Code::E0417,
            "burst",
            burst,
            &THROTTLE_BURST,
        ));
    }
    // W0569: a rate or burst of 0 lets no request through.
    let zero = [("rate", &t.rate), ("burst", &t.burst)]
        .into_iter()
        .find_map(|(key, v)| v.as_ref().filter(|v| v.value == 0).map(|v| (key, v)));
    if let Some((key, v)) = zero {
        out.push(
            Diagnostic::new(Code::W0569, v.span, format!("a throttle `{key}` of 0 refuses every request"))
                .label("every call to this API gets 429 Too Many Requests")
                .help("set the requests per second the API should take, e.g. throttle = { rate = 100, burst = 50 }; to stop an API, remove its routes"),
        );
    }
}

/// E0499 (HAPI-06): a domain name is DNS labels of letters, digits and hyphens, at most
/// 253 characters. Only the known text of a deploy-time name is checked.
fn domain_name_problem(d: &ApiDomain) -> Option<Diagnostic> {
    let (known, whole) = d.name.value.known_prefix();
    if let Some((scheme, _)) = known.split_once("://") {
        return Some(
            Diagnostic::new(Code::E0499, d.name.span, "this is not a domain name")
                .label(format!("a domain name has no `{scheme}://`"))
                .help("write the name alone, e.g. name = \"api.example.com\""),
        );
    }
    let labels: Vec<&str> = known.split('.').collect();
    // Without its end, the last label written may still grow: only the others are whole.
    let complete = if whole {
        labels.len()
    } else {
        labels.len() - 1
    };
    let bad_label = labels[..complete].iter().find(|l| !label_ok(l));
    let problem = match bad_label {
        Some(&"") => "an empty label (two dots, or a dot at an end)".to_string(),
        Some(l) => {
            format!("`{l}` is not a DNS label (letters, digits and inner hyphens, up to 63)")
        }
        None if whole && labels.len() < 2 => "a domain name has at least two labels".to_string(),
        None if known.len() > 253 => "longer than 253 characters".to_string(),
        None => return None,
    };
    Some(
        Diagnostic::new(Code::E0499, d.name.span, "this is not a domain name")
            .label(problem)
            .help("write the name clients will call, e.g. name = \"api.example.com\""),
    )
}

fn label_ok(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// E0316 (HAPI-06): the certificate is an ACM certificate's ARN.
fn certificate_problem(d: &ApiDomain) -> Option<Diagnostic> {
    let problem = arn_text_problem(&CERTIFICATE_ARN, &d.certificate.value)?;
    Some(
        Diagnostic::new(
            Code::E0316,
            d.certificate.span,
            "this is not the ARN of an ACM certificate",
        )
        .label(problem)
        .help("write certificate = \"arn:aws:acm:us-east-1:123456789012:certificate/…\" (the certificate's ARN in ACM, in the API's region)"),
    )
}
