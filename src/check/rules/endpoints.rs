//! Endpoints reachable from outside:
//!
//! - W0522: a function URL with `auth = none`, or an http route whose `auth = none` is
//!   written on the route or on its API, without `public = true` saying it is intended.
//! - E0445: an `https` topic subscription whose endpoint is not an `https://` URL (SNS-05).

use crate::diag::{Code, Diagnostic};
use crate::model::{Auth, Function, Origin, ResRef, Spec, Trigger, TriggerKind, S};

use super::lookup::Lookup;
use super::util::{source_text, string_replacement};
use super::RuleContext;

pub(crate) fn check(model: &Lookup, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in &model.functions {
        public_url(ctx, f, out);
        for t in &f.triggers {
            out.extend(public_route(model, ctx, t));
        }
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
    match source_text(ctx, auth.span) {
        Some("none") => d.fix("require IAM authorization", auth.span, "iam"),
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

fn public_route(model: &Lookup, ctx: &RuleContext, t: &Trigger) -> Option<Diagnostic> {
    let TriggerKind::Http {
        method,
        path,
        api,
        auth,
        public,
    } = &t.kind
    else {
        return None;
    };
    if intended(public) {
        return None;
    }
    let route = format!("{} {}", method.value, path.value);
    if let Some(auth) = auth {
        if auth.value != Auth::None {
            return None;
        }
        let d = Diagnostic::new(
            Code::W0522,
            method.span,
            format!("route `{route}` can be called by anyone"),
        )
        .label("this route has no authorization")
        .secondary(auth.span, "`auth = none` set here")
        .help(format!(
            "write `on http \"{route}\" {{ auth = none, public = true }}` if anyone on the internet may call it; otherwise use `auth = iam`"
        ));
        return Some(to_iam(ctx, d, auth));
    }
    let api_ref = ResRef {
        kind: crate::model::Kind::Api,
        name: api.value.clone(),
    };
    let api_auth = match &model.resource(&api_ref)?.origin {
        Origin::Created(Spec::Api(spec)) => spec.auth.as_ref()?,
        _ => return None,
    };
    (api_auth.value == Auth::None).then(|| {
        Diagnostic::new(
            Code::W0522,
            method.span,
            format!("route `{route}` can be called by anyone"),
        )
        .label(format!("routed through api.{} without authorization", api.value))
        .secondary(api_auth.span, "`auth = none` set on the API here")
        .help(format!(
            "write `on http \"{route}\" via api.{} {{ public = true }}` if anyone on the internet may call it; otherwise give the route `auth = iam`",
            api.value
        ))
    })
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
    use crate::model::{ApiSpec, Kind, Resource, TopicSpec, UrlConfig};

    fn route(kit: &mut Kit, api: &str, auth: Option<Auth>, public: Option<bool>) -> Trigger {
        let method = kit.s("\"GET /x\"", "GET".to_string());
        let path = S::new("/x".to_string(), method.span);
        let api = kit.s(api, api.to_string());
        let auth = auth.map(|a| kit.s("none", a));
        let public = public.map(|p| kit.s("true", p));
        kit.trigger(TriggerKind::Http {
            method,
            path,
            api,
            auth,
            public,
        })
    }

    fn api(kit: &mut Kit, name: &str, auth: Option<Auth>) -> Resource {
        let auth = auth.map(|a| kit.s("none", a));
        kit.resource(
            Kind::Api,
            name,
            Spec::Api(ApiSpec {
                auth,
                ..ApiSpec::default()
            }),
        )
    }

    #[test]
    fn public_urls_warn_unless_intended() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let mut g = kit.function("g");
        let span = kit.span("url { … }");
        let auth = kit.s("none", Auth::None);
        f.url = Some(UrlConfig {
            auth: auth.clone(),
            public: None,
            cors: None,
            span,
        });
        g.url = Some(UrlConfig {
            auth: auth.clone(),
            public: Some(kit.s("true", true)),
            cors: None,
            span,
        });
        let d = one(&kit.run(&model(vec![f, g])), Code::W0522);
        assert_eq!(d.primary.span, auth.span);
        assert_eq!(d.fixes[0].replacement, "iam");
    }

    #[test]
    fn routes_warn_when_none_is_written_on_them_or_their_api() {
        let mut kit = Kit::new();
        let open = api(&mut kit, "open", Some(Auth::None));
        let plain = api(&mut kit, "plain", None);
        let mut f = kit.function("f");
        let own = route(&mut kit, "plain", Some(Auth::None), None);
        let via_api = route(&mut kit, "open", None, None);
        f.triggers = vec![
            own.clone(),
            via_api.clone(),
            route(&mut kit, "open", None, Some(true)),
            route(&mut kit, "plain", None, None),
            route(&mut kit, "open", Some(Auth::Iam), None),
        ];
        let mut m = model(vec![f]);
        m.resources = vec![open, plain];
        let diags = kit.run(&m);
        let found: Vec<_> = with_code(&diags, Code::W0522)
            .iter()
            .map(|d| d.secondary[0].span)
            .collect();
        assert_eq!(found.len(), 2, "{diags:#?}");
        let TriggerKind::Http { auth: Some(a), .. } = &own.kind else {
            unreachable!()
        };
        assert!(found.contains(&a.span));
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
