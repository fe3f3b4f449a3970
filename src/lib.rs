//! Typed, lossless models of the Microsoft Graph cloud communications API: calls,
//! participants, comms operations, call notifications, online meetings, presence and call
//! records.
//!
//! The models are generated from Graph's CSDL `$metadata` by `msgraph-comms-codegen` (in this
//! repository) and committed under `generated/`:
//!
//! - [`v1_0`]: the v1.0 API;
//! - `beta`: the beta API, with the cargo feature `beta`.
//!
//! Namespaces are modules: `microsoft.graph.call` is [`v1_0::Call`],
//! `microsoft.graph.callRecords.callRecord` is [`v1_0::call_records::CallRecord`].
//!
//! What a payload holds is kept, and written back:
//!
//! - every property is a [`Field`]: absent, `null`, or a value;
//! - properties the schema does not declare and instance annotations (`@odata.etag`,
//!   `@odata.type`, …) are kept in each struct's `extras` ([`odata::Extras`]), in order;
//! - a property declared as a type with derived types holds a polymorphic enum (`AnyX`)
//!   chosen by `@odata.type`; a missing or unknown tag gives the declared type, never an error;
//! - enum values decode without regard to case, unknown values are kept, and the spelling
//!   that came is written back;
//! - `Edm` values keep their exact form ([`edm`]).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod edm;
mod field;
pub mod odata;
#[cfg(feature = "tracker")]
mod tracker;
mod webhook;

pub use field::Field;

/// The Microsoft Graph v1.0 API.
pub mod v1_0 {
    include!(concat!(env!("MSGRAPH_COMMS_GENERATED"), "/v1_0/mod.rs"));

    /// The service root of this API, the `base` of [`crate::odata::Request::url`].
    pub const BASE_URL: &str = "https://graph.microsoft.com/v1.0";

    #[cfg(feature = "tracker")]
    crate::tracker::tracker!(v1_0);
}

/// The Microsoft Graph beta API.
#[cfg(feature = "beta")]
pub mod beta {
    include!(concat!(env!("MSGRAPH_COMMS_GENERATED"), "/beta/mod.rs"));

    /// The service root of this API, the `base` of [`crate::odata::Request::url`].
    pub const BASE_URL: &str = "https://graph.microsoft.com/beta";

    #[cfg(feature = "tracker")]
    crate::tracker::tracker!(beta);
}

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
