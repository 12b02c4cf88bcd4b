//! The `scopes` of an http route (`AuthorizationScopes`):
//!
//! - only where a JWT authorizer guards the route (AG-09, E0109);
//! - at most 10 of them (AG-05, E0433);
//! - each one a scope a token can carry: not empty, no spaces (HAPI-08, E0320).
//!
//! A list parameter stands for all the scopes and is counted by nobody before deploy time;
//! a scope with deploy-time parts is checked on its literal text.

use crate::diag::{Code, Diagnostic};
use crate::model::{AuthSpec, DeployStr, Kind, Origin, ResRef, RouteAuth, Spec, TriggerKind, S};
use crate::schema::limits::MAX_ROUTE_SCOPES;
use crate::source::Span;

use super::limit::Limit;
use super::lookup::Lookup;
use super::RuleContext;

pub(crate) fn check(
    model: &Lookup,
    ctx: &RuleContext,
    kind: &TriggerKind,
    out: &mut Vec<Diagnostic>,
) {
    let TriggerKind::Http { scopes, .. } = kind else {
        return;
    };
    out.extend(without_jwt(model, kind));
    out.extend(too_many(ctx, scopes));
    out.extend(scopes.iter().filter_map(scope_problem));
}

/// E0433 (AG-05): API Gateway refuses a route with more than 10 scopes.
fn too_many(ctx: &RuleContext, scopes: &[S<DeployStr>]) -> Option<Diagnostic> {
    let spans: Vec<Span> = scopes.iter().map(|s| s.span).collect();
    let problem = Limit::too_many(
        Code::E0433,
        "scopes",
        "a route",
        &spans,
        MAX_ROUTE_SCOPES,
        format!(
            "a token passes with any one of the route's scopes: keep at most {MAX_ROUTE_SCOPES} (e.g. one scope that all of the route's callers are granted)"
        ),
    )?;
    Some(problem.diagnostic(ctx))
}

/// E0320 (HAPI-08): API Gateway compares each route scope with the scopes it parses from
/// the token's space-separated `scope` claim; an empty scope, or one with a space in it,
/// matches none of them, so the route refuses every token.
fn scope_problem(scope: &S<DeployStr>) -> Option<Diagnostic> {
    let (known, whole) = scope.value.known_prefix();
    let literal_space = scope.value.parts().iter().any(|p| match p {
        crate::model::Value::Str(t) => t.contains(char::is_whitespace),
        _ => false,
    });
    let label = if literal_space {
        "a token's scopes are separated by spaces: no scope holds one"
    } else if whole && known.is_empty() {
        "an empty scope"
    } else {
        return None;
    };
    let written = scope.value.to_string();
    let items: Vec<String> = written
        .split_whitespace()
        .map(|s| format!("\"{s}\""))
        .collect();
    let help = if items.is_empty() {
        "write the scope a token must carry, e.g. \"orders:read\", or remove the empty one"
            .to_string()
    } else {
        format!("write each scope as its own item: {}", items.join(", "))
    };
    Some(
        Diagnostic::new(Code::E0320, scope.span, "no token can carry this scope")
            .label(label)
            .help(help),
    )
}

/// E0109 (AG-09): `AuthorizationScopes` apply to JWT authorizers only.
fn without_jwt(model: &Lookup, kind: &TriggerKind) -> Option<Diagnostic> {
    let TriggerKind::Http {
        api, auth, scopes, ..
    } = kind
    else {
        return None;
    };
    let (first, last) = (scopes.first()?, scopes.last()?);
    let api_ref = ResRef {
        kind: Kind::Api,
        name: api.value.clone(),
    };
    let api = model.resource(&api_ref);
    let api_auth = match api.map(|r| &r.origin) {
        Some(Origin::Created(Spec::Api(spec))) => spec.auth.as_ref(),
        _ => None,
    };
    let guard = auth.as_ref().or(api_auth);
    let why = match guard.map(|g| &g.value) {
        Some(RouteAuth::Authorizer(name)) if is_jwt(model, name) => return None,
        Some(RouteAuth::Authorizer(name)) => format!("auth.{name} is a function authorizer"),
        Some(RouteAuth::Iam) => "this route is authorized by IAM".to_string(),
        Some(RouteAuth::None) | None => "this route has no authorizer".to_string(),
    };
    let mut d = Diagnostic::new(
        Code::E0109,
        first.span.to(last.span),
        "`scopes` need a JWT authorizer",
    )
    .label(why);
    match (guard, api) {
        (Some(g), _) => d = d.secondary(g.span, "authorization chosen here"),
        // The API's declaration gave no `auth`: pointing there also keeps this quiet when
        // that declaration could not be read whole (its `auth` misspelt).
        (None, Some(r)) if !matches!(&r.origin, Origin::Created(Spec::Api(s)) if s.implicit) => {
            d = d.secondary(
                r.name_span,
                format!("api.{} sets no `auth` for its routes", r.name),
            );
        }
        (None, _) => {}
    }
    Some(d.help("guard the route with `auth = auth.NAME` where `auth NAME { jwt { … } }`, or remove `scopes`"))
}

fn is_jwt(model: &Lookup, name: &str) -> bool {
    let r = ResRef {
        kind: Kind::Auth,
        name: name.to_string(),
    };
    matches!(
        model.resource(&r).map(|r| &r.origin),
        Some(Origin::Created(Spec::Auth(AuthSpec::Jwt { .. }))) | None
    )
}
