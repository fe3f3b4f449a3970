//! Bound actions and functions: their HTTP method, URL templates and response types, and the
//! OData literals of function URLs and `$filter` expressions.

use super::path::percent_encode;
use crate::Field;
use crate::edm;
use crate::odata::{EnumType, Flags, Location, PathTemplate};
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
    /// `getPstnCalls(fromDateTime=2019-11-01T12:00:00Z,…)`; an error for a parameter whose
    /// value is no valid literal of its type.
    fn segment(&self) -> Result<String, LiteralError> {
        Ok(Self::SEGMENT.to_owned())
    }
}

/// A bound action: its value is the body of a `POST`.
pub trait Action: Operation {}

/// A bound function: its parameters go in the URL ([`Operation::segment`]), it has no body.
pub trait Function: Operation {}

/// `value` as an OData literal, for `$filter` expressions: `'it''s'`, `42`,
/// `microsoft.graph.callState'established'`; an error for a value that is no valid literal of
/// its type (a `DateTimeOffset` made from text that is not one, …). Not percent-encoded:
/// [`crate::odata::Query`] encodes the whole expression.
pub fn literal<T: ODataLiteral + ?Sized>(value: &T) -> Result<String, LiteralError> {
    let mut out = String::new();
    value.write_literal(&mut out)?;
    Ok(out)
}

/// A value that is no valid OData literal of its type: nothing is written into a URL for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiteralError {
    /// The function parameter it was given for, if any.
    pub parameter: Option<String>,
    /// Its type: `Edm.DateTimeOffset`, `microsoft.graph.callState`, …
    pub edm_type: &'static str,
    /// The text (its first 100 characters, for a longer one).
    pub text: String,
    /// What a literal of the type is.
    pub expected: &'static str,
}

impl LiteralError {
    fn new(edm_type: &'static str, text: &str, expected: &'static str) -> Self {
        LiteralError { parameter: None, edm_type, text: crate::bounded::bounded(text), expected }
    }
}

impl std::fmt::Display for LiteralError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(parameter) = &self.parameter {
            write!(f, "parameter `{parameter}`: ")?;
        }
        write!(f, "`{}` is no {} literal: expected {}", self.text, self.edm_type, self.expected)
    }
}

impl std::error::Error for LiteralError {}

/// Writes a function call segment: `name(p1=…,p2=…)`, values as OData URL literals.
#[derive(Debug)]
pub struct FunctionCall {
    text: String,
    first: bool,
    /// The first parameter that is no valid literal.
    error: Option<LiteralError>,
}

impl FunctionCall {
    /// A call of the function named `name` (qualified, or not in the default namespace).
    pub fn new(name: &str) -> Self {
        FunctionCall { text: format!("{name}("), first: true, error: None }
    }

    /// Adds a parameter written as an OData literal; absent ones are left out. A value that is
    /// no valid literal of its type makes [`finish`](Self::finish) an error.
    pub fn param<T: ODataLiteral>(&mut self, name: &str, value: &Field<T>) {
        match value {
            Field::Absent => {}
            Field::Null => self.push(name, "null"),
            Field::Value(v) => match literal(v) {
                Ok(text) => self.push(name, &encode_literal(&text)),
                Err(error) => {
                    self.error.get_or_insert(LiteralError { parameter: Some(name.to_owned()), ..error });
                }
            },
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

    /// The segment, `name(p1=…,p2=…)`, or the first parameter that is no valid literal.
    pub fn finish(mut self) -> Result<String, LiteralError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        self.text.push(')');
        Ok(self.text)
    }
}

/// Percent-encodes what a literal may contain that a URL path segment may not (`+` too, which
/// a server may read as a space, and `&`).
fn encode_literal(text: &str) -> String {
    percent_encode(text, b"-._~!$'()*,;=:@")
}

/// A value written as an OData literal (`'text'`, `42`, `2021-07-13T08:00:00Z`, …), before
/// any percent-encoding: valid for its type by OData's ABNF, or an error. Values kept as text
/// (`edm::DateTimeOffset`, `Guid`, `Duration`, …, and enum members the schema does not define)
/// are parsed first: text that is not one is never written into a URL.
pub trait ODataLiteral {
    /// Writes the literal to `out`, or says why the value is none.
    fn write_literal(&self, out: &mut String) -> Result<(), LiteralError>;
}

/// `text` in single quotes, quotes doubled: a string literal, or the quoted part of a typed one.
fn quoted(out: &mut String, text: &str) {
    out.push('\'');
    out.push_str(&text.replace('\'', "''"));
    out.push('\'');
}

impl ODataLiteral for str {
    /// `'it''s'`: quoted, quotes doubled.
    fn write_literal(&self, out: &mut String) -> Result<(), LiteralError> {
        quoted(out, self);
        Ok(())
    }
}

impl ODataLiteral for String {
    fn write_literal(&self, out: &mut String) -> Result<(), LiteralError> {
        self.as_str().write_literal(out)
    }
}

impl ODataLiteral for bool {
    fn write_literal(&self, out: &mut String) -> Result<(), LiteralError> {
        out.push_str(if *self { "true" } else { "false" });
        Ok(())
    }
}

impl<T: edm::Integer> ODataLiteral for edm::Int<T> {
    fn write_literal(&self, out: &mut String) -> Result<(), LiteralError> {
        let _ = write!(out, "{}", self.get());
        Ok(())
    }
}

impl ODataLiteral for edm::Float {
    fn write_literal(&self, out: &mut String) -> Result<(), LiteralError> {
        match self.get() {
            v if v.is_nan() => out.push_str("NaN"),
            f64::INFINITY => out.push_str("INF"),
            f64::NEG_INFINITY => out.push_str("-INF"),
            v => {
                let _ = write!(out, "{v:?}");
            }
        }
        Ok(())
    }
}

impl ODataLiteral for edm::Decimal {
    fn write_literal(&self, out: &mut String) -> Result<(), LiteralError> {
        let text = match self {
            edm::Decimal::Number(n) => n.to_string(),
            edm::Decimal::Text(text) => text.clone(),
        };
        if !is_decimal(&text) {
            return Err(LiteralError::new("Edm.Decimal", &text, "[-]digits[.digits][e[-]digits], NaN, INF or -INF"));
        }
        out.push_str(&text);
        Ok(())
    }
}

/// OData's `decimalValue`: `[SIGN] 1*DIGIT ["." 1*DIGIT] ["e" [SIGN] 1*DIGIT]`, or `NaN`,
/// `INF`, `-INF`.
pub(crate) fn is_decimal(text: &str) -> bool {
    if matches!(text, "NaN" | "INF" | "-INF") {
        return true;
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let unsigned = |t: &str| t.strip_prefix(['+', '-']).unwrap_or(t).to_owned();
    let text = unsigned(text);
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(unsigned(e))),
        None => (text.as_str(), None),
    };
    let (whole, fraction) = mantissa.split_once('.').map_or((mantissa, None), |(w, f)| (w, Some(f)));
    digits(whole) && fraction.is_none_or(digits) && exponent.as_deref().is_none_or(digits)
}

/// Unquoted literals of text-kept values, each parsed before it is written.
macro_rules! parsed_literal {
    ($($ty:ty => $edm:literal, $check:expr, $expected:literal;)*) => {$(
        impl ODataLiteral for $ty {
            fn write_literal(&self, out: &mut String) -> Result<(), LiteralError> {
                let check: fn(&$ty) -> bool = $check;
                if !check(self) {
                    return Err(LiteralError::new($edm, self.as_str(), $expected));
                }
                out.push_str(self.as_str());
                Ok(())
            }
        }
    )*};
}

parsed_literal! {
    edm::DateTimeOffset => "Edm.DateTimeOffset", |v| v.parse().is_ok(), "YYYY-MM-DDThh:mm[:ss[.fffffff]](Z|±hh:mm)";
    edm::Date => "Edm.Date", |v| v.parse().is_ok(), "YYYY-MM-DD";
    edm::TimeOfDay => "Edm.TimeOfDay", |v| v.parse().is_ok(), "hh:mm[:ss[.fffffff]]";
    edm::Guid => "Edm.Guid", |v| v.to_u128().is_ok(), "8-4-4-4-12 hexadecimal digits";
}

impl ODataLiteral for edm::Duration {
    /// `duration'P1DT2H'`.
    fn write_literal(&self, out: &mut String) -> Result<(), LiteralError> {
        if self.parse().is_err() {
            return Err(LiteralError::new("Edm.Duration", self.as_str(), "[-]P[nD][T[nH][nM][n[.f]S]]"));
        }
        out.push_str("duration");
        quoted(out, self.as_str());
        Ok(())
    }
}

impl ODataLiteral for edm::Binary {
    /// `binary'AQID'`: base64url, whichever base64 the value came in.
    fn write_literal(&self, out: &mut String) -> Result<(), LiteralError> {
        let bytes = self.decode().map_err(|_| LiteralError::new("Edm.Binary", self.as_str(), "base64 or base64url"))?;
        out.push_str("binary");
        quoted(out, edm::Binary::encode_url_safe(&bytes).as_str());
        Ok(())
    }
}

/// Whether an enum member's name can be written in a literal: an OData identifier, or the
/// member's value (an integer).
fn is_member_name(name: &str) -> bool {
    let identifier = name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    let number = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    identifier || number(name.strip_prefix(['-', '+']).unwrap_or(name))
}

/// `namespace.type'member,member'`, each member's name checked.
fn enum_literal<'a, E: EnumType>(out: &mut String, members: impl Iterator<Item = &'a E>) -> Result<(), LiteralError> {
    let names: Vec<&str> = members.map(EnumType::as_str).collect();
    if let Some(bad) = names.iter().find(|name| !is_member_name(name)) {
        return Err(LiteralError::new(E::ODATA_NAME, bad, "a member's name or value"));
    }
    out.push_str(E::ODATA_NAME);
    quoted(out, &names.join(","));
    Ok(())
}

impl<E: EnumType> ODataLiteral for E {
    /// `microsoft.graph.callState'established'`.
    fn write_literal(&self, out: &mut String) -> Result<(), LiteralError> {
        enum_literal(out, std::iter::once(self))
    }
}

impl<E: EnumType> ODataLiteral for Flags<E> {
    /// `microsoft.graph.modality'audio,video'`.
    fn write_literal(&self, out: &mut String) -> Result<(), LiteralError> {
        enum_literal(out, self.iter())
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
            call.finish().unwrap(),
            "microsoft.graph.callRecords.getPstnCalls(fromDateTime=2019-11-01T12:00:00%2B01:00,userId='o''brien%20x',\
             top=5,all=null,status=test.status'running',modes=test.status'running,notStarted',\
             span=duration'-PT15M',ids=%5B%22a%22,%22b%22%5D)"
        );
        assert_eq!(literal("o'brien x").unwrap(), "'o''brien x'");
        assert_eq!(literal(&Status::Running).unwrap(), "test.status'running'");
        let mut none = FunctionCall::new("delta");
        none.param("x", &Field::Value(edm::Float::new(f64::NAN)));
        assert_eq!(none.finish().unwrap(), "delta(x=NaN)");
    }

    #[test]
    fn text_that_is_no_literal_of_its_type_is_an_error_never_written() {
        let smuggled = "2024-01-01T00:00:00Z,meetingOrganizerUserId='victim'";
        let mut call = FunctionCall::new("getAllRecordings");
        call.param("meetingOrganizerUserId", &Field::Value("me".to_owned()));
        call.param("startDateTime", &Field::Value(edm::DateTimeOffset::new(smuggled)));
        let error = call.finish().unwrap_err();
        assert_eq!(error.parameter.as_deref(), Some("startDateTime"));
        assert_eq!(error.edm_type, "Edm.DateTimeOffset");
        assert!(error.to_string().starts_with("parameter `startDateTime`: `2024-01-01T00:00:00Z,meeting"), "{error}");
        for bad in [
            literal(&edm::Date::new("2024-01-01')")),
            literal(&edm::TimeOfDay::new("25:00")),
            literal(&edm::Guid::new("0fe0623f-d628-42ed-b4bd-8ac290072cc5'")),
            literal(&edm::Decimal::Text("1,x=2".into())),
            literal(&edm::Duration::new("PT1H'),x=('")),
            literal(&edm::Binary::new("AQID'")),
            literal(&Status::Unrecognized("a'b".into())),
            literal(&[Status::Running, Status::Unrecognized("x=1".into())].into_iter().collect::<Flags<Status>>()),
        ] {
            assert!(bad.is_err(), "{bad:?}");
        }
        assert_eq!(literal(&edm::Duration::new("-PT15M")).unwrap(), "duration'-PT15M'");
        assert_eq!(literal(&edm::Binary::new("AQID+/8=")).unwrap(), "binary'AQID-_8'");
        assert_eq!(literal(&edm::Decimal::Text("-1.5e-3".into())).unwrap(), "-1.5e-3");
        assert_eq!(literal(&Status::Unrecognized("future_1".into())).unwrap(), "test.status'future_1'");
        assert_eq!(literal(&Status::Unrecognized("7".into())).unwrap(), "test.status'7'");
        let long = "x".repeat(10_000);
        assert!(literal(&edm::Guid::new(long)).unwrap_err().to_string().len() < 300, "a bounded message");
    }
}
