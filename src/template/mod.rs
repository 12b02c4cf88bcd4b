//! A CloudFormation template as data, and its exact JSON text and size.
//!
//! `plan` builds a [`Stack`]; `emit` prints it (pretty JSON, YAML). Both need what is here:
//! the planner measures a template against CloudFormation's size limit (CFN-06), writes
//! the nested stacks' compact text and seeds Version IDs with a property map's text, and
//! the emitter writes the same text for people. Neither imports the other.

mod text;
pub mod tree;
mod usage;

pub use text::{compact, compact_len, len, pretty, props_json, Template};
pub(crate) use text::{number, FORMAT_VERSION};
pub use tree::{Node, Props, Text};
pub use usage::{Usage, MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES, MAX_TEMPLATE_BYTES};

use std::collections::BTreeMap;

use crate::model::ParamType;

/// A planned CloudFormation stack, ready to emit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stack {
    pub description: Option<String>,
    /// In declaration order; `ArtifactsBucket` last when local code exists.
    pub parameters: Vec<(String, Parameter)>,
    /// Keyed by logical ID (emitted in that order).
    pub resources: BTreeMap<String, Resource>,
    /// In declaration order.
    pub outputs: Vec<(String, StackOutput)>,
    /// The zips that local `code` folders became: packed before planning (the planner only
    /// names their keys) and attached to the planned stack by `driver`.
    pub artifacts: Vec<crate::artifacts::Artifact>,
    /// Nested stacks, when the app did not fit in one template (empty otherwise). Their
    /// templates are written to `artifacts_dir` beside the zips and must be uploaded to
    /// the same bucket (`ArtifactsBucket`) under their key before the root is deployed.
    pub children: Vec<ChildTemplate>,
}

/// One nested stack's template.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildTemplate {
    /// The `AWS::CloudFormation::Stack` resource in the root (`NestedStack3`).
    pub logical_id: String,
    /// `<logical id>-<sha256 prefix>.json`: the S3 key under `ArtifactsBucket` that the
    /// root's `TemplateURL` names, and the file name in the artifacts folder.
    pub key: String,
    /// The template (JSON), byte for byte as it must be uploaded.
    pub bytes: Vec<u8>,
    /// What the template uses of each limit (`--stats`). The planned child itself is not
    /// kept: at 10,000 functions the children's trees were a third of peak memory, and
    /// `bytes` already says everything about them.
    pub usage: Usage,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub ty: ParamType,
    pub default: Option<String>,
    pub allowed: Vec<String>,
    pub description: Option<String>,
    /// `NoEcho: true`: CloudFormation masks the value in its API and console.
    pub no_echo: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// `AWS::Lambda::Function`, …
    pub ty: &'static str,
    pub properties: Props,
    /// Logical IDs, sorted and unique when emitted.
    pub depends_on: Vec<String>,
    /// `DeletionPolicy` and `UpdateReplacePolicy` `Retain`: CloudFormation keeps the
    /// physical resource when it deletes or replaces it in the stack (`retain = true`).
    pub retain: bool,
}

impl Resource {
    pub fn new(ty: &'static str, properties: Props) -> Self {
        Resource {
            ty,
            properties,
            depends_on: Vec::new(),
            retain: false,
        }
    }

    /// Kept by CloudFormation on deletion and replacement (`retain = true`).
    pub fn retained(mut self, retain: bool) -> Self {
        self.retain = retain;
        self
    }

    pub fn depends_on(mut self, id: &str) -> Self {
        if !self.depends_on.iter().any(|d| d == id) {
            self.depends_on.push(id.to_string());
            self.depends_on.sort();
        }
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StackOutput {
    pub value: Node,
    pub description: Option<String>,
}
