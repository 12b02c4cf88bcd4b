//! The same input gives the same bytes: building an example twice, from two different
//! checkout folders, with fresh artifact folders, yields identical templates (JSON and YAML)
//! and identical code zips.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copy `examples/NAME` into a fresh folder; the copy gets new mtimes and a new path.
fn copy_example(name: &str, into: &Path) -> PathBuf {
    let src = root().join("examples").join(name);
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.expect("walk example");
        let rel = entry.path().strip_prefix(&src).expect("relative");
        if rel.components().any(|c| c.as_os_str() == ".lamc") {
            continue;
        }
        let dest = into.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
    into.join("app.lam")
}

struct Build {
    json: Vec<u8>,
    yaml: Vec<u8>,
    zips: Vec<(String, Vec<u8>)>,
}

fn build(example: &str) -> Build {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = copy_example(example, dir.path());
    let artifacts = dir.path().join("artifacts");
    let run = |format: &str| {
        let out = Command::cargo_bin("lamc")
            .expect("lamc is built")
            .env("LAMC_TODAY", "2026-11-26")
            .args(["build", "--format", format, "--artifacts-dir"])
            .arg(&artifacts)
            .arg(&app)
            .output()
            .expect("run lamc");
        assert!(
            out.status.success(),
            "{example}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let (json, yaml) = (run("json"), run("yaml"));
    let mut zips: Vec<(String, Vec<u8>)> = std::fs::read_dir(&artifacts)
        .expect("artifacts written")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read zip"),
            )
        })
        .collect();
    zips.sort();
    Build { json, yaml, zips }
}

#[test]
fn building_twice_from_different_folders_gives_identical_bytes() {
    for example in ["thumbnails", "http-api", "queue-worker", "pipeline"] {
        let (a, b) = (build(example), build(example));
        assert!(!a.json.is_empty() && !a.yaml.is_empty(), "{example}: empty");
        assert!(a.json == b.json, "{example}: JSON differs between builds");
        assert!(a.yaml == b.yaml, "{example}: YAML differs between builds");
        assert!(!a.zips.is_empty(), "{example}: no code zips written");
        assert!(
            a.zips == b.zips,
            "{example}: code zips differ between builds"
        );
    }
}

#[test]
fn zip_keys_in_the_template_name_the_zips_written() {
    let b = build("thumbnails");
    let template = String::from_utf8(b.json).expect("utf-8");
    for (name, _) in &b.zips {
        assert!(template.contains(name.as_str()), "{name} not referenced");
    }
}
