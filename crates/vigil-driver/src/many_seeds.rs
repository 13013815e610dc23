//! `-Zvigil-many-seeds`: the program runs once per seed, in parallel, in processes forked
//! after analysis (so they share the compiled crate), and the failing seeds are reported.

use std::collections::HashMap;
use std::ops::Range;

use crate::fork;

/// Runs `once(seed)` for every seed in `seeds` on as many processes as there are cores.
/// Returns 0 if every run exited with 0, else the largest exit code; stops at the first
/// failing seed unless `keep_going`.
pub fn run(seeds: Range<u64>, keep_going: bool, once: impl Fn(u64) -> u8) -> u8 {
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total = seeds.end - seeds.start;
    let mut next = seeds.start;
    let mut running: HashMap<i32, u64> = HashMap::new();
    let (mut failed, mut worst) = (0u64, 0u8);
    loop {
        while running.len() < jobs && next < seeds.end {
            let seed = next;
            next += 1;
            eprintln!("Trying seed: {seed}");
            match fork::spawn(false, || once(seed)) {
                Ok(child) => running.insert(child.pid, seed),
                Err(e) => {
                    eprintln!("error: {e}");
                    return 2;
                }
            };
        }
        if running.is_empty() {
            break;
        }
        let Some((pid, code)) = fork::wait_any() else { break };
        let Some(seed) = running.remove(&pid) else { continue };
        if code != 0 {
            eprintln!("FAILING SEED: {seed}");
            failed += 1;
            worst = worst.max(code);
            if !keep_going {
                for &pid in running.keys() {
                    fork::kill_and_reap(pid);
                }
                return code;
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed}/{total} SEEDS FAILED");
    }
    worst
}
