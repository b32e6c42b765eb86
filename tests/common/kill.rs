//! The kill harness's loop, shared by `tests/crash.rs` and the Kafka
//! tests: start a child again and again, SIGKILL it at a random moment,
//! let the input grow, with a seeded random source so a run can be
//! replayed (`SQLC_CRASH_SEED`) and a count of kills (`SQLC_CRASH_KILLS`).

use std::process::Command;
use std::time::Duration;

pub struct XorShift(u64);

impl XorShift {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// How many kills a test does (`SQLC_CRASH_KILLS`, else `default`), and
/// its random source (seeded by `SQLC_CRASH_SEED`, printed, else the clock).
pub fn kills_and_rng(default: u32) -> (u32, XorShift, u64) {
    let kills_wanted: u32 = std::env::var("SQLC_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    let seed = std::env::var("SQLC_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    println!("SQLC_CRASH_SEED={seed}");
    (kills_wanted, XorShift(seed), seed)
}

/// Starts `command()` again and again, SIGKILLing it at a random moment
/// within `span_us` of its start, until `kills_wanted` kills. The stream
/// keeps growing, so there is always work to interrupt: after a run that
/// finished, `add_one()` is called `after_finish` times, after a kill once
/// in three. Returns (kills, runs that finished first).
pub fn kill_repeatedly(
    command: &dyn Fn() -> Command,
    span_us: u64,
    kills_wanted: u32,
    rng: &mut XorShift,
    after_finish: u32,
    add_one: &mut dyn FnMut(),
) -> (u32, u32) {
    let (mut kills, mut completed) = (0u32, 0u32);
    while kills < kills_wanted {
        let mut child = command().spawn().unwrap();
        let delay = Duration::from_micros(rng.next() % span_us);
        std::thread::sleep(delay);
        let finished = match child.try_wait().unwrap() {
            Some(status) => {
                let o = child.wait_with_output().unwrap();
                assert!(
                    status.success(),
                    "run failed: {}{}",
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                );
                completed += 1;
                true
            }
            None => {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                kills += 1;
                false
            }
        };
        let more = if finished {
            after_finish
        } else {
            u32::from(rng.next().is_multiple_of(3))
        };
        (0..more).for_each(|_| add_one());
    }
    (kills, completed)
}
