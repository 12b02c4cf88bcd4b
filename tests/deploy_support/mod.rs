//! A CloudFormation/S3/Lambda API on loopback (moto_server) for the deploy tests, and a
//! `lamc` command wired to it with dummy credentials.
//!
//! Each test starts its own server from `.venv/bin/moto_server` on a free port and kills it
//! when done (a server shared by parallel tests fails now and then inside moto's IAM
//! models); `LAMC_TEST_AWS_ENDPOINT` names a running server to use instead.
//! A missing moto fails the test with install instructions.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const INSTALL: &str = "moto_server not found: run `.ci/run` (it installs moto[server] 5.2.5 \
     into .venv), or `python3 -m venv .venv && .venv/bin/pip install 'moto[server]==5.2.5'`, \
     or set LAMC_TEST_AWS_ENDPOINT to a running moto_server's URL";

pub struct Moto {
    pub endpoint: String,
    child: Option<Child>,
}

impl Drop for Moto {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn moto_server() -> PathBuf {
    let venv = root().join(".venv/bin/moto_server");
    if venv.is_file() {
        return venv;
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let c = dir.join("moto_server");
            if c.is_file() {
                return c;
            }
        }
    }
    panic!("{INSTALL}");
}

/// The shared server from `.ci/run`, or a fresh one for this test.
pub fn moto() -> Moto {
    if let Some(url) = std::env::var("LAMC_TEST_AWS_ENDPOINT")
        .ok()
        .filter(|u| !u.is_empty())
    {
        return Moto {
            endpoint: url.trim_end_matches('/').to_string(),
            child: None,
        };
    }
    let bin = moto_server();
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on loopback");
    let child = Command::new(&bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}; {INSTALL}", bin.display()));
    let moto = Moto {
        endpoint: format!("http://127.0.0.1:{port}"),
        child: Some(child),
    };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "moto_server did not start listening on port {port} within 30s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    moto
}

/// A server someone else started and stops (LocalStack: tests/localstack_support).
pub fn at(endpoint: &str) -> Moto {
    Moto {
        endpoint: endpoint.trim_end_matches('/').to_string(),
        child: None,
    }
}

/// For commands that must stop before any network call: nothing listens there.
pub fn offline() -> Moto {
    Moto {
        endpoint: "http://127.0.0.1:9".to_string(),
        child: None,
    }
}

/// A name no other test (or earlier run against the same server) uses.
pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{prefix}-{}-{nanos}", std::process::id())
}

impl Moto {
    /// `lamc ARGS… --endpoint-url URL` with dummy credentials, SDK retries off, no shared
    /// config files, no instance metadata, and a short poll.
    pub fn lamc(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("lamc").expect("the lamc binary");
        let nowhere = std::env::temp_dir().join("lamc-tests-no-aws-config");
        cmd.args(args)
            .args(["--endpoint-url", &self.endpoint])
            .env("LAMC_POLL", "200ms")
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_MAX_ATTEMPTS", "1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", &nowhere)
            .env("AWS_SHARED_CREDENTIALS_FILE", &nowhere)
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_DEFAULT_REGION")
            .env("LAMC_TODAY", "2026-11-26")
            .env("NO_COLOR", "1")
            .timeout(Duration::from_secs(120));
        cmd
    }

    /// The Lambda functions on the server: (name, memory MB, environment variables).
    pub fn functions(&self) -> Vec<(String, u64, serde_json::Value)> {
        let body = self.get("/2015-03-31/functions/", "lambda");
        let json: serde_json::Value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("ListFunctions answered non-JSON ({e}): {body}"));
        json["Functions"]
            .as_array()
            .map(|fs| {
                fs.iter()
                    .map(|f| {
                        (
                            f["FunctionName"].as_str().unwrap_or("").to_string(),
                            f["MemorySize"].as_u64().unwrap_or(0),
                            f["Environment"]["Variables"].clone(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The parameters of a stack as CloudFormation's `DescribeStacks` reports them:
    /// (key, value), in the order given.
    pub fn stack_parameters(&self, stack: &str) -> Vec<(String, String)> {
        let body = self.get(
            &format!("/?Action=DescribeStacks&StackName={stack}&Version=2010-05-15"),
            "cloudformation",
        );
        let between = |text: &str, tag: &str| -> Option<String> {
            let start = text.find(&format!("<{tag}>"))? + tag.len() + 2;
            let end = text[start..].find(&format!("</{tag}>"))? + start;
            Some(text[start..end].to_string())
        };
        let Some(params) = between(&body, "Parameters") else {
            return Vec::new();
        };
        params
            .split("<member>")
            .filter_map(|m| Some((between(m, "ParameterKey")?, between(m, "ParameterValue")?)))
            .collect()
    }

    /// A plain GET on the server (moto does not check signatures; the Authorization header
    /// only tells it which service is meant).
    fn get(&self, path: &str, service: &str) -> String {
        let hostport = self
            .endpoint
            .trim_start_matches("http://")
            .trim_end_matches('/');
        let mut stream = TcpStream::connect(hostport).expect("connect to moto");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("read timeout");
        let request = format!(
            "GET {path} HTTP/1.0\r\nHost: {hostport}\r\nAuthorization: AWS4-HMAC-SHA256 \
             Credential=testing/20260101/us-east-1/{service}/aws4_request, \
             SignedHeaders=host, Signature=0\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        response
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_string())
            .unwrap_or(response)
    }
}

/// A temporary app folder: `app.lam` with `source`, plus `src/handler.py`.
pub fn app(source: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("src")).expect("src dir");
    std::fs::write(
        dir.path().join("src/handler.py"),
        "def handler(event, context):\n    return {\"ok\": True}\n",
    )
    .expect("handler");
    let file = dir.path().join("app.lam");
    std::fs::write(&file, source).expect("app.lam");
    (dir, file)
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}
