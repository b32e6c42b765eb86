//! sqlc's value types, and how they map to Arrow.
//!
//! The set follows Spark SQL's: boolean, tinyint, smallint, int, bigint, float, double, string, binary,
//! timestamp (microseconds since the epoch, UTC), date (days since the epoch),
//! `DECIMAL(p, s)` (an `i128` of unscaled digits, see [`crate::decimal`]),
//! the type of a bare `NULL`, and the nested types: structs and arrays.
//! Compiled kernels do not read nested values (they pass them through);
//! expressions over them run in the interpreted twin, on Arrow's arrays.

use std::fmt;
use std::sync::Arc;

use arrow::datatypes::{DataType as ArrowType, Field as ArrowField, Fields, TimeUnit};

/// A value's type. Nullability is carried beside it (see [`Field`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DataType {
    Null,
    Boolean,
    /// Spark's `TINYINT` (`BYTE`). Arrow: `Int8`. Compiled kernels do not
    /// read it; pipelines over it run in the interpreted twin.
    Int8,
    /// Spark's `SMALLINT` (`SHORT`). Arrow: `Int16`. As [`DataType::Int8`],
    /// run by the interpreted twin.
    Int16,
    Int32,
    Int64,
    /// Spark's `FLOAT` (`REAL`): 32-bit floating point. Compiled kernels do
    /// not read it; pipelines over it run in the interpreted twin.
    Float32,
    Float64,
    /// `DECIMAL(precision, scale)`: up to 38 digits, `scale` of them after
    /// the point. Arrow: `Decimal128`.
    Decimal(u8, u8),
    Utf8,
    Binary,
    /// Microseconds since 1970-01-01T00:00:00Z.
    Timestamp,
    /// Days since 1970-01-01.
    Date,
    /// Spark's `TIMESTAMP_NTZ`: a wall-clock time without a zone, as
    /// microseconds since 1970-01-01T00:00:00 on that clock. Arrow:
    /// `Timestamp(Microsecond, None)`, as Spark's Arrow conversion. Compiled
    /// kernels do not read it.
    TimestampNtz,
    /// Spark's `INTERVAL YEAR TO MONTH` and its sub-ranges: start and end
    /// field ([`crate::ansi_interval`]'s `YEAR`, `MONTH`). A count of
    /// months; Arrow: `Interval(YearMonth)` (an `i32`, as Spark's Arrow
    /// conversion writes it). Compiled kernels do not read it.
    YearMonthInterval(u8, u8),
    /// Spark's `INTERVAL DAY TO SECOND` and its sub-ranges (`DAY`, `HOUR`,
    /// `MINUTE`, `SECOND`). Microseconds; Arrow: `Duration(Microsecond)`,
    /// as in Spark's Arrow conversion, the range kept in the field's
    /// metadata ([`INTERVAL_RANGE_KEY`]). Compiled kernels do not read it.
    DayTimeInterval(u8, u8),
    Struct(Arc<[Field]>),
    /// Spark's `ARRAY<element>`; the flag is Spark's `containsNull`.
    /// Arrow: a `List` whose item field is named `item`.
    Array(Box<DataType>, bool),
    /// Spark's `MAP<key, value>`; the flag is Spark's `valueContainsNull`
    /// (keys are never null). Arrow: a `Map` of a struct named `entries`
    /// with fields `key` and `value`, the names Spark's Arrow conversion
    /// gives them (see [`map_entries`]).
    Map(Box<DataType>, Box<DataType>, bool),
}

impl DataType {
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            DataType::Int8
                | DataType::Int16
                | DataType::Int32
                | DataType::Int64
                | DataType::Float32
                | DataType::Float64
                | DataType::Decimal(..)
        )
    }

    pub fn is_decimal(&self) -> bool {
        matches!(self, DataType::Decimal(..))
    }

    /// Precision and scale of a decimal.
    pub fn decimal_ps(&self) -> Option<(u8, u8)> {
        match self {
            DataType::Decimal(p, s) => Some((*p, *s)),
            _ => None,
        }
    }

    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64
        )
    }

    /// TINYINT and SMALLINT: integers narrower than an INT.
    pub fn is_narrow_integer(&self) -> bool {
        matches!(self, DataType::Int8 | DataType::Int16)
    }

    /// Fixed-width types live in one 8-byte (or smaller) machine word.
    pub fn is_fixed_width(&self) -> bool {
        !matches!(
            self,
            DataType::Utf8
                | DataType::Binary
                | DataType::Decimal(..)
                | DataType::Struct(_)
                | DataType::Array(..)
                | DataType::Map(..)
        )
    }

    /// Types compiled kernels compute only in the expressions
    /// `kernel::partial_type_compiled` names (TINYINT, SMALLINT, FLOAT,
    /// TIMESTAMP_NTZ, the intervals): a pipeline computing anything else
    /// of one runs in the interpreted twin.
    pub fn runs_interpreted(&self) -> bool {
        matches!(
            self,
            DataType::Int8
                | DataType::Int16
                | DataType::Float32
                | DataType::TimestampNtz
                | DataType::YearMonthInterval(..)
                | DataType::DayTimeInterval(..)
        )
    }

    /// Spark's ANSI interval types.
    pub fn is_interval(&self) -> bool {
        matches!(
            self,
            DataType::YearMonthInterval(..) | DataType::DayTimeInterval(..)
        )
    }

    /// Structs, arrays and maps: values compiled kernels do not look inside.
    pub fn is_nested(&self) -> bool {
        matches!(
            self,
            DataType::Struct(_) | DataType::Array(..) | DataType::Map(..)
        )
    }

    /// Whether a value of this type holds a map anywhere: Spark cannot
    /// compare, group or sort such values.
    pub fn contains_map(&self) -> bool {
        match self {
            DataType::Map(..) => true,
            DataType::Array(e, _) => e.contains_map(),
            DataType::Struct(fields) => fields.iter().any(|f| f.data_type.contains_map()),
            _ => false,
        }
    }

    /// An array of `element`, which may hold nulls.
    pub fn array_of(element: DataType) -> DataType {
        DataType::Array(Box::new(element), true)
    }

    pub fn is_string_like(&self) -> bool {
        matches!(self, DataType::Utf8 | DataType::Binary)
    }

    /// The name Spark prints (in `print_schema`, `DESCRIBE` and errors).
    pub fn spark_name(&self) -> String {
        match self {
            DataType::Null => "void".into(),
            DataType::Boolean => "boolean".into(),
            DataType::Int8 => "tinyint".into(),
            DataType::Int16 => "smallint".into(),
            DataType::Int32 => "int".into(),
            DataType::Int64 => "bigint".into(),
            DataType::Float32 => "float".into(),
            DataType::Float64 => "double".into(),
            DataType::Decimal(p, s) => format!("decimal({p},{s})"),
            DataType::Utf8 => "string".into(),
            DataType::Binary => "binary".into(),
            DataType::Timestamp => "timestamp".into(),
            DataType::Date => "date".into(),
            DataType::TimestampNtz => "timestamp_ntz".into(),
            DataType::YearMonthInterval(a, b) => crate::ansi_interval::type_name(true, *a, *b),
            DataType::DayTimeInterval(a, b) => crate::ansi_interval::type_name(false, *a, *b),
            DataType::Struct(fields) => {
                let inner: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}:{}", f.name, f.data_type.spark_name()))
                    .collect();
                format!("struct<{}>", inner.join(","))
            }
            DataType::Array(e, _) => format!("array<{}>", e.spark_name()),
            DataType::Map(k, v, _) => format!("map<{},{}>", k.spark_name(), v.spark_name()),
        }
    }

    /// Spark's `typeName`, which `printSchema` shows (`integer`, `long`).
    pub fn type_name(&self) -> String {
        match self {
            DataType::Int8 => "byte".into(),
            DataType::Int16 => "short".into(),
            DataType::Int32 => "integer".into(),
            DataType::Int64 => "long".into(),
            DataType::Struct(_) => "struct".into(),
            DataType::Array(..) => "array".into(),
            DataType::Map(..) => "map".into(),
            t => t.spark_name(),
        }
    }

    pub fn to_arrow(&self) -> ArrowType {
        match self {
            DataType::Null => ArrowType::Null,
            DataType::Boolean => ArrowType::Boolean,
            DataType::Int8 => ArrowType::Int8,
            DataType::Int16 => ArrowType::Int16,
            DataType::Int32 => ArrowType::Int32,
            DataType::Int64 => ArrowType::Int64,
            DataType::Float32 => ArrowType::Float32,
            DataType::Float64 => ArrowType::Float64,
            DataType::Decimal(p, s) => ArrowType::Decimal128(*p, *s as i8),
            DataType::Utf8 => ArrowType::Utf8,
            DataType::Binary => ArrowType::Binary,
            DataType::Timestamp => ArrowType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            DataType::Date => ArrowType::Date32,
            DataType::TimestampNtz => ArrowType::Timestamp(TimeUnit::Microsecond, None),
            DataType::YearMonthInterval(..) => {
                ArrowType::Interval(arrow::datatypes::IntervalUnit::YearMonth)
            }
            DataType::DayTimeInterval(..) => ArrowType::Duration(TimeUnit::Microsecond),
            DataType::Struct(fields) => ArrowType::Struct(Fields::from(
                fields.iter().map(Field::to_arrow).collect::<Vec<_>>(),
            )),
            DataType::Array(e, contains_null) => ArrowType::List(list_item(e, *contains_null)),
            DataType::Map(k, v, value_null) => {
                ArrowType::Map(map_entries(k, v, *value_null), false)
            }
        }
    }

    /// The sqlc type of an Arrow type, or `None` when sqlc has no such type.
    /// Unsigned integers widen, large strings narrow, any timestamp unit maps to
    /// microseconds (the reader converts the values).
    pub fn from_arrow(t: &ArrowType) -> Option<DataType> {
        Some(match t {
            ArrowType::Null => DataType::Null,
            ArrowType::Boolean => DataType::Boolean,
            ArrowType::Int8 => DataType::Int8,
            ArrowType::Int16 | ArrowType::UInt8 => DataType::Int16,
            ArrowType::Int32 | ArrowType::UInt16 => DataType::Int32,
            ArrowType::Int64 | ArrowType::UInt32 => DataType::Int64,
            ArrowType::Float16 | ArrowType::Float32 => DataType::Float32,
            ArrowType::Float64 => DataType::Float64,
            ArrowType::Decimal128(p, s) if *s >= 0 && *p >= *s as u8 => {
                DataType::Decimal(*p, *s as u8)
            }
            ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View => DataType::Utf8,
            ArrowType::Binary | ArrowType::LargeBinary | ArrowType::BinaryView => DataType::Binary,
            // sqlc's own TIMESTAMP_NTZ arrays; other units without a zone
            // stay the instants the readers convert them to.
            ArrowType::Timestamp(TimeUnit::Microsecond, None) => DataType::TimestampNtz,
            ArrowType::Timestamp(_, _) => DataType::Timestamp,
            ArrowType::Date32 | ArrowType::Date64 => DataType::Date,
            ArrowType::Interval(arrow::datatypes::IntervalUnit::YearMonth) => {
                DataType::YearMonthInterval(crate::ansi_interval::YEAR, crate::ansi_interval::MONTH)
            }
            ArrowType::Duration(TimeUnit::Microsecond) => {
                DataType::DayTimeInterval(crate::ansi_interval::DAY, crate::ansi_interval::SECOND)
            }
            ArrowType::Struct(fields) => DataType::Struct(
                fields
                    .iter()
                    .map(|f| Field::from_arrow(f))
                    .collect::<Option<Vec<_>>>()?
                    .into(),
            ),
            ArrowType::List(f) | ArrowType::LargeList(f) | ArrowType::FixedSizeList(f, _) => {
                DataType::Array(
                    Box::new(DataType::from_arrow(f.data_type())?),
                    f.is_nullable(),
                )
            }
            ArrowType::Map(entries, _) => match entries.data_type() {
                ArrowType::Struct(kv) if kv.len() == 2 => DataType::Map(
                    Box::new(DataType::from_arrow(kv[0].data_type())?),
                    Box::new(DataType::from_arrow(kv[1].data_type())?),
                    kv[1].is_nullable(),
                ),
                _ => return None,
            },
            _ => return None,
        })
    }
}

/// `a` as Arrow type `to`: itself when it has it, nulls of `to` when it
/// holds only nulls (a `NULL`-typed column), else Arrow's cast (a list's
/// item field renamed or its nullability relabelled).
pub fn conform_array(
    a: arrow::array::ArrayRef,
    to: &ArrowType,
) -> Result<arrow::array::ArrayRef, arrow::error::ArrowError> {
    if a.data_type() == to {
        return Ok(a);
    }
    if a.null_count() == a.len() {
        return Ok(arrow::array::new_null_array(to, a.len()));
    }
    arrow::compute::cast(&a, to)
}

/// The item field of the Arrow list that holds an `ARRAY<element>`: one
/// name (`item`, Arrow's default) everywhere, so batches built by different
/// code have equal types.
pub fn list_item(element: &DataType, contains_null: bool) -> arrow::datatypes::FieldRef {
    Arc::new(ArrowField::new("item", element.to_arrow(), contains_null))
}

/// The entries field of the Arrow map that holds a `MAP<key, value>`:
/// Spark's names (`entries` of `key`, `value`; `ArrowUtils.toArrowField`),
/// one spelling everywhere so batches built by different code have equal
/// types. Keys are never null.
pub fn map_entries(
    key: &DataType,
    value: &DataType,
    value_null: bool,
) -> arrow::datatypes::FieldRef {
    Arc::new(ArrowField::new(
        "entries",
        ArrowType::Struct(Fields::from(vec![
            ArrowField::new("key", key.to_arrow(), false),
            ArrowField::new("value", value.to_arrow(), value_null),
        ])),
        false,
    ))
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spark_name())
    }
}

/// A named, typed column that may or may not hold nulls.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    pub name: String,
    pub data_type: DataType,
    pub nullable: bool,
}

impl Field {
    pub fn new(name: impl Into<String>, data_type: DataType, nullable: bool) -> Self {
        Field {
            name: name.into(),
            data_type,
            nullable,
        }
    }

    pub fn to_arrow(&self) -> ArrowField {
        let f = ArrowField::new(&self.name, self.data_type.to_arrow(), self.nullable);
        match interval_range(&self.data_type) {
            Some(range) => f.with_metadata([(INTERVAL_RANGE_KEY, range)]),
            None => f,
        }
    }

    pub fn from_arrow(f: &ArrowField) -> Option<Field> {
        let mut t = DataType::from_arrow(f.data_type())?;
        if let Some(range) = f.metadata().get(INTERVAL_RANGE_KEY) {
            t = interval_of_range(&t, range).unwrap_or(t);
        }
        Some(Field::new(f.name(), t, f.is_nullable()))
    }
}

/// The Arrow field metadata key that keeps an interval column's range
/// (`day to hour`), which its Arrow type cannot hold; displays read it.
pub const INTERVAL_RANGE_KEY: &str = "sqlc.interval";

/// An interval type's range as its metadata holds it (`day to hour`,
/// `month`).
fn interval_range(t: &DataType) -> Option<String> {
    t.is_interval()
        .then(|| t.spark_name()["interval ".len()..].to_string())
}

/// The interval type of Arrow type `t` whose range metadata is `range`.
pub fn interval_of_range(t: &DataType, range: &str) -> Option<DataType> {
    let ym = matches!(t, DataType::YearMonthInterval(..));
    if !t.is_interval() {
        return None;
    }
    let fields = if ym { 0..=1u8 } else { 0..=3u8 };
    for a in fields.clone() {
        for b in fields.clone().filter(|&b| b >= a) {
            let name = crate::ansi_interval::type_name(ym, a, b);
            if name["interval ".len()..] == *range {
                return Some(if ym {
                    DataType::YearMonthInterval(a, b)
                } else {
                    DataType::DayTimeInterval(a, b)
                });
            }
        }
    }
    None
}

/// An ordered list of fields. Name look-up is case-insensitive, as in Spark.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Schema {
    pub fields: Vec<Field>,
}

impl Schema {
    pub fn new(fields: Vec<Field>) -> Self {
        Schema { fields }
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Indexes of every field whose name matches `name` ignoring ASCII case.
    pub fn matches(&self, name: &str) -> Vec<usize> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.name.eq_ignore_ascii_case(name))
            .map(|(i, _)| i)
            .collect()
    }

    pub fn to_arrow(&self) -> arrow::datatypes::SchemaRef {
        Arc::new(arrow::datatypes::Schema::new(
            self.fields.iter().map(Field::to_arrow).collect::<Vec<_>>(),
        ))
    }

    /// Converts an Arrow schema; the error names the first field sqlc cannot hold.
    pub fn from_arrow(s: &arrow::datatypes::Schema) -> Result<Schema, String> {
        s.fields()
            .iter()
            .map(|f| {
                Field::from_arrow(f).ok_or_else(|| {
                    format!(
                        "column `{}` has type {} which sqlc does not support",
                        f.name(),
                        f.data_type()
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Schema::new)
    }

    /// Spark's `printSchema()` text.
    pub fn tree_string(&self) -> String {
        let mut out = String::from("root\n");
        fn line(out: &mut String, depth: usize, name: &str, t: &DataType, null: &str) {
            out.push_str(&" |   ".repeat(depth));
            if null.is_empty() {
                out.push_str(&format!(" |-- {name}: {}\n", t.type_name()));
            } else {
                out.push_str(&format!(" |-- {name}: {} ({null})\n", t.type_name()));
            }
            nested(out, t, depth + 1);
        }
        fn nested(out: &mut String, t: &DataType, depth: usize) {
            match t {
                DataType::Struct(inner) => {
                    for f in inner.iter() {
                        let null = format!("nullable = {}", f.nullable);
                        line(out, depth, &f.name, &f.data_type, &null);
                    }
                }
                DataType::Array(e, contains_null) => {
                    let null = format!("containsNull = {contains_null}");
                    line(out, depth, "element", e, &null);
                }
                DataType::Map(k, v, value_null) => {
                    line(out, depth, "key", k, "");
                    let null = format!("valueContainsNull = {value_null}");
                    line(out, depth, "value", v, &null);
                }
                _ => {}
            }
        }
        for f in &self.fields {
            line(
                &mut out,
                0,
                &f.name,
                &f.data_type,
                &format!("nullable = {}", f.nullable),
            );
        }
        out
    }
}

/// A single typed value: literals, and keys read back from state.
///
/// Equal when the same value bit for bit (a double's NaN equals itself,
/// `0.0` and `-0.0` differ), so a scalar, and the IR holding it, is a key
/// (the kernel cache's).
#[derive(Clone, Debug)]
pub enum Scalar {
    Null,
    Boolean(bool),
    Int8(i8),
    Int16(i16),
    Int32(i32),
    Int64(i64),
    Float32(f32),
    Float64(f64),
    /// Unscaled value, precision, scale.
    Decimal(i128, u8, u8),
    Utf8(String),
    Binary(Vec<u8>),
    Timestamp(i64),
    Date(i32),
    /// Wall-clock microseconds (`TIMESTAMP_NTZ`).
    TimestampNtz(i64),
    /// Months, start and end field.
    YearMonthInterval(i32, u8, u8),
    /// Microseconds, start and end field.
    DayTimeInterval(i64, u8, u8),
}

/// A [`Scalar`] as its identity: a double by its bits.
#[derive(PartialEq, Eq, Hash)]
enum ScalarBits<'a> {
    Null,
    Boolean(bool),
    Int8(i8),
    Int16(i16),
    Int32(i32),
    Int64(i64),
    Float32(u32),
    Float64(u64),
    Decimal(i128, u8, u8),
    Utf8(&'a str),
    Binary(&'a [u8]),
    Timestamp(i64),
    Date(i32),
    TimestampNtz(i64),
    YearMonthInterval(i32, u8, u8),
    DayTimeInterval(i64, u8, u8),
}

impl Scalar {
    fn bits(&self) -> ScalarBits<'_> {
        match self {
            Scalar::Null => ScalarBits::Null,
            Scalar::Boolean(v) => ScalarBits::Boolean(*v),
            Scalar::Int8(v) => ScalarBits::Int8(*v),
            Scalar::Int16(v) => ScalarBits::Int16(*v),
            Scalar::Int32(v) => ScalarBits::Int32(*v),
            Scalar::Int64(v) => ScalarBits::Int64(*v),
            Scalar::Float32(v) => ScalarBits::Float32(v.to_bits()),
            Scalar::Float64(v) => ScalarBits::Float64(v.to_bits()),
            Scalar::Decimal(v, p, s) => ScalarBits::Decimal(*v, *p, *s),
            Scalar::Utf8(v) => ScalarBits::Utf8(v),
            Scalar::Binary(v) => ScalarBits::Binary(v),
            Scalar::Timestamp(v) => ScalarBits::Timestamp(*v),
            Scalar::Date(v) => ScalarBits::Date(*v),
            Scalar::TimestampNtz(v) => ScalarBits::TimestampNtz(*v),
            Scalar::YearMonthInterval(v, a, b) => ScalarBits::YearMonthInterval(*v, *a, *b),
            Scalar::DayTimeInterval(v, a, b) => ScalarBits::DayTimeInterval(*v, *a, *b),
        }
    }
}

impl PartialEq for Scalar {
    fn eq(&self, other: &Self) -> bool {
        self.bits() == other.bits()
    }
}

impl Eq for Scalar {}

impl std::hash::Hash for Scalar {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bits().hash(state)
    }
}

impl Scalar {
    pub fn data_type(&self) -> DataType {
        match self {
            Scalar::Null => DataType::Null,
            Scalar::Boolean(_) => DataType::Boolean,
            Scalar::Int8(_) => DataType::Int8,
            Scalar::Int16(_) => DataType::Int16,
            Scalar::Int32(_) => DataType::Int32,
            Scalar::Int64(_) => DataType::Int64,
            Scalar::Float32(_) => DataType::Float32,
            Scalar::Float64(_) => DataType::Float64,
            Scalar::Decimal(_, p, s) => DataType::Decimal(*p, *s),
            Scalar::Utf8(_) => DataType::Utf8,
            Scalar::Binary(_) => DataType::Binary,
            Scalar::Timestamp(_) => DataType::Timestamp,
            Scalar::Date(_) => DataType::Date,
            Scalar::TimestampNtz(_) => DataType::TimestampNtz,
            Scalar::YearMonthInterval(_, a, b) => DataType::YearMonthInterval(*a, *b),
            Scalar::DayTimeInterval(_, a, b) => DataType::DayTimeInterval(*a, *b),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Scalar::Null)
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Null => f.write_str("NULL"),
            Scalar::Boolean(b) => write!(f, "{}", if *b { "true" } else { "false" }),
            Scalar::Int8(v) => write!(f, "{v}Y"),
            Scalar::Int16(v) => write!(f, "{v}S"),
            Scalar::Int32(v) => write!(f, "{v}"),
            Scalar::Int64(v) => write!(f, "{v}L"),
            Scalar::Float32(v) => write!(f, "{v:?}F"),
            Scalar::Float64(v) => write!(f, "{v:?}D"),
            Scalar::Decimal(v, _, s) => write!(f, "{}BD", crate::decimal::format(*v, *s)),
            Scalar::Utf8(s) => write!(f, "'{}'", s.replace('\'', "\\'")),
            Scalar::Binary(b) => write!(
                f,
                "X'{}'",
                b.iter().map(|x| format!("{x:02X}")).collect::<String>()
            ),
            Scalar::Timestamp(us) => write!(
                f,
                "TIMESTAMP '{}'",
                crate::scalar_fns::format_timestamp(crate::time_zone::session().to_local(*us))
            ),
            Scalar::Date(d) => write!(f, "DATE '{}'", crate::scalar_fns::format_date(*d)),
            Scalar::TimestampNtz(us) => write!(
                f,
                "TIMESTAMP_NTZ '{}'",
                crate::scalar_fns::format_timestamp(*us)
            ),
            Scalar::YearMonthInterval(v, a, b) => {
                f.write_str(&crate::ansi_interval::format_ym(*v, *a, *b))
            }
            Scalar::DayTimeInterval(v, a, b) => {
                f.write_str(&crate::ansi_interval::format_dt(*v, *a, *b))
            }
        }
    }
}
