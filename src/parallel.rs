//! Work shared between two threads: the machines this runs on for large elections have at
//! least two cores, and a few steps (rendering a thousand rolls, preparing a policy's
//! criteria) are many independent items of very unequal size.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// `work(i)` for every `i` in `0..count`, on this thread and `threads - 1` others, each
/// taking the next item not yet taken (so one large item does not leave a thread idle);
/// the results in item order. After an error no new item is started, and the error of the
/// lowest item that failed is returned. A panic in a helper is raised again here.
///
/// # Errors
/// The first (by item) error `work` returned.
pub fn each<T: Send, E: Send>(
    count: usize,
    threads: usize,
    work: impl Fn(usize) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let take = || {
        let mut done = Vec::new();
        while !failed.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                break;
            }
            let result = work(i);
            if result.is_err() {
                failed.store(true, Ordering::Relaxed);
            }
            done.push((i, result));
        }
        done
    };
    let mut results = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads.min(count)).map(|_| scope.spawn(take)).collect();
        let mut all = take();
        for helper in helpers {
            all.extend(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        all
    });
    results.sort_unstable_by_key(|&(i, _)| i);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_item_order_whatever_thread_made_them() {
        for threads in 1..=3 {
            let squares = each(100, threads, |i| Ok::<_, ()>(i * i)).unwrap();
            assert_eq!(squares, (0..100).map(|i| i * i).collect::<Vec<_>>());
        }
        assert_eq!(each(0, 2, Ok::<_, ()>).unwrap(), Vec::<usize>::new());
    }

    #[test]
    fn the_lowest_failing_item_gives_the_error() {
        for threads in 1..=2 {
            let result = each(50, threads, |i| if i % 7 == 3 { Err(i) } else { Ok(i) });
            assert_eq!(result, Err(3));
        }
    }
}
