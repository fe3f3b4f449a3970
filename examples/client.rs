//! The README's client: any request of the crate sent with reqwest, in one generic function.
//!
//! `GRAPH_TOKEN=… cargo run --example client -- CALL_ID` reads a call of your bot's tenant
//! (a token with `Calls.Initiate.All` or the like); `tests/client.rs` runs `send` against a
//! local mock of Graph.

use msgraph_comms::odata::Request;
use msgraph_comms::v1_0::{self, call};

// README: send
/// Sends any request of the API with reqwest, and decodes its answer (Graph's error body,
/// with `Retry-After`, when the status is not a success).
pub async fn send<R: Request>(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    request: &R,
) -> Result<R::Response, Box<dyn std::error::Error>> {
    let method = reqwest::Method::from_bytes(R::METHOD.as_bytes())?;
    // `url` checks a next link's origin: the token is never sent to another host.
    let mut builder = http.request(method, request.url(base)?).bearer_auth(token).header("Accept", "application/json");
    if let Some(body) = request.body() {
        builder = builder.header("Content-Type", "application/json").body(serde_json::to_vec(body)?);
    }
    let response = builder.send().await?;
    let status = response.status().as_u16();
    let retry_after = response.headers().get("Retry-After").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = response.bytes().await?;
    Ok(R::decode(status, retry_after.as_deref(), &body)?)
}
// README: end

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("GRAPH_TOKEN").map_err(|_| "set GRAPH_TOKEN to an access token")?;
    let call_id = std::env::args().nth(1).ok_or("usage: client CALL_ID")?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let call = runtime.block_on(send(
        &reqwest::Client::new(),
        v1_0::BASE_URL,
        &token,
        &call::Get::new(call::Item::new(call_id)),
    ))?;
    println!("{call:#?}");
    Ok(())
}
