//! The function catalog: every scalar function sqlc knows, by Spark's name,
//! declared once. A declaration ([`ScalarFunction`]) says the function's
//! name and aliases, how it checks and coerces its arguments (Spark's
//! implicit casts) into a result type and nullability, whether it is
//! deterministic, and how the interpreted twin evaluates it over Arrow
//! arrays. The resolver, `explain`, `SHOW FUNCTIONS`, `DESCRIBE FUNCTION`
//! and the Rust API's `sqlc::functions` all read this catalog.
//!
//! How the JIT handles a function:
//! - the compiled built-ins ([`crate::ir::ScalarFunc`]: `lower`, `substring`,
//!   `year`, …) are emitted inline by `codegen`; the catalog lists them
//!   ([`builtin`]) for `SHOW FUNCTIONS`, the resolver resolves them;
//! - functions that are `CASE` in disguise (`if`, `nvl2`, `nullif`, …) are
//!   rewritten by the resolver ([`rewrite`]) and so compile too;
//! - every other function here becomes [`crate::ir::TExprKind::Function`],
//!   and a pipeline holding one is run by the twin
//!   ([`crate::kernel::needs_interpreter`] says so in `explain`).
//!
//! Families, one file each: [`string`], [`encoding`] (hex, base64,
//! charsets), [`format`] (`format_string`), [`array`], [`array_set`], [`array_zip`],
//! [`map`], [`json`], [`regex`], [`math`], [`try_arith`] (`try_add`, …),
//! [`datetime`] (its patterns in [`datetime_pattern`]; `trunc`,
//! `months_between`, `make_timestamp` in [`calendar`]; the session time
//! zone in [`zoned`]), [`interval`] (interval arithmetic, `make_dt_interval`), [`hash`], [`misc`], [`partitioned`] (`rand`, `spark_partition_id`, …:
//! the partition a row is in, [`crate::partition`]).

pub mod args;
pub mod array;
pub mod array_set;
pub mod array_zip;
pub mod builtin;
pub mod calendar;
pub mod datetime;
pub mod datetime_pattern;
pub mod encoding;
pub mod format;
pub mod hash;
pub mod interval;
pub mod json;
pub mod map;
pub mod math;
pub mod misc;
pub mod ntz;
pub mod partitioned;
pub mod regex;
pub mod rewrite;
pub mod string;
pub mod try_arith;
pub mod zoned;

use std::fmt;
use std::sync::{Arc, OnceLock};

use arrow::array::ArrayRef;

use crate::error::Result;
use crate::expr::Expr;
use crate::ir::TExpr;
use crate::types::DataType;

/// A call resolved by a function: its (coerced) arguments, its result type
/// and nullability, and the function to run, which may be a specialized
/// instance (a regex compiled once from a literal pattern). A specialized
/// instance must be determined by the literal arguments alone: kernels
/// are cached by their IR, which prints the arguments but not the instance.
pub struct Resolved {
    pub func: FunctionRef,
    pub args: Vec<TExpr>,
    pub ty: DataType,
    pub nullable: bool,
}

impl Resolved {
    /// The call as IR: a catalog function over its coerced arguments.
    pub fn into_expr(self) -> TExpr {
        TExpr::new(
            crate::ir::TExprKind::Function {
                func: self.func,
                args: self.args,
            },
            self.ty,
            self.nullable,
        )
    }
}

/// One scalar function of the catalog.
pub trait ScalarFunction: Send + Sync + std::panic::RefUnwindSafe + 'static {
    /// Spark's name, lower case.
    fn name(&self) -> &'static str;

    /// Other names Spark accepts for it.
    fn aliases(&self) -> &'static [&'static str] {
        &[]
    }

    /// `DESCRIBE FUNCTION`'s usage line: `name(args) - what it returns`.
    fn usage(&self) -> &'static str;

    /// False for functions whose value changes between calls (`rand`, `uuid`).
    fn deterministic(&self) -> bool {
        true
    }

    /// Checks the arguments, applies Spark's implicit casts, and gives the
    /// result type. `call` is the call as written, for messages.
    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved>;

    /// What distinguishes a resolved instance beyond its arguments (the
    /// instant `current_timestamp()` was fixed at), for the IR's equality
    /// and the kernel cache's key. Empty for plain functions.
    fn instance_key(&self) -> String {
        String::new()
    }

    /// The instance for the session time zone `tz`, for functions whose
    /// value depends on it (Spark's `TimeZoneAwareExpression`); `None` for
    /// the others. See [`zoned`].
    fn with_time_zone(&self, _tz: &crate::time_zone::TimeZone) -> Option<FunctionRef> {
        None
    }

    /// How a call prints where it is not `name(args)` (a zoned cast prints
    /// as the cast it is), given its printed arguments.
    fn shown(&self, _args: &[String]) -> Option<String> {
        None
    }

    /// Evaluates the call over `rows` rows (the interpreted twin). Every
    /// argument array has `rows` entries and the types `resolve` fixed.
    fn invoke(&self, args: &[ArrayRef], rows: usize) -> Result<ArrayRef>;
}

/// A shared handle to a catalog function, compared by name and instance
/// key (the IR's equality sees the arguments beside it).
#[derive(Clone)]
pub struct FunctionRef(pub Arc<dyn ScalarFunction>);

impl FunctionRef {
    pub fn new(f: impl ScalarFunction) -> Self {
        FunctionRef(Arc::new(f))
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// See [`ScalarFunction::deterministic`].
    pub fn deterministic(&self) -> bool {
        self.0.deterministic()
    }
}

impl fmt::Debug for FunctionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())?;
        let key = self.0.instance_key();
        if !key.is_empty() {
            write!(f, "[{key}]")?;
        }
        Ok(())
    }
}

impl PartialEq for FunctionRef {
    fn eq(&self, other: &Self) -> bool {
        self.0.name() == other.0.name() && self.0.instance_key() == other.0.instance_key()
    }
}

impl Eq for FunctionRef {}

impl std::hash::Hash for FunctionRef {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name().hash(state);
        self.0.instance_key().hash(state);
    }
}

/// What `SHOW FUNCTIONS` and `DESCRIBE FUNCTION` print of a function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionInfo {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub usage: &'static str,
    /// `scalar`, `aggregate` or `generator`.
    pub kind: &'static str,
    /// How it runs: `compiled`, `rewritten` (to compiled expressions) or
    /// `interpreted`.
    pub runs: &'static str,
}

/// The catalog's functions that resolve to [`crate::ir::TExprKind::Function`].
fn registry() -> &'static [FunctionRef] {
    static REG: OnceLock<Vec<FunctionRef>> = OnceLock::new();
    REG.get_or_init(|| {
        let mut v = Vec::new();
        string::register(&mut v);
        array::register(&mut v);
        array_set::register(&mut v);
        array_zip::register(&mut v);
        map::register(&mut v);
        json::register(&mut v);
        regex::register(&mut v);
        math::register(&mut v);
        datetime::register(&mut v);
        calendar::register(&mut v);
        interval::register(&mut v);
        hash::register(&mut v);
        misc::register(&mut v);
        partitioned::register(&mut v);
        encoding::register(&mut v);
        format::register(&mut v);
        try_arith::register(&mut v);
        zoned::register(&mut v);
        v
    })
}

/// The catalog function named `name` (or one of its aliases), ignoring case.
pub fn lookup(name: &str) -> Option<&'static FunctionRef> {
    registry().iter().find(|f| {
        f.0.name().eq_ignore_ascii_case(name)
            || f.0.aliases().iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

/// Every function sqlc knows, scalar and aggregate, sorted by name.
pub fn all() -> Vec<FunctionInfo> {
    let mut v: Vec<FunctionInfo> = builtin::infos();
    v.extend(rewrite::infos());
    v.extend(crate::generator::infos());
    v.extend(registry().iter().map(|f| FunctionInfo {
        name: f.0.name(),
        aliases: f.0.aliases(),
        usage: f.0.usage(),
        kind: "scalar",
        runs: "interpreted",
    }));
    v.sort_by(|a, b| a.name.cmp(b.name));
    v.dedup_by(|a, b| a.name == b.name);
    v
}

/// Every name (and alias) a function can be called by.
pub fn names() -> impl Iterator<Item = &'static str> {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            all()
                .into_iter()
                .flat_map(|f| std::iter::once(f.name).chain(f.aliases.iter().copied()))
                .collect()
        })
        .iter()
        .copied()
}

/// The catalog entry for `name` (or an alias), for `DESCRIBE FUNCTION`.
pub fn describe(name: &str) -> Option<FunctionInfo> {
    all().into_iter().find(|f| {
        f.name.eq_ignore_ascii_case(name) || f.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}
