//! The Lambda runtime table (aws-limits.md §3.1) as data, and the rules that read it:
//! unknown runtime (RT-01), lifecycle by date (RT-02, RT-03) and arm64 support (AR-02).
//!
//! The table is public because editors use it for hover and completion. Dates move
//! (RT-04): re-sync this table, not the code, before each release.

use chrono::NaiveDate;

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::model::{Architecture, Model};
use crate::source::Span;

use super::util::string_replacement;
use super::RuleContext;

/// The language family of a runtime: decides the handler shape and inline-code support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Node,
    Python,
    Java,
    DotNet,
    Ruby,
    /// OS-only runtimes (`provided.*`) and the retired `go1.x`: the handler is free-form.
    Provided,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Node => "Node.js",
            Family::Python => "Python",
            Family::Java => "Java",
            Family::DotNet => ".NET",
            Family::Ruby => "Ruby",
            Family::Provided => "OS-only",
        }
    }

    /// Inline code (`Code.ZipFile`) is only accepted for Node.js and Python (FN-04, FN-16).
    pub fn supports_inline(self) -> bool {
        matches!(self, Family::Node | Family::Python)
    }
}

/// One row of the runtime table. Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuntimeInfo {
    pub id: &'static str,
    pub family: Family,
    /// When AWS stopped (or will stop) security patches.
    pub deprecated: &'static str,
    /// From this date CloudFormation can no longer create functions with it.
    pub block_create: Option<&'static str>,
    /// From this date functions using it can no longer be updated.
    pub block_update: Option<&'static str>,
    /// The newest runtime of the same family, suggested on deprecation.
    pub successor: Option<&'static str>,
    /// Whether the runtime was ever offered on arm64 (AR-02).
    pub arm64: bool,
    /// Whether the id is a valid `Runtime` value (RT-01). `dotnet9` is container-image only.
    pub zip_runtime: bool,
}

/// Where a runtime stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    Supported,
    /// Deprecated since the date, still creatable (RT-03).
    Deprecated(NaiveDate),
    /// Creation blocked since the date (RT-02).
    CreateBlocked(NaiveDate),
    /// Even updates blocked since the date (RT-02).
    UpdateBlocked(NaiveDate),
}

/// A `YYYY-MM-DD` date of the table. Read by hand: the rules ask for every function's
/// runtime dates, and a strftime pattern is parsed again on every call.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.splitn(3, '-');
    let mut next = |len: usize| {
        parts
            .next()
            .filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (y, m, d) = (next(4)?, next(2)?, next(2)?);
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

impl RuntimeInfo {
    pub fn deprecated_on(&self) -> Option<NaiveDate> {
        parse_date(self.deprecated)
    }

    pub fn create_blocked_on(&self) -> Option<NaiveDate> {
        self.block_create.and_then(parse_date)
    }

    pub fn update_blocked_on(&self) -> Option<NaiveDate> {
        self.block_update.and_then(parse_date)
    }

    pub fn lifecycle(&self, today: NaiveDate) -> Lifecycle {
        if let Some(d) = self.update_blocked_on().filter(|d| *d <= today) {
            return Lifecycle::UpdateBlocked(d);
        }
        if let Some(d) = self.create_blocked_on().filter(|d| *d <= today) {
            return Lifecycle::CreateBlocked(d);
        }
        match self.deprecated_on().filter(|d| *d <= today) {
            Some(d) => Lifecycle::Deprecated(d),
            None => Lifecycle::Supported,
        }
    }
}

macro_rules! rt {
    ($id:literal, $fam:ident, $dep:literal, $bc:expr, $bu:expr, $succ:expr, $arm:literal) => {
        RuntimeInfo {
            id: $id,
            family: Family::$fam,
            deprecated: $dep,
            block_create: $bc,
            block_update: $bu,
            successor: $succ,
            arm64: $arm,
            zip_runtime: true,
        }
    };
}

const N: Option<&str> = None;
const fn d(s: &'static str) -> Option<&'static str> {
    Some(s)
}

/// aws-limits.md §3.1 (cfn-lint lifecycle table synced 2026-06-02). arm64: AR-02 — AL1
/// runtimes and those retired before arm64 launched never had it (the list is partly
/// unconfirmed; all of them are create-blocked anyway).
static RUNTIMES: &[RuntimeInfo] = &[
    rt!(
        "nodejs24.x",
        Node,
        "2028-04-30",
        d("2028-06-01"),
        d("2028-07-01"),
        N,
        true
    ),
    rt!(
        "nodejs22.x",
        Node,
        "2027-04-30",
        d("2027-06-01"),
        d("2027-07-01"),
        d("nodejs24.x"),
        true
    ),
    rt!(
        "nodejs20.x",
        Node,
        "2026-04-30",
        d("2027-02-01"),
        d("2027-03-03"),
        d("nodejs24.x"),
        true
    ),
    rt!(
        "nodejs18.x",
        Node,
        "2025-09-01",
        d("2027-02-01"),
        d("2027-03-03"),
        d("nodejs24.x"),
        true
    ),
    rt!(
        "nodejs16.x",
        Node,
        "2024-06-12",
        d("2027-02-01"),
        d("2027-03-03"),
        d("nodejs24.x"),
        true
    ),
    rt!(
        "nodejs14.x",
        Node,
        "2023-12-04",
        d("2024-01-09"),
        d("2027-03-03"),
        d("nodejs24.x"),
        true
    ),
    rt!(
        "nodejs12.x",
        Node,
        "2023-03-31",
        d("2023-03-31"),
        d("2023-04-30"),
        d("nodejs24.x"),
        true
    ),
    rt!(
        "nodejs10.x",
        Node,
        "2021-07-30",
        d("2021-07-30"),
        d("2022-02-14"),
        d("nodejs24.x"),
        false
    ),
    rt!(
        "nodejs8.10",
        Node,
        "2020-03-06",
        d("2020-02-04"),
        d("2020-03-06"),
        d("nodejs24.x"),
        false
    ),
    rt!(
        "nodejs6.10",
        Node,
        "2019-08-12",
        d("2019-07-12"),
        d("2019-08-12"),
        d("nodejs24.x"),
        false
    ),
    rt!(
        "nodejs4.3",
        Node,
        "2020-03-05",
        d("2020-02-03"),
        d("2020-03-05"),
        d("nodejs24.x"),
        false
    ),
    rt!(
        "nodejs4.3-edge",
        Node,
        "2020-03-05",
        d("2019-03-31"),
        d("2019-04-30"),
        d("nodejs24.x"),
        false
    ),
    rt!(
        "nodejs",
        Node,
        "2016-08-30",
        d("2016-09-30"),
        d("2016-10-31"),
        d("nodejs24.x"),
        false
    ),
    rt!(
        "python3.14",
        Python,
        "2029-06-30",
        d("2029-07-31"),
        d("2029-08-31"),
        N,
        true
    ),
    rt!(
        "python3.13",
        Python,
        "2029-06-30",
        d("2029-07-31"),
        d("2029-08-31"),
        d("python3.14"),
        true
    ),
    rt!(
        "python3.12",
        Python,
        "2028-10-31",
        d("2028-11-30"),
        d("2029-01-10"),
        d("python3.14"),
        true
    ),
    rt!(
        "python3.11",
        Python,
        "2027-06-30",
        d("2027-07-31"),
        d("2027-08-31"),
        d("python3.14"),
        true
    ),
    rt!(
        "python3.10",
        Python,
        "2026-10-31",
        d("2027-02-01"),
        d("2027-03-03"),
        d("python3.14"),
        true
    ),
    rt!(
        "python3.9",
        Python,
        "2025-12-15",
        d("2027-02-01"),
        d("2027-03-03"),
        d("python3.14"),
        true
    ),
    rt!(
        "python3.8",
        Python,
        "2024-10-14",
        d("2027-02-01"),
        d("2027-03-03"),
        d("python3.14"),
        true
    ),
    rt!(
        "python3.7",
        Python,
        "2023-12-04",
        d("2024-01-09"),
        d("2027-03-03"),
        d("python3.14"),
        false
    ),
    rt!(
        "python3.6",
        Python,
        "2022-07-18",
        d("2022-07-18"),
        d("2022-08-29"),
        d("python3.14"),
        false
    ),
    rt!(
        "python2.7",
        Python,
        "2021-07-15",
        d("2021-07-15"),
        d("2022-05-30"),
        d("python3.14"),
        false
    ),
    rt!(
        "java25",
        Java,
        "2029-06-30",
        d("2029-07-31"),
        d("2029-08-31"),
        N,
        true
    ),
    rt!(
        "java21",
        Java,
        "2029-06-30",
        d("2029-07-31"),
        d("2029-08-31"),
        d("java25"),
        true
    ),
    rt!(
        "java17",
        Java,
        "2027-06-30",
        d("2027-07-31"),
        d("2027-08-31"),
        d("java25"),
        true
    ),
    rt!(
        "java11",
        Java,
        "2027-06-30",
        d("2027-07-31"),
        d("2027-08-31"),
        d("java25"),
        true
    ),
    rt!(
        "java8.al2",
        Java,
        "2027-06-30",
        d("2027-07-31"),
        d("2027-08-31"),
        d("java25"),
        true
    ),
    rt!(
        "java8",
        Java,
        "2024-01-08",
        d("2024-02-08"),
        d("2027-03-03"),
        d("java25"),
        false
    ),
    rt!(
        "dotnet10",
        DotNet,
        "2028-11-14",
        d("2028-12-14"),
        d("2029-01-15"),
        N,
        true
    ),
    // RT-01: container images only, not a `Runtime` value; kept so the editor can say so.
    RuntimeInfo {
        id: "dotnet9",
        family: Family::DotNet,
        deprecated: "2026-11-10",
        block_create: None,
        block_update: None,
        successor: Some("dotnet10"),
        arm64: true,
        zip_runtime: false,
    },
    rt!(
        "dotnet8",
        DotNet,
        "2026-11-10",
        d("2027-02-01"),
        d("2027-03-03"),
        d("dotnet10"),
        true
    ),
    rt!(
        "dotnet6",
        DotNet,
        "2024-12-20",
        d("2027-02-01"),
        d("2027-03-03"),
        d("dotnet10"),
        true
    ),
    rt!(
        "dotnetcore3.1",
        DotNet,
        "2023-04-03",
        d("2023-04-03"),
        d("2023-05-03"),
        d("dotnet10"),
        true
    ),
    rt!(
        "dotnetcore2.1",
        DotNet,
        "2022-01-05",
        d("2022-01-05"),
        d("2022-04-13"),
        d("dotnet10"),
        false
    ),
    rt!(
        "dotnetcore2.0",
        DotNet,
        "2019-05-30",
        d("2019-04-30"),
        d("2019-05-30"),
        d("dotnet10"),
        false
    ),
    rt!(
        "dotnetcore1.0",
        DotNet,
        "2019-06-27",
        d("2019-06-30"),
        d("2019-07-30"),
        d("dotnet10"),
        false
    ),
    rt!(
        "ruby4.0",
        Ruby,
        "2029-03-31",
        d("2029-04-30"),
        d("2029-05-31"),
        N,
        true
    ),
    rt!(
        "ruby3.4",
        Ruby,
        "2028-03-31",
        d("2028-04-30"),
        d("2028-05-31"),
        d("ruby4.0"),
        true
    ),
    rt!(
        "ruby3.3",
        Ruby,
        "2027-03-31",
        d("2027-04-30"),
        d("2027-05-31"),
        d("ruby4.0"),
        true
    ),
    rt!(
        "ruby3.2",
        Ruby,
        "2026-03-31",
        d("2027-02-01"),
        d("2027-03-03"),
        d("ruby4.0"),
        true
    ),
    rt!(
        "ruby2.7",
        Ruby,
        "2023-12-07",
        d("2024-01-09"),
        d("2027-03-03"),
        d("ruby4.0"),
        true
    ),
    rt!(
        "ruby2.5",
        Ruby,
        "2021-07-30",
        d("2021-07-30"),
        d("2022-03-31"),
        d("ruby4.0"),
        false
    ),
    rt!(
        "provided.al2023",
        Provided,
        "2029-06-30",
        d("2029-07-31"),
        d("2029-08-31"),
        N,
        true
    ),
    rt!(
        "provided.al2",
        Provided,
        "2026-07-31",
        d("2027-02-01"),
        d("2027-03-03"),
        d("provided.al2023"),
        true
    ),
    rt!(
        "provided",
        Provided,
        "2024-01-08",
        d("2024-02-08"),
        d("2027-03-03"),
        d("provided.al2023"),
        false
    ),
    rt!(
        "go1.x",
        Provided,
        "2024-01-08",
        d("2024-02-08"),
        d("2027-03-03"),
        d("provided.al2023"),
        false
    ),
];

/// Every row of the table, newest first within each family.
pub fn all() -> &'static [RuntimeInfo] {
    RUNTIMES
}

/// The row for a runtime id as written (`python3.12`), including `dotnet9`.
pub fn lookup(id: &str) -> Option<&'static RuntimeInfo> {
    RUNTIMES.iter().find(|r| r.id == id)
}

/// The ids accepted as `runtime` (RT-01).
pub fn valid_ids() -> impl Iterator<Item = &'static str> {
    RUNTIMES.iter().filter(|r| r.zip_runtime).map(|r| r.id)
}

pub(crate) fn check(model: &Model, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for rt in layer_runtimes(model) {
        out.extend(unknown(rt, ctx).err().map(|d| *d));
    }
    // Functions that inherit their runtime from `defaults` or a template share one written
    // runtime (one span): it is judged, and its lifecycle reported, once. An unknown one
    // asks `did_you_mean` over the whole table, which 10,000 functions made 2 s of work.
    let mut judged: crate::plan::FastMap<Span, Option<&'static RuntimeInfo>> =
        crate::plan::FastMap::default();
    for f in &model.functions {
        let Some(rt) = &f.runtime else { continue };
        let info = match judged.get(&rt.span) {
            Some(known) => *known,
            None => {
                let info = match unknown(rt, ctx) {
                    Ok(info) => {
                        lifecycle(info, rt, ctx, out);
                        Some(info)
                    }
                    Err(d) => {
                        out.push(*d);
                        None
                    }
                };
                judged.insert(rt.span, info);
                info
            }
        };
        let Some(info) = info else { continue };
        // AR-02
        if let Some(arch) = &f.architecture {
            if arch.value == Architecture::Arm64 && !info.arm64 {
                out.push(
                    Diagnostic::new(
                        Code::E0419,
                        arch.span,
                        format!("runtime {} does not run on arm64", info.id),
                    )
                    .label("arm64 requested here")
                    .secondary(rt.span, "this runtime is x86_64 only")
                    .help(match info.successor {
                        Some(s) => format!(
                            "use architecture = x86_64, or move to {s}, which supports arm64"
                        ),
                        None => "use architecture = x86_64".to_string(),
                    }),
                );
            }
        }
    }
}

fn lifecycle(
    info: &RuntimeInfo,
    rt: &crate::model::S<String>,
    ctx: &RuleContext,
    out: &mut Vec<Diagnostic>,
) {
    let successor_help = |verb: &str| match info.successor {
        Some(s) => format!("{verb} {s}"),
        None => format!("{verb} a newer {} runtime", info.family.as_str()),
    };
    let with_fix = |d: Diagnostic| match info.successor {
        Some(s) => d.fix(
            format!("use {s}"),
            rt.span,
            string_replacement(ctx, rt.span, s),
        ),
        None => d,
    };
    match info.lifecycle(ctx.today) {
        Lifecycle::Supported => {}
        // RT-03
        Lifecycle::Deprecated(since) => {
            let blocked = info.block_create.unwrap_or("a date not yet announced");
            out.push(with_fix(
                Diagnostic::new(
                    Code::W0501,
                    rt.span,
                    format!("runtime {} is deprecated since {since}", info.id),
                )
                .label(format!("new functions are blocked from {blocked}"))
                .help(successor_help("upgrade to")),
            ));
        }
        // RT-02
        Lifecycle::CreateBlocked(since) | Lifecycle::UpdateBlocked(since) => {
            out.push(with_fix(
                Diagnostic::new(
                    Code::E0412,
                    rt.span,
                    format!("runtime {} can no longer be used", info.id),
                )
                .label(format!("Lambda blocks it since {since}"))
                .help(successor_help("use")),
            ));
        }
    }
}

/// The runtimes declared layers name (RT-05: the same values as a function's `Runtime`).
fn layer_runtimes(model: &Model) -> impl Iterator<Item = &crate::model::S<String>> {
    model.resources.iter().flat_map(|r| match &r.origin {
        crate::model::Origin::Created(crate::model::Spec::Layer(l)) => l.runtimes.as_slice(),
        _ => &[],
    })
}

/// The runtime's row, or why it is not a runtime a zip function can use (RT-01).
fn unknown(
    rt: &crate::model::S<String>,
    ctx: &RuleContext,
) -> Result<&'static RuntimeInfo, Box<Diagnostic>> {
    let Some(info) = lookup(&rt.value) else {
        // RT-01
        let mut d = Diagnostic::new(
            Code::E0302,
            rt.span,
            format!("unknown runtime `{}`", rt.value),
        )
        .label("not a Lambda runtime");
        match did_you_mean(&rt.value, valid_ids()) {
            Some(near) => {
                d = d.help(format!("did you mean `{near}`?")).fix(
                    format!("use {near}"),
                    rt.span,
                    string_replacement(ctx, rt.span, near),
                );
            }
            None => {
                d = d.help("use a current runtime such as python3.13, nodejs22.x, java21 or provided.al2023");
            }
        }
        return Err(Box::new(d));
    };
    if !info.zip_runtime {
        // RT-01: dotnet9 exists only as a container base image.
        let succ = info.successor.unwrap_or("dotnet10");
        return Err(Box::new(
            Diagnostic::new(
                Code::E0302,
                rt.span,
                format!("`{}` is not a Lambda runtime id", info.id),
            )
            .label("only available as a container image base")
            .help(format!(
                "use `{succ}`, or package the function as an image with code = image(\"…\")"
            ))
            .fix(
                format!("use {succ}"),
                rt.span,
                string_replacement(ctx, rt.span, succ),
            ),
        ));
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    #[test]
    fn table_dates_read_as_chrono_reads_them() {
        let chrono = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        for r in all() {
            for date in [Some(r.deprecated), r.block_create, r.block_update]
                .into_iter()
                .flatten()
            {
                assert_eq!(parse_date(date), chrono(date), "{}: {date}", r.id);
            }
        }
    }

    #[test]
    fn table_dates_parse_and_successors_exist() {
        for r in all() {
            assert!(r.deprecated_on().is_some(), "{}", r.id);
            if r.zip_runtime {
                assert!(r.create_blocked_on().is_some(), "{}", r.id);
                assert!(r.update_blocked_on().is_some(), "{}", r.id);
            }
            if let Some(s) = r.successor {
                let succ = lookup(s).expect("successor in table");
                assert_eq!(succ.family, r.family, "{}", r.id);
                assert!(
                    succ.successor.is_none(),
                    "{} successor is not the newest",
                    r.id
                );
            }
        }
        // RT-01: 46 Runtime enum values.
        assert_eq!(valid_ids().count(), 46);
    }

    fn with_runtime(kit: &mut Kit, id: &str) -> Model {
        let mut f = kit.function("f");
        f.runtime = Some(kit.s(id, id.to_string()));
        model(vec![f])
    }

    #[test]
    fn unknown_runtime_suggests_the_nearest() {
        let mut kit = Kit::new();
        let m = with_runtime(&mut kit, "python3.21");
        let d = one(&kit.run(&m), Code::E0302);
        assert_eq!(
            Some(&d.primary.span),
            m.functions[0].runtime.as_ref().map(|r| &r.span)
        );
        assert_eq!(d.fixes.len(), 1);
        assert!(d.fixes[0].replacement.starts_with("python3."));
    }

    #[test]
    fn dotnet9_is_not_a_runtime() {
        let mut kit = Kit::new();
        let m = with_runtime(&mut kit, "dotnet9");
        let d = one(&kit.run(&m), Code::E0302);
        assert_eq!(d.fixes[0].replacement, "dotnet10");
    }

    #[test]
    fn create_blocked_runtime_is_an_error_with_successor() {
        let mut kit = Kit::new();
        let m = with_runtime(&mut kit, "python3.7");
        let d = one(&kit.run(&m), Code::E0412);
        assert_eq!(d.fixes[0].replacement, "python3.14");
        assert!(d.help.as_deref().is_some_and(|h| h.contains("python3.14")));
    }

    #[test]
    fn deprecated_runtime_warns_until_the_block_date() {
        let mut kit = Kit::new();
        let m = with_runtime(&mut kit, "python3.10");
        let diags = kit.run_at(&m, date(2027, 1, 31));
        one(&diags, Code::W0501);
        none(&diags, Code::E0412);
        // Block date itself: now an error.
        let diags = kit.run_at(&m, date(2027, 2, 1));
        one(&diags, Code::E0412);
        none(&diags, Code::W0501);
        // The day before deprecation: nothing.
        let diags = kit.run_at(&m, date(2026, 10, 30));
        none(&diags, Code::W0501);
    }

    #[test]
    fn arm64_on_al1_runtime() {
        let mut kit = Kit::new();
        let mut m = with_runtime(&mut kit, "go1.x");
        m.functions[0].handler = Some(kit.str("bootstrap"));
        let arch = kit.s("arm64", Architecture::Arm64);
        m.functions[0].architecture = Some(arch.clone());
        let d = one(&kit.run(&m), Code::E0419);
        assert_eq!(d.primary.span, arch.span);
        assert_eq!(d.secondary.len(), 1);

        let mut kit = Kit::new();
        let mut m = with_runtime(&mut kit, "python3.12");
        m.functions[0].architecture = Some(kit.s("arm64", Architecture::Arm64));
        none(&kit.run(&m), Code::E0419);
    }
}
