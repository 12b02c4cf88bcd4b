//! A build without the `deploy` feature keeps the commands in its help but refuses to run
//! them, with a clear message and exit status 2.
#![cfg(not(feature = "deploy"))]

#[test]
fn deploy_commands_say_how_to_get_them() {
    for args in [
        vec!["deploy", "app.lam", "--stack", "s", "--yes"],
        vec!["diff", "app.lam", "--stack", "s"],
        vec!["destroy", "--stack", "s", "--yes"],
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("app.lam"), "app a {}\n").expect("write app.lam");
        let out = assert_cmd::Command::cargo_bin("lamc")
            .expect("the lamc binary")
            .current_dir(dir.path())
            .args(&args)
            .output()
            .expect("run lamc");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("built without the deploy feature"),
            "{args:?}: {stderr}"
        );
    }
}
