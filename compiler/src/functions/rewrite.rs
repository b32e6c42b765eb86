//! Functions that are other expressions in disguise, rewritten by the
//! resolver before it types them, so that both back ends (the JIT
//! included) run them with no code of their own: `if` and `nvl2` are CASE,
//! `nullif` is CASE over `=`, `regexp_like`/`regexp` is RLIKE.

use super::FunctionInfo;
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::BinaryOp;
use crate::types::Scalar;

/// The expression `name(args)` stands for, if `name` is one of these.
pub fn rewrite(name: &str, args: &[Expr]) -> Result<Option<Expr>> {
    let want = |n: usize| -> Result<()> {
        if args.len() == n {
            Ok(())
        } else {
            Err(Error::analysis(
                "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
                format!(
                    "The `{name}` requires {n} parameters but the actual number is {}.",
                    args.len()
                ),
            ))
        }
    };
    Ok(Some(match name {
        "if" | "iff" => {
            want(3)?;
            Expr::Case {
                operand: None,
                branches: vec![(args[0].clone(), args[1].clone())],
                otherwise: Some(Box::new(args[2].clone())),
            }
        }
        "nvl2" => {
            want(3)?;
            Expr::Case {
                operand: None,
                branches: vec![(Expr::IsNotNull(Box::new(args[0].clone())), args[1].clone())],
                otherwise: Some(Box::new(args[2].clone())),
            }
        }
        "nullif" => {
            want(2)?;
            Expr::Case {
                operand: None,
                branches: vec![(
                    args[0].clone().binary(BinaryOp::Eq, args[1].clone()),
                    Expr::Literal(Scalar::Null),
                )],
                otherwise: Some(Box::new(args[0].clone())),
            }
        }
        "regexp_like" | "regexp" => {
            want(2)?;
            Expr::RLike {
                arg: Box::new(args[0].clone()),
                pattern: Box::new(args[1].clone()),
                negated: false,
            }
        }
        _ => return Ok(None),
    }))
}

pub fn infos() -> Vec<FunctionInfo> {
    let f = |name, aliases, usage| FunctionInfo {
        name,
        aliases,
        usage,
        kind: "scalar",
        runs: "rewritten",
    };
    vec![
        f("if", &["iff"], "if(expr1, expr2, expr3) - If `expr1` evaluates to true, then returns `expr2`; otherwise returns `expr3`."),
        f("nvl2", &[], "nvl2(expr1, expr2, expr3) - Returns `expr2` if `expr1` is not null, or `expr3` otherwise."),
        f("nullif", &[], "nullif(expr1, expr2) - Returns null if `expr1` equals to `expr2`, or `expr1` otherwise."),
        f("regexp_like", &["regexp", "rlike"], "regexp_like(str, regexp) - Returns true if `str` matches `regexp`, or false otherwise."),
    ]
}
