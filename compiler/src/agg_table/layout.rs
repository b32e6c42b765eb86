//! What a table's rows look like: each accumulator's kind and width, and
//! the [`TableLayout`] that follows from an [`AggSpec`] (key offsets, key
//! and accumulator widths, the window and event-time key).

use super::*;

/// What one accumulator's 16 bytes hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccKind {
    /// `[i64 count][unused]`
    Count,
    /// `[i64 sum][i64 non-null count]`; overflow is an error.
    SumInt,
    /// `[f64 sum][i64 non-null count]` (sum of doubles, and avg of anything).
    SumFloat,
    /// `[value as encoded u64][i64 seen count]` for a fixed-width min/max.
    MinFixed,
    MaxFixed,
    /// `[u64 arena offset][u64 length, u64::MAX while unset]`.
    MinStr,
    MaxStr,
    /// first/last of a fixed-width value: `[raw bits][state]` (see
    /// [`crate::accumulators`]).
    Pick {
        last: bool,
        ignore_nulls: bool,
    },
    /// first/last of a string: `[u64 arena offset][u64 length]`, the length
    /// [`UNSET_STR`] while unset and [`NULL_STR`] when the answer is null.
    PickStr {
        last: bool,
        ignore_nulls: bool,
    },
    /// variance/stddev: `[f64 n][f64 mean][f64 m2][unused]`, 32 bytes.
    Moments,
    /// count/sum/avg DISTINCT: `[u64 set index + 1][running sum]`.
    Distinct,
    /// sum/avg of a decimal: `[i128 unscaled sum][i64 non-null count]
    /// [unused]`, 32 bytes; a sum past its result's precision is an error.
    SumDecimal,
    /// bit_and/or/xor: `[i64 value][u64 seen count]`.
    Bits,
    /// skewness/kurtosis: `[n][mean][m2][m3][m4][unused]`, 48 bytes.
    Moments4,
    /// corr/covar: `[n][x mean][y mean][ck][x m2][y m2]`, 48 bytes.
    CoMoments,
    /// A state beside the row ([`crate::accumulators::SideStates`]):
    /// `[u64 state index + 1][unused]`.
    Side,
}

/// The value an aggregate reads: the first field of a packed argument.
fn packed_first(t: &DataType, f: AggFunc) -> &DataType {
    match t {
        DataType::Struct(fields) if f.packs_args() && !fields.is_empty() => &fields[0].data_type,
        t => t,
    }
}

impl AccKind {
    /// Whether the accumulator reads its argument as bytes (strings, and
    /// decimals in their stored form): min/max/first/last, DISTINCT sets
    /// and counts.
    pub fn stores_bytes(self) -> bool {
        matches!(
            self,
            AccKind::MinStr
                | AccKind::MaxStr
                | AccKind::PickStr { .. }
                | AccKind::Distinct
                | AccKind::Count
        )
    }

    /// Bytes the accumulator takes in the accumulator row.
    pub fn width(self) -> usize {
        match self {
            AccKind::Moments | AccKind::SumDecimal => 2 * ACC_WIDTH,
            AccKind::Moments4 | AccKind::CoMoments => 3 * ACC_WIDTH,
            _ => ACC_WIDTH,
        }
    }
}

pub const ACC_WIDTH: usize = 16;
pub const UNSET_STR: u64 = u64::MAX;

/// Everything about a table's rows that follows from its [`AggSpec`].
#[derive(Clone, Debug, PartialEq)]
pub struct TableLayout {
    /// Types of the stored keys, the hidden grouping id (Int64) last if present.
    pub key_types: Vec<DataType>,
    /// Byte offset of each key's slot in the key row.
    pub key_offsets: Vec<usize>,
    pub key_width: usize,
    pub accs: Vec<AccKind>,
    /// Byte offset of each accumulator in the accumulator row.
    pub acc_offsets: Vec<usize>,
    /// The function and result type of each aggregate.
    pub funcs: Vec<(AggFunc, DataType)>,
    /// Type of each aggregate's argument (for min/max decoding).
    pub arg_types: Vec<Option<DataType>>,
    /// Per aggregate, the literal percentages of a percentile (else empty).
    pub percentages: Vec<Vec<f64>>,
    /// The window key: stored as its start, output as `{start, end}`.
    pub window: Option<WindowKey>,
    /// The key carrying the watermark (see [`AggSpec::event_time_key`]).
    pub event_time_key: Option<usize>,
}

impl TableLayout {
    pub fn new(spec: &AggSpec) -> Result<Self> {
        let mut key_types: Vec<DataType> = spec.keys.iter().map(|k| k.ty.clone()).collect();
        if spec.has_grouping_id() {
            key_types.push(DataType::Int64);
        }
        let nulls = key_types.len().div_ceil(8) * 8;
        let mut off = nulls;
        let mut key_offsets = Vec::with_capacity(key_types.len());
        for t in &key_types {
            key_offsets.push(off);
            off += match t {
                // Decimals are stored as the 16 bytes of `encode_decimal`.
                DataType::Utf8 | DataType::Binary | DataType::Decimal(..) => 16,
                t if t.is_nested() => {
                    return Err(Error::not_supported(format!(
                        "grouping by a column of type {t} (a struct or an array)"
                    )))
                }
                _ => 8,
            };
        }
        let mut accs = Vec::new();
        let mut funcs = Vec::new();
        let mut arg_types = Vec::new();
        let mut percentages = Vec::new();
        for call in &spec.aggs {
            let arg_ty = call.arg.as_ref().map(|a| a.ty.clone());
            percentages.push(literal_percentages(call));
            if let Some(t) = arg_ty
                .as_ref()
                .filter(|t| t.is_nested() && !call.func.packs_args())
            {
                return Err(Error::not_supported(format!(
                    "{} of a {t} value (aggregates over structs and arrays)",
                    call.func.name()
                )));
            }
            let kind = match (call.func, &arg_ty) {
                (AggFunc::CountStar | AggFunc::Count, _) => AccKind::Count,
                (AggFunc::Sum | AggFunc::Avg, Some(DataType::Decimal(..))) => AccKind::SumDecimal,
                (AggFunc::Sum, Some(t)) if t.is_integer() => AccKind::SumInt,
                // Intervals sum as their months or microseconds; avg divides
                // that sum by the count, HALF_UP (Spark's interval divide).
                (AggFunc::Sum | AggFunc::Avg, Some(t)) if t.is_interval() => AccKind::SumInt,
                (AggFunc::Sum | AggFunc::Avg, Some(t))
                    if t.is_numeric() || *t == DataType::Null =>
                {
                    AccKind::SumFloat
                }
                (AggFunc::Min, Some(t)) if t.is_string_like() || t.is_decimal() => AccKind::MinStr,
                (AggFunc::Max, Some(t)) if t.is_string_like() || t.is_decimal() => AccKind::MaxStr,
                (AggFunc::Min, Some(_)) => AccKind::MinFixed,
                (AggFunc::Max, Some(_)) => AccKind::MaxFixed,
                (AggFunc::First { ignore_nulls } | AggFunc::Last { ignore_nulls }, Some(t)) => {
                    let last = matches!(call.func, AggFunc::Last { .. });
                    if t.is_string_like() || t.is_decimal() {
                        AccKind::PickStr { last, ignore_nulls }
                    } else {
                        AccKind::Pick { last, ignore_nulls }
                    }
                }
                (
                    AggFunc::VarSamp | AggFunc::VarPop | AggFunc::StddevSamp | AggFunc::StddevPop,
                    Some(t),
                ) if t.is_numeric() || *t == DataType::Null => AccKind::Moments,
                (AggFunc::CountDistinct, Some(_)) => AccKind::Distinct,
                (AggFunc::SumDistinct | AggFunc::AvgDistinct, Some(t))
                    if t.is_numeric() || *t == DataType::Null =>
                {
                    AccKind::Distinct
                }
                (AggFunc::BitAnd | AggFunc::BitOr | AggFunc::BitXor, Some(t))
                    if t.is_integer() || *t == DataType::Null =>
                {
                    AccKind::Bits
                }
                (AggFunc::Skewness | AggFunc::Kurtosis, Some(t))
                    if t.is_numeric() || *t == DataType::Null =>
                {
                    AccKind::Moments4
                }
                (AggFunc::Corr | AggFunc::CovarPop | AggFunc::CovarSamp, Some(_)) => {
                    AccKind::CoMoments
                }
                // Side states keep fixed-width values in 8 bytes: a decimal
                // is read only as a double (percentile) or hashed.
                (
                    f @ (AggFunc::MaxBy
                    | AggFunc::MinBy
                    | AggFunc::CollectList
                    | AggFunc::CollectSet
                    | AggFunc::CollectDistinct
                    | AggFunc::PercentileApprox { .. }
                    | AggFunc::Mode),
                    Some(t),
                ) if packed_first(t, f).is_decimal() => {
                    return Err(Error::not_supported(format!(
                        "{}() of a decimal value",
                        f.name()
                    )))
                }
                (
                    AggFunc::MaxBy
                    | AggFunc::MinBy
                    | AggFunc::CollectList
                    | AggFunc::CollectSet
                    | AggFunc::CollectDistinct
                    | AggFunc::Percentile { .. }
                    | AggFunc::PercentileApprox { .. }
                    | AggFunc::ApproxCountDistinct { .. }
                    | AggFunc::Mode,
                    Some(_),
                ) => AccKind::Side,
                (f, t) => {
                    return Err(Error::TypeMismatch {
                        expr: f.name().into(),
                        reason: format!(
                            "the argument of {} requires a numeric type, not {}",
                            f.name(),
                            t.as_ref()
                                .map(|t| t.spark_name())
                                .unwrap_or_else(|| "nothing".into())
                        ),
                    })
                }
            };
            accs.push(kind);
            funcs.push((call.func, call.func.result_type(arg_ty.as_ref())));
            arg_types.push(arg_ty);
        }
        let mut acc_offsets = Vec::with_capacity(accs.len());
        let mut acc_off = 0;
        for a in &accs {
            acc_offsets.push(acc_off);
            acc_off += a.width();
        }
        Ok(TableLayout {
            key_types,
            key_offsets,
            key_width: off,
            accs,
            acc_offsets,
            funcs,
            arg_types,
            percentages,
            window: spec.window,
            event_time_key: spec.event_time_key,
        })
    }

    /// Precision and scale of aggregate `i`'s decimal argument.
    pub fn decimal_arg(&self, i: usize) -> (u8, u8) {
        self.arg_types[i]
            .as_ref()
            .and_then(DataType::decimal_ps)
            .unwrap_or(crate::decimal::DEFAULT)
    }

    /// Field `k` of aggregate `i`'s packed argument (`struct(x, y)` of
    /// corr or max_by), or the argument itself for `k == 0` when unpacked.
    pub fn packed_type(&self, i: usize, k: usize) -> &DataType {
        match &self.arg_types[i] {
            Some(DataType::Struct(f)) if self.funcs[i].0.packs_args() => {
                f.get(k).map_or(&DataType::Null, |f| &f.data_type)
            }
            Some(t) if k == 0 => t,
            _ => &DataType::Null,
        }
    }

    /// Whether any aggregate keeps a state beside the row.
    pub fn has_side_states(&self) -> bool {
        self.accs.contains(&AccKind::Side)
    }

    pub fn acc_width(&self) -> usize {
        self.accs.iter().map(|a| a.width()).sum()
    }

    /// The accumulator row of a new group.
    pub fn init_accs(&self) -> Vec<u8> {
        let mut row = vec![0u8; self.acc_width()];
        for (k, &o) in self.accs.iter().zip(&self.acc_offsets) {
            if matches!(
                k,
                AccKind::MinStr | AccKind::MaxStr | AccKind::PickStr { .. }
            ) {
                row[o + 8..o + 16].copy_from_slice(&UNSET_STR.to_le_bytes());
            }
        }
        row
    }
}

/// The literal percentages packed after a percentile's column
/// (`struct(x, p1, p2, …)`), as the builder packed them.
fn literal_percentages(call: &crate::ir::AggCall) -> Vec<f64> {
    use crate::ir::TExprKind;
    use crate::types::Scalar;
    if !matches!(
        call.func,
        AggFunc::Percentile { .. } | AggFunc::PercentileApprox { .. }
    ) {
        return Vec::new();
    }
    match call.arg.as_ref().map(|a| &a.kind) {
        Some(TExprKind::Call { args, .. }) => args[1..]
            .iter()
            .filter_map(|a| match &a.kind {
                TExprKind::Literal(Scalar::Float64(p)) => Some(*p),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `sum + x` for an integer sum ([`AccKind::SumInt`]) of values of type
/// `arg`, as Spark adds them: a year-month interval's months in an `int`
/// (`[INTERVAL_ARITHMETIC_OVERFLOW]` past it), anything else in a `long`
/// (`[ARITHMETIC_OVERFLOW]` naming `expr`).
pub fn add_to_int_sum(
    arg: Option<&DataType>,
    sum: i64,
    x: i64,
    expr: impl FnOnce() -> String,
) -> crate::error::Result<i64> {
    if let Some(DataType::YearMonthInterval(..)) = arg {
        return sum
            .checked_add(x)
            .filter(|s| i32::try_from(*s).is_ok())
            .ok_or_else(|| {
                crate::error::Error::execution(
                    "INTERVAL_ARITHMETIC_OVERFLOW.WITH_SUGGESTION",
                    "Integer overflow while operating with intervals. Use `try_add` to tolerate \
                     overflow and return NULL instead.",
                )
            });
    }
    sum.checked_add(x)
        .ok_or_else(|| crate::error::Error::Overflow {
            expr: expr(),
            detail: "long overflow".into(),
        })
}
