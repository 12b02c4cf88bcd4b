//! Lambda's list prices by region, the one table `lamc cost` and the language server's
//! cost lens read (PRICE-01 in docs/aws-facts.md). Prices change: the table carries the
//! date it was read and where, and every view that uses it says so.

use crate::model::Architecture;

/// When the prices below were read.
pub const TABLE_DATE: &str = "2026-12-02";

/// Where they were read: the pricing page (free tier, billing rules, the us-east-1 arm64
/// provisioned-concurrency rates of its examples) and the AWS Pricing Calculator's metered
/// unit map for Lambda (the per-region rates).
pub const SOURCES: &[&str] = &[
    "https://aws.amazon.com/lambda/pricing/",
    "https://calculator.aws/pricing/2.0/meteredUnitMaps/lambda/USD/current/lambda.json",
];

/// A month, as AWS's calculator counts it: 730 hours (365 × 24 / 12).
pub const SECONDS_PER_MONTH: f64 = 730.0 * 3600.0;

/// The free tier per account and month (both architectures together). It does not apply
/// to functions with provisioned concurrency.
pub const FREE_REQUESTS: u64 = 1_000_000;
pub const FREE_GB_SECONDS: u64 = 400_000;

/// The region `lamc cost` prices in when none is given.
pub const DEFAULT_REGION: &str = "us-east-1";

/// USD rates for one architecture in one region. GB-second rates are per GB of configured
/// memory (1 GB = 1,024 MB) and second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    /// On-demand duration (the first tier, up to 6 billion GB-seconds a month).
    pub duration: f64,
    /// Provisioned concurrency kept ready, per configured GB-second, used or not; `None`
    /// when the table has no rate for this architecture in this region.
    pub provisioned: Option<f64>,
    /// Duration of invocations served by provisioned concurrency.
    pub provisioned_duration: Option<f64>,
}

/// One region's prices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    pub name: &'static str,
    /// Per request (the same for both architectures).
    pub request: f64,
    pub x86_64: Rates,
    pub arm64: Rates,
}

impl Region {
    pub fn rates(&self, arch: Architecture) -> Rates {
        match arch {
            Architecture::X86_64 => self.x86_64,
            Architecture::Arm64 => self.arm64,
        }
    }
}

/// The region called `name`, or the names the table has.
pub fn region(name: &str) -> Result<&'static Region, String> {
    REGIONS.iter().find(|r| r.name == name).ok_or_else(|| {
        let known: Vec<&str> = REGIONS.iter().map(|r| r.name).collect();
        format!(
            "lamc's price table (of {TABLE_DATE}) has no prices for `{name}`; it has {}",
            known.join(", ")
        )
    })
}

/// A region whose provisioned rates are known for x86_64 only.
const fn x86_only(
    name: &'static str,
    request_per_million: f64,
    duration: [f64; 2],
    provisioned: f64,
    provisioned_duration: f64,
) -> Region {
    Region {
        name,
        request: request_per_million / 1_000_000.0,
        x86_64: Rates {
            duration: duration[0],
            provisioned: Some(provisioned),
            provisioned_duration: Some(provisioned_duration),
        },
        arm64: Rates {
            duration: duration[1],
            provisioned: None,
            provisioned_duration: None,
        },
    }
}

/// The standard on-demand duration rates (x86_64, arm64) most regions share.
const STD: [f64; 2] = [0.000_016_666_7, 0.000_013_333_4];

/// Sorted by name. Per-region rates from the calculator's unit map; the arm64
/// provisioned rates are known for us-east-1 only (the pricing page's examples).
pub const REGIONS: &[Region] = &[
    x86_only(
        "af-south-1",
        0.27,
        [0.000_022_1, 0.000_017_68],
        0.000_005_53,
        0.000_012_9,
    ),
    x86_only(
        "ap-east-1",
        0.28,
        [0.000_022_92, 0.000_018_3],
        0.000_005_715_3,
        0.000_013_335_8,
    ),
    x86_only(
        "ap-northeast-1",
        0.20,
        STD,
        0.000_005_383_5,
        0.000_012_561_5,
    ),
    x86_only(
        "ap-northeast-2",
        0.20,
        STD,
        0.000_005_125_4,
        0.000_011_959_2,
    ),
    x86_only(
        "ap-northeast-3",
        0.20,
        STD,
        0.000_005_383_5,
        0.000_012_561_5,
    ),
    x86_only("ap-south-1", 0.20, STD, 0.000_004_498_5, 0.000_010_496_6),
    x86_only(
        "ap-southeast-1",
        0.20,
        STD,
        0.000_005_199_1,
        0.000_012_131_3,
    ),
    x86_only("ap-southeast-2", 0.20, STD, 0.000_005_236, 0.000_012_217_3),
    x86_only("ap-southeast-4", 0.20, STD, 0.000_005_236, 0.000_012_217_3),
    x86_only(
        "ap-southeast-5",
        0.18,
        [0.000_015, 0.000_012],
        0.000_004_679_1,
        0.000_010_918_1,
    ),
    x86_only("ca-central-1", 0.20, STD, 0.000_004_646, 0.000_010_840_7),
    x86_only("eu-central-1", 0.20, STD, 0.000_005_014_7, 0.000_011_701_1),
    x86_only(
        "eu-central-2",
        0.22,
        [0.000_018_333_4, 0.000_014_666_7],
        0.000_005_516_2,
        0.000_012_871_2,
    ),
    x86_only("eu-north-1", 0.20, STD, 0.000_004_424_8, 0.000_010_324_5),
    x86_only(
        "eu-south-1",
        0.23,
        [0.000_019_517_2, 0.000_015_613_8],
        0.000_004_878_3,
        0.000_011_382_7,
    ),
    x86_only("eu-west-1", 0.20, STD, 0.000_004_646, 0.000_010_840_7),
    x86_only("eu-west-2", 0.20, STD, 0.000_004_830_4, 0.000_011_270_9),
    x86_only("eu-west-3", 0.20, STD, 0.000_004_867_3, 0.000_011_356_9),
    x86_only(
        "me-south-1",
        0.25,
        [0.000_020_666_7, 0.000_016_533_4],
        0.000_005_110_8,
        0.000_011_925_1,
    ),
    x86_only("sa-east-1", 0.20, STD, 0.000_006_637_2, 0.000_015_486_7),
    Region {
        name: "us-east-1",
        request: 0.20 / 1_000_000.0,
        x86_64: Rates {
            duration: STD[0],
            provisioned: Some(0.000_004_166_7),
            provisioned_duration: Some(0.000_009_722_2),
        },
        arm64: Rates {
            duration: STD[1],
            provisioned: Some(0.000_003_333_4),
            provisioned_duration: Some(0.000_007_777_8),
        },
    },
    x86_only("us-east-2", 0.20, STD, 0.000_004_166_7, 0.000_009_722_2),
    x86_only("us-west-1", 0.20, STD, 0.000_004_904_1, 0.000_011_443),
    x86_only("us-west-2", 0.20, STD, 0.000_004_166_7, 0.000_009_722_2),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_sorted_and_unique() {
        assert!(REGIONS.windows(2).all(|w| w[0].name < w[1].name));
    }

    #[test]
    fn the_default_region_is_in_the_table_with_every_rate() {
        let r = region(DEFAULT_REGION).expect("us-east-1 is priced");
        for arch in [Architecture::X86_64, Architecture::Arm64] {
            assert!(r.rates(arch).provisioned.is_some());
            assert!(r.rates(arch).provisioned_duration.is_some());
        }
    }

    #[test]
    fn an_unknown_region_lists_the_known_ones() {
        let err = region("mars-1").expect_err("not priced");
        assert!(err.contains("`mars-1`") && err.contains("eu-west-1, eu-west-2"));
    }

    #[test]
    fn arm64_is_cheaper_where_both_are_known() {
        for r in REGIONS {
            assert!(r.arm64.duration < r.x86_64.duration, "{}", r.name);
            if let (Some(a), Some(x)) = (r.arm64.provisioned, r.x86_64.provisioned) {
                assert!(a < x, "{}", r.name);
            }
        }
    }
}
