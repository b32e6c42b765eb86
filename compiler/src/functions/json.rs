//! JSON functions, with Spark 4's semantics: `get_json_object`,
//! `schema_of_json`, `from_json` (struct, array and map schemas, as a DDL
//! string or `schema_of_json(..)`, modes PERMISSIVE and FAILFAST) and
//! `to_json` (structs, arrays, maps). `json_tuple` is a generator
//! ([`crate::generator`]). The parsing and writing are [`crate::json`]'s.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, StringArray, StructArray};
use arrow::buffer::NullBuffer;

use super::args::*;
use super::map::sql_type;
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::{TExpr, TExprKind};
use crate::json::convert::{build, fits, write_value};
use crate::json::path::JsonPath;
use crate::json::{infer, parse_with, Json, Syntax};
use crate::scalar_function;
use crate::types::{DataType, Scalar};

pub fn register(v: &mut Vec<FunctionRef>) {
    v.extend([
        FunctionRef::new(GetJsonObject { path: None }),
        FunctionRef::new(SchemaOfJson {
            syntax: Syntax::SPARK,
        }),
        FunctionRef::new(FromJson {
            schema: DataType::Null,
            failfast: false,
            syntax: Syntax::SPARK,
        }),
        FunctionRef::new(ToJson),
    ]);
}

/// `get_json_object(json, path)`: the text the path selects, NULL when it
/// selects nothing or the JSON or the path is malformed (read as Spark's
/// Hive-compatible factory reads it, [`Syntax::HIVE`]). A literal path is
/// parsed once.
pub struct GetJsonObject {
    path: Option<Arc<Option<JsonPath>>>,
}

impl ScalarFunction for GetJsonObject {
    fn name(&self) -> &'static str {
        "get_json_object"
    }
    fn usage(&self) -> &'static str {
        "get_json_object(json_txt, path) - Extracts a json object from `path`."
    }
    fn instance_key(&self) -> String {
        String::new()
    }
    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        arity("get_json_object", &args, 2, 2)?;
        let mut r = typed(
            &FunctionRef::new(GetJsonObject { path: None }),
            args,
            &[DataType::Utf8, DataType::Utf8],
            DataType::Utf8,
            call,
        )?;
        r.nullable = true;
        if let Some(Scalar::Utf8(p)) = literal(&r.args[1]) {
            r.func = FunctionRef::new(GetJsonObject {
                path: Some(Arc::new(JsonPath::parse(p))),
            });
        }
        Ok(r)
    }
    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let (doc, path) = (strs(&a[0])?, strs(&a[1])?);
        collect_strings(rows, |r| {
            let parsed;
            let p = match &self.path {
                Some(p) => p.as_ref().as_ref(),
                None => {
                    parsed = path.at(r).and_then(JsonPath::parse);
                    parsed.as_ref()
                }
            };
            let (Some(p), Some(d)) = (p, doc.at(r)) else {
                return Ok(None);
            };
            Ok(parse_with(d, &Syntax::HIVE)
                .ok()
                .and_then(|j| p.extract(&j)))
        })
    }
}

/// `schema_of_json(json[, options])`: the DDL type Spark infers for a
/// constant JSON text, read with the options' [`Syntax`].
pub struct SchemaOfJson {
    syntax: Syntax,
}

impl ScalarFunction for SchemaOfJson {
    fn name(&self) -> &'static str {
        "schema_of_json"
    }
    fn usage(&self) -> &'static str {
        "schema_of_json(json[, options]) - Returns schema in the DDL format of JSON string."
    }
    fn instance_key(&self) -> String {
        format!("{:?}", self.syntax)
    }
    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        arity("schema_of_json", &args, 1, 2)?;
        let (_, syntax) = json_options(args.get(1), "schema_of_json")?;
        // The options stay an argument (unused when invoked) for a
        // `from_json` whose schema this call is to read.
        let json = &args[0];
        if !matches!(json.kind, TExprKind::Literal(Scalar::Utf8(_))) {
            return Err(Error::analysis("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", format!(
                "Cannot resolve \"{call}\" due to data type mismatch: the input `json` should be a foldable \"STRING\" expression; however, got \"{json}\".")));
        }
        Ok(Resolved {
            func: FunctionRef::new(SchemaOfJson { syntax }),
            args,
            ty: DataType::Utf8,
            nullable: false,
        })
    }
    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let text = strs(&a[0])?;
        collect_strings(rows, |r| {
            let t = text.at(r).unwrap_or("");
            let s = infer::schema_of_with(t, &self.syntax)
                .map_err(|why| malformed(&format!("'{t}' ({why})")))?;
            Ok(Some(s.sql()))
        })
    }
}

fn malformed(record: &str) -> Error {
    Error::execution(
        "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION",
        format!("Malformed records are detected in record parsing: {record}. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'."),
    )
}

/// The type a `from_json` schema argument names: a DDL string (a type, or
/// a list of `name TYPE` fields) the front end parsed (`Expr::Schema` in
/// the call as written), or `schema_of_json('…')`.
fn schema_arg(arg: &TExpr, call: &Expr) -> Result<DataType> {
    let written = match call {
        Expr::Function { args, .. } => args.get(1),
        _ => None,
    };
    match &arg.kind {
        TExprKind::Literal(Scalar::Utf8(_)) => match written {
            Some(Expr::Schema { parsed: Ok(ty), .. }) => Ok(ty.clone()),
            Some(Expr::Schema {
                ddl,
                parsed: Err(err),
            }) => Err(Error::analysis(
                "PARSE_SYNTAX_ERROR",
                format!("the schema '{ddl}' of `from_json` does not parse: {err}"),
            )),
            _ => Err(Error::internal(format!(
                "the schema of {call} was not parsed by the front end"
            ))),
        },
        TExprKind::Function { func, args } if func.name() == "schema_of_json" => {
            let syntax = json_options(args.get(1), "schema_of_json")?.1;
            match args.first().map(|a| &a.kind) {
                Some(TExprKind::Literal(Scalar::Utf8(t))) => infer::schema_of_with(t, &syntax)
                    .map(|s| s.data_type())
                    .map_err(|why| malformed(&format!("'{t}' ({why})"))),
                _ => Err(Error::internal("schema_of_json without a literal")),
            }
        }
        _ => Err(Error::analysis(
            "INVALID_SCHEMA.NON_STRING_LITERAL",
            format!("The input schema \"{arg}\" is not a valid schema string. The input expression must be string literal and not null. ({call})"),
        )),
    }
}

/// What an options argument (`map('mode', 'FAILFAST', 'allowComments',
/// 'true')`) says: whether the mode is FAILFAST, and the JSON's [`Syntax`].
fn json_options(opts: Option<&TExpr>, name: &str) -> Result<(bool, Syntax)> {
    let Some(o) = opts else {
        return Ok((false, Syntax::SPARK));
    };
    let pairs: Vec<(String, String)> = match &o.kind {
        TExprKind::Function { func, args } if func.name() == "map" => args
            .chunks(2)
            .map(|kv| match (literal(&kv[0]), literal(&kv[1])) {
                (Some(Scalar::Utf8(k)), Some(Scalar::Utf8(v))) => Ok((k.clone(), v.clone())),
                _ => Err(not_literal_options(o)),
            })
            .collect::<Result<_>>()?,
        _ => return Err(not_literal_options(o)),
    };
    let syntax = Syntax::from_options(|key| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    })
    .map_err(|(key, value)| {
        Error::analysis(
            "INVALID_OPTIONS",
            format!("The option {key} of `{name}` must be true or false, not '{value}'."),
        )
    })?;
    let mut fail = false;
    for (k, v) in pairs {
        if k.eq_ignore_ascii_case("mode") {
            match v.to_ascii_uppercase().as_str() {
                "PERMISSIVE" => fail = false,
                "FAILFAST" => fail = true,
                _ => {
                    return Err(Error::analysis(
                        "PARSE_MODE_UNSUPPORTED",
                        format!("The function `{name}` doesn't support the {v} mode. Acceptable modes are PERMISSIVE and FAILFAST."),
                    ))
                }
            }
        }
    }
    Ok((fail, syntax))
}

fn not_literal_options(o: &TExpr) -> Error {
    Error::analysis(
        "INVALID_OPTIONS.NON_MAP_FUNCTION",
        format!("Must use the `map()` function for options, not {o}."),
    )
}

/// `from_json(json, schema[, options])`: JSON text parsed into the schema's
/// struct, array or map. PERMISSIVE (the default): a malformed record is a
/// struct of nulls (fields that did convert kept), a null array or map;
/// FAILFAST: `[MALFORMED_RECORD_IN_PARSING]`.
#[derive(Clone)]
pub struct FromJson {
    schema: DataType,
    failfast: bool,
    syntax: Syntax,
}

impl ScalarFunction for FromJson {
    fn name(&self) -> &'static str {
        "from_json"
    }
    fn usage(&self) -> &'static str {
        "from_json(jsonStr, schema[, options]) - Returns a struct, array or map value with the given `jsonStr` and `schema`."
    }
    fn instance_key(&self) -> String {
        format!(
            "{}/{}/{:?}",
            self.schema.spark_name(),
            self.failfast,
            self.syntax
        )
    }
    /// Timestamps without an offset are read on the session's wall clock.
    fn with_time_zone(&self, tz: &crate::time_zone::TimeZone) -> Option<FunctionRef> {
        Some(super::zoned::InZone::wrap(
            FunctionRef::new(self.clone()),
            tz,
        ))
    }
    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        arity("from_json", &args, 2, 3)?;
        let schema = schema_arg(&args[1], call)?;
        match &schema {
            DataType::Struct(_) | DataType::Array(..) => {}
            DataType::Map(k, _, _) if **k == DataType::Utf8 => {}
            DataType::Map(..) => {
                return Err(Error::analysis(
                    "DATATYPE_MISMATCH.INVALID_JSON_MAP_KEY_TYPE",
                    format!("Cannot resolve \"{call}\" due to data type mismatch: Input schema \"{}\" can only contain STRING as a key type for a MAP.", sql_type(&schema)),
                ))
            }
            other => {
                return Err(Error::analysis(
                    "DATATYPE_MISMATCH.INVALID_JSON_SCHEMA",
                    format!("Cannot resolve \"{call}\" due to data type mismatch: Input schema \"{}\" must be a struct, an array, a map or a variant.", sql_type(other)),
                ))
            }
        }
        let (failfast, syntax) = json_options(args.get(2), "from_json")?;
        // A string only (Spark's `ExpectsInputTypes`: no implicit cast).
        let json = args.into_iter().next().expect("arity");
        if !matches!(json.ty, DataType::Utf8 | DataType::Null) {
            return Err(Error::analysis("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", format!(
                "Cannot resolve \"{call}\" due to data type mismatch: the first parameter requires the \"STRING\" type, however \"{json}\" has the type \"{}\".",
                sql_type(&json.ty))));
        }
        let json = crate::resolve::cast(json, DataType::Utf8)?;
        Ok(Resolved {
            func: FunctionRef::new(FromJson {
                schema: schema.clone(),
                failfast,
                syntax,
            }),
            args: vec![json],
            ty: schema,
            nullable: true,
        })
    }
    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let text = strs(&a[0])?;
        let parsed: Vec<Option<std::result::Result<Json, String>>> = (0..rows)
            .map(|r| text.at(r).map(|t| parse_with(t, &self.syntax)))
            .collect();
        let fail = |r: usize| -> Result<()> {
            if self.failfast {
                return Err(malformed(&format!("[{}]", text.at(r).unwrap_or("null"))));
            }
            Ok(())
        };
        match &self.schema {
            DataType::Struct(fields) => {
                // The object of each row (none for a null or malformed
                // one), and per field the values that convert.
                let mut valid = Vec::with_capacity(rows);
                let mut objects: Vec<Option<&Json>> = Vec::with_capacity(rows);
                for (r, p) in parsed.iter().enumerate() {
                    match p {
                        None => {
                            valid.push(false);
                            objects.push(None);
                        }
                        Some(Ok(j @ Json::Object(_))) => {
                            if !fits(j, &self.schema, self.syntax.non_numeric_numbers) {
                                fail(r)?;
                            }
                            valid.push(true);
                            objects.push(Some(j));
                        }
                        Some(_) => {
                            fail(r)?;
                            valid.push(true);
                            objects.push(None);
                        }
                    }
                }
                let children = fields
                    .iter()
                    .map(|f| {
                        let vals: Vec<Option<&Json>> = objects
                            .iter()
                            .map(|o| {
                                o.and_then(|o| match o {
                                    Json::Object(kv) => {
                                        kv.iter().rev().find(|(k, _)| *k == f.name).map(|(_, v)| v)
                                    }
                                    _ => None,
                                })
                                .filter(|v| fits(v, &f.data_type, self.syntax.non_numeric_numbers))
                            })
                            .collect();
                        build(&vals, &f.data_type)
                    })
                    .collect::<Result<Vec<_>>>()?;
                let arrow_fields = match self.schema.to_arrow() {
                    arrow::datatypes::DataType::Struct(f) => f,
                    _ => return Err(Error::internal("from_json: a struct's Arrow type")),
                };
                let children = children
                    .into_iter()
                    .zip(arrow_fields.iter())
                    .map(|(c, f)| Ok(crate::types::conform_array(c, f.data_type())?))
                    .collect::<Result<Vec<_>>>()?;
                let nulls = Some(NullBuffer::from(valid)).filter(|n| n.null_count() > 0);
                Ok(Arc::new(StructArray::try_new(
                    arrow_fields,
                    children,
                    nulls,
                )?))
            }
            ty => {
                let elem = match ty {
                    DataType::Array(e, _) if matches!(**e, DataType::Struct(_)) => Some(&**e),
                    _ => None,
                };
                // A lone object read as an array of one struct, with the
                // partial result of a struct at the top: fields that do
                // not convert are null.
                let wrapped: Vec<Option<Json>> = parsed
                    .iter()
                    .map(|p| match (p, elem) {
                        (Some(Ok(Json::Object(kv))), Some(DataType::Struct(fields))) => {
                            let kept = kv
                                .iter()
                                .filter(|(k, v)| {
                                    fields.iter().find(|f| f.name == *k).is_none_or(|f| {
                                        fits(v, &f.data_type, self.syntax.non_numeric_numbers)
                                    })
                                })
                                .cloned()
                                .collect();
                            Some(Json::Array(vec![Json::Object(kept)]))
                        }
                        _ => None,
                    })
                    .collect();
                let mut vals: Vec<Option<&Json>> = Vec::with_capacity(rows);
                for (r, p) in parsed.iter().enumerate() {
                    let v = match (&wrapped[r], p) {
                        (Some(w), _) => Some(w),
                        (None, Some(Ok(j))) => Some(j),
                        (None, None) => None,
                        (None, Some(Err(_))) => {
                            fail(r)?;
                            None
                        }
                    };
                    let shape_ok = matches!(
                        (ty, v),
                        (DataType::Array(..), Some(Json::Array(_)))
                            | (DataType::Map(..), Some(Json::Object(_)))
                    );
                    let ok = v.filter(|j| shape_ok && fits(j, ty, self.syntax.non_numeric_numbers));
                    if v.is_some() && ok.is_none() && !matches!(p, Some(Err(_))) {
                        fail(r)?;
                    }
                    vals.push(ok);
                }
                build(&vals, ty)
            }
        }
    }
}

scalar_function!(
    /// `to_json(value[, options])`: a struct, array or map as JSON text.
    ToJson, "to_json", [], "to_json(expr[, options]) - Returns a JSON string with a given struct, array or map value.", session_zone,
    resolve(this, args, call) {
        arity("to_json", &args, 1, 2)?;
        let v = args.into_iter().next().expect("arity");
        if !matches!(v.ty, DataType::Struct(_) | DataType::Array(..) | DataType::Map(..)) {
            return Err(Error::analysis("DATATYPE_MISMATCH.INVALID_JSON_SCHEMA", format!(
                "Cannot resolve \"{call}\" due to data type mismatch: Input schema \"{}\" must be a struct, an array, a map or a variant.",
                sql_type(&v.ty))));
        }
        let nullable = v.nullable;
        Ok(Resolved { func: this, args: vec![v], ty: DataType::Utf8, nullable })
    }
    invoke(a, rows) {
        let v = &a[0];
        let out: StringArray = (0..rows)
            .map(|r| {
                (!v.is_null(r)).then(|| {
                    let mut s = String::new();
                    write_value(&mut s, v.as_ref(), r);
                    s
                })
            })
            .collect();
        Ok(Arc::new(out))
    }
);
