//! Map and JSON functions by PySpark's names: `create_map`,
//! `map_from_arrays`, `map_keys`, …, `try_element_at`; `get_json_object`,
//! `json_tuple` (a generator, as `explode`), `schema_of_json`,
//! `from_json` with options, and `named_struct`.

use super::{call, cols, lit};
use crate::column::Column;

one_arg!(
    map_keys => "map_keys", map_values => "map_values", map_entries => "map_entries",
    map_from_entries => "map_from_entries",
);

/// `create_map(k1, v1, k2, v2, …)` (SQL's `map(..)`).
pub fn create_map<I, C>(cs: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("map", cols(cs))
}

/// `map_from_arrays(keys, values)`.
pub fn map_from_arrays(keys: impl Into<Column>, values: impl Into<Column>) -> Column {
    call("map_from_arrays", vec![keys.into(), values.into()])
}

/// `map_contains_key(map, key)`.
pub fn map_contains_key(m: impl Into<Column>, key: impl Into<Column>) -> Column {
    call("map_contains_key", vec![m.into(), key.into()])
}

/// `map_concat(m1, m2, …)`.
pub fn map_concat<I, C>(cs: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("map_concat", cols(cs))
}

/// `str_to_map(text, pairDelim, keyValueDelim)` (PySpark's defaults are
/// `","` and `":"`).
pub fn str_to_map(text: impl Into<Column>, pair_delim: &str, key_value_delim: &str) -> Column {
    call(
        "str_to_map",
        vec![text.into(), lit(pair_delim), lit(key_value_delim)],
    )
}

/// `try_element_at(array_or_map, index_or_key)`: NULL where `element_at`
/// fails.
pub fn try_element_at(c: impl Into<Column>, key: impl Into<Column>) -> Column {
    call("try_element_at", vec![c.into(), key.into()])
}

/// `named_struct(name1, value1, …)`.
pub fn named_struct<I, C>(cs: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("named_struct", cols(cs))
}

/// `get_json_object(json, path)`.
pub fn get_json_object(json: impl Into<Column>, path: &str) -> Column {
    call("get_json_object", vec![json.into(), lit(path)])
}

/// `json_tuple(json, field1, …)`: a generator of one row of strings (`c0`,
/// `c1`, …) per input row.
pub fn json_tuple(json: impl Into<Column>, fields: &[&str]) -> Column {
    let mut args = vec![json.into()];
    args.extend(fields.iter().map(|f| lit(*f)));
    call("json_tuple", args)
}

/// `schema_of_json(json)`: the DDL type Spark infers for a JSON text.
pub fn schema_of_json(json: &str) -> Column {
    call("schema_of_json", vec![lit(json)])
}

/// `from_json(col, schema, options)`: as [`super::from_json`], with
/// options (`[("mode", "FAILFAST")]`).
pub fn from_json_with_options(
    c: impl Into<Column>,
    schema: &str,
    options: &[(&str, &str)],
) -> Column {
    let opts = options
        .iter()
        .flat_map(|(k, v)| [lit(*k), lit(*v)])
        .collect::<Vec<_>>();
    call("from_json", vec![c.into(), lit(schema), call("map", opts)])
}
