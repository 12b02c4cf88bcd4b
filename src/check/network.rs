//! The function attributes of issue 13 that are lowered by hand: `layers` (declared layers,
//! ARNs and parameters mixed), `vpc { … }`, `files { … }` and `durable { … }`.

use crate::diag::{Code, Diagnostic};
use crate::model::{Attr, DeployStr, Durable, FileMount, Kind, ResRef, Value, Vpc, S};
use crate::schema;
use crate::source::Span;
use crate::syntax::ast::{Expr, ExprKind};

use super::attrs::{Field, Fields};
use super::cx::Cx;

impl<'a> Cx<'a> {
    /// `layers = [layer.deps, "arn:…", param.x]`, or a whole list parameter. A reference
    /// names a declared layer (its ARN when deployed); anything else is a string.
    pub(super) fn layer_list(&mut self, e: &'a Expr) -> Vec<S<DeployStr>> {
        let Some(resolved) = self.subst(e) else {
            return Vec::new();
        };
        if let Some(list) = self.whole_list_param(resolved) {
            return vec![list];
        }
        let items: Vec<&'a Expr> = match &resolved.kind {
            ExprKind::List(items) => items.iter().collect(),
            _ => vec![e],
        };
        items
            .into_iter()
            .filter_map(|item| self.layer_item(item))
            .collect()
    }

    fn layer_item(&mut self, e: &'a Expr) -> Option<S<DeployStr>> {
        let resolved = self.subst(e)?;
        match &resolved.kind {
            ExprKind::Path(p) if p.segments.first().is_some_and(|s| is_kind(&s.name)) => {
                let layer = self.path_ref(p, "layers", &[Kind::Layer])?;
                let span = layer.span;
                Some(S::new(layer_arn(layer.value)?, span))
            }
            _ => self.deploy_str(e, "layers"),
        }
    }
}

/// Whether `word` starts a reference to a declaration (not `param.` or `aws.`).
fn is_kind(word: &str) -> bool {
    Kind::parse(word).is_some()
}

/// A declared layer where a layer ARN is expected: its version's ARN once deployed.
fn layer_arn(layer: ResRef) -> Option<DeployStr> {
    DeployStr::from_value(Value::Attr {
        target: layer,
        attr: Attr::Arn,
    })
}

impl<'a> Cx<'a> {
    /// `vpc { subnets, security_groups, ipv6 }`. What is missing or empty is the rules'
    /// (E0478), so an empty slot here means "none written".
    pub(super) fn vpc(&mut self, field: Field<'a>) -> Option<Vpc> {
        let span = field.val.span();
        let fields = self.nested(field, Some(schema::VPC.attrs), "`vpc`")?;
        let mut vpc = self.network_lists(&fields, span);
        vpc.ipv6 = self
            .get_expr(&fields, "ipv6")
            .and_then(|e| self.boolean(e, "ipv6"));
        Some(vpc)
    }

    /// `subnets` and `security_groups` of a function's `vpc` or a capacity provider.
    pub(super) fn network_lists(&mut self, fields: &Fields<'a>, span: Span) -> Vpc {
        let mut unreadable = Vec::new();
        let mut list = |cx: &mut Self, key: &'static str| {
            let Some(e) = cx.get_expr(fields, key) else {
                // Written as a block (reported), or not written at all.
                if fields.has(key) {
                    unreadable.push(key);
                }
                return Vec::new();
            };
            let items = cx.deploy_strs(e, key);
            let written_empty = matches!(
                cx.subst(e).map(|x| &x.kind),
                Some(ExprKind::List(l)) if l.is_empty()
            );
            if items.is_empty() && !written_empty {
                unreadable.push(key);
            }
            items
        };
        let subnets = list(self, "subnets");
        let security_groups = list(self, "security_groups");
        Vpc {
            subnets,
            security_groups,
            ipv6: None,
            unreadable,
            span,
        }
    }

    /// `files { "/mnt/data" = "arn:…:access-point/fsap-…" }`: mount path → access point.
    pub(super) fn files(&mut self, field: Field<'a>) -> Vec<FileMount> {
        let Some(fields) = self.nested(field, None, "`files`") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in &fields.order {
            let Some(e) = self.expr_of(*item) else {
                continue;
            };
            if let Some(arn) = self.deploy_str(e, "access point") {
                out.push(FileMount {
                    path: S::new(item.key.name.clone(), item.key.span),
                    access_point: arn,
                });
            }
        }
        out
    }

    /// `durable { timeout, retention }`; CloudFormation requires the timeout (E0105).
    pub(super) fn durable(&mut self, field: Field<'a>) -> Option<Durable> {
        let span = field.val.span();
        let key_span = field.key.span;
        let fields = self.nested(field, Some(schema::DURABLE.attrs), "`durable`")?;
        let timeout = self
            .get_expr(&fields, "timeout")
            .and_then(|e| self.seconds(e, "timeout"));
        let retention = self
            .get_expr(&fields, "retention")
            .and_then(|e| self.days(e, "retention"));
        if !fields.has("timeout") {
            self.report(
                Diagnostic::new(Code::E0105, key_span, "`durable` needs `timeout`")
                    .label("how long one durable execution may run is not set")
                    .help("write e.g. durable { timeout = 7d }"),
            );
            return None;
        }
        Some(Durable {
            timeout,
            retention,
            span,
        })
    }
}
