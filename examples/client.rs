//! The README's client: any request of the crate sent with reqwest, in one generic function.
//!
//! `GRAPH_TOKEN=… cargo run --example client --features requests -- CALL_ID` reads a call of
//! your bot's tenant (a token with `Calls.Initiate.All` or the like); `… -- MEETING_ID
//! TRANSCRIPT_ID` prints one of your meetings' transcripts as WebVTT (`OnlineMeetingTranscript.Read.All`);
//! `… -- --records ID…` reads call records in `$batch`es (`CallRecords.Read.All`);
//! `tests/client.rs` runs them against a local mock of Graph.

use msgraph_comms::odata::{Answer, AnswerError, Batch, BatchAnswers, Request, RetryPolicy};
use msgraph_comms::v1_0::call_records::{CallRecord, call_record};
use msgraph_comms::v1_0::{self, call};
use std::time::SystemTime;

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
    let (status, headers, body) = read(builder.send().await?).await?;
    let headers: Vec<(&str, &str)> = headers.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    Ok(R::decode(&Answer::new(status, &headers, &body))?)
}

/// An answer's status, headers and body, as `Answer::new` takes them once borrowed.
async fn read(response: reqwest::Response) -> Result<(u16, Vec<(String, String)>, Vec<u8>), reqwest::Error> {
    let status = response.status().as_u16();
    let headers = (response.headers().iter())
        .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
        .collect();
    Ok((status, headers, response.bytes().await?.to_vec()))
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

// README: batch
/// Call records by id, read in `$batch`es (20 requests a body): each answer decoded into a
/// `CallRecord` or Graph's error; what Graph throttled is sent again after its `Retry-After`,
/// as the policy allows.
pub async fn call_records(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    ids: &[&str],
) -> Result<Vec<Result<CallRecord, AnswerError>>, Box<dyn std::error::Error>> {
    let mut batch = Batch::new(base);
    let mut items = Vec::new();
    for id in ids {
        items.push(batch.add(&call_record::Get::new(call_record::Item::new(*id)))?);
    }
    let policy = RetryPolicy::default();
    let mut answers = post_batch(http, token, &batch).await?;
    let mut attempt = 1;
    while let Some((again, wait)) = batch.retry(&answers, &policy, attempt, SystemTime::now()) {
        tokio::time::sleep(wait).await;
        answers.update(post_batch(http, token, &again).await?);
        (batch, attempt) = (again, attempt + 1);
    }
    Ok(items.iter().map(|item| answers.get(item)).collect())
}

/// Posts the bodies of a batch, and reads their answers; where Graph answered a body before
/// all of its requests were done, follows the `nextLink` to the rest.
async fn post_batch(
    http: &reqwest::Client,
    token: &str,
    batch: &Batch,
) -> Result<BatchAnswers, Box<dyn std::error::Error>> {
    let mut answers = BatchAnswers::new(batch);
    let bodies = batch.bodies()?;
    let mut posted = 0;
    loop {
        let (i, request) = match answers.next_link() {
            Some((i, link)) => (i, http.get(link)),
            None if posted < bodies.len() => {
                let json = serde_json::to_vec(&bodies[posted])?;
                posted += 1;
                (posted - 1, http.post(batch.url()).header("Content-Type", "application/json").body(json))
            }
            None => return Ok(answers),
        };
        let (status, headers, body) = read(request.bearer_auth(token).send().await?).await?;
        let headers: Vec<(&str, &str)> = headers.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
        // A `$batch` throttled as a whole answers each of its requests: sent again by the caller.
        answers.read_answer(i, &Answer::new(status, &headers, &body))?;
    }
}
// README: end batch

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
        [flag, ids @ ..] if flag == "--records" => {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            for record in runtime.block_on(call_records(&http, v1_0::BASE_URL, &token, &ids))? {
                println!("{record:#?}");
            }
        }
        _ => return Err("usage: client CALL_ID, client MEETING_ID TRANSCRIPT_ID, or client --records ID…".into()),
    }
    Ok(())
}
