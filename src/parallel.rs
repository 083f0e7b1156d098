//! Splitting independent work over the machine's cores.
//!
//! Loading a large FAQ parses thousands of files and analyses their text;
//! each piece is independent, so both run on every core. Results come back
//! in input order, so nothing downstream depends on the number of threads.

/// Applies `work` to consecutive chunks of `items`, one chunk per core (but
/// no chunk smaller than `min_chunk`, where a thread costs more than it
/// saves), and returns the results in order. A panic in `work` is
/// re-raised here.
pub fn map_chunks<T, R>(items: &[T], min_chunk: usize, work: impl Fn(&[T]) -> R + Sync) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(min_chunk).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|chunk| scope.spawn(|| work(chunk)))
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_input_order() {
        let items: Vec<u32> = (0..10_000).collect();
        let sums = map_chunks(&items, 100, |chunk| chunk.to_vec());
        assert_eq!(sums.concat(), items);
        assert!(
            map_chunks(&[] as &[u32], 10, |c| c.len())
                .iter()
                .all(|&n| n == 0)
        );
    }
}
