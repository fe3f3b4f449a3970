//! The OData runtime shared by the generated models.
//!
//! - [`Extras`] keeps what a type does not declare, in order, and writes it back;
//! - [`EnumType`] and [`Flags`]: enum values decode without regard to case, values the schema
//!   does not know are kept, and the spelling that came is written back;
//! - [`ODataObject`], [`Structured`] and [`Polymorphic`]: how generated structs and
//!   polymorphic enums read (one pass, `@odata.type` peeked) and write JSON objects;
//! - [`Merge`]: partial values (notifications, `PATCH` bodies) merged into whole ones, and the
//!   smallest partial value between two values;
//! - [`same_id`] and [`IdKey`]: ids compared, and kept as map keys, in every spelling Graph
//!   uses for GUIDs;
//! - [`inspect`]: which properties of a decoded value are typed and which are extras;
//! - with the cargo feature `requests`, `Request`: what a client sends and what it gets back,
//!   for every route of the API (entity requests at a generated `Location`, bound actions and
//!   functions, query options, pages, JSON batches, request headers, retry timing, delta
//!   pages, `http` conversions with the feature `http`);
#![cfg_attr(
    feature = "requests",
    doc = "  here: [`Request`]; [`Get`], [`List`], [`Create`], [`Update`] and [`Delete`] at a",
    doc = "  generated [`Location`] (`call::Item`); [`Invoke`] of an [`Action`], [`CallFunction`] of a",
    doc = "  [`Function`]; [`NextPage`], [`Query`], [`Page`], [`NoContent`]; [`render_path`], which",
    doc = "  keeps keys data for their segment; [`Batch`] and [`BatchAnswers`] (JSON batching);",
    doc = "  [`RequestHeaders`] and [`Prefer`]; [`RetryAfter`] and [`RetryPolicy`]; [`DeltaPage`];"
)]
//! - Graph's error body: [`GraphError`] (and, for requests, `AnswerError`);
//! - [`route`]: which request (or which entity) a method and URL target;
//! - [`TypeInfo`] and [`round_trip`]: decode and encode a type chosen at run time (and with
//!   the feature `registry`, `RequestInfo`: build a request chosen at run time).

mod compare;
pub(crate) mod enums;
mod error;
mod extras;
mod identity;
mod ids;
mod inspect;
mod merge;
mod object;
mod one_or_many;
mod permission;
mod read;
mod registry;
mod route;
#[cfg(feature = "requests")]
mod value_response;

#[cfg(feature = "requests")]
pub use crate::request::batch::{Batch, BatchAnswers, BatchError, BatchItem, BatchItemAnswer, MAX_BATCH_REQUESTS};
#[cfg(feature = "requests")]
pub use crate::request::content::{Content, GetContent, StreamProperty};
#[cfg(feature = "requests")]
pub use crate::request::contract::{
    Answer, AnswerError, AnyRequest, CallFunction, Create, Delete, Get, Invoke, List, MakeRequest, NextPage, NoBody,
    NoContent, Page, Request, RequestInfo, RetryAfter, Update, UrlError, boxed, decode_answer, find_request, key_value,
    request_body,
};
#[cfg(feature = "requests")]
pub use crate::request::delta::{Change, DeltaPage, RemovedReason};
#[cfg(feature = "requests")]
pub use crate::request::headers::{HeaderError, Prefer, Preference, RequestHeaders, WithHeaders};
#[cfg(feature = "http")]
pub use crate::request::http;
#[cfg(feature = "requests")]
pub use crate::request::operation::{Action, Function, FunctionCall, LiteralError, ODataLiteral, Operation, literal};
#[cfg(feature = "requests")]
pub use crate::request::path::{
    CollectionLocation, Deletable, EntityLocation, ItemLocation, Location, PathTemplate, Unreachable, debug_location,
    encode_key, key_values, reads_as_a_name, render_path, same_location,
};
#[cfg(feature = "requests")]
pub use crate::request::query::{Navigation, OrderBy, Property, Query};
#[cfg(feature = "requests")]
pub use crate::request::retry::{Retry, RetryPolicy, StopReason, http_date};
pub use compare::json_difference;
pub use enums::{
    EnumType, Flags, deserialize_enum, serialize_enum, wire_spelling, wire_spelling_at, write_enum,
    write_enum_collection,
};
pub use error::{ErrorDetail, GraphError, InnerError, ODataError};
pub use extras::Extras;
pub use identity::{IDENTITY_KINDS, PrimaryIdentity, primary_identity};
pub use ids::{IdKey, guid_value, same_id};
pub use inspect::{Inspection, inspect};
pub use merge::Merge;
pub use object::{
    ODATA_TYPE, ODataObject, Polymorphic, PropertyWriter, Structured, debug_object, deserialize_polymorphic,
    deserialize_struct, retype, serialize_object, write_property,
};
pub use one_or_many::OneOrMany;
pub use permission::{Permission, Scheme, least_privileged, permissions_for};
pub use read::{
    BoxedSlot, Entries, EnumSlot, EnumsSlot, OtherSlot, PolymorphicSlot, PolymorphicTarget, PolymorphicsSlot, Slot,
    StructSlot, StructsSlot,
};
pub use registry::{RoundTrip, TypeInfo, find_type, round_trip};
pub(crate) use route::api_router;
pub(crate) use route::form_decode;
pub use route::{ResourceTarget, Route, RouteMatch, Router, percent_decode, route};
#[cfg(feature = "requests")]
pub use value_response::ValueResponse;
