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
//! Every property is optional on read (Graph sends partial objects); properties the schema
//! does not declare and instance annotations are kept in each struct's `extras`
//! ([`odata::Extras`]) and written back; enum values the schema does not define are kept.

pub mod edm;
pub mod odata;

/// The Microsoft Graph v1.0 API.
pub mod v1_0 {
    include!(concat!(env!("MSGRAPH_COMMS_GENERATED"), "/v1_0/mod.rs"));
}

/// The Microsoft Graph beta API.
#[cfg(feature = "beta")]
pub mod beta {
    include!(concat!(env!("MSGRAPH_COMMS_GENERATED"), "/beta/mod.rs"));
}

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
