//! `lamc fmt` as a user runs it: files, folders, stdin, `--check`, refusals, exit codes.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn lamc() -> Command {
    let mut cmd = Command::cargo_bin("lamc").expect("the lamc binary is built");
    cmd.env("NO_COLOR", "1");
    cmd
}

const MESSY: &str = "queue q {\n      retention=14d\n}\n";
const TIDY: &str = "queue q { retention = 14d }\n";

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write test file");
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read test file")
}

#[test]
fn examples_and_stdlib_pass_the_check() {
    lamc()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["fmt", "--check", "examples", "stdlib"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn formats_files_in_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("app.lam");
    write(&f, MESSY);
    lamc().arg("fmt").arg(&f).assert().code(0).stdout("");
    assert_eq!(read(&f), TIDY);
    // Already formatted: nothing to do, still 0.
    lamc().arg("fmt").arg(&f).assert().code(0);
    assert_eq!(read(&f), TIDY);
}

#[test]
fn check_names_the_files_that_would_change_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let messy = dir.path().join("messy.lam");
    let tidy = dir.path().join("tidy.lam");
    write(&messy, MESSY);
    write(&tidy, TIDY);
    lamc()
        .args(["fmt", "--check"])
        .arg(&messy)
        .arg(&tidy)
        .assert()
        .code(1)
        .stdout(format!("{}\n", messy.display()))
        .stderr(predicate::str::contains("1 file would be reformatted"));
    assert_eq!(read(&messy), MESSY);
    lamc()
        .args(["fmt", "--check"])
        .arg(&tidy)
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn folders_are_walked_for_lam_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sub = dir.path().join("svc");
    let hidden = dir.path().join(".cache");
    std::fs::create_dir_all(&sub).expect("mkdir");
    std::fs::create_dir_all(&hidden).expect("mkdir");
    write(&sub.join("a.lam"), MESSY);
    write(&dir.path().join("b.lam"), MESSY);
    write(&dir.path().join("notes.txt"), MESSY);
    write(&hidden.join("c.lam"), MESSY);
    lamc().arg("fmt").arg(dir.path()).assert().code(0);
    assert_eq!(read(&sub.join("a.lam")), TIDY);
    assert_eq!(read(&dir.path().join("b.lam")), TIDY);
    assert_eq!(read(&dir.path().join("notes.txt")), MESSY);
    assert_eq!(read(&hidden.join("c.lam")), MESSY);
}

#[test]
fn no_file_means_the_current_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("a.lam"), MESSY);
    lamc().current_dir(dir.path()).arg("fmt").assert().code(0);
    assert_eq!(read(&dir.path().join("a.lam")), TIDY);
}

#[test]
fn dash_reads_stdin_and_writes_stdout() {
    lamc()
        .args(["fmt", "-"])
        .write_stdin(MESSY)
        .assert()
        .code(0)
        .stdout(TIDY);
    lamc()
        .args(["fmt", "--check", "-"])
        .write_stdin(MESSY)
        .assert()
        .code(1)
        .stdout("<stdin>\n");
    lamc()
        .args(["fmt", "--check", "-"])
        .write_stdin(TIDY)
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn a_file_with_syntax_errors_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.lam");
    let good = dir.path().join("good.lam");
    let broken = "function f {\n  memory = \n}\n";
    write(&bad, broken);
    write(&good, MESSY);
    lamc()
        .arg("fmt")
        .arg(&bad)
        .arg(&good)
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("E0001")
                .and(predicate::str::contains("expected a value"))
                .and(predicate::str::contains("left unchanged")),
        );
    assert_eq!(read(&bad), broken);
    // The other file is still formatted.
    assert_eq!(read(&good), TIDY);
    lamc()
        .args(["fmt", "-"])
        .write_stdin(broken)
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn missing_files_are_io_errors() {
    lamc()
        .args(["fmt", "no/such/file.lam"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read no/such/file.lam"));
}

#[cfg(unix)]
#[test]
fn writes_keep_permissions_and_leave_no_temporary_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("app.lam");
    write(&f, MESSY);
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    lamc().arg("fmt").arg(&f).assert().code(0);
    assert_eq!(read(&f), TIDY);
    let mode = std::fs::metadata(&f).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("app.lam")]);
}

#[cfg(unix)]
#[test]
fn a_symlink_stays_a_symlink() {
    let dir = tempfile::tempdir().expect("tempdir");
    let real = dir.path().join("real.lam");
    let link = dir.path().join("link.lam");
    write(&real, MESSY);
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    lamc().arg("fmt").arg(&link).assert().code(0);
    assert!(std::fs::symlink_metadata(&link)
        .expect("lstat")
        .file_type()
        .is_symlink());
    assert_eq!(read(&real), TIDY);
}

#[test]
fn help_shows_examples() {
    lamc().args(["fmt", "--help"]).assert().code(0).stdout(
        predicate::str::contains("lamc fmt --check").and(predicate::str::contains("Exit status")),
    );
}
