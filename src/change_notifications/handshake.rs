//! The validation handshake: before it creates (or renews) a subscription, Graph posts to the
//! notification URL, and to the lifecycle notification URL, with a `validationToken` query
//! parameter, and wants that token back within 10 seconds, as `200 OK` and `text/plain`: the
//! answer here says `text/plain; charset=utf-8`.
//!
//! The token is reflected as it came, so it is reflected only for what Graph sends: a `POST`,
//! a token in the query (not in a path that merely holds `validationToken=`), of at most
//! [`MAX_TOKEN_BYTES`].

use crate::odata::form_decode;
use std::fmt;

/// The query parameter that carries the token.
pub const VALIDATION_TOKEN: &str = "validationToken";

/// The longest token that is reflected, in bytes once decoded. Graph's are a sentence and a
/// GUID (about 120 bytes); a longer one is refused with `400`.
pub const MAX_TOKEN_BYTES: usize = 1024;

/// The answer to a validation request: `200 OK`, `text/plain; charset=utf-8`, the token
/// (URL-decoded) as the body, exactly as it came.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationResponse {
    token: String,
}

impl ValidationResponse {
    /// The status to answer with.
    pub const STATUS: u16 = 200;
    /// The `Content-Type` to answer with. Together with [`Self::HEADERS`] it keeps a browser
    /// from reading the reflected token as HTML or script.
    pub const CONTENT_TYPE: &'static str = "text/plain; charset=utf-8";
    /// Every header to answer with: the content type, and `X-Content-Type-Options: nosniff`.
    pub const HEADERS: [(&'static str, &'static str); 2] =
        [("content-type", Self::CONTENT_TYPE), ("x-content-type-options", "nosniff")];

    /// The body: the token, URL-decoded.
    pub fn body(&self) -> &str {
        &self.token
    }

    /// The body, owned.
    pub fn into_body(self) -> String {
        self.token
    }

    /// The answer as an `http::Response` (cargo feature `http`).
    #[cfg(feature = "http")]
    pub fn into_http(self) -> ::http::Response<String> {
        let mut response = ::http::Response::new(self.token);
        for (name, value) in Self::HEADERS {
            response.headers_mut().insert(name, ::http::HeaderValue::from_static(value));
        }
        response
    }
}

/// Why a request's query is not a validation request that can be answered: answer
/// [`HandshakeError::status`] and no token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HandshakeError {
    /// A `validationToken` came with another method than `POST` (the method, its first 100
    /// characters): Graph sends validation requests as `POST`s.
    Method(String),
    /// The token is longer than [`MAX_TOKEN_BYTES`] once decoded.
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// `validationToken` came more than once: which one to reflect is not clear.
    Repeated,
    /// `validationToken` came without a value.
    Empty,
    /// The token's `%XX` escapes do not make UTF-8 text, or one is cut short; `at` is the byte
    /// offset in the query of the parameter's value.
    BadEscape {
        /// Where the value starts in the query.
        at: usize,
    },
}

impl fmt::Display for HandshakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandshakeError::Method(method) => write!(f, "`{VALIDATION_TOKEN}` came with {method}, not POST"),
            HandshakeError::TooLong { len } => {
                write!(f, "`{VALIDATION_TOKEN}` holds {len} bytes, more than {MAX_TOKEN_BYTES}")
            }
            HandshakeError::Repeated => write!(f, "`{VALIDATION_TOKEN}` is given more than once"),
            HandshakeError::Empty => write!(f, "`{VALIDATION_TOKEN}` has no value"),
            HandshakeError::BadEscape { at } => {
                write!(f, "`{VALIDATION_TOKEN}` at byte {at} of the query is not valid URL-encoded UTF-8")
            }
        }
    }
}

impl std::error::Error for HandshakeError {}

impl HandshakeError {
    /// The status to answer with: `405 Method Not Allowed` for another method than `POST`,
    /// `400 Bad Request` otherwise.
    pub fn status(&self) -> u16 {
        match self {
            HandshakeError::Method(_) => 405,
            _ => 400,
        }
    }
}

/// Whether a request to the notification (or lifecycle) URL is Graph's validation request,
/// and if so what to answer. `method` is the request's; `target` is its query
/// (`validationToken=…`, with or without `?`, as a framework gives the query alone) or its
/// whole path or URL with the query.
///
/// - `Ok(None)`: no `validationToken` in the query; the request is a delivery of
///   notifications.
/// - `Ok(Some(answer))`: answer with [`ValidationResponse::STATUS`], its headers and its body.
/// - `Err(error)`: a `validationToken` that is not reflected (another method than `POST`, a
///   token longer than [`MAX_TOKEN_BYTES`], repeated, empty, or not URL-encoded UTF-8);
///   answer [`HandshakeError::status`].
///
/// The token is decoded as a form value (`+` is a space, `%XX` a byte), as Graph encodes it.
///
/// ```
/// use msgraph_comms::change_notifications::{HandshakeError, validation_request};
/// let answer = validation_request("POST", "/api/notify?validationToken=Validation%3A+Testing+client").unwrap();
/// assert_eq!(answer.unwrap().body(), "Validation: Testing client");
/// assert_eq!(validation_request("POST", "/api/notify").unwrap(), None);
/// // What Graph never sends is never reflected.
/// let probe = validation_request("GET", "/api/notify?validationToken=%3Cscript%3E");
/// assert!(matches!(probe, Err(HandshakeError::Method(_))));
/// assert_eq!(validation_request("POST", "/api/notify/x&validationToken=t").unwrap(), None);
/// ```
pub fn validation_request(method: &str, target: &str) -> Result<Option<ValidationResponse>, HandshakeError> {
    let target = target.split('#').next().unwrap_or_default();
    let (query, offset) = match target.find('?') {
        Some(at) => (&target[at + 1..], at + 1),
        None if is_bare_query(target) => (target, 0),
        None => return Ok(None),
    };
    let mut found = None;
    let mut start = offset;
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if form_decode(name).as_deref() == Some(VALIDATION_TOKEN) {
            if found.is_some() {
                return Err(HandshakeError::Repeated);
            }
            found = Some((value, start + name.len() + 1));
        }
        start += pair.len() + 1;
    }
    let Some((value, at)) = found else { return Ok(None) };
    if !method.eq_ignore_ascii_case("POST") {
        return Err(HandshakeError::Method(crate::bounded::bounded(method)));
    }
    // Decoding shortens: a value three times the limit cannot decode within it.
    if value.len() > 3 * MAX_TOKEN_BYTES {
        return Err(HandshakeError::TooLong { len: value.len() });
    }
    let token = form_decode(value).ok_or(HandshakeError::BadEscape { at })?;
    if token.is_empty() {
        return Err(HandshakeError::Empty);
    }
    if token.len() > MAX_TOKEN_BYTES {
        return Err(HandshakeError::TooLong { len: token.len() });
    }
    Ok(Some(ValidationResponse { token }))
}

/// Whether `target`, which has no `?`, is a query given alone (`validationToken=…`): not a
/// path (`/notify/x&validationToken=…`) nor a URL.
fn is_bare_query(target: &str) -> bool {
    let before_value = target.split('=').next().unwrap_or_default();
    !target.starts_with('/') && !target.contains("://") && !before_value.contains('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(target: &str) -> Option<String> {
        validation_request("POST", target).unwrap().map(ValidationResponse::into_body)
    }

    #[test]
    fn the_token_is_reflected_decoded() {
        let encoded = "validationToken=Validation%3a+Testing+client+application+reachability+for+subscription+Request-Id%3a+af07a8b5-0ac6-4b0b-8bd2-fa7b22f12c28";
        let decoded = "Validation: Testing client application reachability for subscription Request-Id: af07a8b5-0ac6-4b0b-8bd2-fa7b22f12c28";
        for target in [
            encoded.to_owned(),
            format!("?{encoded}"),
            format!("/api/notifications?{encoded}"),
            format!("https://bot.example.com/api/lifecycle?a=1&{encoded}&b=%2B#frag"),
        ] {
            assert_eq!(token(&target).as_deref(), Some(decoded), "{target}");
        }
        // HTML in the token is reflected as text, never interpreted: the headers say so.
        assert_eq!(token("validationToken=%3Cscript%3E").as_deref(), Some("<script>"));
        assert!(ValidationResponse::HEADERS.contains(&("x-content-type-options", "nosniff")));
        assert_eq!(token("validationToken=a%2Bb").as_deref(), Some("a+b"));
    }

    #[test]
    fn a_delivery_is_no_validation_request() {
        for target in ["", "/api/notifications", "/api/notifications?x=1", "?validationtoken=abc", "tokens=1"] {
            assert_eq!(validation_request("POST", target), Ok(None), "{target}");
        }
    }

    #[test]
    fn tokens_that_cannot_be_reflected_are_errors() {
        assert_eq!(validation_request("POST", "?validationToken=a&validationToken=b"), Err(HandshakeError::Repeated));
        assert_eq!(validation_request("POST", "/n?validationToken="), Err(HandshakeError::Empty));
        assert_eq!(validation_request("POST", "/n?validationToken"), Err(HandshakeError::Empty));
        assert_eq!(
            validation_request("POST", "/n?x=1&validationToken=ab%4"),
            Err(HandshakeError::BadEscape { at: 23 })
        );
        assert_eq!(validation_request("POST", "?validationToken=%FF%FE"), Err(HandshakeError::BadEscape { at: 17 }));
        assert!(HandshakeError::BadEscape { at: 3 }.to_string().contains("byte 3"));
        // Only a POST is answered: a GET that carries a token is a probe, never reflected.
        for method in ["GET", "PUT", "HEAD", "DELETE", "OPTIONS"] {
            let error = validation_request(method, "/n?validationToken=%3Cscript%3E").unwrap_err();
            assert_eq!(
                (error.status(), error.to_string()),
                (405, format!("`validationToken` came with {method}, not POST"))
            );
        }
        assert!(validation_request("post", "/n?validationToken=t").unwrap().is_some());
        // A bounded token: 50 MiB never comes back.
        let long = format!("/n?validationToken={}", "a".repeat(MAX_TOKEN_BYTES + 1));
        assert_eq!(validation_request("POST", &long), Err(HandshakeError::TooLong { len: MAX_TOKEN_BYTES + 1 }));
        let huge = format!("/n?validationToken={}", "%41".repeat(20 * MAX_TOKEN_BYTES));
        assert!(matches!(validation_request("POST", &huge), Err(HandshakeError::TooLong { .. })));
        let at_limit = format!("/n?validationToken={}", "%41".repeat(MAX_TOKEN_BYTES));
        assert_eq!(token(&at_limit).map(|t| t.len()), Some(MAX_TOKEN_BYTES));
        assert_eq!(HandshakeError::Empty.status(), 400);
    }

    #[test]
    fn only_a_real_query_is_read() {
        for path in
            ["/notify/x&validationToken=t", "/notify/validationToken=t", "https://bot.example/x&validationToken=t"]
        {
            assert_eq!(validation_request("POST", path), Ok(None), "{path}");
        }
        assert_eq!(token("validationToken=a/b").as_deref(), Some("a/b"), "a query given alone");
    }

    #[cfg(feature = "http")]
    #[test]
    fn the_answer_as_http() {
        let answer = validation_request("POST", "?validationToken=t1").unwrap().unwrap().into_http();
        assert_eq!(answer.status(), ValidationResponse::STATUS);
        assert_eq!(answer.headers()["content-type"], ValidationResponse::CONTENT_TYPE);
        assert_eq!(answer.headers()["x-content-type-options"], "nosniff");
        assert_eq!(answer.body(), "t1");
    }
}
