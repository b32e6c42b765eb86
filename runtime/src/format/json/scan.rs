//! A validating JSON scanner that types values without building them: the
//! engine of JSON schema inference, and the well-formedness check of the
//! JSON reader's careful path. It accepts a record as Spark's Jackson
//! parser does: one RFC 8259 value (valid UTF-8 in strings, no control
//! characters, a bounded depth, field names of at most 50,000 characters),
//! after an optional byte-order mark; what follows the record on its line
//! is not read (Spark keeps `{"a":1} x` and the first of `{"a":1}{"a":2}`).
//!
//! Inference merges each line's types into the schema so far. A line that
//! turns out malformed must add nothing, so a line is first scanned with the
//! schema frozen; only if it would change the schema is it validated and
//! then scanned again with the schema growing. Changes are rare once the
//! first lines are seen, so most lines are scanned once.

use std::ops::Range;

use crate::source::infer::{JsonFields, JsonType};
use crate::source::lines::BOM;

/// How a scan treats the types it sees.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Only check well-formedness.
    Check,
    /// Check, and stop with [`Stop::Change`] where the schema would change.
    Frozen,
    /// Check and merge types into the schema.
    Grow,
}

/// Why a scan stopped.
#[derive(Debug, PartialEq)]
pub enum Stop {
    /// The line is malformed (or not an object); the reason, with its column.
    Malformed(String),
    /// The line would change the schema (frozen scans only).
    Change,
}

const MAX_DEPTH: usize = 128;

/// The longest field name Jackson reads (`StreamReadConstraints`'
/// `maxNameLength`), in UTF-16 units; a longer one makes the record malformed.
const MAX_NAME_LEN: usize = 50_000;

/// Bytes that end a plain run inside a string: the quote, a backslash,
/// control characters and non-ASCII bytes (checked as UTF-8 at the end).
static STRING_STOP: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c < 0x20 || c == b'"' as usize || c == b'\\' as usize || c >= 0x80) as u8;
        c += 1;
    }
    t
};

/// How many ASCII digits `b` starts with; eight bytes at a time.
#[inline]
fn leading_digits(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = 0;
    while let Some(chunk) = b.get(at..at + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // A byte below '0' borrows, one above '9' carries into its high
        // bit; the lowest flagged byte is exact (borrows and carries only
        // flow upwards from a flagged byte).
        let other = (w.wrapping_sub(ONES * b'0' as u64) | w.wrapping_add(ONES * 0x46)) & HIGH;
        if other != 0 {
            return at + (other.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + b[at..].iter().take_while(|c| c.is_ascii_digit()).count()
}

/// The first byte of `b` that ends a plain run inside a string (see
/// [`STRING_STOP`]). Eight bytes at a time, in a word (strings are short: a
/// vectorized search costs more to start than it saves), then one table
/// look-up a byte.
#[inline]
fn string_stop(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `x` that is zero; the lowest one set is
    // exact (borrows only carry upwards), which is all that is read.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut at = 0;
    while let Some(chunk) = b.get(at..at + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let stops = (w.wrapping_sub(ONES * 0x20) & !w & HIGH) // below 0x20
            | zero(w ^ (ONES * b'"' as u64))
            | zero(w ^ (ONES * b'\\' as u64))
            | (w & HIGH); // non-ASCII
        if stops != 0 {
            return Some(at + (stops.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    b[at..]
        .iter()
        .position(|&c| STRING_STOP[c as usize] != 0)
        .map(|k| at + k)
}

/// Scans the record of one line, whose top level must be an object or an
/// array of objects, merging the fields of those objects into `root` by
/// `mode`; returns where the record lies in the line (what follows it is
/// not read, as in Spark).
pub fn scan_line(line: &[u8], root: &mut JsonFields, mode: Mode) -> Result<Range<usize>, Stop> {
    let mut s = Scanner {
        b: line,
        i: 0,
        mode,
    };
    s.bom();
    s.ws();
    let start = s.i;
    match s.peek() {
        Some(b'{') => s.object(Some(root), 0)?,
        Some(b'[') => {
            s.i += 1;
            s.ws();
            if s.peek() == Some(b']') {
                s.i += 1;
            } else {
                loop {
                    s.ws();
                    match s.peek() {
                        Some(b'{') => s.object(Some(&mut *root), 1)?,
                        Some(b'n') => s.literal(b"null")?,
                        _ => return Err(s.error("expected an object in the top-level array")),
                    }
                    if !s.list_next(b']')? {
                        break;
                    }
                }
            }
        }
        _ => return Err(s.error("expected a JSON object")),
    }
    Ok(start..s.i)
}

/// Whether `line` holds a well-formed record with an object (or array) at
/// the top; where it lies in the line if so.
pub fn check_line(line: &[u8]) -> Result<Range<usize>, String> {
    match scan_line(line, &mut JsonFields::new(), Mode::Check) {
        Ok(record) => Ok(record),
        Err(Stop::Malformed(m)) => Err(m),
        Err(Stop::Change) => unreachable!("checking scans do not stop for a change"),
    }
}

/// The scanner over one line; the specialized decoder ([`super::decode`])
/// drives it too, skipping the values it does not read.
pub(crate) struct Scanner<'a> {
    pub b: &'a [u8],
    pub i: usize,
    mode: Mode,
}

impl<'a> Scanner<'a> {
    /// A scanner that only checks well-formedness.
    pub fn check(line: &'a [u8]) -> Self {
        Scanner {
            b: line,
            i: 0,
            mode: Mode::Check,
        }
    }

    /// Skips a byte-order mark at the start of the record, as Jackson does.
    pub fn bom(&mut self) {
        if self.b[self.i..].starts_with(BOM) {
            self.i += BOM.len();
        }
    }

    /// Checks and skips a field name (the string at `i`), as
    /// [`Self::raw_string`]; a name longer than Jackson reads is malformed.
    pub fn raw_key(&mut self) -> Result<(&'a [u8], bool), Stop> {
        let open = self.i;
        let (raw, escaped) = self.raw_string()?;
        // A name is at least as many bytes as UTF-16 units: only a long
        // one is decoded to be measured.
        if raw.len() > MAX_NAME_LEN {
            let units = if escaped {
                serde_json::from_slice::<String>(&self.b[open..self.i])
                    .map_or(usize::MAX, |s| s.encode_utf16().count())
            } else {
                std::str::from_utf8(raw).map_or(usize::MAX, |s| s.encode_utf16().count())
            };
            if units > MAX_NAME_LEN {
                return Err(Stop::Malformed(format!(
                    "a field name of {units} characters at column {}, longer than the {MAX_NAME_LEN} Spark reads",
                    open + 1
                )));
            }
        }
        Ok((raw, escaped))
    }

    pub fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Checks and skips one value (nested `depth` deep).
    pub fn skip_value(&mut self, depth: usize) -> Result<(), Stop> {
        self.value(None, depth)
    }

    /// Checks and skips the string at `i` (its opening quote); returns its
    /// raw bytes (valid UTF-8, between the quotes) and whether it has escapes.
    pub fn raw_string(&mut self) -> Result<(&'a [u8], bool), Stop> {
        let start = self.i + 1;
        let mut j = start;
        let mut escaped = false;
        let mut ascii = true;
        loop {
            let Some(k) = string_stop(&self.b[j..]) else {
                self.i = self.b.len();
                return Err(self.error("unterminated string"));
            };
            j += k;
            match self.b[j] {
                b'"' => break,
                b'\\' => {}
                c if c < 0x20 => {
                    self.i = j;
                    return Err(self.error("control character in a string"));
                }
                _ => {
                    ascii = false;
                    j += 1;
                    continue;
                }
            }
            escaped = true;
            match self.b.get(j + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => j += 2,
                Some(b'u')
                    if self
                        .b
                        .get(j + 2..j + 6)
                        .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
                {
                    j += 6
                }
                _ => {
                    self.i = j;
                    return Err(self.error("invalid escape"));
                }
            }
        }
        let raw = &self.b[start..j];
        self.i = j + 1;
        if !ascii && std::str::from_utf8(raw).is_err() {
            return Err(Stop::Malformed(format!(
                "invalid UTF-8 in a string at column {start}"
            )));
        }
        Ok((raw, escaped))
    }

    /// Checks and skips the number at `i`; returns its text.
    pub fn raw_number(&mut self) -> Result<&'a [u8], Stop> {
        let start = self.i;
        self.number()?;
        Ok(&self.b[start..self.i])
    }

    /// Checks and skips a `true`, `false` or `null` literal.
    pub fn raw_literal(&mut self, word: &[u8]) -> Result<(), Stop> {
        self.literal(word)
    }

    pub fn error(&self, what: &str) -> Stop {
        match self.peek() {
            None => Stop::Malformed(format!("{what}, found the end of the line")),
            Some(c) => Stop::Malformed(format!(
                "{what} at column {}, found '{}'",
                self.i + 1,
                c.escape_ascii()
            )),
        }
    }

    pub fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Stop> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(self.error("invalid literal"))
        }
    }

    /// After a list or object element: `true` if another follows.
    pub fn list_next(&mut self, close: u8) -> Result<bool, Stop> {
        self.ws();
        match self.peek() {
            Some(b',') => {
                self.i += 1;
                Ok(true)
            }
            Some(c) if c == close => {
                self.i += 1;
                Ok(false)
            }
            _ => Err(self.error(if close == b']' {
                "expected ',' or ']'"
            } else {
                "expected ',' or '}'"
            })),
        }
    }

    /// Merges `t` into `slot` by the scan's mode.
    #[inline(always)]
    fn merge(&self, slot: Option<&mut JsonType>, t: JsonType) -> Result<(), Stop> {
        match slot {
            Some(slot) if self.mode != Mode::Check => self.merge_into(slot, t),
            _ => Ok(()),
        }
    }

    #[inline(never)]
    fn merge_into(&self, slot: &mut JsonType, t: JsonType) -> Result<(), Stop> {
        match (Some(slot), self.mode) {
            (None, _) | (_, Mode::Check) => Ok(()),
            (Some(slot), Mode::Grow) => {
                slot.merge(t);
                Ok(())
            }
            (Some(slot), Mode::Frozen) => {
                let mut merged = slot.clone();
                merged.merge(t);
                if merged == *slot {
                    Ok(())
                } else {
                    Err(Stop::Change)
                }
            }
        }
    }

    /// Scans one value into `slot` (`None`: check only).
    fn value(&mut self, slot: Option<&mut JsonType>, depth: usize) -> Result<(), Stop> {
        self.ws();
        match self.peek() {
            Some(b'{') => {
                let slot = slot.filter(|_| self.mode != Mode::Check);
                match slot {
                    Some(JsonType::Struct(fields)) => self.object(Some(fields), depth + 1),
                    Some(JsonType::Null) if self.mode == Mode::Frozen => Err(Stop::Change),
                    Some(slot @ JsonType::Null) => {
                        *slot = JsonType::Struct(JsonFields::new());
                        let JsonType::Struct(fields) = slot else {
                            unreachable!("just set")
                        };
                        self.object(Some(fields), depth + 1)
                    }
                    // An object where other values were seen: the field is a string.
                    Some(slot) => {
                        self.merge(Some(slot), JsonType::Str)?;
                        self.object(None, depth + 1)
                    }
                    None => self.object(None, depth + 1),
                }
            }
            Some(b'[') => {
                let slot = slot.filter(|_| self.mode != Mode::Check);
                match slot {
                    Some(JsonType::Array(elem)) => self.array(Some(elem), depth + 1),
                    Some(JsonType::Null) if self.mode == Mode::Frozen => Err(Stop::Change),
                    Some(slot @ JsonType::Null) => {
                        *slot = JsonType::Array(Box::new(JsonType::Null));
                        let JsonType::Array(elem) = slot else {
                            unreachable!("just set")
                        };
                        self.array(Some(elem), depth + 1)
                    }
                    // An array where other values were seen: a string.
                    Some(slot) => {
                        self.merge(Some(slot), JsonType::Str)?;
                        self.array(None, depth + 1)
                    }
                    None => self.array(None, depth + 1),
                }
            }
            Some(b'"') => {
                self.raw_string()?;
                self.merge(slot, JsonType::Str)
            }
            Some(b't') => {
                self.literal(b"true")?;
                self.merge(slot, JsonType::Bool)
            }
            Some(b'f') => {
                self.literal(b"false")?;
                self.merge(slot, JsonType::Bool)
            }
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => {
                let t = self.number()?;
                self.merge(slot, t)
            }
            _ => Err(self.error("expected a value")),
        }
    }

    fn object(&mut self, mut fields: Option<&mut JsonFields>, depth: usize) -> Result<(), Stop> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.i += 1; // '{'
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        let mut hint = 0;
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a field name"));
            }
            let key = self.key(fields.is_some() && self.mode != Mode::Check)?;
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':'"));
            }
            self.i += 1;
            let slot = match fields.as_deref_mut() {
                Some(f) if self.mode != Mode::Check => {
                    let i = match f.position(key.bytes(), hint) {
                        Some(i) => i,
                        None if self.mode == Mode::Frozen => return Err(Stop::Change),
                        None => f.push(&key.to_string()),
                    };
                    hint = i + 1;
                    Some(f.type_mut(i))
                }
                _ => None,
            };
            self.value(slot, depth)?;
            if !self.list_next(b'}')? {
                return Ok(());
            }
        }
    }

    /// Scans an array, each element's type merged into `elem` (`None`:
    /// check only).
    fn array(&mut self, mut elem: Option<&mut JsonType>, depth: usize) -> Result<(), Stop> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.i += 1; // '['
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.value(elem.as_deref_mut(), depth)?;
            if !self.list_next(b']')? {
                return Ok(());
            }
        }
    }

    /// Scans a field name; returns its text if `want_text` (else "").
    fn key(&mut self, want_text: bool) -> Result<Key<'a>, Stop> {
        let open = self.i;
        let (raw, escaped) = self.raw_key()?;
        if !escaped || !want_text {
            return Ok(Key::Raw(raw));
        }
        match serde_json::from_slice::<String>(&self.b[open..self.i]) {
            Ok(s) => Ok(Key::Owned(s)),
            Err(e) => Err(Stop::Malformed(e.to_string())),
        }
    }

    /// Scans a number: bigint if an integer that fits, else double.
    fn number(&mut self) -> Result<JsonType, Stop> {
        let start = self.i;
        let digits = |s: &mut Self| {
            let n = leading_digits(&s.b[s.i..]);
            s.i += n;
            n
        };
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.error("invalid number")),
        }
        let mut real = false;
        if self.peek() == Some(b'.') {
            self.i += 1;
            real = true;
            if digits(self) == 0 {
                return Err(self.error("expected a digit"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            real = true;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("expected a digit"));
            }
        }
        if self.mode == Mode::Check {
            return Ok(JsonType::Double); // the type is not needed
        }
        let text = std::str::from_utf8(&self.b[start..self.i]).unwrap_or_default();
        // Spark makes a decimal of an integer beyond bigint; sqlc a double.
        Ok(if real || text.parse::<i64>().is_err() {
            JsonType::Double
        } else {
            JsonType::Long
        })
    }
}

/// A string's text: its raw bytes (valid UTF-8) when it has no escapes or
/// the text is not needed, else the unescaped text.
enum Key<'a> {
    Raw(&'a [u8]),
    Owned(String),
}

impl Key<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Key::Raw(b) => b,
            Key::Owned(s) => s.as_bytes(),
        }
    }
}

impl std::fmt::Display for Key<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&String::from_utf8_lossy(self.bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_exactly_json() {
        let good = [
            r#"{"a":1,"b":[1,{"c":null}],"d":"\u00e9\n","e":-0.5e-3,"f":true}"#,
            r#"{} "#,
            r#"[{"a":1},null,{"b":2}]"#,
            r#"[]"#,
        ];
        for g in good {
            assert_eq!(check_line(g.as_bytes()), Ok(0..g.trim_end().len()), "{g}");
            assert!(serde_json::from_str::<serde_json::Value>(g).is_ok());
        }
        let bad = [
            r#"{"a":1"#,
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":"x\q"}"#,
            "{\"a\":\"x\ty\"}",
            r#"{"a":tru}"#,
            r#"{a:1}"#,
            r#"{"a":1,}"#,
            r#"17"#,
            r#"[1]"#,
            r#"{"a":NaN}"#,
        ];
        for b in bad {
            assert!(check_line(b.as_bytes()).is_err(), "{b}");
        }
        assert!(check_line(&[b'{', b'"', 0xff, b'"', b':', b'1', b'}']).is_err());
        assert!(check_line(&[b'['; 300]).is_err());
    }

    #[test]
    fn digits_are_counted_word_by_word() {
        for len in 0..20 {
            for c in 0..=255u8 {
                let mut b = vec![b'7'; len];
                b.push(c);
                b.extend_from_slice(b"123456789");
                let want = if c.is_ascii_digit() { len + 10 } else { len };
                assert_eq!(leading_digits(&b), want, "{b:?}");
            }
        }
    }

    #[test]
    fn string_stops_are_found_word_by_word() {
        for len in 0..40 {
            for stop in [b'"', b'\\', 0x00, 0x1f, 0x80, 0xff] {
                for at in 0..=len {
                    let mut b = vec![b'a'; len];
                    b.insert(at, stop);
                    // Bytes just beside the stop classes are plain.
                    b.extend_from_slice(b" !#[]~\x7f");
                    assert_eq!(string_stop(&b), Some(at), "{b:?}");
                }
            }
            assert_eq!(string_stop(&vec![b'~'; len]), None);
        }
    }

    #[test]
    fn a_record_is_what_jackson_reads_of_its_line() {
        // After the record, the line is not read; a BOM before it is skipped.
        assert_eq!(check_line(br#"{"a":1} x"#), Ok(0..7));
        assert_eq!(check_line(br#"{"a":1}{"a":"#), Ok(0..7));
        assert_eq!(check_line(b"\xef\xbb\xbf {}\x00"), Ok(4..6));
        assert!(check_line(b" \xef\xbb\xbf{}").is_err());
        // Field names up to 50,000 UTF-16 units, escapes decoded.
        let key = |name: &str| format!(r#"{{"{name}":1}}"#);
        assert!(check_line(key(&"k".repeat(50_000)).as_bytes()).is_ok());
        assert!(check_line(key(&"k".repeat(50_001)).as_bytes()).is_err());
        assert!(check_line(key(&format!("\\u006b{}", "k".repeat(49_999))).as_bytes()).is_ok());
        assert!(check_line(key(&format!("\\u006b{}", "k".repeat(50_000))).as_bytes()).is_err());
        assert!(check_line(key(&"é".repeat(30_000)).as_bytes()).is_ok());
        let nested = format!(r#"{{"o":{{"{}":1}}}}"#, "k".repeat(50_001));
        assert!(check_line(nested.as_bytes()).is_err());
    }

    #[test]
    fn frozen_scans_stop_before_changing_the_schema() {
        let mut root = JsonFields::new();
        assert_eq!(
            scan_line(br#"{"a":1}"#, &mut root, Mode::Frozen),
            Err(Stop::Change)
        );
        assert!(root.is_empty());
        scan_line(br#"{"a":1,"o":{"x":"s"}}"#, &mut root, Mode::Grow).unwrap();
        assert!(scan_line(br#"{"a":2,"o":{"x":"t"}}"#, &mut root, Mode::Frozen).is_ok());
        assert_eq!(
            scan_line(br#"{"a":2.5}"#, &mut root, Mode::Frozen),
            Err(Stop::Change)
        );
        assert_eq!(
            scan_line(br#"{"a":2,"l":[1]}"#, &mut root, Mode::Frozen),
            Err(Stop::Change)
        );
        scan_line(br#"{"l":[1]}"#, &mut root, Mode::Grow).unwrap();
        assert_eq!(
            root.get("l"),
            Some(&JsonType::Array(Box::new(JsonType::Long)))
        );
        scan_line(br#"{"l":"s"}"#, &mut root, Mode::Grow).unwrap();
        assert_eq!(
            root.get("l"),
            Some(&JsonType::Str),
            "arrays and strings make a string"
        );
        assert_eq!(root.get("a"), Some(&JsonType::Long));
    }
}
