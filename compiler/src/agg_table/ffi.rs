//! The functions JIT kernels call into (`extern "C"`): adding a group,
//! noting a late row, string min/max and first/last, DISTINCT values. Each
//! leaves errors in the table for the kernel's caller to take.

use super::*;

/// Called by JIT kernels to add a group whose key (a probe row) is absent.
/// Returns the new group's index; the kernel then reloads the table's pointers.
///
/// # Safety
/// `table` must point to a live `AggTable` no one else is using, and `probe`
/// to a probe row of its layout whose string slots name readable bytes.
pub unsafe extern "C" fn sqlc_agg_insert(table: *mut AggTable, hash: u64, probe: *const u8) -> u64 {
    // SAFETY: the kernel passes the table it was given for exclusive use, and
    // a probe row it built of `key_width` bytes on its own stack.
    unsafe {
        let t = &mut *table;
        let row = std::slice::from_raw_parts(probe, t.layout.key_width);
        t.insert_probe(hash, row) as u64
    }
}

/// Called by JIT kernels for a row whose every window (or event-time key)
/// is late: noted for a late-rows sink if the context records them.
///
/// # Safety
/// `late` must point to a live `LateRows` no one else is using.
pub unsafe extern "C" fn sqlc_agg_late_row(late: *mut LateRows, row: u64) {
    // SAFETY: the kernel passes the context it was given (through its ctx)
    // for exclusive use during the call.
    unsafe { (*late).note(row) }
}

/// Called by JIT kernels for string min/max: offers `len` bytes at `ptr` to
/// accumulator `acc` of `group`, keeping the smaller (`is_max == 0`) or the
/// larger. The kernel reloads the table's pointers afterwards.
///
/// # Safety
/// As [`sqlc_agg_insert`]; `ptr` must name `len` readable bytes.
pub unsafe extern "C" fn sqlc_agg_minmax_str(
    table: *mut AggTable,
    group: u64,
    acc: u64,
    ptr: *const u8,
    len: u64,
    is_max: u64,
) {
    // SAFETY: see the function's contract above.
    unsafe {
        let t = &mut *table;
        let offered = std::slice::from_raw_parts(ptr, len as usize);
        let take = match t.acc_str(group as usize, acc as usize) {
            None => true,
            Some(cur) => {
                if is_max != 0 {
                    offered > cur
                } else {
                    offered < cur
                }
            }
        };
        if take {
            t.set_acc_str(group as usize, acc as usize, offered);
        }
    }
}

/// Called by JIT kernels for a string first/last whose row is taken: stores
/// the `len` bytes at `ptr`, or marks the answer null when `is_null != 0`.
/// The kernel reloads the table's pointers afterwards.
///
/// # Safety
/// As [`sqlc_agg_insert`]; unless `is_null`, `ptr` must name `len` readable bytes.
pub unsafe extern "C" fn sqlc_agg_pick_str(
    table: *mut AggTable,
    group: u64,
    acc: u64,
    ptr: *const u8,
    len: u64,
    is_null: u64,
) {
    // SAFETY: see the function's contract above.
    unsafe {
        let t = &mut *table;
        if is_null != 0 {
            t.set_acc_str_null(group as usize, acc as usize);
        } else {
            let bytes = std::slice::from_raw_parts(ptr, len as usize);
            t.set_acc_str(group as usize, acc as usize, bytes);
        }
    }
}

/// Called by JIT kernels for a non-null value of a DISTINCT aggregate: an
/// encoded fixed-width value in `a`, or a string's address in `a` and length
/// in `b`. An overflow is left in the table's pending error.
///
/// # Safety
/// As [`sqlc_agg_insert`]; for a string accumulator `(a, b)` must name
/// readable bytes.
pub unsafe extern "C" fn sqlc_agg_distinct(
    table: *mut AggTable,
    group: u64,
    acc: u64,
    a: u64,
    b: u64,
) {
    // SAFETY: see the function's contract above.
    unsafe {
        let t = &mut *table;
        let string = t.layout.arg_types[acc as usize]
            .as_ref()
            .is_some_and(DataType::is_string_like);
        let v = if string {
            DistinctVal::Bytes(std::slice::from_raw_parts(
                a as usize as *const u8,
                b as usize,
            ))
        } else {
            DistinctVal::Fixed(a)
        };
        if let Err(e) = t.distinct_insert(group as usize, acc as usize, v) {
            t.set_error(e);
        }
    }
}

/// Called by JIT kernels for max_by/min_by's row whose ordering is not
/// null: the ordering in `(ord_a, ord_b)` and the value in `(val_a,
/// val_b)` — an encoded fixed-width value in the first word, or a string's
/// address and length — the value null when `val_null != 0`.
///
/// # Safety
/// As [`sqlc_agg_insert`]; a string ordering or value must name readable
/// bytes.
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn sqlc_agg_by(
    table: *mut AggTable,
    group: u64,
    acc: u64,
    ord_a: u64,
    ord_b: u64,
    val_a: u64,
    val_b: u64,
    val_null: u64,
) {
    // SAFETY: see the function's contract above; the slices live for this
    // call only (the state copies what it keeps).
    unsafe {
        let t = &mut *table;
        let acc = acc as usize;
        let word = |string: bool, a: u64, b: u64| {
            if string {
                ValRef::Bytes(std::slice::from_raw_parts(
                    a as usize as *const u8,
                    b as usize,
                ))
            } else {
                ValRef::Fixed(a)
            }
        };
        let ord = word(t.layout.packed_type(acc, 1).is_string_like(), ord_a, ord_b);
        let value = (val_null == 0)
            .then(|| word(t.layout.packed_type(acc, 0).is_string_like(), val_a, val_b));
        t.side_offer_by(group as usize, acc, ord, value);
    }
}
