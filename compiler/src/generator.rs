//! Generators: functions that make zero or more rows of each input row
//! (Spark's `Generator` expressions) — `explode`, `posexplode`, `inline`,
//! `stack`, and the row replication set operations use. A generator is not
//! an expression: the builder turns a select item or a `LATERAL VIEW` that
//! calls one into a [`crate::plan::PlanNode::Generate`] node.
//!
//! This module says which names are generators, checks their arguments and
//! gives their output columns, with Spark's default names (`col`, `pos`,
//! `key`, `value`, `col0`, `col1`, …).

use crate::error::{Error, Result};
use crate::types::{DataType, Field};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Generator {
    /// Each element of an array, as `col`, or each entry of a map, as
    /// `key` and `value` (with `position`: `pos` first, the 0-based index).
    Explode { position: bool },
    /// Each struct of an array of structs, as its fields.
    Inline,
    /// `stack(n, v1, …, vk)`: the values in `n` rows of `ceil(k / n)`
    /// columns, missing values null.
    Stack { rows: usize },
    /// `json_tuple(json, name1, …)`: one row of `fields` strings, the
    /// values of those top-level fields (`c0`, `c1`, …).
    JsonTuple { fields: usize },
    /// Each row `n` times, `n` its first argument (no output column): how
    /// `INTERSECT ALL` and `EXCEPT ALL` give a row as often as it occurs.
    Replicate,
}

impl Generator {
    /// The generator a function name calls, and whether it is the `_outer`
    /// form; `None` for a name that is not a generator. `stack` gets its
    /// row count from its first argument later ([`Generator::Stack`] 0).
    pub fn by_name(name: &str) -> Option<(Generator, bool)> {
        let lower = name.to_ascii_lowercase();
        let (base, outer) = match lower.strip_suffix("_outer") {
            Some(b) => (b, true),
            None => (lower.as_str(), false),
        };
        let g = match base {
            "explode" => Generator::Explode { position: false },
            "posexplode" => Generator::Explode { position: true },
            "inline" => Generator::Inline,
            "stack" if !outer => Generator::Stack { rows: 0 },
            "json_tuple" if !outer => Generator::JsonTuple { fields: 0 },
            _ => return None,
        };
        Some((g, outer))
    }

    /// The name Spark shows, as called.
    pub fn name(&self, outer: bool) -> String {
        let base = match self {
            Generator::Explode { position: false } => "explode",
            Generator::Explode { position: true } => "posexplode",
            Generator::Inline => "inline",
            Generator::Stack { .. } => "stack",
            Generator::JsonTuple { .. } => "json_tuple",
            Generator::Replicate => "replicate_rows",
        };
        if outer {
            format!("{base}_outer")
        } else {
            base.to_string()
        }
    }

    /// The generated columns for arguments of these types, named as Spark
    /// names them when the call has no alias. Checks the argument types.
    pub fn output(&self, args: &[Field], call: &str) -> Result<Vec<Field>> {
        let mismatch = |what: &str, got: &DataType| {
            Error::analysis(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                format!(
                    "Cannot resolve \"{call}\" due to data type mismatch: the first parameter requires {what}, however it has the type \"{}\".",
                    got.spark_name().to_uppercase()
                ),
            )
        };
        match self {
            Generator::Explode { position } => {
                let [a] = args else {
                    return Err(wrong_args(call, "1", args.len()));
                };
                let mut out = Vec::new();
                if *position {
                    out.push(Field::new("pos", DataType::Int32, false));
                }
                match &a.data_type {
                    DataType::Array(elem, contains_null) => {
                        out.push(Field::new("col", (**elem).clone(), *contains_null));
                    }
                    DataType::Map(k, v, value_null) => {
                        out.push(Field::new("key", (**k).clone(), false));
                        out.push(Field::new("value", (**v).clone(), *value_null));
                    }
                    other => return Err(mismatch("the (\"ARRAY\" or \"MAP\") type", other)),
                }
                Ok(out)
            }
            Generator::Inline => {
                let [a] = args else {
                    return Err(wrong_args(call, "1", args.len()));
                };
                match &a.data_type {
                    DataType::Array(elem, _) => match elem.as_ref() {
                        DataType::Struct(fields) => Ok(fields
                            .iter()
                            .map(|f| Field::new(f.name.clone(), f.data_type.clone(), true))
                            .collect()),
                        other => Err(mismatch("the \"ARRAY<STRUCT>\" type", other)),
                    },
                    other => Err(mismatch("the \"ARRAY<STRUCT>\" type", other)),
                }
            }
            Generator::Stack { rows } => {
                let cols = stack_columns(*rows, args.len());
                Ok((0..cols)
                    .map(|c| {
                        let ty = (0..*rows)
                            .filter_map(|r| args.get(r * cols + c))
                            .map(|f| f.data_type.clone())
                            .find(|t| *t != DataType::Null)
                            .unwrap_or(DataType::Null);
                        Field::new(format!("col{c}"), ty, true)
                    })
                    .collect())
            }
            Generator::JsonTuple { .. } => {
                if args.len() < 2 {
                    return Err(wrong_args(call, "> 1", args.len()));
                }
                if args.iter().any(|f| f.data_type != DataType::Utf8) {
                    return Err(Error::analysis(
                        "DATATYPE_MISMATCH.NON_STRING_TYPE",
                        format!("Cannot resolve \"{call}\" due to data type mismatch: all arguments of the function `json_tuple` must be strings."),
                    ));
                }
                Ok((0..args.len() - 1)
                    .map(|c| Field::new(format!("c{c}"), DataType::Utf8, true))
                    .collect())
            }
            Generator::Replicate => Ok(vec![]),
        }
    }
}

/// The generators as `SHOW FUNCTIONS` and `DESCRIBE FUNCTION` list them.
pub fn infos() -> Vec<crate::functions::FunctionInfo> {
    let g = |name, usage| crate::functions::FunctionInfo {
        name,
        aliases: &[],
        usage,
        kind: "generator",
        runs: "interpreted",
    };
    vec![
        g("explode", "explode(expr) - Separates the elements of array `expr` into multiple rows, or the elements of map `expr` into multiple rows and columns."),
        g("explode_outer", "explode_outer(expr) - As explode, with a row of nulls for a null or empty array or map."),
        g("posexplode", "posexplode(expr) - Separates the elements of array `expr` into multiple rows with positions, or the elements of map `expr` into multiple rows and columns with positions."),
        g("posexplode_outer", "posexplode_outer(expr) - As posexplode, with a row of nulls for a null or empty array or map."),
        g("inline", "inline(expr) - Explodes an array of structs into a table."),
        g("inline_outer", "inline_outer(expr) - As inline, with a row of nulls for a null or empty array."),
        g("stack", "stack(n, expr1, ..., exprk) - Separates `expr1`, ..., `exprk` into `n` rows."),
        g("json_tuple", "json_tuple(jsonStr, p1, p2, ..., pn) - Returns a tuple like the function get_json_object, but it takes multiple names. All the input parameters and output column types are string."),
    ]
}

/// How many columns `stack(rows, …)` of `values` values makes.
pub fn stack_columns(rows: usize, values: usize) -> usize {
    if rows == 0 {
        0
    } else {
        values.div_ceil(rows)
    }
}

fn wrong_args(call: &str, want: &str, got: usize) -> Error {
    Error::analysis(
        "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
        format!("The `{call}` requires {want} parameters but the actual number is {got}."),
    )
}
