//! References: `KIND.NAME` to a declaration, `KIND.NAME.ATTR` to one of its attributes,
//! `param.NAME` to a parameter. E0201 for what does not exist (with "did you mean" over
//! kinds, names and attributes), E0202 for a declaration of the wrong kind.

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::model::{Attr, Kind, Pseudo, ResRef, Value, S};
use crate::syntax::ast::{Expr, ExprKind, Ident, Path};

use super::cx::{article, or_list, Cx};
use super::scope::ALL_KINDS;
use super::unresolved::Unresolved;
use super::values::describe;

/// Attributes usable in expressions, per kind (language.md §3).
pub fn attrs_of(kind: Kind) -> &'static [(&'static str, Attr)] {
    crate::schema::exposes(kind)
}

/// What a bare `KIND.NAME` means where a value is expected: CloudFormation's `Ref` of it.
fn ref_attr(kind: Kind) -> Attr {
    match kind {
        Kind::Queue => Attr::Url,
        Kind::Topic => Attr::Arn,
        Kind::Api | Kind::Auth => Attr::Id,
        // A layer version's Ref is its ARN, what `layers` lists.
        Kind::Layer => Attr::Arn,
        // What a function's `capacity { provider }` takes.
        Kind::Capacity => Attr::Arn,
        Kind::Bucket | Kind::Table | Kind::Stream | Kind::Bus | Kind::Function => Attr::Name,
        // Existing resources of other services: their ARN.
        Kind::Secret | Kind::Parameter | Kind::Key | Kind::Resource | Kind::Cluster => Attr::Arn,
    }
}

fn kind_names() -> Vec<&'static str> {
    let mut v: Vec<&str> = ALL_KINDS.iter().map(|k| k.as_str()).collect();
    v.push("param");
    v
}

impl<'a> Cx<'a> {
    /// `KIND.NAME` of a declaration that exists; reports E0201 otherwise. Marks it used.
    fn lookup(&mut self, path: &'a Path) -> Option<(Kind, &'a Ident)> {
        let first = path.segments.first()?;
        let Some(kind) = Kind::parse(&first.name) else {
            self.report(unknown_kind(path, first));
            return None;
        };
        let Some(name) = path.segments.get(1) else {
            self.report(
                Diagnostic::new(
                    Code::E0201,
                    path.span,
                    format!("`{}` needs a name", first.name),
                )
                .label("a kind alone names nothing")
                .help(format!("write `{}.NAME`", first.name)),
            );
            return None;
        };
        if !self.scope.exists(kind, &name.name) {
            if !self.scope.unreadable.may_declare(kind.as_str(), &name.name) {
                let d = self.undeclared(kind, name);
                self.unresolved(Unresolved::Decl(kind, name.name.clone()), d);
            }
            return None;
        }
        self.used.insert(ResRef {
            kind,
            name: name.name.clone(),
        });
        Some((kind, name))
    }

    /// E0201 for `KIND.NAME` naming no declaration: the nearest name of that kind, or the
    /// kind a declaration of that name has, or how to declare it.
    fn undeclared(&self, kind: Kind, name: &Ident) -> Diagnostic {
        let d = Diagnostic::new(
            Code::E0201,
            name.span,
            format!("unresolved reference `{}.{}`", kind.as_str(), name.name),
        )
        .label(format!("no {} named `{}`", kind.as_str(), name.name));
        let names = self.scope.names_of(kind);
        let others = self.scope.kinds_named(&name.name);
        if let Some(near) = did_you_mean(&name.name, names.iter().copied()) {
            d.help(format!("did you mean `{}.{near}`?", kind.as_str()))
                .fix(format!("replace with `{near}`"), name.span, near)
        } else if let Some(other) = others.first() {
            d.help(format!(
                "`{}` is {}: write `{}.{}`",
                name.name,
                article(other.as_str()),
                other.as_str(),
                name.name
            ))
        } else {
            d.help(format!(
                "declare it, e.g. `{} {} {{}}`",
                kind.as_str(),
                name.name
            ))
        }
    }

    /// A reference to a declaration of one of `kinds` (`on sqs queue.orders`).
    pub fn reference(&mut self, e: &'a Expr, what: &str, kinds: &[Kind]) -> Option<S<ResRef>> {
        let e = self.subst_symbol(e)?;
        match &e.kind {
            ExprKind::Path(p) => self.path_ref(p, what, kinds),
            _ => {
                let wanted: Vec<String> = kinds.iter().map(|k| article(k.as_str())).collect();
                self.report(
                    Diagnostic::new(
                        Code::E0301,
                        e.span,
                        format!("`{what}` must be a reference to {}", or_list(&wanted)),
                    )
                    .label(format!("this is {}", describe(e)))
                    .help(format!(
                        "write e.g. `{}.NAME`",
                        kinds.first().map_or("queue", |k| k.as_str())
                    )),
                );
                None
            }
        }
    }

    /// `KIND.NAME` where a declaration of one of `kinds` is wanted: E0202 for a parameter
    /// or another kind, E0301 for an attribute of one.
    pub fn path_ref(&mut self, path: &'a Path, what: &str, kinds: &[Kind]) -> Option<S<ResRef>> {
        let wanted: Vec<String> = kinds.iter().map(|k| article(k.as_str())).collect();
        if path.segments.first().is_some_and(|f| f.name == "param") {
            let d = self.param_not_declaration(path, what, &wanted);
            self.report(d);
            return None;
        }
        let (kind, name) = self.lookup(path)?;
        if !kinds.contains(&kind) {
            let d = self.wrong_kind(path, what, &wanted, kind, name);
            self.report(d);
            return None;
        }
        if path.segments.len() > 2 {
            let whole = format!("{}.{}", kind.as_str(), name.name);
            self.report(
                Diagnostic::new(
                    Code::E0301,
                    path.span,
                    format!(
                        "`{what}` takes the {} itself, not an attribute",
                        kind.as_str()
                    ),
                )
                .label("this is an attribute")
                .help(format!("write `{whole}`"))
                .fix(format!("write `{whole}`"), path.span, whole.clone()),
            );
            return None;
        }
        Some(S::new(
            ResRef {
                kind,
                name: name.name.clone(),
            },
            path.span,
        ))
    }

    /// E0202: `param.NAME` where a declaration is wanted.
    fn param_not_declaration(&self, path: &Path, what: &str, wanted: &[String]) -> Diagnostic {
        let mut d = Diagnostic::new(
            Code::E0202,
            path.span,
            format!(
                "`{what}` must refer to {}, not a parameter",
                or_list(wanted)
            ),
        )
        .label("this is a parameter");
        if let Some(p) = path.segments.get(1).and_then(|n| self.scope.param(&n.name)) {
            d = d.secondary(p.name.span, "declared here");
        }
        d.help(format!(
            "refer to {} declared in this program",
            or_list(wanted)
        ))
    }

    /// E0202: a declaration of `kind` where one of the `wanted` kinds is.
    fn wrong_kind(
        &self,
        path: &Path,
        what: &str,
        wanted: &[String],
        kind: Kind,
        name: &Ident,
    ) -> Diagnostic {
        let mut d = Diagnostic::new(
            Code::E0202,
            path.span,
            format!(
                "`{what}` must refer to {}, not {}",
                or_list(wanted),
                article(kind.as_str())
            ),
        )
        .label(format!("this is {}", article(kind.as_str())));
        if let Some(decl) = self.scope.decl_span(kind, &name.name) {
            d = d.secondary(
                decl,
                format!(
                    "`{}` declared as {} here",
                    name.name,
                    article(kind.as_str())
                ),
            );
        }
        d.help(format!("use {} here", or_list(wanted)))
    }

    /// `aws.NAME`: a pseudo-parameter, E0201 for a name CloudFormation has none of.
    fn pseudo(&mut self, path: &'a Path) -> Option<Value> {
        let name = path.segments.get(1)?;
        if let (Some(p), 2) = (Pseudo::parse(&name.name), path.segments.len()) {
            return Some(Value::Pseudo(p));
        }
        let names: Vec<String> = Pseudo::ALL
            .iter()
            .map(|(n, _)| format!("`aws.{n}`"))
            .collect();
        let mut d = Diagnostic::new(
            Code::E0201,
            path.span,
            format!("unknown pseudo-parameter `{}`", path.text()),
        )
        .label("not a value CloudFormation knows at deploy time");
        match did_you_mean(&name.name, Pseudo::ALL.iter().map(|(n, _)| *n)) {
            Some(near) if path.segments.len() == 2 => {
                d = d.help(format!("did you mean `aws.{near}`?")).fix(
                    format!("replace with `{near}`"),
                    name.span,
                    near,
                )
            }
            _ => d = d.help(format!("the pseudo-parameters are {}", or_list(&names))),
        }
        self.report(d);
        None
    }

    /// A path where a value is expected: `param.X`, `aws.X`, `KIND.NAME[.ATTR]`, or a symbol.
    pub fn path_value(&mut self, path: &'a Path) -> Option<Value> {
        let segs = &path.segments;
        let first = segs.first()?;
        if segs.len() == 1 {
            // Where a value is expected, a bare name is a `let` (substituted before this).
            self.unknown_name(first.span, &first.name);
            return None;
        }
        match first.name.as_str() {
            "param" => self.param_ref(path),
            "aws" => self.pseudo(path),
            _ => self.resource_value(path),
        }
    }

    /// `param.X`: a declared parameter, without attributes.
    fn param_ref(&mut self, path: &'a Path) -> Option<Value> {
        let name = path.segments.get(1)?;
        if self.scope.param(&name.name).is_none() {
            if !self.scope.unreadable.may_declare("param", &name.name) {
                self.unknown_param(name);
            }
            return None;
        }
        if path.segments.len() > 2 {
            self.report(
                Diagnostic::new(Code::E0201, path.span, "parameters have no attributes")
                    .label("unexpected attribute")
                    .help(format!("write `param.{}`", name.name)),
            );
            return None;
        }
        self.used_params.insert(name.name.clone());
        Some(Value::Param(name.name.clone()))
    }

    fn unknown_param(&mut self, name: &Ident) {
        let params: Vec<&str> = self
            .scope
            .params
            .iter()
            .map(|p| p.name.name.as_str())
            .collect();
        let mut d = Diagnostic::new(
            Code::E0201,
            name.span,
            format!("unresolved reference `param.{}`", name.name),
        )
        .label(format!("no parameter named `{}`", name.name));
        match did_you_mean(&name.name, params.iter().copied()) {
            Some(near) => {
                d = d.help(format!("did you mean `param.{near}`?")).fix(
                    format!("replace with `{near}`"),
                    name.span,
                    near,
                )
            }
            None => d = d.help(format!("declare it: `param {}: string`", name.name)),
        }
        self.unresolved(Unresolved::Param(name.name.clone()), d);
    }

    /// `KIND.NAME` (its `Ref`) or `KIND.NAME.ATTR`; anything else with a dot is text
    /// written without its quotes (`python3.12`).
    fn resource_value(&mut self, path: &'a Path) -> Option<Value> {
        let segs = &path.segments;
        let first = segs.first()?;
        let looks_like_ref =
            Kind::parse(&first.name).is_some() || did_you_mean(&first.name, kind_names()).is_some();
        if !looks_like_ref {
            self.unknown_name(path.span, &path.text());
            return None;
        }
        let (kind, name) = self.lookup(path)?;
        if kind == Kind::Auth {
            self.report(
                Diagnostic::new(
                    Code::E0202,
                    path.span,
                    format!("authorizer `{}` is not a value", name.name),
                )
                .label("an authorizer guards routes; it has no name, ARN or id to use here")
                .help("name it where a route's or an API's `auth` is set: auth = auth.NAME"),
            );
            return None;
        }
        let target = ResRef {
            kind,
            name: name.name.clone(),
        };
        let Some(attr_id) = segs.get(2) else {
            return Some(Value::Attr {
                target,
                attr: ref_attr(kind),
            });
        };
        let found = attrs_of(kind)
            .iter()
            .find(|(n, _)| *n == attr_id.name)
            .filter(|_| segs.len() == 3);
        let Some(&(_, attr)) = found else {
            self.unknown_attribute(kind, name, attr_id);
            return None;
        };
        if kind == Kind::Function
            && attr == Attr::Url
            && !self.scope.fn_has_url.contains(&name.name)
        {
            self.no_url(name, attr_id);
            return None;
        }
        Some(Value::Attr { target, attr })
    }

    fn unknown_attribute(&mut self, kind: Kind, name: &Ident, attr_id: &Ident) {
        let attrs = attrs_of(kind);
        let names: Vec<String> = attrs.iter().map(|(n, _)| format!("`.{n}`")).collect();
        let mut d = Diagnostic::new(
            Code::E0201,
            attr_id.span,
            format!(
                "{} `{}` has no attribute `{}`",
                kind.as_str(),
                name.name,
                attr_id.name
            ),
        )
        .label(format!("not an attribute of {}", article(kind.as_str())));
        match did_you_mean(&attr_id.name, attrs.iter().map(|(n, _)| *n)) {
            Some(near) => {
                d = d.help(format!("did you mean `.{near}`?")).fix(
                    format!("replace with `{near}`"),
                    attr_id.span,
                    near,
                )
            }
            None => {
                d = d.help(format!(
                    "{} has {}",
                    article(kind.as_str()),
                    or_list(&names)
                ))
            }
        }
        self.report(d);
    }

    /// `function.X.url` of a function without a `url` block.
    fn no_url(&mut self, name: &Ident, attr_id: &Ident) {
        let mut d = Diagnostic::new(
            Code::E0201,
            attr_id.span,
            format!("function `{}` has no url", name.name),
        )
        .label("`.url` exists only for a function with a `url` block");
        if let Some(decl) = self.scope.decl_span(Kind::Function, &name.name) {
            d = d.secondary(decl, "declared here");
        }
        self.report(d.help(format!(
            "add `url {{ auth = iam }}` to function `{}`",
            name.name
        )));
    }
}

/// E0201 for a path whose first word is no kind of declaration.
fn unknown_kind(path: &Path, first: &Ident) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0201,
        first.span,
        format!("unresolved reference `{}`", path.text()),
    )
    .label(format!("`{}` is not a kind of declaration", first.name));
    match did_you_mean(&first.name, kind_names()) {
        Some(near) => d.help(format!("did you mean `{near}`?")).fix(
            format!("replace with `{near}`"),
            first.span,
            near,
        ),
        None => d.help("references look like `queue.NAME`, `bucket.NAME.arn` or `param.NAME`"),
    }
}
