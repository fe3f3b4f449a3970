//! Typed, lossless models of the Microsoft Graph cloud communications API: calls,
//! participants, comms operations, call notifications, online meetings, presence and call
//! records.
//!
//! The models are generated from Graph's CSDL `$metadata` by `msgraph-comms-codegen` (in this
//! repository) and committed under `generated/`:
//!
//! - [`v1_0`]: the v1.0 API;
//! - `beta`: the beta API, with the cargo feature `beta`;
//! - [`change_notifications`]: what a receiver of Graph's change notifications needs (the
//!   handshake, `clientState` checks; decryption and validation tokens with the cargo
//!   features `decrypt` and `jwt`).
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

mod bounded;
#[cfg(feature = "jwt")]
pub mod callback;
pub mod change_notifications;
pub mod edm;
mod field;
#[cfg(feature = "jwt")]
mod jwt;
pub mod odata;
#[cfg(feature = "requests")]
mod request;
#[cfg(feature = "tracker")]
mod state;
mod webhook;

pub use field::Field;

/// The Microsoft Graph v1.0 API: its types, and with the cargo feature `requests` beside each
/// entity type the module of its requests (`call` for [`Call`](crate::v1_0::Call)).
///
/// Where to start:
///
/// - **a calling bot's webhook**: [`CommsNotifications`](crate::v1_0::CommsNotifications), each
///   notification's resource typed, its ids read from its URL
///   ([`CommsNotification::resource_path`](crate::v1_0::CommsNotification::resource_path) and the
///   methods beside it); with the cargo feature `tracker`, `tracker::Tracker` keeps calls,
///   rosters and operations from them;
/// - **calls**: [`Call`](crate::v1_0::Call), and in `call` (feature `requests`) where a call is
///   (`call::Item`) and what is sent to it: `call::Create`, `call::Get`, `call::Delete`,
///   `call::Answer`, `call::PlayPrompt`, …;
/// - **participants**: [`Participant`](crate::v1_0::Participant), `participant`
///   (`participant::Mute`, `participant::Invite`, …), who a participant is:
///   [`AnyIdentitySet::primary`](crate::v1_0::AnyIdentitySet::primary);
/// - **operations**: [`AnyCommsOperation`](crate::v1_0::AnyCommsOperation), every operation seen as
///   a comms operation;
/// - **online meetings** and **presence**: [`OnlineMeeting`](crate::v1_0::OnlineMeeting),
///   `online_meeting`, [`Presence`](crate::v1_0::Presence), `presence`;
/// - **call records**: [`call_records::CallRecord`](crate::v1_0::call_records::CallRecord) and its
///   requests in `call_records::call_record`;
/// - **change notifications** of call records, presence and meetings:
///   [`ChangeNotificationCollection`](crate::v1_0::ChangeNotificationCollection) (what Graph
///   posts), [`Subscription`](crate::v1_0::Subscription) and its requests in
///   `subscription`; the handshake, the checks, decryption and validation tokens in
///   [`crate::change_notifications`];
/// - **every route** (method, template, body and answer types, permissions):
///   [`ROUTES`](crate::v1_0::ROUTES), matched by [`odata::route`].
///
/// Each struct's documentation says its OData type, links to its page on learn.microsoft.com
/// and (with the feature `requests`) to its requests module; each request's, its paths and the
/// permissions that allow it.
pub mod v1_0 {
    include!(concat!(env!("MSGRAPH_COMMS_GENERATED"), "/v1_0/mod.rs"));

    /// The service root of this API: the `base` of a request's URL (`odata::Request::url`).
    pub const BASE_URL: &str = "https://graph.microsoft.com/v1.0";

    crate::odata::api_router!();

    /// A call-state tracker: what a calling bot keeps from its notifications (cargo feature
    /// `tracker`). Feed it webhook bodies (and the answers of the bot's own requests); it keeps
    /// the calls, their rosters and the operations the bot started, merges each partial
    /// resource in ([`Merge`](crate::odata::Merge)), and says what changed as
    /// [`Event`](tracker::Event)s, in order; it says which calls need a `keepAlive` when, and
    /// its whole state saves to JSON and restores. See [`Tracker`](tracker::Tracker).
    #[cfg(feature = "tracker")]
    pub mod tracker {
        crate::state::tracker!(v1_0, typed_delta_roster);
    }
}

/// The Microsoft Graph beta API, the same way as [`v1_0`] (generated from an older schema:
/// see the README).
#[cfg(feature = "beta")]
pub mod beta {
    include!(concat!(env!("MSGRAPH_COMMS_GENERATED"), "/beta/mod.rs"));

    /// The service root of this API: the `base` of a request's URL (`odata::Request::url`).
    pub const BASE_URL: &str = "https://graph.microsoft.com/beta";

    crate::odata::api_router!();

    /// A call-state tracker for the beta API, as [`v1_0::tracker`](crate::v1_0::tracker) is
    /// for v1.0 (cargo feature `tracker`). The beta schema pinned has no `removedState` or
    /// `rosterSequenceNumber`: they are read from a participant's extras when they come.
    #[cfg(feature = "tracker")]
    pub mod tracker {
        crate::state::tracker!(beta);
    }
}

/// The README's examples, compiled and run as doctests: with the feature `requests`, which
/// several of them use (the README's test command turns it on).
#[doc = include_str!("../README.md")]
#[cfg(all(doctest, feature = "requests"))]
pub struct ReadmeDoctests;
