//! What reaches a terminal from unusual or hostile sources, through the real binary: a
//! diagnostic past column 65,535 (clipped, never a panic), floods of diagnostics (at most
//! 200 per file, the rest counted), control and bidirectional characters (escaped), bare
//! carriage returns (line ends like any other), programs that declare nothing (W0511).

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn lamc() -> Command {
    let mut cmd = Command::cargo_bin("lamc").expect("the lamc binary is built");
    cmd.env("LAMC_TODAY", "2026-11-26").env_remove("NO_COLOR");
    cmd
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/ui/fail")
        .join(name)
}

/// Write `text` as `app.lam` in a fresh folder.
fn app(text: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("app.lam");
    std::fs::write(&path, text).expect("write app.lam");
    (dir, path)
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], file: &Path) -> Run {
    let out = lamc().args(args).arg(file).output().expect("lamc runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Characters a terminal acts on or that reorder or hide text.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}')
        })
        .collect()
}

fn widest_line(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn a_column_past_65535_is_reported_on_a_clipped_line() {
    let file = fixture("E0401_long_line.lam");
    for args in [&["check"][..], &["build"][..]] {
        let r = run(args, &file);
        assert_eq!(r.code, Some(1), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("E0401_long_line.lam:12:70012]"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("…") && r.stderr.contains("20GB"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.len() < 4_000, "{} bytes of stderr", r.stderr.len());
        assert!(widest_line(&r.stderr) < 120, "{}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    // `fmt` reports the syntax errors of what it refuses to format the same way.
    let r = run(&["fmt", "--check"], &fixture("E0001_long_line.lam"));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("E0001_long_line.lam:11:70012]"),
        "{}",
        r.stderr
    );
    assert!(widest_line(&r.stderr) < 120, "{}", r.stderr);
}

#[test]
fn many_diagnostics_on_one_long_line_are_capped() {
    // 1,000 unknown attributes on one line: 1,000 errors sharing that line.
    let attrs: Vec<String> = (0..1000).map(|i| format!("bogus_{i} = 1")).collect();
    let text = format!(
        "function f {{\n  runtime = python3.12, handler = \"f.handler\", code = \"src\", {}\n}}\n",
        attrs.join(", ")
    );
    let (dir, path) = app(text.as_bytes());
    std::fs::create_dir(dir.path().join("src")).expect("mkdir src");
    let r = run(&["check"], &path);
    assert_eq!(r.code, Some(1));
    assert_eq!(
        r.stderr.matches("error[E0103]").count(),
        200,
        "{}",
        r.stderr
    );
    let summary = r.stderr.lines().last().unwrap_or_default();
    assert_eq!(
        summary,
        format!(
            "error: could not compile {}: 1000 errors (… and 800 more not shown)",
            path.display()
        )
    );
    assert!(r.stderr.len() < 300_000, "{} bytes", r.stderr.len());
    assert!(widest_line(&r.stderr) < 200);

    let json = run(&["check", "--message-format", "json"], &path);
    assert_eq!(json.stdout.lines().count(), 200);
    assert!(json.stderr.contains("(… and 800 more not shown)"));
}

#[test]
fn control_and_bidi_characters_from_the_source_are_escaped() {
    let text = "queue q\u{1b}]0;pwned\u{7} {}\n\
                # admin only \u{202e} }\u{2066} \u{0}\n\
                use \"lib\u{1b}[2J\u{9b}31m.lam\"\n";
    let (_dir, path) = app(text.as_bytes());
    let r = run(&["check"], &path);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(raw_controls(&r.stderr), Vec::<char>::new(), "{}", r.stderr);
    for shown in [
        "q\\u{1b}]0;pwned\\u{7}",
        "\\u{202e}",
        "\\u{2066}",
        "\\u{0}",
        "\\u{9b}",
    ] {
        assert!(r.stderr.contains(shown), "{shown} missing in\n{}", r.stderr);
    }
    assert!(r.stderr.contains("warning[W0510]"), "{}", r.stderr);

    let json = run(&["check", "--message-format", "json"], &path);
    assert_eq!(raw_controls(&json.stdout), Vec::<char>::new());
    for line in json.stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        for key in ["message", "label", "help"] {
            let text = v[key].as_str().unwrap_or_default();
            assert_eq!(raw_controls(text), Vec::<char>::new(), "{key}: {text:?}");
        }
    }
}

#[test]
fn a_bare_carriage_return_ends_a_comment_and_a_line() {
    // The queue used to be read as part of the comment: an empty template.
    let (_dir, path) = app(b"# c\rqueue q {}\r");
    let r = run(&["build"], &path);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("\"AWS::SQS::Queue\""), "{}", r.stdout);
    assert!(r.stderr.contains("app.lam:2:7]"), "{}", r.stderr);

    // Lines as editors count them, in the report and in JSON.
    let (_dir, path) = app(b"queue a {}\rqueue b {}\r\nfunction f { memory = 20GB }\r");
    let r = run(&["check"], &path);
    assert!(r.stderr.contains("app.lam:3:23]"), "{}", r.stderr);
    assert!(r.stderr.contains(" 3 │ function f"), "{}", r.stderr);
    let json = run(&["check", "--message-format", "json"], &path);
    let memory = json
        .stdout
        .lines()
        .find(|l| l.contains("E0401"))
        .unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(memory).unwrap_or_default();
    assert_eq!(
        (v["line"].as_u64(), v["column"].as_u64()),
        (Some(3), Some(23))
    );
}

#[test]
fn a_program_that_declares_nothing_warns() {
    for text in [&b""[..], b"# nothing here\r# yet\n"] {
        let (_dir, path) = app(text);
        let r = run(&["check"], &path);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert!(r
            .stderr
            .contains("warning[W0511]: the program declares nothing"));
        assert!(r.stderr.contains("app.lam:1:1]"), "{}", r.stderr);
        assert_eq!(run(&["check", "--deny-warnings"], &path).code, Some(1));
    }
}

#[test]
fn file_names_in_error_lines_are_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("gone\u{1b}]0;x\u{7}.lam");
    let r = run(&["check"], &missing);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(raw_controls(&r.stderr), Vec::<char>::new(), "{}", r.stderr);
    assert!(
        r.stderr.contains("gone\\u{1b}]0;x\\u{7}.lam"),
        "{}",
        r.stderr
    );

    // `lamc fmt` on a folder: the names it walks come from the disk.
    let broken = dir.path().join("b\u{202e}d.lam");
    std::fs::write(&broken, "function f { memory = = 1 }\n").expect("write");
    let r = run(&["fmt", "--check"], dir.path());
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(raw_controls(&r.stderr), Vec::<char>::new(), "{}", r.stderr);
    assert!(r.stderr.contains("not formatting"), "{}", r.stderr);
}

#[test]
fn fmt_ends_every_line_with_a_line_feed() {
    let text =
        "# c\rqueue q {}\rqueue r { visibility = 2m }   # t\r\n\r\rlet s = \"\"\"a\rb\"\"\"\r";
    let out = lamc()
        .args(["fmt", "-"])
        .write_stdin(text)
        .output()
        .expect("lamc fmt runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        // The declarations stay apart, the blank line stays, the raw string keeps its bytes.
        "# c\nqueue q {}\nqueue r { visibility = 2m } # t\n\nlet s = \"\"\"a\rb\"\"\"\n"
    );
}
