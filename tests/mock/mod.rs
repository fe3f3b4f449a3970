//! A mock of Graph for the tests, on 127.0.0.1: it routes each request through `ROUTES`,
//! checks the body against the route's request type (through `TYPES`), and answers with a
//! body shaped like the route's answer type, an empty `202`/`204`, or Graph's error body.
//!
//! The request header `x-mock` chooses the answer: `ok` (the default), `empty` (no body),
//! `error` (`503` with `Retry-After: 3`) or `throttle-once` (`429` with `Retry-After: 0.249`,
//! the first time a URL is asked for so, then `ok`); a path with `throttle-once` in it is
//! throttled once too.
//!
//! `POST /{version}/$batch` answers a JSON batch as Graph does: each request answered as
//! above (its `x-mock` among its headers), `424` for one whose dependency failed, non-JSON
//! bodies in base64, the answers in reverse order; a batch of more than 20 requests, a repeated
//! id or a `dependsOn` on no earlier request is a `400`; a batch with `throttle-batch-once` in
//! a URL is throttled as a whole once (`429`, `Retry-After: 0.1`); the answers to requests with
//! `answer-later` in their URL come after a `nextLink` (`GET …/$batch?$skiptoken=…`). A stream's route answers bytes of the type the request
//! asked for (`$format`, else `Accept`): a WebVTT text for `text/vtt`, other bytes otherwise. The answer's headers say what the mock understood:
//! `x-template`, and `x-keys` / `x-query` (percent-encoded JSON), or `x-problem` when the
//! request was not what its route wants.

#![allow(dead_code)]

use msgraph_comms::odata::{self, Route, TypeInfo};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

/// A running mock; it serves until the test process ends.
pub struct Mock {
    pub base: String,
}

/// The APIs the mock serves: (version segment, routes, types).
pub type Api = (&'static str, &'static [Route], &'static [TypeInfo]);

/// Starts the mock on a free port of 127.0.0.1.
pub fn start(apis: Vec<Api>) -> Mock {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let root = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let apis = apis.clone();
            let root = root.clone();
            std::thread::spawn(move || {
                let _ = serve(stream, &apis, &root);
            });
        }
    });
    Mock { base }
}

struct Exchange {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// What a stream's route answers for `text/vtt`.
pub const VTT: &str = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Alex Wilber>Hello, everyone.\n";
/// What it answers for any other type: bytes that are no UTF-8, as a video's are.
pub const BYTES: &[u8] = &[0x00, 0x00, 0x00, 0x18, b'f', b't', b'y', b'p', 0xFF, 0xFE, 0x80];

fn serve(stream: TcpStream, apis: &[Api], root: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or("").to_owned(), parts.next().unwrap_or("").to_owned());
    let mut length = 0;
    let mut mode = "ok".to_owned();
    let mut accept = None;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((header, ""));
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap_or(0),
            "x-mock" => mode = value.trim().to_owned(),
            "accept" => accept = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let answer = answer(apis, root, &method, &target, &body, &mode, accept.as_deref());
    let mut out = stream;
    let reason = match answer.status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        _ => "Other",
    };
    write!(
        out,
        "HTTP/1.1 {} {reason}\r\nconnection: close\r\ncontent-length: {}\r\n",
        answer.status,
        answer.body.len()
    )?;
    for (name, value) in &answer.headers {
        write!(out, "{name}: {value}\r\n")?;
    }
    out.write_all(b"\r\n")?;
    out.write_all(&answer.body)?;
    out.flush()
}

fn problem(message: String) -> Exchange {
    let body = serde_json::json!({"error": {"code": "MockProblem", "message": message}}).to_string();
    Exchange { status: 400, headers: vec![("x-problem".into(), odata::encode_key(&message))], body: body.into_bytes() }
}

/// The rests of batch answers given early (`answer-later`), by skip token.
static LATER: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());

/// The URLs throttled once already (`throttle-once`).
static THROTTLED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn answer(
    apis: &[Api],
    root: &str,
    method: &str,
    target: &str,
    body: &[u8],
    mode: &str,
    accept: Option<&str>,
) -> Exchange {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if let Some(version) = path.strip_suffix("/$batch").and_then(|v| v.strip_prefix('/')) {
        return match (method, query.strip_prefix("$skiptoken=")) {
            ("POST", None) => batch(apis, root, version, body),
            // The rest of an answer given early.
            ("GET", Some(token)) => match LATER.lock().unwrap().iter().find(|(t, _)| t == token) {
                Some((_, rest)) => {
                    let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
                    Exchange { status: 200, headers, body: rest.clone().into_bytes() }
                }
                None => problem(format!("no batch answer `{token}` to give")),
            },
            _ => problem(format!("{method} of $batch")),
        };
    }
    // Asked for so, or a key that says so (`…/callRecords/throttle-once-1`).
    if mode == "throttle-once" || path.contains("throttle-once") {
        let mut throttled = THROTTLED.lock().unwrap();
        if !throttled.contains(&target.to_owned()) {
            throttled.push(target.to_owned());
            let body = serde_json::json!({"error": {"code": "TooManyRequests", "message": "throttled"}});
            let headers =
                vec![("retry-after".into(), "0.249".into()), ("content-type".into(), "application/json".into())];
            return Exchange { status: 429, headers, body: body.to_string().into_bytes() };
        }
    }
    let Some((_, routes, types)) = apis.iter().find(|(v, _, _)| path.starts_with(&format!("/{v}/"))) else {
        return problem(format!("no API at `{path}`"));
    };
    let Some(found) = odata::route(routes, method, path) else {
        return problem(format!("no route for {method} {path}"));
    };
    if found.by_suffix {
        return problem(format!("{method} {path} matches `{}` only by its end", found.route.template));
    }
    let route = found.route;
    // The body: the route's request type, or nothing.
    match (route.request, body.is_empty()) {
        (None, false) => return problem(format!("{method} {} takes no body", route.template)),
        (Some(ty), true) => return problem(format!("{method} {} needs a `{ty}` body", route.template)),
        (Some(ty), false) => {
            let Some(info) = odata::find_type(types, ty) else { return problem(format!("no type `{ty}`")) };
            match std::str::from_utf8(body)
                .map_err(|e| e.to_string())
                .and_then(|t| (info.round_trip)(t).map_err(|e| e.to_string()))
            {
                Ok(trip) if trip.stable => {}
                Ok(_) => return problem(format!("the `{ty}` body is not stable")),
                Err(e) => return problem(format!("the body is not a `{ty}`: {e}")),
            }
        }
        (None, true) => {}
    }
    let keys: Vec<&str> = found.keys.iter().map(|(_, v)| v.as_str()).collect();
    let mut headers = vec![
        ("x-template".to_owned(), route.template.to_owned()),
        ("x-keys".to_owned(), odata::encode_key(&serde_json::to_string(&keys).unwrap())),
        ("x-query".to_owned(), odata::encode_key(query)),
        ("content-type".to_owned(), "application/json".to_owned()),
    ];
    match mode {
        "error" => {
            headers.push(("retry-after".into(), "3".into()));
            let body = serde_json::json!({"error": {"code": "ServiceUnavailable", "message": "try later",
                "innerError": {"request-id": "mock-request", "date": "2026-12-01T08:00:00"}}});
            Exchange { status: 503, headers, body: body.to_string().into_bytes() }
        }
        "empty" => Exchange { status: if method == "POST" { 202 } else { 204 }, headers, body: Vec::new() },
        _ => match route.response {
            None => Exchange { status: if method == "POST" { 202 } else { 204 }, headers, body: Vec::new() },
            // A stream: bytes of the type asked for, never JSON.
            Some("Edm.Stream") => {
                let format = query.split('&').find_map(|p| p.strip_prefix("$format=")).and_then(odata::percent_decode);
                // `$format` wins over `Accept`, as OData has it.
                let media_type = format.or(accept.map(str::to_owned)).unwrap_or("application/octet-stream".into());
                headers.retain(|(name, _)| name != "content-type");
                headers.push(("content-type".into(), media_type.clone()));
                let body = if media_type == "text/vtt" { VTT.as_bytes().to_vec() } else { BYTES.to_vec() };
                Exchange { status: 200, headers, body }
            }
            Some(ty) => {
                let next = format!("{root}{path}?$skiptoken=2");
                let status = if method == "POST" && route.request == Some(ty) { 201 } else { 200 };
                Exchange { status, headers, body: sample_answer(types, ty, &next).to_string().into_bytes() }
            }
        },
    }
}

/// A JSON batch answered as Graph answers one.
fn batch(apis: &[Api], root: &str, version: &str, body: &[u8]) -> Exchange {
    use serde_json::{Value, json};
    let Ok(request) = serde_json::from_slice::<Value>(body) else { return problem("a $batch body is JSON".into()) };
    let Some(Value::Array(items)) = request.get("requests") else {
        return problem("a $batch body has `requests`".into());
    };
    if items.len() > 20 {
        return problem(format!("{} requests in one $batch, 20 at most", items.len()));
    }
    let mut urls = items.iter().filter_map(|item| item.get("url")?.as_str());
    if let Some(url) = urls.find(|url| url.contains("throttle-batch-once")) {
        let mut throttled = THROTTLED.lock().unwrap();
        if !throttled.iter().any(|u| u == url) {
            throttled.push(url.to_owned());
            let body = json!({"error": {"code": "TooManyRequests", "message": "the whole batch is throttled"}});
            let headers =
                vec![("retry-after".into(), "0.1".into()), ("content-type".into(), "application/json".into())];
            return Exchange { status: 429, headers, body: body.to_string().into_bytes() };
        }
    }
    let mut statuses: Vec<(String, u16)> = Vec::new();
    let mut responses = Vec::new();
    for item in items {
        let text = |key: &str| item.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        let (id, method, url) = (text("id"), text("method"), text("url"));
        if id.is_empty() || statuses.iter().any(|(i, _)| *i == id) {
            return problem(format!("the id `{id}` is missing or repeated"));
        }
        if !url.starts_with('/') {
            return problem(format!("`{url}` is not relative to the service root"));
        }
        let headers: Vec<(String, String)> = match item.get("headers") {
            Some(Value::Object(map)) => {
                map.iter().map(|(n, v)| (n.to_ascii_lowercase(), v.as_str().unwrap_or_default().to_owned())).collect()
            }
            _ => Vec::new(),
        };
        let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let depends: Vec<String> = match item.get("dependsOn") {
            Some(Value::Array(ids)) => ids.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect(),
            _ => Vec::new(),
        };
        let mut failed = false;
        for dependency in &depends {
            match statuses.iter().find(|(i, _)| i == dependency) {
                Some((_, status)) => failed |= !(200..300).contains(status),
                None => return problem(format!("`{id}` depends on `{dependency}`, no earlier request")),
            }
        }
        if failed {
            statuses.push((id.clone(), 424));
            responses.push(json!({"id": id, "status": 424,
                "body": {"error": {"code": "FailedDependency", "message": "a request it depends on failed"}}}));
            continue;
        }
        let body = match item.get("body") {
            Some(_) if header("content-type").is_none() => {
                return problem(format!("`{id}` has a body but no content-type"));
            }
            Some(body) => serde_json::to_vec(body).unwrap(),
            None => Vec::new(),
        };
        let answered = answer(
            apis,
            root,
            &method,
            &format!("/{version}{url}"),
            &body,
            header("x-mock").unwrap_or("ok"),
            header("accept"),
        );
        statuses.push((id.clone(), answered.status));
        let content_type = answered.headers.iter().find(|(n, _)| n == "content-type").map(|(_, v)| v.clone());
        let mut response = json!({"id": id, "status": answered.status,
            "headers": answered.headers.iter().map(|(n, v)| (n.clone(), json!(v))).collect::<serde_json::Map<String, Value>>()});
        if !answered.body.is_empty() {
            response["body"] = match content_type.as_deref().is_some_and(|t| t.contains("json")) {
                true => serde_json::from_slice(&answered.body).unwrap(),
                false => json!(msgraph_comms::edm::Binary::encode_standard(&answered.body).as_str()),
            };
        }
        responses.push(response);
    }
    // Graph answers in its own order.
    responses.reverse();
    // Requests with `answer-later` in their URL are answered after a `nextLink`.
    let later_ids: Vec<String> = (items.iter())
        .filter(|item| item.get("url").and_then(Value::as_str).is_some_and(|u| u.contains("answer-later")))
        .filter_map(|item| Some(item.get("id")?.as_str()?.to_owned()))
        .collect();
    let (later, now): (Vec<Value>, Vec<Value>) =
        responses.into_iter().partition(|r| later_ids.iter().any(|id| r["id"] == id.as_str()));
    let mut answer = json!({ "responses": now });
    if !later.is_empty() {
        let mut stored = LATER.lock().unwrap();
        let token = format!("later-{}", stored.len());
        stored.push((token.clone(), json!({ "responses": later }).to_string()));
        answer["nextLink"] = json!(format!("{root}/{version}/$batch?$skiptoken={token}"));
    }
    let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    Exchange { status: 200, headers, body: answer.to_string().into_bytes() }
}

/// An answer of type `ty`, shaped as Graph shapes it.
pub fn sample_answer(types: &[TypeInfo], ty: &str, next_link: &str) -> serde_json::Value {
    match ty.strip_prefix("Collection(").and_then(|t| t.strip_suffix(')')) {
        Some(item) => serde_json::json!({
            "@odata.context": "https://graph.microsoft.com/$metadata#mock",
            "value": [sample(types, item), sample(types, item)],
            "@odata.nextLink": next_link,
        }),
        None if odata::find_type(types, ty).is_some() => sample(types, ty),
        None => serde_json::json!({"value": sample(types, ty)}),
    }
}

fn sample(types: &[TypeInfo], ty: &str) -> serde_json::Value {
    use serde_json::json;
    if let Some(info) = odata::find_type(types, ty) {
        let mut object = json!({"@odata.type": format!("#{}", info.name)});
        if info.properties.contains(&"id") {
            object["id"] = json!("mock-id");
        }
        return object;
    }
    match ty {
        "Edm.Boolean" => json!(true),
        "Edm.Int16" | "Edm.Int32" | "Edm.Int64" | "Edm.Byte" | "Edm.SByte" => json!(7),
        "Edm.Double" | "Edm.Single" | "Edm.Decimal" => json!(1.5),
        "Edm.DateTimeOffset" => json!("2026-12-01T08:00:00Z"),
        "Edm.Date" => json!("2026-12-01"),
        "Edm.TimeOfDay" => json!("08:00:00"),
        "Edm.Duration" => json!("PT1M"),
        "Edm.Guid" => json!("0fe0623f-d628-42ed-b4bd-8ac290072cc5"),
        "Edm.Binary" => json!("AAEC"),
        // Strings, and enum values (which the models keep whatever they are).
        _ => json!("unknownFutureValue"),
    }
}

/// One HTTP/1.1 exchange, as a client does it: the URL parsed by the `url` crate (what
/// reqwest uses), its path and query sent as that parser gives them.
pub fn exchange(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> http::Response<Vec<u8>> {
    let parsed = url::Url::parse(url).unwrap_or_else(|e| panic!("`{url}` does not parse: {e}"));
    let host = format!("{}:{}", parsed.host_str().unwrap(), parsed.port().unwrap());
    let mut target = parsed.path().to_owned();
    if let Some(query) = parsed.query() {
        target.push('?');
        target.push_str(query);
    }
    let mut stream = TcpStream::connect(&host).expect("the mock");
    write!(stream, "{method} {target} HTTP/1.1\r\nhost: {host}\r\ncontent-length: {}\r\n", body.len()).unwrap();
    for (name, value) in headers {
        write!(stream, "{name}: {value}\r\n").unwrap();
    }
    stream.write_all(b"\r\n").unwrap();
    stream.write_all(body).unwrap();
    let mut text = Vec::new();
    stream.read_to_end(&mut text).unwrap();
    let split = text.windows(4).position(|w| w == b"\r\n\r\n").expect("a header end");
    let head = String::from_utf8(text[..split].to_vec()).unwrap();
    let mut lines = head.lines();
    let status: u16 = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut response = http::Response::builder().status(status);
    for line in lines {
        let (name, value) = line.split_once(':').unwrap();
        response = response.header(name.trim(), value.trim());
    }
    response.body(text[split + 4..].to_vec()).unwrap()
}

/// A header of the mock's answer, percent-decoded.
pub fn header(response: &http::Response<Vec<u8>>, name: &str) -> Option<String> {
    let value = response.headers().get(name)?.to_str().ok()?;
    odata::percent_decode(value)
}
