//! JSON text as the JSON functions read and write it (`get_json_object`,
//! `json_tuple`, `schema_of_json`, `from_json`, `to_json`), with the rules
//! of the Jackson parser and generator Spark runs them on.
//!
//! Why here, and why by hand: the functions are evaluated by the compiler's
//! interpreted twin (and `json_tuple` by the runtime's generate operator,
//! which depends on the compiler), so the parser must live in the compiler
//! crate, which may parse strings but does no I/O and cannot use the
//! runtime's JSON reader (the runtime depends on the compiler, not the other
//! way). The functions need what neither Arrow's JSON reader nor
//! serde_json's default `Value` keeps: an object's fields in their order
//! (`get_json_object` and `to_json` give them back as written; a map's
//! entries keep it), duplicate names (the first match wins), and an
//! integer's digits beside a float's (Jackson's `VALUE_NUMBER_INT` vs
//! `VALUE_NUMBER_FLOAT`: a float read into an INT field is malformed, an
//! integer is copied as written and a float as Java prints the double).
//! serde_json's `preserve_order` would change every JSON the runtime writes
//! (the workspace shares one serde_json), so the parser is this file's.
//!
//! Leniency is a [`Syntax`] (Spark's JSON options; by default single-quoted
//! strings and names are read, `NaN`/`Infinity`/… are numbers), and only
//! the first value of the text is read (what follows it is not looked at,
//! as Jackson's `readValueAsTree` leaves it).

pub mod convert;
pub mod infer;
pub mod path;
pub mod syntax;

pub use syntax::{Syntax, MAX_DEPTH};

use crate::scalar_fns::format_f64;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number as written (leading zeros dropped, as Jackson reports
    /// them); `float` when it has a fraction or exponent or is one of the
    /// non-numeric tokens (`NaN`, `+INF`, …, kept as written).
    Number {
        text: String,
        float: bool,
    },
    String(String),
    Array(Vec<Json>),
    /// Fields in the order written, duplicates kept.
    Object(Vec<(String, Json)>),
}

/// The first JSON value of `text` as Spark's JSON options read it by
/// default, or why it is malformed.
pub fn parse(text: &str) -> Result<Json, String> {
    parse_with(text, &Syntax::SPARK)
}

/// The first JSON value of `text` read with `syntax`, or why it is malformed.
pub fn parse_with(text: &str, syntax: &Syntax) -> Result<Json, String> {
    let mut p = Parser {
        b: text.as_bytes(),
        at: 0,
        depth: 0,
        syntax: *syntax,
    };
    p.ws()?;
    if p.at >= p.b.len() {
        return Err("no JSON value".into());
    }
    p.value()
}

struct Parser<'a> {
    b: &'a [u8],
    at: usize,
    depth: usize,
    syntax: Syntax,
}

impl Parser<'_> {
    /// Skips whitespace, and comments where allowed.
    fn ws(&mut self) -> Result<(), String> {
        loop {
            while self.at < self.b.len() && matches!(self.b[self.at], b' ' | b'\t' | b'\n' | b'\r')
            {
                self.at += 1;
            }
            if !(self.syntax.comments && self.peek() == Some(b'/')) {
                return Ok(());
            }
            match syntax::comment(&self.b[self.at..]) {
                Some(n) => self.at += n,
                None => return self.err("unterminated or malformed comment"),
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.at).copied()
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at character {}", self.at))
    }

    fn value(&mut self) -> Result<Json, String> {
        self.ws()?;
        match self.peek() {
            Some(b'{') => self.nested(|p| p.object()),
            Some(b'[') => self.nested(|p| p.array()),
            Some(b'"') => Ok(Json::String(self.string(b'"')?)),
            Some(b'\'') if self.syntax.single_quotes => Ok(Json::String(self.string(b'\'')?)),
            Some(b't') if self.word("true") => Ok(Json::Bool(true)),
            Some(b'f') if self.word("false") => Ok(Json::Bool(false)),
            Some(b'n') if self.word("null") => Ok(Json::Null),
            Some(b'N' | b'I' | b'+' | b'-') if self.syntax.non_numeric_numbers => {
                match syntax::non_numeric(&self.b[self.at..]) {
                    Some((n, _)) => {
                        let text = String::from_utf8_lossy(&self.b[self.at..self.at + n]);
                        self.at += n;
                        Ok(Json::Number {
                            text: text.into_owned(),
                            float: true,
                        })
                    }
                    None => self.number(),
                }
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.err("unexpected character"),
            None => self.err("unexpected end"),
        }
    }

    fn nested(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<Json, String>,
    ) -> Result<Json, String> {
        self.depth += 1;
        if self.depth > syntax::MAX_DEPTH {
            return self.err("JSON nested too deeply");
        }
        let v = crate::depth::grow(|| f(self));
        self.depth -= 1;
        v
    }

    fn word(&mut self, w: &str) -> bool {
        let end = self.at + w.len();
        let ok = self.b.get(self.at..end) == Some(w.as_bytes())
            && !self
                .b
                .get(end)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if ok {
            self.at = end;
        }
        ok
    }

    fn object(&mut self) -> Result<Json, String> {
        self.at += 1;
        let mut fields = Vec::new();
        self.ws()?;
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Object(fields));
        }
        loop {
            self.ws()?;
            let name = match self.peek() {
                Some(b'"') => self.string(b'"')?,
                Some(b'\'') if self.syntax.single_quotes => self.string(b'\'')?,
                Some(c) if self.syntax.unquoted_field_names && syntax::name_byte(c) => {
                    let start = self.at;
                    while self.peek().is_some_and(syntax::name_byte) {
                        self.at += 1;
                    }
                    std::str::from_utf8(&self.b[start..self.at])
                        .map_err(|_| "invalid UTF-8 in a field name".to_string())?
                        .to_string()
                }
                _ => return self.err("expected a field name"),
            };
            self.ws()?;
            if self.peek() != Some(b':') {
                return self.err("expected ':'");
            }
            self.at += 1;
            let v = self.value()?;
            fields.push((name, v));
            self.ws()?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Json::Object(fields));
                }
                _ => return self.err("expected ',' or '}'"),
            }
        }
    }

    fn array(&mut self) -> Result<Json, String> {
        self.at += 1;
        let mut items = Vec::new();
        self.ws()?;
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.ws()?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                _ => return self.err("expected ',' or ']'"),
            }
        }
    }

    /// The string whose opening `quote` is at `at`.
    fn string(&mut self, quote: u8) -> Result<String, String> {
        let open = self.at + 1;
        let len = syntax::string_end(&self.b[open..], quote, &self.syntax)
            .map_err(|e| format!("{e} at character {open}"))?;
        self.at = open + len + 1;
        syntax::unescape(&self.b[open..open + len])
    }

    fn number(&mut self) -> Result<Json, String> {
        let mut text = String::new();
        if self.peek() == Some(b'-') {
            self.at += 1;
            text.push('-');
        }
        let digits = |p: &mut Self| {
            let s = p.at;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.at += 1;
            }
            p.at - s
        };
        let int_start = self.at;
        let n = digits(self);
        if n == 0 {
            return self.err("expected a digit");
        }
        let mut int = &self.b[int_start..self.at];
        if n > 1 && int[0] == b'0' {
            if !self.syntax.leading_zeros {
                return self.err("leading zeros are not allowed");
            }
            // Jackson skips them: `007` is read as `7`, `000` as `0`.
            while int.len() > 1 && int[0] == b'0' {
                int = &int[1..];
            }
        }
        text.push_str(std::str::from_utf8(int).expect("digits"));
        let rest = self.at;
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.at += 1;
            float = true;
            if digits(self) == 0 {
                return self.err("expected a digit after '.'");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            float = true;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return self.err("expected an exponent");
            }
        }
        text.push_str(std::str::from_utf8(&self.b[rest..self.at]).expect("ASCII"));
        Ok(Json::Number { text, float })
    }
}

impl Json {
    /// The field `name` of an object (the first of that name).
    pub fn field(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A float's value as a double (Jackson's `getDoubleValue`).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number { text, .. } => syntax::special_double(text).or_else(|| text.parse().ok()),
            _ => None,
        }
    }

    /// The value as Jackson's generator copies it (`copyCurrentStructure`):
    /// compact, integers as written, floats as Java prints the double.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// The value as strict JSON (RFC 8259) that reads back as the lenient
    /// text it was parsed from reads: numbers as written, non-numeric
    /// numbers as strings of their text (a double reads `"NaN"` as NaN where
    /// the options allow it, a string its text), strings re-quoted.
    pub fn write_strict(&self, out: &mut String) {
        self.write_as(out, true)
    }

    pub fn write(&self, out: &mut String) {
        self.write_as(out, false)
    }

    /// [`Self::write`], or with `strict` [`Self::write_strict`].
    fn write_as(&self, out: &mut String, strict: bool) {
        crate::depth::grow(|| match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number { text, float: false } => out.push_str(text),
            Json::Number { text, .. } if strict => match syntax::special_double(text) {
                Some(_) => write_string(out, text),
                None => out.push_str(text),
            },
            Json::Number { .. } => write_double(out, self.as_f64().unwrap_or(f64::NAN)),
            Json::String(s) => write_string(out, s),
            Json::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_as(out, strict);
                }
                out.push(']');
            }
            Json::Object(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, k);
                    out.push(':');
                    v.write_as(out, strict);
                }
                out.push('}');
            }
        })
    }
}

/// `json_tuple`'s values for one row: per requested name, the field's
/// value (a string as is, another value as its JSON text; null for a
/// missing or null field, a null name, or JSON that is not an object; of
/// fields of one name, the last).
pub fn json_tuple(doc: Option<&str>, names: &[Option<&str>]) -> Vec<Option<String>> {
    let parsed = doc.and_then(|d| parse_with(d, &Syntax::HIVE).ok());
    names
        .iter()
        .map(|name| {
            let name = name.as_ref()?;
            let v = match parsed.as_ref()? {
                Json::Object(kv) => kv.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v)?,
                _ => return None,
            };
            match v {
                Json::Null => None,
                Json::String(s) => Some(s.clone()),
                other => Some(other.to_text()),
            }
        })
        .collect()
}

/// A double as Jackson writes it: Java's `Double.toString`, non-finite
/// values quoted (`QUOTE_NON_NUMERIC_NUMBERS`).
pub fn write_double(out: &mut String, v: f64) {
    if v.is_finite() {
        out.push_str(&format_f64(v));
    } else {
        out.push('"');
        out.push_str(&format_f64(v));
        out.push('"');
    }
}

/// A string as Jackson quotes it: `"` and `\` escaped, control characters
/// as `\n`-style or `\u00XX` escapes, everything else as is.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_in_order_and_keeps_number_kinds() {
        let v = parse(r#" {"b": [1, 2.50, -3e2], "a": 'x\u00e9', "b": null} trailing"#).unwrap();
        let Json::Object(f) = &v else { panic!() };
        assert_eq!(
            f.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["b", "a", "b"]
        );
        assert_eq!(v.to_text(), r#"{"b":[1,2.5,-300.0],"a":"xé","b":null}"#);
        assert_eq!(v.field("a"), Some(&Json::String("xé".into())));
    }

    #[test]
    fn refuses_malformed_text() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "1.",
            "\"a\nb\"",
            "tru",
            "{a:1}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse("-Infinity").unwrap().as_f64(),
            Some(f64::NEG_INFINITY)
        );
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn writes_strings_as_jackson() {
        let mut s = String::new();
        write_string(&mut s, "a\"\\\n\u{1}é/");
        assert_eq!(s, "\"a\\\"\\\\\\n\\u0001é/\"");
    }
}
