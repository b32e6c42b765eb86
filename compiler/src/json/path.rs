//! `get_json_object`'s JSON paths, as Spark's `JsonPathParser` reads them
//! (`$`, `.name`, `['name']`, `[n]`, `[*]`, `.*`) and its
//! `GetJsonObjectEvaluator` walks them: the first field of a name wins, a
//! null leaf matches nothing, a string leaf comes back without quotes, and
//! `[*]` gathers its matches into an array (unwrapped when there is one).

use super::{write_string, Json};

/// One step of a path.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    /// `.name`, `['name']` (Spark's `Key :: Named(name)`).
    Named(String),
    /// `[n]`.
    Index(u64),
    /// `[*]` (`Subscript :: Wildcard`).
    EachElement,
    /// `.*`, `['*']` (a bare `Wildcard`, which matches no object field).
    AnyChild,
}

/// A parsed path; `None` for text Spark's parser does not accept.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonPath(Vec<Step>);

impl JsonPath {
    pub fn parse(text: &str) -> Option<JsonPath> {
        let rest = text.trim_start().strip_prefix('$')?;
        let mut steps = Vec::new();
        let mut s = rest.trim_start();
        while !s.is_empty() {
            if let Some(r) = s.strip_prefix(".*").or_else(|| s.strip_prefix("['*']")) {
                steps.push(Step::AnyChild);
                s = r;
            } else if let Some(r) = s.strip_prefix("['") {
                let end = r.find(['\'', '?'])?;
                if end == 0 || !r[end..].starts_with("']") {
                    return None;
                }
                steps.push(Step::Named(r[..end].to_string()));
                s = &r[end + 2..];
            } else if let Some(r) = s.strip_prefix('.') {
                let r = r.trim_start();
                let end = r.find(['.', '[']).unwrap_or(r.len());
                if end == 0 {
                    return None;
                }
                steps.push(Step::Named(r[..end].to_string()));
                s = &r[end..];
            } else if let Some(r) = s.strip_prefix('[') {
                let r = r.trim_start();
                let end = r.find(']')?;
                let inner = r[..end].trim_end();
                if inner == "*" {
                    steps.push(Step::EachElement);
                } else if !inner.is_empty() && inner.bytes().all(|c| c.is_ascii_digit()) {
                    steps.push(Step::Index(inner.parse().ok()?));
                } else {
                    return None;
                }
                s = &r[end + 1..];
            } else {
                return None;
            }
            s = s.trim_start();
        }
        Some(JsonPath(steps))
    }

    /// The text `get_json_object` gives for `doc`, or `None` (no match).
    pub fn extract(&self, doc: &Json) -> Option<String> {
        let mut g = Gen::default();
        evaluate(doc, &mut g, Style::Raw, &self.0).then_some(g.out)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Raw,
    Quoted,
    Flatten,
}

/// Jackson's generator as the evaluator uses it: values separated by
/// commas inside arrays.
#[derive(Default)]
struct Gen {
    out: String,
    /// Per open array, whether it holds a value yet.
    open: Vec<bool>,
}

impl Gen {
    fn before_value(&mut self) {
        if let Some(has) = self.open.last_mut() {
            if *has {
                self.out.push(',');
            }
            *has = true;
        }
    }
    fn start_array(&mut self) {
        self.before_value();
        self.out.push('[');
        self.open.push(false);
    }
    fn end_array(&mut self) {
        self.open.pop();
        self.out.push(']');
    }
    fn value(&mut self, v: &Json) {
        self.before_value();
        v.write(&mut self.out);
    }
    fn raw_value(&mut self, text: &str) {
        self.before_value();
        self.out.push_str(text);
    }
}

fn evaluate(v: &Json, g: &mut Gen, style: Style, path: &[Step]) -> bool {
    crate::depth::grow(|| evaluate_node(v, g, style, path))
}

fn evaluate_node(v: &Json, g: &mut Gen, style: Style, path: &[Step]) -> bool {
    match (v, path) {
        (Json::String(s), []) if style == Style::Raw => {
            g.out.push_str(s);
            true
        }
        (Json::Array(items), []) if style == Style::Flatten => {
            let mut dirty = false;
            for item in items {
                dirty |= evaluate(item, g, style, &[]);
            }
            dirty
        }
        (_, []) => {
            g.value(v);
            true
        }
        (Json::Object(fields), [Step::Named(name), rest @ ..]) => {
            // The first field of that name that matches (a null does not).
            fields
                .iter()
                .filter(|(k, c)| k == name && *c != Json::Null)
                .any(|(_, child)| evaluate(child, g, style, rest))
        }
        (Json::Array(items), [Step::EachElement, Step::EachElement, rest @ ..])
            if style != Style::Quoted =>
        {
            let mut dirty = false;
            g.start_array();
            for item in items {
                dirty |= evaluate(item, g, Style::Flatten, rest);
            }
            g.end_array();
            dirty
        }
        (Json::Array(items), [Step::EachElement, rest @ ..]) if style != Style::Quoted => {
            let next = if style == Style::Raw {
                Style::Quoted
            } else {
                Style::Flatten
            };
            let mut buf = Gen::default();
            buf.start_array();
            let mut dirty = 0;
            for item in items {
                dirty += usize::from(evaluate(item, &mut buf, next, rest));
            }
            buf.end_array();
            match dirty {
                0 => {}
                1 => g.raw_value(&buf.out[1..buf.out.len() - 1]),
                _ => g.raw_value(&buf.out),
            }
            dirty > 0
        }
        (Json::Array(items), [Step::EachElement, rest @ ..]) => {
            let mut dirty = false;
            g.start_array();
            for item in items {
                dirty |= evaluate(item, g, Style::Quoted, rest);
            }
            g.end_array();
            dirty
        }
        (Json::Array(items), [Step::Index(i), rest @ ..]) => {
            let style = if matches!(rest.first(), Some(Step::EachElement)) {
                Style::Quoted
            } else {
                style
            };
            match usize::try_from(*i).ok().and_then(|i| items.get(i)) {
                Some(item) => evaluate(item, g, style, rest),
                None => false,
            }
        }
        _ => false,
    }
}

/// A string value as `json_tuple` and `get_json_object` quote it inside
/// JSON text.
pub fn quoted(s: &str) -> String {
    let mut out = String::new();
    write_string(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(doc: &str, path: &str) -> Option<String> {
        JsonPath::parse(path)?.extract(&super::super::parse(doc).ok()?)
    }

    #[test]
    fn answers_as_spark() {
        let d = r#"{"a":{"b":[1,2,{"c":"x"}]},"d":1.50,"e":null, "f":true}"#;
        assert_eq!(get(d, "$.a").as_deref(), Some(r#"{"b":[1,2,{"c":"x"}]}"#));
        assert_eq!(get(d, "$.a.b[2].c").as_deref(), Some("x"));
        assert_eq!(get(d, "$.a.b[*]").as_deref(), Some(r#"[1,2,{"c":"x"}]"#));
        assert_eq!(get(d, "$.d").as_deref(), Some("1.5"));
        assert_eq!(get(d, "$.e"), None);
        assert_eq!(get(d, "$.f").as_deref(), Some("true"));
        assert_eq!(get(d, "$.a['b']").as_deref(), Some("[1,2,{\"c\":\"x\"}]"));
        for none in ["$.zz", "a", "$[0]", "$.a.b[5]", "$..a"] {
            assert_eq!(get(d, none), None, "{none}");
        }
        assert_eq!(
            get(r#"[{"a":1},{"a":2}]"#, "$[*].a").as_deref(),
            Some("[1,2]")
        );
        assert_eq!(
            get(r#"{"a":[{"b":1},{"c":2}]}"#, "$.a[*].b").as_deref(),
            Some("1")
        );
        assert_eq!(
            get(r#"{"a":["x","y"]}"#, "$.a").as_deref(),
            Some(r#"["x","y"]"#)
        );
        assert_eq!(get(r#"{"a":1,"a":2}"#, "$.a").as_deref(), Some("1"));
    }
}
