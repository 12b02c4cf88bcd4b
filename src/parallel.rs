//! Work spread over the machine's cores, results in input order.
//!
//! Used where a large app has many independent pieces of the same kind (the functions the
//! checker lowers, the resources whose references the split collects, the nested stacks'
//! templates): each piece is handled exactly as it would be on one thread, so the output
//! does not depend on the number of cores.

/// At most this many threads for one job.
const MAX_THREADS: usize = 8;

/// `items.into_iter().map(f).collect()`, on up to as many threads as there are cores, each
/// taking one contiguous run of at least `min_per_thread` items (a thread costs tens of
/// microseconds: small jobs stay on the calling thread). A panic in `f` is passed on to
/// the caller as if `f` had run on its thread.
pub fn map_in_order<T, U, F>(items: Vec<T>, min_per_thread: usize, f: F) -> Vec<U>
where
    T: Send,
    U: Send,
    F: Fn(T) -> U + Sync,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
        .min(items.len() / min_per_thread.max(1));
    if threads < 2 {
        return items.into_iter().map(f).collect();
    }
    let per = items.len().div_ceil(threads);
    let mut runs: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut rest = items.into_iter();
    loop {
        let run: Vec<T> = rest.by_ref().take(per).collect();
        if run.is_empty() {
            break;
        }
        runs.push(run);
    }
    let f = &f;
    std::thread::scope(|s| {
        let mut runs = runs.into_iter();
        let first = runs.next().unwrap_or_default();
        let handles: Vec<_> = runs
            .map(|run| s.spawn(move || run.into_iter().map(f).collect::<Vec<U>>()))
            .collect();
        let mut out: Vec<U> = first.into_iter().map(f).collect();
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_input_order_whatever_the_split() {
        for n in [0, 1, 2, 3, 7, 64, 1001] {
            let items: Vec<usize> = (0..n).collect();
            for min in [1, 2, 100] {
                let out = map_in_order(items.clone(), min, |i| i * 3);
                assert_eq!(out, (0..n).map(|i| i * 3).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn a_panic_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            map_in_order((0..100).collect::<Vec<u32>>(), 1, |i| {
                assert!(i != 97, "boom");
                i
            })
        });
        assert!(caught.is_err());
    }
}
