//! The expression half of the generator: a random expression of a given
//! type, built from the node kinds that can produce it.

use sqlc_compiler::ir::*;
use sqlc_compiler::{DataType, Scalar};

use super::gen::{e, Gen, LIKE_PATTERNS, REGEXES, UNITS};

impl Gen {
    /// A random expression of type `ty`, at most `depth` levels deep.
    pub fn expr(&mut self, ty: &DataType, depth: u32) -> TExpr {
        if depth == 0 || self.rng.chance(0.3) {
            return self.leaf(ty);
        }
        let d = depth - 1;
        use DataType as T;
        use ScalarFunc as F;
        let choice = self.rng.below(8);
        match ty {
            T::Boolean => match choice {
                0 | 1 => {
                    let t = self.value_type();
                    let op = *self.rng.pick(&[
                        BinaryOp::Eq,
                        BinaryOp::NotEq,
                        BinaryOp::Lt,
                        BinaryOp::LtEq,
                        BinaryOp::Gt,
                        BinaryOp::GtEq,
                        BinaryOp::EqNullSafe,
                    ]);
                    self.bin(op, &t, d)
                }
                2 => {
                    let op = *self.rng.pick(&[BinaryOp::And, BinaryOp::Or]);
                    self.bin(op, &T::Boolean, d)
                }
                3 => {
                    let a = self.expr(&T::Boolean, d);
                    let n = a.nullable;
                    e(
                        TExprKind::Unary {
                            op: UnaryOp::Not,
                            arg: Box::new(a),
                        },
                        T::Boolean,
                        n,
                    )
                }
                4 => {
                    let t = self.value_type();
                    let a = Box::new(self.expr(&t, d));
                    let k = if self.rng.chance(0.5) {
                        TExprKind::IsNull(a)
                    } else {
                        TExprKind::IsNotNull(a)
                    };
                    e(k, T::Boolean, false)
                }
                5 => {
                    let a = Box::new(self.expr(&T::Utf8, d));
                    let n = a.nullable;
                    let negated = self.rng.chance(0.3);
                    let k = if self.rng.chance(0.7) {
                        let pattern = self.rng.pick(LIKE_PATTERNS).to_string();
                        TExprKind::Like {
                            arg: a,
                            pattern,
                            negated,
                            case_insensitive: self.rng.chance(0.3),
                        }
                    } else {
                        TExprKind::RLike {
                            arg: a,
                            pattern: self.rng.pick(REGEXES).to_string(),
                            negated,
                        }
                    };
                    e(k, T::Boolean, n)
                }
                6 => {
                    let t = self.value_type();
                    let arg = self.expr(&t, d);
                    let list: Vec<TExpr> = (0..1 + self.rng.below(3))
                        .map(|_| self.expr(&t, d))
                        .collect();
                    let nullable = arg.nullable || list.iter().any(|x| x.nullable);
                    let negated = self.rng.chance(0.3);
                    e(
                        TExprKind::InList {
                            arg: Box::new(arg),
                            list,
                            negated,
                        },
                        T::Boolean,
                        nullable,
                    )
                }
                _ => self.conditional(ty, d),
            },
            T::Int32 | T::Int64 => match choice {
                0..=2 => self.arith(ty, d),
                3 => {
                    let a = self.expr(ty, d);
                    let n = a.nullable;
                    if self.rng.chance(0.5) {
                        e(
                            TExprKind::Unary {
                                op: UnaryOp::Neg,
                                arg: Box::new(a),
                            },
                            ty.clone(),
                            n,
                        )
                    } else {
                        self.call(F::Abs, vec![a], ty.clone())
                    }
                }
                4 => self.cast_from(
                    &[
                        T::Int32,
                        T::Int64,
                        T::Float64,
                        T::Utf8,
                        T::Boolean,
                        T::Timestamp,
                    ],
                    ty,
                    d,
                ),
                5 if *ty == T::Int32 => {
                    if self.rng.chance(0.3) {
                        let s = self.expr(&T::Utf8, d);
                        self.call(F::Length, vec![s], T::Int32)
                    } else if self.rng.chance(0.3) {
                        let f = *self.rng.pick(&[F::Year, F::Month, F::DayOfMonth]);
                        let t = self.expr(&T::Date, d);
                        self.call(f, vec![t], T::Int32)
                    } else {
                        let f = *self.rng.pick(&[
                            F::Year,
                            F::Month,
                            F::DayOfMonth,
                            F::Hour,
                            F::Minute,
                            F::Second,
                        ]);
                        let t = self.expr(&T::Timestamp, d);
                        self.call(f, vec![t], T::Int32)
                    }
                }
                5 => {
                    let f = *self.rng.pick(&[F::Floor, F::Ceil]);
                    let x = self.expr(&T::Float64, d);
                    self.call(f, vec![x], T::Int64)
                }
                _ => self.conditional(ty, d),
            },
            T::Float64 => match choice {
                0..=2 => self.arith(ty, d),
                3 => {
                    let a = self.expr(ty, d);
                    let n = a.nullable;
                    match self.rng.below(3) {
                        0 => e(
                            TExprKind::Unary {
                                op: UnaryOp::Neg,
                                arg: Box::new(a),
                            },
                            T::Float64,
                            n,
                        ),
                        1 => self.call(F::Abs, vec![a], T::Float64),
                        _ => self.call(F::Sqrt, vec![a], T::Float64),
                    }
                }
                4 => self.cast_from(
                    &[T::Int32, T::Int64, T::Utf8, T::Boolean, T::Timestamp],
                    ty,
                    d,
                ),
                5 => {
                    let x = self.expr(ty, d);
                    let scale = TExpr::literal(Scalar::Int32(self.rng.below(7) as i32 - 2));
                    self.call(F::Round, vec![x, scale], T::Float64)
                }
                _ => self.conditional(ty, d),
            },
            T::Utf8 => match choice {
                0 | 1 => {
                    let f = *self
                        .rng
                        .pick(&[F::Lower, F::Upper, F::Trim, F::LTrim, F::RTrim]);
                    let s = self.expr(ty, d);
                    self.call(f, vec![s], T::Utf8)
                }
                2 => {
                    let s = self.expr(ty, d);
                    let p = self.expr(&T::Int32, d);
                    let mut args = vec![s, p];
                    if self.rng.chance(0.6) {
                        args.push(self.expr(&T::Int32, d));
                    }
                    self.call(F::Substring, args, T::Utf8)
                }
                3 => {
                    let args: Vec<TExpr> = (0..2 + self.rng.below(2))
                        .map(|_| self.expr(ty, d))
                        .collect();
                    self.call(F::Concat, args, T::Utf8)
                }
                4 | 5 => self.cast_from(
                    &[T::Int32, T::Int64, T::Float64, T::Boolean, T::Timestamp],
                    ty,
                    d,
                ),
                _ => self.conditional(ty, d),
            },
            T::Date => match choice {
                0..=3 => self.cast_from(&[T::Utf8, T::Timestamp], ty, d),
                _ => self.conditional(ty, d),
            },
            _ => match choice {
                0 => self.cast_from(&[T::Float64, T::Utf8], ty, d),
                1 => self.cast_from(&[T::Int32, T::Int64, T::Date], ty, d),
                2 => {
                    let s = self.expr(&T::Utf8, d);
                    self.call(F::ToTimestamp, vec![s], T::Timestamp)
                }
                3 | 4 => {
                    let unit = TExpr::literal(Scalar::Utf8(self.rng.pick(UNITS).to_string()));
                    let t = self.expr(ty, d);
                    self.call(F::DateTrunc, vec![unit, t], T::Timestamp)
                }
                // `t ± INTERVAL …`: microseconds as a bigint (overflow is an error).
                5 => {
                    let t = self.expr(ty, d);
                    let us = self.expr(&T::Int64, d);
                    self.call(F::TimestampAdd, vec![t, us], T::Timestamp)
                }
                _ => self.conditional(ty, d),
            },
        }
    }
}
