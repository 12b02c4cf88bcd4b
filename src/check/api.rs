//! The settings of an HTTP API (`auth`, `payload`, `domain`, `throttle`, `access_log`),
//! the `auth NAME { … }` authorizers its routes name, and who may call a route
//! (`iam | none | auth.NAME`).

use crate::diag::{Code, Diagnostic};
use crate::model::{ApiDomain, ApiSpec, AuthSpec, Kind, RouteAuth, Throttle, S};
use crate::schema::{self, AUTH_MODES, PAYLOADS};
use crate::syntax::ast::{Expr, ExprKind, ResourceDecl};

use super::attrs::{Field, Fields};
use super::cx::Cx;

impl<'a> Cx<'a> {
    pub fn api_spec(&mut self, f: &Fields<'a>) -> ApiSpec {
        ApiSpec {
            cors: f.get("cors").and_then(|c| self.cors(c)).map(Box::new),
            auth: self
                .get_expr(f, "auth")
                .and_then(|e| self.route_auth(e, "auth")),
            public: self
                .get_expr(f, "public")
                .and_then(|e| self.boolean(e, "public")),
            implicit: false,
            payload: self
                .get_expr(f, "payload")
                .and_then(|e| self.symbol(e, "payload", PAYLOADS)),
            domain: f.get("domain").and_then(|d| self.domain(d)).map(Box::new),
            throttle: f
                .get("throttle")
                .and_then(|t| self.throttle(t))
                .map(Box::new),
            access_log: self
                .get_expr(f, "access_log")
                .and_then(|e| self.boolean(e, "access_log")),
        }
    }

    /// `iam`, `none` or `auth.NAME`.
    pub fn route_auth(&mut self, e: &'a Expr, what: &str) -> Option<S<RouteAuth>> {
        let e = self.subst_symbol(e)?;
        if let ExprKind::Path(p) = &e.kind {
            if let Some(name) = p.segments.get(1).filter(|_| p.segments.len() > 1) {
                // A reference that does not resolve is reported (or its declaration did
                // not parse); the route is still meant to be guarded, so nothing reports
                // it as open or as lacking a JWT authorizer on top of that.
                let named = S::new(RouteAuth::Authorizer(name.name.clone()), p.span);
                return Some(match self.path_ref(p, what, &[Kind::Auth]) {
                    Some(r) => S::new(RouteAuth::Authorizer(r.value.name), r.span),
                    None => named,
                });
            }
        }
        let mode = self.symbol(e, what, AUTH_MODES)?;
        Some(S::new(mode.value.into(), mode.span))
    }

    fn domain(&mut self, field: Field<'a>) -> Option<ApiDomain> {
        let span = field.val.span();
        let f = self.nested(field, Some(schema::API_DOMAIN.attrs), "`domain`")?;
        let name = self
            .get_expr(&f, "name")
            .and_then(|e| self.deploy_str(e, "name"));
        let certificate = self
            .get_expr(&f, "certificate")
            .and_then(|e| self.deploy_str(e, "certificate"));
        if !f.written("name") || !f.written("certificate") {
            self.report(missing_in(
                span,
                "`domain`",
                &[
                    ("name", f.written("name"), "name = \"api.example.com\""),
                    (
                        "certificate",
                        f.written("certificate"),
                        "certificate = \"arn:aws:acm:…\"",
                    ),
                ],
            ));
        }
        Some(ApiDomain {
            name: name?,
            certificate: certificate?,
            span,
        })
    }

    fn throttle(&mut self, field: Field<'a>) -> Option<Throttle> {
        let span = field.val.span();
        let f = self.nested(field, Some(schema::API_THROTTLE.attrs), "`throttle`")?;
        Some(Throttle {
            rate: self
                .get_expr(&f, "rate")
                .and_then(|e| self.count(e, "rate")),
            burst: self
                .get_expr(&f, "burst")
                .and_then(|e| self.count(e, "burst")),
            span,
        })
    }

    /// `auth NAME { jwt { … } }` or `auth NAME { function = …, cache, identity }`: exactly
    /// one of the two (E0108).
    pub fn auth_spec(&mut self, r: &'a ResourceDecl, f: &Fields<'a>) -> Option<AuthSpec> {
        match (f.get("jwt"), f.get("function")) {
            (Some(jwt), None) => {
                self.function_only(f);
                self.jwt(jwt)
            }
            (None, Some(func)) => self.function_authorizer(func, f),
            (Some(jwt), Some(func)) => {
                self.report(
                    Diagnostic::new(
                        Code::E0108,
                        func.key.span,
                        format!("authorizer `{}` is both a JWT and a function authorizer", r.name.name),
                    )
                    .label("a function authorizer")
                    .secondary(jwt.key.span, "a JWT authorizer")
                    .help("keep one: `jwt { issuer = …, audience = […] }` or `function = function.NAME`"),
                );
                None
            }
            (None, None) => {
                if f.written("jwt") || f.written("function") {
                    return None;
                }
                self.report(
                    Diagnostic::new(
                        Code::E0108,
                        r.name.span,
                        format!(
                            "authorizer `{}` has neither `jwt {{ … }}` nor `function`",
                            r.name.name
                        ),
                    )
                    .label("no `jwt { … }` and no `function`")
                    .help(authorizer_forms(&r.name.name)),
                );
                None
            }
        }
    }

    /// `function = function.NAME` with its `cache` and `identity` sources.
    fn function_authorizer(&mut self, func: Field<'a>, f: &Fields<'a>) -> Option<AuthSpec> {
        let function = self
            .expr_of(func)
            .and_then(|e| self.reference(e, "function", &[Kind::Function]))?;
        let written = self.get_expr(f, "identity");
        let identity = written
            .map(|e| self.deploy_strs(e, "identity"))
            .unwrap_or_default();
        // Fewer sources than written: one could not be read (already reported, or
        // it names what an unreadable line declares).
        let identity_unread = written.is_some_and(|e| match &e.kind {
            ExprKind::List(items) => identity.len() < items.len(),
            _ => identity.is_empty(),
        });
        Some(AuthSpec::Function {
            function,
            cache: self
                .get_expr(f, "cache")
                .and_then(|e| self.seconds(e, "cache")),
            identity,
            identity_unread,
        })
    }

    /// `cache` and `identity` belong to function authorizers: on a JWT one they are
    /// unknown attributes of that kind of authorizer.
    fn function_only(&mut self, f: &Fields<'a>) {
        for key in ["cache", "identity"] {
            if let Some(field) = f.get(key) {
                self.report(
                    Diagnostic::new(
                        Code::E0103,
                        field.key.span,
                        format!("unknown attribute `{key}` for a JWT authorizer"),
                    )
                    .label("only function authorizers take it")
                    .help(format!("remove `{key}`: API Gateway checks a JWT itself, without calling a function")),
                );
            }
        }
    }

    fn jwt(&mut self, field: Field<'a>) -> Option<AuthSpec> {
        let span = field.val.span();
        let f = self.nested(field, Some(schema::AUTH_JWT.attrs), "`jwt`")?;
        let issuer = self
            .get_expr(&f, "issuer")
            .and_then(|e| self.deploy_str(e, "issuer"));
        if !f.written("issuer") || !f.written("audience") {
            self.report(missing_in(
                span,
                "`jwt`",
                &[
                    ("issuer", f.written("issuer"), "issuer = \"https://…\""),
                    ("audience", f.written("audience"), "audience = [\"…\"]"),
                ],
            ));
        }
        Some(AuthSpec::Jwt {
            issuer: issuer?,
            audience: self
                .get_expr(&f, "audience")
                .map(|e| self.deploy_strs(e, "audience"))
                .unwrap_or_default(),
        })
    }
}

/// E0105 for the keys of a nested block that are not written.
fn missing_in(span: crate::source::Span, owner: &str, keys: &[(&str, bool, &str)]) -> Diagnostic {
    let missing: Vec<&(&str, bool, &str)> = keys.iter().filter(|k| !k.1).collect();
    let names: Vec<String> = missing.iter().map(|k| format!("`{}`", k.0)).collect();
    let examples: Vec<&str> = missing.iter().map(|k| k.2).collect();
    Diagnostic::new(
        Code::E0105,
        span,
        format!("{owner} needs {}", names.join(" and ")),
    )
    .label(format!("{} missing here", names.join(" and ")))
    .help(format!("add {}", examples.join(", ")))
}

/// The help of E0108: the two ways to declare authorizer `name`.
pub(super) fn authorizer_forms(name: &str) -> String {
    format!(
        "write `auth {name} {{ jwt {{ issuer = \"https://…\", audience = [\"…\"] }} }}` or `auth {name} {{ function = function.NAME }}`"
    )
}
