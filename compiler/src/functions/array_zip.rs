//! `arrays_zip(a1, a2, …)`: arrays side by side, as an array of structs
//! whose field `j` holds element `k` of array `j` (null past its end).
//! Spark names a field after its argument when that is a column, else by
//! its position (`0`, `1`, …); a null array makes the row null.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, ListArray, StructArray, UInt32Array};
use arrow::buffer::{NullBuffer, OffsetBuffer};
use arrow::compute::take;

use super::args::arity;
use super::array::{as_array, element_type, list};
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::{TExpr, TExprKind};
use crate::types::{list_item, DataType, Field};

pub fn register(v: &mut Vec<FunctionRef>) {
    v.push(FunctionRef::new(ArraysZip { item: None }));
}

/// `arrays_zip`; `item` is the struct type of the elements once resolved
/// (its field names come from the arguments).
pub struct ArraysZip {
    item: Option<DataType>,
}

impl ScalarFunction for ArraysZip {
    fn name(&self) -> &'static str {
        "arrays_zip"
    }

    fn usage(&self) -> &'static str {
        "arrays_zip(a1, a2, ...) - Returns a merged array of structs in which the N-th struct contains all N-th values of input arrays."
    }

    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        arity("arrays_zip", &args, 0, usize::MAX)?;
        let mut fields = Vec::with_capacity(args.len());
        let mut coerced = Vec::with_capacity(args.len());
        for (j, a) in args.into_iter().enumerate() {
            let (elem, _) = element_type(&a, j + 1, call)?;
            let name = match &a.kind {
                TExprKind::Column { name, .. } => name.to_string(),
                _ => j.to_string(),
            };
            fields.push(Field::new(name, elem, true));
            coerced.push(as_array(a)?);
        }
        let nullable = coerced.iter().any(|a| a.nullable);
        let item = DataType::Struct(fields.into());
        Ok(Resolved {
            func: FunctionRef::new(ArraysZip {
                item: Some(item.clone()),
            }),
            args: coerced,
            ty: DataType::Array(Box::new(item), false),
            nullable,
        })
    }

    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let lists = a.iter().map(list).collect::<Result<Vec<&ListArray>>>()?;
        let mut offsets = vec![0i32];
        let mut valid = Vec::with_capacity(rows);
        // Per array, the flat positions its field takes (None: past its end).
        let mut picks: Vec<Vec<Option<u32>>> = vec![Vec::new(); lists.len()];
        let mut n = 0usize;
        for i in 0..rows {
            let live = lists.iter().all(|l| i < l.len() && l.is_valid(i));
            valid.push(live);
            if live {
                let len = lists
                    .iter()
                    .map(|l| l.value_length(i) as usize)
                    .max()
                    .unwrap_or(0);
                for (l, p) in lists.iter().zip(picks.iter_mut()) {
                    let (start, have) = (l.value_offsets()[i] as u32, l.value_length(i) as u32);
                    p.extend((0..len as u32).map(|k| (k < have).then_some(start + k)));
                }
                n += len;
            }
            offsets.push(i32::try_from(n).map_err(|_| {
                Error::execution(
                    "COLLECTION_SIZE_LIMIT_EXCEEDED",
                    "an array result holds more than 2^31 elements",
                )
            })?);
        }
        let item = self
            .item
            .as_ref()
            .ok_or_else(|| Error::internal("arrays_zip invoked unresolved"))?;
        let arrow::datatypes::DataType::Struct(fields) = item.to_arrow() else {
            return Err(Error::internal(format!("arrays_zip of {item}")));
        };
        let children = lists
            .iter()
            .zip(picks)
            .zip(fields.iter())
            .map(|((l, p), f)| {
                let c = take(l.values().as_ref(), &UInt32Array::from(p), None)?;
                Ok(crate::types::conform_array(c, f.data_type())?)
            })
            .collect::<Result<Vec<ArrayRef>>>()?;
        let structs: ArrayRef = if lists.is_empty() {
            Arc::new(StructArray::new_empty_fields(n, None))
        } else {
            Arc::new(StructArray::try_new(fields, children, None)?)
        };
        let nulls = NullBuffer::from(valid);
        Ok(Arc::new(ListArray::try_new(
            list_item(item, false),
            OffsetBuffer::new(offsets.into()),
            structs,
            Some(nulls).filter(|n| n.null_count() > 0),
        )?))
    }
}
