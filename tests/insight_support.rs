//! Shared by the `lamc schedule` and `lamc graph` tests: their output snapshots, kept
//! under tests/insight/snapshots by name.

/// Assert `text` equals the snapshot `name` (insta; review with `cargo insta review`).
pub fn snapshot(name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => "insight/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}
