//! Bound actions and functions: their HTTP method, URL templates and response types, and the
//! OData literals of function URLs and `$filter` expressions.

use super::path::percent_encode;
use super::{EnumType, Flags, Location, PathTemplate};
use crate::Field;
use crate::edm;
use std::fmt::Write as _;

/// A bound action (the value is its request body) or function (the value holds its
/// parameters). Send an action with [`crate::odata::Invoke`] and a function with
/// [`crate::odata::CallFunction`]: they know where it goes.
pub trait Operation {
    /// The qualified name, e.g. `microsoft.graph.mute`.
    const ODATA_NAME: &'static str;
    /// `POST` for an action, `GET` for a function.
    const METHOD: &'static str;
    /// Every path that reaches it from an entry point, the usual one first: the templates of
    /// [`Operation::Binding`], in the same order, each followed by the operation's segment.
    const PATHS: &'static [PathTemplate];
    /// Where it is bound: the location type of its binding entity (or collection).
    type Binding: Location;
    /// What the service answers with ([`crate::odata::NoContent`] when it returns nothing).
    type Response;
    /// Its name in a URL: unqualified in the default namespace (`mute`), qualified elsewhere
    /// (`microsoft.graph.callRecords.getPstnCalls`).
    const SEGMENT: &'static str;

    /// The last segment of the URL: [`Operation::SEGMENT`] for an action, and for a function
    /// its call with the parameters as OData literals,
    /// `getPstnCalls(fromDateTime=2019-11-01T12:00:00Z,…)`.
    fn segment(&self) -> String {
        Self::SEGMENT.to_owned()
    }
}

/// A bound action: its value is the body of a `POST`.
pub trait Action: Operation {}

/// A bound function: its parameters go in the URL ([`Operation::segment`]), it has no body.
pub trait Function: Operation {}

/// `value` as an OData literal, for `$filter` expressions: `'it''s'`, `42`,
/// `microsoft.graph.callState'established'`. Not percent-encoded: [`crate::odata::Query`]
/// encodes the whole expression.
pub fn literal<T: ODataLiteral + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_literal(&mut out);
    out
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
            Field::Value(v) => self.push(name, &encode_literal(&literal(v))),
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

/// A value written as an OData literal (`'text'`, `42`, `2021-07-13T08:00:00Z`, …), before
/// any percent-encoding.
pub trait ODataLiteral {
    /// Writes the literal to `out`.
    fn write_literal(&self, out: &mut String);
}

impl ODataLiteral for str {
    /// `'it''s'`: quoted, quotes doubled.
    fn write_literal(&self, out: &mut String) {
        out.push('\'');
        out.push_str(&self.replace('\'', "''"));
        out.push('\'');
    }
}

impl ODataLiteral for String {
    fn write_literal(&self, out: &mut String) {
        self.as_str().write_literal(out);
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
            edm::Decimal::Text(text) => out.push_str(text),
        }
    }
}

macro_rules! unquoted_literal {
    ($($ty:ty),*) => {$(
        impl ODataLiteral for $ty {
            fn write_literal(&self, out: &mut String) {
                out.push_str(self.as_str());
            }
        }
    )*};
}

unquoted_literal!(edm::DateTimeOffset, edm::Date, edm::TimeOfDay, edm::Guid);

impl ODataLiteral for edm::Duration {
    fn write_literal(&self, out: &mut String) {
        let _ = write!(out, "duration'{}'", self.as_str());
    }
}

impl ODataLiteral for edm::Binary {
    fn write_literal(&self, out: &mut String) {
        let _ = write!(out, "binary'{}'", self.as_str());
    }
}

impl<E: EnumType> ODataLiteral for E {
    /// `microsoft.graph.callState'established'`.
    fn write_literal(&self, out: &mut String) {
        let _ = write!(out, "{}'{}'", E::ODATA_NAME, self.as_str());
    }
}

impl<E: EnumType> ODataLiteral for Flags<E> {
    /// `microsoft.graph.modality'audio,video'`.
    fn write_literal(&self, out: &mut String) {
        let names: Vec<&str> = self.iter().map(EnumType::as_str).collect();
        let _ = write!(out, "{}'{}'", E::ODATA_NAME, names.join(","));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::enums::tests::Status;

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
        assert_eq!(literal("o'brien x"), "'o''brien x'");
        assert_eq!(literal(&Status::Running), "test.status'running'");
        let mut none = FunctionCall::new("delta");
        none.param("x", &Field::Value(edm::Float::new(f64::NAN)));
        assert_eq!(none.finish(), "delta(x=NaN)");
    }
}
