//! `auth NAME { … }` → `AWS::ApiGatewayV2::Authorizer`. An authorizer belongs to one API
//! (its `ApiId`), so an `auth` used by the routes of two APIs becomes one Authorizer on
//! each, created with the first route that needs it. A function authorizer also gets the
//! permission for API Gateway to invoke it from that API.
//!
//! The authorizer is the API's, not the function's whose route first named it: it is
//! added with no owner, so a split app keeps it with its API in the root stack
//! (plan/split/place.rs).

use std::collections::BTreeMap;

use super::ctx::Ctx;
use super::tree::{Node, Props};
use super::values::{execute_api_arn, join};
use super::Resource;
use crate::model::{Attr, AuthSpec, DeployStr, Kind, Origin, ResRef, Spec, S};
use crate::naming::pascal_case;

/// (api, auth) → the Authorizer's logical ID.
pub type Authorizers = BTreeMap<(String, String), String>;

/// The authorizer `auth` names on `api`, created the first time; `None` when `auth` is not
/// a declared authorizer (already reported by the checker).
pub fn authorizer(
    cx: &mut Ctx,
    made: &mut Authorizers,
    api: &str,
    auth: &str,
) -> Option<(String, &'static str)> {
    let spec = spec(cx, auth)?;
    let kind = match spec {
        AuthSpec::Jwt { .. } => "JWT",
        AuthSpec::Function { .. } => "CUSTOM",
    };
    let key = (api.to_string(), auth.to_string());
    if let Some(id) = made.get(&key) {
        return Some((id.clone(), kind));
    }
    let api_id = cx.attr(
        &ResRef {
            kind: Kind::Api,
            name: api.to_string(),
        },
        Attr::Id,
    );
    let id = cx.ids.alloc(&[api, auth, "Authorizer"]);
    // Not the current function's: the API's (see the module comment).
    let current = cx.current.take();
    let props = match spec {
        AuthSpec::Jwt { issuer, audience } => jwt(cx, api_id, auth, issuer, audience),
        AuthSpec::Function {
            function,
            cache,
            identity,
            ..
        } => {
            let function = function.value.name.as_str();
            let cache = cache.as_ref().map(|c| c.value);
            lambda_permission(cx, function, api, auth, api_id.clone(), &id);
            lambda(cx, api_id, auth, function, cache, identity)
        }
    };
    cx.add(&id, Resource::new("AWS::ApiGatewayV2::Authorizer", props));
    cx.current = current;
    made.insert(key, id.clone());
    Some((id, kind))
}

fn spec<'m>(cx: &Ctx<'m>, auth: &str) -> Option<&'m AuthSpec> {
    let declared = cx.resource(&ResRef {
        kind: Kind::Auth,
        name: auth.to_string(),
    })?;
    match &declared.origin {
        Origin::Created(Spec::Auth(spec)) => Some(spec),
        _ => None,
    }
}

/// HAPI-03: a JWT authorizer reads the token from the `Authorization` header.
fn jwt(
    cx: &Ctx,
    api_id: Node,
    auth: &str,
    issuer: &S<DeployStr>,
    audience: &[S<DeployStr>],
) -> Props {
    let config = Props::new().set("Issuer", cx.text(&issuer.value)).opt(
        "Audience",
        (!audience.is_empty()).then(|| cx.text_list(audience.iter().map(|a| &a.value))),
    );
    Props::new()
        .set("ApiId", api_id)
        .set("AuthorizerType", Node::str("JWT"))
        .set("Name", Node::str(pascal_case(auth)))
        .set(
            "IdentitySource",
            Node::list_of_str(["$request.header.Authorization"]),
        )
        .set("JwtConfiguration", config.node())
}

/// HAPI-01/HAPI-04: a REQUEST authorizer with the 2.0 payload and simple responses
/// (`{"isAuthorized": true}`); caching off unless `cache` says how long.
fn lambda(
    cx: &Ctx,
    api_id: Node,
    auth: &str,
    function: &str,
    cache: Option<u64>,
    identity: &[S<DeployStr>],
) -> Props {
    let uri = join(vec![
        Node::sub(
            "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/",
        ),
        cx.invoke_target(function),
        Node::str("/invocations"),
    ]);
    Props::new()
        .set("ApiId", api_id)
        .set("AuthorizerType", Node::str("REQUEST"))
        .set("Name", Node::str(pascal_case(auth)))
        .set("AuthorizerUri", uri)
        .set("AuthorizerPayloadFormatVersion", Node::str("2.0"))
        .set("EnableSimpleResponses", Node::Bool(true))
        .set(
            "AuthorizerResultTtlInSeconds",
            Node::int(cache.unwrap_or(0)),
        )
        .opt(
            "IdentitySource",
            (!identity.is_empty()).then(|| cx.text_list(identity.iter().map(|i| &i.value))),
        )
}

/// PM-08: API Gateway may invoke the authorizer function for this authorizer only. The
/// permission is the function's own: its stack then waits for the authorizer, which keeps
/// the function with the API's resources in the root of a split app (plan/split/place.rs
/// moves a unit that a root resource waits for there) instead of every guarded route's.
fn lambda_permission<'m>(
    cx: &mut Ctx<'m>,
    function: &'m str,
    api: &str,
    auth: &str,
    api_id: Node,
    authorizer: &str,
) {
    let source = join(vec![
        execute_api_arn(api_id, "/authorizers/"),
        Node::ref_(authorizer),
    ]);
    let props = super::triggers::permission(cx, function, "apigateway.amazonaws.com")
        .set("SourceArn", source);
    let id = cx.ids.alloc(&[api, auth, "AuthorizerPermission"]);
    cx.current = Some(function);
    cx.add(&id, Resource::new("AWS::Lambda::Permission", props));
    cx.current = None;
}
