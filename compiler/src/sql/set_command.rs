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
    let t = text.trim().trim_end_matches(';').trim();
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
    if upper.starts_with("TIME ZONE") {
        return Some(Err(Error::not_supported(
            "SET TIME ZONE: sqlc reads and prints timestamps in UTC",
        )));
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
