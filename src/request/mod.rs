//! The request contract (cargo feature `requests`), the second layer of the runtime: what a
//! client sends for every route of the API and what it gets back, with no HTTP client of its
//! own. The first layer, reading and writing JSON, is [`crate::odata`]; the third, a bot's
//! state, is `crate::state` (feature `tracker`). Everything public here is re-exported from
//! [`crate::odata`], where the generated code and users name it.
//!
//! - [`contract`]: the [`Request`](crate::odata::Request) trait, the entity requests at a
//!   generated location, operations, pages, answers and their errors;
//! - [`path`] and [`operation`]: paths with their keys rendered as data, function calls with
//!   their parameters as OData literals; [`query`]: query options;
//! - [`content`]: streams (`Edm.Stream` properties, `$value`), answered as bytes;
//! - [`headers`]: `Prefer`, `ConsistencyLevel`, `If-Match`, … checked before they are written;
//! - [`retry`]: `Retry-After` in every form, and a retry policy with time as an argument;
//! - [`batch`]: JSON `$batch` of typed requests, and its answers decoded per request;
//! - [`delta`]: delta pages, their items present or removed;
//! - `http` (feature `http`): requests as `http::Request`s, answers from `http::Response`s.

pub(crate) mod batch;
pub(crate) mod content;
pub(crate) mod contract;
pub(crate) mod delta;
pub(crate) mod headers;
#[cfg(feature = "http")]
pub mod http;
pub(crate) mod operation;
pub(crate) mod path;
pub(crate) mod query;
pub(crate) mod retry;
