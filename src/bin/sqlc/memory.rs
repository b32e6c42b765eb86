//! The process's memory: its allocator, and no transparent huge pages.
//!
//! A query engine allocates its input's size every micro-batch, much of it
//! in many small pieces (strings, rows of output). mimalloc serves both
//! faster than glibc's allocator, which hands large blocks back to the
//! kernel on free, so the next batch faults them in and zeroes them again
//! (example 2, all 80 files: CPU 0.34 s → 0.29 s, median of 7; page faults
//! 42,600 → 35,000).
//!
//! Transparent huge pages would cut the faults to ~1,000 (CPU 0.23 s), but
//! where the kernel compacts memory to find a huge page on the faulting
//! thread (`defrag = madvise`, a common default) a run now and then stalled
//! 0.4–1.5 s in the kernel. A streaming engine wants the steady figure, so
//! the process opts out of them.

/// mimalloc, not the system's allocator (see above). The library leaves
/// the choice to its user; this is the CLI's (and `sqlc serve`'s).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process (Linux; elsewhere
/// nothing). Called first thing in `main`: pages faulted afterwards, in
/// memory mapped before or after, are ordinary pages.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of the calling process;
    // it reads and writes no memory of ours. A kernel without it returns
    // EINVAL, and the process then runs as before.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
