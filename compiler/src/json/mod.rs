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
//! Leniency follows Spark's `JSONOptions` defaults: single-quoted strings
//! and names are read, `NaN`/`Infinity`/`-Infinity` are numbers, and only
//! the first value of the text is read (what follows it is not looked at,
//! as Jackson's `readValueAsTree` leaves it).

pub mod convert;
pub mod infer;
pub mod path;

use crate::scalar_fns::format_f64;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number as written; `float` when it has a fraction or exponent
    /// (or is NaN/Infinity).
    Number {
        text: String,
        float: bool,
    },
    String(String),
    Array(Vec<Json>),
    /// Fields in the order written, duplicates kept.
    Object(Vec<(String, Json)>),
}

/// How deep JSON may nest before it is refused as malformed (Jackson's
/// default `StreamReadConstraints` maximum nesting depth).
const MAX_DEPTH: usize = 1000;

/// The first JSON value of `text`, or why it is malformed.
pub fn parse(text: &str) -> Result<Json, String> {
    let mut p = Parser {
        b: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    p.ws();
    if p.at >= p.b.len() {
        return Err("no JSON value".into());
    }
    p.value()
}

struct Parser<'a> {
    b: &'a [u8],
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.at < self.b.len() && matches!(self.b[self.at], b' ' | b'\t' | b'\n' | b'\r') {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.at).copied()
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at character {}", self.at))
    }

    fn value(&mut self) -> Result<Json, String> {
        self.ws();
        match self.peek() {
            Some(b'{') => self.nested(|p| p.object()),
            Some(b'[') => self.nested(|p| p.array()),
            Some(q @ (b'"' | b'\'')) => Ok(Json::String(self.string(q)?)),
            Some(b't') if self.word("true") => Ok(Json::Bool(true)),
            Some(b'f') if self.word("false") => Ok(Json::Bool(false)),
            Some(b'n') if self.word("null") => Ok(Json::Null),
            Some(b'N') if self.word("NaN") => Ok(special("NaN")),
            Some(b'I') if self.word("Infinity") => Ok(special("Infinity")),
            Some(b'-' | b'0'..=b'9' | b'+') => self.number(),
            Some(_) => self.err("unexpected character"),
            None => self.err("unexpected end"),
        }
    }

    fn nested(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<Json, String>,
    ) -> Result<Json, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
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
        self.ws();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Object(fields));
        }
        loop {
            self.ws();
            let name = match self.peek() {
                Some(q @ (b'"' | b'\'')) => self.string(q)?,
                _ => return self.err("expected a field name"),
            };
            self.ws();
            if self.peek() != Some(b':') {
                return self.err("expected ':'");
            }
            self.at += 1;
            let v = self.value()?;
            fields.push((name, v));
            self.ws();
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
        self.ws();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.ws();
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

    fn string(&mut self, quote: u8) -> Result<String, String> {
        self.at += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return self.err("unterminated string");
            };
            self.at += 1;
            match c {
                c if c == quote => break,
                b'\\' => {
                    let Some(e) = self.peek() else {
                        return self.err("unterminated string");
                    };
                    self.at += 1;
                    match e {
                        b'"' | b'\\' | b'/' | b'\'' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let mut cp = self.hex4()?;
                            if (0xD800..0xDC00).contains(&cp)
                                && self.b.get(self.at..self.at + 2) == Some(b"\\u")
                            {
                                self.at += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                                }
                            }
                            let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return self.err("unrecognized escape"),
                    }
                }
                c if c < 0x20 => return self.err("unescaped control character"),
                c => out.push(c),
            }
        }
        String::from_utf8(out).or_else(|_| self.err("invalid UTF-8"))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let Some(h) = self.b.get(self.at..self.at + 4) else {
            return self.err("short \\u escape");
        };
        let s = std::str::from_utf8(h).map_err(|e| e.to_string())?;
        let v = u32::from_str_radix(s, 16).or_else(|_| self.err("bad \\u escape"))?;
        self.at += 4;
        Ok(v)
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.at;
        if matches!(self.peek(), Some(b'-' | b'+')) {
            let plus = self.peek() == Some(b'+');
            self.at += 1;
            if self.word("Infinity") || (plus && self.word("INF")) {
                return Ok(special(if plus { "Infinity" } else { "-Infinity" }));
            }
            if !plus && self.word("INF") {
                return Ok(special("-Infinity"));
            }
            if plus {
                return self.err("a leading '+' is not allowed");
            }
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
        if n > 1 && self.b[int_start] == b'0' {
            return self.err("leading zeros are not allowed");
        }
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
        let text = String::from_utf8_lossy(&self.b[start..self.at]).into_owned();
        Ok(Json::Number { text, float })
    }
}

fn special(text: &str) -> Json {
    Json::Number {
        text: text.into(),
        float: true,
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
            Json::Number { text, .. } => match text.as_str() {
                "NaN" => Some(f64::NAN),
                "Infinity" => Some(f64::INFINITY),
                "-Infinity" => Some(f64::NEG_INFINITY),
                t => t.parse().ok(),
            },
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

    pub fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number { text, float: false } => out.push_str(text),
            Json::Number { .. } => write_double(out, self.as_f64().unwrap_or(f64::NAN)),
            Json::String(s) => write_string(out, s),
            Json::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
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
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// `json_tuple`'s values for one row: per requested name, the field's
/// value (a string as is, another value as its JSON text; null for a
/// missing or null field, a null name, or JSON that is not an object; of
/// fields of one name, the last).
pub fn json_tuple(doc: Option<&str>, names: &[Option<&str>]) -> Vec<Option<String>> {
    let parsed = doc.and_then(|d| parse(d).ok());
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
