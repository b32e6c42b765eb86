//! Reading groups out: the output columns (keys, then each aggregate's final
//! value, windows as `{start, end}` structs), a key as a scalar, and the
//! event time the watermark compares a group by.

use super::*;

impl AggTable {
    /// Output columns for the given groups: the keys (hidden grouping id
    /// included, last), then each aggregate's final value.
    pub fn to_arrow(&self, groups: &[usize]) -> Vec<ArrayRef> {
        let l = &self.layout;
        let mut out: Vec<ArrayRef> = Vec::new();
        for (k, t) in l.key_types.iter().enumerate() {
            let o = l.key_offsets[k];
            let get = |g: usize| -> Option<u64> {
                let row = self.key_row(g);
                (row[k] == 0).then(|| read_u64(row, o))
            };
            out.push(match t {
                DataType::Utf8 | DataType::Binary | DataType::Decimal(..) => {
                    let strs = groups.iter().map(|&g| {
                        let row = self.key_row(g);
                        (row[k] == 0).then(|| {
                            let (off, len) = read_pair(row, o);
                            self.arena_bytes(off, len)
                        })
                    });
                    bytes_array(t, strs)
                }
                t => {
                    let a = fixed_array(t, groups.iter().map(|&g| get(g)));
                    match l.window {
                        Some(w) if w.key == k => window_array(&a, w.window.size_us),
                        _ => a,
                    }
                }
            });
        }
        for (i, kind) in l.accs.iter().enumerate() {
            let o = l.acc_offsets[i];
            let (func, ty) = &l.funcs[i];
            let pair = |g: usize| {
                (
                    read_u64(self.acc_row(g), o),
                    read_u64(self.acc_row(g), o + 8),
                )
            };
            out.push(match kind {
                AccKind::Count => fixed_array(ty, groups.iter().map(|&g| Some(pair(g).0))),
                AccKind::SumInt => fixed_array(
                    ty,
                    groups.iter().map(|&g| {
                        let (s, n) = pair(g);
                        (n > 0).then(|| {
                            if *func == AggFunc::Avg {
                                let q = crate::functions::interval::div_half_up(
                                    s as i64 as i128,
                                    n as i128,
                                );
                                q as i64 as u64
                            } else {
                                s
                            }
                        })
                    }),
                ),
                AccKind::SumFloat => {
                    let vals = groups.iter().map(|&g| {
                        let (s, n) = pair(g);
                        (n > 0).then(|| {
                            let s = f64::from_bits(s);
                            if *func == AggFunc::Avg {
                                (s / n as f64).to_bits()
                            } else {
                                s.to_bits()
                            }
                        })
                    });
                    fixed_array(ty, vals)
                }
                AccKind::MinFixed | AccKind::MaxFixed => fixed_array(
                    ty,
                    groups.iter().map(|&g| {
                        let (v, n) = pair(g);
                        (n > 0).then_some(v)
                    }),
                ),
                AccKind::MinStr | AccKind::MaxStr | AccKind::PickStr { .. } => {
                    bytes_array(ty, groups.iter().map(|&g| self.acc_str(g, i)))
                }
                AccKind::Pick { .. } => fixed_array(
                    ty,
                    groups.iter().map(|&g| {
                        let (v, state) = pair(g);
                        (state == PICK_VALUE).then_some(v)
                    }),
                ),
                AccKind::Moments => fixed_array(
                    ty,
                    groups
                        .iter()
                        .map(|&g| moments::finish(*func, self.acc_row(g), o).map(f64::to_bits)),
                ),
                AccKind::Distinct if ty.is_decimal() => {
                    let arg = l.decimal_arg(i);
                    let vals = groups.iter().map(|&g| {
                        self.distinct
                            .finish_decimal(*func, self.acc_row(g), o, arg, ty)
                    });
                    crate::decimal::array(vals, ty)
                }
                AccKind::Distinct => fixed_array(
                    ty,
                    groups
                        .iter()
                        .map(|&g| self.distinct.finish(*func, self.acc_row(g), o)),
                ),
                AccKind::SumDecimal => {
                    let arg = l.decimal_arg(i);
                    crate::decimal::array(
                        groups
                            .iter()
                            .map(|&g| decimal_sum::finish(*func, self.acc_row(g), o, arg, ty)),
                        ty,
                    )
                }
                AccKind::Bits => fixed_array(
                    ty,
                    groups.iter().map(|&g| {
                        let (v, n) = pair(g);
                        (n > 0).then_some(v)
                    }),
                ),
                AccKind::Moments4 => fixed_array(
                    ty,
                    groups
                        .iter()
                        .map(|&g| moments4::finish(*func, self.acc_row(g), o).map(f64::to_bits)),
                ),
                AccKind::CoMoments => fixed_array(
                    ty,
                    groups
                        .iter()
                        .map(|&g| comoments::finish(*func, self.acc_row(g), o).map(f64::to_bits)),
                ),
                AccKind::Side => self.side_array(i, groups),
            });
        }
        out
    }

    /// Decodes key `k` of `group` as a Scalar (for eviction predicates and tests).
    pub fn key_scalar(&self, group: usize, k: usize) -> crate::types::Scalar {
        use crate::types::Scalar;
        let row = self.key_row(group);
        if row[k] != 0 {
            return Scalar::Null;
        }
        let o = self.layout.key_offsets[k];
        let v = read_u64(row, o);
        match &self.layout.key_types[k] {
            DataType::Boolean => Scalar::Boolean(v != 0),
            DataType::Int8 => Scalar::Int8(v as i64 as i8),
            DataType::Int16 => Scalar::Int16(v as i64 as i16),
            DataType::Int32 => Scalar::Int32(v as i64 as i32),
            DataType::Int64 => Scalar::Int64(v as i64),
            DataType::Float64 => Scalar::Float64(f64::from_bits(v)),
            DataType::Float32 => Scalar::Float32(f64::from_bits(v) as f32),
            DataType::Timestamp => Scalar::Timestamp(v as i64),
            DataType::Date => Scalar::Date(v as i64 as i32),
            DataType::TimestampNtz => Scalar::TimestampNtz(v as i64),
            DataType::YearMonthInterval(a, b) => Scalar::YearMonthInterval(v as i64 as i32, *a, *b),
            DataType::DayTimeInterval(a, b) => Scalar::DayTimeInterval(v as i64, *a, *b),
            DataType::Utf8 => {
                let (off, len) = read_pair(row, o);
                Scalar::Utf8(String::from_utf8_lossy(self.arena_bytes(off, len)).into_owned())
            }
            DataType::Binary => {
                let (off, len) = read_pair(row, o);
                Scalar::Binary(self.arena_bytes(off, len).to_vec())
            }
            DataType::Decimal(p, s) => {
                let (off, len) = read_pair(row, o);
                Scalar::Decimal(decode_decimal(self.arena_bytes(off, len)), *p, *s)
            }
            DataType::Null | DataType::Struct(_) | DataType::Array(..) | DataType::Map(..) => {
                Scalar::Null
            }
        }
    }
}

/// The `window` struct of windows starting at `starts`.
pub(super) fn window_array(starts: &ArrayRef, size_us: i64) -> ArrayRef {
    use arrow::array::{Array, StructArray, TimestampMicrosecondArray};
    let starts = starts
        .as_any()
        .downcast_ref::<TimestampMicrosecondArray>()
        .expect("a window key is stored as a timestamp")
        .clone();
    let ends: TimestampMicrosecondArray = starts
        .iter()
        .map(|s| s.map(|s| s.wrapping_add(size_us)))
        .collect::<TimestampMicrosecondArray>()
        .with_timezone("UTC");
    let nulls = starts.nulls().cloned();
    let fields = match crate::window::window_type().to_arrow() {
        arrow::datatypes::DataType::Struct(f) => f,
        _ => unreachable!("the window type is a struct"),
    };
    Arc::new(StructArray::new(
        fields,
        vec![Arc::new(starts) as ArrayRef, Arc::new(ends)],
        nulls,
    ))
}

/// The stored (encoded) event time of a group's key `k` as the watermark
/// compares it: a window's end, or the timestamp itself. `None` when null.
pub fn event_time_of(layout: &TableLayout, key_row: &[u8], k: usize) -> Option<i64> {
    if key_row[k] != 0 {
        return None;
    }
    let v = read_u64(key_row, layout.key_offsets[k]) as i64;
    Some(match layout.window {
        Some(w) if w.key == k => v.wrapping_add(w.window.size_us),
        _ => v,
    })
}

pub(super) fn fixed_array(ty: &DataType, vals: impl Iterator<Item = Option<u64>>) -> ArrayRef {
    macro_rules! build {
        ($b:ty, $conv:expr) => {{
            let mut b = <$b>::new();
            for v in vals {
                b.append_option(v.map($conv));
            }
            Arc::new(b.finish()) as ArrayRef
        }};
    }
    match ty {
        DataType::Boolean => build!(BooleanBuilder, |v: u64| v != 0),
        DataType::Int8 => build!(arrow::array::Int8Builder, |v: u64| v as i64 as i8),
        DataType::Int16 => build!(arrow::array::Int16Builder, |v: u64| v as i64 as i16),
        DataType::Int32 => build!(Int32Builder, |v: u64| v as i64 as i32),
        DataType::Int64 => build!(Int64Builder, |v: u64| v as i64),
        DataType::Float64 => build!(Float64Builder, f64::from_bits),
        // kept as its exact double
        DataType::Float32 => build!(arrow::array::Float32Builder, |v: u64| f64::from_bits(v)
            as f32),
        DataType::Date => build!(Date32Builder, |v: u64| v as i64 as i32),
        DataType::TimestampNtz => build!(TimestampMicrosecondBuilder, |v: u64| v as i64),
        DataType::YearMonthInterval(..) => {
            build!(arrow::array::IntervalYearMonthBuilder, |v: u64| v as i64
                as i32)
        }
        DataType::DayTimeInterval(..) => {
            build!(arrow::array::DurationMicrosecondBuilder, |v: u64| v as i64)
        }
        DataType::Timestamp => {
            let mut b = TimestampMicrosecondBuilder::new().with_timezone("UTC");
            for v in vals {
                b.append_option(v.map(|v| v as i64));
            }
            Arc::new(b.finish())
        }
        _ => Arc::new(arrow::array::NullArray::new(vals.count())),
    }
}

pub(super) fn bytes_array<'a>(
    ty: &DataType,
    vals: impl Iterator<Item = Option<&'a [u8]>>,
) -> ArrayRef {
    if ty.is_decimal() {
        return crate::decimal::array(vals.map(|v| v.map(decode_decimal)), ty);
    }
    if *ty == DataType::Binary {
        let mut b = BinaryBuilder::new();
        for v in vals {
            b.append_option(v);
        }
        Arc::new(b.finish())
    } else {
        let mut b = StringBuilder::new();
        for v in vals {
            // Keys and string accumulators are copied from valid UTF-8 columns.
            b.append_option(v.map(|s| std::str::from_utf8(s).unwrap_or("\u{fffd}")));
        }
        Arc::new(b.finish())
    }
}
