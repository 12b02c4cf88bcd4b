//! LocalStack (scripts/localstack: in-process, no Docker) as a second local CloudFormation
//! API, for what moto accepts but does not create (aliases with provisioned concurrency,
//! alarms, Scheduler schedules, …; docs/deploy.md).
//!
//! One server per test binary run, started by the first test that asks (the others wait
//! for it), on a free loopback port, with its state in a folder of its own. It starts in
//! 2–5 s and takes ~625 MB, so it is shared rather than started per test. A test binary
//! cannot run code at exit, so the server watches this process and exits (removing its
//! state) when it is gone.
//!
//! Where it is: `$LAMC_LOCALSTACK_VENV` (`.ci/run` installs it there), a virtualenv made
//! by `scripts/localstack/install.sh`. Without one the tests skip with a message, unless
//! `LAMC_REQUIRE_LOCALSTACK=1` (`.ci/run` sets it): then they fail, so that CI cannot skip
//! them silently.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long a start may take before the server counts as not starting (measured: 2–5 s
/// on two idle cores, 63 s on two cores shared with a whole test run and other builds;
/// the first request to each service loads it, a few seconds more).
const START_TIMEOUT: Duration = Duration::from_secs(150);

pub struct LocalStack {
    pub endpoint: String,
    venv: PathBuf,
    /// Its output, for a failure message.
    log: PathBuf,
}

static SHARED: OnceLock<Result<LocalStack, String>> = OnceLock::new();

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn required() -> bool {
    std::env::var("LAMC_REQUIRE_LOCALSTACK").is_ok_and(|v| v == "1")
}

/// The shared server, started on first use; `None` (after saying why) when it cannot run
/// here and is not required.
pub fn localstack() -> Option<&'static LocalStack> {
    match SHARED.get_or_init(start) {
        Ok(ls) => Some(ls),
        Err(why) if required() => {
            panic!("LocalStack is required here (LAMC_REQUIRE_LOCALSTACK=1): {why}")
        }
        Err(why) => {
            eprintln!("skipped: LocalStack cannot run here: {why}");
            None
        }
    }
}

fn venv() -> Result<PathBuf, String> {
    let venv = std::env::var_os("LAMC_LOCALSTACK_VENV")
        .map(PathBuf::from)
        .ok_or(
            "LAMC_LOCALSTACK_VENV is not set (`.ci/run` installs LocalStack and sets it; \
                or run scripts/localstack/install.sh VENV and set it to VENV)",
        )?;
    if !venv.join("bin/python").is_file() {
        return Err(format!(
            "{} has no bin/python: run scripts/localstack/install.sh {}",
            venv.display(),
            venv.display()
        ));
    }
    Ok(venv)
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port on loopback: {e}"))
}

fn start() -> Result<LocalStack, String> {
    let venv = venv()?;
    let port = free_port()?;
    let state = std::env::temp_dir().join(format!("lamc-localstack-{}", std::process::id()));
    std::fs::create_dir_all(&state).map_err(|e| format!("{}: {e}", state.display()))?;
    let log = state.join("localstack.log");
    let out = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut child = Command::new("bash")
        .arg(root().join("scripts/localstack/start.sh"))
        .env("VENV", &venv)
        .env("PORT", port.to_string())
        .env("STATE", &state)
        .env("LAMC_PARENT_PID", std::process::id().to_string())
        .env("LAMC_REMOVE_AT_EXIT", &state)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot start scripts/localstack/start.sh: {e}"))?;
    let endpoint = format!("http://127.0.0.1:{port}");
    let ls = LocalStack {
        endpoint,
        venv,
        log,
    };
    while !ls.healthy() {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "it exited ({status}) before it was ready; its log:\n{}",
                ls.log_tail()
            ));
        }
        if started.elapsed() > START_TIMEOUT {
            return Err(format!(
                "not ready on port {port} after {}s; its log:\n{}",
                START_TIMEOUT.as_secs(),
                ls.log_tail()
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!(
        "LocalStack ready at {} in {:.1}s",
        ls.endpoint,
        started.elapsed().as_secs_f64()
    );
    Ok(ls)
}

impl LocalStack {
    fn healthy(&self) -> bool {
        self.python(&[
            "-c",
            "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)",
            &format!("{}/_localstack/health", self.endpoint),
        ])
        .is_ok()
    }

    /// Run the virtualenv's Python (it has boto3) with `args`; its standard output.
    pub fn python(&self, args: &[&str]) -> Result<String, String> {
        let out = Command::new(self.venv.join("bin/python"))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// What a deployed stack's resources hold, read through each service's API
    /// (tests/localstack/read_back.py).
    pub fn read_back(&self, stack: &str) -> serde_json::Value {
        let script = root().join("tests/localstack/read_back.py");
        let text = self
            .python(&[path(&script), &self.endpoint, stack])
            .unwrap_or_else(|e| panic!("read_back.py failed:\n{e}"));
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("read_back.py printed no JSON ({e}):\n{text}"))
    }

    /// `lamc deploy FILE --stack STACK` on this server (with `extra` arguments); panics
    /// with lamc's output and the server's log unless it succeeds. Then what the stack
    /// holds, read back, after checking that it was created.
    pub fn deploy(&self, file: &Path, stack: &str, extra: &[&str]) -> serde_json::Value {
        let mut args = vec!["deploy", path(file), "--stack", stack, "--yes"];
        args.extend_from_slice(extra);
        // Three deploys at once on one server, beside the rest of the suite: measured
        // 35–200 s on two loaded cores (7–40 s on idle ones), the first Lambda the slowest.
        args.extend(["--timeout", "300s"]);
        let started = Instant::now();
        let out = crate::deploy_support::at(&self.endpoint)
            .lamc(&args)
            .timeout(Duration::from_secs(360))
            .output()
            .expect("run lamc deploy");
        assert_eq!(
            out.status.code(),
            Some(0),
            "deploy of {stack} failed:\n{}\nLocalStack's log:\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.log_tail()
        );
        eprintln!(
            "{stack} deployed in {:.1}s",
            started.elapsed().as_secs_f64()
        );
        let got = self.read_back(stack);
        assert_eq!(got["status"], "CREATE_COMPLETE", "{got:#}");
        got
    }

    /// `lamc destroy --stack STACK` on this server; panics unless it succeeds.
    pub fn destroy(&self, stack: &str) {
        let out = crate::deploy_support::at(&self.endpoint)
            .lamc(&["destroy", "--stack", stack, "--yes", "--timeout", "150s"])
            .timeout(Duration::from_secs(180))
            .output()
            .expect("run lamc destroy");
        assert_eq!(
            out.status.code(),
            Some(0),
            "destroy of {stack} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Which of `resources` (resource type, physical ID) still exist, by physical ID.
    pub fn left(&self, resources: &[(&str, &str)]) -> serde_json::Value {
        let script = root().join("tests/localstack/read_back.py");
        let pairs: Vec<String> = resources.iter().map(|(t, p)| format!("{t}={p}")).collect();
        let mut args = vec![path(&script), self.endpoint.as_str(), "--left"];
        args.extend(pairs.iter().map(String::as_str));
        let text = self
            .python(&args)
            .unwrap_or_else(|e| panic!("read_back.py --left failed:\n{e}"));
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("read_back.py printed no JSON ({e}):\n{text}"))
    }

    /// The last lines of the server's output.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

/// The resource of a read-back `stack` whose logical ID is `id`.
pub fn resource<'v>(stack: &'v serde_json::Value, id: &str) -> &'v serde_json::Value {
    let r = &stack["resources"][id];
    assert!(r.is_object(), "no {id} in {stack:#}");
    r
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}
