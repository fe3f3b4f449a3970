//! The README's reqwest client works as written: its `send` (kept in `examples/client.rs`, and
//! the same text in the README) drives typed requests against the local mock of Graph.

mod mock;

#[allow(dead_code)]
#[path = "../examples/client.rs"]
mod client;

use msgraph_comms::Field;
use msgraph_comms::odata::{AnswerError, NoContent, Query};
use msgraph_comms::v1_0::{self, call};

#[test]
fn the_readme_shows_the_example_s_send() {
    let example = include_str!("../examples/client.rs");
    let start = example.find("// README: send\n").unwrap() + "// README: send\n".len();
    let end = example.find("// README: end").unwrap();
    let readme = include_str!("../README.md");
    assert!(readme.contains(&example[start..end]), "README.md must show examples/client.rs's `send` as it is");
    let start = example.find("// README: transcript\n").unwrap() + "// README: transcript\n".len();
    let end = example.find("// README: end transcript").unwrap();
    assert!(readme.contains(&example[start..end]), "README.md must show examples/client.rs's `transcript` as it is");
    let start = example.find("// README: batch\n").unwrap() + "// README: batch\n".len();
    let end = example.find("// README: end batch").unwrap();
    assert!(readme.contains(&example[start..end]), "README.md must show examples/client.rs's `call_records` as it is");
}

#[test]
fn the_readme_client_drives_the_mock() {
    let mock = mock::start(vec![("v1.0", v1_0::ROUTES, v1_0::TYPES)]);
    let base = format!("{}/v1.0", mock.base);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let http = reqwest::Client::new();
    runtime.block_on(async {
        let got = client::send(&http, &base, "token", &call::Get::new(call::Item::new("57da"))).await.unwrap();
        assert_eq!(got.id, Field::Value("mock-id".to_owned()));
        let page = client::send(
            &http,
            &base,
            "token",
            &call::List::new(call::Collection::new()).with_query(Query::new().top(5)),
        )
        .await
        .unwrap();
        let next = client::send(&http, &base, "token", &page.next().unwrap()).await.unwrap();
        assert_eq!(next.items().len(), 2);
        let deleted: NoContent =
            client::send(&http, &base, "token", &call::Delete::new(call::Item::new(".."))).await.unwrap();
        assert_eq!(deleted, NoContent);
        // A transcript, as WebVTT.
        let vtt = client::transcript(&http, &base, "token", "MSo1N2Y5", "MSMjMCMj").await.unwrap();
        assert_eq!(vtt, mock::VTT);
        // Call records in a batch: one throttled, and sent again after its Retry-After.
        let records = client::call_records(&http, &base, "token", &["r1", "throttle-once-client", "r3"]).await.unwrap();
        assert_eq!(records.len(), 3);
        for record in &records {
            assert_eq!(record.as_ref().unwrap().id.value().map(String::as_str), Some("mock-id"));
        }
        // A batch answered in two parts: the rest after its nextLink.
        let records =
            client::call_records(&http, &base, "token", &["r1", "answer-later-1", "answer-later-2"]).await.unwrap();
        assert_eq!(records.len(), 3);
        assert!(records.iter().all(|record| record.is_ok()), "{records:?}");
        // A batch throttled as a whole: every request of it sent again.
        let records = client::call_records(&http, &base, "token", &["r1", "throttle-batch-once-client"]).await.unwrap();
        assert!(records.iter().all(|record| record.is_ok()), "{records:?}");
        // A request the service refuses: Graph's error, typed.
        let outside = format!("{}/nowhere", mock.base);
        let error = client::send(&http, &outside, "token", &call::Get::new(call::Item::new("x"))).await.unwrap_err();
        let error = error.downcast_ref::<AnswerError>().expect("an answer error");
        assert_eq!((error.status(), error.graph_error().and_then(|e| e.code())), (400, Some("MockProblem")));
    });
}
