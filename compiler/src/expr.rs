//! Logical expressions as the user wrote them — names not yet resolved,
//! types not yet known. The SQL front end and the DataFrame API both build
//! these; [`crate::resolve`] turns them into the typed IR.

use std::fmt;

use crate::ir::{BinaryOp, UnaryOp};
use crate::types::{DataType, Scalar};

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A column by name, optionally qualified (`t.gt`); matched ignoring case.
    Column {
        qualifier: Option<String>,
        name: String,
    },
    /// Column `i` of the plan the expression is resolved against, by
    /// position: the references the planner makes (an aggregate's results in
    /// the select list, a joined subquery's value, `*` over duplicate names,
    /// ORDER BY an output column); nothing the user writes becomes one.
    ColumnAt(usize),
    Literal(Scalar),
    /// A schema argument as the front end parsed it from its DDL string
    /// (`from_json(json, 'a INT')`'s second, see
    /// [`crate::sql::parse_schema_args`]): the type, or why it does not parse
    /// — the call reports that when resolved. Prints as the DDL.
    Schema {
        ddl: String,
        parsed: std::result::Result<DataType, String>,
    },
    /// `*` or `t.*`.
    Wildcard {
        qualifier: Option<String>,
    },
    Unary {
        op: UnaryOp,
        arg: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    IsNull(Box<Expr>),
    IsNotNull(Box<Expr>),
    Like {
        arg: Box<Expr>,
        pattern: Box<Expr>,
        negated: bool,
        case_insensitive: bool,
    },
    RLike {
        arg: Box<Expr>,
        pattern: Box<Expr>,
        negated: bool,
    },
    InList {
        arg: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    Between {
        arg: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        negated: bool,
    },
    Case {
        operand: Option<Box<Expr>>,
        branches: Vec<(Expr, Expr)>,
        otherwise: Option<Box<Expr>>,
    },
    Cast {
        arg: Box<Expr>,
        to: DataType,
    },
    /// A call by name: scalar, aggregate (`count`, `avg`, …) or `window`.
    Function {
        name: String,
        args: Vec<Expr>,
        distinct: bool,
    },
    /// `count(*)`'s argument.
    Star,
    /// A day-time interval in microseconds, as Spark Connect sends one
    /// (SQL's interval literals are `Literal`s of an interval type).
    Interval(i64),
    Alias(Box<Expr>, String),
    /// A struct's field by name (`col("data").get_field("gt")`, `a.b.c`).
    GetField(Box<Expr>, String),
    /// `a[i]`: an array's element (0-based) or a struct's field by name.
    Subscript(Box<Expr>, Box<Expr>),
    /// A subquery in an expression, as SQL wrote it; the SQL planner plans
    /// it into joins before the expression is resolved
    /// (`builder::subquery`).
    Subquery(Subquery),
}

/// A subquery in an expression: scalar `(SELECT …)`, `x [NOT] IN (SELECT
/// …)` or `[NOT] EXISTS (SELECT …)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Subquery {
    pub kind: SubqueryKind,
    /// The query, as parsed.
    pub query: Box<sqlparser::ast::Query>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SubqueryKind {
    Scalar,
    In { arg: Box<Expr>, negated: bool },
    Exists { negated: bool },
}

impl Expr {
    /// The microseconds of a day-time interval literal.
    pub fn day_time_micros(&self) -> Option<i64> {
        match self {
            Expr::Interval(us) | Expr::Literal(Scalar::DayTimeInterval(us, ..)) => Some(*us),
            _ => None,
        }
    }

    pub fn col(name: &str) -> Expr {
        match name.split_once('.') {
            Some((q, n)) if !q.is_empty() && !n.is_empty() && n != "*" => Expr::Column {
                qualifier: Some(q.to_string()),
                name: n.to_string(),
            },
            _ if name == "*" => Expr::Wildcard { qualifier: None },
            // `t.*`, or `data.*`: the fields of a struct column.
            Some((q, "*")) if !q.is_empty() => Expr::Wildcard {
                qualifier: Some(q.to_string()),
            },
            _ => Expr::Column {
                qualifier: None,
                name: name.to_string(),
            },
        }
    }

    pub fn lit(v: Scalar) -> Expr {
        Expr::Literal(v)
    }

    pub fn alias(self, name: &str) -> Expr {
        Expr::Alias(Box::new(self.unalias()), name.to_string())
    }

    pub fn unalias(self) -> Expr {
        match self {
            Expr::Alias(e, _) => *e,
            e => e,
        }
    }

    pub fn binary(self, op: BinaryOp, right: Expr) -> Expr {
        Expr::Binary {
            op,
            left: Box::new(self),
            right: Box::new(right),
        }
    }

    pub fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Function {
            name: name.to_string(),
            args,
            distinct: false,
        }
    }

    /// The output column name Spark gives this expression when it has no
    /// alias: a column keeps the name as written, others print as SQL.
    pub fn output_name(&self) -> String {
        match self {
            Expr::Alias(_, n) => n.clone(),
            Expr::Column { name, .. } => name.clone(),
            // Named after the column by the builder, which knows its input.
            Expr::ColumnAt(i) => format!("#{i}"),
            // Spark names a cast of a column after the column.
            Expr::Cast { arg, .. } if matches!(**arg, Expr::Column { .. }) => arg.output_name(),
            // Spark's time window column.
            Expr::Function { name, .. } if name.eq_ignore_ascii_case("window") => "window".into(),
            e => e.to_string(),
        }
    }

    /// The operands of a chain of `AND`s (`a AND (b AND c)` → a, b, c);
    /// the expression itself when it is not one.
    pub fn conjuncts(&self) -> Vec<&Expr> {
        fn split<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
            match e {
                Expr::Binary {
                    op: BinaryOp::And,
                    left,
                    right,
                } => crate::depth::grow(|| {
                    split(left, out);
                    split(right, out);
                }),
                e => out.push(e),
            }
        }
        let mut out = Vec::new();
        split(self, &mut out);
        out
    }

    /// True if an aggregate function call appears anywhere inside.
    pub fn contains_aggregate(&self) -> bool {
        let mut found = false;
        self.visit(&mut |e| {
            if let Expr::Function { name, .. } = e {
                if crate::resolve::is_aggregate_name(name) {
                    found = true;
                }
            }
        });
        found
    }

    /// Rebuilds `e` bottom-up where `f` returns a replacement (parents first; a
    /// replaced node's children are not visited).
    pub fn transform(&self, f: &mut dyn FnMut(&Expr) -> Option<Expr>) -> Expr {
        let e = self;
        if let Some(r) = f(e) {
            return r;
        }
        let mut t = |x: &Expr| crate::depth::grow(|| x.transform(f));
        match e {
            Expr::Column { .. }
            | Expr::ColumnAt(_)
            | Expr::Literal(_)
            | Expr::Schema { .. }
            | Expr::Wildcard { .. }
            | Expr::Star
            | Expr::Interval(_)
            | Expr::Subquery(_) => e.clone(),
            Expr::Unary { op, arg } => Expr::Unary {
                op: *op,
                arg: Box::new(t(arg)),
            },
            Expr::Binary { op, left, right } => Expr::Binary {
                op: *op,
                left: Box::new(t(left)),
                right: Box::new(t(right)),
            },
            Expr::IsNull(a) => Expr::IsNull(Box::new(t(a))),
            Expr::IsNotNull(a) => Expr::IsNotNull(Box::new(t(a))),
            Expr::Like {
                arg,
                pattern,
                negated,
                case_insensitive,
            } => Expr::Like {
                arg: Box::new(t(arg)),
                pattern: Box::new(t(pattern)),
                negated: *negated,
                case_insensitive: *case_insensitive,
            },
            Expr::RLike {
                arg,
                pattern,
                negated,
            } => Expr::RLike {
                arg: Box::new(t(arg)),
                pattern: Box::new(t(pattern)),
                negated: *negated,
            },
            Expr::InList { arg, list, negated } => Expr::InList {
                arg: Box::new(t(arg)),
                list: list.iter().map(&mut t).collect(),
                negated: *negated,
            },
            Expr::Between {
                arg,
                low,
                high,
                negated,
            } => Expr::Between {
                arg: Box::new(t(arg)),
                low: Box::new(t(low)),
                high: Box::new(t(high)),
                negated: *negated,
            },
            Expr::Case {
                operand,
                branches,
                otherwise,
            } => Expr::Case {
                operand: operand.as_ref().map(|o| Box::new(t(o))),
                branches: branches.iter().map(|(c, r)| (t(c), t(r))).collect(),
                otherwise: otherwise.as_ref().map(|o| Box::new(t(o))),
            },
            Expr::Cast { arg, to } => Expr::Cast {
                arg: Box::new(t(arg)),
                to: to.clone(),
            },
            Expr::Function {
                name,
                args,
                distinct,
            } => Expr::Function {
                name: name.clone(),
                args: args.iter().map(&mut t).collect(),
                distinct: *distinct,
            },
            Expr::Alias(inner, n) => Expr::Alias(Box::new(t(inner)), n.clone()),
            Expr::GetField(inner, n) => Expr::GetField(Box::new(t(inner)), n.clone()),
            Expr::Subscript(a, i) => Expr::Subscript(Box::new(t(a)), Box::new(t(i))),
        }
    }

    /// Calls `f` on this expression and every sub-expression, parents first.
    pub fn visit(&self, f: &mut dyn FnMut(&Expr)) {
        crate::depth::grow(|| self.visit_node(f))
    }

    fn visit_node(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Column { .. }
            | Expr::ColumnAt(_)
            | Expr::Literal(_)
            | Expr::Schema { .. }
            | Expr::Wildcard { .. }
            | Expr::Star
            | Expr::Interval(_)
            | Expr::Subquery(_) => {}
            Expr::Unary { arg, .. }
            | Expr::IsNull(arg)
            | Expr::IsNotNull(arg)
            | Expr::Cast { arg, .. } => arg.visit(f),
            Expr::Alias(arg, _) | Expr::GetField(arg, _) => arg.visit(f),
            Expr::Binary { left, right, .. } | Expr::Subscript(left, right) => {
                left.visit(f);
                right.visit(f);
            }
            Expr::Like { arg, pattern, .. } | Expr::RLike { arg, pattern, .. } => {
                arg.visit(f);
                pattern.visit(f);
            }
            Expr::InList { arg, list, .. } => {
                arg.visit(f);
                list.iter().for_each(|e| e.visit(f));
            }
            Expr::Between { arg, low, high, .. } => {
                arg.visit(f);
                low.visit(f);
                high.visit(f);
            }
            Expr::Case {
                operand,
                branches,
                otherwise,
            } => {
                if let Some(o) = operand {
                    o.visit(f);
                }
                for (c, r) in branches {
                    c.visit(f);
                    r.visit(f);
                }
                if let Some(o) = otherwise {
                    o.visit(f);
                }
            }
            Expr::Function { args, .. } => args.iter().for_each(|e| e.visit(f)),
        }
    }
}

/// Spark-like SQL text: the default name of an unaliased output column.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::depth::grow(|| self.fmt_node(f))
    }
}

impl Expr {
    fn fmt_node(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Column {
                qualifier: Some(q),
                name,
            } => write!(f, "{q}.{name}"),
            Expr::Column {
                qualifier: None,
                name,
            } => f.write_str(name),
            Expr::ColumnAt(i) => write!(f, "#{i}"),
            Expr::Schema { ddl, .. } => f.write_str(ddl),
            Expr::Literal(Scalar::Utf8(s)) => f.write_str(s),
            Expr::Literal(Scalar::Int64(v)) => write!(f, "{v}"),
            Expr::Literal(Scalar::Float64(v)) => write!(f, "{v:?}"),
            Expr::Literal(Scalar::Float32(v)) => f.write_str(&crate::scalar_fns::format_f32(*v)),
            Expr::Literal(Scalar::Decimal(v, _, s)) => {
                f.write_str(&crate::decimal::literal_name(*v, *s))
            }
            Expr::Literal(v) => write!(f, "{v}"),
            Expr::Wildcard { qualifier: Some(q) } => write!(f, "{q}.*"),
            Expr::Wildcard { qualifier: None } | Expr::Star => f.write_str("*"),
            Expr::Unary {
                op: UnaryOp::Neg,
                arg,
            } => write!(f, "(- {arg})"),
            Expr::Unary {
                op: UnaryOp::Not,
                arg,
            } => write!(f, "(NOT {arg})"),
            Expr::Binary { op, left, right } => write!(f, "({left} {} {right})", op.symbol()),
            Expr::IsNull(a) => write!(f, "({a} IS NULL)"),
            Expr::IsNotNull(a) => write!(f, "({a} IS NOT NULL)"),
            Expr::Like {
                arg,
                pattern,
                negated,
                case_insensitive,
            } => {
                let op = if *case_insensitive { "ilike" } else { "LIKE" };
                if *negated {
                    write!(f, "(NOT {arg} {op} {pattern})")
                } else {
                    write!(f, "{arg} {op} {pattern}")
                }
            }
            Expr::RLike {
                arg,
                pattern,
                negated,
            } => {
                write!(
                    f,
                    "{}RLIKE({arg}, {pattern})",
                    if *negated { "NOT " } else { "" }
                )
            }
            Expr::InList { arg, list, negated } => {
                let items: Vec<String> = list.iter().map(|e| e.to_string()).collect();
                write!(
                    f,
                    "({}{arg} IN ({}))",
                    if *negated { "NOT " } else { "" },
                    items.join(", ")
                )
            }
            Expr::Between {
                arg,
                low,
                high,
                negated,
            } => {
                write!(
                    f,
                    "({arg} {}BETWEEN {low} AND {high})",
                    if *negated { "NOT " } else { "" }
                )
            }
            Expr::Case {
                operand,
                branches,
                otherwise,
            } => {
                f.write_str("CASE")?;
                if let Some(o) = operand {
                    write!(f, " {o}")?;
                }
                for (c, r) in branches {
                    write!(f, " WHEN {c} THEN {r}")?;
                }
                if let Some(o) = otherwise {
                    write!(f, " ELSE {o}")?;
                }
                f.write_str(" END")
            }
            Expr::Cast { arg, to } => {
                write!(f, "CAST({arg} AS {})", to.spark_name().to_uppercase())
            }
            Expr::Function {
                name,
                args,
                distinct,
            } => {
                if let ("extract", [Expr::Literal(Scalar::Utf8(field)), x]) =
                    (name.as_str(), args.as_slice())
                {
                    return write!(f, "extract({field} FROM {x})");
                }
                let items: Vec<String> = args.iter().map(|e| e.to_string()).collect();
                let name = name.to_lowercase();
                let items = if name == "count" && matches!(args.as_slice(), [Expr::Star]) {
                    vec!["1".to_string()]
                } else if matches!(
                    name.as_str(),
                    "first" | "last" | "first_value" | "last_value" | "any_value"
                ) {
                    // Spark names `first(x, true)` as `first(x)`.
                    items.into_iter().take(1).collect()
                } else {
                    items
                };
                write!(
                    f,
                    "{name}({}{})",
                    if *distinct { "DISTINCT " } else { "" },
                    items.join(", ")
                )
            }
            Expr::Interval(us) => write!(f, "INTERVAL '{}' MICROSECOND", us),
            Expr::Alias(e, n) => write!(f, "{e} AS {n}"),
            Expr::GetField(e, n) => write!(f, "{e}.{n}"),
            Expr::Subscript(e, i) => write!(f, "{e}[{i}]"),
            // Spark's names.
            Expr::Subquery(q) => match &q.kind {
                SubqueryKind::Scalar => f.write_str("scalarsubquery()"),
                SubqueryKind::In { arg, negated } => write!(
                    f,
                    "{}({arg} IN (listquery()))",
                    if *negated { "NOT " } else { "" }
                ),
                SubqueryKind::Exists { negated } => {
                    write!(f, "{}exists()", if *negated { "NOT " } else { "" })
                }
            },
        }
    }
}
