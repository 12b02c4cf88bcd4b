//! `on http "METHOD /path"` → a route on an HTTP API, the function's Lambda-proxy
//! integration (one per API and function), and a permission scoped to that route.

use super::super::ctx::Ctx;
use super::super::tree::{Node, Props};
use super::super::values::{execute_api_arn, join};
use super::super::Resource;
use super::{permission, Shared};
use crate::model::{
    route_key, ApiSpec, Attr, DeployStr, Function, Kind, Origin, Payload, ResRef, RouteAuth, Spec,
    Trigger, TriggerKind, DEFAULT_ROUTE, S,
};
use crate::naming::kind_word;

pub fn lower(cx: &mut Ctx, shared: &mut Shared, f: &Function, t: &Trigger) {
    let TriggerKind::Http {
        method,
        path,
        api,
        auth,
        scopes,
        ..
    } = &t.kind
    else {
        return;
    };
    let name = f.name.value.as_str();
    let api_ref = ResRef {
        kind: Kind::Api,
        name: api.value.clone(),
    };
    let api_id = cx.attr(&api_ref, Attr::Id);

    let integration_id = integration_once(cx, shared, name, &api_ref, &api_id);
    let method = method.value.to_ascii_uppercase();
    let route_name = route_words(&method, &path.value);
    let auth = route_auth(cx, auth, &api_ref);
    let route = Props::new()
        .set("ApiId", api_id.clone())
        // AG-08
        .set("RouteKey", Node::str(route_key(&method, &path.value)));
    let route = authorization(cx, shared, route, &api.value, &auth, scopes).set(
        "Target",
        join(vec![
            Node::str("integrations/"),
            Node::ref_(&integration_id),
        ]),
    );
    let route_id = cx.ids.alloc(&[name, &route_name, "Route"]);
    cx.add(&route_id, Resource::new("AWS::ApiGatewayV2::Route", route));

    let source = execute_api_arn(api_id, &source_path(&method, &path.value));
    let perm = permission(cx, name, "apigateway.amazonaws.com").set("SourceArn", source);
    let perm_id = cx.ids.alloc(&[name, &route_name, "Permission"]);
    cx.add(&perm_id, Resource::new("AWS::Lambda::Permission", perm));
}

/// The function's Lambda-proxy integration on the API, one per (API, function) pair.
fn integration_once(
    cx: &mut Ctx,
    shared: &mut Shared,
    name: &str,
    api_ref: &ResRef,
    api_id: &Node,
) -> String {
    let key = (api_ref.name.clone(), name.to_string());
    if let Some(id) = shared.integrations.get(&key) {
        return id.clone();
    }
    let props = Props::new()
        .set("ApiId", api_id.clone())
        .set("IntegrationType", Node::str("AWS_PROXY"))
        .set("IntegrationUri", cx.invoke_target(name))
        // AG-10: `payload = v1 | v2`, 2.0 unless the API says otherwise.
        .set("PayloadFormatVersion", Node::str(payload(cx, api_ref)));
    let id = cx
        .ids
        .alloc(&[name, &api_ref.name, kind_word(Kind::Api), "Integration"]);
    cx.add(&id, Resource::new("AWS::ApiGatewayV2::Integration", props));
    shared.integrations.insert(key, id.clone());
    id
}

/// AG-09: the trigger's auth, else the API's, else none.
fn route_auth(cx: &Ctx, auth: &Option<S<RouteAuth>>, api_ref: &ResRef) -> RouteAuth {
    auth.as_ref()
        .map(|a| a.value.clone())
        .or_else(|| api_spec(cx, api_ref).and_then(|s| s.auth.as_ref().map(|a| a.value.clone())))
        .unwrap_or(RouteAuth::None)
}

fn api_spec<'m>(cx: &Ctx<'m>, api: &ResRef) -> Option<&'m ApiSpec> {
    match &cx.resource(api)?.origin {
        Origin::Created(Spec::Api(spec)) => Some(spec),
        _ => None,
    }
}

/// PM-08: any stage, this method and path; path parameters match one segment (`*`). The
/// catch-all route takes any method and path: `/*/*`, as SAM writes it (AGR-01).
fn source_path(method: &str, path: &str) -> String {
    if path == DEFAULT_ROUTE {
        return "/*/*".to_string();
    }
    let method = if method == "ANY" { "*" } else { method };
    format!("/*/{method}{}", arn_path(path))
}

/// AG-10: the integration's payload format version.
fn payload(cx: &Ctx, api: &ResRef) -> &'static str {
    match api_spec(cx, api)
        .and_then(|s| s.payload.as_ref())
        .map(|p| p.value)
    {
        Some(Payload::V1) => "1.0",
        Some(Payload::V2) | None => "2.0",
    }
}

/// AG-09: who may call the route: `AuthorizationType`, and with an authorizer its ID and
/// (JWT only, E0109) the scopes a token must grant.
fn authorization(
    cx: &mut Ctx,
    shared: &mut Shared,
    route: Props,
    api: &str,
    auth: &RouteAuth,
    scopes: &[S<DeployStr>],
) -> Props {
    let name = match auth {
        RouteAuth::Iam => return route.set("AuthorizationType", Node::str("AWS_IAM")),
        RouteAuth::None => return route.set("AuthorizationType", Node::str("NONE")),
        RouteAuth::Authorizer(name) => name,
    };
    let Some((id, kind)) = super::super::auth::authorizer(cx, &mut shared.authorizers, api, name)
    else {
        return route.set("AuthorizationType", Node::str("NONE"));
    };
    let scopes = (kind == "JWT" && !scopes.is_empty())
        .then(|| cx.text_list(scopes.iter().map(|s| &s.value)));
    route
        .set("AuthorizationType", Node::str(kind))
        .set("AuthorizerId", Node::ref_(&id))
        .opt("AuthorizationScopes", scopes)
}

/// `GET /users/{id}` → `GetUsersId`; `/` → `GetRoot`; `$default` → `Default`.
fn route_words(method: &str, path: &str) -> String {
    if path == DEFAULT_ROUTE {
        return "Default".to_string();
    }
    let mut out = crate::naming::pascal_case(&method.to_ascii_lowercase());
    let words: Vec<String> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(crate::naming::pascal_case)
        .collect();
    if words.is_empty() {
        out.push_str("Root");
    }
    for w in words {
        out.push_str(&w);
    }
    out
}

/// The path as it appears in an execute-api ARN: `{param}` and `{proxy+}` become `*`.
fn arn_path(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.starts_with('{') && seg.ends_with('}') {
                "*"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_get_readable_names_and_arn_paths() {
        assert_eq!(route_words("GET", "/users/{id}"), "GetUsersId");
        assert_eq!(route_words("ANY", "/{proxy+}"), "AnyProxy");
        assert_eq!(route_words("POST", "/"), "PostRoot");
        assert_eq!(arn_path("/users/{id}"), "/users/*");
        assert_eq!(arn_path("/{proxy+}"), "/*");
        assert_eq!(arn_path("/"), "/");
    }

    #[test]
    fn the_catch_all_route_has_its_own_name_and_any_method_and_path() {
        assert_eq!(route_words("ANY", DEFAULT_ROUTE), "Default");
        assert_eq!(source_path("ANY", DEFAULT_ROUTE), "/*/*");
        assert_eq!(source_path("GET", "/users/{id}"), "/*/GET/users/*");
        assert_eq!(source_path("ANY", "/"), "/*/*/");
    }
}
