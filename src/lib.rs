//! lamc: a compiler for serverless applications on AWS Lambda.
//!
//! The pipeline, one module per step, data flowing one way:
//!
//! ```text
//! source ─▶ syntax (pest → AST) ─▶ check (names, types, units, AWS limits) ─▶ model
//!        ─▶ plan (resources, logical IDs, IAM) ─▶ emit (JSON / YAML)
//! ```
//!
//! `driver` strings the steps together for the adapters (`cli`, and later `lsp`, `fmt`,
//! `deploy`), which are the only places that print or exit.
#![deny(clippy::unwrap_used)]

pub mod arn;
pub mod artifacts;
pub mod check;
pub mod cli;
pub mod cron;
#[cfg(feature = "deploy")]
pub mod deploy;
pub mod diag;
pub mod driver;
pub mod emit;
pub mod events;
pub mod files;
pub mod fmt;
pub mod iam;
pub mod import;
pub mod insight;
pub mod kms;
pub mod lsp;
pub mod model;
pub mod naming;
pub mod parallel;
pub mod plan;
pub mod schema;
pub mod source;
pub mod spelling;
pub mod stdlib;
pub mod syntax;
pub mod template;
