//! The model with its declarations indexed by name, for rules that follow references
//! (a trigger's queue, a queue's dead-letter queue, an alarm's function). `Model::resource`
//! and `Model::function` scan a list; called once per reference they made the rules
//! quadratic in the size of the program.

use std::collections::HashMap;
use std::ops::Deref;

use crate::model::{Function, Kind, Model, ResRef, Resource};

pub(crate) struct Lookup<'a> {
    model: &'a Model,
    resources: HashMap<(Kind, &'a str), &'a Resource>,
    functions: HashMap<&'a str, &'a Function>,
}

impl<'a> Lookup<'a> {
    pub(crate) fn new(model: &'a Model) -> Self {
        let mut resources = HashMap::with_capacity(model.resources.len());
        for r in &model.resources {
            // The first declaration wins, as in `Model::resource`.
            resources.entry((r.kind, r.name.as_str())).or_insert(r);
        }
        let mut functions = HashMap::with_capacity(model.functions.len());
        for f in &model.functions {
            functions.entry(f.name.value.as_str()).or_insert(f);
        }
        Lookup {
            model,
            resources,
            functions,
        }
    }

    /// Same answer as [`Model::resource`], in constant time.
    pub(crate) fn resource(&self, r: &ResRef) -> Option<&'a Resource> {
        self.resources.get(&(r.kind, r.name.as_str())).copied()
    }

    /// Same answer as [`Model::function`], in constant time.
    pub(crate) fn function(&self, name: &str) -> Option<&'a Function> {
        self.functions.get(name).copied()
    }
}

impl Deref for Lookup<'_> {
    type Target = Model;

    fn deref(&self) -> &Model {
        self.model
    }
}
