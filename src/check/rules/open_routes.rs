//! W0522 for http routes: a route whose authorization is none — `auth = none` on the route,
//! on its API, or neither saying anything (a route without `auth` gets `AuthorizationType:
//! NONE`, AG-09) — unless the route or its API says `public = true`.
//!
//! One warning per API, on its first such route, the others as secondary labels: making
//! the API public or requiring IAM on it is one decision that settles them all.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic, Note};
use crate::model::{
    ApiSpec, Auth, Function, Kind, Model, Origin, ResRef, Resource, RouteAuth, Spec, TriggerKind, S,
};
use crate::source::Span;

use super::edits::{add_entry, declare_above};
use super::lookup::Lookup;
use super::util::source_text;
use super::RuleContext;

/// Why a route has no authorization.
enum Why<'a> {
    /// `auth = none` on the route.
    Route(&'a S<RouteAuth>),
    /// `auth = none` on its API.
    Api(&'a S<RouteAuth>),
    /// No `auth` on the route or its API.
    Unset,
}

struct OpenRoute<'a> {
    function: &'a Function,
    /// `GET /x`, as API Gateway's route key.
    key: String,
    span: Span,
    why: Why<'a>,
}

/// The API the routes go through, as far as what the program may write about it.
enum Api<'a> {
    Declared(&'a Resource),
    /// `api.default`, created for routes without `via`; `api default { … }` configures it.
    Implicit,
    /// `api NAME from "…"`: it takes no attributes.
    Existing(&'a Resource),
}

pub(crate) fn check(model: &Lookup, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let mut by_api: BTreeMap<&str, (&Resource, Vec<OpenRoute>)> = BTreeMap::new();
    for f in &model.functions {
        for t in &f.triggers {
            if let Some((api, route)) = open_route(model, f, &t.kind) {
                by_api
                    .entry(api.name.as_str())
                    .or_insert_with(|| (api, Vec::new()))
                    .1
                    .push(route);
            }
        }
    }
    for (resource, mut routes) in by_api.into_values() {
        // A route written in a template is every inheriting function's: one route.
        routes.sort_by_key(|r| (r.span.file.0, r.span.start, r.span.end));
        routes.dedup_by_key(|r| r.span);
        out.extend(warning(ctx, api_of(resource), &routes));
    }
}

/// The route, with its API, when no authorization guards it and nothing says it should
/// be public. Routes through an API that did not resolve are reported elsewhere.
fn open_route<'a>(
    model: &Lookup<'a>,
    function: &'a Function,
    kind: &'a TriggerKind,
) -> Option<(&'a Resource, OpenRoute<'a>)> {
    let TriggerKind::Http {
        method,
        path,
        api,
        auth,
        public,
        ..
    } = kind
    else {
        return None;
    };
    let resource = model.resource(&ResRef {
        kind: Kind::Api,
        name: api.value.clone(),
    })?;
    let spec = match &resource.origin {
        Origin::Created(Spec::Api(spec)) => Some(spec),
        Origin::Existing { .. } => None,
        Origin::Created(_) => return None,
    };
    // The route's own `public` wins over its API's.
    let public = public.as_ref().or(spec.and_then(|s| s.public.as_ref()));
    if public.is_some_and(|p| p.value) {
        return None;
    }
    let why = match (auth, spec.and_then(|s: &ApiSpec| s.auth.as_ref())) {
        // An exception to the API's authorizer, said on the route: intended, and listed
        // by `lamc check` ([`public_exceptions`]).
        (Some(a), Some(d)) if a.value == RouteAuth::None && guards(&d.value) => return None,
        (Some(a), _) if a.value == RouteAuth::None => Why::Route(a),
        (Some(_), _) => return None,
        (None, Some(a)) if a.value == RouteAuth::None => Why::Api(a),
        (None, Some(_)) => return None,
        (None, None) => Why::Unset,
    };
    let route = OpenRoute {
        function,
        key: crate::model::route_key(&method.value, &path.value),
        span: method.span,
        why,
    };
    Some((resource, route))
}

fn guards(api_default: &RouteAuth) -> bool {
    matches!(api_default, RouteAuth::Authorizer(_))
}

/// Routes that say `auth = none` on an API whose routes an authorizer guards by default:
/// allowed without `public = true`, and listed by `lamc check` as public, one line each
/// (`GET /health` of api.shop, instead of auth.users). Each route once, in source order.
pub fn public_exceptions(model: &Model) -> Vec<Note> {
    let mut out: Vec<Note> = Vec::new();
    for f in &model.functions {
        for t in &f.triggers {
            let TriggerKind::Http {
                method,
                path,
                api,
                auth: Some(auth),
                ..
            } = &t.kind
            else {
                continue;
            };
            let api_ref = ResRef {
                kind: Kind::Api,
                name: api.value.clone(),
            };
            let default = match model.resource(&api_ref).map(|r| &r.origin) {
                Some(Origin::Created(Spec::Api(spec))) => spec.auth.as_ref().map(|a| &a.value),
                _ => None,
            };
            if let (RouteAuth::None, Some(RouteAuth::Authorizer(guard))) = (&auth.value, default) {
                out.push(Note {
                    code: Code::W0522,
                    span: method.span,
                    message: format!(
                        "route `{} {}` of api.{} is public (`auth = none` instead of auth.{guard})",
                        method.value, path.value, api.value
                    ),
                });
            }
        }
    }
    out.sort_by_key(|n| (n.span.file.0, n.span.start));
    out.dedup_by_key(|n| n.span);
    out
}

fn api_of(resource: &Resource) -> Api<'_> {
    match &resource.origin {
        Origin::Created(Spec::Api(spec)) if spec.implicit => Api::Implicit,
        Origin::Created(_) => Api::Declared(resource),
        Origin::Existing { .. } => Api::Existing(resource),
    }
}

impl Api<'_> {
    fn name(&self) -> &str {
        match self {
            Api::Declared(r) | Api::Existing(r) => &r.name,
            Api::Implicit => "default",
        }
    }
}

/// One warning for all the open routes of one API.
fn warning(ctx: &RuleContext, api: Api, routes: &[OpenRoute]) -> Option<Diagnostic> {
    let (first, others) = routes.split_first()?;
    let name = api.name();
    let message = match others.len() {
        0 => format!("route `{}` can be called by anyone", first.key),
        n => format!(
            "routes `{}` and {n} more of api.{name} can be called by anyone",
            first.key
        ),
    };
    let mut d = Diagnostic::new(Code::W0522, first.span, message);
    d = match (&first.why, &api) {
        (Why::Route(a), _) => d
            .label("this route has no authorization")
            .secondary(a.span, "`auth = none` set here"),
        (Why::Api(a), _) => d
            .label(format!("routed through api.{name} without authorization"))
            .secondary(a.span, "`auth = none` set on the API here"),
        (Why::Unset, Api::Declared(r)) => d
            .label(format!("no `auth` on this route or on api.{name}"))
            .secondary(
                r.name_span,
                "this API sets no `auth`: its routes default to none",
            ),
        (Why::Unset, Api::Existing(r)) => d.label("no `auth` on this route").secondary(
            r.name_span,
            "an existing API: each route needs its own `auth`",
        ),
        (Why::Unset, Api::Implicit) => d.label(format!(
            "no `auth` on this route or on api.{name}: routes default to none"
        )),
    };
    for other in others {
        d = d.secondary(other.span, "also without authorization");
    }
    d = d.help(help(&api, first, others.is_empty()));
    if let Some((span, text)) = public_fix(ctx, &api, first) {
        d = d.fix(format!("mark api.{name} public"), span, text);
    }
    if let Some((title, span, text)) = iam_fix(ctx, &api, first) {
        d = d.fix(title, span, text);
    }
    Some(d)
}

/// The route as written, with `entry` in its block: `on http "GET /x" via api.a { … }`.
fn route_with(api: &Api, route: &OpenRoute, entry: &str) -> String {
    let via = match api {
        Api::Implicit => String::new(),
        _ => format!(" via api.{}", api.name()),
    };
    let block = match route.why {
        Why::Route(_) if entry.starts_with("public") => format!("auth = none, {entry}"),
        _ => entry.to_string(),
    };
    format!("`on http \"{}\"{via} {{ {block} }}`", route.key)
}

fn help(api: &Api, first: &OpenRoute, alone: bool) -> String {
    let name = api.name();
    let one = route_with(api, first, "public = true");
    let public = match api {
        Api::Declared(_) => {
            format!("`public = true` in `api {name} {{ … }}` (all its routes) or {one} (one route)")
        }
        Api::Implicit => {
            format!(
                "`api default {{ public = true }}` (all routes without `via`) or {one} (one route)"
            )
        }
        Api::Existing(_) => format!("{one} on each route"),
    };
    let iam = match (&first.why, api) {
        (Why::Route(_), _) => route_with(api, first, "auth = iam"),
        (_, Api::Declared(_)) => format!("`auth = iam` in `api {name} {{ … }}`"),
        (_, Api::Implicit) => "`api default { auth = iam }`".to_string(),
        (_, Api::Existing(_)) => format!("{} on each route", route_with(api, first, "auth = iam")),
    };
    let them = if alone { "it" } else { "them" };
    format!("if anyone on the internet may call {them}, write {public}; otherwise require signed requests with {iam}")
}

/// `public = true` added to the API's declaration, or `api default { public = true }`
/// declared above the first route's function.
fn public_fix(ctx: &RuleContext, api: &Api, first: &OpenRoute) -> Option<(Span, String)> {
    match api {
        Api::Declared(r) => add_entry(ctx, r.span, "public = true"),
        Api::Implicit => declare_above(ctx, first.function.span, "api default { public = true }"),
        Api::Existing(_) => None,
    }
}

/// `auth = none` turned into `iam` where it is written as a bare word, or `auth = iam`
/// added to the API.
fn iam_fix(ctx: &RuleContext, api: &Api, first: &OpenRoute) -> Option<(String, Span, String)> {
    let name = api.name();
    let on_api = format!("require IAM authorization on api.{name}");
    let (title, (span, text)) = match (&first.why, api) {
        (Why::Route(a), _) => (
            "require IAM authorization on this route".to_string(),
            bare_none(ctx, a)?,
        ),
        (Why::Api(a), _) => (on_api, bare_none(ctx, a)?),
        (Why::Unset, Api::Declared(r)) => (on_api, add_entry(ctx, r.span, "auth = iam")?),
        (Why::Unset, Api::Implicit) => (
            on_api,
            declare_above(ctx, first.function.span, "api default { auth = iam }")?,
        ),
        (Why::Unset, Api::Existing(_)) => return None,
    };
    Some((title, span, text))
}

fn bare_none(ctx: &RuleContext, auth: &S<RouteAuth>) -> Option<(Span, String)> {
    let word = |a: Auth| crate::schema::AUTH.word_of(crate::schema::AUTH_MODES, &a);
    (source_text(ctx, auth.span) == Some(word(Auth::None)))
        .then(|| (auth.span, word(Auth::Iam).to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::Trigger;

    fn word(a: Auth) -> &'static str {
        match a {
            Auth::Iam => "iam",
            Auth::None => "none",
        }
    }

    /// `on http "GET PATH" via api.API { auth = …, public = … }`.
    fn route(
        kit: &mut Kit,
        path: &str,
        api: &str,
        auth: Option<Auth>,
        public: Option<bool>,
    ) -> Trigger {
        let method = kit.s(&format!("\"GET {path}\""), "GET".to_string());
        let path = S::new(path.to_string(), method.span);
        let api = kit.s(api, api.to_string());
        let auth = auth.map(|a| kit.s(word(a), RouteAuth::from(a)));
        let public = public.map(|p| kit.s(&p.to_string(), p));
        kit.trigger(TriggerKind::Http {
            method,
            path,
            api,
            auth,
            scopes: Vec::new(),
            public,
        })
    }

    fn route_span(t: &Trigger) -> Span {
        match &t.kind {
            TriggerKind::Http { method, .. } => method.span,
            _ => Span::default(),
        }
    }

    /// `api NAME { auth = …, public = … }`.
    fn api(kit: &mut Kit, name: &str, auth: Option<Auth>, public: Option<bool>) -> Resource {
        let spec = ApiSpec {
            auth: auth.map(|a| kit.s(word(a), RouteAuth::from(a))),
            public: public.map(|p| kit.s(&p.to_string(), p)),
            ..ApiSpec::default()
        };
        kit.resource(Kind::Api, name, Spec::Api(spec))
    }

    fn implicit(kit: &mut Kit) -> Resource {
        let spec = ApiSpec {
            implicit: true,
            ..ApiSpec::default()
        };
        kit.resource(Kind::Api, "default", Spec::Api(spec))
    }

    /// The rules over one function with these triggers and these APIs.
    fn run(kit: &mut Kit, apis: Vec<Resource>, triggers: Vec<Trigger>) -> Vec<Diagnostic> {
        let mut f = kit.function("f");
        f.triggers = triggers;
        let mut m = model(vec![f]);
        m.resources = apis;
        kit.run(&m)
    }

    #[test]
    fn none_on_a_route_of_an_authorized_api_is_an_exception_listed_not_warned() {
        let mut kit = Kit::new();
        let guarded = ApiSpec {
            auth: Some(kit.s("auth.users", RouteAuth::Authorizer("users".into()))),
            ..ApiSpec::default()
        };
        let apis = vec![
            kit.resource(Kind::Api, "shop", Spec::Api(guarded)),
            api(&mut kit, "signed", Some(Auth::Iam), None),
        ];
        let health = route(&mut kit, "/health", "shop", Some(Auth::None), None);
        let guarded_route = route(&mut kit, "/orders", "shop", None, None);
        let on_iam = route(&mut kit, "/ping", "signed", Some(Auth::None), None);
        let mut f = kit.function("f");
        f.triggers = vec![health.clone(), guarded_route, on_iam.clone()];
        let mut m = model(vec![f]);
        m.resources = apis;
        // Only the route that turns IAM off warns: an API of signed requests says nothing
        // about a route being public on purpose.
        let d = one(&kit.run(&m), Code::W0522);
        assert_eq!(d.primary.span, route_span(&on_iam));
        let listed = public_exceptions(&m);
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(listed[0].span, route_span(&health));
        assert_eq!(listed[0].code, Code::W0522);
        assert!(
            listed[0].message.contains("instead of auth.users"),
            "{}",
            listed[0].message
        );
    }

    #[test]
    fn a_route_is_open_by_its_own_auth_its_apis_or_by_default() {
        let mut kit = Kit::new();
        let apis = vec![
            api(&mut kit, "open", Some(Auth::None), None),
            api(&mut kit, "closed", Some(Auth::Iam), None),
            api(&mut kit, "plain", None, None),
        ];
        let own = route(&mut kit, "/own", "closed", Some(Auth::None), None);
        let inherited = route(&mut kit, "/inherited", "open", None, None);
        let unset = route(&mut kit, "/unset", "plain", None, None);
        let expected = vec![route_span(&own), route_span(&inherited), route_span(&unset)];
        let triggers = vec![
            own,
            inherited,
            unset,
            route(&mut kit, "/signed", "closed", None, None),
            route(&mut kit, "/signed_too", "open", Some(Auth::Iam), None),
        ];
        let diags = run(&mut kit, apis, triggers);
        let mut found: Vec<Span> = with_code(&diags, Code::W0522)
            .iter()
            .map(|d| d.primary.span)
            .collect();
        found.sort_by_key(|s| s.start);
        assert_eq!(found, expected);
    }

    #[test]
    fn public_on_the_route_or_its_api_silences_it_and_the_route_wins() {
        let mut kit = Kit::new();
        let apis = vec![
            api(&mut kit, "site", None, Some(true)),
            api(&mut kit, "plain", None, None),
        ];
        let triggers = vec![
            route(&mut kit, "/a", "site", None, None),
            route(&mut kit, "/b", "site", Some(Auth::None), None),
            route(&mut kit, "/c", "plain", None, Some(true)),
            route(&mut kit, "/private", "site", None, Some(false)),
        ];
        let d = one(&run(&mut kit, apis, triggers), Code::W0522);
        assert_eq!(d.message, "route `GET /private` can be called by anyone");
    }

    #[test]
    fn the_routes_of_one_api_give_one_warning_on_the_first() {
        let mut kit = Kit::new();
        let apis = vec![implicit(&mut kit)];
        let triggers: Vec<Trigger> = (0..20)
            .map(|i| route(&mut kit, &format!("/r{i}"), "default", None, None))
            .collect();
        let first = route_span(&triggers[0]);
        let d = one(&run(&mut kit, apis, triggers), Code::W0522);
        assert_eq!(
            d.message,
            "routes `GET /r0` and 19 more of api.default can be called by anyone"
        );
        assert_eq!(d.primary.span, first);
        assert_eq!(d.secondary.len(), 19);
        let help = d.help.unwrap_or_default();
        assert!(help.contains("`api default { public = true }`"), "{help}");
        assert!(help.contains("`api default { auth = iam }`"), "{help}");
        // Both fixes declare `api default` above the function.
        assert_eq!(d.fixes.len(), 2, "{:#?}", d.fixes);
        assert_eq!(d.fixes[0].replacement, "api default { public = true }\n\n");
    }

    #[test]
    fn a_route_shared_through_a_template_counts_once() {
        let mut kit = Kit::new();
        let default = implicit(&mut kit);
        let shared = route(&mut kit, "/x", "default", None, None);
        let mut f = kit.function("f");
        let mut g = kit.function("g");
        f.triggers = vec![shared.clone()];
        g.triggers = vec![shared];
        let mut m = model(vec![f, g]);
        m.resources = vec![default];
        let d = one(&kit.run(&m), Code::W0522);
        assert!(d.secondary.is_empty(), "{d:#?}");
    }

    #[test]
    fn fixes_add_to_the_api_or_turn_a_written_none_into_iam() {
        let mut kit = Kit::new();
        let apis = vec![api(&mut kit, "plain", None, None)];
        let triggers = vec![route(&mut kit, "/a", "plain", None, None)];
        let d = one(&run(&mut kit, apis, triggers), Code::W0522);
        let fixes: Vec<(&str, &str)> = d
            .fixes
            .iter()
            .map(|f| (f.title.as_str(), f.replacement.as_str()))
            .collect();
        assert_eq!(
            fixes,
            vec![
                ("mark api.plain public", ", public = true "),
                ("require IAM authorization on api.plain", ", auth = iam "),
            ]
        );

        let mut kit = Kit::new();
        let apis = vec![api(&mut kit, "plain", None, None)];
        let triggers = vec![route(&mut kit, "/a", "plain", Some(Auth::None), None)];
        let d = one(&run(&mut kit, apis, triggers), Code::W0522);
        assert_eq!(d.secondary[0].message, "`auth = none` set here");
        let iam = &d.fixes[1];
        assert_eq!(iam.title, "require IAM authorization on this route");
        assert_eq!(
            (iam.span, iam.replacement.as_str()),
            (d.secondary[0].span, "iam")
        );
    }

    #[test]
    fn routes_on_an_existing_api_are_marked_one_by_one() {
        let mut kit = Kit::new();
        let apis = vec![kit.existing(
            Kind::Api,
            "shared",
            "arn:aws:apigateway:us-east-1::/apis/a1b2c3",
        )];
        let triggers = vec![route(&mut kit, "/a", "shared", None, None)];
        let d = one(&run(&mut kit, apis, triggers), Code::W0522);
        assert!(d.fixes.is_empty(), "{d:#?}");
        let help = d.help.unwrap_or_default();
        assert!(
            help.contains("`on http \"GET /a\" via api.shared { public = true }` on each route"),
            "{help}"
        );
    }
}
