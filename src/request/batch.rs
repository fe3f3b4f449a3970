//! JSON batching: typed requests of one API, any mix of them, sent as `POST {base}/$batch`
//! bodies of at most 20 requests, and their answers decoded per request into that request's
//! own answer type (or Graph's error), whatever order Graph answered in.

use crate::odata::{Answer, AnswerError, AnyRequest, Request, RequestHeaders, RetryAfter, RetryPolicy, UrlError};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, SystemTime};

/// The most requests Graph takes in one `$batch` body.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// Requests to send as JSON batches, each with its id, its `dependsOn`, its headers and its
/// body.
///
/// ```
/// use msgraph_comms::odata::{Batch, BatchAnswers};
/// use msgraph_comms::v1_0::{self, call_records::{CallRecord, call_record}};
///
/// let mut batch = Batch::new(v1_0::BASE_URL);
/// let first = batch.add(&call_record::Get::new(call_record::Item::new("r1"))).unwrap();
/// let second = batch.add(&call_record::Get::new(call_record::Item::new("r2"))).unwrap();
/// let bodies = batch.bodies().unwrap();
/// assert_eq!(bodies.len(), 1);
/// assert_eq!(bodies[0]["requests"][1]["url"], "/communications/callRecords/r2");
///
/// // Graph answers in any order: each answer is found by its id.
/// let answer = br#"{"responses": [
///     {"id": "2", "status": 404, "body": {"error": {"code": "NotFound", "message": "no such record"}}},
///     {"id": "1", "status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": "r1"}}
/// ]}"#;
/// let answers = BatchAnswers::read(&batch, &[&answer[..]]).unwrap();
/// let record: CallRecord = answers.get(&first).unwrap();
/// assert_eq!(record.id.value().map(String::as_str), Some("r1"));
/// assert_eq!(answers.get(&second).unwrap_err().status(), 404);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    base: String,
    entries: Vec<Entry>,
    next_id: u64,
}

#[derive(Clone, Debug, PartialEq)]
struct Entry {
    id: String,
    method: &'static str,
    /// Relative to the service root: `/communications/callRecords/r1?$expand=sessions`.
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    depends_on: Vec<String>,
}

/// A request of a [`Batch`]: its id, and the type its answer decodes to.
pub struct BatchItem<R> {
    id: String,
    of: PhantomData<fn() -> R>,
}

impl<R> BatchItem<R> {
    /// Its id in the batch (`"1"`, `"2"` …).
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl<R> Clone for BatchItem<R> {
    fn clone(&self) -> Self {
        BatchItem { id: self.id.clone(), of: PhantomData }
    }
}

impl<R> fmt::Debug for BatchItem<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BatchItem").field(&self.id).finish()
    }
}

/// Why a batch cannot be written, or its answer cannot be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum BatchError {
    /// A request's URL cannot be written ([`Request::url`]).
    Url(UrlError),
    /// A request's body does not serialize.
    Body(serde_json::Error),
    /// A request depends on an id that no earlier request of the batch has.
    UnknownDependency(String),
    /// More requests depend on one another than one `$batch` body takes
    /// ([`MAX_BATCH_REQUESTS`]): Graph needs a request and its dependencies in the same body.
    TooManyDependent(usize),
    /// The answer of a `$batch` body is not what Graph writes: where (a JSON path), and why.
    Answer {
        /// The JSON path in the answer.
        at: String,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::Url(error) => write!(f, "a request of the batch: {error}"),
            BatchError::Body(error) => write!(f, "a request's body does not serialize: {error}"),
            BatchError::UnknownDependency(id) => write!(f, "a request depends on `{id}`, which no earlier request is"),
            BatchError::TooManyDependent(n) => {
                write!(f, "{n} requests depend on one another: a $batch body takes {MAX_BATCH_REQUESTS}")
            }
            BatchError::Answer { at, reason } => write!(f, "the $batch answer at {at}: {reason}"),
        }
    }
}

impl std::error::Error for BatchError {}

impl Batch {
    /// An empty batch for the API at `base` (`v1_0::BASE_URL`): the requests' URLs are
    /// written relative to it, and the batch is sent to `{base}/$batch`.
    pub fn new(base: &str) -> Self {
        Batch { base: base.trim_end_matches('/').to_owned(), entries: Vec::new(), next_id: 1 }
    }

    /// Adds `request`, with the next id.
    pub fn add<R: Request>(&mut self, request: &R) -> Result<BatchItem<R>, BatchError> {
        self.add_after(request, &[])
    }

    /// Adds `request`, to be sent only after `depends_on` (earlier items of this batch)
    /// succeeded; Graph answers `424 Failed Dependency` when one did not.
    pub fn add_after<R: Request>(&mut self, request: &R, depends_on: &[&str]) -> Result<BatchItem<R>, BatchError> {
        if let Some(unknown) = depends_on.iter().find(|id| !self.entries.iter().any(|e| e.id == **id)) {
            return Err(BatchError::UnknownDependency((*unknown).to_owned()));
        }
        let url = request.url(&self.base).map_err(BatchError::Url)?;
        // `url` checked the link is on the service, so it starts with the base.
        let url = url.strip_prefix(&self.base).unwrap_or(&url).to_owned();
        let body = request.body().map(serde_json::to_value).transpose().map_err(BatchError::Body)?;
        let depends_on = depends_on.iter().map(|id| (*id).to_owned()).collect();
        let id = self.push(R::METHOD, url, request.headers(), body, depends_on);
        Ok(BatchItem { id, of: PhantomData })
    }

    /// Adds a request chosen at run time ([`AnyRequest`]: the `registry` feature's
    /// `REQUESTS`, a tool's input), with `headers` besides its own: its id. Its answer decodes
    /// with [`BatchItemAnswer::decode_any`].
    pub fn add_any(&mut self, request: &dyn AnyRequest, headers: &RequestHeaders) -> Result<String, BatchError> {
        let mut url = request.path().map_err(BatchError::Url)?;
        let query = request.query();
        if !query.is_empty() {
            url = format!("{url}?{query}");
        }
        let body = match request.body_json() {
            Some(json) => Some(serde_json::from_slice(&json.map_err(BatchError::Body)?).map_err(BatchError::Body)?),
            None => None,
        };
        let mut all = request.headers();
        headers.apply_to(&mut all);
        Ok(self.push(request.method(), url, all, body, Vec::new()))
    }

    /// Adds a request with the next id (a JSON body's `Content-Type` written unless set): the id.
    fn push(
        &mut self,
        method: &'static str,
        url: String,
        mut headers: Vec<(String, String)>,
        body: Option<Value>,
        depends_on: Vec<String>,
    ) -> String {
        if body.is_some() && !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-type")) {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        let id = self.next_id.to_string();
        self.next_id += 1;
        self.entries.push(Entry { id: id.clone(), method, url, headers, body, depends_on });
        id
    }

    /// How many requests.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it has no request.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The URL every body is posted to: `{base}/$batch`.
    pub fn url(&self) -> String {
        format!("{}/$batch", self.base)
    }

    /// The `$batch` bodies to post, in order: at most [`MAX_BATCH_REQUESTS`] requests each, a
    /// request always in the body of those it depends on, the requests in the order they were
    /// added. Each request: its id, method, URL relative to the base, headers, JSON body, and
    /// `dependsOn`.
    pub fn bodies(&self) -> Result<Vec<Value>, BatchError> {
        Ok(self
            .groups()?
            .into_iter()
            .map(|group| json!({ "requests": group.iter().map(|e| entry_json(e)).collect::<Vec<_>>() }))
            .collect())
    }

    /// The requests in bodies: the groups of requests that depend on one another (transitively)
    /// kept together, packed in order.
    fn groups(&self) -> Result<Vec<Vec<&Entry>>, BatchError> {
        // Union-find over the dependencies.
        let index: HashMap<&str, usize> = self.entries.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
        let mut parent: Vec<usize> = (0..self.entries.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for (i, entry) in self.entries.iter().enumerate() {
            for dependency in &entry.depends_on {
                if let Some(&j) = index.get(dependency.as_str()) {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        // A component's root is its first request (the union keeps the smaller index), so
        // components come in the order of their first requests; each goes in the last body if
        // it fits, else in a new one. Requests are then placed in the order they were added.
        let roots: Vec<usize> = (0..self.entries.len()).map(|i| root(&mut parent, i)).collect();
        let mut sizes = vec![0usize; self.entries.len()];
        for &r in &roots {
            sizes[r] += 1;
        }
        let mut body_of = vec![0usize; self.entries.len()];
        let (mut count, mut last_len) = (0usize, MAX_BATCH_REQUESTS);
        for (i, &size) in sizes.iter().enumerate().filter(|(_, size)| **size > 0) {
            if size > MAX_BATCH_REQUESTS {
                return Err(BatchError::TooManyDependent(size));
            }
            if last_len + size > MAX_BATCH_REQUESTS {
                (count, last_len) = (count + 1, 0);
            }
            body_of[i] = count - 1;
            last_len += size;
        }
        let mut bodies: Vec<Vec<&Entry>> = vec![Vec::new(); count];
        for (entry, &r) in self.entries.iter().zip(&roots) {
            bodies[body_of[r]].push(entry);
        }
        Ok(bodies)
    }

    /// The batch of the requests that `answers` says to send again after `attempt` (the first
    /// is 1) at `now`, as `policy` says (`429`, `503` … of a method it sends again), and how
    /// long to wait first: the longest `Retry-After` of them, else the policy's backoff. A
    /// request that failed with `424` because one it depends on failed goes again with it. The
    /// requests keep their ids, so that [`BatchItem`]s still name them; a dependency that
    /// succeeded is dropped. `None` when there is nothing to send again.
    pub fn retry(
        &self,
        answers: &BatchAnswers,
        policy: &RetryPolicy,
        attempt: u32,
        now: SystemTime,
    ) -> Option<(Batch, Duration)> {
        let mut wait = Duration::ZERO;
        let mut again: Vec<&Entry> = Vec::new();
        let mut kept: HashSet<&str> = HashSet::new();
        // In the order added, so a request's dependencies are decided before it.
        for entry in &self.entries {
            let Some(answer) = answers.answer(&entry.id) else { continue };
            let retry_after = answer.retry_after();
            let send = match policy.next(entry.method, answer.status, attempt, retry_after.as_ref(), now) {
                crate::odata::Retry::After(delay) => {
                    wait = wait.max(delay);
                    true
                }
                // Not done because a request it depends on failed, which goes again: so does it.
                crate::odata::Retry::Stop(_) => {
                    answer.failed_dependency() && entry.depends_on.iter().any(|d| kept.contains(d.as_str()))
                }
            };
            if send {
                kept.insert(&entry.id);
                again.push(entry);
            }
        }
        if again.is_empty() {
            return None;
        }
        let entries = again
            .into_iter()
            .map(|e| Entry {
                depends_on: e.depends_on.iter().filter(|d| kept.contains(d.as_str())).cloned().collect(),
                ..e.clone()
            })
            .collect();
        Some((Batch { base: self.base.clone(), entries, next_id: self.next_id }, wait))
    }
}

fn entry_json(entry: &Entry) -> Value {
    let mut item = Map::new();
    item.insert("id".into(), json!(entry.id));
    item.insert("method".into(), json!(entry.method));
    item.insert("url".into(), json!(entry.url));
    if !entry.headers.is_empty() {
        let headers: Map<String, Value> = entry.headers.iter().map(|(n, v)| (n.clone(), json!(v))).collect();
        item.insert("headers".into(), Value::Object(headers));
    }
    if let Some(body) = &entry.body {
        item.insert("body".into(), body.clone());
    }
    if !entry.depends_on.is_empty() {
        item.insert("dependsOn".into(), json!(entry.depends_on));
    }
    Value::Object(item)
}

/// The answers of a batch, one per request, matched by id.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchAnswers {
    /// By id: status, headers, body bytes.
    answers: HashMap<String, Stored>,
    /// The batch's ids, in the order of its requests.
    order: Vec<String>,
    /// The same ids, to check an answer's id in constant time.
    known: HashSet<String>,
    /// The ids of each body's requests, in the order of [`Batch::bodies`].
    bodies: Vec<Vec<String>>,
    /// The batch's base: a `nextLink` must be on its service.
    base: String,
    /// The bodies whose answer came with a `nextLink`, and the link.
    next_links: Vec<(usize, String)>,
}

#[derive(Clone, Debug, PartialEq)]
struct Stored {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// The answer to one request of a batch.
#[derive(Clone, Copy, Debug)]
pub struct BatchItemAnswer<'a> {
    /// The request's id.
    pub id: &'a str,
    /// Its HTTP status.
    pub status: u16,
    /// Its headers.
    pub headers: &'a [(String, String)],
    /// Its body: the JSON as bytes, or for another content type the bytes Graph encoded in
    /// base64.
    pub body: &'a [u8],
}

impl BatchItemAnswer<'_> {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `Retry-After`, read (Graph writes decimal seconds inside batches).
    pub fn retry_after(&self) -> Option<RetryAfter> {
        self.header("retry-after").map(RetryAfter::parse)
    }

    /// Whether it failed because a request it depends on failed (`424 Failed Dependency`).
    pub fn failed_dependency(&self) -> bool {
        self.status == 424
    }

    /// Decoded as `R`'s answer.
    pub fn decode<R: Request>(&self) -> Result<R::Response, AnswerError> {
        let headers: Vec<(&str, &str)> = self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        R::decode(&Answer::new(self.status, &headers, self.body))
    }

    /// Decoded as the answer of a request chosen at run time.
    pub fn decode_any(&self, request: &dyn AnyRequest) -> Result<Box<dyn fmt::Debug>, AnswerError> {
        let headers: Vec<(&str, &str)> = self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        request.decode_answer(&Answer::new(self.status, &headers, self.body))
    }
}

impl BatchAnswers {
    /// No answers yet to the requests of `batch`: fill it with
    /// [`read_answer`](Self::read_answer) as the answers to its bodies come.
    pub fn new(batch: &Batch) -> BatchAnswers {
        let order: Vec<String> = batch.entries.iter().map(|e| e.id.clone()).collect();
        // A batch whose bodies cannot be written has no answers to read.
        let bodies = batch.groups().unwrap_or_default();
        BatchAnswers {
            answers: HashMap::new(),
            known: order.iter().cloned().collect(),
            order,
            bodies: bodies.iter().map(|body| body.iter().map(|e| e.id.clone()).collect()).collect(),
            base: batch.base.clone(),
            next_links: Vec::new(),
        }
    }

    /// A body whose answer has a `nextLink`, and that link: Graph answered before all of the
    /// body's requests were done, and the rest of their answers are a `GET` of the link away
    /// (with the token; the link is on the batch's service, checked as it was read). Read that
    /// answer with [`read_answer`](Self::read_answer) for the same body, until there is none.
    ///
    /// ```
    /// use msgraph_comms::odata::{Answer, Batch, BatchAnswers};
    /// use msgraph_comms::v1_0::{self, call_records::call_record};
    ///
    /// let mut batch = Batch::new(v1_0::BASE_URL);
    /// let first = batch.add(&call_record::Get::new(call_record::Item::new("r1"))).unwrap();
    /// let second = batch.add(&call_record::Get::new(call_record::Item::new("r2"))).unwrap();
    /// let mut answers = BatchAnswers::new(&batch);
    /// let early = br#"{"responses": [{"id": "1", "status": 200, "body": {"id": "r1"}}],
    ///     "nextLink": "https://graph.microsoft.com/v1.0/$batch?$skiptoken=x"}"#;
    /// answers.read_answer(0, &Answer::new(200, &[], early)).unwrap();
    /// assert_eq!(answers.unanswered(), ["2"]);
    /// let (body, link) = answers.next_link().unwrap();
    /// assert_eq!((body, link), (0, "https://graph.microsoft.com/v1.0/$batch?$skiptoken=x"));
    /// let rest = br#"{"responses": [{"id": "2", "status": 200, "body": {"id": "r2"}}]}"#;
    /// answers.read_answer(body, &Answer::new(200, &[], rest)).unwrap();
    /// assert!(answers.next_link().is_none() && answers.get(&first).is_ok() && answers.get(&second).is_ok());
    /// ```
    pub fn next_link(&self) -> Option<(usize, &str)> {
        self.next_links.first().map(|(body, link)| (*body, link.as_str()))
    }

    /// The answers of `batch`, from the bodies Graph answered its [`Batch::bodies`] with (in
    /// any order, the items of each in any order). An item whose id is no request of the
    /// batch, or an item that is not what Graph writes, is an error with its JSON path.
    /// To keep a `$batch` request that failed as a whole, use [`read_answer`](Self::read_answer).
    pub fn read(batch: &Batch, bodies: &[&[u8]]) -> Result<BatchAnswers, BatchError> {
        let mut answers = BatchAnswers::new(batch);
        for (b, body) in bodies.iter().enumerate() {
            answers.read_body(b, body)?;
        }
        Ok(answers)
    }

    /// The whole answer (status, headers, body) to the `body`th of the batch's
    /// [`Batch::bodies`], read in. A `$batch` request answered with a failure as a whole
    /// (`429` or `503` with `Retry-After`, `401`, …) answers each of its requests with that
    /// status, those headers and that body, so that [`Batch::retry`] sends them again as it
    /// would a request throttled alone, and [`get`](Self::get) gives Graph's error for each.
    /// The answer to a body's [`next_link`](Self::next_link) is read the same way, for that
    /// body.
    ///
    /// ```
    /// use msgraph_comms::odata::{Answer, Batch, BatchAnswers, RetryPolicy};
    /// use msgraph_comms::v1_0::{self, call_records::call_record};
    /// use std::time::{Duration, SystemTime};
    ///
    /// let mut batch = Batch::new(v1_0::BASE_URL);
    /// let item = batch.add(&call_record::Get::new(call_record::Item::new("r1"))).unwrap();
    /// let mut answers = BatchAnswers::new(&batch);
    /// let error = br#"{"error": {"code": "TooManyRequests", "message": "wait"}}"#;
    /// answers.read_answer(0, &Answer::new(429, &[("Retry-After", "3")], error)).unwrap();
    /// assert_eq!(answers.get(&item).unwrap_err().status(), 429);
    /// let (again, wait) = batch.retry(&answers, &RetryPolicy::default(), 1, SystemTime::now()).unwrap();
    /// assert_eq!((again.len(), wait), (1, Duration::from_secs(3)));
    /// ```
    pub fn read_answer(&mut self, body: usize, answer: &Answer<'_>) -> Result<(), BatchError> {
        if (200..300).contains(&answer.status) {
            return self.read_body(body, answer.body);
        }
        let Some(ids) = self.bodies.get(body) else {
            let reason = format!("the batch has {} bodies", self.bodies.len());
            return Err(BatchError::Answer { at: format!("[{body}]"), reason });
        };
        // Its requests not answered yet (all of them, unless this answers a `nextLink`) are
        // answered with the failure; the link, if any, is not followed again.
        self.next_links.retain(|(b, _)| *b != body);
        let headers: Vec<(String, String)> =
            answer.headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
        for id in ids {
            if !self.answers.contains_key(id) {
                let stored = Stored { status: answer.status, headers: headers.clone(), body: answer.body.to_vec() };
                self.answers.insert(id.clone(), stored);
            }
        }
        Ok(())
    }

    /// The items of the `b`th body's answer.
    fn read_body(&mut self, b: usize, body: &[u8]) -> Result<(), BatchError> {
        let error = |at: String, reason: String| BatchError::Answer { at, reason };
        let value: Value = serde_json::from_slice(body).map_err(|e| error(format!("[{b}]"), e.to_string()))?;
        let Some(Value::Array(responses)) = value.get("responses") else {
            return Err(error(format!("[{b}].responses"), "expected an array".into()));
        };
        // This answer replaces the link that led to it; it may give another.
        self.next_links.retain(|(body, _)| *body != b);
        for key in ["nextLink", "@odata.nextLink"] {
            match value.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::String(link)) if crate::request::contract::same_origin(link, &self.base) => {
                    self.next_links.push((b, link.clone()));
                    break;
                }
                Some(Value::String(link)) => {
                    let reason = format!("`{}` is not on the service of {}", crate::bounded::bounded(link), self.base);
                    return Err(error(format!("[{b}].{key}"), reason));
                }
                Some(_) => return Err(error(format!("[{b}].{key}"), "expected a URL".into())),
            }
        }
        for (i, response) in responses.iter().enumerate() {
            let at = format!("[{b}].responses[{i}]");
            let (id, stored) = read_item(response).map_err(|(field, reason)| error(format!("{at}{field}"), reason))?;
            if !self.known.contains(&id) {
                return Err(error(format!("{at}.id"), format!("`{id}` is no request of the batch")));
            }
            self.answers.insert(id, stored);
        }
        Ok(())
    }

    /// The answer of `item`, decoded into its request's answer type, or the error it is;
    /// a request Graph did not answer is an [`AnswerError::Status`] of status 0.
    pub fn get<R: Request>(&self, item: &BatchItem<R>) -> Result<R::Response, AnswerError> {
        match self.answer(&item.id) {
            Some(answer) => answer.decode::<R>(),
            None => Err(AnswerError::Status { status: 0, body: b"no answer in the batch".to_vec(), retry_after: None }),
        }
    }

    /// The answer to the request `id`, if Graph gave one.
    pub fn answer(&self, id: &str) -> Option<BatchItemAnswer<'_>> {
        let (id, stored) = self.answers.get_key_value(id)?;
        Some(BatchItemAnswer { id, status: stored.status, headers: &stored.headers, body: &stored.body })
    }

    /// The answers in the order of the batch's requests (those Graph did not answer left out).
    pub fn in_order(&self) -> impl Iterator<Item = BatchItemAnswer<'_>> {
        self.order.iter().filter_map(|id| self.answer(id))
    }

    /// The ids of the requests Graph did not answer.
    pub fn unanswered(&self) -> Vec<&str> {
        self.order.iter().filter(|id| !self.answers.contains_key(*id)).map(String::as_str).collect()
    }

    /// The ids of the requests that failed because one they depend on did (`424`).
    pub fn failed_dependencies(&self) -> Vec<&str> {
        self.in_order().filter(|a| a.failed_dependency()).map(|a| a.id).collect()
    }

    /// These answers, with those of a later round (of [`Batch::retry`]) in place of the ones
    /// they answer again.
    pub fn update(&mut self, later: BatchAnswers) {
        self.answers.extend(later.answers);
    }
}

/// One item of `responses`: its id, status, headers and body bytes (base64 decoded for a
/// content type that is not JSON); or the field at fault and why.
fn read_item(item: &Value) -> Result<(String, Stored), (String, String)> {
    let id = match item.get("id") {
        Some(Value::String(id)) => id.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err((".id".into(), "expected the request's id".into())),
    };
    let status = item.get("status").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok());
    let status = status
        .filter(|s| (100..600).contains(s))
        .ok_or((".status".to_owned(), "expected an HTTP status".to_owned()))?;
    let headers = match item.get("headers") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(n, v)| match v {
                Value::String(v) => Ok((n.clone(), v.clone())),
                other => Ok((n.clone(), other.to_string())),
            })
            .collect::<Result<_, (String, String)>>()?,
        Some(_) => return Err((".headers".into(), "expected an object".into())),
    };
    let content_type = headers
        .iter()
        .find(|(n, _): &&(String, String)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.as_str());
    let json = content_type.is_none_or(|t| t.to_ascii_lowercase().contains("json"));
    let body = match item.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(text)) if !json => crate::edm::Binary::new(text.as_str()).decode().map_err(|e| {
            (".body".to_owned(), format!("a body of type {} in base64: {e}", content_type.unwrap_or("?")))
        })?,
        Some(value) => serde_json::to_vec(value).map_err(|e| (".body".to_owned(), e.to_string()))?,
    };
    Ok((id, Stored { status, headers, body }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::{Get, NoContent, Page};
    use crate::v1_0::{call, call_records::call_record, call_records::session, participant};

    #[test]
    fn bodies_keep_dependent_requests_together_and_take_at_most_twenty() {
        let mut batch = Batch::new("https://graph.microsoft.com/v1.0/");
        let mut items = Vec::new();
        for i in 0..25 {
            items.push(batch.add(&call_record::Get::new(call_record::Item::new(format!("r{i}")))).unwrap());
        }
        // Request 26 depends on 1 and 25: the three go in one body.
        let after = batch.add_after(&call::Delete::new(call::Item::new("c1")), &["1", "25"]).unwrap();
        assert_eq!(after.id(), "26");
        let bodies = batch.bodies().unwrap();
        let ids: Vec<Vec<&str>> = bodies
            .iter()
            .map(|b| b["requests"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect())
            .collect();
        assert!(ids.iter().all(|body| body.len() <= MAX_BATCH_REQUESTS));
        assert_eq!(ids.iter().map(Vec::len).sum::<usize>(), 26);
        let holding = ids.iter().find(|body| body.contains(&"26")).unwrap();
        assert!(holding.contains(&"1") && holding.contains(&"25"), "{ids:?}");
        let request = bodies.iter().flat_map(|b| b["requests"].as_array().unwrap()).find(|r| r["id"] == "26").unwrap();
        assert_eq!(request["dependsOn"], json!(["1", "25"]));
        assert_eq!(request["method"], "DELETE");
        assert_eq!(request["url"], "/communications/calls/c1");
        assert_eq!(batch.url(), "https://graph.microsoft.com/v1.0/$batch");
        assert!(matches!(
            batch.add_after(&call::Delete::new(call::Item::new("c2")), &["99"]),
            Err(BatchError::UnknownDependency(_))
        ));
        let _ = items;
    }

    #[test]
    fn bodies_and_headers_go_inline() {
        let mut batch = Batch::new("https://graph.microsoft.com/v1.0");
        let mute = participant::Mute::new(participant::Item::new("c1", "p1"), participant::MuteRequest::default());
        batch.add(&mute).unwrap();
        let with = crate::odata::Request::with_headers(
            call_record::Get::new(call_record::Item::new("r1")),
            crate::odata::RequestHeaders::new().prefer(crate::odata::Preference::IncludeUnknownEnumMembers),
        );
        batch.add(&with).unwrap();
        let body = &batch.bodies().unwrap()[0]["requests"];
        assert_eq!(body[0]["body"], json!({}));
        assert_eq!(body[0]["headers"]["content-type"], "application/json");
        assert_eq!(body[0]["url"], "/communications/calls/c1/participants/p1/mute");
        assert_eq!(body[1]["headers"]["prefer"], "include-unknown-enum-members");
        assert!(body[1].get("body").is_none());
    }

    #[test]
    fn answers_decode_per_request_in_any_order() {
        let mut batch = Batch::new("https://graph.microsoft.com/v1.0");
        let record = batch.add(&call_record::Get::new(call_record::Item::new("r1"))).unwrap();
        let sessions = batch.add(&session::List::new(session::Collection::new("r1"))).unwrap();
        let delete = batch.add_after(&call::Delete::new(call::Item::new("c1")), &["1"]).unwrap();
        let stream = batch.add(&call::Get::new(call::Item::new("c2"))).unwrap();
        let answer = json!({"responses": [
            {"id": "3", "status": 424, "body": {"error": {"code": "FailedDependency", "message": "1 failed"}}},
            {"id": "1", "status": 429, "headers": {"Retry-After": "0.249"}, "body": {"error": {"code": "TooManyRequests", "message": "slow down"}}},
            {"id": "2", "status": 200, "body": {"value": [{"id": "s1"}], "@odata.nextLink": "https://graph.microsoft.com/v1.0/next"}},
            {"id": "4", "status": 200, "headers": {"Content-Type": "text/plain"}, "body": "aGVsbG8="}
        ]})
        .to_string();
        let answers = BatchAnswers::read(&batch, &[answer.as_bytes()]).unwrap();
        let ids: Vec<&str> = answers.in_order().map(|a| a.id).collect();
        assert_eq!(ids, ["1", "2", "3", "4"]);
        let error = answers.get(&record).unwrap_err();
        assert_eq!(error.status(), 429);
        assert_eq!(error.retry_after(), Some(&RetryAfter::Delay(Duration::from_millis(249))));
        let page: Page<crate::v1_0::call_records::Session> = answers.get(&sessions).unwrap();
        assert_eq!(page.items().len(), 1);
        assert!(page.next().is_some());
        assert_eq!(answers.get(&delete).unwrap_err().status(), 424);
        assert_eq!(answers.failed_dependencies(), ["3"]);
        assert_eq!(answers.answer("4").unwrap().body, b"hello");
        assert!(answers.get(&stream).is_err(), "text is not a call");
        let _ = Get::<call::Item>::new;

        // The throttled request goes again after its Retry-After, and the one that failed for
        // want of it (424) with it, still depending on it; their ids are kept.
        let now = std::time::UNIX_EPOCH;
        let (again, wait) = batch.retry(&answers, &RetryPolicy::default(), 1, now).unwrap();
        assert_eq!(again.len(), 2);
        assert_eq!(wait, Duration::from_millis(249));
        let body = &again.bodies().unwrap()[0]["requests"];
        assert_eq!((&body[0]["id"], &body[1]["id"], &body[1]["dependsOn"]), (&json!("1"), &json!("3"), &json!(["1"])));
        let later =
            json!({"responses": [{"id": "3", "status": 204}, {"id": "1", "status": 200, "body": {"id": "r1"}}]})
                .to_string();
        let mut answers = answers;
        answers.update(BatchAnswers::read(&again, &[later.as_bytes()]).unwrap());
        assert_eq!(answers.get(&record).unwrap().id.value().map(String::as_str), Some("r1"));
        assert_eq!(answers.get(&delete).unwrap(), NoContent);
        assert!(answers.failed_dependencies().is_empty());
        assert!(
            again
                .retry(&BatchAnswers::read(&again, &[later.as_bytes()]).unwrap(), &RetryPolicy::default(), 2, now)
                .is_none()
        );
    }

    #[test]
    fn a_failed_dependency_goes_again_only_with_what_it_depends_on() {
        let mut batch = Batch::new("https://graph.microsoft.com/v1.0");
        batch.add(&call_record::Get::new(call_record::Item::new("gone"))).unwrap();
        batch.add_after(&call::Delete::new(call::Item::new("c1")), &["1"]).unwrap();
        let answer = json!({"responses": [
            {"id": "1", "status": 404, "body": {"error": {"code": "NotFound", "message": "no"}}},
            {"id": "2", "status": 424, "body": {"error": {"code": "FailedDependency", "message": "1 failed"}}}
        ]})
        .to_string();
        let answers = BatchAnswers::read(&batch, &[answer.as_bytes()]).unwrap();
        assert_eq!(batch.retry(&answers, &RetryPolicy::default(), 1, SystemTime::UNIX_EPOCH), None);
    }

    #[test]
    fn a_body_failed_as_a_whole_answers_its_requests_only() {
        let mut batch = Batch::new("https://graph.microsoft.com/v1.0");
        let items: Vec<_> = (0..25)
            .map(|i| batch.add(&call_record::Get::new(call_record::Item::new(format!("r{i}")))).unwrap())
            .collect();
        let mut answers = BatchAnswers::new(&batch);
        let first: Vec<Value> =
            (1..=20).map(|i| json!({"id": i.to_string(), "status": 200, "body": {"id": "r"}})).collect();
        let first = json!({ "responses": first }).to_string();
        answers.read_answer(0, &Answer::new(200, &[], first.as_bytes())).unwrap();
        let error = br#"{"error": {"code": "ServiceUnavailable", "message": "later"}}"#;
        answers.read_answer(1, &Answer::new(503, &[("Retry-After", "Wed, 21 Oct 2015 07:28:05 GMT")], error)).unwrap();
        assert!(answers.unanswered().is_empty());
        assert!(items[..20].iter().all(|item| answers.get(item).is_ok()));
        for item in &items[20..] {
            let error = answers.get(item).unwrap_err();
            assert_eq!((error.status(), error.graph_error().and_then(|e| e.code())), (503, Some("ServiceUnavailable")));
        }
        // The date is past: sent again at once, the five of the second body only.
        let (again, wait) = batch.retry(&answers, &RetryPolicy::default(), 1, SystemTime::now()).unwrap();
        assert_eq!((again.len(), wait), (5, Duration::ZERO));
        // There is no third body.
        let error = answers.read_answer(2, &Answer::new(503, &[], b"")).unwrap_err();
        assert_eq!(error.to_string(), "the $batch answer at [2]: the batch has 2 bodies");
    }

    #[test]
    fn next_links_stay_on_the_service_and_a_failed_one_answers_the_rest() {
        let mut batch = Batch::new("https://graph.microsoft.com/v1.0");
        let items: Vec<_> = (0..3)
            .map(|i| batch.add(&call_record::Get::new(call_record::Item::new(format!("r{i}")))).unwrap())
            .collect();
        let early = |link: &str| {
            json!({"responses": [{"id": "1", "status": 200, "body": {"id": "r0"}}], "@odata.nextLink": link})
                .to_string()
        };
        let mut answers = BatchAnswers::new(&batch);
        let elsewhere = early("https://evil.example/v1.0/$batch?$skiptoken=x");
        let error = answers.read_answer(0, &Answer::new(200, &[], elsewhere.as_bytes())).unwrap_err();
        assert!(
            error.to_string().starts_with("the $batch answer at [0].@odata.nextLink: `https://evil.example"),
            "{error}"
        );
        let on_graph = early("https://GRAPH.microsoft.com/v1.0/$batch?$skiptoken=x");
        answers.read_answer(0, &Answer::new(200, &[], on_graph.as_bytes())).unwrap();
        assert_eq!(answers.next_link().map(|(body, _)| body), Some(0));
        // Following it failed as a whole: the two not answered yet take the failure.
        answers.read_answer(0, &Answer::new(503, &[("Retry-After", "1")], b"")).unwrap();
        assert!(answers.next_link().is_none());
        assert!(answers.get(&items[0]).is_ok());
        assert_eq!(answers.get(&items[1]).unwrap_err().status(), 503);
        assert_eq!(answers.get(&items[2]).unwrap_err().status(), 503);
    }

    #[test]
    fn answers_that_are_not_graphs_say_where() {
        let mut batch = Batch::new("https://graph.microsoft.com/v1.0");
        batch.add(&call::Get::new(call::Item::new("c1"))).unwrap();
        let read = |text: &str| BatchAnswers::read(&batch, &[text.as_bytes()]).unwrap_err().to_string();
        assert!(read("[]").contains("[0].responses"));
        assert!(read(r#"{"responses": [{"id": "9", "status": 200}]}"#).contains("`9` is no request"));
        assert!(read(r#"{"responses": [{"id": "1", "status": 9000}]}"#).contains("[0].responses[0].status"));
        assert!(read(r#"{"responses": [{"status": 200}]}"#).contains("[0].responses[0].id"));
        let bad64 =
            r#"{"responses": [{"id": "1", "status": 200, "headers": {"content-type": "image/png"}, "body": "***"}]}"#;
        assert!(read(bad64).contains("[0].responses[0].body"));
        let answers = BatchAnswers::read(&batch, &[]).unwrap();
        assert_eq!(answers.unanswered(), ["1"]);
    }
}
