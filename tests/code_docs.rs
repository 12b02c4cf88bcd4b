//! The `## Example` and `## Fix` programs in `docs/codes/CODE.md` (what `lamc explain CODE`
//! prints) compile as the documentation says.
//!
//! Each ```lam block is a complete program, written to `app.lam` in a fresh folder and run
//! through `check` and, when that finds no errors, `plan` (so that stack-level diagnostics
//! are seen too), with the date pinned to 2026-11-26.
//!
//! - Under `## Example` the program reports the documented code (once or more) and no other.
//! - Under `## Fix` the program reports nothing at all. A fix that is inherently prose has no
//!   ```lam block.
//!
//! The fence's info string may add comma-separated options after `lam`:
//! - `ignore`: illustrative only, not compiled (E0413: a stack over 500 resources cannot be
//!   shown in a few lines). The prose around it says why.
//! - `also=CODE`: the example cannot avoid reporting CODE as well (E0419: every x86_64-only
//!   runtime is also past its block date, E0412). The prose around it says so.
//! - `dir=PATH`: create the folder PATH next to `app.lam` first, holding one placeholder
//!   file (a local `code` folder must exist, and an empty one has nothing to pack, E0431).
//! - `empty=PATH`: create the folder PATH with nothing in it.
//! - `file=PATH[:TEXT]`: create the file PATH holding TEXT (a comment line when omitted).
//! - `sparse=PATH:BYTES`: create the file PATH of BYTES zero bytes, without writing them.
//! - `link=PATH:TARGET`: create PATH as a symbolic link to TARGET (Unix only).
//!
//! A ```placement block right after a ```lam block, in the same section, is that program's
//! placement file (`app.lam.placement`, docs/nested-stacks.md).
//!
//! Blocks in other languages (```text, ```sh, …) are not compiled.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use lamc::diag::{Code, ALL_CODES};
use lamc::driver::{check_source, CheckOptions};
use lamc::driver::{plan_placed, PlanOptions};
use lamc::plan::placement::Placement;
use lamc::plan::Memory;

/// Which section a block sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Example,
    Fix,
}

/// One ```lam block and the options of its info string.
#[derive(Debug, Default, PartialEq)]
struct Block {
    text: String,
    ignore: bool,
    also: Vec<String>,
    dirs: Vec<String>,
    /// `empty=`, `file=`, `sparse=`, `link=` options, in order.
    fixtures: Vec<Fixture>,
    /// The text of the ```placement block after it.
    placement: Option<String>,
    /// 1-based line of the opening fence, for messages.
    line: usize,
}

/// A file-system entry a block needs next to `app.lam`.
#[derive(Debug, PartialEq)]
enum Fixture {
    Empty(String),
    File(String, String),
    Sparse(String, u64),
    Link(String, String),
}

impl Fixture {
    fn parse(option: &str) -> Option<Fixture> {
        let (kind, arg) = option.split_once('=')?;
        let split = |s: &str| {
            s.split_once(':')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        };
        match kind {
            "empty" => Some(Fixture::Empty(arg.to_string())),
            "file" => Some(match split(arg) {
                Some((path, text)) => Fixture::File(path, format!("{text}\n")),
                None => Fixture::File(arg.to_string(), "# placeholder\n".to_string()),
            }),
            "sparse" => {
                let (path, bytes) = split(arg)?;
                Some(Fixture::Sparse(path, bytes.parse().ok()?))
            }
            "link" => split(arg).map(|(path, target)| Fixture::Link(path, target)),
            _ => None,
        }
    }

    fn create(&self, dir: &std::path::Path) {
        let parent = |p: &std::path::Path| {
            std::fs::create_dir_all(p.parent().expect("a parent")).expect("create folder")
        };
        match self {
            Fixture::Empty(p) => std::fs::create_dir_all(dir.join(p)).expect("create folder"),
            Fixture::File(p, text) => {
                parent(&dir.join(p));
                std::fs::write(dir.join(p), text).expect("write file");
            }
            Fixture::Sparse(p, bytes) => {
                parent(&dir.join(p));
                let f = std::fs::File::create(dir.join(p)).expect("create file");
                f.set_len(*bytes).expect("set length");
            }
            Fixture::Link(p, target) => {
                parent(&dir.join(p));
                #[cfg(unix)]
                std::os::unix::fs::symlink(target, dir.join(p)).expect("symlink");
                #[cfg(not(unix))]
                let _ = target;
            }
        }
    }
}

/// The ```lam blocks under `## Example` and `## Fix` headings of one document.
fn lam_blocks(doc: &str) -> Vec<(Section, Block)> {
    let mut out: Vec<(Section, Block)> = Vec::new();
    let mut section = None;
    let mut open: Option<(Option<Section>, Option<Block>)> = None;
    let mut placement: Option<String> = None;
    for (i, line) in doc.lines().enumerate() {
        if let Some(text) = &mut placement {
            if line.trim_end() == "```" {
                let last = out.last_mut().filter(|(s, _)| Some(*s) == section);
                let (_, block) = last.expect("a ```placement block follows a ```lam block");
                block.placement = placement.take();
            } else {
                text.push_str(line);
                text.push('\n');
            }
            continue;
        }
        if let Some((sec, block)) = &mut open {
            if line.trim_end() == "```" {
                if let (Some(sec), Some(block)) = (*sec, block.take()) {
                    out.push((sec, block));
                }
                open = None;
            } else if let Some(b) = block {
                b.text.push_str(line);
                b.text.push('\n');
            }
            continue;
        }
        if let Some(heading) = line.strip_prefix("## ") {
            let heading = heading.trim().to_lowercase();
            section = if heading.starts_with("example") {
                Some(Section::Example)
            } else if heading.starts_with("fix") {
                Some(Section::Fix)
            } else {
                None
            };
        } else if line.trim_end() == "```placement" {
            placement = Some(String::new());
        } else if let Some(info) = line.strip_prefix("```") {
            let mut words = info.trim().split(',').map(str::trim);
            let block = (words.next() == Some("lam")).then(|| {
                let mut b = Block {
                    line: i + 1,
                    ..Block::default()
                };
                for w in words {
                    if w == "ignore" {
                        b.ignore = true;
                    } else if let Some(code) = w.strip_prefix("also=") {
                        b.also.push(code.to_string());
                    } else if let Some(dir) = w.strip_prefix("dir=") {
                        b.dirs.push(dir.to_string());
                    } else if let Some(f) = Fixture::parse(w) {
                        b.fixtures.push(f);
                    } else {
                        panic!("line {}: unknown option `{w}` on a ```lam fence", i + 1);
                    }
                }
                b
            });
            open = Some((section, block));
        }
    }
    assert!(open.is_none(), "a ``` fence is never closed");
    out
}

fn options() -> CheckOptions {
    CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).expect("valid date"))
}

/// Check and plan `block` as `app.lam` in a fresh folder; every diagnostic as "CODE message".
fn compile(block: &Block) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().expect("tempdir");
    for d in &block.dirs {
        std::fs::create_dir_all(dir.path().join(d)).expect("create folder");
        std::fs::write(dir.path().join(d).join("placeholder.txt"), "").expect("write file");
    }
    for f in &block.fixtures {
        f.create(dir.path());
    }
    let path = dir.path().join("app.lam");
    std::fs::write(&path, &block.text).expect("write app.lam");
    let mut c = check_source("app.lam".into(), Some(path), block.text.clone(), &options());
    let mut diags = c.diagnostics.clone();
    let mut memory = Memory::default();
    if let Some(text) = &block.placement {
        let id = c.sources.add("app.lam.placement", None, text.clone());
        match Placement::parse(text, id) {
            Ok(p) => memory.file = Some(p),
            Err(more) => diags.extend(more),
        }
    }
    if !diags.iter().any(|d| d.is_error()) {
        if let Some(model) = &c.model {
            if let Err(more) = plan_placed(model, &PlanOptions::default(), &memory) {
                diags.extend(more);
            }
        }
    }
    diags
        .iter()
        .map(|d| (d.code.to_string(), d.message.clone()))
        .collect()
}

fn describe(diags: &[(String, String)]) -> String {
    if diags.is_empty() {
        return "nothing".into();
    }
    diags
        .iter()
        .map(|(c, m)| format!("{c} {m}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// What is wrong with the blocks of one code's documentation.
fn problems(code: Code) -> Vec<String> {
    let mut out = Vec::new();
    let blocks = lam_blocks(code.doc());
    if !blocks.iter().any(|(s, _)| *s == Section::Example) {
        out.push(format!("{code}: no ```lam block under `## Example`"));
    }
    for (section, block) in &blocks {
        let at = format!("{code}.md:{}", block.line);
        if block.ignore {
            continue;
        }
        let diags = compile(block);
        let found: BTreeSet<String> = diags.iter().map(|(c, _)| c.clone()).collect();
        match section {
            Section::Example => {
                let mut expected: BTreeSet<String> = block.also.iter().cloned().collect();
                expected.insert(code.to_string());
                if found != expected {
                    out.push(format!(
                        "{at}: example should report {expected:?} only, reports {}",
                        describe(&diags)
                    ));
                }
            }
            Section::Fix => {
                if !diags.is_empty() || !block.also.is_empty() {
                    out.push(format!(
                        "{at}: fix should compile cleanly, reports {}",
                        describe(&diags)
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn examples_report_their_code_and_fixes_compile_cleanly() {
    let all: Vec<String> = ALL_CODES.iter().flat_map(|c| problems(*c)).collect();
    assert!(
        all.is_empty(),
        "{} problems in docs/codes:\n{}",
        all.len(),
        all.join("\n")
    );
}

/// Codes only `lamc check --lint` reports, from cfn-lint's findings: their examples cannot
/// be compiled here (`ignore`); tests/insight_lint.rs makes them with a cfn-lint.
const NEEDS_CFN_LINT: &[&str] = &["E0461", "W0539"];

#[test]
fn almost_every_block_is_compiled() {
    // `ignore` and `also=` are escape hatches for what a short program cannot show; a
    // growing number of them would mean the docs are drifting from the compiler.
    let blocks: Vec<(Code, Section, Block)> = ALL_CODES
        .iter()
        .flat_map(|c| lam_blocks(c.doc()).into_iter().map(|(s, b)| (*c, s, b)))
        .collect();
    let escaped: Vec<String> = blocks
        .iter()
        .filter(|(c, _, _)| !NEEDS_CFN_LINT.contains(&c.as_str()))
        .filter(|(_, _, b)| b.ignore || !b.also.is_empty())
        .map(|(c, s, _)| format!("{c} {s:?}"))
        .collect();
    assert!(
        escaped.len() <= 3,
        "too many blocks that are not checked exactly: {escaped:?}"
    );
    let fixes = blocks.iter().filter(|(_, s, _)| *s == Section::Fix).count();
    assert!(
        fixes + 1 >= ALL_CODES.len(),
        "only {fixes} fix blocks for {} codes",
        ALL_CODES.len()
    );
    for (code, _, block) in &blocks {
        for also in &block.also {
            assert!(
                Code::parse(also).is_some_and(|a| a != *code),
                "{code}: `also={also}` must name another real code"
            );
        }
    }
}

#[test]
fn blocks_are_found_with_their_options() {
    let doc = "# E9999\n\n## What\n\n```lam\nnot this\n```\n\n## Example\n\n```lam,also=E0412,dir=src/x,file=a/b.py:x = 1,sparse=big:9,link=l:a,empty=e\nfunction f {}\n```\n\n```text\nnot lam\n```\n\n## Fix\n\nProse first.\n\n```lam,ignore\nqueue q {}\n```\n\n```placement\nf = root\n```\n";
    let blocks = lam_blocks(doc);
    assert_eq!(
        blocks,
        vec![
            (
                Section::Example,
                Block {
                    text: "function f {}\n".into(),
                    ignore: false,
                    also: vec!["E0412".into()],
                    dirs: vec!["src/x".into()],
                    fixtures: vec![
                        Fixture::File("a/b.py".into(), "x = 1\n".into()),
                        Fixture::Sparse("big".into(), 9),
                        Fixture::Link("l".into(), "a".into()),
                        Fixture::Empty("e".into()),
                    ],
                    placement: None,
                    line: 11,
                }
            ),
            (
                Section::Fix,
                Block {
                    text: "queue q {}\n".into(),
                    ignore: true,
                    also: vec![],
                    dirs: vec![],
                    fixtures: vec![],
                    placement: Some("f = root\n".into()),
                    line: 23,
                }
            ),
        ]
    );
}

#[test]
fn a_wrong_example_is_caught() {
    // The checks above must be able to fail: an example with unrelated noise, and a fix
    // that still has a problem.
    let noisy = Block {
        text: "function resize {\n  handler = \"resize.handler\"\n  memory = 20GB\n}\n".into(),
        ..Block::default()
    };
    let codes: BTreeSet<String> = compile(&noisy).into_iter().map(|(c, _)| c).collect();
    assert_eq!(codes, BTreeSet::from(["E0105".into(), "E0401".into()]));
    let unused = Block {
        text: "queue jobs {}\n".into(),
        ..Block::default()
    };
    assert_eq!(compile(&unused)[0].0, "W0506");
}
