//! The `msgraph-comms` command, run as users run it.

use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};

fn msgraph_comms(args: &[&str], stdin: impl AsRef<[u8]>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_msgraph-comms"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command runs");
    child.stdin.take().unwrap().write_all(stdin.as_ref()).unwrap();
    let output = child.wait_with_output().unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (output.status.success(), text(output.stdout), text(output.stderr))
}

fn lines(stdout: &str) -> Vec<Value> {
    stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn roundtrip_types_bodies_by_name_by_tag_and_by_url() {
    let input = [
        r#"{"api":"v1.0","type":"microsoft.graph.call","body":{"state":"Established","subject":null}}"#,
        r##"{"api":"beta","body":{"@odata.type":"#microsoft.graph.inviteParticipantsOperation","status":"running"}}"##,
        r#"{"api":"beta","method":"POST","url":"/app/calls/57DA/participants/invite","body":{"participants":[],"clientContext":"c"}}"#,
        r#"{"api":"v1.0","method":"POST","url":"/communications/calls/1/mute","response":true,"body":{"status":"completed"}}"#,
    ]
    .join("\n");
    let (ok, stdout, _) = msgraph_comms(&["roundtrip"], &input);
    assert!(ok);
    let out = lines(&stdout);
    assert_eq!(out.len(), 4);
    assert!(out.iter().all(|l| l["ok"] == true), "{stdout}");
    assert_eq!(out[0]["body"]["state"], "Established");
    assert_eq!(out[0]["body"]["subject"], Value::Null);
    assert_eq!(out[1]["type"], "microsoft.graph.inviteParticipantsOperation");
    assert_eq!(out[2]["type"], "microsoft.graph.invite(Collection(microsoft.graph.participant))");
    assert_eq!(out[2]["route"], "/app/calls/{call-id}/participants/invite");
    assert_eq!(out[3]["type"], "microsoft.graph.muteParticipantOperation");
    assert_eq!((out[0]["typed"].as_u64(), out[0]["extras"].as_u64()), (Some(2), Some(0)));
}

#[test]
fn roundtrip_reports_bad_lines_and_goes_on() {
    let input = "not json\n{\"type\":\"microsoft.graph.call\",\"body\":{\"state\":3}}\n{\"body\":{}}\n{\"api\":\"v9\",\"body\":{}}\n";
    let (ok, stdout, _) = msgraph_comms(&["roundtrip"], input);
    assert!(ok);
    let out = lines(&stdout);
    assert_eq!(out.len(), 4);
    assert!(out.iter().all(|l| l["ok"] == false));
    assert!(out[0]["error"].as_str().unwrap().starts_with("line 1: not JSON"));
    assert!(out[1]["error"].as_str().unwrap().starts_with("at `state`:"), "{}", out[1]);
    assert!(out[2]["error"].as_str().unwrap().contains("no `type`"));
    assert!(out[3]["error"].as_str().unwrap().contains("unknown api `v9`"));

    // A line that is not UTF-8, or nested past the limit, is that line's error; reading goes on.
    let deep = format!("{{\"type\":\"microsoft.graph.call\",\"body\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let mut input = deep.into_bytes();
    input.extend_from_slice(b"\n\xff\xfe{}\r\n{\"type\":\"microsoft.graph.call\",\"body\":{\"subject\":\"s\"}}");
    let (ok, stdout, _) = msgraph_comms(&["roundtrip"], input);
    assert!(ok);
    let out = lines(&stdout);
    assert_eq!(out.len(), 3, "{stdout}");
    assert!(out[0]["error"].as_str().unwrap().contains("recursion limit exceeded"), "{}", out[0]);
    assert!(out[1]["error"].as_str().unwrap().starts_with("line 2: not UTF-8"), "{}", out[1]);
    assert_eq!(out[2]["ok"], true);
}

#[test]
fn check_shows_the_tree_and_what_the_schema_does_not_know() {
    let file = std::env::temp_dir().join(format!("msgraph-comms-check-{}.json", std::process::id()));
    std::fs::write(&file, r#"{"state":"established","newThing":1,"@odata.etag":"e"}"#).unwrap();
    let (ok, stdout, _) = msgraph_comms(&["check", file.to_str().unwrap(), "--type", "microsoft.graph.call"], "");
    std::fs::remove_file(&file).ok();
    assert!(ok, "{stdout}");
    assert!(stdout.contains("newThing: 1  ← not in the schema (kept)"), "{stdout}");
    assert!(stdout.contains("@odata.etag: \"e\"  (annotation, kept)"), "{stdout}");
    assert!(stdout.contains("1 properties typed, 1 annotations kept, 1 properties not in the schema: newThing"));
    assert!(stdout.contains("round trip: lossless"));
    let (ok, _, stderr) = msgraph_comms(&["check", "/nonexistent.json", "--type", "microsoft.graph.call"], "");
    assert!(!ok && stderr.contains("/nonexistent.json"), "{stderr}");
}

#[test]
fn request_shows_the_typed_request_of_a_method_and_url() {
    let (ok, stdout, _) = msgraph_comms(
        &["request", "DELETE", "https://graph.microsoft.com/v1.0/communications/calls('it''s%2F..')", "--json"],
        "",
    );
    assert!(ok);
    let found: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(found["type"], "msgraph_comms::v1_0::call::Delete");
    assert_eq!(found["template"], "/communications/calls/{call-id}");
    assert_eq!(found["keys"]["call-id"], "it's/..");
    assert_eq!(found["path"], "/communications/calls/it%27s%2F..");
    assert_eq!(found["body"], Value::Null);
    assert_eq!(found["response"]["rust"], "msgraph_comms::odata::NoContent");

    // A function's arguments are its parameters, rendered back in the path.
    let url =
        "/communications/callRecords/getPstnCalls(fromDateTime=2019-11-01T00:00:00Z,toDateTime=2019-12-01T00:00:00Z)";
    let (ok, stdout, _) = msgraph_comms(&["request", "GET", url, "--json"], "");
    assert!(ok);
    let found: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(found["type"], "msgraph_comms::v1_0::call_records::call_record::GetPstnCalls");
    assert!(
        found["path"]
            .as_str()
            .unwrap()
            .ends_with("getPstnCalls(fromDateTime=2019-11-01T00:00:00Z,toDateTime=2019-12-01T00:00:00Z)")
    );
    // A date alone is no `Edm.DateTimeOffset`: the crate does not write it into a URL, and says why.
    let url = "/communications/callRecords/getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)";
    let (ok, _, stderr) = msgraph_comms(&["request", "GET", url, "--json"], "");
    assert!(!ok);
    assert!(stderr.contains("parameter `fromDateTime`: `2019-11-01` is no Edm.DateTimeOffset literal"), "{stderr}");
    assert_eq!(found["response"]["odata"], "Collection(microsoft.graph.callRecords.pstnCallLogRow)");
    // Which permissions allow it, per scheme, from Graph's permissions reference.
    let application = &found["permissions"]["Application"];
    assert!(application["least_privileged"].is_string(), "{found}");
    assert!(application["others"].is_array(), "{found}");

    // Beta's `/app`, and text for people.
    let (ok, stdout, _) =
        msgraph_comms(&["request", "POST", "/app/calls/57DA/participants/invite", "--api", "beta"], "");
    assert!(ok);
    assert!(stdout.contains("type      msgraph_comms::beta::participant::Invite"), "{stdout}");
    assert!(stdout.contains("key       call-id = 57DA"), "{stdout}");

    // An unknown route names the closest templates.
    let (ok, _, stderr) = msgraph_comms(&["request", "POST", "/communications/calls/1/explode"], "");
    assert!(!ok);
    assert!(stderr.contains("the closest: POST /communications/calls"), "{stderr}");
}

#[test]
fn track_writes_the_events_of_webhook_bodies_and_names_bad_inputs() {
    let call = "/communications/calls/c1";
    let bodies = [
        json!({"value": [{"changeType": "created", "resourceUrl": call,
            "resourceData": {"@odata.type": "#microsoft.graph.call", "state": "incoming"}}]}),
        json!({"value": [{"changeType": "updated", "resourceUrl": format!("{call}/participants"),
            "resourceData": [{"@odata.type": "#microsoft.graph.participant", "id": "p1", "isMuted": false}]}]}),
        // A roster delta: p2 joins, p1 stays.
        json!({"value": [{"changeType": "updated", "resourceUrl": format!("{call}/participants"),
            "resourceData": {"@odata.type": "#microsoft.graph.deltaParticipants", "sequenceNumber": 1,
                "participants": [{"@odata.type": "#microsoft.graph.participant", "id": "p2"}]}}]}),
        json!({"value": [{"changeType": "deleted", "resourceUrl": call,
            "resourceData": {"@odata.type": "#microsoft.graph.call", "state": "terminated"}}]}),
    ];
    let mut stdin: String = bodies.iter().map(|b| format!("{b}\n")).collect();
    let (ok, stdout, stderr) = msgraph_comms(&["track"], &stdin);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "call c1 created (incoming)",
            "call c1 participant p1 joined",
            "call c1 participant p2 joined",
            "call c1 state incoming -> terminated",
            "call c1 participant p1 left",
            "call c1 participant p2 left",
            "call c1 terminated null"
        ]
    );
    let (_, json_out, _) = msgraph_comms(&["track", "--json"], &stdin);
    let events: Vec<String> = lines(&json_out).iter().map(|e| e["event"].as_str().unwrap().to_owned()).collect();
    assert_eq!(
        events,
        [
            "callCreated",
            "participantJoined",
            "participantJoined",
            "callStateChanged",
            "participantLeft",
            "participantLeft",
            "callTerminated"
        ]
    );

    stdin.push_str("{\"value\": 3}\n");
    let (ok, stdout, stderr) = msgraph_comms(&["track"], &stdin);
    assert!(!ok);
    assert_eq!(stdout.lines().count(), 7, "the good bodies are still tracked");
    assert!(stderr.contains("stdin line 5: not a webhook body: at `value`"), "{stderr}");
}
