//! A validating JSON scanner that types values without building them: the
//! engine of JSON schema inference, and the well-formedness check of the
//! JSON reader's careful path. It accepts a record as Spark's Jackson
//! parser does: one RFC 8259 value (valid UTF-8 in strings, no control
//! characters, nested at most `MAX_DEPTH` deep, field names of at most
//! 50,000 characters), with the leniencies of its [`Syntax`] (Spark's JSON
//! options: by default single-quoted strings and names, `NaN` and the
//! infinities), after an optional byte-order mark; what follows the record
//! on its line is not read (Spark keeps `{"a":1} x` and the first of
//! `{"a":1}{"a":2}`). Ordinary JSON takes the same branches as without
//! leniency: the lenient tokens are tried only where strict JSON would
//! fail, and a scan that used one says so (`odd`), so that the exact paths
//! rewrite the record as strict JSON ([`super::strict`]) before decoding.
//!
//! Inference merges each line's types into the schema so far. A line that
//! turns out malformed must add nothing, so a line is first scanned with the
//! schema frozen; only if it would change the schema is it validated and
//! then scanned again with the schema growing. Changes are rare once the
//! first lines are seen, so most lines are scanned once.

use std::ops::Range;

use sqlc_compiler::depth::grow;
use sqlc_compiler::json::syntax::{self, Syntax, MAX_DEPTH};

use crate::source::infer::{JsonFields, JsonType, Scalar};
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

/// Why a scan stopped. One word (the reason boxed), so that the scanner's
/// results come back in registers.
#[derive(Debug, PartialEq)]
pub enum Stop {
    /// The line is malformed (or not an object); the reason, with its column.
    #[allow(clippy::box_collection)] // a thin pointer: `Stop` stays one word
    Malformed(Box<String>),
    /// The line would change the schema (frozen scans only).
    Change,
}

impl Stop {
    fn malformed(reason: String) -> Stop {
        Stop::Malformed(Box::new(reason))
    }
}

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

/// A record found in a line: where it lies (what follows it is not read,
/// as in Spark) and whether it used a leniency of the syntax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub range: Range<usize>,
    /// Single quotes, `NaN`, a comment, …: not strict JSON.
    pub odd: bool,
}

/// Scans the record of one line, whose top level must be an object or an
/// array of objects, merging the fields of those objects into `root` by
/// `mode`.
pub fn scan_line(
    line: &[u8],
    root: &mut JsonFields,
    mode: Mode,
    syntax: &Syntax,
) -> Result<Record, Stop> {
    let mut s = Scanner {
        b: line,
        i: 0,
        mode,
        syntax: *syntax,
        odd: false,
    };
    s.bom();
    s.ws()?;
    let start = s.i;
    match s.peek() {
        Some(b'{') => s.object(Some(root), 0)?,
        Some(b'[') => {
            s.i += 1;
            s.ws()?;
            if s.peek() == Some(b']') {
                s.i += 1;
            } else {
                loop {
                    s.ws()?;
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
    Ok(Record {
        range: start..s.i,
        odd: s.odd,
    })
}

/// Whether `line` holds a well-formed record with an object (or array) at
/// the top; where it lies in the line if so.
pub fn check_line(line: &[u8], syntax: &Syntax) -> Result<Record, String> {
    match scan_line(line, &mut JsonFields::new(), Mode::Check, syntax) {
        Ok(record) => Ok(record),
        Err(Stop::Malformed(m)) => Err(*m),
        Err(Stop::Change) => unreachable!("checking scans do not stop for a change"),
    }
}

/// The scanner over one line; the specialized decoder ([`super::decode`])
/// drives it too, skipping the values it does not read.
pub(crate) struct Scanner<'a> {
    pub b: &'a [u8],
    pub i: usize,
    mode: Mode,
    syntax: Syntax,
    /// Whether a leniency of the syntax was used.
    pub odd: bool,
}

impl<'a> Scanner<'a> {
    /// A scanner that only checks well-formedness.
    pub fn check(line: &'a [u8], syntax: &Syntax) -> Self {
        Scanner {
            b: line,
            i: 0,
            mode: Mode::Check,
            syntax: *syntax,
            odd: false,
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
                return Err(Stop::malformed(format!(
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
                    // Malformed, or allowed by a leniency.
                    j = self.odd_string_rest(j)?;
                    (escaped, ascii) = (true, false);
                    break;
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
                    // Malformed, or an escape a leniency allows (`\'`, `\q`).
                    j = self.odd_string_rest(j)?;
                    ascii = false;
                    break;
                }
            }
        }
        let raw = &self.b[start..j];
        self.i = j + 1;
        if !ascii && std::str::from_utf8(raw).is_err() {
            return Err(Stop::malformed(format!(
                "invalid UTF-8 in a string at column {start}"
            )));
        }
        Ok((raw, escaped))
    }

    /// The closing quote of the string whose rest, from `j`, holds what
    /// only a leniency allows (a control character, an escape such as
    /// `\'`), checked the slow way; an error where the syntax allows none.
    #[cold]
    #[inline(never)]
    fn odd_string_rest(&mut self, j: usize) -> Result<usize, Stop> {
        match syntax::string_end(&self.b[j..], b'"', &self.syntax) {
            Ok(k) => {
                self.odd = true;
                Ok(j + k)
            }
            Err(why) => {
                self.i = j;
                Err(self.error(&why))
            }
        }
    }

    /// Checks and skips the number at `i`; returns its text.
    pub fn raw_number(&mut self) -> Result<&'a [u8], Stop> {
        let start = self.i;
        self.skip_number()?;
        Ok(&self.b[start..self.i])
    }

    /// Checks and skips a `true`, `false` or `null` literal.
    pub fn raw_literal(&mut self, word: &[u8]) -> Result<(), Stop> {
        self.literal(word)
    }

    #[cold]
    #[inline(never)]
    pub fn error(&self, what: &str) -> Stop {
        match self.peek() {
            None => Stop::malformed(format!("{what}, found the end of the line")),
            Some(c) => Stop::malformed(format!(
                "{what} at column {}, found '{}'",
                self.i + 1,
                c.escape_ascii()
            )),
        }
    }

    /// Skips whitespace (and comments, where the syntax allows them).
    /// Compact JSON has none: one test of the next byte.
    #[inline(always)]
    pub fn ws(&mut self) -> Result<(), Stop> {
        match self.peek() {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'/') => self.ws_rest(),
            _ => Ok(()),
        }
    }

    /// [`Self::ws`] past its first test.
    #[inline]
    fn ws_rest(&mut self) -> Result<(), Stop> {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
        if self.peek() == Some(b'/') && self.syntax.comments {
            return self.comments();
        }
        Ok(())
    }

    #[inline(never)]
    fn comments(&mut self) -> Result<(), Stop> {
        while self.peek() == Some(b'/') {
            match syntax::comment(&self.b[self.i..]) {
                Some(n) => self.i += n,
                None => return Err(self.error("unterminated or malformed comment")),
            }
            self.odd = true;
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.i += 1;
            }
        }
        Ok(())
    }

    /// Checks and skips a single-quoted string (at `i`, where allowed).
    #[inline(never)]
    fn single_quoted(&mut self) -> Result<(), Stop> {
        let open = self.i + 1;
        match syntax::string_end(&self.b[open..], b'\'', &self.syntax) {
            Ok(k) if std::str::from_utf8(&self.b[open..open + k]).is_ok() => {
                self.odd = true;
                self.i = open + k + 1;
                Ok(())
            }
            Ok(_) => Err(Stop::malformed(format!(
                "invalid UTF-8 in a string at column {open}"
            ))),
            Err(why) => Err(self.error(&why)),
        }
    }

    /// Skips the digits after a leading zero, where the syntax allows them.
    #[cold]
    fn leading_zeros(&mut self) -> Result<(), Stop> {
        if !self.syntax.leading_zeros {
            return Err(self.error("leading zeros are not allowed"));
        }
        self.odd = true;
        self.i += leading_digits(&self.b[self.i..]);
        Ok(())
    }

    /// Checks and skips a non-numeric number (`NaN`, `-INF`, …) at `i`.
    #[inline(never)]
    fn non_numeric(&mut self) -> Result<JsonType, Stop> {
        match syntax::non_numeric(&self.b[self.i..]) {
            Some((n, _)) if self.syntax.non_numeric_numbers => {
                self.odd = true;
                self.i += n;
                Ok(JsonType::Double)
            }
            _ => Err(self.error("expected a value")),
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
    #[inline]
    pub fn list_next(&mut self, close: u8) -> Result<bool, Stop> {
        self.ws()?;
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
        self.ws()?;
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
            Some(b'\'') if self.syntax.single_quotes => {
                self.single_quoted()?;
                self.merge(slot, JsonType::Str)
            }
            _ => {
                let t = self.non_numeric()?;
                self.merge(slot, t)
            }
        }
    }

    fn object(&mut self, fields: Option<&mut JsonFields>, depth: usize) -> Result<(), Stop> {
        // `depth` counts from 0 at the record; Jackson's levels from 1.
        if depth >= MAX_DEPTH {
            return Err(self.error(&format!("nested deeper than {MAX_DEPTH}")));
        }
        grow(|| self.object_fields(fields, depth))
    }

    fn object_fields(
        &mut self,
        mut fields: Option<&mut JsonFields>,
        depth: usize,
    ) -> Result<(), Stop> {
        self.i += 1; // '{'
        self.ws()?;
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        let mut hint = 0;
        loop {
            self.ws()?;
            let key = match self.peek() {
                Some(b'"') => self.key(fields.is_some() && self.mode != Mode::Check)?,
                _ => self.odd_key()?,
            };
            self.ws()?;
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
    fn array(&mut self, elem: Option<&mut JsonType>, depth: usize) -> Result<(), Stop> {
        if depth >= MAX_DEPTH {
            return Err(self.error(&format!("nested deeper than {MAX_DEPTH}")));
        }
        grow(|| self.array_items(elem, depth))
    }

    fn array_items(&mut self, mut elem: Option<&mut JsonType>, depth: usize) -> Result<(), Stop> {
        self.i += 1; // '['
        self.ws()?;
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
        let (raw, escaped) = self.raw_key()?;
        if !escaped || !want_text {
            return Ok(Key::Raw(raw));
        }
        syntax::unescape(raw)
            .map(Key::Owned)
            .map_err(Stop::malformed)
    }

    /// Scans a field name in single quotes or none, where the syntax
    /// allows; returns its text.
    #[inline(never)]
    fn odd_key(&mut self) -> Result<Key<'a>, Stop> {
        let start = self.i;
        match self.peek() {
            Some(b'\'') if self.syntax.single_quotes => {
                self.single_quoted()?;
                let raw = &self.b[start + 1..self.i - 1];
                if raw.len() > MAX_NAME_LEN {
                    // Measured as a double-quoted name would be.
                    let units =
                        syntax::unescape(raw).map_or(usize::MAX, |s| s.encode_utf16().count());
                    if units > MAX_NAME_LEN {
                        return Err(Stop::malformed(format!(
                            "a field name of {units} characters at column {}, longer than the {MAX_NAME_LEN} Spark reads",
                            start + 1
                        )));
                    }
                }
                syntax::unescape(raw)
                    .map(Key::Owned)
                    .map_err(Stop::malformed)
            }
            Some(c) if self.syntax.unquoted_field_names && syntax::name_byte(c) => {
                while self.peek().is_some_and(syntax::name_byte) {
                    self.i += 1;
                }
                self.odd = true;
                match std::str::from_utf8(&self.b[start..self.i]) {
                    Ok(name) => Ok(Key::Owned(name.to_string())),
                    Err(_) => Err(Stop::malformed(format!(
                        "invalid UTF-8 in a field name at column {}",
                        start + 1
                    ))),
                }
            }
            _ => Err(self.error("expected a field name")),
        }
    }

    /// Scans a number: bigint if an integer that fits, else double.
    fn number(&mut self) -> Result<JsonType, Stop> {
        let start = self.i;
        let real = self.skip_number()?;
        if self.mode == Mode::Check {
            return Ok(JsonType::Double); // the type is not needed
        }
        Ok(number_type(&self.b[start..self.i], real).into())
    }

    /// Checks and skips a number; whether it has a fraction or an exponent
    /// (or is non-numeric, `-Infinity`). No type is made: a scan that only
    /// checks has nothing to drop.
    #[inline]
    fn skip_number(&mut self) -> Result<bool, Stop> {
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
            Some(b'0') => {
                self.i += 1;
                if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.leading_zeros()?;
                }
            }
            Some(b'1'..=b'9') => {
                digits(self);
            }
            // `-Infinity`, `-INF`.
            Some(b'I') if self.i > start => {
                self.i = start;
                return self.non_numeric().map(|_| true);
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
        Ok(real)
    }
}

/// The type inferred for a well-formed number's text, as Spark's
/// `JsonInferSchema` types it; `real`: whether it has a fraction or an
/// exponent (or is non-numeric). An integer is a bigint if it fits, else
/// a decimal of its digits while they are at most 38, else a double.
#[inline]
pub(crate) fn number_type(text: &[u8], real: bool) -> Scalar {
    if real {
        return Scalar::Double;
    }
    let (negative, digits) = match text.split_first() {
        Some((b'-', digits)) => (true, digits),
        _ => (false, text),
    };
    // Leading zeros (a leniency) count for nothing.
    let digits = &digits[digits.iter().take_while(|d| **d == b'0').count()..];
    let long_max: &[u8] = if negative {
        b"9223372036854775808"
    } else {
        b"9223372036854775807"
    };
    // Digit strings of one length compare as their numbers.
    if digits.len() < long_max.len() || digits.len() == long_max.len() && digits <= long_max {
        Scalar::Long
    } else if digits.len() <= 38 {
        Scalar::Decimal(digits.len() as u8)
    } else {
        Scalar::Double
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

    fn check(line: &[u8]) -> Result<Range<usize>, String> {
        check_line(line, &Syntax::SPARK).map(|r| r.range)
    }

    fn scan(line: &[u8], root: &mut JsonFields, mode: Mode) -> Result<Range<usize>, Stop> {
        scan_line(line, root, mode, &Syntax::SPARK).map(|r| r.range)
    }

    #[test]
    fn accepts_exactly_json() {
        let good = [
            r#"{"a":1,"b":[1,{"c":null}],"d":"\u00e9\n","e":-0.5e-3,"f":true}"#,
            r#"{} "#,
            r#"[{"a":1},null,{"b":2}]"#,
            r#"[]"#,
        ];
        for g in good {
            assert_eq!(check(g.as_bytes()), Ok(0..g.trim_end().len()), "{g}");
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
            r#"{"a":INF}"#,
            r#"{"a":-NaN}"#,
            r#"{"a":'x}"#,
            r#"{"a":1 /* c */}"#,
        ];
        for b in bad {
            assert!(check(b.as_bytes()).is_err(), "{b}");
        }
        assert!(check(&[b'{', b'"', 0xff, b'"', b':', b'1', b'}']).is_err());
        assert!(check(&[b'['; 300]).is_err());
        // Nested up to Jackson's 1,000 levels, not one more.
        let nest = |n: usize| format!("{{\"x\":{}{}}}", "[".repeat(n), "]".repeat(n));
        assert!(check(nest(MAX_DEPTH - 1).as_bytes()).is_ok());
        assert!(check(nest(MAX_DEPTH).as_bytes()).is_err());
        assert!(check("[".repeat(100_000).as_bytes()).is_err());
    }

    #[test]
    fn leniencies_are_the_syntax_s_and_marked_odd() {
        let odd = |line: &str, syntax: &Syntax| check_line(line.as_bytes(), syntax).map(|r| r.odd);
        let spark = Syntax::SPARK;
        for line in [
            "{'a':1}",
            r#"{"s":'x"y'}"#,
            r#"{"s":"a\'b"}"#,
            r#"{"a":NaN,"b":[-INF,+INF,Infinity,-Infinity,+Infinity]}"#,
        ] {
            assert_eq!(odd(line, &spark), Ok(true), "{line}");
        }
        assert_eq!(odd(r#"{"a":-1,"s":"I"}"#, &spark), Ok(false));
        let strict = Syntax {
            single_quotes: false,
            non_numeric_numbers: false,
            ..spark
        };
        for line in [
            "{'a':1}",
            r#"{"s":"a\'b"}"#,
            r#"{"a":NaN}"#,
            r#"{"a":-INF}"#,
        ] {
            assert!(odd(line, &strict).is_err(), "{line}");
        }
        let all = Syntax::LENIENT;
        for line in [
            "{a-b:1, $c:2}",
            r#"{"a":/* x */1} // y"#,
            r#"/* c */ {"a":1}"#,
            r#"{"a":007,"b":-00.5}"#,
            r#"{"s":"\q\é"}"#,
            "{\"s\":\"x\ty\u{1}\"}",
        ] {
            assert_eq!(odd(line, &all), Ok(true), "{line}");
            assert!(odd(line, &spark).is_err(), "{line}");
        }
        assert!(odd(r#"{"a":1 /* open"#, &all).is_err());
        assert!(odd("{a b:1}", &all).is_err());
        // Inference reads the names and types the leniencies spell.
        let mut root = JsonFields::new();
        scan_line(b"{'a':NaN, b:'x', c:01}", &mut root, Mode::Grow, &all).unwrap();
        assert_eq!(root.get("a"), Some(&JsonType::Double));
        assert_eq!(root.get("b"), Some(&JsonType::Str));
        assert_eq!(root.get("c"), Some(&JsonType::Long));
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
        assert_eq!(check(br#"{"a":1} x"#), Ok(0..7));
        assert_eq!(check(br#"{"a":1}{"a":"#), Ok(0..7));
        assert_eq!(check(b"\xef\xbb\xbf {}\x00"), Ok(4..6));
        assert!(check(b" \xef\xbb\xbf{}").is_err());
        // Field names up to 50,000 UTF-16 units, escapes decoded.
        let key = |name: &str| format!(r#"{{"{name}":1}}"#);
        assert!(check(key(&"k".repeat(50_000)).as_bytes()).is_ok());
        assert!(check(key(&"k".repeat(50_001)).as_bytes()).is_err());
        assert!(check(key(&format!("\\u006b{}", "k".repeat(49_999))).as_bytes()).is_ok());
        assert!(check(key(&format!("\\u006b{}", "k".repeat(50_000))).as_bytes()).is_err());
        assert!(check(key(&"é".repeat(30_000)).as_bytes()).is_ok());
        let nested = format!(r#"{{"o":{{"{}":1}}}}"#, "k".repeat(50_001));
        assert!(check(nested.as_bytes()).is_err());
    }

    #[test]
    fn frozen_scans_stop_before_changing_the_schema() {
        let mut root = JsonFields::new();
        assert_eq!(
            scan(br#"{"a":1}"#, &mut root, Mode::Frozen),
            Err(Stop::Change)
        );
        assert!(root.is_empty());
        scan(br#"{"a":1,"o":{"x":"s"}}"#, &mut root, Mode::Grow).unwrap();
        assert!(scan(br#"{"a":2,"o":{"x":"t"}}"#, &mut root, Mode::Frozen).is_ok());
        assert_eq!(
            scan(br#"{"a":2.5}"#, &mut root, Mode::Frozen),
            Err(Stop::Change)
        );
        assert_eq!(
            scan(br#"{"a":2,"l":[1]}"#, &mut root, Mode::Frozen),
            Err(Stop::Change)
        );
        scan(br#"{"l":[1]}"#, &mut root, Mode::Grow).unwrap();
        assert_eq!(
            root.get("l"),
            Some(&JsonType::Array(Box::new(JsonType::Long)))
        );
        scan(br#"{"l":"s"}"#, &mut root, Mode::Grow).unwrap();
        assert_eq!(
            root.get("l"),
            Some(&JsonType::Str),
            "arrays and strings make a string"
        );
        assert_eq!(root.get("a"), Some(&JsonType::Long));
    }
}
