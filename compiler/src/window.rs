//! Event-time windows: a `window(time, size[, slide[, start]])` grouping key
//! resolved into the time column and a [`WindowSpec`], with Spark's checks
//! and messages. The aggregate stores a window by its start; its output is
//! the struct `window {start, end}`.

use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::interval::{format_duration_us, parse_duration_us, parse_signed_duration_us};
use crate::ir::{TExpr, WindowSpec};
use crate::resolve::{resolve, Scope};
use crate::types::{DataType, Field, Scalar};

/// Whether `e` is a `window(..)` call.
pub fn is_window_call(e: &Expr) -> bool {
    let e = match e {
        Expr::Alias(inner, _) => inner,
        e => e,
    };
    matches!(e, Expr::Function { name, .. } if name.eq_ignore_ascii_case("window"))
}

/// The type of the `window` column.
pub fn window_type() -> DataType {
    DataType::Struct(
        vec![
            Field::new("start", DataType::Timestamp, true),
            Field::new("end", DataType::Timestamp, true),
        ]
        .into(),
    )
}

/// Resolves a `window(..)` call: its time column (a timestamp) and spec.
pub fn resolve_window(e: &Expr, scope: &Scope) -> Result<(TExpr, WindowSpec)> {
    let e = match e {
        Expr::Alias(inner, _) => inner.as_ref(),
        e => e,
    };
    let Expr::Function { args, .. } = e else {
        return Err(Error::internal(format!("`{e}` is not a window")));
    };
    if !(2..=4).contains(&args.len()) {
        return Err(Error::analysis(
            "WRONG_NUM_ARGS",
            format!(
                "`window` takes 2 to 4 arguments (time column, window duration, \
             slide duration, start time), got {}: {e}",
                args.len()
            ),
        ));
    }
    let time = resolve(&args[0], scope)?;
    if time.ty != DataType::Timestamp {
        return Err(Error::TypeMismatch {
            expr: e.to_string(),
            reason: format!(
                "the first argument of window requires the TIMESTAMP type, however \"{}\" has the type {}",
                args[0],
                time.ty.spark_name()
            ),
        });
    }
    let size = duration(&args[1], e, "window duration", false)?;
    let slide = match args.get(2) {
        Some(a) => duration(a, e, "slide duration", false)?,
        None => size,
    };
    let start = match args.get(3) {
        Some(a) => duration(a, e, "start time", true)?,
        None => 0,
    };
    let d = format_duration_us;
    let invalid =
        |reason: String| Error::analysis("INVALID_WINDOW", format!("Invalid window {e}: {reason}"));
    if size <= 0 {
        return Err(invalid(format!(
            "The window duration ({}) must be greater than 0.",
            d(size)
        )));
    }
    if slide <= 0 {
        return Err(invalid(format!(
            "The slide duration ({}) must be greater than 0.",
            d(slide)
        )));
    }
    if slide > size {
        return Err(invalid(format!(
            "The slide duration ({}) must be less than or equal to the windowDuration ({}).",
            d(slide),
            d(size)
        )));
    }
    if start.abs() >= slide {
        return Err(invalid(format!(
            "The absolute value of start time ({}) must be less than the slideDuration ({}).",
            d(start),
            d(slide)
        )));
    }
    Ok((
        time,
        WindowSpec {
            size_us: size,
            slide_us: slide,
            start_us: start,
        },
    ))
}

/// A duration argument: a string (`'10 minutes'`) or an interval literal.
fn duration(a: &Expr, call: &Expr, what: &str, signed: bool) -> Result<i64> {
    let parsed = match a {
        Expr::Interval(_) | Expr::Literal(Scalar::DayTimeInterval(..)) => a.day_time_micros(),
        Expr::Literal(Scalar::Utf8(s)) if signed => parse_signed_duration_us(s),
        Expr::Literal(Scalar::Utf8(s)) => parse_duration_us(s),
        _ => None,
    };
    parsed.ok_or_else(|| {
        Error::analysis(
            "INVALID_WINDOW",
            format!(
                "Invalid window {call}: the {what} must be a duration such as '10 minutes' or \
             INTERVAL 10 MINUTES, not {a}"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::ir::WindowSpec;

    fn spec(size: i64, slide: i64, start: i64) -> WindowSpec {
        WindowSpec {
            size_us: size,
            slide_us: slide,
            start_us: start,
        }
    }

    #[test]
    fn tumbling_windows_cover_each_time_once() {
        let w = spec(10, 10, 0);
        assert_eq!(w.starts(0).collect::<Vec<_>>(), vec![0]);
        assert_eq!(w.starts(9).collect::<Vec<_>>(), vec![0]);
        assert_eq!(w.starts(10).collect::<Vec<_>>(), vec![10]);
        // Before the epoch, as Spark (which fixed negative remainders).
        assert_eq!(w.starts(-1).collect::<Vec<_>>(), vec![-10]);
    }

    #[test]
    fn sliding_windows_cover_each_time_size_over_slide_times() {
        let w = spec(10, 5, 0);
        assert_eq!(w.starts(7).collect::<Vec<_>>(), vec![5, 0]);
        assert_eq!(w.starts(5).collect::<Vec<_>>(), vec![5, 0]);
        let w = spec(10, 3, 0);
        // Windows [6,16), [3,13), [0,10) cover 9; [9,19) too.
        assert_eq!(w.starts(9).collect::<Vec<_>>(), vec![9, 6, 3, 0]);
    }

    #[test]
    fn start_offsets_shift_the_windows() {
        let w = spec(10, 10, 3);
        assert_eq!(w.starts(2).collect::<Vec<_>>(), vec![-7]);
        assert_eq!(w.starts(3).collect::<Vec<_>>(), vec![3]);
        let w = spec(10, 10, -3);
        assert_eq!(w.starts(8).collect::<Vec<_>>(), vec![7]);
    }
}
