//! Alarms: the named block (`alarm NAME { … }`), the options block after an alarm
//! expression, and the words alarms take.

use crate::model::{Kind, MissingData, Stat};
use crate::syntax::ast::CmpOp;

use super::types::{words, Attr, Block, Ty};

words! {
    /// How missing data counts.
    MISSING_DATA, MISSING_DATA_VALUES: MissingData {
        "breaching" => MissingData::Breaching, "breaching";
        "not_breaching" => MissingData::NotBreaching, "notBreaching";
        "ignore" => MissingData::Ignore, "ignore";
        "missing" => MissingData::Missing, "missing";
    }
}
words! {
    /// The comparison of a named alarm's `op`.
    COMPARISON, COMPARISONS: CmpOp {
        ">" => CmpOp::Gt, "GreaterThanThreshold";
        ">=" => CmpOp::Ge, "GreaterThanOrEqualToThreshold";
        "<" => CmpOp::Lt, "LessThanThreshold";
        "<=" => CmpOp::Le, "LessThanOrEqualToThreshold";
    }
}
words! {
    /// Statistics after `METRIC.`, besides percentiles (`p99`, `p99.9`).
    STATISTIC, STATISTICS: Stat {
        "sum" => Stat::Sum, "Sum";
        "avg" => Stat::Avg, "Average";
        "min" => Stat::Min, "Minimum";
        "max" => Stat::Max, "Maximum";
        "sample_count" => Stat::SampleCount, "SampleCount";
    }
}

/// Percentiles offered in completion and "did you mean" after the named statistics.
pub const STAT_SUGGESTIONS: &[&str] = &["p50", "p90", "p95", "p99", "p99.9"];

const MISSING: Attr = Attr::new(
    "missing",
    Ty::Word(&MISSING_DATA),
    "how missing data counts",
)
.default("missing");
const DESCRIPTION: Attr = Attr::new("description", Ty::Str, "a description");

/// `alarm NAME { … }`.
pub const ALARM: Block = Block {
    id: "alarm",
    owner: "an alarm",
    attrs: &[
        Attr::new(
            "metric",
            Ty::Other("metric path"),
            "what to watch, e.g. `function.api.errors`",
        )
        .required(),
        Attr::new("op", Ty::Word(&COMPARISON), "the comparison").required(),
        Attr::new(
            "threshold",
            Ty::Other("number | quantity"),
            "the value compared against",
        )
        .required(),
        Attr::new("over", Ty::Duration, "the period of each datapoint")
            .rule("10s, 20s, 30s or a multiple of 60s (CW)")
            .default("1m"),
        Attr::new("datapoints", Ty::Count, "datapoints that must breach").default("1"),
        Attr::new("evaluations", Ty::Count, "datapoints looked at").default("1"),
        Attr::new("notify", Ty::Refs, "topics told when the alarm fires").refs(&[Kind::Topic]),
        MISSING,
        DESCRIPTION,
    ],
};

/// The block after an alarm expression: `alarm errors > 1 { missing = ignore }`.
pub const ALARM_EXPR: Block = Block {
    id: "alarm.expr",
    owner: "an alarm",
    attrs: &[MISSING, DESCRIPTION],
};
