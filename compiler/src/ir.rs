//! The typed IR: what a kernel computes, with every name resolved to a column
//! index, every implicit cast made explicit and every value's type and
//! nullability known. Both back ends consume it: `codegen` (Cranelift) and
//! `interp` (the interpreted twin on Arrow's compute kernels).
//!
//! Invariants the analyzer guarantees and the back ends rely on:
//! - the operands of a `Binary` node have the same type (casts are explicit);
//!   comparisons yield `Boolean`; `Div` is only on `Float64` (Spark's `/`);
//! - `And`/`Or`/`Not` operands and `Case` conditions are `Boolean`;
//! - `Like`/`RLike` patterns are literals, known at compile time;
//! - `ty` is `Struct` only in pipelines the interpreted twin runs (struct
//!   columns, `GetField`, `from_json`, `to_json`, `struct`): the JIT hands
//!   those pipelines to it (see [`crate::kernel::needs_interpreter`]).

use std::fmt;

use std::sync::Arc;

use crate::types::{DataType, Scalar};

/// A typed, resolved expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TExpr {
    pub kind: TExprKind,
    pub ty: DataType,
    pub nullable: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TExprKind {
    /// The value of column `index` of the current step's input; `name` is
    /// for messages and `explain` only.
    Column {
        index: usize,
        name: Arc<str>,
    },
    Literal(Scalar),
    Unary {
        op: UnaryOp,
        arg: Box<TExpr>,
    },
    Binary {
        op: BinaryOp,
        left: Box<TExpr>,
        right: Box<TExpr>,
    },
    IsNull(Box<TExpr>),
    IsNotNull(Box<TExpr>),
    /// SQL `LIKE` with `%`, `_` and `\` escapes; `case_insensitive` for ILIKE.
    Like {
        arg: Box<TExpr>,
        pattern: String,
        negated: bool,
        case_insensitive: bool,
    },
    /// `RLIKE`/`REGEXP`: true when the regex matches anywhere in the string.
    RLike {
        arg: Box<TExpr>,
        pattern: String,
        negated: bool,
    },
    /// `arg [NOT] IN (list)`, list items of the same type as `arg`; SQL's
    /// null rules (no match and a null in the list gives null).
    InList {
        arg: Box<TExpr>,
        list: Vec<TExpr>,
        negated: bool,
    },
    /// Searched CASE: the first branch whose condition is true; evaluation is
    /// lazy (a branch not taken never raises an error), as in Spark.
    Case {
        branches: Vec<(TExpr, TExpr)>,
        otherwise: Option<Box<TExpr>>,
    },
    /// ANSI cast: an invalid or overflowing value is an error.
    Cast {
        arg: Box<TExpr>,
    },
    /// The first non-null argument, evaluated lazily.
    Coalesce(Vec<TExpr>),
    Call {
        func: ScalarFunc,
        args: Vec<TExpr>,
    },
    /// A call of a function of the catalog ([`crate::functions`]) that the
    /// JIT does not emit inline: pipelines holding one run in the twin.
    Function {
        func: crate::functions::FunctionRef,
        args: Vec<TExpr>,
    },
    /// Field `index` of a struct value (null where the struct is null).
    GetField {
        arg: Box<TExpr>,
        index: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// Arithmetic negation; overflow (of the minimum integer) is an error.
    Neg,
    /// Boolean NOT (null stays null).
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    /// Spark's `/`: always on doubles here; a zero divisor is an error.
    Div,
    /// `%` (remainder, sign of the dividend); a zero divisor is an error.
    Mod,
    /// Spark's `div`: the integral quotient, truncated toward zero, as a
    /// BIGINT (operands both BIGINT, or both decimals); a zero divisor is
    /// an error, and so is `MIN div -1`.
    IntDiv,
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    /// `<=>`: null-safe equality, never null.
    EqNullSafe,
    /// Kleene AND; the right side is not evaluated where the left is false.
    And,
    /// Kleene OR; the right side is not evaluated where the left is true.
    Or,
}

impl BinaryOp {
    pub fn is_comparison(self) -> bool {
        use BinaryOp::*;
        matches!(self, Eq | NotEq | Lt | LtEq | Gt | GtEq | EqNullSafe)
    }

    pub fn is_arithmetic(self) -> bool {
        use BinaryOp::*;
        matches!(self, Add | Sub | Mul | Div | Mod | IntDiv)
    }

    pub fn symbol(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Mod => "%",
            IntDiv => "div",
            Eq => "=",
            NotEq => "!=",
            Lt => "<",
            LtEq => "<=",
            Gt => ">",
            GtEq => ">=",
            EqNullSafe => "<=>",
            And => "AND",
            Or => "OR",
        }
    }
}

/// Scalar functions. Argument types are fixed by the analyzer:
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarFunc {
    /// (string) -> string
    Lower,
    /// (string) -> string
    Upper,
    /// (string) -> int: length in characters.
    Length,
    /// (string, int pos [, int len]) -> string; 1-based, in characters, Spark's
    /// rules for pos <= 0.
    Substring,
    /// (string, ...) -> string; null if any argument is null.
    Concat,
    /// (string) -> string: strips spaces at both ends.
    Trim,
    LTrim,
    RTrim,
    /// (numeric) -> same type; abs of the minimum integer is an error.
    Abs,
    /// (double, int scale) -> double, HALF_UP as Spark's `round`.
    Round,
    /// (double) -> bigint
    Floor,
    /// (double) -> bigint
    Ceil,
    /// (double) -> double (NaN for negative input, as Spark).
    Sqrt,
    /// (string) -> timestamp: parses `yyyy-MM-dd[ HH:mm:ss[.SSSSSS]]`; an
    /// unparseable string is an error under ANSI.
    ToTimestamp,
    /// (timestamp) -> timestamp truncated to the unit; the unit is the
    /// first argument, a string literal ('year', 'month', 'day', 'hour', ...).
    DateTrunc,
    /// (timestamp | date) -> int
    Year,
    Month,
    DayOfMonth,
    Hour,
    Minute,
    Second,
    /// (timestamp, bigint µs) -> timestamp: `t + INTERVAL …` (and `-`);
    /// overflow is an error under ANSI.
    TimestampAdd,
    /// (any, ...) -> struct whose field names the result type carries.
    Struct,
}

impl ScalarFunc {
    pub fn name(self) -> &'static str {
        use ScalarFunc::*;
        match self {
            Lower => "lower",
            Upper => "upper",
            Length => "length",
            Substring => "substring",
            Concat => "concat",
            Trim => "trim",
            LTrim => "ltrim",
            RTrim => "rtrim",
            Abs => "abs",
            Round => "round",
            Floor => "floor",
            Ceil => "ceil",
            Sqrt => "sqrt",
            ToTimestamp => "to_timestamp",
            DateTrunc => "date_trunc",
            Year => "year",
            Month => "month",
            DayOfMonth => "dayofmonth",
            Hour => "hour",
            Minute => "minute",
            Second => "second",
            TimestampAdd => "timestamp_add_us",
            Struct => "struct",
        }
    }
}

/// One column a pipeline reads: its type and whether it may hold nulls.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ColumnType {
    pub ty: DataType,
    pub nullable: bool,
}

/// A fused pipeline: one loop over the rows of an input batch, through the
/// steps in order, into the sink. Each step's expressions read the columns
/// the previous step produced (the first step reads the input batch).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PipelineSpec {
    pub input: Vec<ColumnType>,
    pub steps: Vec<Step>,
    pub sink: PipelineSink,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// Keep the rows where the predicate is true (null and false drop them).
    Filter(TExpr),
    /// Replace the current columns with these.
    Project(Vec<TExpr>),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PipelineSink {
    /// Emit the surviving rows with the final columns, as a RecordBatch.
    Collect,
    /// Update a hash-aggregate table with the surviving rows.
    Aggregate(AggSpec),
    /// Look each surviving row's keys up in a hash table built by an
    /// aggregate over the same key types (a join's build side): its group,
    /// or -1 when absent or when a key is null (nulls never join). The
    /// spec's keys only matter; it has one grouping set and no aggregates.
    Probe(AggSpec),
}

impl PipelineSink {
    /// The table layout's spec (aggregate and probe sinks).
    pub fn table_spec(&self) -> Option<&AggSpec> {
        match self {
            PipelineSink::Aggregate(a) | PipelineSink::Probe(a) => Some(a),
            PipelineSink::Collect => None,
        }
    }
}

/// A hash aggregate with grouping sets (a plain GROUP BY has one set holding
/// every key; CUBE and ROLLUP have several). Keys and aggregate arguments are
/// expressions over the pipeline's final columns.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AggSpec {
    pub keys: Vec<TExpr>,
    /// Each set is a bitmask over `keys` (bit i set: key i is grouped; clear:
    /// rolled up, i.e. null in this set's rows). With more than one set the
    /// table holds a hidden `Int64` key after the real ones, Spark's
    /// grouping id: bit (n-1-i) set when key i is rolled up.
    pub grouping_sets: Vec<u64>,
    pub aggs: Vec<AggCall>,
    /// An event-time window key: key `key`'s expression is the time column,
    /// and each row counts in every window covering it; the table stores
    /// the window's start, the output a `window` struct of start and end.
    pub window: Option<WindowKey>,
    /// The key carrying the watermark (the window, or an event-time column):
    /// rows whose key is at or behind the watermark (a window: whose end is)
    /// are late and dropped, and such groups can be evicted.
    pub event_time_key: Option<usize>,
}

/// The window grouping key of an [`AggSpec`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WindowKey {
    pub key: usize,
    pub window: WindowSpec,
}

/// Spark's `window(time, size, slide, start)`, in microseconds: windows
/// `[start + k·slide, start + k·slide + size)` for every integer `k`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WindowSpec {
    pub size_us: i64,
    pub slide_us: i64,
    pub start_us: i64,
}

impl WindowSpec {
    /// The start of the latest window covering `t`.
    pub fn last_start(&self, t: i64) -> i64 {
        t.wrapping_sub(t.wrapping_sub(self.start_us).rem_euclid(self.slide_us))
    }

    /// The starts of every window covering `t`, latest first.
    pub fn starts(&self, t: i64) -> impl Iterator<Item = i64> + '_ {
        let last = self.last_start(t);
        (0i64..)
            .map(move |i| last.wrapping_sub(i.wrapping_mul(self.slide_us)))
            .take_while(move |s| s.wrapping_add(self.size_us) > t)
    }

    pub fn is_tumbling(&self) -> bool {
        self.size_us == self.slide_us
    }

    /// `window(time, 10 minutes[, slide][, start])`, for plans and explain.
    pub fn display(&self, time: &str) -> String {
        let d = crate::interval::format_duration_us;
        let mut s = format!("window({time}, {}", d(self.size_us));
        if !self.is_tumbling() || self.start_us != 0 {
            s += &format!(", {}", d(self.slide_us));
        }
        if self.start_us != 0 {
            s += &format!(", {}", d(self.start_us));
        }
        s + ")"
    }
}

impl AggSpec {
    /// Whether the table carries the hidden grouping-id key.
    pub fn has_grouping_id(&self) -> bool {
        self.grouping_sets.len() > 1
    }

    /// Spark's grouping id of a set.
    pub fn grouping_id(&self, set: u64) -> i64 {
        let n = self.keys.len();
        let mut id = 0i64;
        for i in 0..n {
            if set & (1 << i) == 0 {
                id |= 1 << (n - 1 - i);
            }
        }
        id
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AggCall {
    pub func: AggFunc,
    /// `None` only for `CountStar`.
    pub arg: Option<TExpr>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AggFunc {
    /// count(*): rows. Result bigint, never null.
    CountStar,
    /// count(x): non-null values. Result bigint, never null.
    Count,
    /// sum: bigint for integer input (overflow is an error), double for double.
    /// Null when no non-null value was seen.
    Sum,
    /// min/max of the argument's type; NaN is greater than every number.
    Min,
    Max,
    /// avg: double; null when no non-null value was seen.
    Avg,
    /// first(x[, ignoreNulls]) / last(x[, ignoreNulls]): the value of the
    /// first (last) row in input order, a null one included unless
    /// `ignore_nulls`. Of the argument's type.
    First {
        ignore_nulls: bool,
    },
    Last {
        ignore_nulls: bool,
    },
    /// Variance and standard deviation (double), from Spark's central
    /// moments (count, mean, M2); the sample forms are null for one row.
    VarSamp,
    VarPop,
    StddevSamp,
    StddevPop,
    /// count(DISTINCT x), sum(DISTINCT x), avg(DISTINCT x): over the distinct
    /// non-null values; static data only (Spark refuses them on streams).
    CountDistinct,
    SumDistinct,
    AvgDistinct,
    /// bit_and/bit_or/bit_xor of an integral argument (its type); null
    /// without a non-null value.
    BitAnd,
    BitOr,
    BitXor,
    /// Third and fourth central moments (double; null without rows or when
    /// every value is the same, as Spark 4).
    Skewness,
    Kurtosis,
    /// Two-column statistics over `struct(x, y)` (rows where both are non-null).
    Corr,
    CovarPop,
    CovarSamp,
    /// max_by(x, ord) / min_by(x, ord) over `struct(x, ord)`: the value of
    /// `x` at the largest (smallest) non-null `ord`, the first one on ties.
    MaxBy,
    MinBy,
    /// The non-null values as an array (in input order; collect_set without
    /// repeats). Empty, never null, without values.
    CollectList,
    CollectSet,
    /// collect_list(DISTINCT x) / collect_set(DISTINCT x): collect_set's
    /// answer, but a DISTINCT aggregate (refused on streams, as Spark).
    CollectDistinct,
    /// Exact percentiles (double, Spark's linear interpolation), over
    /// `struct(x, p1, p2, …)` with literal percentages; `array` when the
    /// percentage was an array (the result is then an array of doubles).
    /// median(x) is `Percentile` of 0.5.
    Percentile {
        array: bool,
        median: bool,
    },
    /// percentile_approx / approx_percentile: Spark's Greenwald–Khanna
    /// summaries with relative error 1/accuracy, over `struct(x, p1, …)`;
    /// the result has x's type (an array of it with `array`).
    PercentileApprox {
        array: bool,
        accuracy: u32,
    },
    /// approx_count_distinct(x[, rsd]): Spark's HyperLogLog++ with `p`
    /// index bits (from rsd); bigint, never null.
    ApproxCountDistinct {
        p: u8,
    },
    /// mode(x): the most frequent non-null value (the smallest on ties).
    Mode,
}

impl AggFunc {
    pub fn name(self) -> &'static str {
        match self {
            AggFunc::CountStar | AggFunc::Count | AggFunc::CountDistinct => "count",
            AggFunc::Sum | AggFunc::SumDistinct => "sum",
            AggFunc::Min => "min",
            AggFunc::Max => "max",
            AggFunc::Avg | AggFunc::AvgDistinct => "avg",
            AggFunc::First { .. } => "first",
            AggFunc::Last { .. } => "last",
            AggFunc::VarSamp => "var_samp",
            AggFunc::VarPop => "var_pop",
            AggFunc::StddevSamp => "stddev_samp",
            AggFunc::StddevPop => "stddev_pop",
            AggFunc::BitAnd => "bit_and",
            AggFunc::BitOr => "bit_or",
            AggFunc::BitXor => "bit_xor",
            AggFunc::Skewness => "skewness",
            AggFunc::Kurtosis => "kurtosis",
            AggFunc::Corr => "corr",
            AggFunc::CovarPop => "covar_pop",
            AggFunc::CovarSamp => "covar_samp",
            AggFunc::MaxBy => "max_by",
            AggFunc::MinBy => "min_by",
            AggFunc::CollectList => "collect_list",
            AggFunc::CollectSet => "collect_set",
            AggFunc::CollectDistinct => "collect_list",
            AggFunc::Percentile { median: true, .. } => "median",
            AggFunc::Percentile { .. } => "percentile",
            AggFunc::PercentileApprox { .. } => "percentile_approx",
            AggFunc::ApproxCountDistinct { .. } => "approx_count_distinct",
            AggFunc::Mode => "mode",
        }
    }

    /// Whether the JIT hands an aggregate kernel using it to the twin (the
    /// accumulators added with the statistical and collecting aggregates).
    pub fn interpreted_only(self) -> bool {
        use AggFunc::*;
        !matches!(
            self,
            CountStar
                | Count
                | Sum
                | Min
                | Max
                | Avg
                | First { .. }
                | Last { .. }
                | VarSamp
                | VarPop
                | StddevSamp
                | StddevPop
                | CountDistinct
                | SumDistinct
                | AvgDistinct
                | BitAnd
                | BitOr
                | BitXor
                | Skewness
                | Kurtosis
        )
    }

    /// Whether the argument is `struct(..)` of the function's arguments
    /// (two columns, or a column and its literal percentages).
    pub fn packs_args(self) -> bool {
        use AggFunc::*;
        matches!(
            self,
            Corr | CovarPop
                | CovarSamp
                | MaxBy
                | MinBy
                | Percentile { .. }
                | PercentileApprox { .. }
        )
    }

    /// Whether the function aggregates distinct values (refused on streams).
    pub fn is_distinct(self) -> bool {
        matches!(
            self,
            AggFunc::CountDistinct
                | AggFunc::SumDistinct
                | AggFunc::AvgDistinct
                | AggFunc::CollectDistinct
        )
    }

    /// Whether the result is never null (the counts).
    pub fn never_null(self) -> bool {
        matches!(
            self,
            AggFunc::Count
                | AggFunc::CountStar
                | AggFunc::CountDistinct
                | AggFunc::ApproxCountDistinct { .. }
                | AggFunc::CollectList
                | AggFunc::CollectSet
                | AggFunc::CollectDistinct
        )
    }

    /// The result type for an argument of type `arg`.
    pub fn result_type(self, arg: Option<&DataType>) -> DataType {
        use AggFunc::*;
        // The first packed argument: the column a percentile or max_by reads.
        let first = match arg {
            Some(DataType::Struct(f)) if self.packs_args() && !f.is_empty() => {
                Some(f[0].data_type.clone())
            }
            a => a.cloned(),
        };
        match (self, arg) {
            (CountStar | Count | CountDistinct | ApproxCountDistinct { .. }, _) => DataType::Int64,
            (Sum | SumDistinct, Some(DataType::Decimal(p, s))) => {
                let (p, s) = crate::decimal::sum_type((*p, *s));
                DataType::Decimal(p, s)
            }
            (Avg | AvgDistinct, Some(DataType::Decimal(p, s))) => {
                let (p, s) = crate::decimal::avg_type((*p, *s));
                DataType::Decimal(p, s)
            }
            (Skewness | Kurtosis | Corr | CovarPop | CovarSamp, _) => DataType::Float64,
            (Percentile { array: false, .. }, _) => DataType::Float64,
            (Percentile { array: true, .. }, _) => {
                DataType::Array(Box::new(DataType::Float64), false)
            }
            (PercentileApprox { array, .. }, _) => {
                let t = first.unwrap_or(DataType::Null);
                if array {
                    DataType::Array(Box::new(t), false)
                } else {
                    t
                }
            }
            (MaxBy | MinBy, _) => first.unwrap_or(DataType::Null),
            (CollectList | CollectSet | CollectDistinct, t) => {
                DataType::Array(Box::new(t.cloned().unwrap_or(DataType::Null)), false)
            }
            (BitAnd | BitOr | BitXor | Mode, t) => t.cloned().unwrap_or(DataType::Null),
            (Sum, Some(t)) if t.is_interval() => t.clone(),
            (Avg, Some(DataType::YearMonthInterval(..))) => DataType::YearMonthInterval(0, 1),
            (Avg, Some(DataType::DayTimeInterval(..))) => DataType::DayTimeInterval(0, 3),
            (Avg | AvgDistinct | VarSamp | VarPop | StddevSamp | StddevPop, _) => DataType::Float64,
            (Sum | SumDistinct, Some(t)) if t.is_integer() => DataType::Int64,
            (Sum | SumDistinct, _) => DataType::Float64,
            (Min | Max | First { .. } | Last { .. }, Some(t)) => t.clone(),
            (Min | Max | First { .. } | Last { .. }, None) => DataType::Null,
        }
    }
}

impl TExpr {
    pub fn new(kind: TExprKind, ty: DataType, nullable: bool) -> Self {
        TExpr { kind, ty, nullable }
    }

    pub fn column(index: usize, name: &str, ty: DataType, nullable: bool) -> Self {
        TExpr::new(
            TExprKind::Column {
                index,
                name: name.into(),
            },
            ty,
            nullable,
        )
    }

    pub fn binary(op: BinaryOp, left: TExpr, right: TExpr, ty: DataType, nullable: bool) -> Self {
        TExpr::new(
            TExprKind::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
            ty,
            nullable,
        )
    }

    pub fn literal(v: Scalar) -> Self {
        let ty = v.data_type();
        let nullable = v.is_null();
        TExpr::new(TExprKind::Literal(v), ty, nullable)
    }

    /// The direct children, in evaluation order.
    pub fn children(&self) -> Vec<&TExpr> {
        use TExprKind::*;
        match &self.kind {
            Column { .. } | Literal(_) => vec![],
            Unary { arg, .. }
            | IsNull(arg)
            | IsNotNull(arg)
            | Cast { arg }
            | GetField { arg, .. } => {
                vec![arg]
            }
            Like { arg, .. } | RLike { arg, .. } => vec![arg],
            Binary { left, right, .. } => vec![left, right],
            InList { arg, list, .. } => std::iter::once(arg.as_ref()).chain(list.iter()).collect(),
            Case {
                branches,
                otherwise,
            } => {
                let mut v: Vec<&TExpr> = branches.iter().flat_map(|(c, r)| [c, r]).collect();
                if let Some(o) = otherwise {
                    v.push(o);
                }
                v
            }
            Coalesce(args) | Call { args, .. } | Function { args, .. } => args.iter().collect(),
        }
    }

    /// The expression rebuilt bottom-up: `f` sees each node after its
    /// children were rebuilt (a rewrite pass such as the time zone's).
    pub fn transform_up(self, f: &mut dyn FnMut(TExpr) -> TExpr) -> TExpr {
        crate::depth::grow(|| {
            use TExprKind::*;
            let mut go = |e: TExpr| e.transform_up(f);
            let kind = match self.kind {
                k @ (Column { .. } | Literal(_)) => k,
                Unary { op, arg } => Unary {
                    op,
                    arg: Box::new(go(*arg)),
                },
                IsNull(arg) => IsNull(Box::new(go(*arg))),
                IsNotNull(arg) => IsNotNull(Box::new(go(*arg))),
                Cast { arg } => Cast {
                    arg: Box::new(go(*arg)),
                },
                GetField { arg, index } => GetField {
                    arg: Box::new(go(*arg)),
                    index,
                },
                Like {
                    arg,
                    pattern,
                    negated,
                    case_insensitive,
                } => Like {
                    arg: Box::new(go(*arg)),
                    pattern,
                    negated,
                    case_insensitive,
                },
                RLike {
                    arg,
                    pattern,
                    negated,
                } => RLike {
                    arg: Box::new(go(*arg)),
                    pattern,
                    negated,
                },
                Binary { op, left, right } => Binary {
                    op,
                    left: Box::new(go(*left)),
                    right: Box::new(go(*right)),
                },
                InList { arg, list, negated } => InList {
                    arg: Box::new(go(*arg)),
                    list: list.into_iter().map(&mut go).collect(),
                    negated,
                },
                Case {
                    branches,
                    otherwise,
                } => Case {
                    branches: branches.into_iter().map(|(c, r)| (go(c), go(r))).collect(),
                    otherwise: otherwise.map(|o| Box::new(go(*o))),
                },
                Coalesce(args) => Coalesce(args.into_iter().map(&mut go).collect()),
                Call { func, args } => Call {
                    func,
                    args: args.into_iter().map(&mut go).collect(),
                },
                Function { func, args } => Function {
                    func,
                    args: args.into_iter().map(&mut go).collect(),
                },
            };
            f(TExpr::new(kind, self.ty, self.nullable))
        })
    }
}

/// SQL-like text of an expression, used in errors (`[ARITHMETIC_OVERFLOW] ...
/// in (a + b)`), in `explain` and in the names of unnamed output columns.
impl fmt::Display for TExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::depth::grow(|| self.fmt_node(f))
    }
}

impl TExpr {
    fn fmt_node(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use TExprKind::*;
        match &self.kind {
            Column { name, .. } => write!(f, "{name}"),
            Literal(v) => write!(f, "{v}"),
            Unary {
                op: UnaryOp::Neg,
                arg,
            } => write!(f, "(- {arg})"),
            Unary {
                op: UnaryOp::Not,
                arg,
            } => write!(f, "(NOT {arg})"),
            Binary { op, left, right } => write!(f, "({left} {} {right})", op.symbol()),
            IsNull(a) => write!(f, "({a} IS NULL)"),
            IsNotNull(a) => write!(f, "({a} IS NOT NULL)"),
            Like {
                arg,
                pattern,
                negated,
                case_insensitive,
            } => write!(
                f,
                "({arg} {}{} '{pattern}')",
                if *negated { "NOT " } else { "" },
                if *case_insensitive { "ILIKE" } else { "LIKE" }
            ),
            RLike {
                arg,
                pattern,
                negated,
            } => {
                write!(
                    f,
                    "({arg} {}RLIKE '{pattern}')",
                    if *negated { "NOT " } else { "" }
                )
            }
            InList { arg, list, negated } => {
                let items: Vec<String> = list.iter().map(|e| e.to_string()).collect();
                write!(
                    f,
                    "({arg} {}IN ({}))",
                    if *negated { "NOT " } else { "" },
                    items.join(", ")
                )
            }
            Case {
                branches,
                otherwise,
            } => {
                f.write_str("CASE")?;
                for (c, r) in branches {
                    write!(f, " WHEN {c} THEN {r}")?;
                }
                if let Some(o) = otherwise {
                    write!(f, " ELSE {o}")?;
                }
                f.write_str(" END")
            }
            Cast { arg } => write!(f, "CAST({arg} AS {})", self.ty.spark_name().to_uppercase()),
            Coalesce(args) => {
                let items: Vec<String> = args.iter().map(|e| e.to_string()).collect();
                write!(f, "coalesce({})", items.join(", "))
            }
            Call { func, args } => {
                let items: Vec<String> = args.iter().map(|e| e.to_string()).collect();
                write!(f, "{}({})", func.name(), items.join(", "))
            }
            Function { func, args } => {
                let items: Vec<String> = args.iter().map(|e| e.to_string()).collect();
                match func.0.shown(&items) {
                    Some(text) => f.write_str(&text),
                    None => write!(f, "{}({})", func.name(), items.join(", ")),
                }
            }
            GetField { arg, index } => match &arg.ty {
                DataType::Struct(fields) if *index < fields.len() => {
                    write!(f, "{arg}.{}", fields[*index].name)
                }
                _ => write!(f, "{arg}.#{index}"),
            },
        }
    }
}

/// `func(arg)`, `count(*)` for `CountStar`.
impl fmt::Display for AggCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let distinct = if self.func.is_distinct() {
            "DISTINCT "
        } else {
            ""
        };
        match &self.arg {
            Some(TExpr {
                kind: TExprKind::Call { args, .. },
                ..
            }) if self.func.packs_args() => {
                let args: Vec<String> = args.iter().map(ToString::to_string).collect();
                write!(f, "{}({})", self.func.name(), args.join(", "))
            }
            Some(a) => write!(f, "{}({distinct}{a})", self.func.name()),
            None => write!(f, "{}(*)", self.func.name()),
        }
    }
}
