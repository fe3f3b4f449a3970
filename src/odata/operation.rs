//! Bound actions and functions: their HTTP method, URL templates and response types, and the
//! OData literals of function URLs.

use super::{EnumType, Flags};
use crate::Field;
use crate::edm;
use std::fmt::Write as _;

/// A URL path template reached from an entry point of the API, such as
/// `/communications/calls/{call-id}/participants/invite`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathTemplate {
    /// The template, with `{key}` placeholders.
    pub template: &'static str,
    /// The names of its placeholders, in order: `["call-id"]`.
    pub keys: &'static [&'static str],
}

impl PathTemplate {
    /// The path with `values` for its keys, in order, percent-encoded; `None` when the number
    /// of values is not the number of keys.
    pub fn fill(&self, values: &[&str]) -> Option<String> {
        if values.len() != self.keys.len() {
            return None;
        }
        let mut path = self.template.to_owned();
        for (key, value) in self.keys.iter().zip(values) {
            path = path.replacen(&format!("{{{key}}}"), &encode_key(value), 1);
        }
        Some(path)
    }
}

/// A key as a path segment: percent-encoded, so that `/`, `?`, `#` and spaces stay inside it.
pub fn encode_key(key: &str) -> String {
    percent_encode(key, b"-._~!$&'()*+,;=:@")
}

/// `text` with every byte but ASCII letters, digits and `keep` percent-encoded.
fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || keep.contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A bound action or function of the API.
pub trait Operation {
    /// The qualified name, e.g. `microsoft.graph.mute`.
    const ODATA_NAME: &'static str;
    /// `POST` for an action, `GET` for a function.
    const METHOD: &'static str;
    /// Every path that reaches it from an entry point, the usual one first.
    const PATHS: &'static [PathTemplate];
    /// What the service answers with: `()` when it returns nothing.
    type Response;
}

/// A bound function: its parameters go in the URL.
pub trait Function: Operation {
    /// The last segment of the URL: `getPstnCalls(fromDateTime=2019-11-01T12:00:00Z,…)`.
    fn segment(&self) -> String;
}

/// Writes a function call segment: `name(p1=…,p2=…)`, values as OData URL literals.
#[derive(Debug)]
pub struct FunctionCall {
    text: String,
    first: bool,
}

impl FunctionCall {
    /// A call of the function named `name` (qualified, or not in the default namespace).
    pub fn new(name: &str) -> Self {
        FunctionCall { text: format!("{name}("), first: true }
    }

    /// Adds a parameter written as an OData literal; absent ones are left out.
    pub fn param<T: ODataLiteral>(&mut self, name: &str, value: &Field<T>) {
        match value {
            Field::Absent => {}
            Field::Null => self.push(name, "null"),
            Field::Value(v) => {
                let mut literal = String::new();
                v.write_literal(&mut literal);
                self.push(name, &literal);
            }
        }
    }

    /// Adds a parameter of a structured or collection type, written as JSON.
    pub fn json_param<T: serde::Serialize>(&mut self, name: &str, value: &Field<T>) {
        match value {
            Field::Absent => {}
            Field::Null => self.push(name, "null"),
            Field::Value(v) => {
                let json = serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned());
                self.push(name, &encode_literal(&json));
            }
        }
    }

    fn push(&mut self, name: &str, literal: &str) {
        if !std::mem::take(&mut self.first) {
            self.text.push(',');
        }
        self.text.push_str(name);
        self.text.push('=');
        self.text.push_str(literal);
    }

    /// The segment: `name(p1=…,p2=…)`.
    pub fn finish(mut self) -> String {
        self.text.push(')');
        self.text
    }
}

/// Percent-encodes what a literal may contain that a URL path segment may not (`+` too, which
/// a server may read as a space, and `&`).
fn encode_literal(text: &str) -> String {
    percent_encode(text, b"-._~!$'()*,;=:@")
}

/// A value written as an OData URL literal (`'text'`, `42`, `2021-07-13T08:00:00Z`, …).
pub trait ODataLiteral {
    /// Writes the literal to `out`.
    fn write_literal(&self, out: &mut String);
}

impl ODataLiteral for String {
    /// `'it''s'`: quoted, quotes doubled, percent-encoded.
    fn write_literal(&self, out: &mut String) {
        out.push('\'');
        out.push_str(&encode_literal(&self.replace('\'', "''")));
        out.push('\'');
    }
}

impl ODataLiteral for bool {
    fn write_literal(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl<T: edm::Integer> ODataLiteral for edm::Int<T> {
    fn write_literal(&self, out: &mut String) {
        let _ = write!(out, "{}", self.get());
    }
}

impl ODataLiteral for edm::Float {
    fn write_literal(&self, out: &mut String) {
        match self.get() {
            v if v.is_nan() => out.push_str("NaN"),
            f64::INFINITY => out.push_str("INF"),
            f64::NEG_INFINITY => out.push_str("-INF"),
            v => {
                let _ = write!(out, "{v:?}");
            }
        }
    }
}

impl ODataLiteral for edm::Decimal {
    fn write_literal(&self, out: &mut String) {
        match self {
            edm::Decimal::Number(n) => out.push_str(&n.to_string()),
            edm::Decimal::Text(text) => out.push_str(&encode_literal(text)),
        }
    }
}

macro_rules! unquoted_literal {
    ($($ty:ty),*) => {$(
        impl ODataLiteral for $ty {
            fn write_literal(&self, out: &mut String) {
                out.push_str(&encode_literal(self.as_str()));
            }
        }
    )*};
}

unquoted_literal!(edm::DateTimeOffset, edm::Date, edm::TimeOfDay, edm::Guid);

impl ODataLiteral for edm::Duration {
    fn write_literal(&self, out: &mut String) {
        let _ = write!(out, "duration'{}'", encode_literal(self.as_str()));
    }
}

impl ODataLiteral for edm::Binary {
    fn write_literal(&self, out: &mut String) {
        let _ = write!(out, "binary'{}'", encode_literal(self.as_str()));
    }
}

impl<E: EnumType> ODataLiteral for E {
    /// `microsoft.graph.callState'established'`.
    fn write_literal(&self, out: &mut String) {
        let _ = write!(out, "{}'{}'", E::ODATA_NAME, encode_literal(self.as_str()));
    }
}

impl<E: EnumType> ODataLiteral for Flags<E> {
    /// `microsoft.graph.modality'audio,video'`.
    fn write_literal(&self, out: &mut String) {
        let names: Vec<&str> = self.iter().map(EnumType::as_str).collect();
        let _ = write!(out, "{}'{}'", E::ODATA_NAME, encode_literal(&names.join(",")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::enums::tests::Status;

    #[test]
    fn templates_fill_their_keys_percent_encoded() {
        let path = PathTemplate {
            template: "/communications/calls/{call-id}/participants/{participant-id}/mute",
            keys: &["call-id", "participant-id"],
        };
        assert_eq!(path.fill(&["57da", "a b/c"]).unwrap(), "/communications/calls/57da/participants/a%20b%2Fc/mute");
        assert_eq!(path.fill(&["57da"]), None);
        assert_eq!(encode_key("x?y#z"), "x%3Fy%23z");
    }

    #[test]
    fn function_calls_write_odata_literals() {
        let mut call = FunctionCall::new("microsoft.graph.callRecords.getPstnCalls");
        call.param("fromDateTime", &Field::Value(edm::DateTimeOffset::new("2019-11-01T12:00:00+01:00")));
        call.param("toDateTime", &Field::<edm::DateTimeOffset>::Absent);
        call.param("userId", &Field::Value("o'brien x".to_owned()));
        call.param("top", &Field::Value(edm::Int32::new(5)));
        call.param("all", &Field::<bool>::Null);
        call.param("status", &Field::Value(Status::Running));
        call.param(
            "modes",
            &Field::Value([Status::Running, Status::NotStarted].into_iter().collect::<Flags<Status>>()),
        );
        call.param("span", &Field::Value(edm::Duration::new("-PT15M")));
        call.json_param("ids", &Field::Value(vec!["a", "b"]));
        assert_eq!(
            call.finish(),
            "microsoft.graph.callRecords.getPstnCalls(fromDateTime=2019-11-01T12:00:00%2B01:00,userId='o''brien%20x',\
             top=5,all=null,status=test.status'running',modes=test.status'running,notStarted',\
             span=duration'-PT15M',ids=%5B%22a%22,%22b%22%5D)"
        );
        let mut none = FunctionCall::new("delta");
        none.param("x", &Field::Value(edm::Float::new(f64::NAN)));
        assert_eq!(none.finish(), "delta(x=NaN)");
    }
}
