//! `on event { pattern = {…} }` → an `AWS::Events::Rule` on the default bus with the
//! pattern, the function (its alias if any) as target, and the permission that lets the
//! rule invoke it.

use super::super::ctx::Ctx;
use super::schedule::{events_rule, state};
use crate::model::{Function, Trigger, TriggerKind};

pub fn lower(cx: &mut Ctx, f: &Function, t: &Trigger) {
    let TriggerKind::Event {
        pattern,
        input,
        enabled,
    } = &t.kind
    else {
        return;
    };
    let name = f.name.value.as_str();
    let id = cx.ids.alloc(&[name, "EventRule"]);
    let pattern = ("EventPattern", cx.json_value(&pattern.value));
    let input = input.as_ref().map(|i| cx.json_text(&i.value));
    events_rule(cx, name, &id, pattern, state(enabled.as_ref()), input, None);
}
