//! stub
use crate::diag::Diagnostic;
use crate::model::Model;
use super::RuleContext;
pub(crate) fn check(_m: &Model, _c: &RuleContext, _o: &mut Vec<Diagnostic>) {}
