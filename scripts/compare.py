#!/usr/bin/env python3
"""lamc against cfn-lint and the SAM translator, on the same synthetic apps, on this machine.

    python3 scripts/compare.py                     # N = 50, 400, 1000 functions
    python3 scripts/compare.py --sizes 100,1000 --runs 10 --slow-runs 3

For each N it writes, under bench-results/N/:
  app.lam        examples/synth.rs for N functions (`--full`)
  lamc.json      lamc's CloudFormation template for that app (see "one stack" below)
  sam.json       the equivalent SAM template (AWS::Serverless::Function with SQS, SNS,
                 HttpApi and Schedule events, the same queues, topic, table, log groups
                 and alarms), written by this script
then times, with hyperfine (--export-json, medians):
  lamc check app.lam                  the whole checker, and the planner (writing nothing)
  lamc build app.lam -o out.json      check, plan and emit
  cfn-lint lamc.json                  cfn-lint on lamc's output
  sam_translate.py sam.json           aws-sam-translator's transform, whole process
and prints a table of medians and ratios, plus the machine, tool versions and peak memory
of `lamc build` (GNU time). The table also goes to bench-results/summary.md.

One stack: CloudFormation allows 500 resources per stack, about 70 synthetic functions.
A lamc that splits larger apps into nested stacks writes the children into the artifacts
folder; cfn-lint then lints the root and every child in one run. With a lamc that cannot
(it stops with E0413 after checking and planning everything), lamc.json for cfn-lint is
assembled from lamc's template of a 50-function app, repeated with its logical IDs (and
every reference to them) prefixed, and `lamc build`'s time covers all the work but the
final serialization. The last column of the table says which was done.

Python tools are installed into .venv-bench (pinned versions) on first use. Needs cargo,
hyperfine and python3 (with venv).
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-bench"
CFN_LINT_VERSION = "1.58.0"
SAM_TRANSLATOR_SPEC = "aws-sam-translator==1.115.*"
PIECE = 50  # functions per piece when assembling a template over one stack's limit
ENV = dict(os.environ, AWS_DEFAULT_REGION=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, env=ENV, **kw)


def ensure_venv():
    py = VENV / "bin" / "python"
    if not py.exists():
        print(f"creating {VENV.relative_to(ROOT)}", file=sys.stderr)
        run([sys.executable, "-m", "venv", str(VENV)])
    have = subprocess.run(
        [str(py), "-c", "import cfnlint.version, samtranslator; "
         "print(cfnlint.version.__version__, samtranslator.__version__)"],
        capture_output=True, text=True, env=ENV,
    )
    versions = have.stdout.split()
    if have.returncode != 0 or versions[0] != CFN_LINT_VERSION or not versions[1].startswith("1.115."):
        print("installing cfn-lint and aws-sam-translator into .venv-bench", file=sys.stderr)
        run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--no-input", f"cfn-lint=={CFN_LINT_VERSION}", SAM_TRANSLATOR_SPEC],
            stdin=subprocess.DEVNULL)
    return py


def build_lamc():
    run(["cargo", "build", "--quiet", "--release", "--no-default-features",
         "--bin", "lamc", "--example", "synth"], cwd=ROOT)
    release = ROOT / "target" / "release"
    return release / "lamc", release / "examples" / "synth"


# ---- SAM template equivalent to examples/synth.rs ------------------------------------------

def getatt(res, attr):
    return {"Fn::GetAtt": [res, attr]}


def alarm(namespace, metric, dims, stat, op, threshold, periods=1, extended=None):
    props = {
        "Namespace": namespace,
        "MetricName": metric,
        "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
        "Period": 300,
        "EvaluationPeriods": periods,
        "DatapointsToAlarm": periods,
        "Threshold": threshold,
        "ComparisonOperator": op,
        "TreatMissingData": "missing",
        "AlarmActions": [{"Ref": "OncallTopic"}],
    }
    if extended:
        props["ExtendedStatistic"] = extended
    else:
        props["Statistic"] = stat
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": props}


def sam_template(n):
    """The SAM template of the app examples/synth.rs writes for n functions."""
    r = {
        "OncallTopic": {"Type": "AWS::SNS::Topic", "Properties": {
            "Subscription": [{"Endpoint": "oncall@example.com", "Protocol": "email"}]}},
        "EventsTopic": {"Type": "AWS::SNS::Topic"},
        "DeadLettersQueue": {"Type": "AWS::SQS::Queue",
                             "Properties": {"MessageRetentionPeriod": 1209600}},
        "LedgerTable": {"Type": "AWS::Serverless::SimpleTable",
                        "Properties": {"PrimaryKey": {"Name": "id", "Type": "String"}}},
        "DeadLettersQueueVisibleAlarm": alarm(
            "AWS/SQS", "ApproximateNumberOfMessagesVisible",
            {"QueueName": getatt("DeadLettersQueue", "QueueName")},
            "Maximum", "GreaterThanThreshold", 0),
    }
    for i in range(n):
        queue, fn, logs = f"Jobs{i}Queue", f"Worker{i}", f"Worker{i}LogGroup"
        r[queue] = {"Type": "AWS::SQS::Queue", "Properties": {
            "VisibilityTimeout": 120,
            "RedrivePolicy": {"deadLetterTargetArn": getatt("DeadLettersQueue", "Arn"),
                              "maxReceiveCount": 5}}}
        r[logs] = {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 14}}
        events = {"Jobs": {"Type": "SQS", "Properties": {
            "Queue": getatt(queue, "Arn"), "BatchSize": 10,
            "FunctionResponseTypes": ["ReportBatchItemFailures"]}}}
        policies = [{"Statement": [{"Effect": "Allow",
                                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                    "Resource": getatt(logs, "Arn")}]}]
        if i % 5 == 0:
            events["Events"] = {"Type": "SNS", "Properties": {
                "Topic": {"Ref": "EventsTopic"}, "FilterPolicy": {"shard": [str(i % 7)]}}}
            policies.append({"DynamoDBWritePolicy": {"TableName": {"Ref": "LedgerTable"}}})
        if i % 10 == 0:
            events["Http"] = {"Type": "HttpApi",
                              "Properties": {"Path": f"/workers/{i}", "Method": "GET"}}
            events["Schedule"] = {"Type": "Schedule",
                                  "Properties": {"Schedule": f"rate({5 + i % 55} minutes)"}}
            r[f"Worker{i}DurationAlarm"] = alarm(
                "AWS/Lambda", "Duration", {"FunctionName": {"Ref": fn}}, None,
                "GreaterThanThreshold", 2000, periods=3, extended="p99")
        r[fn] = {"Type": "AWS::Serverless::Function", "Properties": {
            "Handler": "index.handler",
            "InlineCode": "def handler(event, context):\n    return {}\n",
            "Environment": {"Variables": {"INDEX": str(i), "QUEUE_URL": {"Ref": queue}}},
            "LoggingConfig": {"LogGroup": {"Ref": logs}},
            "Events": events,
            "Policies": policies,
        }}
        r[f"Worker{i}ErrorsAlarm"] = alarm(
            "AWS/Lambda", "Errors", {"FunctionName": {"Ref": fn}}, "Sum",
            "GreaterThanOrEqualToThreshold", 5)
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Description": "Synthetic app for benchmarks",
        "Globals": {"Function": {"Runtime": "python3.12", "Architectures": ["arm64"],
                                 "MemorySize": 256, "Timeout": 10,
                                 "Tags": {"team": "bench"}}},
        "Resources": r,
    }


# ---- lamc's template, assembled from pieces when it exceeds one stack -----------------------

SUB_REF = re.compile(r"\$\{([A-Za-z0-9]+)([.}])")


def prefixed(node, ids, prefix):
    """`node` with every reference to a logical ID in `ids` prefixed."""
    if isinstance(node, list):
        return [prefixed(x, ids, prefix) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for k, v in node.items():
        if k == "Ref" and isinstance(v, str) and v in ids:
            out[k] = prefix + v
        elif k == "Fn::GetAtt" and isinstance(v, list) and v and v[0] in ids:
            out[k] = [prefix + v[0]] + prefixed(v[1:], ids, prefix)
        elif k == "Fn::Sub":
            def sub(text):
                return SUB_REF.sub(
                    lambda m: "${" + (prefix if m.group(1) in ids else "") + m.group(1) + m.group(2),
                    text)
            out[k] = sub(v) if isinstance(v, str) else [sub(v[0])] + prefixed(v[1:], ids, prefix)
        elif k == "DependsOn":
            deps = [v] if isinstance(v, str) else v
            out[k] = [prefix + d if d in ids else d for d in deps]
        else:
            out[k] = prefixed(v, ids, prefix)
    return out


def assembled_template(piece, n):
    ids = set(piece["Resources"])
    resources = {}
    for copy in range((n + PIECE - 1) // PIECE):
        prefix = f"P{copy}"
        for rid, res in piece["Resources"].items():
            resources[prefix + rid] = prefixed(res, ids, prefix)
    out = {k: v for k, v in piece.items() if k not in ("Resources", "Outputs")}
    out["Resources"] = resources
    return out


def lamc_template(lamc, synth, n, workdir):
    """lamc's template for n functions, and how it was obtained."""
    app = workdir / "app.lam"
    out = workdir / "lamc.json"
    shutil.rmtree(workdir / "artifacts", ignore_errors=True)
    built = subprocess.run([str(lamc), "build", str(app), "-o", str(out),
                            "--artifacts-dir", str(workdir / "artifacts")],
                           capture_output=True, text=True, env=ENV)
    if built.returncode == 0:
        children = sorted((workdir / "artifacts").glob("NestedStack*.json"))
        # A fresh artifacts folder per run, so that only this build's children are linted.
        if children:
            return f"lamc build: root + {len(children)} nested stacks", [out, *children]
        return "lamc build", [out]
    if "E0413" not in built.stderr:
        sys.exit(f"lamc build failed for N={n}:\n{built.stderr}")
    piece_dir = workdir / "piece"
    piece_dir.mkdir(exist_ok=True)
    (piece_dir / "app.lam").write_text(run([str(synth), str(PIECE), "--full"], capture_output=True).stdout)
    run([str(lamc), "build", str(piece_dir / "app.lam"), "-o", str(piece_dir / "lamc.json"),
         "--artifacts-dir", str(piece_dir / "artifacts")], capture_output=True)
    piece = json.loads((piece_dir / "lamc.json").read_text())
    out.write_text(json.dumps(assembled_template(piece, n), indent=1))
    return f"{(n + PIECE - 1) // PIECE} × {PIECE}-function template", [out]


# ---- timing ---------------------------------------------------------------------------------

def hyperfine(name, cmd, runs, workdir, warmup=1):
    export = workdir / f"{name}.json"
    run(["hyperfine", "--shell=none", "--ignore-failure", "--warmup", str(warmup), "--runs", str(runs),
         "--style", "none", "--export-json", str(export), "--command-name", name,
         " ".join(cmd)], cwd=workdir, stdout=subprocess.DEVNULL)
    result = json.loads(export.read_text())["results"][0]
    return statistics.median(result["times"])


def peak_memory_kb(cmd):
    if not Path("/usr/bin/time").exists():
        return None
    p = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=ENV)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return int(m.group(1)) if m else None


def fmt_s(seconds):
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


# ---- machine --------------------------------------------------------------------------------

def machine(py, lamc):
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    osname = platform.platform()
    try:
        pretty = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text())
        osname = f"{pretty.group(1)}, kernel {platform.release()}"
    except (OSError, AttributeError):
        pass

    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, env=ENV).stdout.strip()
        except OSError:
            return "?"
    tools = out([str(py), "-c", "import cfnlint.version, samtranslator, sys; "
                 "print(cfnlint.version.__version__, samtranslator.__version__, sys.version.split()[0])"]).split()
    return [
        ("CPU", f"{os.cpu_count()} × {cpu}"),
        ("Memory", mem),
        ("OS", osname),
        ("Load average at start", " ".join(f"{x:.2f}" for x in os.getloadavg())),
        ("lamc", out([str(lamc), "--version"])),
        ("rustc", out(["rustc", "--version"])),
        ("cfn-lint", tools[0] if tools else "?"),
        ("aws-sam-translator", tools[1] if len(tools) > 1 else "?"),
        ("Python (tools)", tools[2] if len(tools) > 2 else "?"),
        ("hyperfine", out(["hyperfine", "--version"])),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="50,400,1000", help="numbers of functions (comma-separated)")
    ap.add_argument("--runs", type=int, default=10, help="hyperfine runs of lamc")
    ap.add_argument("--slow-runs", type=int, default=3, help="hyperfine runs of cfn-lint and SAM")
    ap.add_argument("--out", default=str(ROOT / "bench-results"), help="where results go")
    args = ap.parse_args()
    for tool in ("cargo", "hyperfine"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed (e.g. apt-get install hyperfine)")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results = Path(args.out)
    results.mkdir(parents=True, exist_ok=True)

    py = ensure_venv()
    lamc, synth = build_lamc()
    cfn_lint = VENV / "bin" / "cfn-lint"
    translate = ROOT / "scripts" / "sam_translate.py"
    info = machine(py, lamc)

    rows = []
    for n in sizes:
        print(f"N = {n}", file=sys.stderr)
        wd = results / str(n)
        wd.mkdir(parents=True, exist_ok=True)
        (wd / "app.lam").write_text(run([str(synth), str(n), "--full"], capture_output=True).stdout)
        (wd / "sam.json").write_text(json.dumps(sam_template(n), indent=1))
        source, linted = lamc_template(lamc, synth, n, wd)
        lamc_resources = sum(
            len(json.loads(f.read_text())["Resources"]) for f in linted
        ) - (len(linted) - 1)  # the root's AWS::CloudFormation::Stack resources
        sam_out = run([str(py), str(translate), "sam.json", "--time"], cwd=wd, capture_output=True)
        sam_resources = len(json.loads(sam_out.stdout)["Resources"])
        sam_inproc = float(sam_out.stderr.strip().splitlines()[-1])

        check_t = hyperfine("lamc-check", [str(lamc), "check", "app.lam"], args.runs, wd)
        build_t = hyperfine("lamc-build", [str(lamc), "build", "app.lam", "-o", "out.json",
                                           "--artifacts-dir", "build-artifacts"], args.runs, wd)
        lint_t = hyperfine("cfn-lint", [str(cfn_lint), *(str(f.relative_to(wd)) for f in linted)],
                           args.slow_runs, wd, warmup=0)
        sam_t = hyperfine("sam-translate", [str(py), str(translate), "sam.json"], args.slow_runs, wd,
                          warmup=0)
        peak = peak_memory_kb([str(lamc), "build", str(wd / "app.lam"), "-o", str(wd / "out.json"),
                               "--artifacts-dir", str(wd / "build-artifacts")])
        rows.append(dict(n=n, source=source, lamc_resources=lamc_resources,
                         sam_resources=sam_resources, check=check_t, build=build_t,
                         lint=lint_t, sam=sam_t, sam_inproc=sam_inproc, peak_kb=peak))

    lines = ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in info]
    lines += ["", f"Load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", ""]
    lines += [
        "| functions | lamc check | lamc build | lamc build peak RSS | cfn-lint on lamc's template | "
        "cfn-lint ÷ lamc check | SAM translate (process) | SAM ÷ lamc build | SAM transform alone | "
        "resources (lamc / SAM out) | template linted |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        peak = f"{r['peak_kb'] / 1024:.0f} MB" if r["peak_kb"] else "?"
        lines.append(
            f"| {r['n']} | {fmt_s(r['check'])} | {fmt_s(r['build'])} | {peak} | {fmt_s(r['lint'])} | "
            f"{r['lint'] / r['check']:.0f}× | {fmt_s(r['sam'])} | {r['sam'] / r['build']:.0f}× | "
            f"{fmt_s(r['sam_inproc'])} | {r['lamc_resources']} / {r['sam_resources']} | {r['source']} |")
    text = "\n".join(lines) + "\n"
    (results / "summary.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
