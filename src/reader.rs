//! `session.read()` and `session.read_stream()`: PySpark's DataFrameReader
//! and DataStreamReader.

use std::path::Path;

use sqlc_compiler::Schema;
use sqlc_runtime::catalog::Relation;
use sqlc_runtime::connector::{self, SourceDef};

use crate::dataframe::DataFrame;
use crate::error::Result;
use crate::session::Session;

/// A schema given to a reader: an sqlc [`Schema`] or a DDL string
/// (`"gt STRING, x DOUBLE"`).
pub enum SchemaArg {
    Schema(Schema),
    Ddl(String),
}

impl From<Schema> for SchemaArg {
    fn from(s: Schema) -> Self {
        SchemaArg::Schema(s)
    }
}
impl From<&Schema> for SchemaArg {
    fn from(s: &Schema) -> Self {
        SchemaArg::Schema(s.clone())
    }
}
impl From<&str> for SchemaArg {
    fn from(s: &str) -> Self {
        SchemaArg::Ddl(s.to_string())
    }
}

impl SchemaArg {
    fn resolve(self) -> Result<Schema> {
        match self {
            SchemaArg::Schema(s) => Ok(s),
            SchemaArg::Ddl(d) => Ok(sqlc_compiler::sql::parse_ddl_schema(&d)?),
        }
    }
}

struct ReaderState {
    session: Session,
    format: Option<String>,
    schema: Option<SchemaArg>,
    options: Vec<(String, String)>,
}

impl ReaderState {
    fn option(&mut self, key: &str, value: impl ToString) {
        self.options.retain(|(k, _)| !k.eq_ignore_ascii_case(key));
        self.options.push((key.to_string(), value.to_string()));
    }

    /// The options, with the session time zone as the `timeZone` a JSON
    /// or CSV reader reads times without an offset in, unless given (as
    /// Spark's readers default it, when the source is declared).
    fn zoned_options(&self, format: &str) -> Result<Vec<(String, String)>> {
        let mut options = self.options.clone();
        let text = matches!(format.to_ascii_lowercase().as_str(), "json" | "csv");
        if text
            && !options
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("timeZone"))
        {
            let tz = self.session.time_zone()?;
            if !tz.is_utc() {
                options.push(("timeZone".into(), tz.id().to_string()));
            }
        }
        Ok(options)
    }
}

fn relation_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The builder methods both readers share.
macro_rules! reader_methods {
    () => {
        pub fn format(mut self, f: &str) -> Self {
            self.0.format = Some(f.to_string());
            self
        }

        /// The schema: an sqlc [`Schema`] or a DDL string.
        pub fn schema(mut self, s: impl Into<SchemaArg>) -> Self {
            self.0.schema = Some(s.into());
            self
        }

        /// An option; numbers and booleans are given as PySpark gives them
        /// (`option("maxFilesPerTrigger", 1)`).
        pub fn option(mut self, key: &str, value: impl ToString) -> Self {
            self.0.option(key, value);
            self
        }

        /// Several options at once (PySpark's `options(**kwargs)`).
        pub fn options<K: AsRef<str>, V: ToString>(
            mut self,
            pairs: impl IntoIterator<Item = (K, V)>,
        ) -> Self {
            for (k, v) in pairs {
                self.0.option(k.as_ref(), v);
            }
            self
        }

        pub fn json(self, path: impl AsRef<Path>) -> Result<DataFrame> {
            self.format("json").load(path)
        }
        pub fn csv(self, path: impl AsRef<Path>) -> Result<DataFrame> {
            self.format("csv").load(path)
        }
        pub fn text(self, path: impl AsRef<Path>) -> Result<DataFrame> {
            self.format("text").load(path)
        }
        pub fn parquet(self, path: impl AsRef<Path>) -> Result<DataFrame> {
            self.format("parquet").load(path)
        }
    };
}

/// `session.read()`: reads a static table.
pub struct DataFrameReader(ReaderState);

impl DataFrameReader {
    reader_methods!();

    pub(crate) fn new(session: Session) -> Self {
        DataFrameReader(ReaderState {
            session,
            format: None,
            schema: None,
            options: Vec::new(),
        })
    }

    pub fn load(self, path: impl AsRef<Path>) -> Result<DataFrame> {
        self.load_source(Some(path.as_ref()))
    }

    /// A read without a path (kafka) or with one: PySpark's `load()`.
    pub fn load_source(self, path: Option<&Path>) -> Result<DataFrame> {
        let st = self.0;
        let format = st.format.clone().unwrap_or_else(|| "parquet".into());
        let options = st.zoned_options(&format)?;
        let schema = st.schema.map(SchemaArg::resolve).transpose()?;
        let name = path.map(relation_name).unwrap_or_else(|| format.clone());
        let packing = st.session.file_packing()?;
        let (schema, rel) =
            connector::read_static(&format, path, schema.as_ref(), &options, name, packing)?;
        let plan = st.session.catalog().add(rel, schema);
        Ok(DataFrame::new(st.session, plan))
    }
}

/// `session.read_stream()`: declares a streaming source.
pub struct DataStreamReader(ReaderState);

impl DataStreamReader {
    reader_methods!();

    pub(crate) fn new(session: Session) -> Self {
        DataStreamReader(ReaderState {
            session,
            format: None,
            schema: None,
            options: Vec::new(),
        })
    }

    /// A source without a path (socket, rate, kafka) or with one.
    pub fn load_source(self, path: Option<&Path>) -> Result<DataFrame> {
        let st = self.0;
        let format = st.format.clone().unwrap_or_else(|| "parquet".into());
        let options = st.zoned_options(&format)?;
        let schema = st.schema.map(SchemaArg::resolve).transpose()?;
        let def = SourceDef::new(&format, path, schema, &options)?
            .with_packing(st.session.file_packing()?);
        let name = path.map(relation_name).unwrap_or_else(|| format.clone());
        let schema = def.schema().clone();
        let plan = st
            .session
            .catalog()
            .add(Relation::Stream { name, def }, schema);
        Ok(DataFrame::new(st.session, plan))
    }

    pub fn load(self, path: impl AsRef<Path>) -> Result<DataFrame> {
        self.load_source(Some(path.as_ref()))
    }
}
