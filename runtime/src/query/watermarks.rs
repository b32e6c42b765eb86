//! The event-time watermark a query runs its batches with, and its rules:
//! it never moves back; rows are judged late by the previous batch's
//! watermark (as Spark 3.4+, so chained stateful operators agree); and a
//! batch runs without new data when it moved (Spark's no-data batch), so
//! stateful operators can emit and evict.

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Watermarks {
    /// The watermark of the batch in force (the last one run), µs.
    current: Option<i64>,
    /// The one before: what the current batch judges late rows by.
    late: Option<i64>,
}

impl Watermarks {
    /// Where a query restarted from a checkpoint carries on: the last
    /// committed batch's watermark.
    pub fn resumed(current: Option<i64>) -> Self {
        Watermarks {
            current,
            late: None,
        }
    }

    /// The watermark in force.
    pub fn current(&self) -> Option<i64> {
        self.current
    }

    /// The watermark late rows of the current batch are judged by.
    pub fn late(&self) -> Option<i64> {
        self.late
    }

    /// The watermark the next batch would run with, given the one the
    /// operators ask for (`Executor::next_watermark`): never behind the one
    /// in force (a new input's, or a policy over several, may be behind it).
    pub fn next(&self, operators: Option<i64>) -> Option<i64> {
        operators.max(self.current)
    }

    /// Whether the next batch's watermark differs from the one in force, so
    /// that a batch should run even without new data.
    pub fn moved(&self, operators: Option<i64>) -> bool {
        let next = self.next(operators);
        next.is_some() && next != self.current
    }

    /// Enters a batch running with watermark `to`: the one in force becomes
    /// the late watermark.
    pub fn enter(&mut self, to: Option<i64>) {
        self.late = self.current;
        self.current = to;
    }
}

#[cfg(test)]
mod tests {
    use super::Watermarks;

    #[test]
    fn the_watermark_never_moves_back_and_moves_only_when_it_changes() {
        let w = Watermarks::resumed(Some(10));
        assert_eq!(w.next(Some(5)), Some(10));
        assert!(!w.moved(Some(5)));
        assert!(!w.moved(None));
        assert!(!w.moved(Some(10)));
        assert_eq!(w.next(Some(15)), Some(15));
        assert!(w.moved(Some(15)));
        let none = Watermarks::default();
        assert!(!none.moved(None));
        assert!(none.moved(Some(0)));
    }

    #[test]
    fn entering_a_batch_makes_the_previous_watermark_the_late_one() {
        let mut w = Watermarks::resumed(Some(10));
        assert_eq!((w.current(), w.late()), (Some(10), None));
        w.enter(Some(20));
        assert_eq!((w.current(), w.late()), (Some(20), Some(10)));
        w.enter(Some(20));
        assert_eq!((w.current(), w.late()), (Some(20), Some(20)));
    }
}
