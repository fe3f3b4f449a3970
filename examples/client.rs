//! The README's client: any request of the crate sent with reqwest, in one generic function.
//!
//! `GRAPH_TOKEN=… cargo run --example client --features requests -- CALL_ID` reads a call of
//! your bot's tenant (a token with `Calls.Initiate.All` or the like); `… -- MEETING_ID
//! TRANSCRIPT_ID` prints one of your meetings' transcripts as WebVTT (`OnlineMeetingTranscript.Read.All`);
//! `tests/client.rs` runs both against a local mock of Graph.

use msgraph_comms::odata::{Answer, Request};
use msgraph_comms::v1_0::{self, call};

// README: send
/// Sends any request of the API with reqwest, and decodes its answer (Graph's error body,
/// with `Retry-After`, when the status is not a success; a stream's bytes and their type).
pub async fn send<R: Request>(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    request: &R,
) -> Result<R::Response, Box<dyn std::error::Error>> {
    let method = reqwest::Method::from_bytes(R::METHOD.as_bytes())?;
    // `url` checks a next link's origin: the token is never sent to another host.
    let mut builder = http.request(method, request.url(base)?).bearer_auth(token);
    let headers = request.headers();
    if !headers.iter().any(|(name, _)| *name == "accept") {
        builder = builder.header("Accept", "application/json");
    }
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    if let Some(body) = request.body() {
        builder = builder.header("Content-Type", "application/json").body(serde_json::to_vec(body)?);
    }
    let response = builder.send().await?;
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = (response.headers().iter())
        .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
        .collect();
    let body = response.bytes().await?;
    let headers: Vec<(&str, &str)> = headers.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    Ok(R::decode(&Answer::new(status, &headers, &body))?)
}
// README: end

// README: transcript
/// A meeting's transcript as WebVTT text: a stream, asked for in the format wanted.
pub async fn transcript(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    meeting_id: &str,
    transcript_id: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    use msgraph_comms::v1_0::call_transcript::{GetContent, Item};
    let at = Item::MeOnlineMeetingsTranscripts {
        online_meeting_id: meeting_id.into(),
        call_transcript_id: transcript_id.into(),
    };
    let content = send(http, base, token, &GetContent::new(at).with_format("text/vtt")).await?;
    Ok(content.text().ok_or("the transcript is not UTF-8 text")?.to_owned())
}
// README: end transcript

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("GRAPH_TOKEN").map_err(|_| "set GRAPH_TOKEN to an access token")?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let http = reqwest::Client::new();
    match &args[..] {
        [call_id] => {
            let call =
                runtime.block_on(send(&http, v1_0::BASE_URL, &token, &call::Get::new(call::Item::new(call_id))))?;
            println!("{call:#?}");
        }
        [meeting_id, transcript_id] => {
            print!("{}", runtime.block_on(transcript(&http, v1_0::BASE_URL, &token, meeting_id, transcript_id))?);
        }
        _ => return Err("usage: client CALL_ID, or client MEETING_ID TRANSCRIPT_ID".into()),
    }
    Ok(())
}
