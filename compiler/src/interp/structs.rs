//! Struct values in the interpreted twin: `from_json`, `to_json`,
//! `struct(..)` and field access, on Arrow's struct arrays and its JSON
//! reader and writer (one call per batch).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, StringArray, StructArray};
use arrow::compute::{is_null, nullif};
use arrow::datatypes::{Fields, Schema as ArrowSchema};
use arrow::json::ReaderBuilder;
use arrow::record_batch::RecordBatch;

use super::columns::{internal, strings, Cols};
use super::expr::Evaluator;
use crate::error::Result;
use crate::ir::{ScalarFunc, TExpr};
use crate::types::DataType;

fn struct_fields(ty: &DataType) -> Result<Fields> {
    match ty.to_arrow() {
        arrow::datatypes::DataType::Struct(f) => Ok(f),
        t => Err(internal(format!("expected a struct type, got {t}"))),
    }
}

/// `from_json`, `to_json` or `struct` with `e`'s result type.
pub fn call(
    ev: &Evaluator,
    e: &TExpr,
    func: ScalarFunc,
    args: &[TExpr],
    cols: &Cols,
) -> Result<ArrayRef> {
    let vals = args
        .iter()
        .map(|a| ev.eval(a, cols))
        .collect::<Result<Vec<_>>>()?;
    let first = || {
        vals.first()
            .cloned()
            .ok_or_else(|| internal(format!("{e}: no argument")))
    };
    match func {
        ScalarFunc::FromJson => from_json(&first()?, &e.ty),
        ScalarFunc::ToJson => to_json(&first()?),
        ScalarFunc::Struct => {
            let fields = struct_fields(&e.ty)?;
            Ok(Arc::new(StructArray::try_new(fields, vals, None)?))
        }
        _ => Err(internal(format!(
            "{} is not a struct function",
            func.name()
        ))),
    }
}

/// Field `index` of a struct array; null where the struct is null.
pub fn get_field(s: &ArrayRef, index: usize) -> Result<ArrayRef> {
    let st = s
        .as_struct_opt()
        .ok_or_else(|| internal(format!("field access on {}", s.data_type())))?;
    let child = st.column(index).clone();
    if st.null_count() == 0 {
        return Ok(child);
    }
    Ok(nullif(&child, &is_null(st)?)?)
}

/// Decodes `text` (JSON objects, one per line) into exactly `n` rows of
/// `fields`, or `None` when some line is not one object of that shape.
fn decode(fields: &Fields, text: &[u8], n: usize) -> Option<RecordBatch> {
    let schema = Arc::new(ArrowSchema::new(fields.clone()));
    let mut dec = ReaderBuilder::new(schema)
        .with_batch_size(n.max(1))
        .with_coerce_primitive(true)
        .build_decoder()
        .ok()?;
    let mut at = 0;
    while at < text.len() {
        let used = dec.decode(&text[at..]).ok()?;
        if used == 0 {
            break;
        }
        at += used;
    }
    if text[at..].iter().any(|c| !c.is_ascii_whitespace()) {
        return None;
    }
    let b = dec.flush().ok()??;
    (b.num_rows() == n).then_some(b)
}

/// Spark's `from_json` in PERMISSIVE mode: a null or malformed string gives
/// a null struct.
pub fn from_json(a: &ArrayRef, ty: &DataType) -> Result<ArrayRef> {
    let fields = struct_fields(ty)?;
    let s = strings(a.as_ref())?;
    let n = s.len();
    let mut text = Vec::with_capacity(s.value_data().len() + 3 * n);
    let mut valid: Vec<bool> = Vec::with_capacity(n);
    for v in s.iter() {
        let line = v.filter(|l| l.trim_start().starts_with('{'));
        valid.push(line.is_some());
        // A raw newline can only be whitespace between tokens in valid JSON.
        text.extend(
            line.unwrap_or("{}")
                .bytes()
                .map(|c| if c == b'\n' { b' ' } else { c }),
        );
        text.push(b'\n');
    }
    let columns: Vec<ArrayRef> = match decode(&fields, &text, n) {
        Some(b) => b.columns().to_vec(),
        None => {
            // Some record does not parse: decode row by row, nulls for
            // the bad ones.
            let mut rows: Vec<RecordBatch> = Vec::with_capacity(n);
            for (i, line) in text.split(|&c| c == b'\n').take(n).enumerate() {
                match decode(&fields, line, 1) {
                    Some(b) => rows.push(b),
                    None => {
                        valid[i] = false;
                        rows.push(
                            decode(&fields, b"{}", 1)
                                .ok_or_else(|| internal("from_json: empty object"))?,
                        );
                    }
                }
            }
            let schema = Arc::new(ArrowSchema::new(fields.clone()));
            arrow::compute::concat_batches(&schema, &rows)?
                .columns()
                .to_vec()
        }
    };
    let nulls = valid.iter().any(|v| !v).then(|| valid.into());
    Ok(Arc::new(StructArray::try_new(fields, columns, nulls)?))
}

/// Spark's `to_json` of a struct: one JSON object per row, null fields
/// left out; a null struct gives null.
pub fn to_json(a: &ArrayRef) -> Result<ArrayRef> {
    let st = a
        .as_struct_opt()
        .ok_or_else(|| internal(format!("to_json of {}", a.data_type())))?;
    let schema = Arc::new(ArrowSchema::new(st.fields().clone()));
    let batch = RecordBatch::try_new_with_options(
        schema,
        st.columns().to_vec(),
        &arrow::record_batch::RecordBatchOptions::new().with_row_count(Some(st.len())),
    )?;
    let mut buf = Vec::new();
    {
        let mut w = arrow::json::LineDelimitedWriter::new(&mut buf);
        w.write(&batch)?;
        w.finish()?;
    }
    let text = String::from_utf8(buf).map_err(|e| internal(format!("to_json: {e}")))?;
    let mut lines = text.split('\n');
    let out: StringArray = (0..st.len())
        .map(|i| {
            let line = lines.next().unwrap_or("{}");
            st.is_valid(i).then_some(line)
        })
        .collect();
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Field;

    fn ty() -> DataType {
        DataType::Struct(
            vec![
                Field::new("gt", DataType::Utf8, true),
                Field::new("x", DataType::Float64, true),
            ]
            .into(),
        )
    }

    #[test]
    fn from_json_parses_rows_and_nulls_the_malformed() {
        let a: ArrayRef = Arc::new(StringArray::from(vec![
            Some(r#"{"gt":"walk","x":1.5,"other":3}"#),
            None,
            Some("not json"),
            Some(r#"{"x":2}"#),
            Some(r#"{"gt":"sit"}{"gt":"two"}"#),
        ]));
        let s = from_json(&a, &ty()).unwrap();
        let st = s.as_struct();
        assert_eq!(st.len(), 5);
        let valid: Vec<bool> = (0..5).map(|i| st.is_valid(i)).collect();
        assert_eq!(valid, vec![true, false, false, true, false]);
        let gt = get_field(&s, 0).unwrap();
        let gt = gt.as_string::<i32>();
        assert_eq!(gt.value(0), "walk");
        assert!(gt.is_null(3) && gt.is_null(1));
        let x = get_field(&s, 1).unwrap();
        let x = x.as_primitive::<arrow::datatypes::Float64Type>();
        assert_eq!((x.value(0), x.value(3)), (1.5, 2.0));
        let j = to_json(&s).unwrap();
        let j = j.as_string::<i32>();
        assert_eq!(j.value(0), r#"{"gt":"walk","x":1.5}"#);
        assert_eq!(j.value(3), r#"{"x":2.0}"#);
        assert!(j.is_null(1));
    }
}
