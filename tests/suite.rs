//! The integration tests, as one test binary: every file beside this one is a module.
//!
//! One binary instead of one per file: each would link lamc and its dependencies again, and
//! those links were most of a cold `cargo test`. Run a single file's tests with its module
//! name as the filter: `cargo test --test suite lsp_clients`.

// Helpers shared by several test modules.
mod apps_support;
mod check_support;
mod deploy_support;
mod insight_support;
mod localstack_support;
mod plan_builder;
mod tools;

/// The synthetic app generator (`cargo run --example synth`), for scale tests.
#[path = "../examples/synth.rs"]
mod synth;

mod check_agrees;
mod check_capacity;
mod check_cascades;
mod check_codes;
mod check_deploy_values;
mod check_events;
mod check_fn_settings;
mod check_ignore;
mod check_incremental;
mod check_loops;
mod check_model;
mod check_mutations;
mod check_network;
mod check_params;
mod check_props;
mod check_resource_options;
mod check_robust;
mod check_secure;
mod check_spellings;
mod check_values;
mod cli_build;
mod cli_check;
mod cli_determinism;
mod cli_usage;
mod code_docs;
mod deploy_cycles;
mod deploy_failures;
mod deploy_lifecycle;
mod deploy_list_params;
mod deploy_nested;
mod deploy_placement;
mod deploy_without_feature;
mod emit_yaml_roundtrip;
mod files_safety;
mod fmt_cli;
mod fmt_corpus;
mod fmt_layout;
mod fmt_props;
mod import_apps;
mod import_cli;
mod insight_cost;
mod insight_graph;
mod insight_lens;
mod insight_lint;
mod insight_precommit;
mod insight_sarif;
mod insight_schedule;
mod localstack_deploy;
mod localstack_events;
mod localstack_functions;
mod lsp_clients;
mod lsp_transport;
mod meta_codes;
mod meta_limits;
mod meta_schema;
mod nested_scale;
mod nested_wiring;
mod parser_constructs;
mod parser_errors;
mod parser_incremental;
mod parser_props;
mod pipeline_stages;
mod placement_growth;
mod plan_apis;
mod plan_cfn_lint;
mod plan_checkov;
mod plan_cycles;
mod plan_determinism;
mod plan_errors;
mod plan_from_source;
mod plan_secure;
mod plan_shapes;
mod real_apps;
mod render_props;
mod rules_model;
mod spec_examples;
mod terminal_output;
mod ui;
mod vscode_grammar;
