//! Reserved and provisioned concurrency (CC-02…CC-07, QT-01/QT-02).

use crate::diag::{Code, Diagnostic};
use crate::model::{Model, Provisioned, S};

use super::RuleContext;

/// QT-01: an account's concurrent executions per region unless raised (`--account-concurrency`).
pub const DEFAULT_ACCOUNT_CONCURRENCY: u64 = 1_000;

/// QT-02: concurrency Lambda always keeps unreserved, for functions without a reservation.
pub const UNRESERVED_FLOOR: u64 = 100;

/// CC-03: what an account of `account` concurrency lets its functions reserve in total
/// (900 for the default 1,000; nothing for an account at or below the floor).
pub fn max_reservable(account: u64) -> u64 {
    account.saturating_sub(UNRESERVED_FLOOR)
}

/// The most provisioned concurrency a setting can allocate: `MAX` for `MIN..MAX`.
pub fn provisioned_peak(p: &Provisioned) -> u64 {
    match p {
        Provisioned::Fixed(n) => *n,
        Provisioned::Auto { max, .. } => *max,
    }
}

fn show(p: &Provisioned) -> String {
    match p {
        Provisioned::Fixed(n) => n.to_string(),
        Provisioned::Auto {
            min,
            max,
            target_percent,
        } => format!("{min}..{max} at {target_percent}%"),
    }
}

pub(crate) fn check(model: &Model, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let mut reserved_total: u64 = 0;
    let mut reservations: Vec<&S<u64>> = Vec::new();
    for f in &model.functions {
        let Some(c) = &f.concurrency else { continue };
        if let Some(r) = &c.reserved {
            reserved_total = reserved_total.saturating_add(r.value);
            reservations.push(r);
            // CC-02: 0 is a kill switch.
            if r.value == 0 {
                out.push(
                    Diagnostic::new(
                        Code::W0509,
                        r.span,
                        "reserved concurrency of 0 throttles every invocation",
                    )
                    .label("the function can never run")
                    .help("remove `reserved` to use the shared pool, or set it to the concurrency the function needs"),
                );
            }
        }
        let Some(p) = &c.provisioned else { continue };
        provisioned_shape(p, out);
        if let Some(r) = c.reserved.as_ref().filter(|r| r.value != 0) {
            provisioned_within_reserved(p, r, out);
        }
    }
    over_account(&reservations, reserved_total, ctx.account_concurrency, out);
}

/// CC-06 (above the reservation) and CC-07 (all of it): provisioned concurrency against
/// the function's reserved concurrency.
fn provisioned_within_reserved(p: &S<Provisioned>, r: &S<u64>, out: &mut Vec<Diagnostic>) {
    let peak = provisioned_peak(&p.value);
    if peak > r.value {
        // CC-06
        out.push(
            Diagnostic::new(
                Code::E0406,
                p.span,
                format!(
                    "provisioned concurrency {peak} is above reserved concurrency {}",
                    r.value
                ),
            )
            .label(format!("can allocate up to {peak}"))
            .secondary(r.span, format!("reserved concurrency is {}", r.value))
            .help(format!(
                "lower provisioned concurrency to {} or less, or raise reserved to {peak} or more",
                r.value
            )),
        );
    } else if peak == r.value {
        // CC-07
        out.push(
            Diagnostic::new(
                Code::W0508,
                p.span,
                "provisioned concurrency uses all reserved concurrency",
            )
            .label(format!("{peak} provisioned"))
            .secondary(r.span, format!("{} reserved", r.value))
            .help(format!(
                "leave headroom: raise reserved above {peak} so unpublished code and spillover can still run"
            )),
        );
    }
}

/// CC-03: the reservations of all functions together against the account's quota.
fn over_account(
    reservations: &[&S<u64>],
    reserved_total: u64,
    account: u64,
    out: &mut Vec<Diagnostic>,
) {
    let limit = max_reservable(account);
    if reserved_total <= limit {
        return;
    }
    let mut running: u64 = 0;
    let crossing = reservations
        .iter()
        .position(|r| {
            running = running.saturating_add(r.value);
            running > limit
        })
        .unwrap_or(0);
    let Some(at) = reservations.get(crossing) else {
        return;
    };
    let mut d = Diagnostic::new(
        Code::E0423,
        at.span,
        format!("functions reserve {reserved_total} concurrency in total, over {limit}"),
    )
    .label("this reservation takes the total past the limit")
    .help(format!(
        "an account of {account} concurrency (--account-concurrency) can reserve {limit}, as {UNRESERVED_FLOOR} must stay unreserved: lower the reservations, or raise the quota and pass the new figure with --account-concurrency"
    ));
    for (i, r) in reservations.iter().enumerate() {
        if i != crossing && r.value > 0 {
            d = d.secondary(r.span, format!("reserves {}", r.value));
        }
    }
    out.push(d);
}

fn provisioned_shape(p: &S<Provisioned>, out: &mut Vec<Diagnostic>) {
    match &p.value {
        // CC-04
        Provisioned::Fixed(0) => out.push(
            Diagnostic::new(
                Code::E0417,
                p.span,
                "provisioned concurrency must be at least 1",
            )
            .label("0 is not allowed")
            .help("remove `provisioned` or set it to 1 or more")
            .fix("use 1", p.span, "1"),
        ),
        Provisioned::Fixed(_) => {}
        Provisioned::Auto {
            min,
            max,
            target_percent,
        } => {
            if *min == 0 {
                // CC-04: the scaling floor is still a provisioned allocation.
                out.push(
                    Diagnostic::new(
                        Code::E0417,
                        p.span,
                        "provisioned concurrency must be at least 1",
                    )
                    .label(format!("minimum is {min}"))
                    .help(format!("start the range at 1: 1..{max}")),
                );
            }
            if min > max {
                out.push(
                    Diagnostic::new(
                        Code::E0309,
                        p.span,
                        format!("provisioned range {} is reversed", show(&p.value)),
                    )
                    .label("the minimum is above the maximum")
                    .help(format!("write it as {max}..{min}")),
                );
            }
            if !(*target_percent > 0.0 && *target_percent <= 100.0) {
                out.push(
                    Diagnostic::new(
                        Code::E0417,
                        p.span,
                        format!("target utilisation {target_percent}% is out of range"),
                    )
                    .label("must be above 0% and at most 100%")
                    .help("a common target is 70%"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{Concurrency, Function};

    fn conc(
        kit: &mut Kit,
        f: &mut Function,
        reserved: Option<u64>,
        prov: Option<Provisioned>,
    ) -> Concurrency {
        let span = kit.span("concurrency { … }");
        let c = Concurrency {
            reserved: reserved.map(|r| kit.s(&r.to_string(), r)),
            provisioned: prov.map(|p| kit.s(&show(&p), p)),
            span,
        };
        f.concurrency = Some(c.clone());
        c
    }

    #[test]
    fn provisioned_above_reserved() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let c = conc(
            &mut kit,
            &mut f,
            Some(100),
            Some(Provisioned::Auto {
                min: 5,
                max: 101,
                target_percent: 70.0,
            }),
        );
        let d = one(&kit.run(&model(vec![f])), Code::E0406);
        assert_eq!(Some(d.primary.span), c.provisioned.map(|p| p.span));
        assert_eq!(Some(d.secondary[0].span), c.reserved.map(|r| r.span));

        // Boundary: equal is a warning, one below is clean.
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        conc(
            &mut kit,
            &mut f,
            Some(100),
            Some(Provisioned::Auto {
                min: 5,
                max: 100,
                target_percent: 70.0,
            }),
        );
        let diags = kit.run(&model(vec![f]));
        none(&diags, Code::E0406);
        one(&diags, Code::W0508);

        let mut kit = Kit::new();
        let mut f = kit.function("f");
        conc(&mut kit, &mut f, Some(100), Some(Provisioned::Fixed(99)));
        let diags = kit.run(&model(vec![f]));
        none(&diags, Code::E0406);
        none(&diags, Code::W0508);
    }

    #[test]
    fn reserved_zero_warns() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let c = conc(&mut kit, &mut f, Some(0), None);
        let d = one(&kit.run(&model(vec![f])), Code::W0509);
        assert_eq!(Some(d.primary.span), c.reserved.map(|r| r.span));
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        conc(&mut kit, &mut f, Some(1), None);
        none(&kit.run(&model(vec![f])), Code::W0509);
    }

    #[test]
    fn provisioned_shape_errors() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let c = conc(&mut kit, &mut f, None, Some(Provisioned::Fixed(0)));
        let d = one(&kit.run(&model(vec![f])), Code::E0417);
        assert_eq!(Some(d.primary.span), c.provisioned.map(|p| p.span));

        let mut kit = Kit::new();
        let mut f = kit.function("f");
        conc(
            &mut kit,
            &mut f,
            None,
            Some(Provisioned::Auto {
                min: 50,
                max: 5,
                target_percent: 70.0,
            }),
        );
        one(&kit.run(&model(vec![f])), Code::E0309);

        let mut kit = Kit::new();
        let mut f = kit.function("f");
        conc(
            &mut kit,
            &mut f,
            None,
            Some(Provisioned::Auto {
                min: 5,
                max: 5,
                target_percent: 100.0,
            }),
        );
        none(&kit.run(&model(vec![f])), Code::E0417);

        let mut kit = Kit::new();
        let mut f = kit.function("f");
        conc(
            &mut kit,
            &mut f,
            None,
            Some(Provisioned::Auto {
                min: 1,
                max: 5,
                target_percent: 100.5,
            }),
        );
        one(&kit.run(&model(vec![f])), Code::E0417);
    }

    #[test]
    fn account_reservation_total() {
        let mut kit = Kit::new();
        let mut a = kit.function("a");
        conc(&mut kit, &mut a, Some(500), None);
        let mut b = kit.function("b");
        conc(&mut kit, &mut b, Some(400), None);
        none(&kit.run(&model(vec![a.clone(), b.clone()])), Code::E0423);

        let mut c = kit.function("c");
        let cc = conc(&mut kit, &mut c, Some(1), None);
        let d = one(&kit.run(&model(vec![a, b, c])), Code::E0423);
        assert_eq!(Some(d.primary.span), cc.reserved.map(|r| r.span));
        assert_eq!(d.secondary.len(), 2);
    }

    #[test]
    fn a_smaller_account_quota_lowers_the_reservable_total() {
        let mut kit = Kit::new();
        let mut a = kit.function("a");
        conc(&mut kit, &mut a, Some(200), None);
        let mut b = kit.function("b");
        let bc = conc(&mut kit, &mut b, Some(200), None);
        let today = date(2026, 11, 26);
        let m = model(vec![a, b]);
        // 400 reserved: within the standard 900, over the 300 of a 400 account.
        none(&kit.run(&m), Code::E0423);
        none(&kit.run_with(&m, today, 500), Code::E0423);
        let d = one(&kit.run_with(&m, today, 400), Code::E0423);
        assert_eq!(
            d.message,
            "functions reserve 400 concurrency in total, over 300"
        );
        assert_eq!(Some(d.primary.span), bc.reserved.map(|r| r.span));
        assert!(d
            .help
            .as_deref()
            .is_some_and(|h| h.contains("account of 400")));
        // An account at or below the floor can reserve nothing.
        one(&kit.run_with(&m, today, 100), Code::E0423);
    }

    #[test]
    fn the_reservable_total_leaves_the_floor() {
        assert_eq!(max_reservable(DEFAULT_ACCOUNT_CONCURRENCY), 900);
        assert_eq!(max_reservable(5_000), 4_900);
        assert_eq!(max_reservable(50), 0);
    }
}
