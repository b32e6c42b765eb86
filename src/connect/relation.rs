//! Spark Connect relations to DataFrames, through the facade's own
//! DataFrame methods: a relation is planned by the same builder calls the
//! Rust API makes, so there is one planner.

use std::path::Path;
use std::sync::Arc;

use arrow::array::{Int64Array, RecordBatch};
use sqlc_compiler::expr::Expr;
use sqlc_connect::proto::aggregate::GroupType;
use sqlc_connect::proto::join::JoinType as ProtoJoin;
use sqlc_connect::proto::read::ReadType;
use sqlc_connect::proto::relation::RelType;
use sqlc_connect::proto::{self, Relation};

use super::arrow_ipc;
use super::error::{python_code, unsupported};
use super::expression::{required, sort_key, to_expr};
use super::sessions::ConnectSession;
use super::types::{invalid, schema_from_json};
use crate::column::Column;
use crate::dataframe::{DataFrame, JoinOn, SortKey};
use crate::error::{Error, Result};
use crate::grouped::GroupedData;
use crate::reader::SchemaArg;
use crate::session::Session;

/// The DataFrame a relation describes.
pub fn to_df(cs: &ConnectSession, r: &Relation) -> Result<DataFrame> {
    let s = &cs.session;
    let Some(rel) = &r.rel_type else {
        return Err(invalid("a Relation without a kind"));
    };
    let input = |i: &Option<Box<Relation>>| -> Result<DataFrame> {
        to_df(cs, required(i, "the relation's input")?)
    };
    match rel {
        RelType::Read(read) => match r.common.as_ref().and_then(|c| c.plan_id) {
            // The client's DataFrame object (its plan id) reads its files
            // once, as a Rust program's `read().json(..)` does; asked again
            // (another action on it), it is the same DataFrame.
            Some(id) if !read.is_streaming => cs.cached_read(id, read, || read_rel(s, read)),
            _ => read_rel(s, read),
        },
        RelType::Project(p) => {
            let exprs = p
                .expressions
                .iter()
                .map(to_expr)
                .collect::<Result<Vec<_>>>()?;
            match &p.input {
                Some(i) => to_df(cs, i)?.select(exprs.into_iter().map(Column::from_expr)),
                None => one_row(s)?.select(exprs.into_iter().map(Column::from_expr)),
            }
        }
        RelType::Filter(f) => {
            let cond = to_expr(required(&f.condition, "Filter.condition")?)?;
            input(&f.input)?.filter(Column::from_expr(cond))
        }
        RelType::WithColumns(w) => {
            let mut df = input(&w.input)?;
            for a in &w.aliases {
                let e = to_expr(required(&a.expr, "Alias.expr")?)?;
                let name = a
                    .name
                    .first()
                    .ok_or_else(|| invalid("an Alias without a name"))?;
                df = df.with_column(name, Column::from_expr(e))?;
            }
            Ok(df)
        }
        RelType::WithColumnsRenamed(w) => {
            let mut df = input(&w.input)?;
            let mut pairs: Vec<(&String, &String)> = w.rename_columns_map.iter().collect();
            pairs.sort();
            for (from, to) in pairs {
                df = df.with_column_renamed(from, to)?;
            }
            for r in &w.renames {
                df = df.with_column_renamed(&r.col_name, &r.new_col_name)?;
            }
            Ok(df)
        }
        RelType::Drop(d) => {
            let mut names = d.column_names.clone();
            for c in &d.columns {
                match to_expr(c)? {
                    Expr::Column { name, .. } => names.push(name),
                    other => {
                        return Err(Error::not_supported(format!(
                            "dropping the expression {}; drop columns by name",
                            other.output_name()
                        )))
                    }
                }
            }
            input(&d.input)?.drop(names)
        }
        RelType::Aggregate(a) => aggregate(cs, a),
        RelType::SetOp(o) => set_operation(cs, o),
        RelType::Join(j) => join(cs, j),
        RelType::Deduplicate(d) => {
            let df = input(&d.input)?;
            let cols = if d.all_columns_as_keys.unwrap_or(false) {
                Vec::new()
            } else {
                d.column_names.clone()
            };
            if d.within_watermark.unwrap_or(false) {
                df.drop_duplicates_within_watermark(cols)
            } else {
                df.drop_duplicates(cols)
            }
        }
        RelType::WithWatermark(w) => {
            input(&w.input)?.with_watermark(&w.event_time, &w.delay_threshold)
        }
        RelType::Sort(o) => {
            let keys = o
                .order
                .iter()
                .map(|k| sort_key(k).map(to_sort_key))
                .collect::<Result<Vec<_>>>()?;
            input(&o.input)?.order_by(keys)
        }
        RelType::Limit(l) => Ok(input(&l.input)?.limit(non_negative(l.limit, "limit")?)),
        RelType::Offset(o) => {
            let df = input(&o.input)?;
            let n = non_negative(o.offset, "offset")?;
            rows_slice(&df, |total| (n.min(total), total))
        }
        RelType::Tail(t) => {
            let df = input(&t.input)?;
            let n = non_negative(t.limit, "tail")?;
            rows_slice(&df, |total| (total.saturating_sub(n), total))
        }
        RelType::Range(r) => range(s, r),
        RelType::LocalRelation(l) => local(s, l),
        RelType::Sql(q) => {
            if !q.args.is_empty() || !q.named_arguments.is_empty() || !q.pos_arguments.is_empty() {
                return Err(Error::not_supported("parameterized SQL (args=...)"));
            }
            s.sql(&q.query)
        }
        RelType::SubqueryAlias(a) => Ok(input(&a.input)?.alias(&a.alias)),
        RelType::ToDf(t) => {
            let df = input(&t.input)?;
            let cols = df.columns();
            if cols.len() != t.column_names.len() {
                return Err(Error::analysis(
                    "INVALID_COLUMN_COUNT",
                    format!(
                        "toDF: the DataFrame has {} columns, but {} names were given",
                        cols.len(),
                        t.column_names.len()
                    ),
                ));
            }
            df.select(cols.iter().zip(&t.column_names).map(|(c, n)| {
                Column::from_expr(
                    Expr::Column {
                        qualifier: None,
                        name: c.clone(),
                    }
                    .alias(n),
                )
            }))
        }
        RelType::ShowString(sh) => {
            let df = input(&sh.input)?;
            if sh.vertical {
                return Err(Error::not_supported("show(vertical=True)"));
            }
            let text = df.show_string(
                non_negative(sh.num_rows, "numRows")?,
                non_negative(sh.truncate, "truncate")?,
            )?;
            single_string(s, "show_string", text)
        }
        RelType::Hint(h) => input(&h.input),
        RelType::Repartition(r) => input(&r.input),
        RelType::RepartitionByExpression(r) => input(&r.input),
        RelType::MapPartitions(_)
        | RelType::GroupMap(_)
        | RelType::CoGroupMap(_)
        | RelType::ApplyInPandasWithState(_) => Err(python_code("mapInPandas/applyInPandas")),
        other => Err(unsupported("relation", other)),
    }
}

fn to_sort_key((e, asc, nulls_first): (Expr, bool, Option<bool>)) -> SortKey {
    let c = Column::from_expr(e);
    let k = if asc {
        SortKey::asc(c)
    } else {
        SortKey::desc(c)
    };
    match nulls_first {
        Some(true) => k.nulls_first(),
        Some(false) => k.nulls_last(),
        None => k,
    }
}

fn non_negative(n: i32, what: &str) -> Result<usize> {
    usize::try_from(n).map_err(|_| {
        Error::analysis(
            "INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE",
            format!("The {what} must be equal to or greater than 0, but got {n}."),
        )
    })
}

fn read_rel(s: &Session, read: &proto::Read) -> Result<DataFrame> {
    match required(&read.read_type, "Read.read_type")? {
        ReadType::NamedTable(t) if !read.is_streaming => s.table(&t.unparsed_identifier),
        ReadType::NamedTable(t) => Err(Error::not_supported(format!(
            "readStream.table('{}'): read a streaming source with readStream.format(..).load(..)",
            t.unparsed_identifier
        ))),
        ReadType::DataSource(d) => {
            let schema = match d.schema.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(j) if j.starts_with('{') => Some(SchemaArg::Schema(schema_from_json(j)?)),
                Some(ddl) => Some(SchemaArg::Ddl(ddl.to_string())),
            };
            let mut opts: Vec<(&String, &String)> = d.options.iter().collect();
            opts.sort();
            let path = match d.paths.as_slice() {
                [] => None,
                [p] => Some(Path::new(p.as_str())),
                more => {
                    return Err(Error::not_supported(format!(
                        "reading {} paths at once; read their directory",
                        more.len()
                    )))
                }
            };
            let format = d.format.clone().unwrap_or_else(|| "parquet".into());
            if read.is_streaming {
                let mut r = s.read_stream().format(&format).options(opts);
                if let Some(sc) = schema {
                    r = r.schema(sc);
                }
                r.load_source(path)
            } else {
                let mut r = s.read().format(&format).options(opts);
                if let Some(sc) = schema {
                    r = r.schema(sc);
                }
                r.load_source(path)
            }
        }
    }
}

fn aggregate(cs: &ConnectSession, a: &proto::Aggregate) -> Result<DataFrame> {
    let df = to_df(cs, required(&a.input, "Aggregate.input")?)?;
    let keys = a
        .grouping_expressions
        .iter()
        .map(to_expr)
        .collect::<Result<Vec<_>>>()?;
    let n = keys.len().min(63);
    let sets = match GroupType::try_from(a.group_type) {
        Ok(GroupType::Groupby) | Ok(GroupType::Unspecified) => None,
        Ok(GroupType::Rollup) => Some(
            (0..=n)
                .rev()
                .map(|k| if k == 0 { 0 } else { u64::MAX >> (64 - k) })
                .collect(),
        ),
        Ok(GroupType::Cube) => Some((0..(1u64 << n)).rev().collect()),
        Ok(GroupType::GroupingSets) => {
            let mut masks = Vec::new();
            for set in &a.grouping_sets {
                let mut m = 0u64;
                for e in &set.grouping_set {
                    let e = to_expr(e)?;
                    let i = keys.iter().position(|k| *k == e).ok_or_else(|| {
                        invalid(format!(
                            "the grouping set column {} is not a grouping key",
                            e.output_name()
                        ))
                    })?;
                    m |= 1 << i;
                }
                masks.push(m);
            }
            Some(masks)
        }
        Ok(GroupType::Pivot) => return Err(Error::not_supported("pivot")),
        Err(_) => return Err(invalid(format!("unknown group type {}", a.group_type))),
    };
    let aggs = a
        .aggregate_expressions
        .iter()
        .map(|e| to_expr(e).map(Column::from_expr))
        .collect::<Result<Vec<_>>>()?;
    GroupedData::new(df, keys, sets).agg(aggs)
}

/// `union`/`unionByName`, `intersect[All]`, `subtract`/`exceptAll`.
fn set_operation(cs: &ConnectSession, o: &proto::SetOperation) -> Result<DataFrame> {
    use sqlc_connect::proto::set_operation::SetOpType;
    let left = to_df(cs, required(&o.left_input, "SetOperation.left_input")?)?;
    let right = to_df(cs, required(&o.right_input, "SetOperation.right_input")?)?;
    let all = o.is_all.unwrap_or(false);
    match SetOpType::try_from(o.set_op_type) {
        Ok(SetOpType::Union) => {
            let u = if o.by_name.unwrap_or(false) {
                left.union_by_name(&right, o.allow_missing_columns.unwrap_or(false))?
            } else {
                left.union(&right)?
            };
            if all {
                Ok(u)
            } else {
                u.distinct()
            }
        }
        Ok(SetOpType::Intersect) if all => left.intersect_all(&right),
        Ok(SetOpType::Intersect) => left.intersect(&right),
        Ok(SetOpType::Except) if all => left.except_all(&right),
        Ok(SetOpType::Except) => left.subtract(&right),
        _ => Err(invalid(format!("unknown set operation {}", o.set_op_type))),
    }
}

fn join(cs: &ConnectSession, j: &proto::Join) -> Result<DataFrame> {
    let left = to_df(cs, required(&j.left, "Join.left")?)?;
    let right = to_df(cs, required(&j.right, "Join.right")?)?;
    let how = match ProtoJoin::try_from(j.join_type) {
        Ok(ProtoJoin::Inner) | Ok(ProtoJoin::Unspecified) => "inner",
        Ok(ProtoJoin::FullOuter) => "full_outer",
        Ok(ProtoJoin::LeftOuter) => "left_outer",
        Ok(ProtoJoin::RightOuter) => "right_outer",
        Ok(ProtoJoin::LeftAnti) => "left_anti",
        Ok(ProtoJoin::LeftSemi) => "left_semi",
        Ok(ProtoJoin::Cross) => "cross",
        Err(_) => return Err(invalid(format!("unknown join type {}", j.join_type))),
    };
    let on = match (&j.join_condition, j.using_columns.is_empty()) {
        (Some(c), _) => JoinOn::Condition(Column::from_expr(to_expr(c)?)),
        (None, false) => JoinOn::Columns(j.using_columns.clone()),
        (None, true) => JoinOn::Condition(Column::from_expr(Expr::Literal(
            sqlc_compiler::Scalar::Boolean(true),
        ))),
    };
    left.join(&right, on, how)
}

/// The most rows `spark.range` makes (1 GiB of ids).
const MAX_RANGE_ROWS: usize = 1 << 27;

/// `spark.range(start, end, step)`: a bigint column `id`.
fn range(s: &Session, r: &proto::Range) -> Result<DataFrame> {
    let start = r.start.unwrap_or(0);
    if r.step == 0 {
        return Err(Error::analysis(
            "INVALID_PARAMETER_VALUE",
            "range: the step must not be 0",
        ));
    }
    let n = if (r.step > 0 && r.end > start) || (r.step < 0 && r.end < start) {
        ((r.end as i128 - start as i128 + r.step as i128 - r.step.signum() as i128)
            / r.step as i128) as usize
    } else {
        0
    };
    if n > MAX_RANGE_ROWS {
        return Err(Error::not_supported(format!(
            "spark.range of {n} rows: sqlc's server makes a range in memory, at most {MAX_RANGE_ROWS} rows"
        )));
    }
    let ids = Int64Array::from_iter_values((0..n).map(|i| start + i as i64 * r.step));
    let schema = Arc::new(arrow::datatypes::Schema::new(vec![
        arrow::datatypes::Field::new("id", arrow::datatypes::DataType::Int64, false),
    ]));
    let batch =
        RecordBatch::try_new(schema, vec![Arc::new(ids)]).map_err(sqlc_runtime::Error::from)?;
    s.create_data_frame(vec![batch])
}

/// `createDataFrame(...)`: Arrow IPC batches, or only a schema when empty.
fn local(s: &Session, l: &proto::LocalRelation) -> Result<DataFrame> {
    let declared = match l.schema.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(j) if j.starts_with('{') => Some(schema_from_json(j)?),
        Some(ddl) => Some(sqlc_compiler::sql::parse_ddl_schema(ddl)?),
    };
    let batches = match &l.data {
        Some(d) if !d.is_empty() => arrow_ipc::read(d)?,
        _ => Vec::new(),
    };
    let target = match (&declared, batches.first()) {
        (Some(sc), _) => sc.clone(),
        (None, Some(b)) => {
            sqlc_compiler::Schema::from_arrow(&b.schema()).map_err(Error::not_supported)?
        }
        (None, None) => return Err(invalid("a LocalRelation with neither data nor schema")),
    };
    let batches = arrow_ipc::conform(batches, &target)?;
    s.create_data_frame(batches)
}

/// A one-column, one-row DataFrame of text (what `show()` prints).
fn single_string(s: &Session, column: &str, text: String) -> Result<DataFrame> {
    let schema = Arc::new(arrow::datatypes::Schema::new(vec![
        arrow::datatypes::Field::new(column, arrow::datatypes::DataType::Utf8, false),
    ]));
    let rows = arrow::array::StringArray::from(vec![text]);
    let batch =
        RecordBatch::try_new(schema, vec![Arc::new(rows)]).map_err(sqlc_runtime::Error::from)?;
    s.create_data_frame(vec![batch])
}

/// A relation of one row and no columns, for `select` without input.
fn one_row(s: &Session) -> Result<DataFrame> {
    s.sql("SELECT 1 AS `__sqlc_one`")
}

/// The rows `[from, to)` of a batch query's answer (`offset`, `tail`).
fn rows_slice(df: &DataFrame, bounds: impl Fn(usize) -> (usize, usize)) -> Result<DataFrame> {
    if df.is_streaming() {
        return Err(Error::analysis(
            "UNSUPPORTED_FEATURE",
            "offset and tail are not supported on streaming DataFrames",
        ));
    }
    let batches = df.collect()?;
    let total: usize = batches.iter().map(|b| b.num_rows()).sum();
    let (from, to) = bounds(total);
    let schema = df.schema().to_arrow();
    let all =
        arrow::compute::concat_batches(&schema, &batches).map_err(sqlc_runtime::Error::from)?;
    df.session()
        .create_data_frame(vec![all.slice(from, to - from)])
}
