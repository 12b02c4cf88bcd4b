//! Same input → same bytes: templates, zips, artifact files.

use crate::plan_builder;

use std::path::Path;

use lamc::artifacts;
use lamc::plan::{plan, PlanOptions};
use lamc::source::Span;

fn write_tree(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
    }
}

const FILES: &[(&str, &str)] = &[
    ("handler.py", "def handler(e, c):\n    return 1\n"),
    ("lib/util.py", "X = 1\n"),
    ("lib/deep/more.txt", "hello\n"),
    ("z.json", "{}\n"),
];

#[test]
fn planning_twice_gives_the_same_bytes() {
    let dir = tempfile::tempdir().expect("dir");
    write_tree(dir.path(), FILES);
    let m = plan_builder::rich_model(Some(dir.path()));
    let a = plan(&m, &PlanOptions::default()).expect("plan");
    let b = plan(&m, &PlanOptions::default()).expect("plan");
    assert_eq!(lamc::emit::json(&a), lamc::emit::json(&b));
    assert_eq!(lamc::emit::yaml(&a), lamc::emit::yaml(&b));
    assert!(lamc::emit::json(&a).ends_with("}\n"));
    assert!(
        lamc::emit::json(&a).starts_with("{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n")
    );
}

#[test]
fn zip_ignores_mtimes_and_creation_order() {
    let one = tempfile::tempdir().expect("dir");
    let two = tempfile::tempdir().expect("dir");
    write_tree(one.path(), FILES);
    // Same files created in the opposite order, later, with other mtimes.
    let reversed: Vec<_> = FILES.iter().rev().cloned().collect();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    write_tree(two.path(), &reversed);
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    let f = std::fs::File::options()
        .write(true)
        .open(two.path().join("handler.py"))
        .expect("open");
    f.set_modified(old).expect("set mtime");
    let a = artifacts::zip_path(one.path()).expect("zip");
    let b = artifacts::zip_path(two.path()).expect("zip");
    assert_eq!(a, b);
    assert_eq!(artifacts::zip_path(one.path()).expect("zip"), a);
}

#[test]
fn zip_content_changes_change_the_key() {
    let dir = tempfile::tempdir().expect("dir");
    write_tree(dir.path(), FILES);
    let a = artifacts::build("resize", dir.path(), Span::default()).expect("build");
    std::fs::write(dir.path().join("lib/util.py"), "X = 2\n").expect("write");
    let b = artifacts::build("resize", dir.path(), Span::default()).expect("build");
    assert_ne!(a.key, b.key);
    assert_eq!(a.sha256.len(), 64);
    assert!(a.key.starts_with("resize-") && a.key.ends_with(".zip"));
    assert_eq!(&a.key["resize-".len()..a.key.len() - 4], &a.sha256[..16]);
}

#[test]
fn zip_entries_are_sorted_with_fixed_metadata() {
    let dir = tempfile::tempdir().expect("dir");
    write_tree(dir.path(), FILES);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = dir.path().join("handler.py");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let bytes = artifacts::zip_path(dir.path()).expect("zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("read zip");
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let f = zip.by_index(i).expect("entry");
        let name = f.name().expect("name").to_string();
        names.push(name.clone());
        let t = f.last_modified().expect("time");
        assert_eq!(
            (t.year(), t.month(), t.day(), t.hour(), t.minute()),
            (1980, 1, 1, 0, 0)
        );
        assert!(!f.is_dir());
        let mode = f.unix_mode().expect("mode") & 0o777;
        if name == "handler.py" && cfg!(unix) {
            assert_eq!(mode, 0o755);
        } else {
            assert_eq!(mode, 0o644);
        }
    }
    assert_eq!(
        names,
        ["handler.py", "lib/deep/more.txt", "lib/util.py", "z.json"]
    );
}

#[test]
fn single_file_code_is_zipped_under_its_name() {
    let dir = tempfile::tempdir().expect("dir");
    write_tree(dir.path(), FILES);
    let bytes = artifacts::zip_path(&dir.path().join("handler.py")).expect("zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("read zip");
    assert_eq!(zip.len(), 1);
    assert_eq!(
        zip.by_index(0).expect("entry").name().expect("name"),
        "handler.py"
    );
}

#[test]
fn artifacts_are_written_once_and_atomically() {
    let code = tempfile::tempdir().expect("dir");
    write_tree(code.path(), FILES);
    let out = tempfile::tempdir().expect("dir");
    let m = plan_builder::rich_model(Some(code.path()));
    let opts = PlanOptions {
        artifacts_dir: Some(out.path().join("artifacts")),
        ..PlanOptions::default()
    };
    let stack = plan(&m, &opts).expect("plan");
    let key = &stack.artifacts[0].key;
    let path = out.path().join("artifacts").join(key);
    assert_eq!(
        std::fs::read(&path).expect("artifact"),
        stack.artifacts[0].bytes
    );
    let entries = std::fs::read_dir(out.path().join("artifacts"))
        .expect("dir")
        .count();
    assert_eq!(entries, 1, "no temp files left behind");
    let before = std::fs::metadata(&path)
        .expect("meta")
        .modified()
        .expect("mtime");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    plan(&m, &opts).expect("plan again");
    let after = std::fs::metadata(&path)
        .expect("meta")
        .modified()
        .expect("mtime");
    assert_eq!(before, after, "an identical artifact is not rewritten");
    // Without a directory nothing is written.
    let stack = plan(&m, &PlanOptions::default()).expect("plan");
    assert_eq!(stack.artifacts.len(), 1);
}
