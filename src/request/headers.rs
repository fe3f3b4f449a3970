//! Request headers: `Prefer` typed (RFC 7240 and OData's preferences), `ConsistencyLevel`,
//! `If-Match`, `client-request-id` and any other header by name, each checked before it is
//! written: a value that would break the header (a line break, a byte that is not visible
//! ASCII) is an error, never sent.

use std::fmt;

/// Why a header cannot be written (or read): which header, where in its value, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderError {
    /// The header's name, in lower case.
    pub header: String,
    /// The byte offset in the value where it goes wrong.
    pub at: usize,
    /// Why.
    pub reason: &'static str,
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "header `{}`, at byte {}: {}", self.header, self.at, self.reason)
    }
}

impl std::error::Error for HeaderError {}

/// One preference of a `Prefer` header.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Preference {
    /// `odata.maxpagesize=N`: at most N items a page (N ≥ 1).
    MaxPageSize(u32),
    /// `include-unknown-enum-members`: enum members added after `unknownFutureValue` come as
    /// themselves, not as `unknownFutureValue` (Graph's call records document it).
    IncludeUnknownEnumMembers,
    /// `return=minimal`: no body in the answer of a write.
    ReturnMinimal,
    /// `return=representation`: the entity written, in the answer.
    ReturnRepresentation,
    /// `respond-async`.
    RespondAsync,
    /// `odata.include-annotations="…"`: which instance annotations to include, as OData lists
    /// them (`*`, `-*`, `Namespace.*`, `-Namespace.Term#qualifier`, comma-separated).
    IncludeAnnotations(String),
    /// Any other preference (RFC 7240's grammar), as written: `odata.track-changes`,
    /// `wait=10`, `odata.callback;url="…"` …
    Other(String),
}

impl fmt::Display for Preference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Preference::MaxPageSize(n) => write!(f, "odata.maxpagesize={n}"),
            Preference::IncludeUnknownEnumMembers => f.write_str("include-unknown-enum-members"),
            Preference::ReturnMinimal => f.write_str("return=minimal"),
            Preference::ReturnRepresentation => f.write_str("return=representation"),
            Preference::RespondAsync => f.write_str("respond-async"),
            Preference::IncludeAnnotations(list) => write!(f, "odata.include-annotations=\"{list}\""),
            Preference::Other(text) => f.write_str(text),
        }
    }
}

/// A `Prefer` header (or `Preference-Applied`): its preferences, in order.
///
/// ```
/// use msgraph_comms::odata::{Prefer, Preference};
///
/// let prefer = Prefer::parse("odata.maxpagesize=50, include-unknown-enum-members").unwrap();
/// assert_eq!(prefer.preferences(), [Preference::MaxPageSize(50), Preference::IncludeUnknownEnumMembers]);
/// assert_eq!(prefer.to_string(), "odata.maxpagesize=50, include-unknown-enum-members");
/// assert!(Prefer::parse("odata.maxpagesize=0").is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prefer(Vec<Preference>);

impl Prefer {
    /// No preference.
    pub fn new() -> Self {
        Prefer::default()
    }

    /// With `preference` too (replacing one of the same kind: one page size, one `return`).
    pub fn with(mut self, preference: Preference) -> Self {
        let kind = |p: &Preference| std::mem::discriminant(p);
        let same = |p: &Preference| match (p, &preference) {
            (Preference::ReturnMinimal | Preference::ReturnRepresentation, Preference::ReturnMinimal)
            | (Preference::ReturnMinimal | Preference::ReturnRepresentation, Preference::ReturnRepresentation) => true,
            (Preference::Other(_), _) => false,
            (p, q) => kind(p) == kind(q),
        };
        self.0.retain(|p| !same(p));
        self.0.push(preference);
        self
    }

    /// The preferences, in order.
    pub fn preferences(&self) -> &[Preference] {
        &self.0
    }

    /// Whether it has no preference.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A `Prefer` (or `Preference-Applied`) value read: preferences separated by commas, each
    /// a token with an optional value and parameters (RFC 7240), OData's checked as OData
    /// defines them (`maxpagesize` of at least 1, `include-annotations` a list of annotation
    /// identifiers, `return` `minimal` or `representation`). The `odata.` prefix is optional.
    pub fn parse(value: &str) -> Result<Prefer, HeaderError> {
        let error = |at: usize, reason| HeaderError { header: "prefer".into(), at, reason };
        check_value("prefer", value)?;
        let mut preferences = Vec::new();
        for (start, piece) in split_outside_quotes(value, b',') {
            let trimmed_start = start + (piece.len() - piece.trim_start().len());
            let piece = piece.trim_matches([' ', '\t']);
            if piece.is_empty() {
                return Err(error(start, "an empty preference"));
            }
            preferences.push(preference(piece).map_err(|(at, reason)| error(trimmed_start + at, reason))?);
        }
        Ok(Prefer(preferences))
    }
}

impl fmt::Display for Prefer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, preference) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{preference}")?;
        }
        Ok(())
    }
}

impl From<Preference> for Prefer {
    fn from(preference: Preference) -> Self {
        Prefer(vec![preference])
    }
}

/// Parts of `text` between `separator`s that are not inside a quoted string, with where
/// each starts.
fn split_outside_quotes(text: &str, separator: u8) -> Vec<(usize, &str)> {
    let (mut parts, mut start, mut quoted, mut escaped) = (Vec::new(), 0, false, false);
    for (i, byte) in text.bytes().enumerate() {
        match byte {
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            b if b == separator && !quoted => {
                parts.push((start, &text[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push((start, &text[start..]));
    parts
}

fn is_tchar(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// One preference: `token [BWS "=" BWS (token / quoted-string)] *(OWS ";" [OWS parameter])`,
/// OData's checked further. The error's offset is in `text`.
fn preference(text: &str) -> Result<Preference, (usize, &'static str)> {
    let name_end = text.bytes().position(|b| !is_tchar(b)).unwrap_or(text.len());
    if name_end == 0 {
        return Err((0, "a preference starts with its name, a token"));
    }
    let name = &text[..name_end];
    let mut at = name_end;
    let rest = &text[at..];
    // An optional value.
    let after_space = rest.trim_start_matches([' ', '\t']);
    let mut value: Option<(usize, &str)> = None;
    if let Some(after_eq) = after_space.strip_prefix('=') {
        let value_start = text.len() - after_eq.trim_start_matches([' ', '\t']).len();
        let end = word_end(text, value_start)?;
        value = Some((value_start, &text[value_start..end]));
        at = end;
    }
    // Parameters.
    let params = &text[at..];
    for (start, parameter) in split_outside_quotes(params, b';').into_iter().skip(1) {
        let offset = at + start;
        let parameter = parameter.trim_matches([' ', '\t']);
        if parameter.is_empty() {
            continue;
        }
        let lead = text[offset..].len() - text[offset..].trim_start_matches([' ', '\t']).len();
        parameter_valid(text, offset + lead, parameter)?;
    }
    if !params.trim_matches([' ', '\t']).is_empty() && !params.trim_start_matches([' ', '\t']).starts_with(';') {
        return Err((at, "after a preference's value comes `;` or `,`"));
    }
    typed(text, name, value, !params.trim().is_empty())
}

/// Where a token or a quoted string that starts at `start` ends.
fn word_end(text: &str, start: usize) -> Result<usize, (usize, &'static str)> {
    let bytes = text.as_bytes();
    match bytes.get(start) {
        Some(b'"') => {
            let mut i = start + 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 2,
                    b'"' => return Ok(i + 1),
                    _ => i += 1,
                }
            }
            Err((start, "a quoted string that does not end"))
        }
        Some(&b) if is_tchar(b) => {
            Ok(bytes[start..].iter().position(|&b| !is_tchar(b)).map_or(bytes.len(), |p| start + p))
        }
        _ => Err((start, "a value is a token or a quoted string")),
    }
}

fn parameter_valid(text: &str, start: usize, parameter: &str) -> Result<(), (usize, &'static str)> {
    let name_end = parameter.bytes().position(|b| !is_tchar(b)).unwrap_or(parameter.len());
    if name_end == 0 {
        return Err((start, "a parameter starts with its name, a token"));
    }
    let rest = parameter[name_end..].trim_start_matches([' ', '\t']);
    if rest.is_empty() {
        return Ok(());
    }
    let Some(value) = rest.strip_prefix('=') else {
        return Err((start + name_end, "a parameter's name is followed by `=`"));
    };
    let value = value.trim_start_matches([' ', '\t']);
    let value_start = start + parameter.len() - value.len();
    let end = word_end(text, value_start)?;
    match end == value_start + value.len() {
        true => Ok(()),
        false => Err((end, "a parameter has one value")),
    }
}

/// OData's preferences checked and typed; any other kept as written.
fn typed(
    whole: &str,
    name: &str,
    value: Option<(usize, &str)>,
    has_parameters: bool,
) -> Result<Preference, (usize, &'static str)> {
    let lower = name.to_ascii_lowercase();
    let short = lower.strip_prefix("odata.").unwrap_or(&lower);
    let raw = || whole.to_owned();
    let simple = !has_parameters;
    Ok(match (short, value) {
        ("maxpagesize", Some((at, v))) => {
            let first = v.bytes().next();
            if !matches!(first, Some(b'1'..=b'9')) || !v.bytes().all(|b| b.is_ascii_digit()) {
                return Err((at, "maxpagesize is a whole number of at least 1"));
            }
            Preference::MaxPageSize(v.parse().map_err(|_| (at, "maxpagesize is too large"))?)
        }
        ("maxpagesize", None) => return Err((name.len(), "maxpagesize needs `=N`")),
        ("include-unknown-enum-members", None) if simple => Preference::IncludeUnknownEnumMembers,
        ("respond-async", None) if simple && lower == "respond-async" => Preference::RespondAsync,
        ("return", Some((at, v))) if lower == "return" => match v {
            "minimal" if simple => Preference::ReturnMinimal,
            "representation" if simple => Preference::ReturnRepresentation,
            "minimal" | "representation" => return Ok(Preference::Other(raw())),
            _ => return Err((at, "return is `minimal` or `representation`")),
        },
        ("include-annotations", Some((at, v))) => {
            let list = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .ok_or((at, "include-annotations is a quoted list"))?;
            annotations_list(list).map_err(|offset| (at + 1 + offset, "not an annotation identifier (`*`, `Namespace.*`, `Namespace.Term`, each `-` to exclude, `#qualifier` to qualify)"))?;
            match simple {
                true => Preference::IncludeAnnotations(list.to_owned()),
                false => Preference::Other(raw()),
            }
        }
        _ => Preference::Other(raw()),
    })
}

/// `annotationIdentifier *("," annotationIdentifier)`: the offset of the first that is not one.
fn annotations_list(list: &str) -> Result<(), usize> {
    let mut offset = 0;
    for item in list.split(',') {
        let body = item.strip_prefix('-').unwrap_or(item);
        let (target, qualifier) = match body.split_once('#') {
            Some((target, qualifier)) => (target, Some(qualifier)),
            None => (body, None),
        };
        let identifier = |s: &str| {
            s.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && s.chars().all(|c| c.is_alphanumeric() || c == '_')
        };
        let target_ok = target == "*"
            || target.rsplit_once('.').is_some_and(|(namespace, last)| {
                namespace.split('.').all(identifier) && (last == "*" || identifier(last))
            });
        if !target_ok || qualifier.is_some_and(|q| !identifier(q)) {
            return Err(offset);
        }
        offset += item.len() + 1;
    }
    Ok(())
}

/// A header value's bytes: visible ASCII, spaces and tabs; no line break (which would end the
/// header and start another), nothing else.
fn check_value(header: &str, value: &str) -> Result<(), HeaderError> {
    match value.bytes().position(|b| !(b == b' ' || b == b'\t' || (0x21..0x7f).contains(&b))) {
        None => Ok(()),
        Some(at) => Err(HeaderError {
            header: header.to_owned(),
            at,
            reason: match value.as_bytes()[at] {
                b'\r' | b'\n' => "a line break would end the header",
                b if b >= 0x80 => "not ASCII",
                _ => "a control character",
            },
        }),
    }
}

/// Headers a client or its transport writes: never set through [`RequestHeaders::header`].
const TRANSPORT: &[&str] = &["host", "content-length", "transfer-encoding", "connection", "authorization"];

/// The headers a request carries besides `Authorization`, `Accept` and `Content-Type`, checked
/// as they are set. Built with [`RequestHeaders::new`] and given to a request with
/// [`Request::with_headers`](crate::odata::Request::with_headers).
///
/// ```
/// use msgraph_comms::odata::{Preference, RequestHeaders};
///
/// let headers = RequestHeaders::new()
///     .prefer(Preference::IncludeUnknownEnumMembers)
///     .prefer(Preference::MaxPageSize(100))
///     .consistency_level_eventual()
///     .client_request_id("3e6a1c40-5f1d-4b7b-8f4a-4b5c7c8d9e0f").unwrap();
/// assert_eq!(
///     headers.entries(),
///     [
///         ("prefer".to_owned(), "include-unknown-enum-members, odata.maxpagesize=100".to_owned()),
///         ("consistencylevel".to_owned(), "eventual".to_owned()),
///         ("client-request-id".to_owned(), "3e6a1c40-5f1d-4b7b-8f4a-4b5c7c8d9e0f".to_owned()),
///     ]
/// );
/// // A value that would break the header is refused, not written.
/// assert!(RequestHeaders::new().header("x-note", "a\r\nX-Evil: 1").is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestHeaders {
    prefer: Prefer,
    /// Other headers, by lower-case name, in the order set.
    others: Vec<(String, String)>,
}

impl RequestHeaders {
    /// No header.
    pub fn new() -> Self {
        RequestHeaders::default()
    }

    /// With a preference in `Prefer` (one header, its preferences comma-separated).
    pub fn prefer(mut self, preference: Preference) -> Self {
        self.prefer = self.prefer.with(preference);
        self
    }

    /// `ConsistencyLevel: eventual` (advanced queries: `$count`, `$search`, some `$filter`s).
    pub fn consistency_level_eventual(self) -> Self {
        self.set("consistencylevel", "eventual".into())
    }

    /// `If-Match: etag`: the write applies only to the version the etag names (`*`: to any).
    pub fn if_match(self, etag: &str) -> Result<Self, HeaderError> {
        check_value("if-match", etag)?;
        if etag.trim().is_empty() {
            return Err(HeaderError { header: "if-match".into(), at: 0, reason: "an empty etag" });
        }
        Ok(self.set("if-match", etag.to_owned()))
    }

    /// `If-Match` with the `@odata.etag` an entity came with.
    pub fn if_match_entity(self, entity: &impl crate::odata::ODataObject) -> Result<Self, HeaderError> {
        let etag = entity.extras().get("@odata.etag").and_then(serde_json::Value::as_str);
        match etag {
            Some(etag) => self.if_match(etag),
            None => {
                Err(HeaderError { header: "if-match".into(), at: 0, reason: "the entity came without @odata.etag" })
            }
        }
    }

    /// `client-request-id`: an id of the client's own, that Graph echoes and logs.
    pub fn client_request_id(self, id: &str) -> Result<Self, HeaderError> {
        check_value("client-request-id", id)?;
        Ok(self.set("client-request-id", id.to_owned()))
    }

    /// Any other header by name (a token; not one the transport writes: `Host`,
    /// `Content-Length`, `Transfer-Encoding`, `Connection`, `Authorization`). `Prefer` is read
    /// and checked as [`Prefer::parse`] does.
    pub fn header(self, name: &str, value: &str) -> Result<Self, HeaderError> {
        let lower = name.to_ascii_lowercase();
        if let Some(at) = name.bytes().position(|b| !is_tchar(b)).or(name.is_empty().then_some(0)) {
            return Err(HeaderError { header: lower, at, reason: "a header's name is a token" });
        }
        if TRANSPORT.contains(&lower.as_str()) {
            return Err(HeaderError { header: lower, at: 0, reason: "the client or its transport writes this header" });
        }
        check_value(&lower, value)?;
        if lower == "prefer" {
            let mut headers = self;
            for preference in Prefer::parse(value)?.0 {
                headers = headers.prefer(preference);
            }
            return Ok(headers);
        }
        Ok(self.set(&lower, value.to_owned()))
    }

    fn set(mut self, name: &str, value: String) -> Self {
        match self.others.iter_mut().find(|(n, _)| n == name) {
            Some((_, old)) => *old = value,
            None => self.others.push((name.to_owned(), value)),
        }
        self
    }

    /// The headers as written: `prefer` first when there is one, then the others in the order
    /// set, by lower-case name.
    pub fn entries(&self) -> Vec<(String, String)> {
        let prefer = (!self.prefer.is_empty()).then(|| ("prefer".to_owned(), self.prefer.to_string()));
        prefer.into_iter().chain(self.others.iter().cloned()).collect()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.prefer.is_empty() && self.others.is_empty()
    }

    /// A request's `headers` with these: each in place of one of the same name (any case), or
    /// added.
    pub(crate) fn apply_to(&self, headers: &mut Vec<(String, String)>) {
        for (name, value) in self.entries() {
            match headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
                Some((_, old)) => *old = value,
                None => headers.push((name, value)),
            }
        }
    }
}

/// A request with headers of its own ([`Request::with_headers`]): the same path, body and
/// answer; its headers those of the request, then these (one of the same name replaces it).
///
/// [`Request::with_headers`]: crate::odata::Request::with_headers
#[derive(Clone, Debug, PartialEq)]
pub struct WithHeaders<R> {
    request: R,
    headers: RequestHeaders,
}

impl<R> WithHeaders<R> {
    pub(crate) fn new(request: R, headers: RequestHeaders) -> Self {
        WithHeaders { request, headers }
    }

    /// The request.
    pub fn request(&self) -> &R {
        &self.request
    }

    /// The headers added to it.
    pub fn added(&self) -> &RequestHeaders {
        &self.headers
    }

    /// The request, without the headers.
    pub fn into_inner(self) -> R {
        self.request
    }
}

impl<R: crate::odata::Request> crate::odata::Request for WithHeaders<R> {
    const METHOD: &'static str = R::METHOD;
    type Body = R::Body;
    type Response = R::Response;

    fn templates() -> &'static [crate::odata::PathTemplate] {
        R::templates()
    }

    fn template(&self) -> Option<&'static crate::odata::PathTemplate> {
        self.request.template()
    }

    fn path(&self) -> Result<String, crate::odata::UrlError> {
        self.request.path()
    }

    fn query(&self) -> String {
        self.request.query()
    }

    fn body(&self) -> Option<&R::Body> {
        self.request.body()
    }

    fn headers(&self) -> Vec<(String, String)> {
        let mut headers = self.request.headers();
        self.headers.apply_to(&mut headers);
        headers
    }

    fn url(&self, base: &str) -> Result<String, crate::odata::UrlError> {
        self.request.url(base)
    }

    fn decode(answer: &crate::odata::Answer<'_>) -> Result<R::Response, crate::odata::AnswerError> {
        R::decode(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefer_round_trips_and_types_odatas_preferences() {
        let cases = [
            ("odata.maxpagesize=50", vec![Preference::MaxPageSize(50)]),
            ("maxpagesize=50", vec![Preference::MaxPageSize(50)]),
            ("Include-Unknown-Enum-Members", vec![Preference::IncludeUnknownEnumMembers]),
            ("return=minimal,respond-async", vec![Preference::ReturnMinimal, Preference::RespondAsync]),
            ("odata.include-annotations=\"*\"", vec![Preference::IncludeAnnotations("*".into())]),
            ("wait = 0", vec![Preference::Other("wait = 0".into())]),
            (
                "odata.callback;url=\"http://x/y?a=b,c\"",
                vec![Preference::Other("odata.callback;url=\"http://x/y?a=b,c\"".into())],
            ),
        ];
        for (text, expected) in cases {
            let prefer = Prefer::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(prefer.preferences(), expected, "{text}");
            assert_eq!(Prefer::parse(&prefer.to_string()).unwrap(), prefer, "{text}");
        }
        let error = Prefer::parse("respond-async, odata.maxpagesize=0").unwrap_err();
        assert_eq!((error.at, error.reason), (33, "maxpagesize is a whole number of at least 1"));
        assert_eq!(Prefer::parse("return=everything").unwrap_err().at, 7);
        assert_eq!(Prefer::parse("odata.include-annotations=\"Namespace.\"").unwrap_err().at, 27);
        assert!(Prefer::parse("a,,b").is_err());
        assert!(Prefer::parse("=5").is_err());
        assert!(Prefer::parse("callback;url=\"open").is_err());
        assert_eq!(Prefer::parse("a\nb").unwrap_err().reason, "a line break would end the header");
        // One page size, one return: the last set.
        let prefer = Prefer::new()
            .with(Preference::MaxPageSize(5))
            .with(Preference::ReturnMinimal)
            .with(Preference::MaxPageSize(9));
        assert_eq!(prefer.to_string(), "return=minimal, odata.maxpagesize=9");
        assert_eq!(
            prefer.with(Preference::ReturnRepresentation).to_string(),
            "odata.maxpagesize=9, return=representation"
        );
    }

    #[test]
    fn headers_are_checked_as_they_are_set() {
        let headers = RequestHeaders::new().if_match("W/\"1\"").unwrap().header("X-Trace", "t 1").unwrap();
        assert_eq!(
            headers.entries(),
            [("if-match".to_owned(), "W/\"1\"".to_owned()), ("x-trace".to_owned(), "t 1".to_owned())]
        );
        let replaced = headers.header("x-trace", "t2").unwrap();
        assert_eq!(replaced.entries()[1].1, "t2");
        for (name, value, reason) in [
            ("x-a", "é", "not ASCII"),
            ("x-a", "a\rb", "a line break would end the header"),
            ("x-a", "a\u{7}", "a control character"),
            ("x a", "v", "a header's name is a token"),
            ("", "v", "a header's name is a token"),
            ("Authorization", "Bearer x", "the client or its transport writes this header"),
            ("prefer", "maxpagesize=-1", "maxpagesize is a whole number of at least 1"),
        ] {
            assert_eq!(RequestHeaders::new().header(name, value).unwrap_err().reason, reason, "{name}: {value:?}");
        }
        assert!(RequestHeaders::new().if_match(" ").is_err());
        let prefer = RequestHeaders::new().header("Prefer", "odata.maxpagesize=3, wait=1").unwrap();
        assert_eq!(prefer.entries(), [("prefer".to_owned(), "odata.maxpagesize=3, wait=1".to_owned())]);
    }
}
