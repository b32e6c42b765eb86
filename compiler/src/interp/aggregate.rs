//! The aggregate sink: keys and arguments are evaluated as arrays, then the
//! table is updated row by row through [`AggTable`]'s Rust API, with the
//! same key rows, hash and accumulator updates as the JIT's inline code.
//!
//! Key hash: starting from [`hash::SEED`], each key (the hidden grouping id
//! last) is mixed in with [`hash::combine`] — its encoded `u64` for a
//! fixed-width value, [`hash::NULL_MARK`] for a null (or rolled-up) key — or
//! [`hash::combine_bytes`] for a string or a decimal (its
//! [`encode_decimal`] bytes); then [`hash::finish`].

use arrow::array::{Array, ArrayRef, BinaryArray, StructArray};
use arrow::datatypes::{
    DataType as A, Date32Type, Float32Type, Float64Type, Int32Type, Int64Type,
    TimestampMicrosecondType,
};

use super::columns::{bools, internal, prim, strings};
use crate::accumulators::decimal_sum;
use crate::accumulators::higher::{bits, comoments, moments4};
use crate::accumulators::{moments, pick_takes, DistinctVal, Offer, Val, PICK_NULL, PICK_VALUE};
use crate::agg_table::layout::add_to_int_sum;
use crate::agg_table::{
    compare_encoded, encode_decimal, encode_f64, hash, read_u64, write_u64, AccKind, AggTable,
    LateRows, TableLayout,
};
use crate::error::Result;
use crate::ir::{AggFunc, AggSpec};
use crate::types::DataType;

/// One column of values, read the way the table stores it.
enum Values<'a> {
    /// Encoded fixed-width values (see [`crate::agg_table::encode_f64`]).
    Fixed(Vec<Option<u64>>),
    Bytes(Vec<Option<&'a [u8]>>),
}

impl Values<'_> {
    fn is_null(&self, i: usize) -> bool {
        match self {
            Values::Fixed(v) => v[i].is_none(),
            Values::Bytes(v) => v[i].is_none(),
        }
    }
}

/// Reads an array as stored values: booleans 0/1, integers, dates and
/// timestamps sign-extended, doubles through `encode_f64`.
fn values(a: &ArrayRef) -> Result<Values<'_>> {
    let a = a.as_ref();
    Ok(match a.data_type() {
        A::Boolean => Values::Fixed(bools(a)?.iter().map(|v| v.map(u64::from)).collect()),
        A::Int8 => Values::Fixed(
            prim::<arrow::datatypes::Int8Type>(a)?
                .iter()
                .map(|v| v.map(|x| x as i64 as u64))
                .collect(),
        ),
        A::Int16 => Values::Fixed(
            prim::<arrow::datatypes::Int16Type>(a)?
                .iter()
                .map(|v| v.map(|x| x as i64 as u64))
                .collect(),
        ),
        A::Int32 => Values::Fixed(
            prim::<Int32Type>(a)?
                .iter()
                .map(|v| v.map(|x| x as i64 as u64))
                .collect(),
        ),
        A::Int64 => Values::Fixed(
            prim::<Int64Type>(a)?
                .iter()
                .map(|v| v.map(|x| x as u64))
                .collect(),
        ),
        A::Float64 => Values::Fixed(
            prim::<Float64Type>(a)?
                .iter()
                .map(|v| v.map(encode_f64))
                .collect(),
        ),
        // A float is kept as its exact double (keys, min/max, first/last).
        A::Float32 => Values::Fixed(
            prim::<Float32Type>(a)?
                .iter()
                .map(|v| v.map(|x| encode_f64(f64::from(x))))
                .collect(),
        ),
        A::Date32 => Values::Fixed(
            prim::<Date32Type>(a)?
                .iter()
                .map(|v| v.map(|x| x as i64 as u64))
                .collect(),
        ),
        A::Timestamp(..) => Values::Fixed(
            prim::<TimestampMicrosecondType>(a)?
                .iter()
                .map(|v| v.map(|x| x as u64))
                .collect(),
        ),
        // Intervals as their months or microseconds.
        A::Interval(arrow::datatypes::IntervalUnit::YearMonth) => Values::Fixed(
            prim::<arrow::datatypes::IntervalYearMonthType>(a)?
                .iter()
                .map(|v| v.map(|x| x as i64 as u64))
                .collect(),
        ),
        A::Duration(arrow::datatypes::TimeUnit::Microsecond) => Values::Fixed(
            prim::<arrow::datatypes::DurationMicrosecondType>(a)?
                .iter()
                .map(|v| v.map(|x| x as u64))
                .collect(),
        ),
        A::Utf8 => Values::Bytes(strings(a)?.iter().map(|v| v.map(str::as_bytes)).collect()),
        A::Binary => Values::Bytes(super::columns::downcast::<BinaryArray>(a)?.iter().collect()),
        A::Null => Values::Fixed(vec![None; a.len()]),
        // Only which rows are null: decimal values are read by
        // `decimal_values` (sums) or in their stored form (`stored_form`).
        A::Decimal128(..) => Values::Fixed(
            super::columns::downcast::<arrow::array::Decimal128Array>(a)?
                .iter()
                .map(|v| v.map(|x| x as u64))
                .collect(),
        ),
        t => return Err(internal(format!("aggregate over {t}"))),
    })
}

/// A decimal column as the table stores its values (a binary column of
/// [`encode_decimal`] bytes, so keys and min/max/first/last take the bytes
/// path); other columns as they are.
fn stored_form(a: &ArrayRef) -> Result<ArrayRef> {
    if !matches!(a.data_type(), A::Decimal128(..)) {
        return Ok(a.clone());
    }
    let d = super::columns::downcast::<arrow::array::Decimal128Array>(a.as_ref())?;
    let enc: Vec<Option<[u8; 16]>> = d.iter().map(|v| v.map(encode_decimal)).collect();
    Ok(std::sync::Arc::new(BinaryArray::from_iter(
        enc.iter().map(|v| v.as_ref().map(|b| &b[..])),
    )))
}

/// The unscaled values of a decimal argument.
fn decimal_values(a: &ArrayRef) -> Result<Vec<Option<i128>>> {
    Ok(match a.data_type() {
        A::Null => vec![None; a.len()],
        _ => super::columns::downcast::<arrow::array::Decimal128Array>(a.as_ref())?
            .iter()
            .collect(),
    })
}

/// The evaluated keys and arguments of one batch.
pub struct AggInputs {
    pub len: usize,
    pub keys: Vec<ArrayRef>,
    /// `None` for count(*).
    pub args: Vec<Option<ArrayRef>>,
}

/// Updates `table` with every row of `inputs`, in row order (grouping sets
/// in spec order within a row). Stops at the first error (a `sum` overflow),
/// leaving the rows before it applied, as the JIT does.
#[allow(clippy::needless_range_loop)] // one pass without a window, `starts[wi]` with one
pub fn update(
    spec: &AggSpec,
    layout: &TableLayout,
    inputs: &AggInputs,
    table: &mut AggTable,
    late_rows: &mut LateRows,
) -> Result<()> {
    // Decimal keys, and decimal arguments kept as bytes, in the form the
    // table stores them (see `stored_form`).
    let stored = AggInputs {
        len: inputs.len,
        keys: inputs
            .keys
            .iter()
            .map(stored_form)
            .collect::<Result<Vec<_>>>()?,
        args: inputs
            .args
            .iter()
            .zip(&layout.accs)
            .map(|(a, k)| match a {
                Some(a) if k.stores_bytes() => stored_form(a).map(Some),
                a => Ok(a.clone()),
            })
            .collect::<Result<Vec<_>>>()?,
    };
    let inputs = &stored;
    let keys = inputs.keys.iter().map(values).collect::<Result<Vec<_>>>()?;
    let cols = Cols::new(spec, layout, inputs)?;
    let gids: Vec<i64> = spec
        .grouping_sets
        .iter()
        .map(|&s| spec.grouping_id(s))
        .collect();
    let mut row = vec![0u8; layout.key_width];
    let mut scratch: Vec<u8> = Vec::new();
    let watermark = late_rows.watermark();
    let mut late = 0u64;
    // Per row: the key values, the window start replacing the time column.
    let mut starts: Vec<i64> = Vec::new();
    for i in 0..inputs.len {
        if let Some(k) = spec
            .event_time_key
            .filter(|&k| spec.window.is_none_or(|w| w.key != k))
        {
            if let Values::Fixed(v) = &keys[k] {
                if v[i].is_some_and(|t| t as i64 <= watermark) {
                    late += 1;
                    late_rows.note(i as u64);
                    continue;
                }
            }
        }
        let window = match (spec.window, spec.window.map(|w| &keys[w.key])) {
            (Some(w), Some(Values::Fixed(t))) => {
                // A row without event time is in no window.
                let Some(t) = t[i] else { continue };
                starts.clear();
                starts.extend(w.window.starts(t as i64));
                Some(w)
            }
            _ => None,
        };
        let n_windows = if window.is_some() { starts.len() } else { 1 };
        for wi in 0..n_windows {
            let start = window.map(|w| (w.key, starts[wi]));
            if let Some((_, st)) = start {
                let w = spec.window.expect("window rows have a window");
                if spec.event_time_key == Some(w.key)
                    && st.wrapping_add(w.window.size_us) <= watermark
                {
                    late += 1;
                    // The latest window late: every window of the row is.
                    if wi == 0 {
                        late_rows.note(i as u64);
                    }
                    continue;
                }
            }
            for (s, &set) in spec.grouping_sets.iter().enumerate() {
                row.fill(0);
                scratch.clear();
                let mut h = hash::SEED;
                for (k, vals) in keys.iter().enumerate() {
                    let grouped = set & (1u64 << k) != 0;
                    let window_start = match start {
                        Some((wk, st)) if wk == k => Some(st as u64),
                        _ => None,
                    };
                    h = put_key(
                        layout,
                        vals,
                        i,
                        k,
                        grouped,
                        window_start,
                        &mut row,
                        &mut scratch,
                        h,
                    );
                }
                if spec.has_grouping_id() {
                    let g = gids[s] as u64;
                    write_u64(&mut row, layout.key_offsets[keys.len()], g);
                    h = hash::combine(h, g);
                }
                let (g, _) = table.find_or_insert_stored(hash::finish(h), &row, &scratch);
                if let Err(e) = update_accs(spec, layout, table, g, i, &cols) {
                    late_rows.add(late);
                    return Err(e);
                }
            }
        }
    }
    late_rows.add(late);
    Ok(())
}

/// Writes key `k` of row `i` into the key row (strings into `scratch`) and
/// mixes it into the hash `h`: its value, a window start in its place, or
/// null when rolled up (`grouped` false) or null.
#[allow(clippy::too_many_arguments)]
fn put_key(
    layout: &TableLayout,
    vals: &Values,
    i: usize,
    k: usize,
    grouped: bool,
    window_start: Option<u64>,
    row: &mut [u8],
    scratch: &mut Vec<u8>,
    h: u64,
) -> u64 {
    let o = layout.key_offsets[k];
    match vals {
        Values::Fixed(v) => match window_start.or(v[i]).filter(|_| grouped) {
            Some(x) => {
                write_u64(row, o, x);
                hash::combine(h, x)
            }
            None => {
                row[k] = 1;
                hash::combine(h, hash::NULL_MARK)
            }
        },
        Values::Bytes(v) => match v[i].filter(|_| grouped) {
            Some(b) => {
                write_u64(row, o, scratch.len() as u64);
                write_u64(row, o + 8, b.len() as u64);
                scratch.extend_from_slice(b);
                hash::combine_bytes(h, b)
            }
            None => {
                row[k] = 1;
                hash::combine(h, hash::NULL_MARK)
            }
        },
    }
}

/// Per row, its group in `table` by `keys`, or -1 when a key is null (nulls
/// never join) or the key is absent — what a probe kernel returns.
pub fn probe(
    layout: &TableLayout,
    keys: &[ArrayRef],
    len: usize,
    table: &AggTable,
) -> Result<Vec<i64>> {
    let stored = keys.iter().map(stored_form).collect::<Result<Vec<_>>>()?;
    let keys = stored.iter().map(values).collect::<Result<Vec<_>>>()?;
    let mut row = vec![0u8; layout.key_width];
    let mut scratch: Vec<u8> = Vec::new();
    let mut out = vec![-1i64; len];
    for (i, slot) in out.iter_mut().enumerate() {
        if keys.iter().any(|k| k.is_null(i)) {
            continue;
        }
        row.fill(0);
        scratch.clear();
        let mut h = hash::SEED;
        for (k, vals) in keys.iter().enumerate() {
            h = put_key(layout, vals, i, k, true, None, &mut row, &mut scratch, h);
        }
        if let Some(g) = table.find_stored(hash::finish(h), &row, &scratch) {
            *slot = g as i64;
        }
    }
    Ok(out)
}

fn float_values(a: &ArrayRef) -> Result<Vec<Option<f64>>> {
    let a = a.as_ref();
    Ok(match a.data_type() {
        A::Float64 => prim::<Float64Type>(a)?.iter().collect(),
        A::Float32 => prim::<Float32Type>(a)?
            .iter()
            .map(|v| v.map(f64::from))
            .collect(),
        A::Int8 => prim::<arrow::datatypes::Int8Type>(a)?
            .iter()
            .map(|v| v.map(f64::from))
            .collect(),
        A::Int16 => prim::<arrow::datatypes::Int16Type>(a)?
            .iter()
            .map(|v| v.map(f64::from))
            .collect(),
        A::Int32 => prim::<Int32Type>(a)?
            .iter()
            .map(|v| v.map(f64::from))
            .collect(),
        A::Int64 => prim::<Int64Type>(a)?
            .iter()
            .map(|v| v.map(|x| x as f64))
            .collect(),
        A::Date32 => prim::<Date32Type>(a)?
            .iter()
            .map(|v| v.map(f64::from))
            .collect(),
        A::Timestamp(..) => prim::<TimestampMicrosecondType>(a)?
            .iter()
            .map(|v| v.map(|x| x as f64))
            .collect(),
        A::Null => vec![None; a.len()],
        A::Decimal128(_, s) => {
            let s = *s as u8;
            super::columns::downcast::<arrow::array::Decimal128Array>(a)?
                .iter()
                .map(|v| v.map(|x| crate::decimal::to_f64(x, s)))
                .collect()
        }
        t => return Err(internal(format!("sum/avg over {t}"))),
    })
}

/// The evaluated arguments of one batch, read the ways the accumulators
/// need them. A packed argument (`struct(x, y, …)`, see
/// [`AggFunc::packs_args`]) is its first field, its second in `seconds`.
struct Cols<'a> {
    args: Vec<Option<Values<'a>>>,
    /// Sums, moments and percentiles read raw doubles (integers
    /// converted); first/last, collect_list and max_by keep a double's own bits.
    sums: Vec<Option<Vec<Option<f64>>>>,
    /// The second packed field: corr's y (as doubles in `seconds_f`),
    /// max_by's ordering.
    seconds: Vec<Option<Values<'a>>>,
    seconds_f: Vec<Option<Vec<Option<f64>>>>,
    /// approx_count_distinct: each value's Spark xxHash64.
    hashes: Vec<Option<Vec<u64>>>,
    /// Unscaled decimals (decimal sums).
    decimals: Vec<Option<Vec<Option<i128>>>>,
}

impl<'a> Cols<'a> {
    fn new(spec: &AggSpec, layout: &TableLayout, inputs: &'a AggInputs) -> Result<Cols<'a>> {
        let mut c = Cols {
            args: Vec::new(),
            sums: Vec::new(),
            seconds: Vec::new(),
            seconds_f: Vec::new(),
            hashes: Vec::new(),
            decimals: Vec::new(),
        };
        for (a, (kind, arg)) in layout.accs.iter().zip(&inputs.args).enumerate() {
            let func = spec.aggs[a].func;
            let (main, second): (Option<&ArrayRef>, Option<&ArrayRef>) = match arg {
                Some(x) if func.packs_args() => {
                    let s = x.as_any().downcast_ref::<StructArray>().ok_or_else(|| {
                        internal(format!("{} without its packed arguments", func.name()))
                    })?;
                    (
                        Some(s.column(0)),
                        (s.num_columns() > 1).then(|| s.column(1)),
                    )
                }
                x => (x.as_ref(), None),
            };
            c.args.push(main.map(values).transpose()?);
            let is_f64 = main.is_some_and(|m| *m.data_type() == A::Float64);
            let is_float = is_f64 || main.is_some_and(|m| *m.data_type() == A::Float32);
            let wants_sum = match kind {
                AccKind::SumFloat | AccKind::Moments | AccKind::Moments4 | AccKind::CoMoments => {
                    true
                }
                AccKind::Pick { .. } => is_float,
                AccKind::Side => match func {
                    AggFunc::Percentile { .. } | AggFunc::PercentileApprox { .. } => true,
                    AggFunc::CollectList | AggFunc::MaxBy | AggFunc::MinBy => is_f64,
                    _ => false,
                },
                _ => false,
            };
            c.sums.push(match main {
                Some(m) if wants_sum => Some(float_values(m)?),
                _ => None,
            });
            c.seconds.push(match second {
                Some(s) if matches!(func, AggFunc::MaxBy | AggFunc::MinBy) => Some(values(s)?),
                _ => None,
            });
            c.seconds_f.push(match second {
                Some(s) if *kind == AccKind::CoMoments => Some(float_values(s)?),
                _ => None,
            });
            c.hashes.push(match main {
                Some(m) if matches!(func, AggFunc::ApproxCountDistinct { .. }) => {
                    Some(crate::functions::hash::xxhash64_each(m)?)
                }
                _ => None,
            });
            c.decimals.push(match main {
                Some(m) if *kind == AccKind::SumDecimal => Some(decimal_values(m)?),
                _ => None,
            });
        }
        Ok(c)
    }

    /// Row `i`'s value of aggregate `a` as a state keeps it: a double's own
    /// bits when `raw`, else as the table encodes it.
    fn val(&self, a: usize, i: usize, raw: bool) -> Option<Val> {
        if raw {
            if let Some(f) = &self.sums[a] {
                return f[i].map(|x| Val::Fixed(x.to_bits()));
            }
        }
        match self.args[a].as_ref()? {
            Values::Fixed(v) => v[i].map(Val::Fixed),
            Values::Bytes(v) => v[i].map(|b| Val::Bytes(b.into())),
        }
    }

    /// What row `i` offers side accumulator `a`, if anything.
    fn offer(&self, func: AggFunc, a: usize, i: usize) -> Option<Offer> {
        let num = || self.sums[a].as_ref().and_then(|s| s[i]);
        Some(match func {
            AggFunc::CollectList => Offer::Val(self.val(a, i, true)?),
            AggFunc::CollectSet | AggFunc::CollectDistinct | AggFunc::Mode => {
                Offer::Val(self.val(a, i, false)?)
            }
            AggFunc::Percentile { .. } => Offer::Val(Val::Fixed(encode_f64(num()?))),
            AggFunc::PercentileApprox { .. } => Offer::Num(num()?),
            AggFunc::ApproxCountDistinct { .. } => {
                self.val(a, i, false)?;
                Offer::Hash(self.hashes[a].as_ref()?[i])
            }
            AggFunc::MaxBy | AggFunc::MinBy => {
                let ord = match self.seconds[a].as_ref()? {
                    Values::Fixed(v) => Val::Fixed(v[i]?),
                    Values::Bytes(v) => Val::Bytes(v[i]?.into()),
                };
                Offer::By {
                    value: self.val(a, i, true),
                    ord,
                }
            }
            _ => return None,
        })
    }
}

fn update_accs(
    spec: &AggSpec,
    layout: &TableLayout,
    table: &mut AggTable,
    g: usize,
    i: usize,
    cols: &Cols,
) -> Result<()> {
    let (args, sums) = (&cols.args, &cols.sums);
    for (a, kind) in layout.accs.iter().enumerate() {
        let o = layout.acc_offsets[a];
        let arg = args[a].as_ref();
        let is_null = arg.is_some_and(|v| v.is_null(i));
        let func = layout.funcs[a].0;
        let keeps_nulls = matches!(kind, AccKind::Pick { .. } | AccKind::PickStr { .. })
            || matches!(func, AggFunc::MaxBy | AggFunc::MinBy);
        if is_null && !keeps_nulls {
            continue;
        }
        if layout.arg_types[a] == Some(DataType::Null) && *kind != AccKind::Count {
            continue; // always null: nothing to add (as the JIT)
        }
        match (kind, arg) {
            (AccKind::Count, _) => {
                let acc = table.acc_row_mut(g);
                write_u64(acc, o, read_u64(acc, o).wrapping_add(1));
            }
            (AccKind::SumInt, Some(Values::Fixed(v))) => {
                let x = v[i].unwrap_or(0) as i64;
                let acc = table.acc_row_mut(g);
                let sum = add_to_int_sum(
                    layout.arg_types[a].as_ref(),
                    read_u64(acc, o) as i64,
                    x,
                    || agg_name(spec, a),
                )?;
                write_u64(acc, o, sum as u64);
                write_u64(acc, o + 8, read_u64(acc, o + 8) + 1);
            }
            (AccKind::SumFloat, _) => {
                let x = sums[a].as_ref().and_then(|s| s[i]).unwrap_or(0.0);
                let acc = table.acc_row_mut(g);
                write_u64(acc, o, (f64::from_bits(read_u64(acc, o)) + x).to_bits());
                write_u64(acc, o + 8, read_u64(acc, o + 8) + 1);
            }
            (AccKind::MinFixed | AccKind::MaxFixed, Some(Values::Fixed(v))) => {
                let x = v[i].unwrap_or(0);
                let ty = layout.arg_types[a].as_ref().unwrap_or(&DataType::Null);
                let acc = table.acc_row_mut(g);
                let (cur, n) = (read_u64(acc, o), read_u64(acc, o + 8));
                let ord = compare_encoded(ty, x, cur);
                let better = if *kind == AccKind::MinFixed {
                    ord.is_lt()
                } else {
                    ord.is_gt()
                };
                if n == 0 || better {
                    write_u64(acc, o, x);
                }
                write_u64(acc, o + 8, n + 1);
            }
            (AccKind::MinStr | AccKind::MaxStr, Some(Values::Bytes(v))) => {
                let b = v[i].unwrap_or_default();
                let better = match table.acc_str(g, a) {
                    None => true,
                    Some(cur) if *kind == AccKind::MinStr => b < cur,
                    Some(cur) => b > cur,
                };
                if better {
                    table.set_acc_str(g, a, b);
                }
            }
            (&AccKind::Pick { last, ignore_nulls }, Some(Values::Fixed(v))) => {
                let acc = table.acc_row_mut(g);
                if pick_takes(last, ignore_nulls, read_u64(acc, o + 8), is_null) {
                    // Doubles keep their own bits (-0.0, NaN payloads).
                    let x = match sums[a].as_ref() {
                        Some(f) => f[i].map(f64::to_bits),
                        None => v[i],
                    };
                    write_u64(acc, o, x.unwrap_or(0));
                    write_u64(acc, o + 8, if is_null { PICK_NULL } else { PICK_VALUE });
                }
            }
            (&AccKind::PickStr { last, ignore_nulls }, Some(Values::Bytes(v))) => {
                let unset = table.acc_str_unset(g, a) as u64;
                // pick_takes wants the state: unset is PICK_UNSET (0).
                if pick_takes(last, ignore_nulls, 1 - unset, is_null) {
                    match v[i] {
                        Some(b) => table.set_acc_str(g, a, b),
                        None => table.set_acc_str_null(g, a),
                    }
                }
            }
            (AccKind::SumDecimal, _) => {
                let x = cols.decimals[a].as_ref().and_then(|d| d[i]).unwrap_or(0);
                let sum_ps = crate::decimal::sum_type(layout.decimal_arg(a));
                decimal_sum::add(table.acc_row_mut(g), o, x, 1, sum_ps)?;
            }
            (AccKind::Moments, _) => {
                let x = sums[a].as_ref().and_then(|s| s[i]).unwrap_or(0.0);
                moments::update(table.acc_row_mut(g), o, x);
            }
            (AccKind::Distinct, Some(Values::Fixed(v))) => {
                table.distinct_insert(g, a, DistinctVal::Fixed(v[i].unwrap_or(0)))?;
            }
            (AccKind::Distinct, Some(Values::Bytes(v))) => {
                table.distinct_insert(g, a, DistinctVal::Bytes(v[i].unwrap_or_default()))?;
            }
            (AccKind::Bits, Some(Values::Fixed(v))) => {
                bits::update(func, table.acc_row_mut(g), o, v[i].unwrap_or(0));
            }
            (AccKind::Moments4, _) => {
                let x = sums[a].as_ref().and_then(|s| s[i]).unwrap_or(0.0);
                moments4::update(table.acc_row_mut(g), o, x);
            }
            (AccKind::CoMoments, _) => {
                let x = sums[a].as_ref().and_then(|s| s[i]);
                let y = cols.seconds_f[a].as_ref().and_then(|s| s[i]);
                if let (Some(x), Some(y)) = (x, y) {
                    comoments::update(table.acc_row_mut(g), o, x, y);
                }
            }
            (AccKind::Side, _) => {
                if let Some(offer) = cols.offer(func, a, i) {
                    table.side_offer(g, a, offer);
                }
            }
            (k, _) => return Err(internal(format!("accumulator {k:?} with its argument"))),
        }
    }
    Ok(())
}

/// `sum(x)` as the error names it.
fn agg_name(spec: &AggSpec, a: usize) -> String {
    let call = &spec.aggs[a];
    match &call.arg {
        Some(x) if call.func != AggFunc::CountStar => format!("{}({x})", call.func.name()),
        _ => format!("{}(*)", call.func.name()),
    }
}
