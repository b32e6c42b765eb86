//! How deep user input may nest, and the stack the compiler's recursion gets.
//!
//! Expressions are trees, and every pass over them (conversion from
//! sqlparser, name resolution, rewrites, verification, code generation, the
//! interpreted twin, printing) recurses. User text decides the depth
//! (`SELECT x + x + … ` with thousands of terms is a left-deep tree of that
//! depth), so no pass may rely on the thread's stack:
//!
//! - every recursion point calls [`grow`], which moves the rest of the
//!   recursion to a fresh heap-allocated stack segment when the current one
//!   runs low (`stacker`, as rustc and sqlparser do);
//! - the SQL front end refuses an expression nested deeper than
//!   [`MAX_EXPR_DEPTH`] with Spark's `[FAILED_TO_PARSE_TOO_COMPLEX]` (what
//!   Spark says when its parser runs out of stack), so that what no pass can
//!   guard — the compiler-derived `Drop`, `Clone` and `PartialEq` of a tree —
//!   stays well inside any thread's stack.
//!
//! Spark itself refuses `1 + 1 + …` at about 1,000 terms and parentheses
//! nested 1,000 deep; `AND`/`OR` chains it builds as balanced trees (so does
//! sqlc, see `sql::expr`), so they are never deep.

use std::cell::Cell;

use crate::error::{Error, Result};

/// The deepest expression the SQL front end accepts: five times what Spark
/// parses.
pub const MAX_EXPR_DEPTH: usize = 5_000;

/// Stack that must be left before a recursion point runs on the current
/// segment; the largest frames of a pass (resolution, code generation) are a
/// few kilobytes.
const RED_ZONE: usize = 128 * 1024;

/// The size of a fresh segment.
const SEGMENT: usize = 4 * 1024 * 1024;

/// Runs `f`, on a fresh stack segment if less than [`RED_ZONE`] is left.
/// Every function that recurses over a user-shaped tree calls its recursion
/// through this.
#[inline]
pub fn grow<T>(f: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

/// Stack enough for a compiler-derived pass (`Debug`, `Clone`, `Drop`,
/// `PartialEq`) over a tree [`MAX_EXPR_DEPTH`] deep: such passes cannot call
/// [`grow`], and a `Debug` level takes several frames.
const DERIVED_STACK: usize = 32 * 1024 * 1024;

/// Runs `f` — a derived pass over a whole expression tree, as the kernel
/// cache's key is cloned, hashed and compared — on a stack big enough for the deepest tree the front
/// end accepts (a fresh segment unless that much is left).
pub fn whole_tree<T>(f: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(DERIVED_STACK, DERIVED_STACK, f)
}

thread_local! {
    static NESTING: Cell<usize> = const { Cell::new(0) };
}

/// Runs `f` one level deeper in the expression being built from SQL text:
/// past [`MAX_EXPR_DEPTH`] it is Spark's `[FAILED_TO_PARSE_TOO_COMPLEX]`.
pub fn nested<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    struct Level;
    impl Drop for Level {
        fn drop(&mut self) {
            NESTING.with(|n| n.set(n.get() - 1));
        }
    }
    let depth = NESTING.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    let _level = Level;
    if depth > MAX_EXPR_DEPTH {
        return Err(too_complex());
    }
    grow(f)
}

/// Spark's error for a statement nested deeper than it can parse.
pub fn too_complex() -> Error {
    Error::analysis(
        "FAILED_TO_PARSE_TOO_COMPLEX",
        format!(
            "The statement, including potential SQL functions and referenced views, was too \
             complex to parse. To mitigate this error divide the statement into multiple, less \
             complex chunks (sqlc nests expressions at most {MAX_EXPR_DEPTH} deep). SQLSTATE: 54001"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(n: usize) -> Result<usize> {
        nested(|| if n == 0 { Ok(0) } else { Ok(depth(n - 1)? + 1) })
    }

    #[test]
    fn nesting_past_the_limit_is_refused_and_the_count_recovers() {
        assert_eq!(depth(MAX_EXPR_DEPTH - 1).unwrap(), MAX_EXPR_DEPTH - 1);
        let e = depth(MAX_EXPR_DEPTH + 10).unwrap_err();
        assert_eq!(e.class(), "FAILED_TO_PARSE_TOO_COMPLEX");
        // The counter unwound with the error: the limit is whole again.
        assert_eq!(depth(MAX_EXPR_DEPTH - 1).unwrap(), MAX_EXPR_DEPTH - 1);
    }
}
