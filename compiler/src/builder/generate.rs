//! Generators in a query: a select item that calls `explode`, `posexplode`,
//! `inline`, `stack` (and their `_outer` forms), and SQL's `LATERAL VIEW`.
//! Either becomes a [`PlanNode::Generate`] over a projection that computes
//! the generator's arguments, as Spark's `Generate` over its child.
//!
//! Spark's rules: one generator per SELECT, at the top of its item (an
//! alias aside) — not nested in an expression, not in an aggregate.

use std::sync::Arc;

use super::select_item;
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::generator::Generator;
use crate::ir::{TExpr, TExprKind};
use crate::plan::{Plan, PlanNode};
use crate::resolve::{self, resolve, Scope};
use crate::types::{DataType, Field, Scalar, Schema};

/// A generator call as a select item wrote it.
pub struct GeneratorCall<'e> {
    pub generator: Generator,
    pub outer: bool,
    pub args: &'e [Expr],
    /// The call as written, for messages and the default column name.
    pub call: &'e Expr,
    /// The names given to its columns (`AS word`), if any.
    pub aliases: Vec<String>,
}

/// The generator call `e` is (an alias aside), if it is one.
pub fn generator_call(e: &Expr) -> Option<GeneratorCall<'_>> {
    // Nested aliases name several columns (`AS (k, v)`), innermost first.
    let mut call = e;
    let mut aliases = Vec::new();
    while let Expr::Alias(inner, name) = call {
        aliases.push(name.clone());
        call = inner.as_ref();
    }
    aliases.reverse();
    let Expr::Function { name, args, .. } = call else {
        return None;
    };
    let (generator, outer) = Generator::by_name(name)?;
    Some(GeneratorCall {
        generator,
        outer,
        args,
        call,
        aliases,
    })
}

/// Whether a generator is called anywhere in `e`.
pub fn contains_generator(e: &Expr) -> bool {
    let mut found = false;
    e.visit(&mut |x| {
        if let Expr::Function { name, .. } = x {
            found |= Generator::by_name(name).is_some();
        }
    });
    found
}

/// `[UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS]` for `e`, which nests a
/// generator in an expression (or in an aggregate).
pub fn nested_error(e: &Expr) -> Error {
    Error::analysis(
        "UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS",
        format!("The generator is not supported: nested in expressions \"{e}\"."),
    )
}

/// Checks a select list's generators against Spark's rules; the indexes
/// of its generator items (Spark 4 allows several: each row of the first's
/// output meets every row of the next's).
pub fn select_generators(items: &[Expr]) -> Result<Vec<usize>> {
    let mut found: Vec<usize> = Vec::new();
    for (i, e) in items.iter().enumerate() {
        if let Some(GeneratorCall { args, .. }) = generator_call(e) {
            if let Some(a) = args.iter().find(|a| contains_generator(a)) {
                return Err(nested_error(a));
            }
            found.push(i);
        } else if contains_generator(e) {
            let inner = match e {
                Expr::Alias(inner, _) => inner.as_ref(),
                e => e,
            };
            return Err(nested_error(inner));
        }
    }
    Ok(found)
}

/// `input` with a generator applied: every input column, then the
/// generated ones (named by `g.aliases`, else as Spark names them), those
/// qualified by `qualifier` (a `LATERAL VIEW`'s name).
pub fn generate(
    input: &Arc<Plan>,
    g: &GeneratorCall,
    qualifier: Option<&str>,
) -> Result<Arc<Plan>> {
    generate_over(input, input, g, qualifier)
}

/// [`generate`] over `input`, the arguments resolved against `args_in`,
/// whose columns are `input`'s first ones (a generate below keeps them).
fn generate_over(
    input: &Arc<Plan>,
    args_in: &Plan,
    g: &GeneratorCall,
    qualifier: Option<&str>,
) -> Result<Arc<Plan>> {
    let scope = Scope::new(args_in);
    let mut generator = g.generator;
    let mut args = g
        .args
        .iter()
        .map(|a| resolve(a, &scope))
        .collect::<Result<Vec<_>>>()?;
    if let Generator::Stack { .. } = generator {
        let rows = stack_rows(&args, g.call)?;
        args.remove(0);
        generator = Generator::Stack { rows };
        args = widen_stack_columns(args, rows, g.call)?;
    }
    if let Generator::JsonTuple { .. } = generator {
        generator = Generator::JsonTuple {
            fields: args.len().saturating_sub(1),
        };
    }
    let n = input.schema.len();
    let below = Scope::new(input);
    let mut exprs: Vec<TExpr> = (0..n).map(|i| below.column(i)).collect();
    let mut fields = input.schema.fields.clone();
    let mut quals = input.qualifiers.clone();
    let mut arg_fields = Vec::new();
    for (i, a) in args.into_iter().enumerate() {
        let f = Field::new(format!("#arg{i}"), a.ty.clone(), a.nullable);
        arg_fields.push(f.clone());
        fields.push(f);
        quals.push(None);
        exprs.push(a);
    }
    let pre = Plan::with_qualifiers(
        PlanNode::Project {
            input: input.clone(),
            exprs,
        },
        Schema::new(fields),
        quals,
    );
    let mut generated = generator.output(&arg_fields, &g.call.to_string())?;
    if !g.aliases.is_empty() {
        if g.aliases.len() != generated.len() {
            return Err(Error::analysis(
                "UDTF_ALIAS_NUMBER_MISMATCH",
                format!(
                    "The number of aliases supplied in the AS clause does not match the number of \
                     columns output by the UDTF. Expected {} aliases, but got {}.",
                    generated.len(),
                    g.aliases.join(", ")
                ),
            ));
        }
        for (f, a) in generated.iter_mut().zip(&g.aliases) {
            f.name = a.clone();
        }
    }
    if g.outer {
        generated.iter_mut().for_each(|f| f.nullable = true);
    }
    let mut out = input.schema.fields.clone();
    out.extend(generated.iter().cloned());
    let mut quals = input.qualifiers.clone();
    quals.extend(generated.iter().map(|_| qualifier.map(str::to_string)));
    Ok(Plan::with_qualifiers(
        PlanNode::Generate {
            input: pre,
            generator,
            args: (n..n + arg_fields.len()).collect(),
            keep: n,
            outer: g.outer,
        },
        Schema::new(out),
        quals,
    ))
}

/// A SELECT list with generators at `gens`: the generate nodes, one over
/// the other, then the items in order — each generator's columns where it
/// stood.
pub fn project_generated(input: &Arc<Plan>, items: &[Expr], gens: &[usize]) -> Result<Arc<Plan>> {
    if let Some(a) = items.iter().find(|e| e.contains_aggregate()) {
        return Err(Error::not_supported(format!(
            "a generator beside an aggregate in one SELECT (`{a}`): aggregate in a subquery first"
        )));
    }
    // Each generate keeps every column below it, so the input's columns
    // keep their indexes and each generator's arguments resolve against
    // the input; `made[k]` is where generator k's columns start.
    let mut plan = input.clone();
    let mut made = Vec::with_capacity(gens.len());
    for &gi in gens {
        let g = generator_call(&items[gi]).expect("select_generators found it");
        let width = plan.schema.len();
        let scope_plan = plan.clone();
        plan = generate_over(&scope_plan, input, &g, None)?;
        made.push(width..plan.schema.len());
    }
    let scope = Scope::new(input);
    let gen_scope = Scope::new(&plan);
    let mut exprs = Vec::new();
    let mut fields = Vec::new();
    let mut quals = Vec::new();
    for (i, e) in items.iter().enumerate() {
        if let Some(k) = gens.iter().position(|&g| g == i) {
            for c in made[k].clone() {
                fields.push(plan.schema.fields[c].clone());
                quals.push(None);
                exprs.push(gen_scope.column(c));
            }
            continue;
        }
        let (t, field, qualifier) = select_item(input, &scope, e)?;
        quals.push(qualifier);
        fields.push(field);
        exprs.push(t);
    }
    Ok(Plan::with_qualifiers(
        PlanNode::Project { input: plan, exprs },
        Schema::new(fields),
        quals,
    ))
}

/// `stack`'s row count: its first argument, a positive integer literal.
fn stack_rows(args: &[TExpr], call: &Expr) -> Result<usize> {
    match args.first().map(|a| &a.kind) {
        Some(TExprKind::Literal(Scalar::Int32(n))) if *n > 0 => Ok(*n as usize),
        Some(TExprKind::Literal(Scalar::Int64(n))) if *n > 0 && *n <= i32::MAX as i64 => {
            Ok(*n as usize)
        }
        None => Err(Error::analysis(
            "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
            format!("The `stack` requires > 1 parameters but the actual number is 0. ({call})"),
        )),
        Some(_) => Err(Error::analysis(
            "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
            format!(
                "Cannot resolve \"{call}\" due to data type mismatch: the first parameter of \
                 `stack` must be a positive integer constant."
            ),
        )),
    }
}

/// Casts each column of a `stack` to the common type of its values.
fn widen_stack_columns(values: Vec<TExpr>, rows: usize, call: &Expr) -> Result<Vec<TExpr>> {
    let cols = crate::generator::stack_columns(rows, values.len());
    let mut types = vec![DataType::Null; cols];
    for (i, v) in values.iter().enumerate() {
        let c = i % cols;
        // Spark's stack wants one type per column (nulls aside).
        let same = match (&types[c], &v.ty) {
            (a, b) if a == b => Some(a.clone()),
            (DataType::Null, t) | (t, DataType::Null) => Some(t.clone()),
            _ => None,
        };
        types[c] = same.ok_or_else(|| {
            Error::analysis(
                "DATATYPE_MISMATCH.STACK_COLUMN_DIFF_TYPES",
                format!(
                    "Cannot resolve \"{call}\" due to data type mismatch: The data type of the \
                     column ({c}) do not have the same type: \"{}\" ({}) <> \"{}\" ({}).",
                    types[c].spark_name().to_uppercase(),
                    c + 1,
                    v.ty.spark_name().to_uppercase(),
                    i + 1
                ),
            )
        })?;
    }
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| resolve::cast(v, types[i % cols].clone()))
        .collect()
}
