//! `Edm` primitive values whose JSON form a plain Rust type would not keep.
//!
//! - Text types ([`DateTimeOffset`], [`Date`], [`TimeOfDay`], [`Duration`], [`Guid`],
//!   [`Binary`]) keep the exact text they were given (`2018-09-06T15:58:41.1234567Z` keeps its
//!   seven fractional digits, `-PT15M` its sign) and parse it on request.
//! - integers ([`Int64`], [`Int32`], …) never go through `f64` and accept their string form
//!   (`"9007199254740993"`, as sent with `IEEE754Compatible=true`, or `"0"`); [`Float`] (`Edm.Double`, `Edm.Single`) accepts
//!   `"INF"`, `"-INF"` and `"NaN"`; [`Decimal`] keeps a number or a string as it came. Each
//!   writes back the form it was read in.

mod convert;
mod number;
mod text;

pub use number::{Byte, Decimal, Float, Int, Int16, Int32, Int64, Integer, SByte};
pub(crate) use text::hex_digits;
// The calendar, for the HTTP dates of `Retry-After`.
pub use text::{
    Binary, Date, DateParts, DateTimeOffset, DateTimeParts, Duration, DurationParts, Guid, TimeOfDay, TimeParts,
};
#[cfg(feature = "requests")]
pub(crate) use text::{days_from_civil, is_date};

use std::fmt;

/// A text value that does not have the form of its `Edm` type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EdmError {
    /// `Edm.DateTimeOffset`, …
    pub edm_type: &'static str,
    /// The text as given.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for EdmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not an {}: {}", self.text, self.edm_type, self.reason)
    }
}

impl std::error::Error for EdmError {}
