//! `SET` and `RESET`: the session's settings from SQL, as Spark parses them
//! — `SET key = value` (the value is the raw text after `=`, trimmed,
//! quotes kept), `SET key` (its value), `SET` (every setting made) and
//! `RESET [key]`. The facade applies them to the session's conf.

use crate::error::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfCommand {
    Set {
        key: String,
        value: String,
    },
    Get(String),
    List,
    /// `RESET key`, or `RESET` (every setting).
    Reset(Option<String>),
}

/// The command `text` is, if it is a `SET` or `RESET` (not `SET TIME
/// ZONE`, which sqlc does not support yet).
pub fn conf_command(text: &str) -> Option<Result<ConfCommand>> {
    // Leading `--` comment lines are not part of the command.
    let mut t = text.trim_start();
    while let Some(rest) = t.strip_prefix("--") {
        t = rest.split_once('\n').map_or("", |(_, r)| r).trim_start();
    }
    let t = t.trim().trim_end_matches(';').trim();
    let (word, rest) = match t.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim()),
        None => (t, ""),
    };
    if word.eq_ignore_ascii_case("RESET") {
        return Some(Ok(ConfCommand::Reset(
            (!rest.is_empty()).then(|| unquote_key(rest)),
        )));
    }
    if !word.eq_ignore_ascii_case("SET") {
        // `SET` glued to its key: `SET` is only ever followed by space.
        return None;
    }
    if rest.is_empty() || rest.eq_ignore_ascii_case("-v") {
        return Some(Ok(ConfCommand::List));
    }
    let upper = rest.to_ascii_uppercase();
    if let Some(zone) = upper.strip_prefix("TIME ZONE") {
        let arg = &rest[rest.len() - zone.len()..];
        return Some(time_zone_value(arg.trim()).map(|value| ConfCommand::Set {
            key: crate::time_zone::CONF_KEY.to_string(),
            value,
        }));
    }
    Some(Ok(match rest.split_once('=') {
        Some((k, v)) => {
            let key = unquote_key(k.trim());
            if key.is_empty() {
                return Some(Err(Error::analysis(
                    "INVALID_SET_SYNTAX",
                    "Expected format is 'SET', 'SET key', or 'SET key=value'. If you want to \
                     include special characters in key, or include semicolon in value, please \
                     use backquotes, e.g., SET `key`=`value`.",
                )));
            }
            ConfCommand::Set {
                key,
                value: v.trim().to_string(),
            }
        }
        None => ConfCommand::Get(unquote_key(rest)),
    }))
}

/// The zone `SET TIME ZONE …` sets: `LOCAL` (the session's default),
/// a quoted zone id, or an interval (`INTERVAL '08:00' HOUR TO MINUTE`,
/// `INTERVAL 8 HOURS`), which becomes the offset `+08:00`.
fn time_zone_value(arg: &str) -> Result<String> {
    let bad = || {
        Error::analysis(
            "INVALID_INTERVAL_FORMAT.TIMEZONE_INTERVAL_OUT_OF_RANGE",
            format!("The interval value must be in the range of [-18, +18] hours with second precision: {arg}"),
        )
    };
    if arg.eq_ignore_ascii_case("LOCAL") {
        return Ok(crate::time_zone::DEFAULT.to_string());
    }
    for q in ['\'', '"'] {
        if let Some(id) = arg.strip_prefix(q).and_then(|a| a.strip_suffix(q)) {
            return Ok(id.to_string());
        }
    }
    let Some(interval) = arg
        .get(..8)
        .filter(|w| w.eq_ignore_ascii_case("INTERVAL"))
        .map(|_| arg[8..].trim())
    else {
        return Err(Error::Parse {
            message: format!(
                "Syntax error at or near '{arg}': SET TIME ZONE takes \
                 LOCAL, a quoted zone id or an interval"
            ),
            line: 1,
            column: 1,
        });
    };
    let secs = interval_seconds(interval).ok_or_else(bad)?;
    if secs.abs() > 18 * 3600 {
        return Err(bad());
    }
    Ok(crate::time_zone::offset_id(secs as i32))
}

/// Seconds of `'[+-]hh:mm[:ss]' HOUR TO MINUTE|SECOND` or of units
/// (`8 HOURS 30 MINUTES`).
fn interval_seconds(s: &str) -> Option<i64> {
    if let Some(rest) = s.strip_prefix('\'') {
        let (text, unit) = rest.split_once('\'')?;
        let unit = unit.trim().to_ascii_uppercase();
        let (neg, text) = match text.strip_prefix('-') {
            Some(t) => (true, t),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let parts: Vec<i64> = text
            .split(':')
            .map(|p| p.trim().parse().ok())
            .collect::<Option<_>>()?;
        let secs = match (
            unit.split_whitespace().collect::<Vec<_>>().as_slice(),
            parts.as_slice(),
        ) {
            (["HOUR", "TO", "MINUTE"], [h, m]) if *m < 60 => h * 3600 + m * 60,
            (["HOUR", "TO", "SECOND"], [h, m, s]) if *m < 60 && *s < 60 => h * 3600 + m * 60 + s,
            (["HOUR"] | ["HOURS"], [h]) => h * 3600,
            _ => return None,
        };
        return Some(if neg { -secs } else { secs });
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut total = 0i64;
    for pair in words.chunks(2) {
        let [n, unit] = pair else { return None };
        let n: i64 = n.trim_matches('\'').parse().ok()?;
        total += n * match unit.to_ascii_uppercase().trim_end_matches('S') {
            "HOUR" => 3600,
            "MINUTE" => 60,
            "SECOND" => 1,
            _ => return None,
        };
    }
    (!words.is_empty()).then_some(total)
}

/// A key as written, back-quotes removed (`` `a.b` ``).
fn unquote_key(k: &str) -> String {
    k.trim()
        .strip_prefix('`')
        .and_then(|s| s.strip_suffix('`'))
        .unwrap_or(k.trim())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_forms_parse_as_spark_parses_them() {
        let set = |k: &str, v: &str| ConfCommand::Set {
            key: k.into(),
            value: v.into(),
        };
        assert_eq!(
            conf_command("SET a.b = 'v'").unwrap().unwrap(),
            set("a.b", "'v'")
        );
        assert_eq!(
            conf_command("set a.b=5;").unwrap().unwrap(),
            set("a.b", "5")
        );
        assert_eq!(
            conf_command("SET `a b`=x").unwrap().unwrap(),
            set("a b", "x")
        );
        assert_eq!(
            conf_command("SET a.b").unwrap().unwrap(),
            ConfCommand::Get("a.b".into())
        );
        assert_eq!(conf_command("SET").unwrap().unwrap(), ConfCommand::List);
        assert_eq!(
            conf_command("RESET a.b").unwrap().unwrap(),
            ConfCommand::Reset(Some("a.b".into()))
        );
        assert_eq!(
            conf_command("RESET").unwrap().unwrap(),
            ConfCommand::Reset(None)
        );
        assert_eq!(
            conf_command("SET = 1").unwrap().unwrap_err().class(),
            "INVALID_SET_SYNTAX"
        );
        assert!(conf_command("SELECT 1").is_none());
        assert!(conf_command("SETTINGS").is_none());
    }
}
