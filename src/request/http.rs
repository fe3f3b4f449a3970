//! Conversions to and from the `http` crate's types (cargo feature `http`), so that any client
//! built on them (hyper, reqwest, a tower service, a test double) can send a [`Request`].

use crate::odata::{Answer, AnswerError, Request};

/// Why a request could not be built.
#[derive(Debug)]
pub enum BuildError {
    /// The body did not serialize.
    Body(serde_json::Error),
    /// The URL cannot be written: a function parameter's value is no valid literal of its
    /// type, or a link the service gave is not on the service ([`crate::odata::UrlError`]).
    Url(crate::odata::UrlError),
    /// The URL or a header is not valid for `http` (the error says which).
    Http(::http::Error),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Body(e) => write!(f, "the body does not serialize: {e}"),
            BuildError::Url(e) => e.fmt(f),
            BuildError::Http(e) => write!(f, "not a valid HTTP request: {e}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// `request` as an `http::Request` to the API at `base` (such as `v1_0::BASE_URL`,
/// `https://graph.microsoft.com/v1.0`): its method, URL, `Accept: application/json` (unless
/// it asks for another type), its own headers ([`Request::headers`]: `Prefer`, `If-Match`,
/// … given with [`Request::with_headers`]), and for a body, the JSON and `Content-Type:
/// application/json`. Add the `Authorization` header yourself.
pub fn to_http<R: Request>(request: &R, base: &str) -> Result<::http::Request<Vec<u8>>, BuildError> {
    let url = request.url(base).map_err(BuildError::Url)?;
    let mut builder = ::http::Request::builder().method(R::METHOD).uri(&url);
    let headers = request.headers();
    // `Accept: application/json` unless the request asks for another type (a stream's format).
    if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("accept")) {
        builder = builder.header(::http::header::ACCEPT, "application/json");
    }
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    let result = match request.body() {
        Some(body) => {
            let json = serde_json::to_vec(body).map_err(BuildError::Body)?;
            builder.header(::http::header::CONTENT_TYPE, "application/json").body(json)
        }
        None => builder.body(Vec::new()),
    };
    result.map_err(BuildError::Http)
}

/// The answer to `R`, decoded from an `http::Response` with any body bytes: `R::Response` for
/// a `2xx` status (`202`/`204` and empty bodies included; a stream's bytes with their
/// `Content-Type`), else Graph's error body, with `Retry-After` on `429` and `503`.
pub fn from_http<R: Request, B: AsRef<[u8]>>(response: &::http::Response<B>) -> Result<R::Response, AnswerError> {
    let headers: Vec<(&str, &str)> =
        response.headers().iter().filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?))).collect();
    R::decode(&Answer::new(response.status().as_u16(), &headers, response.body().as_ref()))
}

/// The `$batch` requests of `batch`, as `http::Request`s: `POST {base}/$batch`, a JSON body
/// of at most 20 requests each (see [`crate::odata::Batch::bodies`]). Add the `Authorization`
/// header yourself.
pub fn batch_to_http(batch: &crate::odata::Batch) -> Result<Vec<::http::Request<Vec<u8>>>, crate::odata::BatchError> {
    let url = batch.url();
    let bodies = batch.bodies()?;
    bodies
        .into_iter()
        .map(|body| {
            let json = serde_json::to_vec(&body).map_err(crate::odata::BatchError::Body)?;
            ::http::Request::builder()
                .method("POST")
                .uri(&url)
                .header(::http::header::ACCEPT, "application/json")
                .header(::http::header::CONTENT_TYPE, "application/json")
                .body(json)
                .map_err(|e| crate::odata::BatchError::Answer { at: "$batch".into(), reason: e.to_string() })
        })
        .collect()
}

/// The answers of `batch` from the `http::Response`s to its [`batch_to_http`] requests, in
/// their order. A `$batch` request that failed as a whole (`429`, `503`, …) answers each of its
/// requests with its status, headers and body (see [`crate::odata::BatchAnswers::read_answer`]).
pub fn batch_from_http<B: AsRef<[u8]>>(
    batch: &crate::odata::Batch,
    responses: &[::http::Response<B>],
) -> Result<crate::odata::BatchAnswers, crate::odata::BatchError> {
    let mut answers = crate::odata::BatchAnswers::new(batch);
    for (i, response) in responses.iter().enumerate() {
        let headers: Vec<(&str, &str)> =
            response.headers().iter().filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?))).collect();
        answers.read_answer(i, &Answer::new(response.status().as_u16(), &headers, response.body().as_ref()))?;
    }
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::{NextPage, RetryAfter};

    #[test]
    fn next_links_stay_on_the_service() {
        let page: NextPage<String> =
            NextPage::new("https://graph.microsoft.com/v1.0/communications/calls?$skiptoken=x");
        let request = to_http(&page, "https://graph.microsoft.com/v1.0").unwrap();
        assert_eq!(request.method(), "GET");
        assert_eq!(request.uri().query(), Some("$skiptoken=x"));
        assert!(request.headers().get("content-type").is_none());
        let elsewhere: NextPage<String> = NextPage::new("https://evil.example/v1.0/calls");
        assert!(matches!(
            to_http(&elsewhere, "https://graph.microsoft.com/v1.0"),
            Err(BuildError::Url(crate::odata::UrlError::Foreign { .. }))
        ));
    }

    #[test]
    fn a_requests_own_headers_are_written() {
        use crate::odata::{Preference, RequestHeaders};
        let headers = RequestHeaders::new()
            .prefer(Preference::IncludeUnknownEnumMembers)
            .if_match("W/\"1\"")
            .unwrap()
            .header("x-custom", "yes")
            .unwrap();
        let page: NextPage<String> = NextPage::new("https://graph.microsoft.com/v1.0/x");
        let request = to_http(&page.with_headers(headers), "https://graph.microsoft.com/v1.0").unwrap();
        let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
        assert_eq!(header("prefer"), Some("include-unknown-enum-members"));
        assert_eq!(header("if-match"), Some("W/\"1\""));
        assert_eq!(header("x-custom"), Some("yes"));
        assert_eq!(header("accept"), Some("application/json"));
    }

    #[test]
    fn answers_decode_with_retry_after() {
        let response = ::http::Response::builder()
            .status(429)
            .header("Retry-After", "7")
            .body(br#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#.to_vec())
            .unwrap();
        let error = from_http::<NextPage<String>, _>(&response).unwrap_err();
        assert_eq!(error.status(), 429);
        assert_eq!(error.retry_after(), Some(&RetryAfter::Delay(std::time::Duration::from_secs(7))));
        assert_eq!(error.graph_error().unwrap().code(), Some("TooManyRequests"));
        let ok = ::http::Response::builder().status(200).body(r#"{"value":["a"]}"#).unwrap();
        assert_eq!(from_http::<NextPage<String>, _>(&ok).unwrap().items(), ["a"]);
    }
}
