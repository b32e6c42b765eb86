//! Property tests for DECIMAL arithmetic, comparison and casts: random
//! precisions and scales, random values (zero, signs, the largest that fit),
//! run by both back ends (the JIT compiles comparisons and exact `+ - *`,
//! and hands the rest to the twin) and checked against a reference written here on `BigInt`
//! from the definitions: exact results rounded HALF_UP to the result's
//! scale, an overflow past its precision an error, a zero divisor an error.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Decimal128Array};
use arrow::datatypes::{Decimal128Type, Field as ArrowField, Schema as ArrowSchema};
use arrow::record_batch::RecordBatch;
use num_bigint::BigInt;
use proptest::prelude::*;
use sqlc_compiler::decimal;
use sqlc_compiler::ir::*;
use sqlc_compiler::{compile, DataType, ExecMode};

/// A decimal type and values of it (unscaled).
fn column() -> impl Strategy<Value = ((u8, u8), Vec<Option<i128>>)> {
    (1u8..=38)
        .prop_flat_map(|p| (Just(p), 0..=p))
        .prop_flat_map(|(p, s)| {
            let max = decimal::pow10(p as u32) - 1;
            let value = prop_oneof![
                Just(0i128),
                Just(max),
                Just(-max),
                (-max..=max),
                (-1000i128..1000).prop_map(move |v| v.clamp(-max, max)),
            ];
            (
                Just((p, s)),
                prop::collection::vec(prop::option::weighted(0.9, value), 1..12),
            )
        })
}

fn array(ps: (u8, u8), vals: &[Option<i128>]) -> ArrayRef {
    decimal::array(vals.iter().copied(), &DataType::Decimal(ps.0, ps.1))
}

fn big(v: i128) -> BigInt {
    BigInt::from(v)
}

fn ten(k: u32) -> BigInt {
    BigInt::from(10).pow(k)
}

/// `n / d` rounded half away from zero.
fn half_up(n: &BigInt, d: &BigInt) -> BigInt {
    let q = n / d;
    let r = n - &q * d;
    let two_r: BigInt = r.clone() * 2;
    let abs = |x: &BigInt| {
        if x.sign() == num_bigint::Sign::Minus {
            -x
        } else {
            x.clone()
        }
    };
    if abs(&two_r) >= abs(d) {
        if (n.sign() == num_bigint::Sign::Minus) != (d.sign() == num_bigint::Sign::Minus) {
            q - 1
        } else {
            q + 1
        }
    } else {
        q
    }
}

/// `v` (at scale `from`) at scale `to`, HALF_UP.
fn at_scale(v: &BigInt, from: u32, to: u32) -> BigInt {
    if to >= from {
        v * ten(to - from)
    } else {
        half_up(v, &ten(from - to))
    }
}

#[derive(Debug, PartialEq)]
enum Want {
    Value(Option<String>),
    Error(&'static str),
}

fn fits(v: &BigInt, p: u8) -> bool {
    let lim = ten(p as u32);
    v < &lim && v > &-lim
}

/// The reference: `x op y` of values at scales `sa`, `sb`, typed `r`.
fn reference(op: BinaryOp, x: i128, sa: u8, y: i128, sb: u8, r: (u8, u8)) -> Want {
    let (a, b) = (big(x), big(y));
    let (sa, sb, rs) = (sa as u32, sb as u32, r.1 as u32);
    let exact_at = |v: BigInt, s: u32| at_scale(&v, s, rs);
    let v = match op {
        BinaryOp::Add | BinaryOp::Sub => {
            let s = sa.max(sb);
            let (a, b) = (&a * ten(s - sa), &b * ten(s - sb));
            exact_at(if op == BinaryOp::Add { a + b } else { a - b }, s)
        }
        BinaryOp::Mul => exact_at(&a * &b, sa + sb),
        BinaryOp::Div if y == 0 => return Want::Error("DIVIDE_BY_ZERO"),
        BinaryOp::Mod if y == 0 => return Want::Error("REMAINDER_BY_ZERO"),
        // a/10^sa ÷ b/10^sb at scale rs = a * 10^(sb + rs) / (b * 10^sa)
        BinaryOp::Div => half_up(&(&a * ten(sb + rs)), &(&b * ten(sa))),
        BinaryOp::Mod => {
            let s = sa.max(sb);
            let (a, b) = (&a * ten(s - sa), &b * ten(s - sb));
            exact_at(&a - (&a / &b) * &b, s)
        }
        _ => unreachable!(),
    };
    if !fits(&v, r.0) {
        return Want::Error("NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION");
    }
    let v: i128 = v.try_into().unwrap();
    Want::Value(Some(decimal::format(v, r.1)))
}

fn run(spec: &PipelineSpec, batch: &RecordBatch, out: DataType, mode: ExecMode) -> Vec<Want> {
    let schema = Arc::new(ArrowSchema::new(vec![ArrowField::new(
        "r",
        out.to_arrow(),
        true,
    )]));
    let k = compile(spec, schema, mode).unwrap();
    match k.collect(batch) {
        Err(e) => vec![Want::Error(e.class())],
        Ok(b) => {
            let c = b.column(0);
            (0..b.num_rows())
                .map(|i| {
                    Want::Value(c.is_valid(i).then(|| match c.data_type() {
                        arrow::datatypes::DataType::Decimal128(_, s) => {
                            decimal::format(c.as_primitive::<Decimal128Type>().value(i), *s as u8)
                        }
                        arrow::datatypes::DataType::Boolean => c.as_boolean().value(i).to_string(),
                        _ => c.as_string::<i32>().value(i).to_string(),
                    }))
                })
                .collect()
        }
    }
}

fn col(i: usize, ps: (u8, u8)) -> TExpr {
    TExpr::column(i, &format!("c{i}"), DataType::Decimal(ps.0, ps.1), true)
}

fn input(a: (u8, u8), b: (u8, u8)) -> Vec<ColumnType> {
    let t = |ps: (u8, u8)| ColumnType {
        ty: DataType::Decimal(ps.0, ps.1),
        nullable: true,
    };
    vec![t(a), t(b)]
}

const OPS: [BinaryOp; 5] = [
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Mul,
    BinaryOp::Div,
    BinaryOp::Mod,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 10000, max_shrink_iters: 200, ..ProptestConfig::default() })]

    /// `c0 op c1` for every operator: both back ends give the reference's
    /// rows, or the first failing row's error.
    #[test]
    fn arithmetic_matches_the_reference(
        (a, xs) in column(),
        (b, ys) in column(),
        op in 0usize..5,
    ) {
        let op = OPS[op];
        let n = xs.len().min(ys.len());
        let (xs, ys) = (&xs[..n], &ys[..n]);
        let r = match op {
            BinaryOp::Add | BinaryOp::Sub => decimal::add_type(a, b),
            BinaryOp::Mul => decimal::mul_type(a, b),
            BinaryOp::Div => decimal::div_type(a, b),
            _ => decimal::rem_type(a, b),
        };
        let out = DataType::Decimal(r.0, r.1);
        let e = TExpr::binary(op, col(0, a), col(1, b), out.clone(), true);
        let spec = PipelineSpec {
            input: input(a, b),
            steps: vec![Step::Project(vec![e])],
            sink: PipelineSink::Collect,
        };
        let batch = RecordBatch::try_from_iter([("c0", array(a, xs)), ("c1", array(b, ys))]).unwrap();
        let mut want = Vec::new();
        for (x, y) in xs.iter().zip(ys) {
            match (x, y) {
                (Some(x), Some(y)) => match reference(op, *x, a.1, *y, b.1, r) {
                    Want::Error(c) => { want = vec![Want::Error(c)]; break; }
                    v => want.push(v),
                },
                _ => want.push(Want::Value(None)),
            }
        }
        for mode in [ExecMode::Interpret, ExecMode::Jit] {
            let got = run(&spec, &batch, out.clone(), mode);
            prop_assert_eq!(&got, &want, "{:?} {:?} {:?} {:?} {:?}", mode, op, a, b, r);
        }
    }

    /// `c0 < c1` after both are cast to their wider type, and the cast of
    /// `c0` to another decimal type, against the reference.
    #[test]
    fn comparison_and_casts_match_the_reference(
        (a, xs) in column(),
        (b, ys) in column(),
    ) {
        let n = xs.len().min(ys.len());
        let (xs, ys) = (&xs[..n], &ys[..n]);
        let w = decimal::wider(a, b);
        let wt = DataType::Decimal(w.0, w.1);
        let cast = |e: TExpr, to: &DataType| TExpr::new(TExprKind::Cast { arg: Box::new(e) }, to.clone(), true);
        let lt = TExpr::binary(BinaryOp::Lt, cast(col(0, a), &wt), cast(col(1, b), &wt), DataType::Boolean, true);
        let batch = RecordBatch::try_from_iter([("c0", array(a, xs)), ("c1", array(b, ys))]).unwrap();
        let spec = |e: TExpr| PipelineSpec { input: input(a, b), steps: vec![Step::Project(vec![e])], sink: PipelineSink::Collect };
        // Casting to the wider type fails where a value has more integral
        // digits than it holds (the right side is read only where the left
        // is not null, as Spark's null-safe evaluation); otherwise the
        // comparison is exact.
        let to_w = |v: i128, s: u8| at_scale(&big(v), s as u32, w.1 as u32);
        let overflows = xs.iter().zip(ys).any(|(x, y)| match (x, y) {
            (Some(x), y) => {
                !fits(&to_w(*x, a.1), w.0) || y.is_some_and(|y| !fits(&to_w(y, b.1), w.0))
            }
            (None, _) => false,
        });
        let want = if overflows {
            vec![Want::Error("NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION")]
        } else {
            xs.iter()
                .zip(ys)
                .map(|(x, y)| match (x, y) {
                    (Some(x), Some(y)) => {
                        Want::Value(Some((to_w(*x, a.1) < to_w(*y, b.1)).to_string()))
                    }
                    _ => Want::Value(None),
                })
                .collect()
        };
        for mode in [ExecMode::Interpret, ExecMode::Jit] {
            prop_assert_eq!(&run(&spec(lt.clone()), &batch, DataType::Boolean, mode), &want, "{:?} {:?} {:?}", mode, a, b);
        }
        // CAST(c0 AS DECIMAL(b)) rounds HALF_UP, errs past b's precision;
        // CAST(c0 AS STRING) is the plain text.
        let bt = DataType::Decimal(b.0, b.1);
        let mut want = Vec::new();
        for x in xs {
            match x {
                Some(x) => {
                    let v = at_scale(&big(*x), a.1 as u32, b.1 as u32);
                    if !fits(&v, b.0) {
                        want = vec![Want::Error("NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION")];
                        break;
                    }
                    want.push(Want::Value(Some(decimal::format(v.try_into().unwrap(), b.1))));
                }
                None => want.push(Want::Value(None)),
            }
        }
        for mode in [ExecMode::Interpret, ExecMode::Jit] {
            prop_assert_eq!(&run(&spec(cast(col(0, a), &bt)), &batch, bt.clone(), mode), &want, "{:?} {:?} -> {:?}", mode, a, b);
            let text: Vec<Want> = xs.iter().map(|x| Want::Value(x.map(|x| decimal::format(x, a.1)))).collect();
            prop_assert_eq!(&run(&spec(cast(col(0, a), &DataType::Utf8)), &batch, DataType::Utf8, mode), &text);
        }
    }
}

/// Which decimal pipelines the JIT compiles: exact `+ - *` and comparisons
/// are one `i128` operation; a result that loses precision, a division or a
/// remainder is the twin's, and `explain` says why.
#[test]
fn the_jit_compiles_exact_decimal_arithmetic() {
    let kernel = |a: (u8, u8), b: (u8, u8), op: BinaryOp, r: (u8, u8)| {
        let out = DataType::Decimal(r.0, r.1);
        let spec = PipelineSpec {
            input: input(a, b),
            steps: vec![Step::Project(vec![TExpr::binary(
                op,
                col(0, a),
                col(1, b),
                out.clone(),
                true,
            )])],
            sink: PipelineSink::Collect,
        };
        let schema = Arc::new(ArrowSchema::new(vec![ArrowField::new(
            "r",
            out.to_arrow(),
            true,
        )]));
        compile(&spec, schema, ExecMode::Jit)
            .unwrap()
            .explain()
            .fallbacks
            .join("; ")
    };
    let (a, b) = ((10, 2), (12, 4));
    assert_eq!(kernel(a, b, BinaryOp::Add, decimal::add_type(a, b)), "");
    assert_eq!(kernel(a, b, BinaryOp::Mul, decimal::mul_type(a, b)), "");
    let lossy = kernel(
        (38, 10),
        (38, 10),
        BinaryOp::Mul,
        decimal::mul_type((38, 10), (38, 10)),
    );
    assert!(lossy.contains("decimal values"), "{lossy}");
    // Division is compiled too: a per-row call of the twin's routine.
    assert_eq!(kernel(a, b, BinaryOp::Div, decimal::div_type(a, b)), "");
}

#[test]
fn the_reference_rounds_as_spark() {
    // Spark's answers (PySpark 4.3): 1.0 / 3 = 0.333333, 2 / 3 = 0.666667,
    // -2 / 3 = -0.666667 (DECIMAL(7, 6)); 1.25 to one place is 1.3.
    assert_eq!(
        reference(BinaryOp::Div, 10, 1, 3, 0, (7, 6)),
        Want::Value(Some("0.333333".into()))
    );
    assert_eq!(
        reference(BinaryOp::Div, -2, 0, 3, 0, (7, 6)),
        Want::Value(Some("-0.666667".into()))
    );
    assert_eq!(at_scale(&big(125), 2, 1), big(13));
    assert_eq!(at_scale(&big(-125), 2, 1), big(-13));
    let _ = Decimal128Array::new_null(0);
}
