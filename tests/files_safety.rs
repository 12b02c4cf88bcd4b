//! Files stay inside the project (issue 11, items 5–9; issue 10, item 2): what lamc reads,
//! what it zips and what it writes, each with the reproducer it was reported with. Named
//! pipes, links and large sparse files are made in temporary folders here; nothing
//! outside them is used but `/dev/zero` and `/dev/null`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

/// Long enough for a debug build on a busy machine; a read that blocks never ends.
const PATIENCE: Duration = Duration::from_secs(60);

fn lamc(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("lamc").expect("the lamc binary is built");
    cmd.env("LAMC_TODAY", "2026-11-26")
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .timeout(PATIENCE);
    cmd
}

fn function(code: &str) -> String {
    format!(
        "function resize {{\n  runtime = python3.13\n  handler = \"main.handler\"\n  code    = \"{code}\"\n}}\n"
    )
}

/// A project: `app.lam` (the given text) and `src/main.py`.
fn project(app: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "src/main.py",
        "def handler(event, context):\n    return event\n",
    );
    write(dir.path(), "app.lam", app);
    dir
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_string_lossy().as_bytes()).expect("no NUL");
    // SAFETY: `c` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

fn sparse(path: &Path, bytes: u64) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let f = std::fs::File::create(path).expect("create");
    f.set_len(bytes).expect("set_len");
}

fn stderr_of(cmd: &mut Command) -> String {
    String::from_utf8_lossy(&cmd.output().expect("ran").stderr).into_owned()
}

// ---- 11.5: only regular files, never more than the cap ----------------------------------

#[cfg(unix)]
#[test]
fn use_of_a_named_pipe_is_e0428_at_once() {
    let dir = project(&format!("use \"lib/pipe.lam\"\n\n{}", function("src")));
    std::fs::create_dir(dir.path().join("lib")).expect("mkdir");
    mkfifo(&dir.path().join("lib/pipe.lam"));
    let out = lamc(dir.path())
        .args(["check", "app.lam"])
        .output()
        .expect("ran");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error[E0428]: cannot read `lib/pipe.lam`: it is a named pipe (FIFO), not a regular file"), "{err}");
    assert!(err.contains("app.lam:1:5"), "{err}");
    assert!(err.contains("help: `use` names a `.lam` file"), "{err}");
}

#[cfg(unix)]
#[test]
fn use_of_dev_zero_is_e0428_even_with_the_whole_disk_as_root() {
    let dir = project("use \"../../../../../../../../../../dev/zero\"\n");
    let out = lamc(dir.path())
        .args(["--root", "/", "check", "app.lam"])
        .output()
        .expect("ran");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error[E0428]"), "{err}");
    assert!(err.contains("it is a character device"), "{err}");
}

#[cfg(unix)]
#[test]
fn the_entry_file_must_be_a_regular_file_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    mkfifo(&dir.path().join("app.lam"));
    for args in [
        &["check", "app.lam"][..],
        &["build", "app.lam"],
        &["fmt", "app.lam"],
    ] {
        let out = lamc(dir.path()).args(args).output().expect("ran");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(
                "cannot read app.lam: it is a named pipe (FIFO), not a regular file [E0428]"
            ),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_source_over_the_cap_is_e0429_without_reading_it() {
    let dir = project(&format!("use \"lib/huge.lam\"\n\n{}", function("src")));
    let cap = lamc::files::MAX_SOURCE_BYTES;
    sparse(&dir.path().join("lib/huge.lam"), cap + 1);
    sparse(&dir.path().join("huge.lam"), cap + 1);
    let out = lamc(dir.path())
        .args(["check", "app.lam"])
        .output()
        .expect("ran");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[E0429]: cannot read `lib/huge.lam`: it holds 16,777,217 bytes"),
        "{err}"
    );
    assert!(
        err.contains("help: a `.lam` file holds at most 16,777,216 bytes"),
        "{err}"
    );
    assert!(err.contains("app.lam:1:5"), "{err}");
    for cmd in ["check", "fmt"] {
        let out = lamc(dir.path())
            .args([cmd, "huge.lam"])
            .output()
            .expect("ran");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {err}");
        assert!(
            err.contains("lamc reads at most 16,777,216 bytes [E0429]"),
            "{cmd}: {err}"
        );
    }
}

#[test]
fn fmt_refuses_stdin_over_the_cap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = "# x\n".repeat((lamc::files::MAX_SOURCE_BYTES / 4 + 1) as usize);
    lamc(dir.path())
        .args(["fmt", "-"])
        .write_stdin(big)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("cannot read stdin").and(predicate::str::contains("[E0429]")),
        );
}

// ---- 11.6: paths resolve inside the project root -----------------------------------------

/// A project in `app/` beside a `secrets/` folder holding a credentials file.
fn project_beside_secrets(app: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "secrets/credentials",
        "[default]\naws_secret_access_key = VERYSECRET\n",
    );
    write(dir.path(), "secrets/main.py", "x = 1\n");
    write(dir.path(), "app/src/main.py", "x = 1\n");
    write(dir.path(), "app/app.lam", app);
    let app_dir = dir.path().join("app");
    (dir, app_dir)
}

#[test]
fn use_outside_the_root_is_e0427_and_prints_nothing_of_the_file() {
    let (dir, app) = project_beside_secrets("use \"../secrets/credentials\"\n");
    let out = lamc(&app).args(["check", "app.lam"]).output().expect("ran");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "error[E0427]: `use` path `../secrets/credentials` leads out of the project root"
        ),
        "{err}"
    );
    assert!(err.contains("app.lam:1:5"), "{err}");
    assert!(
        !err.contains("VERYSECRET") && !err.contains("[default]"),
        "{err}"
    );
    // The JSON form says the same, and still nothing of the file.
    let out = lamc(&app)
        .args(["check", "app.lam", "--message-format", "json"])
        .output()
        .expect("ran");
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(json.contains("\"code\":\"E0427\""), "{json}");
    assert!(!json.contains("VERYSECRET"), "{json}");
    // An absolute path is refused the same way, whatever the root.
    let abs = dir.path().join("secrets/credentials");
    write(&app, "abs.lam", &format!("use \"{}\"\n", abs.display()));
    let err = stderr_of(lamc(&app).args(["--root", "/", "check", "abs.lam"]));
    assert!(
        err.contains("error[E0427]") && err.contains("is absolute"),
        "{err}"
    );
    assert!(!err.contains("VERYSECRET"), "{err}");
}

#[test]
fn a_layer_folder_outside_the_root_is_e0427_and_is_not_zipped() {
    let app = format!(
        "layer deps {{\n  code = \"../secrets\"\n}}\n\n{}",
        function("src")
    )
    .replace(
        "code    = \"src\"",
        "code    = \"src\"\n  layers  = [layer.deps]",
    );
    let (_dir, app_dir) = project_beside_secrets(&app);
    let out = lamc(&app_dir)
        .args(["build", "app.lam"])
        .output()
        .expect("ran");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty(), "no template");
    assert!(
        err.contains("error[E0427]: `code` path `../secrets` leads out of the project root"),
        "{err}"
    );
    assert!(err.contains("app.lam:2:10"), "{err}");
    assert!(!app_dir.join(".lamc").exists(), "nothing zipped");
}

#[test]
fn code_outside_the_root_is_e0427_unless_the_root_is_wider() {
    for path in ["../secrets", "../../../../../../../../../../etc", "/etc"] {
        let (_dir, app) = project_beside_secrets(&function(path));
        let out = lamc(&app).args(["build", "app.lam"]).output().expect("ran");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{path}: {err}");
        assert!(out.stdout.is_empty(), "{path}: no template");
        assert!(
            err.contains(&format!("error[E0427]: `code` path `{path}`")),
            "{err}"
        );
        assert!(err.contains("app.lam:4:13"), "{path}: {err}");
        assert!(!app.join(".lamc").exists(), "{path}: nothing zipped");
    }
    let (dir, app) = project_beside_secrets(&function("../secrets"));
    lamc(&app)
        .arg("--root")
        .arg(dir.path())
        .args(["build", "app.lam"])
        .assert()
        .success();
}

#[test]
fn the_entry_file_must_be_inside_an_explicit_root() {
    let (dir, app) = project_beside_secrets(&function("src"));
    let other = tempfile::tempdir().expect("tempdir");
    let out = lamc(&app)
        .arg("--root")
        .arg(other.path())
        .args(["check", "app.lam"])
        .output()
        .expect("ran");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("is outside the project root") && err.contains("[E0427]"),
        "{err}"
    );
    drop(dir);
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_root_is_e0427_for_use_and_code() {
    let (dir, app) = project_beside_secrets("use \"creds.lam\"\n");
    std::os::unix::fs::symlink(
        dir.path().join("secrets/credentials"),
        app.join("creds.lam"),
    )
    .expect("symlink");
    let err = stderr_of(lamc(&app).args(["check", "app.lam"]));
    assert!(
        err.contains("error[E0427]") && err.contains("through a symbolic link"),
        "{err}"
    );
    assert!(!err.contains("VERYSECRET"), "{err}");
    std::os::unix::fs::symlink(dir.path().join("secrets"), app.join("linked")).expect("symlink");
    write(&app, "code.lam", &function("linked"));
    let err = stderr_of(lamc(&app).args(["check", "code.lam"]));
    assert!(err.contains("error[E0427]: `code` path `linked` leads out of the project root through a symbolic link"), "{err}");
}

// ---- 11.7: links in a code folder stay inside it ----------------------------------------

#[cfg(unix)]
#[test]
fn a_link_to_a_system_folder_is_e0430_naming_the_link() {
    let dir = project(&function("src"));
    std::os::unix::fs::symlink("/etc", dir.path().join("src/sys")).expect("symlink");
    let out = lamc(dir.path())
        .args(["build", "app.lam"])
        .output()
        .expect("ran");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.contains("error[E0430]: symbolic link `sys` leads out of the code folder"),
        "{err}"
    );
    assert!(err.contains("points to /etc"), "{err}");
    assert!(err.contains("app.lam:4:13"), "{err}");
    assert!(
        !dir.path().join(".lamc/artifacts").exists(),
        "nothing written"
    );
}

#[cfg(unix)]
#[test]
fn a_link_loop_is_e0430_and_links_inside_are_followed() {
    let dir = project(&function("src"));
    std::fs::create_dir(dir.path().join("src/lib")).expect("mkdir");
    write(dir.path(), "src/lib/util.py", "y = 2\n");
    std::os::unix::fs::symlink("lib", dir.path().join("src/alias")).expect("symlink");
    lamc(dir.path())
        .args(["build", "app.lam"])
        .assert()
        .success();
    std::os::unix::fs::symlink("..", dir.path().join("src/lib/up")).expect("symlink");
    let err = stderr_of(lamc(dir.path()).args(["build", "app.lam"]));
    assert!(err.contains("error[E0430]: symbolic link `"), "{err}");
    assert!(err.contains("makes a loop in the code folder"), "{err}");
}

// ---- 11.8: empty and oversized folders; one file mode for every output -------------------

#[test]
fn an_empty_code_folder_is_e0431() {
    let dir = project(&function("empty"));
    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    let out = lamc(dir.path())
        .args(["build", "app.lam"])
        .output()
        .expect("ran");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.contains("error[E0431]: the code folder has no files to package"),
        "{err}"
    );
    assert!(err.contains("app.lam:4:13"), "{err}");
    // `lamc check` plans too, so it says the same.
    lamc(dir.path())
        .args(["check", "app.lam"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("E0431"));
}

#[test]
fn a_function_and_its_layers_over_250_mb_are_e0477() {
    // Each folder is under the limit alone; together (with src/main.py) they pass it.
    let app = "layer deps {\n  code = \"deps\"\n}\n\nfunction f {\n  runtime = python3.13\n  handler = \"main.handler\"\n  code    = \"src\"\n  layers  = [layer.deps]\n}\n";
    let dir = project(app);
    std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("deps")).expect("mkdir");
    sparse(&dir.path().join("src/model.bin"), 131_072_000);
    sparse(&dir.path().join("deps/lib.bin"), 131_072_000);
    let out = lamc(dir.path())
        .args(["check", "app.lam"])
        .output()
        .expect("ran");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[E0477]: `f` and its layers unzip to 262,144,0"),
        "{err}"
    );
    assert!(err.contains("app.lam:8:13"), "{err}");
    assert!(err.contains("131,072,000 bytes in layer `deps`"), "{err}");
    // A smaller layer and the function fits.
    sparse(&dir.path().join("deps/lib.bin"), 131_000_000);
    lamc(dir.path())
        .args(["check", "app.lam"])
        .assert()
        .success();
}

#[test]
fn a_code_folder_over_250_mb_is_e0432() {
    let dir = project(&function("src"));
    sparse(&dir.path().join("src/model.bin"), 262_144_000);
    let out = lamc(dir.path())
        .args(["check", "app.lam"])
        .output()
        .expect("ran");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[E0432]: the code folder is over Lambda's unzipped size limit"),
        "{err}"
    );
    assert!(
        err.contains("Lambda unpacks less than 262,144,000 (250 MB)"),
        "{err}"
    );
    assert!(err.contains("app.lam:4:13"), "{err}");
    // Left out by a `.lamcignore`, it does not count.
    write(dir.path(), "src/.lamcignore", "*.bin\n");
    lamc(dir.path())
        .args(["check", "app.lam"])
        .assert()
        .success();
}

#[cfg(unix)]
#[test]
fn zips_and_templates_get_the_same_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&function("src"));
    lamc(dir.path())
        .args(["build", "app.lam", "-o", "template.json"])
        .assert()
        .success();
    let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    let template = mode(&dir.path().join("template.json"));
    let zips = zips_in(&dir.path().join(".lamc/artifacts"));
    assert_eq!(zips.len(), 1);
    assert_eq!(mode(&zips[0]), template);
    // What any new file gets here (0666 less the umask), not tempfile's private 0600.
    std::fs::write(dir.path().join("plain"), "x").expect("write");
    assert_eq!(template, mode(&dir.path().join("plain")));
}

// ---- 11.9: never write over an input, a device or a link ---------------------------------

#[test]
fn output_onto_the_input_or_a_used_file_is_refused() {
    let dir = project(&format!("use \"lib/common.lam\"\n\n{}", function("src")));
    write(dir.path(), "lib/common.lam", "queue jobs {}\n");
    let before = std::fs::read(dir.path().join("app.lam")).expect("read");
    for out in ["app.lam", "./app.lam", "lib/common.lam"] {
        let o = lamc(dir.path())
            .args(["build", "app.lam", "-o", out])
            .output()
            .expect("ran");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{out}: {err}");
        assert!(
            err.contains(&format!(
                "cannot write the template to {out}: it is a file of the program being built"
            )),
            "{err}"
        );
    }
    assert_eq!(
        std::fs::read(dir.path().join("app.lam")).expect("read"),
        before
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("lib/common.lam")).expect("read"),
        "queue jobs {}\n"
    );
}

#[cfg(unix)]
#[test]
fn output_onto_a_link_or_a_device_is_refused() {
    let dir = project(&function("src"));
    write(dir.path(), "real.json", "keep\n");
    std::os::unix::fs::symlink("real.json", dir.path().join("link.json")).expect("symlink");
    lamc(dir.path())
        .args(["build", "app.lam", "-o", "link.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it is a symbolic link"));
    let link = std::fs::symlink_metadata(dir.path().join("link.json")).expect("stat");
    assert!(link.file_type().is_symlink(), "the link is still a link");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("real.json")).expect("read"),
        "keep\n"
    );
    lamc(dir.path())
        .args(["build", "app.lam", "-o", "/dev/null"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it is a character device"));
    let dev = std::fs::metadata("/dev/null").expect("stat");
    assert!(!dev.is_file(), "/dev/null is still a device");
}

#[test]
fn artifacts_dir_onto_a_file_is_refused() {
    let dir = project(&function("src"));
    lamc(dir.path())
        .args(["build", "app.lam", "--artifacts-dir", "app.lam"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "cannot write artifacts to app.lam: it is a regular file, not a folder",
        ));
}

// ---- 10.2: `code = "."` packs neither the build's outputs nor `.git` ----------------------

/// Every file under `dir`, relative, with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    out.sort();
    out
}

/// `lamc build app.lam > template.json`, as the README shows it.
fn build_redirected(dir: &Path) {
    let stdout = std::fs::File::create(dir.join("template.json")).expect("create");
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("lamc"))
        .env("LAMC_TODAY", "2026-11-26")
        .current_dir(dir)
        .args(["build", "app.lam"])
        .stdout(stdout)
        .status()
        .expect("ran");
    assert!(status.success());
}

#[test]
fn code_dot_builds_are_byte_identical_whatever_was_built_before() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "main.py",
        "def handler(event, context):\n    return event\n",
    );
    write(
        dir.path(),
        "node_modules/dep/index.js",
        "module.exports = 1;\n",
    );
    write(dir.path(), ".git/HEAD", "ref: refs/heads/main\n");
    write(dir.path(), "notes.md", "not for Lambda\n");
    write(dir.path(), ".lamcignore", "*.md\n");
    write(dir.path(), "app.lam", &function("."));
    build_redirected(dir.path());
    let first = snapshot(dir.path());
    build_redirected(dir.path());
    assert_eq!(
        snapshot(dir.path()),
        first,
        "a second build changes nothing"
    );
    // The same zip when the template goes to a file named with -o instead.
    let template = std::fs::read(dir.path().join("template.json")).expect("read");
    std::fs::remove_file(dir.path().join("template.json")).expect("remove");
    lamc(dir.path())
        .args(["build", "app.lam", "-o", "out/template.json"])
        .assert()
        .failure(); // `out/` does not exist: nothing is written
    std::fs::create_dir(dir.path().join("out")).expect("mkdir");
    for _ in 0..2 {
        lamc(dir.path())
            .args(["build", "app.lam", "-o", "out/template.json"])
            .assert()
            .success();
    }
    let zips = zips_in(&dir.path().join(".lamc/artifacts"));
    assert_eq!(zips.len(), 1, "every build made the same zip: {zips:?}");
    let bytes = std::fs::read(&zips[0]).expect("read");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let names: Vec<String> = (0..zip.len())
        .map(|i| {
            zip.by_index(i)
                .expect("entry")
                .name()
                .expect("name")
                .to_string()
        })
        .collect();
    assert_eq!(names, ["app.lam", "main.py", "node_modules/dep/index.js"]);
    assert_eq!(
        template,
        std::fs::read(dir.path().join("out/template.json")).expect("read")
    );
}

/// The zips in an artifacts folder.
fn zips_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("artifacts")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "zip"))
        .collect()
}

#[test]
fn a_template_an_earlier_build_wrote_under_another_name_is_not_packed() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "main.py", "x = 1\n");
    write(dir.path(), "app.lam", &function("."));
    for out in ["first.json", "second.json", "third.yaml"] {
        lamc(dir.path())
            .args(["build", "app.lam", "-o", out])
            .assert()
            .success();
    }
    build_redirected(dir.path());
    let read = |name: &str| std::fs::read(dir.path().join(name)).expect("read");
    assert_eq!(read("first.json"), read("second.json"));
    assert_eq!(read("first.json"), read("template.json"));
    let zips = zips_in(&dir.path().join(".lamc/artifacts"));
    assert_eq!(zips.len(), 1, "every build made the same zip: {zips:?}");
}

#[test]
fn an_artifacts_dir_inside_the_code_folder_is_not_packed() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "main.py", "x = 1\n");
    write(dir.path(), "app.lam", &function("."));
    let build = || {
        lamc(dir.path())
            .args([
                "build",
                "app.lam",
                "--artifacts-dir",
                "dist",
                "-o",
                "dist/template.json",
            ])
            .assert()
            .success();
        snapshot(&dir.path().join("dist"))
    };
    let first = build();
    assert_eq!(build(), first);
}

// ---- the language server reads used files by the same rules -----------------------------

#[cfg(unix)]
#[test]
fn the_language_server_neither_blocks_on_a_pipe_nor_reads_outside_the_root() {
    use lsp_server::{Connection, Message, Notification, Request, RequestId};
    let (dir, app) = project_beside_secrets("");
    mkfifo(&app.join("pipe.lam"));
    let text = "use \"pipe.lam\"\nuse \"../secrets/credentials\"\n";
    write(&app, "app.lam", text);
    let (server, client) = Connection::memory();
    let opts = lamc::driver::CheckOptions::default();
    std::thread::spawn(move || lamc::lsp::serve(&server, opts));
    let uri = format!(
        "file://{}",
        std::fs::canonicalize(app.join("app.lam"))
            .expect("real")
            .display()
    );
    let send = |m: Message| client.sender.send(m).expect("send");
    send(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".into(),
        serde_json::json!({ "capabilities": {} }),
    )));
    send(Message::Notification(Notification::new(
        "initialized".into(),
        serde_json::json!({}),
    )));
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        serde_json::json!({ "textDocument": { "uri": uri, "languageId": "lam", "version": 1, "text": text } }),
    )));
    let published = loop {
        match client.receiver.recv_timeout(PATIENCE) {
            Ok(Message::Notification(n)) if n.method == "textDocument/publishDiagnostics" => {
                break n.params
            }
            Ok(_) => continue,
            Err(e) => panic!("no diagnostics from the server: {e}"),
        }
    };
    let codes: Vec<(String, u64)> = published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["range"]["start"]["line"].as_u64().unwrap_or(99),
            )
        })
        .collect();
    assert_eq!(codes, [("E0428".to_string(), 0), ("E0427".to_string(), 1)]);
    assert!(!published.to_string().contains("VERYSECRET"));
    drop(dir);
}

// ---- prebuilt archives are uploaded as they are ------------------------------------------

#[test]
fn a_prebuilt_zip_or_jar_is_uploaded_as_it_is_not_wrapped_in_another_zip() {
    let dir = project(&function("target/app.zip"));
    std::fs::create_dir(dir.path().join("target")).expect("mkdir");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("main.py", zip::write::SimpleFileOptions::default())
        .expect("entry");
    std::io::Write::write_all(&mut zip, b"def handler(e, c):\n    return e\n").expect("write");
    let archive = zip.finish().expect("zip").into_inner();
    std::fs::write(dir.path().join("target/app.zip"), &archive).expect("write");
    lamc(dir.path())
        .args(["build", "app.lam", "-o", "template.json"])
        .assert()
        .success();
    let zips = zips_in(&dir.path().join(".lamc/artifacts"));
    assert_eq!(zips.len(), 1, "{zips:?}");
    assert_eq!(
        std::fs::read(&zips[0]).expect("read"),
        archive,
        "the artifact is the archive itself, with main.py at its top"
    );
}

#[test]
fn a_zip_that_is_not_an_archive_is_e0420() {
    let dir = project(&function("build/app.zip"));
    write(dir.path(), "build/app.zip", "not a zip\n");
    let err = stderr_of(lamc(dir.path()).args(["check", "app.lam"]));
    assert!(err.contains("error[E0420]"), "{err}");
    assert!(err.contains("not a zip archive"), "{err}");
    assert!(
        err.contains("app.lam:4:"),
        "points at the code value: {err}"
    );
}
