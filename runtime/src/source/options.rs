//! Source options: a case-insensitive map of string values, as Spark's
//! `CaseInsensitiveMap`, with typed getters whose errors name the option and
//! the value so the user can fix them. Unknown options are ignored, as in
//! Spark.

use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// How a reader treats records it cannot parse (Spark's `mode` option).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ParseMode {
    /// Keep the row: fields that parsed keep their values, the rest are null,
    /// and the raw record goes to the corrupt-record column if the schema has one.
    #[default]
    Permissive,
    /// Drop the record.
    DropMalformed,
    /// Fail with [`Error::MalformedRecord`].
    FailFast,
}

/// The default name of the column that receives malformed records.
pub const DEFAULT_CORRUPT_COLUMN: &str = "_corrupt_record";

/// Options given to a reader, keyed case-insensitively. Values are strings;
/// the API layer converts numbers and booleans with `to_string()`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Lower-cased key → (key as the user wrote it, value).
    entries: BTreeMap<String, (String, String)>,
}

impl Options {
    /// An empty set of options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` (any case) to `value`, replacing an earlier value.
    pub fn set(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        let key = key.into();
        self.entries
            .insert(key.to_ascii_lowercase(), (key, value.into()));
        self
    }

    /// Builder form of [`Options::set`].
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.set(key, value);
        self
    }

    /// The value of `key`, ignoring case.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .get(&key.to_ascii_lowercase())
            .map(|(_, v)| v.as_str())
    }

    /// Whether `key` is set, ignoring case.
    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(&key.to_ascii_lowercase())
    }

    /// Every option as the user wrote it, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.values().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    fn bad(&self, key: &str, value: &str, reason: impl Into<String>) -> Error {
        let name = self
            .entries
            .get(&key.to_ascii_lowercase())
            .map_or(key, |(k, _)| k.as_str());
        Error::BadOption {
            name: name.to_string(),
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// A string option, or `default`.
    pub fn get_str<'a>(&'a self, key: &str, default: &'a str) -> &'a str {
        self.get(key).unwrap_or(default)
    }

    /// A boolean option (`true` or `false`, any case), or `default`.
    pub fn get_bool(&self, key: &str, default: bool) -> Result<bool> {
        match self.get(key) {
            None => Ok(default),
            Some(v) if v.trim().eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.trim().eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(self.bad(key, v, "must be true or false")),
        }
    }

    /// The JSON syntax Spark's `allow…` options choose (their defaults
    /// where unset: single quotes and non-numeric numbers allowed).
    pub fn json_syntax(&self) -> Result<sqlc_compiler::json::Syntax> {
        sqlc_compiler::json::Syntax::from_options(|k| self.get(k))
            .map_err(|(key, value)| self.bad(key, &value, "must be true or false"))
    }

    /// A positive integer option, if set.
    pub fn get_positive_int(&self, key: &str) -> Result<Option<usize>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.trim().parse::<usize>() {
                Ok(n) if n > 0 => Ok(Some(n)),
                _ => Err(self.bad(key, v, "must be a positive integer")),
            },
        }
    }

    /// A positive integer of at most `max`, if set: options that size what
    /// sqlc allocates (rows per batch, partitions) are refused, with the
    /// bound, when absurd — never an allocation that aborts the process.
    pub fn get_bounded_int(&self, key: &str, max: usize) -> Result<Option<usize>> {
        match self.get_positive_int(key)? {
            Some(n) if n > max => Err(self.bad(
                key,
                self.get(key).unwrap_or_default(),
                format!("must be at most {max}"),
            )),
            n => Ok(n),
        }
    }

    /// A positive byte size such as `1048576`, `10m`, `512k` or `1g` (binary
    /// units, as Spark's `byteStringAsBytes`), if set.
    pub fn get_byte_size(&self, key: &str) -> Result<Option<u64>> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let s = v.trim().to_ascii_lowercase();
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (num, unit) = s.split_at(split);
        let shift = match unit.trim() {
            "" | "b" => 0,
            "k" | "kb" => 10,
            "m" | "mb" => 20,
            "g" | "gb" => 30,
            "t" | "tb" => 40,
            "p" | "pb" => 50,
            _ => return Err(self.bad(key, v, "must be a size such as 1048576, 512k, 10m or 1g")),
        };
        match num
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(1u64 << shift))
        {
            Some(n) if n > 0 => Ok(Some(n)),
            _ => Err(self.bad(
                key,
                v,
                "must be a positive size such as 1048576, 512k, 10m or 1g",
            )),
        }
    }

    /// A duration in milliseconds such as `7d`, `1h`, `30m`, `10s`, `500ms`
    /// (a bare number is milliseconds, as Spark's `timeStringAsMs`), or the
    /// value of `default`.
    pub fn get_duration_ms(&self, key: &str, default: &str) -> Result<u64> {
        let v = self.get(key).unwrap_or(default);
        let s = v.trim().to_ascii_lowercase();
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (num, unit) = s.split_at(split);
        let ms: Option<u64> = match unit.trim() {
            "us" => num.parse::<u64>().ok().map(|n| n / 1000),
            "" | "ms" => num.parse().ok(),
            "s" => num.parse::<u64>().ok().and_then(|n| n.checked_mul(1000)),
            "m" | "min" => num.parse::<u64>().ok().and_then(|n| n.checked_mul(60_000)),
            "h" => num
                .parse::<u64>()
                .ok()
                .and_then(|n| n.checked_mul(3_600_000)),
            "d" => num
                .parse::<u64>()
                .ok()
                .and_then(|n| n.checked_mul(86_400_000)),
            _ => None,
        };
        ms.ok_or_else(|| {
            self.bad(
                key,
                v,
                "must be a duration such as 7d, 12h, 30m, 10s or 500ms",
            )
        })
    }

    /// A single ASCII character (`\t` is accepted for a tab), or `default`.
    pub fn get_char(&self, key: &str, default: u8) -> Result<u8> {
        let Some(v) = self.get(key) else {
            return Ok(default);
        };
        match v {
            "\\t" => Ok(b'\t'),
            "\\n" => Ok(b'\n'),
            "\\\\" => Ok(b'\\'),
            s if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
            "" => Err(self.bad(key, v, "must be a single character, not empty")),
            _ => Err(self.bad(key, v, "must be a single ASCII character")),
        }
    }

    /// The `mode` option: PERMISSIVE (default), DROPMALFORMED or FAILFAST, any case.
    pub fn parse_mode(&self) -> Result<ParseMode> {
        match self.get("mode") {
            None => Ok(ParseMode::Permissive),
            Some(v) => match v.trim().to_ascii_uppercase().as_str() {
                "PERMISSIVE" => Ok(ParseMode::Permissive),
                "DROPMALFORMED" => Ok(ParseMode::DropMalformed),
                "FAILFAST" => Ok(ParseMode::FailFast),
                _ => Err(self.bad("mode", v, "must be PERMISSIVE, DROPMALFORMED or FAILFAST")),
            },
        }
    }

    /// The `columnNameOfCorruptRecord` option, `_corrupt_record` by default.
    pub fn corrupt_column(&self) -> &str {
        self.get_str("columnNameOfCorruptRecord", DEFAULT_CORRUPT_COLUMN)
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Options {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut o = Options::new();
        for (k, v) in iter {
            o.set(k, v);
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_keep_their_spelling_in_errors() {
        let o = Options::new().with("MaxFilesPerTrigger", "0");
        assert!(o.contains("maxfilespertrigger"));
        let e = o
            .get_positive_int("maxFilesPerTrigger")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("'MaxFilesPerTrigger'") && e.contains("'0'"),
            "{e}"
        );
    }

    #[test]
    fn typed_getters() {
        let o: Options = [
            ("maxBytesPerTrigger", "10m"),
            ("maxFileAge", "2h"),
            ("latestFirst", "TRUE"),
            ("sep", "\\t"),
            ("mode", "dropMalformed"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            o.get_byte_size("maxbytespertrigger").unwrap(),
            Some(10 << 20)
        );
        assert_eq!(o.get_duration_ms("maxFileAge", "7d").unwrap(), 7_200_000);
        assert_eq!(o.get_duration_ms("other", "7d").unwrap(), 7 * 86_400_000);
        assert!(o.get_bool("latestFirst", false).unwrap());
        assert_eq!(o.get_char("sep", b',').unwrap(), b'\t');
        assert_eq!(o.parse_mode().unwrap(), ParseMode::DropMalformed);
        assert_eq!(o.corrupt_column(), "_corrupt_record");
    }

    #[test]
    fn bad_values_are_errors() {
        let o: Options = [
            ("a", "yes"),
            ("b", "10x"),
            ("c", "-1"),
            ("mode", "lenient"),
            ("d", "ab"),
        ]
        .into_iter()
        .collect();
        assert!(matches!(
            o.get_bool("a", false),
            Err(Error::BadOption { .. })
        ));
        assert!(o.get_byte_size("b").is_err());
        assert!(o.get_positive_int("c").is_err());
        assert!(o.get_duration_ms("b", "7d").is_err());
        assert!(o.parse_mode().unwrap_err().to_string().contains("lenient"));
        assert!(o.get_char("d", b',').is_err());
    }
}
