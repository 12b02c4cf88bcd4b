//! The template merge (decision 9): how a function attribute set in a template or in
//! `defaults` reaches the function, as the schema's [`Merge`] rule for it says. One pass
//! over the schema's function attributes; each value's shape says how its rule applies.

use std::collections::BTreeMap;

use crate::model::Function;
use crate::schema::{self, Attr, Merge};

/// A value that can take what a less specific place (a template, `defaults`) set.
trait Inherit {
    fn inherit(&mut self, from: &Self, rule: Merge);
}

/// One value: the first place that sets it wins.
impl<T: Clone> Inherit for Option<T> {
    fn inherit(&mut self, from: &Self, _rule: Merge) {
        if self.is_none() {
            self.clone_from(from);
        }
    }
}

/// A list: the first non-empty one wins, or every place's entries accumulate.
impl<T: Clone> Inherit for Vec<T> {
    fn inherit(&mut self, from: &Self, rule: Merge) {
        match rule {
            Merge::Accumulate => self.extend(from.iter().cloned()),
            _ if self.is_empty() => self.clone_from(from),
            _ => {}
        }
    }
}

/// A map: key by key, the more specific side winning.
impl<K: Ord + Clone, V: Clone> Inherit for BTreeMap<K, V> {
    fn inherit(&mut self, from: &Self, _rule: Merge) {
        for (k, v) in from {
            if !self.contains_key(k) {
                self.insert(k.clone(), v.clone());
            }
        }
    }
}

/// `f` takes what `layer` (a template or `defaults`) sets and `f` does not, for every
/// function attribute of the schema.
pub fn inherit(f: &mut Function, layer: &Function) {
    for attr in schema::FUNCTION.attrs {
        inherit_attr(f, layer, attr);
    }
    f.written.extend(layer.written.iter().cloned());
}

fn inherit_attr(f: &mut Function, l: &Function, attr: &'static Attr) {
    let rule = attr.merge;
    match attr.key {
        "runtime" => f.runtime.inherit(&l.runtime, rule),
        "handler" => f.handler.inherit(&l.handler, rule),
        "code" => f.code.inherit(&l.code, rule),
        "memory" => f.memory.inherit(&l.memory, rule),
        "timeout" => f.timeout.inherit(&l.timeout, rule),
        "architecture" => f.architecture.inherit(&l.architecture, rule),
        "name" => f.function_name.inherit(&l.function_name, rule),
        "layers" => f.layers.inherit(&l.layers, rule),
        "log_retention" => f.log_retention.inherit(&l.log_retention, rule),
        "env" => {
            // The spans of the keys taken, before `env` has them.
            for (k, s) in &l.env_key_spans {
                if !f.env.contains_key(k) {
                    f.env_key_spans.insert(k.clone(), *s);
                }
            }
            f.env.inherit(&l.env, rule);
        }
        "tags" => f.tags.inherit(&l.tags, rule),
        "concurrency" => f.concurrency.inherit(&l.concurrency, rule),
        "async" => f.async_config.inherit(&l.async_config, rule),
        "url" => f.url.inherit(&l.url, rule),
        "logging" => f.logging.inherit(&l.logging, rule),
        "vpc" => f.vpc.inherit(&l.vpc, rule),
        "files" => f.files.inherit(&l.files, rule),
        "durable" => f.durable.inherit(&l.durable, rule),
        "capacity" => f.capacity.inherit(&l.capacity, rule),
        "runtime_updates" => f.runtime_updates.inherit(&l.runtime_updates, rule),
        "dead_letter" => f.dead_letter.inherit(&l.dead_letter, rule),
        // The rest are settings, one value each (`First` by the schema's tests); an
        // attribute neither here nor in `settings` is not inherited: the meta_schema test
        // `function_attributes_are_inherited_as_if_written` fails for it.
        _ => {
            if let Some(v) = l.settings.get(attr.key) {
                f.settings.entry(attr.key).or_insert_with(|| v.clone());
            }
        }
    }
}

/// The members of a body that are not attributes (triggers, alarms, `allow` lines):
/// every place's accumulate, the templates' first.
pub fn accumulate_members(f: &mut Function, layer: &Function) {
    f.triggers.inherit(&layer.triggers, Merge::Accumulate);
    f.alarms.inherit(&layer.alarms, Merge::Accumulate);
    f.allows.inherit(&layer.allows, Merge::Accumulate);
}
