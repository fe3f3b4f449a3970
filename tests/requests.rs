//! Every request type, end to end: built from its route's keys (hostile ones too), sent to a
//! mock of Graph on 127.0.0.1 through one generic send, routed there by `ROUTES`, its body
//! checked against the route's request type, answered, and the answer decoded into the
//! request's answer type — or into Graph's error, or from an empty body.

mod mock;

use msgraph_comms::Field;
use msgraph_comms::odata::{self, Answer, AnswerError, AnyRequest, Request, RequestInfo, RetryAfter, Route};
use msgraph_comms::v1_0::{self, call, call_records};

/// Keys that must stay data for their one segment.
const KEYS: &[&str] = &[
    "57da",
    "a b/c",
    "..",
    ".",
    "",
    "?x=1#f",
    "it's (1)",
    "é😀",
    "%2F..%2F",
    "\\..\\",
    "19:meeting_x@thread.v2",
    "+&;=",
    "%",
    "...",
    "a.b",
    "'",
    "..%2F..",
];

/// Sends any request: the generic helper of the README, on the `http` types.
fn send<R: Request>(base: &str, request: &R) -> Result<R::Response, AnswerError> {
    let built = odata::http::to_http(request, base).expect("a request");
    let headers: Vec<(&str, &str)> = built.headers().iter().map(|(k, v)| (k.as_str(), v.to_str().unwrap())).collect();
    let answer = mock::exchange(built.method().as_str(), &built.uri().to_string(), &headers, built.body());
    odata::http::from_http::<R, _>(&answer)
}

struct Driven {
    status: u16,
    template: Option<String>,
    keys: Vec<String>,
    problem: Option<String>,
    decoded: Result<Box<dyn std::fmt::Debug>, AnswerError>,
}

/// Sends a request chosen at run time (its answer decoded by its own type, as `send` does).
fn send_any(base: &str, request: &dyn AnyRequest, mode: &str) -> Driven {
    let mut url = format!("{base}{}", request.path().expect("a path"));
    let query = request.query();
    if !query.is_empty() {
        url = format!("{url}?{query}");
    }
    let body = request.body_json().map(|b| b.expect("the body serializes")).unwrap_or_default();
    let asked = request.headers();
    let mut headers = vec![("x-mock", mode)];
    headers.extend(asked.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    if !body.is_empty() {
        headers.push(("content-type", "application/json"));
    }
    let answer = mock::exchange(request.method(), &url, &headers, &body);
    let received: Vec<(&str, &str)> =
        answer.headers().iter().filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?))).collect();
    Driven {
        status: answer.status().as_u16(),
        template: mock::header(&answer, "x-template"),
        keys: mock::header(&answer, "x-keys").map(|k| serde_json::from_str(&k).unwrap()).unwrap_or_default(),
        problem: mock::header(&answer, "x-problem"),
        decoded: request.decode_answer(&Answer::new(answer.status().as_u16(), &received, answer.body())),
    }
}

/// Drives every route of one API; returns how many were driven.
fn drive_all(version: &str, routes: &'static [Route], requests: &'static [RequestInfo], mock: &mock::Mock) -> usize {
    assert_eq!(routes.len(), requests.len(), "a request type for every route");
    let base = format!("{}/{version}", mock.base);
    let mut failures = Vec::new();
    for (n, (route, info)) in routes.iter().zip(requests).enumerate() {
        assert_eq!((route.method, route.template), (info.method, info.template));
        let names: Vec<&str> =
            route.template.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')).collect();
        let values: Vec<String> = (0..names.len()).map(|i| KEYS[(n + i) % KEYS.len()].to_owned()).collect();
        let keys: Vec<(String, String)> = names.iter().map(|k| k.to_string()).zip(values.clone()).collect();
        let request = match (info.make)(&keys, None) {
            Ok(request) => request,
            Err(e) => {
                failures.push(format!("{info:?}: not built: {e}"));
                continue;
            }
        };
        assert_eq!(request.template().map(|t| t.template), Some(route.template), "{info:?}");
        // A success answer decodes into the declared type.
        let ok = send_any(&base, request.as_ref(), "ok");
        let label = format!("{} {} {values:?}", info.method, info.template);
        if let Some(problem) = ok.problem {
            failures.push(format!("{label}: {problem}"));
            continue;
        }
        if ok.template.as_deref() != Some(route.template) || ok.keys != values {
            failures.push(format!("{label}: reached {:?} with keys {:?}", ok.template, ok.keys));
        }
        if let Err(e) = ok.decoded {
            failures.push(format!("{label}: HTTP {}: {e}", ok.status));
        }
        // An error answer is Graph's error, with its request id and Retry-After.
        match send_any(&base, request.as_ref(), "error").decoded {
            Err(AnswerError::Graph { status: 503, error, retry_after: Some(RetryAfter::Delay(d)) })
                if d == std::time::Duration::from_secs(3) && error.request_id() == Some("mock-request") => {}
            other => failures.push(format!("{label}: error answer gave {other:?}")),
        }
        // An empty answer is what `NoContent` and `Option` take (and a stream, which may be
        // empty), and nothing else.
        let empty = send_any(&base, request.as_ref(), "empty");
        let takes_empty = route.response.is_none() || route.method == "PATCH" || route.response == Some("Edm.Stream");
        if empty.decoded.is_ok() != takes_empty {
            failures.push(format!("{label}: an empty answer decoded: {}", empty.decoded.is_ok()));
        }
    }
    assert!(failures.is_empty(), "{} of {} routes failed:\n{}", failures.len(), routes.len(), failures.join("\n"));
    routes.len()
}

fn apis() -> Vec<mock::Api> {
    #[allow(unused_mut)]
    let mut apis: Vec<mock::Api> = vec![("v1.0", v1_0::ROUTES, v1_0::TYPES)];
    #[cfg(feature = "beta")]
    apis.push(("beta", msgraph_comms::beta::ROUTES, msgraph_comms::beta::TYPES));
    apis
}

#[test]
fn every_v1_route_is_driven_through_its_request_type() {
    let mock = mock::start(apis());
    let driven = drive_all("v1.0", v1_0::ROUTES, v1_0::REQUESTS, &mock);
    eprintln!("v1.0: {driven} routes driven");
    assert!(driven > 250);
}

#[cfg(feature = "beta")]
#[test]
fn every_beta_route_is_driven_through_its_request_type() {
    let mock = mock::start(apis());
    let driven = drive_all("beta", msgraph_comms::beta::ROUTES, msgraph_comms::beta::REQUESTS, &mock);
    eprintln!("beta: {driven} routes driven");
    assert!(driven > 140);
}

#[test]
fn typed_requests_through_the_generic_send() {
    let mock = mock::start(apis());
    let base = format!("{}/v1.0", mock.base);
    // Create a call, then hang it up.
    let new_call =
        v1_0::Call { callback_uri: "https://bot.contoso.com/callback".to_owned().into(), ..Default::default() };
    let created = send(&base, &call::Create::new(call::Collection::new(), new_call)).unwrap();
    assert_eq!(created.id, Field::Value("mock-id".to_owned()));
    let hung_up: odata::NoContent = send(&base, &call::Delete::new(call::Item::new("57da"))).unwrap();
    assert_eq!(hung_up, odata::NoContent);
    // `answer` is answered 202 with no body.
    let answer = call::AnswerRequest { callback_uri: "https://bot/cb".to_owned().into(), ..Default::default() };
    let _: odata::NoContent = send(&base, &call::Answer::new(call::Item::new("57da"), answer)).unwrap();
    // A call record with its sessions and their segments.
    use call_records::{CallRecord, Session, call_record};
    let get = call_record::Get::new(call_record::Item::new("e523"))
        .with_query(odata::Query::new().expand_with(CallRecord::SESSIONS, |q| q.expand(Session::SEGMENTS)));
    assert_eq!(
        get.url("https://graph.microsoft.com/v1.0").unwrap(),
        "https://graph.microsoft.com/v1.0/communications/callRecords/e523?$expand=sessions($expand=segments)"
    );
    let record = send(&base, &get).unwrap();
    assert_eq!(record.id, Field::Value("mock-id".to_owned()));
    // A page of calls, then the next one from its link.
    let page = send(&base, &call::List::new(call::Collection::new()).with_query(odata::Query::new().top(2))).unwrap();
    assert_eq!(page.items().len(), 2);
    let next = page.next().expect("a next link");
    assert!(next.link.ends_with("/v1.0/communications/calls?$skiptoken=2"));
    assert_eq!(send(&base, &next).unwrap().items().len(), 2);
    // A function: its parameters are in the path.
    let pstn = call_record::GetPstnCallsParameters {
        from_date_time: msgraph_comms::edm::DateTimeOffset::new("2019-11-01T12:00:00Z").into(),
        to_date_time: msgraph_comms::edm::DateTimeOffset::new("2019-12-01T12:00:00Z").into(),
        ..Default::default()
    };
    let request = call_record::GetPstnCalls::new(call_record::Collection::new(), pstn);
    assert_eq!(
        request.path().unwrap(),
        "/communications/callRecords/microsoft.graph.callRecords.getPstnCalls(fromDateTime=2019-11-01T12:00:00Z,toDateTime=2019-12-01T12:00:00Z)"
    );
    assert!(request.body().is_none());
    let rows = send(&base, &request).unwrap();
    assert_eq!(rows.items().len(), 2);
    // A parameter that is no literal of its type is never sent: here it would have carried
    // another parameter into the call.
    let smuggling = call_record::GetPstnCallsParameters {
        from_date_time: msgraph_comms::edm::DateTimeOffset::new("2019-11-01T12:00:00Z,toDateTime=2030-01-01").into(),
        ..Default::default()
    };
    let request = call_record::GetPstnCalls::new(call_record::Collection::new(), smuggling);
    assert!(
        matches!(request.path(), Err(odata::UrlError::Literal(e)) if e.parameter.as_deref() == Some("fromDateTime"))
    );
    assert!(matches!(odata::http::to_http(&request, &base), Err(odata::http::BuildError::Url(_))));
    // A next link elsewhere is never followed.
    let elsewhere =
        odata::NextPage::<v1_0::Call>::new("https://attacker.example/v1.0/communications/calls?$skiptoken=2");
    assert!(matches!(elsewhere.url(&base), Err(odata::UrlError::Foreign { .. })));
    // Presence, through a gateway of the slice.
    let presence =
        send(&base, &v1_0::presence::Get::new(v1_0::presence::Item::UsersPresence { user_id: "u/1".into() })).unwrap();
    assert_eq!(presence.id, Field::Value("mock-id".to_owned()));
}

#[test]
fn hostile_keys_stay_in_their_segment() {
    for key in KEYS {
        let request = call::Delete::new(call::Item::new(*key));
        let url = url::Url::parse(&request.url("https://graph.microsoft.com/v1.0").unwrap()).unwrap();
        assert_eq!(url.host_str(), Some("graph.microsoft.com"));
        assert!(url.query().is_none() && url.fragment().is_none(), "{key:?}: {url}");
        let found = odata::route(v1_0::ROUTES, "DELETE", url.as_str()).unwrap();
        assert_eq!(found.route.template, "/communications/calls/{call-id}", "{key:?}: {url}");
        assert_eq!(found.keys, [("call-id".to_owned(), key.to_string())], "{url}");
    }
}

#[test]
fn nested_next_links_are_typed() {
    use call_records::CallRecord;
    let record: CallRecord = serde_json::from_str(
        r#"{"id":"r","sessions":[{"id":"s"}],"sessions@odata.nextLink":"https://graph.microsoft.com/v1.0/x?$skiptoken=1"}"#,
    )
    .unwrap();
    assert_eq!(CallRecord::SESSIONS.next_link(&record), Some("https://graph.microsoft.com/v1.0/x?$skiptoken=1"));
    assert_eq!(CallRecord::PARTICIPANTS_V2.next_link(&record), None);
    // The same request type as a page's next: a page of sessions.
    let next: msgraph_comms::odata::NextPage<call_records::Session> = CallRecord::SESSIONS.next(&record).unwrap();
    assert_eq!(
        next.url("https://graph.microsoft.com/v1.0").unwrap(),
        "https://graph.microsoft.com/v1.0/x?$skiptoken=1"
    );
    assert!(CallRecord::PARTICIPANTS_V2.next(&record).is_none());
}

/// OData's own names of segments, and other names a key could be read as.
const RESERVED: &[&str] = &[
    "$count",
    "$ref",
    "$value",
    "$batch",
    "$metadata",
    "$all",
    "$crossjoin",
    "$entity",
    "$each",
    "$filter",
    "$apply",
    "$query",
    "$root",
    "$it",
    "$this",
    "$index",
    "count",
    "ref",
    "value",
    "batch",
    "metadata",
    "microsoft.graph.call",
    "microsoft.graph.callRecords.callRecord",
    "graph.delta",
    "x.delta",
    "delta()",
    "delta(x=1)",
    "('x')",
    "Delta",
    "DELTA",
    "$Count",
];

/// Every key position of every route of both APIs, with every segment name of the route
/// tables and OData's reserved names as the key: the URL routes back to the same template and
/// the same keys, whatever the key is, as the service's router and ours read it.
#[test]
fn keys_never_read_as_names_at_any_position() {
    let mut apis: Vec<&[Route]> = vec![v1_0::ROUTES];
    #[cfg(feature = "beta")]
    apis.push(msgraph_comms::beta::ROUTES);
    let mut names: Vec<String> = apis
        .iter()
        .flat_map(|routes| routes.iter())
        .flat_map(|route| route.template.split('/'))
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    names.extend(RESERVED.iter().map(|s| s.to_string()));
    let mut checked = 0;
    for routes in &apis {
        for route in routes.iter() {
            let positions = route.template.matches('{').count();
            for position in 0..positions {
                for name in &names {
                    let keys: Vec<&str> =
                        (0..positions).map(|p| if p == position { name.as_str() } else { "k1" }).collect();
                    let path = odata::render_path(route.template, &keys);
                    let url = url::Url::parse(&format!("https://graph.microsoft.com/v1.0{path}")).unwrap();
                    let found = odata::route(routes, route.method, url.as_str())
                        .unwrap_or_else(|| panic!("{} {url}: no route", route.method));
                    assert_eq!(found.route.template, route.template, "{} {url}", route.method);
                    assert!(!found.by_suffix, "{url}");
                    let values: Vec<&str> = found.keys.iter().map(|(_, v)| v.as_str()).collect();
                    assert_eq!(values, keys, "{url}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 50_000, "{checked}");
}

/// Streams end to end: a transcript as WebVTT (asked with `$format`, and with `Accept`), a
/// recording's bytes as they are, their content type kept, never read as JSON.
#[test]
fn streams_come_as_bytes_with_their_type() {
    use v1_0::{call_recording, call_transcript, online_meeting};
    let mock = mock::start(apis());
    let base = format!("{}/v1.0", mock.base);
    let at = || call_transcript::Item::MeOnlineMeetingsTranscripts {
        online_meeting_id: "MSo1N2Y5".into(),
        call_transcript_id: "MSMjMCMj".into(),
    };
    let by_format = call_transcript::GetContent::new(at()).with_format("text/vtt");
    assert_eq!(
        by_format.url("https://graph.microsoft.com/v1.0").unwrap(),
        "https://graph.microsoft.com/v1.0/me/onlineMeetings/MSo1N2Y5/transcripts/MSMjMCMj/content?$format=text/vtt"
    );
    for request in [by_format, call_transcript::GetContent::new(at()).accept("text/vtt")] {
        let content = send(&base, &request).unwrap();
        assert_eq!((content.text(), content.media_type().as_deref()), (Some(mock::VTT), Some("text/vtt")));
    }
    let built = odata::http::to_http(&call_transcript::GetContent::new(at()).accept("text/vtt"), &base).unwrap();
    assert_eq!(built.headers()["accept"], "text/vtt", "the format asked for, not JSON");
    // A recording: bytes that are no UTF-8, exactly.
    let recording = call_recording::GetContent::new(call_recording::Item::UsersOnlineMeetingsRecordings {
        user_id: "u1".into(),
        online_meeting_id: "MSo1".into(),
        call_recording_id: "r/1".into(),
    })
    .accept("video/mp4");
    let content = send(&base, &recording).unwrap();
    assert_eq!((content.bytes.as_slice(), content.content_type.as_deref()), (mock::BYTES, Some("video/mp4")));
    assert_eq!(content.text(), None);
    // The meeting's attendee report; and a transcript's time-aligned metadata.
    let report = online_meeting::GetAttendeeReport::new(online_meeting::Item::MeOnlineMeetings {
        online_meeting_id: "MSo1".into(),
    });
    assert_eq!(report.path().unwrap(), "/me/onlineMeetings/MSo1/attendeeReport");
    assert_eq!(send(&base, &report).unwrap().bytes, mock::BYTES);
    let metadata = call_transcript::GetMetadataContent::new(at());
    assert!(metadata.path().unwrap().ends_with("/transcripts/MSMjMCMj/metadataContent"));
    // An error is Graph's error, as for any request.
    let failing = odata::http::from_http::<call_transcript::GetContent, _>(
        &http::Response::builder()
            .status(404)
            .body(br#"{"error":{"code":"NotFound","message":"no"}}"#.to_vec())
            .unwrap(),
    );
    assert_eq!(failing.unwrap_err().graph_error().and_then(|e| e.code()), Some("NotFound"));
}

/// Sends the `$batch` bodies of `batch` to the mock, and reads the answers.
fn send_batch(batch: &odata::Batch) -> odata::BatchAnswers {
    let responses: Vec<http::Response<Vec<u8>>> = odata::http::batch_to_http(batch)
        .expect("the batch is written")
        .iter()
        .map(|request| {
            let headers: Vec<(&str, &str)> =
                request.headers().iter().map(|(k, v)| (k.as_str(), v.to_str().unwrap())).collect();
            mock::exchange("POST", &request.uri().to_string(), &headers, request.body())
        })
        .collect();
    odata::http::batch_from_http(batch, &responses).expect("the answers read")
}

/// Every route's request type of one API through JSON batches (as many as 20 requests a body
/// takes): each answered by its route, found by its id, decoded into its own answer type.
fn batch_all(version: &str, routes: &'static [Route], requests: &'static [RequestInfo], mock: &mock::Mock) -> usize {
    let base = format!("{}/{version}", mock.base);
    let mut batch = odata::Batch::new(&base);
    let mut sent = Vec::new();
    for (n, (route, info)) in routes.iter().zip(requests).enumerate() {
        let names: Vec<&str> =
            route.template.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')).collect();
        let keys: Vec<(String, String)> =
            names.iter().enumerate().map(|(i, k)| (k.to_string(), KEYS[(n + i) % KEYS.len()].to_owned())).collect();
        let request = (info.make)(&keys, None).expect("a request");
        let id = batch.add_any(request.as_ref(), &odata::RequestHeaders::new()).expect("added");
        sent.push((id, route, request));
    }
    let answers = send_batch(&batch);
    let mut failures = Vec::new();
    for (id, route, request) in &sent {
        let label = format!("{id}: {} {}", route.method, route.template);
        let Some(answer) = answers.answer(id) else {
            failures.push(format!("{label}: no answer"));
            continue;
        };
        if let Some(problem) = answer.header("x-problem") {
            failures.push(format!("{label}: {}", odata::percent_decode(problem).unwrap_or_default()));
            continue;
        }
        if answer.header("x-template") != Some(route.template) {
            failures.push(format!("{label}: reached {:?}", answer.header("x-template")));
        }
        if let Err(e) = answer.decode_any(request.as_ref()) {
            failures.push(format!("{label}: HTTP {}: {e}", answer.status));
        }
    }
    assert!(failures.is_empty(), "{} of {} requests failed:\n{}", failures.len(), sent.len(), failures.join("\n"));
    let order: Vec<&str> = answers.in_order().map(|a| a.id).collect();
    let ids: Vec<&str> = sent.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(order, ids, "the answers in the order of the requests");
    sent.len()
}

#[test]
fn every_request_type_goes_through_a_batch() {
    let mock = mock::start(apis());
    let v1 = batch_all("v1.0", v1_0::ROUTES, v1_0::REQUESTS, &mock);
    eprintln!("v1.0: {v1} request types through $batch");
    assert_eq!(v1, v1_0::ROUTES.len());
    #[cfg(feature = "beta")]
    {
        let beta = batch_all("beta", msgraph_comms::beta::ROUTES, msgraph_comms::beta::REQUESTS, &mock);
        eprintln!("beta: {beta} request types through $batch");
        assert_eq!(beta, msgraph_comms::beta::ROUTES.len());
    }
}

#[test]
fn a_batch_with_throttling_a_failed_dependency_no_content_and_bytes() {
    use call_records::call_record;
    use odata::{Batch, Preference, RequestHeaders, RetryPolicy};
    use v1_0::call_transcript;
    let mock = mock::start(apis());
    let base = format!("{}/v1.0", mock.base);
    let mode = |mode: &str| RequestHeaders::new().header("x-mock", mode).unwrap();
    let mut batch = Batch::new(&base);
    let first = batch.add(&call_record::Get::new(call_record::Item::new("r1"))).unwrap();
    // Throttled the first time it is asked for.
    let throttled = batch
        .add(&call_record::Get::new(call_record::Item::new("r2-batch-throttle")).with_headers(mode("throttle-once")))
        .unwrap();
    let failing = batch.add(&call::Get::new(call::Item::new("c1")).with_headers(mode("error"))).unwrap();
    let dependent = batch.add_after(&call::Delete::new(call::Item::new("c1")), &[failing.id()]).unwrap();
    let deleted = batch.add(&call::Delete::new(call::Item::new("c2"))).unwrap();
    let transcript = call_transcript::GetContent::new(call_transcript::Item::CommunicationsOnlineMeetingsTranscripts {
        online_meeting_id: "m1".into(),
        call_transcript_id: "t1".into(),
    })
    .with_format("text/vtt");
    let content = batch.add(&transcript).unwrap();
    let records = batch
        .add(&call_record::List::new(call_record::Collection::new()).with_headers(
            RequestHeaders::new().prefer(Preference::IncludeUnknownEnumMembers).prefer(Preference::MaxPageSize(2)),
        ))
        .unwrap();
    let mut answers = send_batch(&batch);
    assert_eq!(answers.get(&first).unwrap().id.value().map(String::as_str), Some("mock-id"));
    let error = answers.get(&throttled).unwrap_err();
    assert_eq!(
        (error.status(), error.retry_after()),
        (429, Some(&RetryAfter::Delay(std::time::Duration::from_millis(249))))
    );
    assert_eq!(answers.get(&failing).unwrap_err().status(), 503);
    assert_eq!(answers.get(&dependent).unwrap_err().status(), 424);
    assert_eq!(answers.failed_dependencies(), [dependent.id()]);
    answers.get(&deleted).expect("204, no content");
    let bytes = answers.get(&content).unwrap();
    assert_eq!((bytes.text(), bytes.content_type.as_deref()), (Some(mock::VTT), Some("text/vtt")));
    assert_eq!(answers.get(&records).unwrap().items().len(), 2);
    // The throttled read and the failing one are sent again, after the longest Retry-After
    // (3 s, the failing one's), and the DELETE that failed for want of the failing one, still
    // depending on it.
    let now = std::time::UNIX_EPOCH;
    let (again, wait) = batch.retry(&answers, &RetryPolicy::default(), 1, now).unwrap();
    let ids: Vec<String> = (again.bodies().unwrap()[0]["requests"].as_array().unwrap().iter())
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, [throttled.id(), failing.id(), dependent.id()]);
    assert_eq!(wait, std::time::Duration::from_secs(3));
    answers.update(send_batch(&again));
    assert_eq!(answers.get(&throttled).unwrap().id.value().map(String::as_str), Some("mock-id"));
    // The mock fails that read again, so the DELETE fails by dependency again.
    assert_eq!(answers.get(&failing).unwrap_err().status(), 503);
    assert_eq!(answers.failed_dependencies(), [dependent.id()]);
}
