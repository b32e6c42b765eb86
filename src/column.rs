//! `Column`: an expression the DataFrame API builds, as PySpark's `Column`.

use std::ops;

use sqlc_compiler::expr::Expr;
use sqlc_compiler::ir::{BinaryOp, UnaryOp};
use sqlc_compiler::{DataType, Scalar};

use crate::error::Result;

/// An expression over a DataFrame's columns: `col("x") * 2`,
/// `col("gt").is_not_null()`, `expr("gt like '%stairs%'")`.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub(crate) expr: Expr,
}

impl Column {
    pub fn from_expr(expr: Expr) -> Self {
        Column { expr }
    }

    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    fn bin(self, op: BinaryOp, other: impl Into<Column>) -> Column {
        Column {
            expr: self.expr.binary(op, other.into().expr),
        }
    }

    pub fn alias(self, name: &str) -> Column {
        Column {
            expr: self.expr.alias(name),
        }
    }

    /// Same as [`Column::alias`], as PySpark's `name`.
    pub fn name(self, name: &str) -> Column {
        self.alias(name)
    }

    pub fn eq(self, other: impl Into<Column>) -> Column {
        self.bin(BinaryOp::Eq, other)
    }
    pub fn ne(self, other: impl Into<Column>) -> Column {
        self.bin(BinaryOp::NotEq, other)
    }
    pub fn lt(self, other: impl Into<Column>) -> Column {
        self.bin(BinaryOp::Lt, other)
    }
    pub fn le(self, other: impl Into<Column>) -> Column {
        self.bin(BinaryOp::LtEq, other)
    }
    pub fn gt(self, other: impl Into<Column>) -> Column {
        self.bin(BinaryOp::Gt, other)
    }
    pub fn ge(self, other: impl Into<Column>) -> Column {
        self.bin(BinaryOp::GtEq, other)
    }
    /// `<=>`: equal, treating two nulls as equal.
    pub fn eq_null_safe(self, other: impl Into<Column>) -> Column {
        self.bin(BinaryOp::EqNullSafe, other)
    }
    pub fn and(self, other: impl Into<Column>) -> Column {
        self.bin(BinaryOp::And, other)
    }
    pub fn or(self, other: impl Into<Column>) -> Column {
        self.bin(BinaryOp::Or, other)
    }
    pub fn is_null(self) -> Column {
        Column {
            expr: Expr::IsNull(Box::new(self.expr)),
        }
    }
    pub fn is_not_null(self) -> Column {
        Column {
            expr: Expr::IsNotNull(Box::new(self.expr)),
        }
    }
    pub fn like(self, pattern: &str) -> Column {
        Column {
            expr: Expr::Like {
                arg: Box::new(self.expr),
                pattern: Box::new(Expr::Literal(Scalar::Utf8(pattern.into()))),
                negated: false,
                case_insensitive: false,
            },
        }
    }
    pub fn rlike(self, pattern: &str) -> Column {
        Column {
            expr: Expr::RLike {
                arg: Box::new(self.expr),
                pattern: Box::new(Expr::Literal(Scalar::Utf8(pattern.into()))),
                negated: false,
            },
        }
    }
    pub fn is_in<I, C>(self, values: I) -> Column
    where
        I: IntoIterator<Item = C>,
        C: Into<Column>,
    {
        Column {
            expr: Expr::InList {
                arg: Box::new(self.expr),
                list: values.into_iter().map(|v| v.into().expr).collect(),
                negated: false,
            },
        }
    }
    pub fn between(self, low: impl Into<Column>, high: impl Into<Column>) -> Column {
        Column {
            expr: Expr::Between {
                arg: Box::new(self.expr),
                low: Box::new(low.into().expr),
                high: Box::new(high.into().expr),
                negated: false,
            },
        }
    }
    /// `cast("double")`, `cast("timestamp")`, … (Spark SQL type names).
    pub fn cast(self, to: &str) -> Result<Column> {
        let ty = parse_type_name(to)?;
        Ok(Column {
            expr: Expr::Cast {
                arg: Box::new(self.expr),
                to: ty,
            },
        })
    }
    /// A struct's field (`col("data").get_field("gt")`, PySpark's `getField`).
    pub fn get_field(self, name: &str) -> Column {
        Column {
            expr: Expr::GetField(Box::new(self.expr), name.to_string()),
        }
    }
    /// Logical NOT (PySpark's `~col`).
    /// `col[i]` (Spark's `getItem`): an array's element at 0-based `i`
    /// (out of bounds is an ANSI error), or a struct's field by name.
    pub fn get_item(self, key: impl Into<Column>) -> Column {
        Column::from_expr(Expr::Subscript(
            Box::new(self.expr),
            Box::new(key.into().expr),
        ))
    }

    #[allow(clippy::should_implement_trait)] // PySpark's name; `!col` (ops::Not) too
    pub fn not(self) -> Column {
        Column {
            expr: Expr::Unary {
                op: UnaryOp::Not,
                arg: Box::new(self.expr),
            },
        }
    }
}

/// A Spark SQL type name as `cast` takes it.
pub(crate) fn parse_type_name(name: &str) -> Result<DataType> {
    Ok(sqlc_compiler::sql::parse_type_name(name)?)
}

/// A string names a column, as in PySpark's `df.select("gt")`.
impl From<&str> for Column {
    fn from(name: &str) -> Self {
        Column {
            expr: Expr::col(name),
        }
    }
}

impl From<String> for Column {
    fn from(name: String) -> Self {
        Column::from(name.as_str())
    }
}

impl From<&String> for Column {
    fn from(name: &String) -> Self {
        Column::from(name.as_str())
    }
}

macro_rules! literal_from {
    ($t:ty, $v:ident => $e:expr) => {
        impl From<$t> for Column {
            fn from($v: $t) -> Self {
                Column {
                    expr: Expr::Literal($e),
                }
            }
        }
    };
}
literal_from!(i32, v => Scalar::Int32(v));
literal_from!(i64, v => Scalar::Int64(v));
literal_from!(f64, v => Scalar::Float64(v));
literal_from!(bool, v => Scalar::Boolean(v));
literal_from!(Scalar, v => v);

macro_rules! arith {
    ($tr:ident, $m:ident, $op:expr) => {
        impl<T: Into<Column>> ops::$tr<T> for Column {
            type Output = Column;
            fn $m(self, rhs: T) -> Column {
                self.bin($op, rhs)
            }
        }
    };
}
arith!(Add, add, BinaryOp::Add);
arith!(Sub, sub, BinaryOp::Sub);
arith!(Mul, mul, BinaryOp::Mul);
arith!(Div, div, BinaryOp::Div);
arith!(Rem, rem, BinaryOp::Mod);

impl ops::Neg for Column {
    type Output = Column;
    fn neg(self) -> Column {
        Column {
            expr: Expr::Unary {
                op: UnaryOp::Neg,
                arg: Box::new(self.expr),
            },
        }
    }
}

impl ops::Not for Column {
    type Output = Column;
    fn not(self) -> Column {
        Column::not(self)
    }
}
