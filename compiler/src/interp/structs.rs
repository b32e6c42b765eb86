//! Struct values in the interpreted twin: `struct(..)` and field access,
//! on Arrow's struct arrays. (`from_json` and `to_json` are catalog
//! functions: `functions/json.rs`.)

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, StructArray};
use arrow::compute::{is_null, nullif};
use arrow::datatypes::Fields;

use super::columns::{internal, Cols};
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

/// `struct(..)` with `e`'s result type.
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
    match func {
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
