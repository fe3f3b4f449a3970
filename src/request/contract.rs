//! Requests: the contract an HTTP client drives. Every route of the API is a type that
//! implements [`Request`]: its method, its path with the keys rendered, its query, its body
//! and the type of its answer. No HTTP runtime here: any client (reqwest, hyper, ureq, a test
//! double) sends what [`Request`] says and decodes the answer with [`Request::decode`].

pub use super::retry::RetryAfter;
use crate::odata::{
    Action, CollectionLocation, Deletable, Function, GraphError, ItemLocation, LiteralError, Location, PathTemplate,
    Query, ValueResponse,
};
use serde::de::{DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A request of the API, as a client sends it.
///
/// A generic `send` needs nothing else: `METHOD`, [`Request::url`], [`Request::headers`],
/// [`Request::body`] (JSON, `Content-Type: application/json`), then [`Request::decode`] on
/// the [`Answer`]: its status, headers and body bytes.
pub trait Request {
    /// `GET`, `POST`, `PATCH`, `PUT` or `DELETE`.
    const METHOD: &'static str;
    /// The JSON body ([`NoBody`] when it has none).
    type Body: Serialize;
    /// What the answer decodes to: an entity, a [`Page`], a primitive in a
    /// [`ValueResponse`], or [`NoContent`].
    type Response: DeserializeOwned;

    /// Every path template this request type can take.
    fn templates() -> &'static [PathTemplate];

    /// The template of this request's path; `None` for a link the service gave
    /// ([`NextPage`]).
    fn template(&self) -> Option<&'static PathTemplate>;

    /// The permissions that allow this request (its method on its template), the least
    /// privileged of each scheme first; none when Graph's permissions reference has no entry.
    fn permissions(&self) -> impl Iterator<Item = &'static crate::odata::Permission> {
        let all = self.template().map_or(&[][..], |t| t.permissions);
        crate::odata::permissions_for(all, Self::METHOD)
    }

    /// The least privileged permission that allows this request for `scheme`.
    fn least_privileged(&self, scheme: crate::odata::Scheme) -> Option<&'static str> {
        crate::odata::least_privileged(self.template().map_or(&[][..], |t| t.permissions), Self::METHOD, scheme)
    }

    /// The path below the API's base URL, keys rendered as data of their segments
    /// ([`crate::odata::render_path`]) and, for a function, its parameter segment: an error
    /// when a parameter's value is no valid literal of its type ([`UrlError::Literal`]), which
    /// is then never written.
    fn path(&self) -> Result<String, UrlError>;

    /// The query string without `?`, empty when there are no options.
    fn query(&self) -> String {
        String::new()
    }

    /// The body to send as JSON, if any.
    fn body(&self) -> Option<&Self::Body> {
        None
    }

    /// The headers this request asks for besides `Authorization`, `Accept: application/json`
    /// and a body's `Content-Type`, by lower-case name: a stream's `accept` when one is asked
    /// for ([`crate::odata::GetContent::accept`]), and those given with
    /// [`with_headers`](Self::with_headers). Their values are checked
    /// ([`crate::odata::RequestHeaders`]): they never break a header.
    fn headers(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    /// This request with `headers` too (`Prefer`, `If-Match`, `ConsistencyLevel`, …): the same
    /// request type's answer, the same path; a header of the same name replaces the request's
    /// own.
    fn with_headers(self, headers: super::headers::RequestHeaders) -> super::headers::WithHeaders<Self>
    where
        Self: Sized,
    {
        super::headers::WithHeaders::new(self, headers)
    }

    /// The whole URL: `base` (such as `https://graph.microsoft.com/v1.0`), the path, the query
    /// (an error as for [`path`](Self::path); for a link the service gave, [`NextPage`], an
    /// error when it is not under `base`: following it would send the request, and its
    /// credentials, elsewhere).
    fn url(&self, base: &str) -> Result<String, UrlError> {
        let (path, query) = (self.path()?, self.query());
        let base = base.trim_end_matches('/');
        Ok(match query.is_empty() {
            true => format!("{base}{path}"),
            false => format!("{base}{path}?{query}"),
        })
    }

    /// The answer: [`Request::Response`] for a success status (an empty body decodes as
    /// `null`, so [`NoContent`] and `Option<T>` take it), else Graph's error body, with
    /// `Retry-After` when the answer had it.
    fn decode(answer: &Answer<'_>) -> Result<Self::Response, AnswerError> {
        decode_answer(answer)
    }
}

/// An HTTP answer, as the request contract reads it: its status, its headers (any case) and
/// its body's bytes.
#[derive(Clone, Copy, Debug)]
pub struct Answer<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The headers, as name and value.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

impl<'a> Answer<'a> {
    /// An answer of `status` with `headers` and `body`.
    pub fn new(status: u16, headers: &'a [(&'a str, &'a str)], body: &'a [u8]) -> Self {
        Answer { status, headers, body }
    }

    /// The first value of the header `name` (without regard to case).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
    }

    /// `Content-Type`.
    pub fn content_type(&self) -> Option<&'a str> {
        self.header("content-type")
    }

    /// `Retry-After`, read.
    pub fn retry_after(&self) -> Option<RetryAfter> {
        self.header("retry-after").map(RetryAfter::parse)
    }

    /// `Preference-Applied`: which of the request's preferences the service applied; an error
    /// when the header is there but does not read.
    pub fn preference_applied(&self) -> Option<Result<super::headers::Prefer, super::headers::HeaderError>> {
        self.header("preference-applied").map(super::headers::Prefer::parse)
    }

    /// `request-id`: Graph's id of the request, for its support.
    pub fn request_id(&self) -> Option<&'a str> {
        self.header("request-id")
    }

    /// `client-request-id`: the client's id of the request, as Graph echoes it.
    pub fn client_request_id(&self) -> Option<&'a str> {
        self.header("client-request-id")
    }
}

/// Why a request's URL cannot be written.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlError {
    /// A function parameter's value is no valid literal of its type.
    Literal(LiteralError),
    /// A link the service gave ([`NextPage`]) is not on the service at `base`.
    Foreign {
        /// The link (its first 100 characters).
        url: String,
        /// The base it should be under.
        base: String,
    },
}

impl From<LiteralError> for UrlError {
    fn from(error: LiteralError) -> Self {
        UrlError::Literal(error)
    }
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::Literal(e) => write!(f, "the path cannot be written: {e}"),
            UrlError::Foreign { url, base } => write!(f, "`{url}` is not on the service at `{base}`"),
        }
    }
}

impl std::error::Error for UrlError {}

/// Whether `url` has the scheme and authority of `base`.
pub(crate) fn same_origin(url: &str, base: &str) -> bool {
    let origin = |u: &str| -> String {
        let (scheme, rest) = u.split_once("://").unwrap_or(("", u));
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        format!("{}://{}", scheme.to_ascii_lowercase(), authority.to_ascii_lowercase())
    };
    origin(url) == origin(base)
}

/// A success answer's body decoded as JSON, an empty body being `null` (so that
/// [`NoContent`] and `Option<T>` take it).
fn decode_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    match body.iter().all(u8::is_ascii_whitespace) {
        true => serde_json::from_slice(b"null"),
        false => serde_json::from_slice(body),
    }
}

/// The answer of a request that returns nothing (`202 Accepted`, `204 No Content`): it decodes
/// from an empty body or `null`, and from nothing else.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NoContent;

impl<'de> Deserialize<'de> for NoContent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Empty;
        impl Visitor<'_> for Empty {
            type Value = NoContent;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("no content (an empty body or null)")
            }
            fn visit_unit<E>(self) -> Result<NoContent, E> {
                Ok(NoContent)
            }
        }
        deserializer.deserialize_unit(Empty)
    }
}

impl Serialize for NoContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

/// The body of a request that has none: it has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoBody {}

impl Serialize for NoBody {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

/// What a collection answers: [`ValueResponse`] with paging.
pub type Page<T> = ValueResponse<Vec<T>>;

impl<T> ValueResponse<Vec<T>> {
    /// The items of this page (none when `value` was absent or `null`).
    pub fn items(&self) -> &[T] {
        self.value.value().map_or(&[], Vec::as_slice)
    }

    /// `@odata.nextLink`: where the next page is.
    pub fn next_link(&self) -> Option<&str> {
        self.extras.get("@odata.nextLink")?.as_str()
    }

    /// `@odata.deltaLink`: where the changes after this last page will be.
    pub fn delta_link(&self) -> Option<&str> {
        self.extras.get("@odata.deltaLink")?.as_str()
    }

    /// `@odata.count` (asked for with `$count=true`), as a number or a numeric string.
    pub fn count(&self) -> Option<u64> {
        match self.extras.get("@odata.count")? {
            serde_json::Value::String(text) => text.parse().ok(),
            value => value.as_u64(),
        }
    }

    /// The request for the next page, when there is one.
    pub fn next(&self) -> Option<NextPage<T>> {
        self.next_link().map(NextPage::new)
    }
}

/// `GET` of a link the service gave (`@odata.nextLink`, `@odata.deltaLink`): the next page of a
/// collection of `T`. Its [`Request::url`] is the link itself, whatever the base: a client
/// should check that it points at the service it meant to call (the `http` conversions do).
#[derive(Debug, PartialEq)]
pub struct NextPage<T> {
    /// The absolute URL.
    pub link: String,
    of: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for NextPage<T> {
    fn clone(&self) -> Self {
        NextPage::new(&self.link)
    }
}

impl<T> NextPage<T> {
    /// The request for `link`.
    pub fn new(link: impl Into<String>) -> Self {
        NextPage { link: link.into(), of: std::marker::PhantomData }
    }
}

impl<T: DeserializeOwned + Serialize> Request for NextPage<T> {
    const METHOD: &'static str = "GET";
    type Body = NoBody;
    type Response = Page<T>;

    fn templates() -> &'static [PathTemplate] {
        &[]
    }

    fn template(&self) -> Option<&'static PathTemplate> {
        None
    }

    /// The link's path and query, without its scheme and host.
    fn path(&self) -> Result<String, UrlError> {
        let rest = self.link.split_once("://").map_or(self.link.as_str(), |(_, rest)| rest);
        Ok(rest.find('/').map_or_else(|| "/".to_owned(), |slash| rest[slash..].to_owned()))
    }

    /// The link, when it has the scheme and authority of `base`.
    fn url(&self, base: &str) -> Result<String, UrlError> {
        match same_origin(&self.link, base) {
            true => Ok(self.link.clone()),
            false => Err(UrlError::Foreign { url: crate::bounded::bounded(&self.link), base: base.to_owned() }),
        }
    }
}

/// `GET` of one entity: `GET /communications/calls/{call-id}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Get<L: ItemLocation> {
    /// Which entity.
    pub at: L,
    /// `$select`, `$expand`, …
    pub query: Query<L::Select>,
}

/// `GET` of a collection, one page at a time: `GET /communications/calls`.
#[derive(Clone, Debug, PartialEq)]
pub struct List<L: CollectionLocation> {
    /// Which collection.
    pub at: L,
    /// `$filter`, `$top`, …
    pub query: Query<L::Select>,
}

/// `POST` of a new entity to a collection: `POST /communications/calls`.
#[derive(Clone, Debug, PartialEq)]
pub struct Create<L: CollectionLocation> {
    /// Which collection.
    pub at: L,
    /// The new entity.
    pub body: L::Entity,
}

/// `PATCH` of an entity: the properties in `body` are changed (`null` clears one), the others
/// are left as they are. The service answers the entity, or nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct Update<L: ItemLocation> {
    /// Which entity.
    pub at: L,
    /// The properties to change.
    pub body: L::Entity,
}

/// `DELETE` of an entity: `DELETE /communications/calls/{call-id}` hangs up a call.
#[derive(Clone, Debug, PartialEq)]
pub struct Delete<L: Deletable> {
    /// Which entity.
    pub at: L,
}

/// A bound action invoked where it is bound, its value the body: `POST …/mute`;
/// `call::Mute` is `Invoke<call::MuteRequest>`.
#[derive(Clone, Debug, PartialEq)]
pub struct Invoke<A: Action> {
    /// The entity (or collection) it is bound to.
    pub at: A::Binding,
    /// The body.
    pub action: A,
}

/// A bound function called where it is bound, its parameters in the URL and no body:
/// `GET …/getPstnCalls(fromDateTime=…)`; `call_record::GetPstnCalls` is
/// `CallFunction<call_record::GetPstnCallsParameters>`.
#[derive(Clone, Debug, PartialEq)]
pub struct CallFunction<F: Function> {
    /// The entity (or collection) it is bound to.
    pub at: F::Binding,
    /// The parameters.
    pub function: F,
}

impl<L: ItemLocation> Get<L> {
    /// The entity at `at`, with no query options.
    pub fn new(at: L) -> Self {
        Get { at, query: Query::new() }
    }

    /// With these query options.
    pub fn with_query(self, query: Query<L::Select>) -> Self {
        Get { query, ..self }
    }
}

impl<L: CollectionLocation> List<L> {
    /// The collection at `at`, with no query options.
    pub fn new(at: L) -> Self {
        List { at, query: Query::new() }
    }

    /// With these query options.
    pub fn with_query(self, query: Query<L::Select>) -> Self {
        List { query, ..self }
    }
}

impl<L: CollectionLocation> Create<L> {
    /// `body` added to the collection at `at`.
    pub fn new(at: L, body: L::Entity) -> Self {
        Create { at, body }
    }
}

impl<L: ItemLocation> Update<L> {
    /// The entity at `at` changed by `body`.
    pub fn new(at: L, body: L::Entity) -> Self {
        Update { at, body }
    }
}

impl<L: Deletable> Delete<L> {
    /// The entity at `at`, deleted.
    pub fn new(at: L) -> Self {
        Delete { at }
    }
}

impl<A: Action> Invoke<A> {
    /// `action` on the entity or collection at `at`.
    pub fn new(at: A::Binding, action: A) -> Self {
        Invoke { at, action }
    }
}

impl<F: Function> CallFunction<F> {
    /// `function` of the entity or collection at `at`.
    pub fn new(at: F::Binding, function: F) -> Self {
        CallFunction { at, function }
    }
}

/// The methods of an entity request that come from its location `at` (of type `L`).
macro_rules! at_location {
    () => {
        fn templates() -> &'static [PathTemplate] {
            L::TEMPLATES
        }

        fn template(&self) -> Option<&'static PathTemplate> {
            Some(self.at.template())
        }

        fn path(&self) -> Result<String, UrlError> {
            Ok(self.at.path())
        }
    };
}

impl<L: ItemLocation> Request for Get<L>
where
    L::Entity: DeserializeOwned,
{
    const METHOD: &'static str = "GET";
    type Body = NoBody;
    type Response = L::Entity;

    at_location!();

    fn query(&self) -> String {
        self.query.to_string()
    }
}

impl<L: CollectionLocation> Request for List<L>
where
    L::Entity: DeserializeOwned + Serialize,
{
    const METHOD: &'static str = "GET";
    type Body = NoBody;
    type Response = Page<L::Entity>;

    at_location!();

    fn query(&self) -> String {
        self.query.to_string()
    }
}

impl<L: CollectionLocation> Request for Create<L>
where
    L::Entity: Serialize + DeserializeOwned,
{
    const METHOD: &'static str = "POST";
    type Body = L::Entity;
    type Response = L::Entity;

    at_location!();

    fn body(&self) -> Option<&L::Entity> {
        Some(&self.body)
    }
}

impl<L: ItemLocation> Request for Update<L>
where
    L::Entity: Serialize + DeserializeOwned,
{
    const METHOD: &'static str = "PATCH";
    type Body = L::Entity;
    /// The entity as changed, or `None` when the service answers `204 No Content`.
    type Response = Option<L::Entity>;

    at_location!();

    fn body(&self) -> Option<&L::Entity> {
        Some(&self.body)
    }
}

impl<L: Deletable> Request for Delete<L> {
    const METHOD: &'static str = "DELETE";
    type Body = NoBody;
    type Response = NoContent;

    at_location!();
}

/// The methods of an operation's request that come from where it is bound, `at`, and from
/// the operation, the field `$operation` of type `O`.
macro_rules! at_binding {
    ($operation:ident) => {
        fn templates() -> &'static [PathTemplate] {
            O::PATHS
        }

        /// The operation's template for the binding's (they are in the same order).
        fn template(&self) -> Option<&'static PathTemplate> {
            O::PATHS.get(self.at.index())
        }

        fn path(&self) -> Result<String, UrlError> {
            Ok(format!("{}/{}", self.at.path(), self.$operation.segment()?))
        }
    };
}

impl<O: Action + Serialize> Request for Invoke<O>
where
    O::Response: DeserializeOwned,
{
    const METHOD: &'static str = O::METHOD;
    type Body = O;
    type Response = O::Response;

    at_binding!(action);

    fn body(&self) -> Option<&O> {
        Some(&self.action)
    }
}

impl<O: Function> Request for CallFunction<O>
where
    O::Response: DeserializeOwned,
{
    const METHOD: &'static str = O::METHOD;
    type Body = NoBody;
    type Response = O::Response;

    at_binding!(function);
}

/// An answer that is not the request's [`Request::Response`].
#[derive(Debug)]
pub enum AnswerError {
    /// An error status with Graph's error body.
    Graph {
        /// The HTTP status.
        status: u16,
        /// The body (boxed: it is large, and errors should be cheap to pass on).
        error: Box<GraphError>,
        /// `Retry-After`, when the answer had it.
        retry_after: Option<RetryAfter>,
    },
    /// An error status whose body is not Graph's error body (kept as it came).
    Status {
        /// The HTTP status.
        status: u16,
        /// The body.
        body: Vec<u8>,
        /// `Retry-After`, when the answer had it.
        retry_after: Option<RetryAfter>,
    },
    /// A success status whose body does not decode as the answer type; the error says where.
    Decode {
        /// The HTTP status.
        status: u16,
        /// Why, at which JSON path.
        error: serde_json::Error,
    },
}

impl AnswerError {
    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        match self {
            AnswerError::Graph { status, .. }
            | AnswerError::Status { status, .. }
            | AnswerError::Decode { status, .. } => *status,
        }
    }

    /// `Retry-After`, when the answer had it: how long to wait before trying again.
    pub fn retry_after(&self) -> Option<&RetryAfter> {
        match self {
            AnswerError::Graph { retry_after, .. } | AnswerError::Status { retry_after, .. } => retry_after.as_ref(),
            AnswerError::Decode { .. } => None,
        }
    }

    /// Graph's error body, when the answer had one.
    pub fn graph_error(&self) -> Option<&GraphError> {
        match self {
            AnswerError::Graph { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerError::Graph { status, error, .. } => write!(f, "HTTP {status}: {error}"),
            AnswerError::Status { status, body, .. } => {
                write!(f, "HTTP {status}: {}", String::from_utf8_lossy(&body[..body.len().min(200)]))
            }
            AnswerError::Decode { status, error } => write!(f, "HTTP {status}: the answer does not decode: {error}"),
        }
    }
}

impl std::error::Error for AnswerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AnswerError::Graph { error, .. } => Some(error),
            AnswerError::Decode { error, .. } => Some(error),
            AnswerError::Status { .. } => None,
        }
    }
}

/// An answer decoded: `T` for a `2xx` status, else an [`AnswerError`] with Graph's error body
/// when the body is one.
pub fn decode_answer<T: DeserializeOwned>(answer: &Answer<'_>) -> Result<T, AnswerError> {
    match (200..300).contains(&answer.status) {
        true => decode_body(answer.body).map_err(|error| AnswerError::Decode { status: answer.status, error }),
        false => Err(decode_error(answer)),
    }
}

/// The error an answer of a status that is no success gives: Graph's error body, else the
/// status and the body as they came; with `Retry-After` when the answer had it.
pub(crate) fn decode_error(answer: &Answer<'_>) -> AnswerError {
    let (status, retry_after) = (answer.status, answer.retry_after());
    match serde_json::from_slice::<GraphError>(answer.body) {
        Ok(error) if error.error.value().is_some() => {
            AnswerError::Graph { status, error: Box::new(error), retry_after }
        }
        _ => AnswerError::Status { status, body: answer.body.to_vec(), retry_after },
    }
}

/// Any request, its types erased: for tools that choose the request at run time from a
/// method and URL (`v1_0::REQUESTS` with the `registry` feature, the `msgraph-comms request`
/// command, tests that drive every route).
pub trait AnyRequest {
    /// `GET`, `POST`, …
    fn method(&self) -> &'static str;
    /// Its template (none for a link the service gave).
    fn template(&self) -> Option<&'static PathTemplate>;
    /// Its path ([`Request::path`]).
    fn path(&self) -> Result<String, UrlError>;
    /// Its query string.
    fn query(&self) -> String;
    /// Its body as JSON, if it has one.
    fn body_json(&self) -> Option<Result<Vec<u8>, serde_json::Error>>;
    /// The answer decoded into the request's answer type, shown with `Debug`.
    fn decode_answer(&self, answer: &Answer<'_>) -> Result<Box<dyn fmt::Debug>, AnswerError>;
    /// Its headers ([`Request::headers`]).
    fn headers(&self) -> Vec<(String, String)>;
    /// The Rust name of the answer type.
    fn response_type(&self) -> &'static str;
    /// The Rust name of the body type, if the request has a body.
    fn body_type(&self) -> Option<&'static str>;
}

/// A [`Request`] seen as an [`AnyRequest`] (a wrapper, so that the two traits' methods never
/// compete on a request type).
struct Erased<R>(R);

impl<R: Request> AnyRequest for Erased<R>
where
    R::Response: fmt::Debug + 'static,
{
    fn method(&self) -> &'static str {
        R::METHOD
    }

    fn template(&self) -> Option<&'static PathTemplate> {
        self.0.template()
    }

    fn path(&self) -> Result<String, UrlError> {
        self.0.path()
    }

    fn query(&self) -> String {
        self.0.query()
    }

    fn body_json(&self) -> Option<Result<Vec<u8>, serde_json::Error>> {
        self.0.body().map(serde_json::to_vec)
    }

    fn decode_answer(&self, answer: &Answer<'_>) -> Result<Box<dyn fmt::Debug>, AnswerError> {
        R::decode(answer).map(|decoded| Box::new(decoded) as Box<dyn fmt::Debug>)
    }

    fn headers(&self) -> Vec<(String, String)> {
        self.0.headers()
    }

    fn response_type(&self) -> &'static str {
        std::any::type_name::<R::Response>()
    }

    fn body_type(&self) -> Option<&'static str> {
        let name = std::any::type_name::<R::Body>();
        (name != std::any::type_name::<NoBody>()).then_some(name)
    }
}

/// How [`RequestInfo::make`] builds a request: from the keys of a route match (by name) and
/// the JSON body, if any; an error names the key or the body's JSON path.
pub type MakeRequest = fn(&[(String, String)], Option<&[u8]>) -> Result<Box<dyn AnyRequest>, String>;

/// A route's request type, for tools that build it at run time.
#[derive(Clone, Copy)]
pub struct RequestInfo {
    /// The method.
    pub method: &'static str,
    /// The path template.
    pub template: &'static str,
    /// The Rust type below the API module: `call::Get`, `participant::Invite`.
    pub rust_type: &'static str,
    /// Builds the request.
    pub make: MakeRequest,
}

impl fmt::Debug for RequestInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.method, self.template, self.rust_type)
    }
}

/// The request type of `method` on `template`.
pub fn find_request<'a>(requests: &'a [RequestInfo], method: &str, template: &str) -> Option<&'a RequestInfo> {
    requests.iter().find(|r| r.method.eq_ignore_ascii_case(method) && r.template == template)
}

/// The value of `name` among a route match's keys ([`MakeRequest`] uses it).
pub fn key_value(keys: &[(String, String)], name: &str) -> Result<String, String> {
    keys.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).ok_or_else(|| format!("no value for the key `{name}`"))
}

/// A body decoded for [`MakeRequest`]: `{}` when there is none.
pub fn request_body<T: DeserializeOwned>(body: Option<&[u8]>) -> Result<T, String> {
    serde_json::from_slice(body.unwrap_or(b"{}")).map_err(|e| format!("the body does not decode: {e}"))
}

/// `request` as an [`AnyRequest`], as [`MakeRequest`] returns it.
pub fn boxed<R: Request + 'static>(request: R) -> Box<dyn AnyRequest>
where
    R::Response: fmt::Debug + 'static,
{
    Box::new(Erased(request))
}
