//! The function attributes of issue 13 that are lowered by hand: `layers` (declared layers,
//! ARNs and parameters mixed), `vpc { … }` and `files { … }`.

use crate::model::{Attr, DeployStr, Kind, ResRef, Value, S};
use crate::syntax::ast::{Expr, ExprKind};

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
