//! Random well-typed pipelines over a fixed six-column input, for the
//! differential tests. Trees come from a seeded generator (proptest supplies
//! the seed and the data), respecting the IR's invariants: operands of a
//! binary node share a type, `/` is on doubles, logic is on booleans, LIKE
//! patterns are literals, and nullability flags are never too optimistic.

use sqlc_compiler::ir::*;
use sqlc_compiler::{DataType, Scalar};

/// splitmix64: small, seedable, good enough for shapes.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// The input's types, in column order.
pub const INPUT_TYPES: [DataType; 6] = [
    DataType::Int32,
    DataType::Int64,
    DataType::Float64,
    DataType::Boolean,
    DataType::Utf8,
    DataType::Timestamp,
];

const VALUE_TYPES: [DataType; 7] = [
    DataType::Int32,
    DataType::Int64,
    DataType::Float64,
    DataType::Boolean,
    DataType::Utf8,
    DataType::Timestamp,
    DataType::Date,
];

pub const STRINGS: &[&str] = &[
    "",
    "a",
    "abc",
    "é",
    "日本語",
    "  pad  ",
    "1",
    " 42 ",
    "-7",
    "1.5",
    "1e3",
    "NaN",
    "inf",
    "true",
    "no",
    "t",
    "2024-01-02 03:04:05",
    "2024-02-29",
    "1970-01-01T00:00:00Z",
    "%",
    "_",
    "a%b",
    "stairs",
    "upstairs",
    "STAIRS",
    "2147483648",
    "-9223372036854775808",
    "x\\y",
];

pub(super) const LIKE_PATTERNS: &[&str] = &[
    "%stairs%", "a%", "%c", "abc", "a_c", "%", "", "_", "%a%b%", "\\%", "é%", "__", "%1%",
];
pub(super) const REGEXES: &[&str] = &["a", "^a.*c$", "[0-9]+", "stairs|é", "^$", "(?i)STAIRS"];
pub(super) const UNITS: &[&str] = &[
    "year",
    "quarter",
    "month",
    "week",
    "day",
    "hour",
    "minute",
    "second",
    "millisecond",
    "MICROSECOND",
    "bogus",
];

pub struct Gen {
    pub rng: Rng,
    /// The current step's columns: type and nullability.
    pub cols: Vec<(DataType, bool)>,
}

pub(super) fn e(kind: TExprKind, ty: DataType, nullable: bool) -> TExpr {
    TExpr::new(kind, ty, nullable)
}

impl Gen {
    pub fn value_type(&mut self) -> DataType {
        self.rng.pick(&VALUE_TYPES).clone()
    }

    pub fn literal(&mut self, ty: &DataType) -> TExpr {
        if self.rng.chance(0.08) {
            let null = TExpr::literal(Scalar::Null);
            return e(
                TExprKind::Cast {
                    arg: Box::new(null),
                },
                ty.clone(),
                true,
            );
        }
        let r = &mut self.rng;
        let v = match ty {
            DataType::Boolean => Scalar::Boolean(r.chance(0.5)),
            DataType::Int32 => {
                Scalar::Int32(*r.pick(&[0, 1, -1, 2, 3, 7, -7, 10, 100, i32::MAX, i32::MIN, 65536]))
            }
            DataType::Int64 => Scalar::Int64(*r.pick(&[
                0,
                1,
                -1,
                2,
                3,
                7,
                10,
                1000,
                i64::MAX,
                i64::MIN,
                1 << 40,
                4_000_000_000,
            ])),
            DataType::Float64 => Scalar::Float64(*r.pick(&[
                0.0,
                -0.0,
                1.0,
                -1.5,
                0.1,
                2.5,
                10.0,
                1e-5,
                1e7,
                1e300,
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                3e9,
            ])),
            DataType::Utf8 => Scalar::Utf8(r.pick(STRINGS).to_string()),
            DataType::Date => Scalar::Date(*r.pick(&[0, -1, 19_782, -719_162, 2_932_896])),
            _ => Scalar::Timestamp(*r.pick(&[
                0,
                -1,
                1_709_209_845_123_456,
                86_400_000_000,
                -62_135_596_800_000_000,
            ])),
        };
        TExpr::literal(v)
    }

    pub(super) fn leaf(&mut self, ty: &DataType) -> TExpr {
        let matching: Vec<usize> = (0..self.cols.len())
            .filter(|&i| self.cols[i].0 == *ty)
            .collect();
        if !matching.is_empty() && self.rng.chance(0.7) {
            let i = *self.rng.pick(&matching);
            TExpr::column(i, &format!("c{i}"), ty.clone(), self.cols[i].1)
        } else {
            self.literal(ty)
        }
    }

    pub(super) fn bin(&mut self, op: BinaryOp, ty: &DataType, depth: u32) -> TExpr {
        let (l, r) = (self.expr(ty, depth), self.expr(ty, depth));
        let out = if op.is_comparison() || matches!(op, BinaryOp::And | BinaryOp::Or) {
            DataType::Boolean
        } else {
            ty.clone()
        };
        let nullable = op != BinaryOp::EqNullSafe && (l.nullable || r.nullable);
        e(
            TExprKind::Binary {
                op,
                left: Box::new(l),
                right: Box::new(r),
            },
            out,
            nullable,
        )
    }

    pub(super) fn call(&mut self, func: ScalarFunc, args: Vec<TExpr>, ty: DataType) -> TExpr {
        let nullable = func == ScalarFunc::DateTrunc || args.iter().any(|a| a.nullable);
        e(TExprKind::Call { func, args }, ty, nullable)
    }

    pub(super) fn cast_from(&mut self, from: &[DataType], ty: &DataType, depth: u32) -> TExpr {
        let f = self.rng.pick(from).clone();
        let a = self.expr(&f, depth);
        let n = a.nullable;
        e(TExprKind::Cast { arg: Box::new(a) }, ty.clone(), n)
    }

    /// CASE or COALESCE of `ty`.
    pub(super) fn conditional(&mut self, ty: &DataType, depth: u32) -> TExpr {
        if self.rng.chance(0.5) {
            let n = 1 + self.rng.below(2);
            let branches: Vec<(TExpr, TExpr)> = (0..n)
                .map(|_| (self.expr(&DataType::Boolean, depth), self.expr(ty, depth)))
                .collect();
            let otherwise = self.rng.chance(0.7).then(|| Box::new(self.expr(ty, depth)));
            let nullable = branches.iter().any(|b| b.1.nullable)
                || otherwise.as_ref().is_none_or(|o| o.nullable);
            e(
                TExprKind::Case {
                    branches,
                    otherwise,
                },
                ty.clone(),
                nullable,
            )
        } else {
            let n = 2 + self.rng.below(2);
            let args: Vec<TExpr> = (0..n).map(|_| self.expr(ty, depth)).collect();
            let nullable = args.iter().all(|a| a.nullable);
            e(TExprKind::Coalesce(args), ty.clone(), nullable)
        }
    }

    pub(super) fn arith(&mut self, ty: &DataType, depth: u32) -> TExpr {
        use BinaryOp::*;
        let ops: &[BinaryOp] = if *ty == DataType::Float64 {
            &[Add, Sub, Mul, Div, Mod]
        } else {
            &[Add, Sub, Mul, Mod]
        };
        let op = *self.rng.pick(ops);
        self.bin(op, ty, depth)
    }

    /// A random pipeline: a few filters and projections, then `aggregate`
    /// or collect.
    pub fn pipeline(&mut self, input: Vec<ColumnType>, aggregate: bool) -> PipelineSpec {
        self.cols = input.iter().map(|c| (c.ty.clone(), c.nullable)).collect();
        let mut steps = Vec::new();
        for _ in 0..self.rng.below(3) {
            if self.rng.chance(0.5) {
                steps.push(Step::Filter(self.expr(&DataType::Boolean, 3)));
            } else {
                let n = 1 + self.rng.below(4);
                let exprs: Vec<TExpr> = (0..n)
                    .map(|_| {
                        let t = self.value_type();
                        self.expr(&t, 3)
                    })
                    .collect();
                self.cols = exprs.iter().map(|x| (x.ty.clone(), x.nullable)).collect();
                steps.push(Step::Project(exprs));
            }
        }
        let sink = if aggregate {
            PipelineSink::Aggregate(self.agg_spec())
        } else {
            let n = 1 + self.rng.below(3);
            let exprs: Vec<TExpr> = (0..n)
                .map(|_| {
                    let t = self.value_type();
                    self.expr(&t, 4)
                })
                .collect();
            steps.push(Step::Project(exprs));
            PipelineSink::Collect
        };
        PipelineSpec { input, steps, sink }
    }

    fn agg_spec(&mut self) -> AggSpec {
        let nkeys = self.rng.below(3);
        let keys: Vec<TExpr> = (0..nkeys)
            .map(|_| {
                let t = self.value_type();
                self.expr(&t, 1)
            })
            .collect();
        let all = (1u64 << nkeys) - 1;
        let grouping_sets = match (nkeys, self.rng.below(3)) {
            (0, _) | (_, 0) => vec![all],
            (_, 1) => (0..=all).rev().collect(), // cube
            _ => (0..=nkeys).map(|k| (1u64 << (nkeys - k)) - 1).collect(), // rollup
        };
        let aggs = (0..1 + self.rng.below(3))
            .map(|_| {
                let func = *self.rng.pick(&[
                    AggFunc::CountStar,
                    AggFunc::Count,
                    AggFunc::Sum,
                    AggFunc::Avg,
                    AggFunc::Min,
                    AggFunc::Max,
                ]);
                let t = match func {
                    AggFunc::Sum | AggFunc::Avg => self
                        .rng
                        .pick(&[DataType::Int32, DataType::Int64, DataType::Float64])
                        .clone(),
                    _ => self.value_type(),
                };
                let arg = (func != AggFunc::CountStar).then(|| self.expr(&t, 2));
                AggCall { func, arg }
            })
            .collect();
        AggSpec {
            keys,
            grouping_sets,
            aggs,
            window: None,
            event_time_key: None,
        }
    }
}
