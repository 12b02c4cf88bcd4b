//! Work spread over the machine's cores, results in input order.
//!
//! Used where a large app has many independent pieces of the same kind (the functions the
//! checker lowers, the resources whose references the split collects, the nested stacks'
//! templates): each piece is handled exactly as it would be on one thread, so the output
//! does not depend on the number of cores.

/// At most this many threads for one job.
const MAX_THREADS: usize = 8;

/// How many threads can run at once here, asked once: the standard library reads the
/// process's cgroup files at every call (four system calls), and the language server
/// splits work several times per edit.
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// `items.into_iter().map(f).collect()`, on up to as many threads as there are cores, each
/// taking one contiguous run of at least `min_per_thread` items (a thread costs tens of
/// microseconds: small jobs stay on the calling thread). A panic in `f` is passed on to
/// the caller as if `f` had run on its thread.
///
/// Each thread writes its results straight into their places in the one output vector:
/// collecting per thread and joining would hold every result twice and copy it once (at
/// 10,000 functions the lowered functions are 20 MB, and fresh memory costs time to get).
pub fn map_in_order<T, U, F>(items: Vec<T>, min_per_thread: usize, f: F) -> Vec<U>
where
    T: Send,
    U: Send,
    F: Fn(T) -> U + Sync,
{
    let threads = cores()
        .min(MAX_THREADS)
        .min(items.len() / min_per_thread.max(1));
    if threads < 2 {
        return items.into_iter().map(f).collect();
    }
    let n = items.len();
    let per = n.div_ceil(threads);
    let mut out: Vec<U> = Vec::with_capacity(n);
    let f = &f;
    let mut rest = items.into_iter();
    let slots = out.spare_capacity_mut()[..n].chunks_mut(per);
    std::thread::scope(|s| {
        let mut runs =
            slots.map(|slots| (rest.by_ref().take(slots.len()).collect::<Vec<T>>(), slots));
        let first = runs.next();
        let handles: Vec<_> = runs
            .map(|(run, slots)| s.spawn(move || fill(run, slots, f)))
            .collect();
        if let Some((run, slots)) = first {
            fill(run, slots, f);
        }
        for h in handles {
            if let Err(panic) = h.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    // SAFETY: the runs cover the first `n` slots exactly (`chunks_mut` of `n` slots, each
    // run as long as its chunk, `n` items in all), and every run returned, so `fill`
    // wrote every slot. On a panic we never get here: the written results are leaked,
    // not dropped, which is safe.
    unsafe { out.set_len(n) };
    out
}

/// Write `f` of each item of `run` into the slot of the same index.
fn fill<T, U>(run: Vec<T>, slots: &mut [std::mem::MaybeUninit<U>], f: &impl Fn(T) -> U) {
    assert_eq!(run.len(), slots.len(), "one item per slot");
    for (item, slot) in run.into_iter().zip(slots) {
        slot.write(f(item));
    }
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
    fn every_result_is_dropped_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        struct Counted(Arc<AtomicUsize>);
        impl Drop for Counted {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let drops = Arc::new(AtomicUsize::new(0));
        let out = map_in_order((0..1001).collect::<Vec<u32>>(), 1, |_| {
            Counted(drops.clone())
        });
        assert_eq!(out.len(), 1001);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            0,
            "nothing dropped while mapping"
        );
        drop(out);
        assert_eq!(drops.load(Ordering::SeqCst), 1001);
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
