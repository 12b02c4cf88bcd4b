//! Endpoints reachable from outside:
//!
//! - W0522: a function URL with `auth = none` without `public = true` saying it is
//!   intended (http routes: [`super::open_routes`]).
//! - E0445: an `https` topic subscription whose endpoint is not an `https://` URL (SNS-05).

use crate::diag::{Code, Diagnostic};
use crate::model::{Auth, Function, Origin, Spec, S};

use super::lookup::Lookup;
use super::util::{source_text, string_replacement};
use super::RuleContext;

pub(crate) fn check(model: &Lookup, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in &model.functions {
        public_url(ctx, f, out);
    }
    for r in &model.resources {
        if let Origin::Created(Spec::Topic(t)) = &r.origin {
            for endpoint in &t.https {
                out.extend(plain_http(ctx, endpoint));
            }
        }
    }
}

fn intended(public: &Option<S<bool>>) -> bool {
    public.as_ref().is_some_and(|p| p.value)
}

/// A fix that turns `none` into `iam` where it was written as a bare word.
fn to_iam(ctx: &RuleContext, d: Diagnostic, auth: &S<Auth>) -> Diagnostic {
    let word = |a: Auth| crate::schema::AUTH.word_of(crate::schema::AUTH_MODES, &a);
    match source_text(ctx, auth.span) {
        Some(t) if t == word(Auth::None) => {
            d.fix("require IAM authorization", auth.span, word(Auth::Iam))
        }
        _ => d,
    }
}

fn public_url(ctx: &RuleContext, f: &Function, out: &mut Vec<Diagnostic>) {
    let Some(url) = &f.url else { return };
    if url.auth.value != Auth::None || intended(&url.public) {
        return;
    }
    let d = Diagnostic::new(
        Code::W0522,
        url.auth.span,
        // Not naming the function: a URL set in a template or `defaults` is reported once.
        "this function URL can be called by anyone",
    )
    .label("no authorization on this function URL")
    .secondary(url.span, "add `public = true` here if that is intended")
    .help("write `url { auth = none, public = true }` if anyone on the internet may call it; otherwise use `auth = iam`");
    out.push(to_iam(ctx, d, &url.auth));
}

/// SNS-05: the `https` protocol delivers only to `https://` URLs.
fn plain_http(ctx: &RuleContext, endpoint: &S<String>) -> Option<Diagnostic> {
    let url = endpoint.value.as_str();
    if url
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    {
        return None;
    }
    let mut d = Diagnostic::new(
        Code::E0445,
        endpoint.span,
        format!("`{url}` is not an https:// URL"),
    )
    .label("an `https` subscription needs an https:// endpoint")
    .help("SNS refuses the subscription (and the deployment fails): serve the endpoint over TLS and write its https:// URL");
    let rest = url
        .get(..7)
        .filter(|s| s.eq_ignore_ascii_case("http://"))
        .and_then(|_| url.get(7..));
    if let Some(rest) = rest {
        let fixed = format!("https://{rest}");
        let replacement = string_replacement(ctx, endpoint.span, &fixed);
        d = d.fix(format!("use {fixed}"), endpoint.span, replacement);
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{Kind, TopicSpec, UrlConfig};

    #[test]
    fn public_urls_warn_unless_intended() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let mut g = kit.function("g");
        let span = kit.span("url { … }");
        let auth = kit.s("none", Auth::None);
        f.url = Some(UrlConfig {
            auth: auth.clone(),
            stream: None,
            public: None,
            cors: None,
            span,
        });
        g.url = Some(UrlConfig {
            auth: auth.clone(),
            stream: None,
            public: Some(kit.s("true", true)),
            cors: None,
            span,
        });
        let d = one(&kit.run(&model(vec![f, g])), Code::W0522);
        assert_eq!(d.primary.span, auth.span);
        assert_eq!(d.fixes[0].replacement, "iam");
    }

    #[test]
    fn https_subscriptions_need_https_urls() {
        let mut kit = Kit::new();
        let bad = kit.str("http://hooks.example.com/sns");
        let good = kit.str("https://hooks.example.com/sns");
        let topic = kit.resource(
            Kind::Topic,
            "t",
            Spec::Topic(TopicSpec {
                https: vec![bad.clone(), good],
                ..TopicSpec::default()
            }),
        );
        let mut m = model(vec![]);
        m.resources = vec![topic];
        let d = one(&kit.run(&m), Code::E0445);
        assert_eq!(d.primary.span, bad.span);
        assert_eq!(d.fixes[0].replacement, "\"https://hooks.example.com/sns\"");
    }
}
