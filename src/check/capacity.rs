//! Lambda Managed Instances: `capacity NAME { … }` (a capacity provider) and a function's
//! `capacity { provider, … }` block.

use std::collections::BTreeMap;

use crate::model::{Attr, Capacity, CapacitySpec, DeployStr, Kind, ResRef, Value, S};
use crate::schema::{self, ARCHITECTURES};
use crate::syntax::ast::{ExprKind, ResourceDecl};

use super::attrs::{Field, Fields};
use super::cx::Cx;
use super::required::Owner;

impl<'a> Cx<'a> {
    /// `capacity NAME { subnets, security_groups, architecture, max_vcpus }`: the subnets
    /// are required (E0105 when not written; an empty or short list is the rules').
    pub(super) fn capacity_spec(
        &mut self,
        f: &Fields<'a>,
        r: &'a ResourceDecl,
    ) -> Option<CapacitySpec> {
        let example = "subnets = param.subnets".into();
        self.require(f, r, Owner::Capacity, "subnets", example);
        let vpc = self.network_lists(f, r.span);
        let architecture = self
            .get_expr(f, "architecture")
            .and_then(|e| self.symbol(e, "architecture", ARCHITECTURES));
        let max_vcpus = self
            .get_expr(f, "max_vcpus")
            .and_then(|e| self.count(e, "max_vcpus"));
        Some(CapacitySpec {
            vpc,
            architecture,
            max_vcpus,
        })
    }

    /// A function's `capacity { provider, memory_per_vcpu, concurrency, min_environments,
    /// max_environments }`; `provider` is required (E0105).
    pub(super) fn capacity(&mut self, field: Field<'a>) -> Option<Capacity> {
        let span = field.val.span();
        let key_span = field.key.span;
        let fields = self.nested(field, Some(schema::CAPACITY.attrs), "`capacity`")?;
        let mut settings = BTreeMap::new();
        for attr in schema::CAPACITY.attrs.iter().filter(|a| a.cfn.is_some()) {
            let Some(e) = self.get_expr(&fields, attr.key) else {
                continue;
            };
            if let Some((key, v)) = self.setting(e, attr) {
                settings.insert(key, v);
            }
        }
        if !fields.written("provider") {
            self.report(
                crate::diag::Diagnostic::new(
                    crate::diag::Code::E0105,
                    key_span,
                    "`capacity` needs `provider`",
                )
                .label("the capacity provider the function runs on is not set")
                .help("write e.g. capacity { provider = capacity.fleet }"),
            );
            return None;
        }
        let (provider, declared) = match self.get_expr(&fields, "provider") {
            Some(e) => self.capacity_provider(e),
            None => (None, None),
        };
        Some(Capacity {
            provider,
            declared,
            settings,
            span,
        })
    }

    /// `provider = capacity.X` (the declared provider's ARN), or an ARN as a string or a
    /// parameter.
    fn capacity_provider(
        &mut self,
        e: &'a crate::syntax::ast::Expr,
    ) -> (Option<S<DeployStr>>, Option<S<ResRef>>) {
        let Some(resolved) = self.subst(e) else {
            return (None, None);
        };
        match &resolved.kind {
            ExprKind::Path(p)
                if p.segments
                    .first()
                    .is_some_and(|s| Kind::parse(&s.name).is_some()) =>
            {
                let Some(target) = self.path_ref(p, "provider", &[Kind::Capacity]) else {
                    return (None, None);
                };
                let arn = DeployStr::from_value(Value::Attr {
                    target: target.value.clone(),
                    attr: Attr::Arn,
                });
                (arn.map(|a| S::new(a, target.span)), Some(target))
            }
            _ => (self.deploy_str(e, "provider"), None),
        }
    }
}
