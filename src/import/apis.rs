//! SAM's API settings: the authorizers of `Auth.Authorizers` as `auth NAME { … }`, an
//! API's `DefaultAuthorizer`, `Domain`, `DefaultRouteSettings` throttling and
//! `AccessLogSettings` as its `auth`, `domain`, `throttle` and `access_log`, the event format
//! its routes receive (`payload`), and what a route's `Auth` becomes. `Globals.Api` and
//! `Globals.HttpApi` lie under every API of their kind, the implicit ones included, as SAM
//! merges them. A REST API's authorizers (a Cognito user pool, a Lambda authorizer that
//! answers with an IAM policy) have no counterpart lamc can write without a value the
//! template does not hold (the user pool client as the JWT audience): they stay comments.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::convert::quoted;
use super::intrinsics::{literal, number, Scope, Target};
use super::resources::{is_true, shown, Writer};
use super::write::{self, snake, Member};
use crate::model::Kind;
use crate::schema::limits::fmt_seconds;

/// Logical IDs of the APIs SAM creates for events that name none.
pub const IMPLICIT_REST: &str = "ServerlessRestApi";
pub const IMPLICIT_HTTP: &str = "ServerlessHttpApi";

/// The identity source lamc's JWT authorizer reads the token from.
const JWT_SOURCE: &str = "$request.header.Authorization";

/// An API of the template, declared or implicit.
pub struct Api {
    pub rest: bool,
    /// Its properties over its kind's globals.
    pub props: Map<String, Value>,
    /// The authorizers lamc declares, by their SAM name.
    pub auths: BTreeMap<String, Target>,
    /// The scopes a JWT authorizer asks of the routes that give none, by its SAM name.
    scopes: BTreeMap<String, Vec<String>>,
    /// Every route receives payload format 1.0: a REST API's proxy integration sends it,
    /// an HTTP API's routes may all say `PayloadFormatVersion: "1.0"`.
    pub payload_v1: bool,
}

/// The template's APIs by logical ID.
#[derive(Default)]
pub struct Apis {
    by_id: BTreeMap<String, Api>,
}

impl Apis {
    /// Every API of `resources` and the implicit ones `scope` declares, with the
    /// authorizers lamc can declare declared in `scope`.
    pub fn find(
        resources: &Map<String, Value>,
        globals: Option<&Map<String, Value>>,
        scope: &mut Scope,
    ) -> Apis {
        let section = |rest: bool| {
            let key = if rest { "Api" } else { "HttpApi" };
            globals
                .and_then(|g| g.get(key))
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let versions = payload_versions(resources);
        let mut by_id = BTreeMap::new();
        let mut add = |id: &str, rest: bool, own: Option<&Map<String, Value>>| {
            let mut props = section(rest);
            props.extend(
                own.into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
            let routes = versions.get(id).map(Vec::as_slice).unwrap_or_default();
            let payload_v1 = rest || (!routes.is_empty() && routes.iter().all(|v| v == "1.0"));
            let api = Api::new(rest, props, payload_v1);
            by_id.insert(id.to_string(), api);
        };
        for (id, res) in resources {
            let rest = match res.get("Type").and_then(Value::as_str) {
                Some("AWS::Serverless::Api") => true,
                Some("AWS::Serverless::HttpApi") => false,
                _ => continue,
            };
            add(id, rest, res.get("Properties").and_then(Value::as_object));
        }
        for (id, rest) in [(IMPLICIT_HTTP, false), (IMPLICIT_REST, true)] {
            if scope.decls.contains_key(id) {
                add(id, rest, None);
            }
        }
        for (id, api) in &mut by_id {
            api.declare_authorizers(id, scope);
        }
        Apis { by_id }
    }

    pub fn get(&self, id: &str) -> Option<&Api> {
        self.by_id.get(id)
    }

    /// Whether `Globals.Api` (`rest`) or `Globals.HttpApi` applies to some API.
    pub fn any(&self, rest: bool) -> bool {
        self.by_id.values().any(|a| a.rest == rest)
    }
}

/// The `PayloadFormatVersion` of every `HttpApi` event, by the API it routes through.
fn payload_versions(resources: &Map<String, Value>) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for res in resources.values() {
        let events = res
            .get("Properties")
            .and_then(|p| p.get("Events"))
            .and_then(Value::as_object);
        for ev in events.into_iter().flat_map(|e| e.values()) {
            if ev.get("Type").and_then(Value::as_str) != Some("HttpApi") {
                continue;
            }
            let p = ev.get("Properties");
            let api = p
                .and_then(|p| p.get("ApiId"))
                .and_then(|v| v.get("Ref"))
                .and_then(Value::as_str)
                .unwrap_or(IMPLICIT_HTTP);
            let version = p
                .and_then(|p| p.get("PayloadFormatVersion"))
                .and_then(literal)
                .unwrap_or_else(|| "2.0".into());
            out.entry(api.to_string()).or_default().push(version);
        }
    }
    out
}

/// The `Auth` of an API's properties.
fn auth(props: &Map<String, Value>) -> Option<&Map<String, Value>> {
    props.get("Auth").and_then(Value::as_object)
}

fn authorizers(props: &Map<String, Value>) -> Vec<(&String, &Value)> {
    auth(props)
        .and_then(|a| a.get("Authorizers"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .collect()
}

impl Api {
    /// An API with these properties; its authorizers are declared by
    /// [`Api::declare_authorizers`].
    pub(super) fn new(rest: bool, props: Map<String, Value>, payload_v1: bool) -> Api {
        Api {
            rest,
            props,
            auths: BTreeMap::new(),
            scopes: BTreeMap::new(),
            payload_v1,
        }
    }

    pub(super) fn declare_authorizers(&mut self, id: &str, scope: &mut Scope) {
        for (name, spec) in authorizers(&self.props) {
            if authorizer(spec, scope, self.rest).is_err() {
                continue;
            }
            let t = scope.declare(&format!("#auth:{id}:{name}"), Kind::Auth, &snake(name));
            self.auths.insert(name.clone(), t);
            let scopes = super::policies::strings(spec.get("AuthorizationScopes"));
            if !scopes.is_empty() {
                self.scopes.insert(name.clone(), scopes);
            }
        }
    }

    /// The `DefaultAuthorizer`, if any.
    fn default(&self) -> Option<String> {
        auth(&self.props)
            .and_then(|a| a.get("DefaultAuthorizer"))
            .map(shown)
            .filter(|d| d != "NONE")
    }

    /// The `auth NAME { … }` declarations of the API's authorizers, placed before it.
    pub fn declarations(&self, w: &mut Writer) -> Vec<Member> {
        let mut out = Vec::new();
        for (name, spec) in authorizers(&self.props) {
            let Some(t) = self.auths.get(name) else {
                continue;
            };
            let Ok(body) = authorizer(spec, w.scope, self.rest) else {
                continue;
            };
            let mut block = Vec::new();
            for c in body.comments {
                block.push(Member::Comment(format!("Auth.Authorizers.{name}.{c}")));
            }
            for s in body.skipped {
                w.notes
                    .skip(&mut block, format!("Auth.Authorizers.{name}.{s}"));
            }
            block.extend(body.lines.into_iter().map(Member::Line));
            out.push(Member::Block(format!("auth {}", t.name), block));
        }
        out
    }

    /// The API block's settings besides `cors`: `auth`, `payload`, `domain`, `throttle`,
    /// `access_log`, `tags`, with comments for the authorizers lamc cannot declare.
    pub fn settings(&self, w: &mut Writer) {
        w.took("Auth");
        self.auth_settings(w);
        if self.payload_v1 {
            if self.rest {
                w.body.push(Member::Comment(
                    "payload = v1: a REST API's Lambda proxy integration sends that event format"
                        .into(),
                ));
            }
            w.line("payload = v1".into());
        }
        w.took("Domain");
        if let Some(d) = self.props.get("Domain") {
            domain(w, d);
        }
        w.took("DefaultRouteSettings");
        if let Some(s) = self.props.get("DefaultRouteSettings") {
            throttle(w, s);
        }
        w.took("AccessLogSettings");
        if self.props.contains_key("AccessLogSettings") {
            w.body.push(Member::Comment(
                "AccessLogSettings: lamc logs the stage's requests to a log group of its own, in API Gateway's JSON format".into(),
            ));
            w.line("access_log = true".into());
        }
        w.took("Tags");
        if let Some(t) = self.props.get("Tags") {
            let entries: Vec<(String, &Value)> = t
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v))
                .collect();
            super::convert::tags(w, entries.into_iter(), "Tags");
        }
    }

    fn auth_settings(&self, w: &mut Writer) {
        let Some(a) = auth(&self.props) else { return };
        match self.default().as_deref() {
            Some("AWS_IAM") => w.line("auth = iam".into()),
            Some(name) => {
                if let Some(t) = self.auths.get(name) {
                    w.line(format!("auth = {}", t.path()));
                }
            }
            None => {}
        }
        for (name, spec) in authorizers(&self.props) {
            if let Err(why) = authorizer(spec, w.scope, self.rest) {
                w.skip(format!("Auth.Authorizers.{name} ({why})"));
            }
        }
        // `EnableIamAuthorizer` is what lets an HTTP API's routes say `AWS_IAM`: lamc needs
        // no switch for `auth = iam`.
        let read = [
            "Authorizers",
            "DefaultAuthorizer",
            "EnableIamAuthorizer",
            "AddDefaultAuthorizerToCorsPreflight",
        ];
        for k in a.keys().filter(|k| !read.contains(&k.as_str())) {
            w.skip(format!("Auth.{k}"));
        }
    }

    /// The options a route takes from its event's `Auth` and `PayloadFormatVersion`.
    pub fn route(&self, w: &mut Writer, at: &str, p: &Map<String, Value>) -> Vec<String> {
        let mut opts = Vec::new();
        let named = p.get("Auth").and_then(|a| a.get("Authorizer")).map(shown);
        let default = self.default();
        // The API says `auth` (see `auth_settings`): a route it does not guard says so.
        let guarded = default
            .as_deref()
            .is_some_and(|d| d == "AWS_IAM" || self.auths.contains_key(d));
        let effective = match named.as_deref() {
            Some("NONE") if guarded => {
                opts.push("auth = none".into());
                None
            }
            Some("NONE") => {
                opts.push("public = true".into());
                None
            }
            Some("AWS_IAM") => {
                opts.push("auth = iam".into());
                None
            }
            Some(name) => match self.auths.get(name) {
                Some(t) => {
                    opts.push(format!("auth = {}", t.path()));
                    Some(name.to_string())
                }
                None => {
                    self.open(w, at, name);
                    None
                }
            },
            None => match default.as_deref() {
                None => {
                    opts.push("public = true".into());
                    None
                }
                Some("AWS_IAM") => None,
                Some(name) if self.auths.contains_key(name) => Some(name.to_string()),
                Some(name) => {
                    self.open(w, at, name);
                    None
                }
            },
        };
        self.scopes_of(w, at, p, effective.as_deref(), &mut opts);
        self.payload(w, at, p);
        opts
    }

    /// A route whose authorizer lamc cannot declare: a comment, and not marked public.
    fn open(&self, w: &mut Writer, at: &str, name: &str) {
        w.skip(format!(
            "{at}: Auth (authorizer {name}, kept as a comment on its API; the route is not marked public)"
        ));
    }

    /// `scopes = […]`: the event's `AuthorizationScopes`, else its JWT authorizer's.
    fn scopes_of(
        &self,
        w: &mut Writer,
        at: &str,
        p: &Map<String, Value>,
        auth: Option<&str>,
        opts: &mut Vec<String>,
    ) {
        let own = p.get("Auth").and_then(|a| a.get("AuthorizationScopes"));
        let jwt = auth.filter(|name| {
            authorizers(&self.props)
                .iter()
                .any(|(n, s)| n.as_str() == *name && s.get("JwtConfiguration").is_some())
        });
        let scopes = match (own, jwt) {
            (Some(s), Some(_)) => super::policies::strings(Some(s)),
            (Some(s), None) => {
                w.skip(format!(
                    "{at}: AuthorizationScopes {} (scopes need a JWT authorizer)",
                    shown(s)
                ));
                return;
            }
            (None, Some(name)) => self.scopes.get(name).cloned().unwrap_or_default(),
            (None, None) => return,
        };
        if !scopes.is_empty() {
            let list: Vec<String> = scopes.iter().map(|s| write::string(s)).collect();
            opts.push(format!("scopes = [{}]", list.join(", ")));
        }
    }

    /// A route's `PayloadFormatVersion`: lamc sets the format on the API, so a route that
    /// differs from its API's stays a comment.
    fn payload(&self, w: &mut Writer, at: &str, p: &Map<String, Value>) {
        let Some(v) = p.get("PayloadFormatVersion") else {
            return;
        };
        let version = literal(v).unwrap_or_else(|| shown(v));
        let api = if self.payload_v1 { "1.0" } else { "2.0" };
        if version != api {
            w.skip(format!(
                "{at}: PayloadFormatVersion {version} (lamc sets the format on the API, {api} here)"
            ));
        }
    }
}

/// An authorizer lamc can declare: its lines and comments.
struct Authorizer {
    lines: Vec<String>,
    /// What does not come across (counted).
    skipped: Vec<String>,
    /// What changes (not counted).
    comments: Vec<String>,
}

/// The `auth` block of a SAM authorizer, or why lamc cannot declare it.
fn authorizer(spec: &Value, scope: &Scope, rest: bool) -> Result<Authorizer, String> {
    if rest {
        return Err(if spec.get("UserPoolArn").is_some() {
            "a REST API's Cognito user pool authorizer: an HTTP API checks the pool's tokens with `auth NAME { jwt { issuer, audience } }`, whose audience is the user pool client the template does not name".into()
        } else {
            "a REST API's Lambda authorizer answers with an IAM policy; lamc's function authorizer answers `{\"isAuthorized\": …}`".into()
        });
    }
    let mut a = Authorizer {
        lines: Vec::new(),
        skipped: Vec::new(),
        comments: Vec::new(),
    };
    if let Some(jwt) = spec.get("JwtConfiguration") {
        jwt_authorizer(jwt, spec, scope, &mut a)?;
    } else if let Some(f) = spec.get("FunctionArn") {
        function_authorizer(f, spec, scope, &mut a)?;
    } else {
        return Err(format!("an authorizer lamc cannot read: {}", shown(spec)));
    }
    Ok(a)
}

fn either<'v>(m: &'v Value, lower: &str, upper: &str) -> Option<&'v Value> {
    m.get(lower).or_else(|| m.get(upper))
}

fn jwt_authorizer(
    jwt: &Value,
    spec: &Value,
    scope: &Scope,
    a: &mut Authorizer,
) -> Result<(), String> {
    let issuer = either(jwt, "issuer", "Issuer").ok_or("a JWT authorizer without an issuer")?;
    let issuer = scope.expr(issuer).map_err(|why| format!("issuer {why}"))?;
    if issuer.starts_with('"') && !issuer.starts_with("\"https://") {
        return Err(format!("issuer {issuer}: lamc's issuer is an https:// URL"));
    }
    let audience: Vec<String> = match either(jwt, "audience", "Audience") {
        Some(Value::Array(items)) => items.iter().map(|i| scope.expr(i)).collect(),
        Some(one) => vec![scope.expr(one)].into_iter().collect(),
        None => Err("a JWT authorizer without an audience".into()),
    }
    .map_err(|why| format!("audience {why}"))?;
    if audience.is_empty() {
        return Err("a JWT authorizer without an audience".into());
    }
    let audience: Vec<String> = audience.iter().map(|e| quoted(e)).collect();
    a.lines.push(format!(
        "jwt {{ issuer = {}, audience = [{}] }}",
        quoted(&issuer),
        audience.join(", ")
    ));
    if let Some(s) = spec.get("IdentitySource") {
        if s.as_str() != Some(JWT_SOURCE) {
            a.skipped.push(format!(
                "IdentitySource {} (lamc's JWT authorizer reads {JWT_SOURCE})",
                shown(s)
            ));
        }
    }
    if spec.get("AuthorizationScopes").is_some() {
        a.comments
            .push("AuthorizationScopes: the `scopes` of the routes it guards".into());
    }
    Ok(())
}

fn function_authorizer(
    f: &Value,
    spec: &Value,
    scope: &Scope,
    a: &mut Authorizer,
) -> Result<(), String> {
    let target = scope
        .target(f)
        .filter(|t| t.kind == Kind::Function)
        .ok_or_else(|| format!("FunctionArn {}: not a function of the program", shown(f)))?;
    let version = spec
        .get("AuthorizerPayloadFormatVersion")
        .and_then(literal)
        .unwrap_or_default();
    if version != "2.0" && version != "2" {
        return Err(format!(
            "payload format {version}: lamc's function authorizer receives format 2.0"
        ));
    }
    if !spec.get("EnableSimpleResponses").is_some_and(is_true) {
        return Err(
            "IAM policy responses: lamc's function authorizer answers `{\"isAuthorized\": …}` (EnableSimpleResponses)".into(),
        );
    }
    a.lines.push(format!("function = {}", target.path()));
    // SAM's `Identity` (its cache in `ReauthorizeEvery`), or the sources and cache as
    // CloudFormation spells them (serverless.yml's authorizers are read in that form).
    let identity = spec.get("Identity");
    let sources = match identity {
        Some(i) => identity_sources(i),
        None => super::policies::strings(spec.get("IdentitySource")),
    };
    let ttl = identity
        .and_then(|i| i.get("ReauthorizeEvery"))
        .or_else(|| spec.get("AuthorizerResultTtlInSeconds"));
    match ttl.map(|v| (number(v), v)) {
        None | Some((Some(0), _)) => {}
        Some((Some(n), _)) if !sources.is_empty() => {
            a.lines.push(format!("cache = {}", fmt_seconds(n)))
        }
        Some((_, v)) => a.skipped.push(format!(
            "cache {}s (lamc caches an answer by its identity sources, and there are none)",
            shown(v)
        )),
    }
    if !sources.is_empty() {
        let list: Vec<String> = sources.iter().map(|s| write::string(s)).collect();
        a.lines.push(format!("identity = [{}]", list.join(", ")));
    }
    if let Some(r) = spec.get("FunctionInvokeRole") {
        a.comments.push(format!(
            "FunctionInvokeRole {}: lamc lets API Gateway invoke the function by a permission",
            shown(r)
        ));
    }
    Ok(())
}

/// SAM's `Identity` (`Headers`, `QueryStrings`, `Context`, `StageVariables`) as identity
/// sources.
fn identity_sources(identity: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (key, prefix) in [
        ("Headers", "$request.header."),
        ("QueryStrings", "$request.querystring."),
        ("Context", "$context."),
        ("StageVariables", "$stageVariables."),
    ] {
        for name in super::policies::strings(identity.get(key)) {
            out.push(format!("{prefix}{name}"));
        }
    }
    out
}

/// `Domain` → `domain = { name, certificate }`; what lamc's regional domain does not say
/// stays a comment.
fn domain(w: &mut Writer, d: &Value) {
    let name = d.get("DomainName").map(|v| w.scope.expr(v));
    let cert = d.get("CertificateArn").map(|v| w.scope.expr(v));
    match (name, cert) {
        (Some(Ok(n)), Some(Ok(c))) => w.line(format!(
            "domain = {{ name = {}, certificate = {} }}",
            quoted(&n),
            quoted(&c)
        )),
        _ => return w.skip(format!("Domain ({})", shown(d))),
    }
    let regional = |v: &Value| v.as_str() == Some("REGIONAL");
    for (k, v) in d.as_object().into_iter().flatten() {
        match k.as_str() {
            "DomainName" | "CertificateArn" => {}
            "EndpointConfiguration" if regional(v) => {}
            "SecurityPolicy" if v.as_str() == Some("TLS_1_2") => {}
            _ => w.skip(format!("Domain.{k} ({})", shown(v))),
        }
    }
}

/// A whole number, also as CloudFormation's doubles write it (`100.0`).
fn whole(v: &Value) -> Option<u64> {
    number(v).or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0)
            .map(|f| f as u64)
    })
}

/// `DefaultRouteSettings` → `throttle = { rate, burst }`.
fn throttle(w: &mut Writer, s: &Value) {
    let mut opts = Vec::new();
    for (key, ours) in [
        ("ThrottlingRateLimit", "rate"),
        ("ThrottlingBurstLimit", "burst"),
    ] {
        match s.get(key).map(|v| (whole(v), v)) {
            None => {}
            Some((Some(n), _)) => opts.push(format!("{ours} = {n}")),
            Some((None, v)) => w.skip(format!("DefaultRouteSettings.{key} ({})", shown(v))),
        }
    }
    if !opts.is_empty() {
        w.line(format!("throttle = {{ {} }}", opts.join(", ")));
    }
    for (k, v) in s.as_object().into_iter().flatten() {
        if !k.starts_with("Throttling") {
            w.skip(format!("DefaultRouteSettings.{k} ({})", shown(v)));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::import::testkit::{holds, program as import};

    #[test]
    fn sam_authorizers_default_auth_scopes_and_stage_settings() {
        let (text, skipped) = import(
            r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        EnableIamAuthorizer: true
        DefaultAuthorizer: Users
        Authorizers:
          Users:
            IdentitySource: $request.header.Authorization
            JwtConfiguration: {issuer: https://example.auth0.com/, audience: [orders-api]}
            AuthorizationScopes: [orders/read]
          Partners:
            FunctionArn: !GetAtt AuthzFunction.Arn
            AuthorizerPayloadFormatVersion: "2.0"
            EnableSimpleResponses: true
            Identity: {Headers: [x-key], ReauthorizeEvery: 300}
          Policies:
            FunctionArn: !GetAtt AuthzFunction.Arn
            AuthorizerPayloadFormatVersion: "2.0"
      Domain:
        DomainName: api.example.com
        CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-0123-0123-0123-0123456789ab
        EndpointConfiguration: REGIONAL
        Route53: {HostedZoneId: Z123}
      DefaultRouteSettings: {ThrottlingBurstLimit: 50, ThrottlingRateLimit: 100.0}
      AccessLogSettings: {DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:x, Format: $context.requestId}
  AuthzFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: src/, Timeout: 5}
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events:
        List: {Type: HttpApi, Properties: {ApiId: !Ref Orders, Path: /orders, Method: get}}
        Write: {Type: HttpApi, Properties: {ApiId: !Ref Orders, Path: /orders, Method: post, Auth: {Authorizer: Users, AuthorizationScopes: [orders/write]}}}
        Partner: {Type: HttpApi, Properties: {ApiId: !Ref Orders, Path: /partner, Method: post, Auth: {Authorizer: Partners}}}
        Health: {Type: HttpApi, Properties: {ApiId: !Ref Orders, Path: /health, Method: get, Auth: {Authorizer: NONE}}}
        Signed: {Type: HttpApi, Properties: {ApiId: !Ref Orders, Path: /signed, Method: get, Auth: {Authorizer: AWS_IAM}}}
        Old: {Type: HttpApi, Properties: {ApiId: !Ref Orders, Path: /old, Method: get, Auth: {Authorizer: Policies}, PayloadFormatVersion: "1.0"}}
        Legacy: {Type: Api, Properties: {Path: /legacy, Method: get}}
"#,
        );
        holds(&text, &[
            "api default {\n  # a REST API in the original",
            "  payload = v1\n}",
            "auth users {\n  # Auth.Authorizers.Users.AuthorizationScopes: the `scopes` of the routes it guards\n  jwt { issuer = \"https://example.auth0.com/\", audience = [\"orders-api\"] }\n}",
            "auth partners { function = function.authz, cache = 5m, identity = [\"\\$request.header.x-key\"] }",
            "api orders {\n  auth = auth.users\n",
            "domain = {\n    name = \"api.example.com\"",
            "throttle   = { rate = 100, burst = 50 }",
            "access_log = true",
            "on http \"GET /orders\" via api.orders { scopes = [\"orders/read\"] }",
            "on http \"POST /orders\" via api.orders { auth = auth.users, scopes = [\"orders/write\"] }",
            "on http \"POST /partner\" via api.orders { auth = auth.partners }",
            "on http \"GET /health\" via api.orders { auth = none }",
            "on http \"GET /signed\" via api.orders { auth = iam }",
            "on http \"GET /legacy\" { public = true }",
        ]);
        assert_eq!(
            skipped,
            [
                "Auth.Authorizers.Policies (IAM policy responses: lamc's function authorizer answers `{\"isAuthorized\": …}` (EnableSimpleResponses))",
                "Domain.Route53 ({\"HostedZoneId\":\"Z123\"})",
                "Events.Old (HttpApi): Auth (authorizer Policies, kept as a comment on its API; the route is not marked public)",
                "Events.Old (HttpApi): PayloadFormatVersion 1.0 (lamc sets the format on the API, 2.0 here)",
            ]
        );
    }

    #[test]
    fn rest_authorizers_and_globals_stay_comments_where_lamc_cannot_say_them() {
        let (text, skipped) = import(
            r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Auth:
      DefaultAuthorizer: Pool
      Authorizers:
        Pool: {UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc}
  HttpApi:
    Auth: {DefaultAuthorizer: AWS_IAM, EnableIamAuthorizer: true}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events:
        Rest: {Type: Api, Properties: {Path: /r, Method: get}}
        Open: {Type: Api, Properties: {Path: /o, Method: get, Auth: {Authorizer: NONE}}}
"#,
        );
        assert!(
            text.contains("api default {\n  # a REST API in the original"),
            "{text}"
        );
        assert!(text.contains("on http \"GET /r\"\n"), "{text}");
        // The API's own authorizer is a comment, so the open route is simply public.
        assert!(
            text.contains("on http \"GET /o\" { public = true }"),
            "{text}"
        );
        assert_eq!(skipped.len(), 3, "{skipped:?}");
        assert!(skipped[0].starts_with("Globals.HttpApi (the template has no API of this kind)"));
        assert!(skipped[1]
            .starts_with("Auth.Authorizers.Pool (a REST API's Cognito user pool authorizer"));
        assert!(skipped[2].starts_with("Events.Rest (Api): Auth (authorizer Pool"));
    }

    #[test]
    fn serverless_authorizers_payload_cors_and_access_logs() {
        let (text, skipped) = import(
            r#"
service: orders
provider:
  name: aws
  runtime: nodejs22.x
  httpApi:
    payload: '1.0'
    cors: true
    metrics: true
    authorizers:
      users: {type: jwt, identitySource: $request.header.Authorization, issuerUrl: https://example.auth0.com/, audience: [orders-api]}
      partners: {type: request, functionName: authz, enableSimpleResponses: true, resultTtlInSeconds: 60, identitySource: [$request.header.x-key]}
      policies: {type: request, functionName: authz}
  logs:
    httpApi: true
    lambda: true
functions:
  authz:
    handler: authz.handler
  orders:
    handler: orders.handler
    url: {invokeMode: RESPONSE_STREAM}
    events:
      - httpApi: {method: get, path: /orders, authorizer: {name: users, scopes: [orders/read]}}
      - httpApi: {method: post, path: /partner, authorizer: partners}
      - httpApi: {method: post, path: /signed, authorizer: {type: aws_iam}}
      - httpApi: {method: get, path: /old, authorizer: policies}
      - httpApi: GET /health
"#,
        );
        holds(&text, &[
            "auth users { jwt { issuer = \"https://example.auth0.com/\", audience = [\"orders-api\"] } }",
            "auth partners { function = function.authz, cache = 1m, identity = [\"\\$request.header.x-key\"] }",
            "methods = [\"OPTIONS\", \"GET\", \"POST\"]",
            "payload    = v1",
            "access_log = true",
            "url { auth = none, public = true, stream = true }",
            "on http \"GET /orders\" { auth = auth.users, scopes = [\"orders/read\"] }",
            "on http \"POST /partner\" { auth = auth.partners }",
            "on http \"POST /signed\" { auth = iam }",
            "on http \"GET /old\"\n",
            "on http \"GET /health\" { public = true }",
        ]);
        assert_eq!(
            skipped,
            [
                "provider.logs.lambda: true",
                "Auth.Authorizers.policies (IAM policy responses: lamc's function authorizer answers `{\"isAuthorized\": …}` (EnableSimpleResponses))",
                "provider.httpApi.metrics (no such attribute in lamc yet)",
                "events[3] (httpApi): Auth (authorizer policies, kept as a comment on its API; the route is not marked public)",
            ]
        );
    }
}
