//! `Edm` primitive values that are written as text in JSON. Each keeps the exact text it was
//! given, so that a value re-encodes byte for byte (`2018-09-06T15:58:41.1234567Z` keeps its
//! seven fractional digits, `-PT15M` its sign).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! edm_text {
    ($(#[$doc:meta])* $name:ident, $edm:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The `Edm` type this stands for.
            pub const EDM_NAME: &'static str = $edm;

            /// A value from its text, kept exactly as given.
            pub fn new(text: impl Into<String>) -> Self {
                $name(text.into())
            }

            /// The text, exactly as received or given.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                $name(text)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name(text.to_owned())
            }
        }
    };
}

edm_text!(
    /// `Edm.DateTimeOffset`: an ISO 8601 date and time with offset, e.g. `2021-07-13T08:00:00.1234567Z`.
    DateTimeOffset,
    "Edm.DateTimeOffset"
);
edm_text!(
    /// `Edm.Date`: a calendar date, e.g. `2021-07-13`.
    Date,
    "Edm.Date"
);
edm_text!(
    /// `Edm.TimeOfDay`: a time of day, e.g. `08:30:00.0000000`.
    TimeOfDay,
    "Edm.TimeOfDay"
);
edm_text!(
    /// `Edm.Duration`: an ISO 8601 duration, e.g. `PT1M30S` or `-PT15M`.
    Duration,
    "Edm.Duration"
);
edm_text!(
    /// `Edm.Guid`: a GUID in its 8-4-4-4-12 hexadecimal form.
    Guid,
    "Edm.Guid"
);
edm_text!(
    /// `Edm.Binary`: base64url-encoded bytes.
    Binary,
    "Edm.Binary"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_keep_their_exact_text() {
        for text in ["\"2018-09-06T15:58:41.1234567Z\"", "\"-PT15M\""] {
            let value: DateTimeOffset = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&value).unwrap(), text);
        }
        let guid = Guid::new("550fae72-d251-43ec-868c-373732c2704f");
        assert_eq!(guid.to_string(), guid.as_str());
        assert_eq!(Duration::from("PT1S").into_string(), "PT1S");
        assert_eq!(Date::EDM_NAME, "Edm.Date");
    }
}
