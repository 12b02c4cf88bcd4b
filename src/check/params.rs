//! `param NAME: TYPE [= DEFAULT] [{ allowed, description, secret }]` → [`Param`], and where
//! a list parameter may go.
//!
//! A `list`, `subnets` or `security_groups` parameter is a list in CloudFormation: its
//! `Ref` is a list of strings (CFN-P1), which CloudFormation refuses where one string is
//! expected (`Fn::Sub` variables, string properties). lamc says so where it is written
//! (E0464). Its default and allowed values are written as lists and emitted as the text
//! CloudFormation splits at commas, so an item cannot hold a comma (E0465).

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::model::{Param, ParamType, S};
use crate::schema::{self, PARAM_TYPE_WORDS};
use crate::source::Span;
use crate::syntax::ast::{self, ExprKind, ParamDecl};

use super::cx::Cx;
use super::values::describe;

impl<'a> Cx<'a> {
    pub fn lower_param(&mut self, p: &'a ParamDecl) -> Param {
        self.start_declaration();
        // An unknown type is reported once; its values are not judged against a guess.
        let known = self.param_type(p);
        let ty = known.unwrap_or(ParamType::String);
        let default = p
            .default
            .as_ref()
            .filter(|_| known.is_some())
            .and_then(|e| self.param_default(e, ty));
        let (allowed, description, secret) = match &p.block {
            Some(b) => {
                let f = self.block_fields(b, Some(schema::PARAM.attrs), schema::PARAM.owner);
                let allowed = match self
                    .get_expr(&f, "allowed")
                    .filter(|_| known.is_some())
                    .and_then(|e| self.subst(e))
                {
                    Some(e) => match &e.kind {
                        ExprKind::List(items) => items
                            .iter()
                            .filter_map(|i| self.param_value(i, ty, "allowed value"))
                            .collect(),
                        _ => self
                            .param_value(e, ty, "allowed value")
                            .into_iter()
                            .collect(),
                    },
                    None => Vec::new(),
                };
                let description = self
                    .get_expr(&f, "description")
                    .and_then(|e| self.string(e, "description"))
                    .map(|s| s.value);
                let secret = self
                    .get_expr(&f, "secret")
                    .and_then(|e| self.boolean(e, "secret"));
                (allowed, description, secret)
            }
            None => (Vec::new(), None, None),
        };
        Param {
            name: S::new(p.name.name.clone(), p.name.span),
            ty,
            default,
            allowed,
            description,
            secret,
            span: p.span,
        }
    }

    /// The declared type; an unknown word is E0302 (the parameter is then read as a
    /// `string`, the type no use of it is wrong for, so that E0302 is the only diagnostic).
    fn param_type(&mut self, p: &ParamDecl) -> Option<ParamType> {
        let written = p.ty.node.as_str();
        if let Some((_, ty)) = PARAM_TYPE_WORDS.iter().find(|(w, _)| *w == written) {
            return Some(*ty);
        }
        let words: Vec<&str> = PARAM_TYPE_WORDS.iter().map(|(w, _)| *w).collect();
        let listed = words
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut d = Diagnostic::new(
            Code::E0302,
            p.ty.span,
            format!("unknown parameter type `{written}`"),
        )
        .label("not a parameter type");
        d = match did_you_mean(written, words.iter().copied()) {
            Some(near) => d
                .help(format!("did you mean `{near}`? (the types are {listed})"))
                .fix(format!("replace with `{near}`"), p.ty.span, near),
            None => d.help(format!("the types are {listed}")),
        };
        self.report(d);
        None
    }

    /// The default: a value of the type; for a list type a list of strings (or one
    /// string, a list of one), kept as the comma-joined text CloudFormation takes.
    fn param_default(&mut self, e: &'a ast::Expr, ty: ParamType) -> Option<S<String>> {
        if !ty.is_list() {
            return self.param_value(e, ty, "default");
        }
        let e = self.subst(e)?;
        let items: Vec<&'a ast::Expr> = match &e.kind {
            ExprKind::List(items) => items.iter().collect(),
            _ => vec![e],
        };
        let texts: Vec<String> = items
            .into_iter()
            .filter_map(|i| self.param_value(i, ty, "default item"))
            .map(|s| s.value)
            .collect();
        Some(S::new(texts.join(","), e.span))
    }

    /// A parameter value in text form, matching the parameter's type (for a list type:
    /// one item).
    fn param_value(&mut self, e: &'a ast::Expr, ty: ParamType, what: &str) -> Option<S<String>> {
        let e = self.subst(e)?;
        if self.only_at_deploy_time(e, what) {
            return None;
        }
        match (ty, &e.kind) {
            (ParamType::Number, ExprKind::Number(n)) => Some(S::new(n.to_string(), e.span)),
            (ParamType::Number, _) => {
                self.wrong_param_value(e, ty, what, "a plain number");
                None
            }
            (_, ExprKind::Str(_)) => {
                let text = self.string(e, what)?;
                let refused = ty.is_list() && self.bad_list_item(&text, ty, what);
                (!refused).then_some(text)
            }
            _ => {
                self.wrong_param_value(e, ty, what, "a string");
                None
            }
        }
    }

    fn wrong_param_value(&mut self, e: &'a ast::Expr, ty: ParamType, what: &str, want: &str) {
        self.report(
            Diagnostic::new(
                Code::E0301,
                e.span,
                format!("{what} of a {} parameter must be {want}", ty.word()),
            )
            .label(format!("this is {}", describe(e)))
            .help(format!("write {want}, or change the parameter's type")),
        );
    }

    /// E0465 when `text` cannot be one item of a list parameter of type `ty`; `true` when
    /// it was reported.
    fn bad_list_item(&mut self, text: &S<String>, ty: ParamType, what: &str) -> bool {
        let Some(problem) = item_problem(&text.value, ty) else {
            return false;
        };
        self.report(
            Diagnostic::new(
                Code::E0465,
                text.span,
                format!(
                    "{what} `{}` cannot be an item of a {} parameter",
                    text.value,
                    ty.word()
                ),
            )
            .label(problem.label)
            .help(problem.help),
        );
        true
    }

    /// E0464 when `name` is a list parameter and a single string is expected at `span`.
    /// `true` when it was reported.
    pub fn list_param_as_text(&mut self, name: &str, span: Span, interpolated: bool) -> bool {
        let Some(ty) = self.param_type_of(name).filter(|t| t.is_list()) else {
            return false;
        };
        let what = if interpolated {
            "interpolated into a string"
        } else {
            "used where one string is expected"
        };
        self.report(
            Diagnostic::new(
                Code::E0464,
                span,
                format!("list parameter `param.{name}` (`{}`) {what}", ty.word()),
            )
            .label("a list of strings in CloudFormation, not one string")
            .help(format!(
                "use `param.{name}` whole where a list is expected (an output lists its \
                 items with commas), or declare `param {name}: string` to use the text as it \
                 is given"
            )),
        );
        true
    }

    /// The type of the parameter `name`, when it is declared with a known type.
    pub fn param_type_of(&self, name: &str) -> Option<ParamType> {
        let decl = self.scope.param(name)?;
        PARAM_TYPE_WORDS
            .iter()
            .find(|(w, _)| *w == decl.ty.node)
            .map(|(_, t)| *t)
    }
}

struct ItemProblem {
    label: &'static str,
    help: String,
}

/// Why `text` cannot be one item of a `ty` list: CloudFormation splits the text at commas
/// (CFN-P1), and a subnet or security group ID has its prefix and hexadecimal digits
/// (EC2-ID).
fn item_problem(text: &str, ty: ParamType) -> Option<ItemProblem> {
    if text.contains(',') {
        return Some(ItemProblem {
            label: "CloudFormation splits the value at this comma",
            help: "write each item as a string of its own: `[\"a\", \"b\"]`".into(),
        });
    }
    let prefix = match ty {
        ParamType::Subnets => "subnet-",
        ParamType::SecurityGroups => "sg-",
        _ => return None,
    };
    let well_formed = text
        .strip_prefix(prefix)
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_hexdigit()));
    if well_formed {
        return None;
    }
    Some(ItemProblem {
        label: "not an ID of this kind",
        help: format!("write an ID such as `{prefix}0123456789abcdef0`"),
    })
}
