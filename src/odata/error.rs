//! Graph's error body, `{"error": {"code", "message", "innerError": {…}, "details": […]}}`,
//! typed and lossless: what it does not declare is kept in `extras`.

use super::{Extras, ODataObject, Slot, Structured, deserialize_struct, serialize_object, write_property};
use crate::Field;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A struct of this module: its JSON properties, read and written in one pass like the
/// generated types, and everything else in `extras`.
macro_rules! error_struct {
    ($name:ident, $odata:literal, { $($field:ident: $slot:ident = $json:literal),* $(,)? }) => {
        impl ODataObject for $name {
            fn slot(&mut self, key: &str) -> Option<Slot<'_>> {
                Some(match key {
                    $($json => Slot::$slot(&mut self.$field),)*
                    _ => return None,
                })
            }

            fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                $(write_property(map, $json, &self.$field)?;)*
                Ok(())
            }

            fn extras(&self) -> &Extras {
                &self.extras
            }

            fn extras_mut(&mut self) -> &mut Extras {
                &mut self.extras
            }
        }

        impl Structured for $name {
            const ODATA_TAG: &'static str = concat!("#", $odata);
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_object(self, serializer, None)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize_struct(deserializer)
            }
        }
    };
}

/// The body of an answer with an error status: `{"error": {…}}`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GraphError {
    /// The error.
    pub error: Field<ODataError>,
    /// Anything else the body held.
    pub extras: Extras,
}

/// What went wrong: a code, a message, the request's identifiers, details.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ODataError {
    /// `BadRequest`, `UnknownError`, `itemNotFound`, …
    pub code: Field<String>,
    /// For people.
    pub message: Field<String>,
    /// The property or parameter at fault, when there is one.
    pub target: Field<String>,
    /// Further errors.
    pub details: Field<Vec<ErrorDetail>>,
    /// `innerError`: the request's ids and date (a nested `innerError` stays in its extras).
    pub inner_error: Field<InnerError>,
    /// Anything else it held.
    pub extras: Extras,
}

/// One of [`ODataError::details`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorDetail {
    /// Its code.
    pub code: Field<String>,
    /// Its message.
    pub message: Field<String>,
    /// Its target.
    pub target: Field<String>,
    /// Anything else it held.
    pub extras: Extras,
}

/// `innerError`: what identifies the request to Microsoft support.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InnerError {
    /// `request-id`.
    pub request_id: Field<String>,
    /// `client-request-id`: the `client-request-id` header the request sent, if any.
    pub client_request_id: Field<String>,
    /// `date`, as the service wrote it.
    pub date: Field<String>,
    /// Anything else it held (`code`, a nested `innerError`, …).
    pub extras: Extras,
}

error_struct!(GraphError, "Graph error", { error: Struct = "error" });
error_struct!(ODataError, "OData error", {
    code: Text = "code",
    message: Text = "message",
    target: Text = "target",
    details: Structs = "details",
    inner_error: Struct = "innerError",
});
error_struct!(ErrorDetail, "OData error detail", {
    code: Text = "code",
    message: Text = "message",
    target: Text = "target",
});
error_struct!(InnerError, "OData inner error", {
    request_id: Text = "request-id",
    client_request_id: Text = "client-request-id",
    date: Text = "date",
});

impl GraphError {
    /// The error's code, when it has one.
    pub fn code(&self) -> Option<&str> {
        self.error.value()?.code.value().map(String::as_str)
    }

    /// The error's message, when it has one.
    pub fn message(&self) -> Option<&str> {
        self.error.value()?.message.value().map(String::as_str)
    }

    /// The `request-id` of `innerError`, when it has one.
    pub fn request_id(&self) -> Option<&str> {
        self.error.value()?.inner_error.value()?.request_id.value().map(String::as_str)
    }
}

/// `Forbidden: Insufficient privileges (request-id 9a1e…, date 2026-11-30T10:00:00)`.
impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code().unwrap_or("Graph error"))?;
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        let inner = self.error.value().and_then(|e| e.inner_error.value());
        let date = inner.and_then(|i| i.date.value());
        match (self.request_id(), date) {
            (Some(id), Some(date)) => write!(f, " (request-id {id}, date {date})"),
            (Some(id), None) => write!(f, " (request-id {id})"),
            (None, Some(date)) => write!(f, " (date {date})"),
            (None, None) => Ok(()),
        }
    }
}

impl std::error::Error for GraphError {}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"error":{"code":"Forbidden","message":"Insufficient privileges","target":"callbackUri",
        "innerError":{"request-id":"9a1e","client-request-id":"c2","date":"2026-11-30T10:00:00","code":"x",
                      "innerError":{"code":"deeper"}},
        "details":[{"code":"d1","message":"m1","more":1}],"@odata.thing":true},"extra":[1]}"#;

    #[test]
    fn decodes_displays_and_round_trips_losslessly() {
        let error: GraphError = serde_json::from_str(BODY).unwrap();
        assert_eq!(error.code(), Some("Forbidden"));
        assert_eq!(error.request_id(), Some("9a1e"));
        let odata = error.error.value().unwrap();
        assert_eq!(odata.details.value().unwrap()[0].extras.get("more").unwrap(), 1);
        assert_eq!(odata.inner_error.value().unwrap().extras.len(), 2);
        assert_eq!(error.to_string(), "Forbidden: Insufficient privileges (request-id 9a1e, date 2026-11-30T10:00:00)");
        let again = serde_json::to_value(&error).unwrap();
        assert_eq!(again, serde_json::from_str::<serde_json::Value>(BODY).unwrap());
    }

    #[test]
    fn partial_errors_still_display() {
        let error: GraphError = serde_json::from_str(r#"{"error":{"message":"m"}}"#).unwrap();
        assert_eq!(error.to_string(), "Graph error: m");
        let error: GraphError = serde_json::from_str(r#"{"error":{"code":"c","innerError":{"date":"d"}}}"#).unwrap();
        assert_eq!(error.to_string(), "c (date d)");
        assert!(
            serde_json::from_str::<GraphError>(r#"{"error":{"code":5}}"#).unwrap_err().to_string().contains("code")
        );
    }
}
