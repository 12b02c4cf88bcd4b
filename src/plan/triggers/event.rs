//! `on event [bus.X] { pattern = {…} }` → an `AWS::Events::Rule` on the default bus (or on
//! the bus named, `EventBusName`) with the pattern, the function (its alias if any) as
//! target, and the permission that lets the rule invoke it.

use super::super::ctx::Ctx;
use super::super::tree::Node;
use super::schedule::{events_rule, state};
use crate::model::{Attr, Function, ResRef, Trigger, TriggerKind};

pub fn lower(cx: &mut Ctx, f: &Function, t: &Trigger) {
    let TriggerKind::Event {
        bus,
        pattern,
        input,
        enabled,
    } = &t.kind
    else {
        return;
    };
    let name = f.name.value.as_str();
    let id = match bus {
        Some(b) => cx.ids.alloc(&[name, &b.value.name, "EventRule"]),
        None => cx.ids.alloc(&[name, "EventRule"]),
    };
    let pattern = ("EventPattern", cx.json_value(&pattern.value));
    let input = input.as_ref().map(|i| cx.json_text(&i.value));
    events_rule(cx, name, &id, pattern, state(enabled.as_ref()), input, None);
    if let Some(bus) = bus {
        let bus_name = bus_name(cx, &bus.value);
        if let Some(rule) = cx.stack.resources.get_mut(&id) {
            rule.properties.put("EventBusName", bus_name);
        }
    }
}

/// EVR-13: a rule's `EventBusName` takes the bus's name or its ARN: the name of a bus this
/// stack creates, the ARN of an existing one.
fn bus_name(cx: &Ctx, bus: &ResRef) -> Node {
    if cx.res_id(bus).is_some() {
        cx.attr(bus, Attr::Name)
    } else {
        cx.arn(bus)
    }
}
