//! `msgraph-comms`: Graph payloads through the typed models, for scripts (`roundtrip`, JSON
//! Lines) and for people (`check`), which typed request a method and URL are (`request`), and
//! what a sequence of webhook bodies says happened (`track`).

use clap::{Parser, Subcommand};
use msgraph_comms::odata::{RequestInfo, RoundTrip, Route, TypeInfo, find_request, find_type, json_difference, route};
use serde_json::{Value, json};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(version, about = "Round-trips Microsoft Graph communications payloads through the msgraph-comms models")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Reads JSON Lines on stdin and writes one line per input. Each input line is
    /// `{"api": "v1.0"|"beta", "type": "microsoft.graph.call", "body": {…}}` (without `type`, the
    /// body's `@odata.type` names it), or `{"api", "method", "url", "body"}` (the type of the
    /// request body comes from the URL; add `"response": true` for the body of its answer).
    /// Each output line is `{"ok", "type", "body", "error", "typed", "extras"}`.
    Roundtrip,
    /// Decodes a JSON file as a type and shows it, marking what the schema does not know.
    Check {
        file: PathBuf,
        /// The qualified type name, e.g. `microsoft.graph.commsNotifications`.
        #[arg(long = "type")]
        type_name: String,
        #[arg(long, default_value = "v1.0")]
        api: String,
    },
    /// Shows the typed request a method and URL are: its Rust type, template, keys, the path
    /// rendered back from them, and its body and answer types. A function's arguments in the
    /// URL are its parameters.
    Request {
        method: String,
        url: String,
        #[arg(long, default_value = "v1.0")]
        api: String,
        /// One JSON object: `type`, `template`, `keys`, `path`, `body`, `response`, …
        #[arg(long)]
        json: bool,
    },
    /// Feeds webhook bodies (`commsNotifications`, and change-notification deliveries of call
    /// records, presence, meetings …) to the call-state tracker, in order, and writes its
    /// events, one line each: from the files given (one body each), else from JSON Lines on
    /// stdin. Fails only for an input that is not a webhook body, naming it.
    Track {
        files: Vec<PathBuf>,
        #[arg(long, default_value = "v1.0")]
        api: String,
        /// One JSON object per event: `event`, `callId`, …
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Roundtrip => roundtrip(),
        Command::Check { file, type_name, api } => check(&file, &type_name, &api),
        Command::Request { method, url, api, json } => request(&method, &url, &api, json),
        Command::Track { files, api, json } => match api.as_str() {
            "v1.0" | "v1" => track_v1_0::track(&files, json),
            "beta" => track_beta::track(&files, json),
            other => {
                eprintln!("unknown api `{other}` (v1.0 or beta)");
                ExitCode::FAILURE
            }
        },
    }
}

/// A delivery that `track` reads, checked as one the user trusts already: against the client
/// states it names itself, resource data accepted without validation tokens (`track` inspects
/// files; it authenticates nothing). What still does not pass (a notification without a
/// client state) is said on stderr.
fn trusted<'a, N: msgraph_comms::change_notifications::Notification>(
    name: &str,
    notifications: &'a [N],
) -> msgraph_comms::change_notifications::Checked<'a, N> {
    use msgraph_comms::change_notifications::{CheckPolicy, ClientStates, Vouchers, check};
    let mut states = ClientStates::new();
    for n in notifications {
        if let (Some(id), Some(state)) = (n.subscription_id(), n.client_state()) {
            states.insert(id, state);
        }
    }
    let policy = CheckPolicy { accept_resource_data_without_tokens: true, ..CheckPolicy::default() };
    let checked = check(notifications, &states, &Vouchers::none(), &policy);
    for rejected in checked.rejected() {
        eprintln!("{name}: notification {} left out: {}", rejected.index, rejected.reason);
    }
    checked
}

/// The inputs of `track`: each file's text, named by its path, or each stdin line, named by
/// its number.
fn track_inputs(files: &[PathBuf]) -> Vec<(String, Result<String, String>)> {
    if files.is_empty() {
        let stdin = std::io::stdin();
        return stdin
            .lock()
            .lines()
            .enumerate()
            .filter(|(_, line)| line.as_ref().map_or(true, |l| !l.trim().is_empty()))
            .map(|(i, line)| (format!("stdin line {}", i + 1), line.map_err(|e| e.to_string())))
            .collect();
    }
    files.iter().map(|f| (f.display().to_string(), std::fs::read_to_string(f).map_err(|e| e.to_string()))).collect()
}

macro_rules! track_command {
    ($module:ident, $api:ident) => {
        mod $module {
            use msgraph_comms::$api::{ChangeNotificationCollection, CommsNotifications};
            use msgraph_comms::$api::tracker::{Event, Tracker};
            use serde_json::{Value, json};
            use std::path::PathBuf;
            use std::process::ExitCode;

            pub fn track(files: &[PathBuf], as_json: bool) -> ExitCode {
                let mut tracker = Tracker::default();
                let mut failed = false;
                let mut out = std::io::stdout().lock();
                for (name, text) in super::track_inputs(files) {
                    // A change-notification delivery (call records, presence …) names its
                    // subscription in each notification; a calling bot's webhook body does not.
                    let events = text.and_then(|t| {
                        let value: Value = serde_json::from_str(&t).map_err(|e| e.to_string())?;
                        let error = |e: serde_json::Error| e.to_string();
                        // Typed from the value already read, not from the text again.
                        if msgraph_comms::change_notifications::is_delivery(&value) {
                            let body: ChangeNotificationCollection = serde_json::from_value(value).map_err(error)?;
                            Ok(tracker.process_changes(&super::trusted(&name, body.notifications())))
                        } else {
                            Ok(tracker.process(serde_json::from_value::<CommsNotifications>(value).map_err(error)?))
                        }
                    });
                    let events = match events {
                        Ok(events) => events,
                        Err(err) => {
                            eprintln!("{name}: not a webhook body: {err}");
                            failed = true;
                            continue;
                        }
                    };
                    for event in events {
                        let line = if as_json { event_json(&event).to_string() } else { event_line(&event) };
                        let _ = std::io::Write::write_all(&mut out, format!("{line}\n").as_bytes());
                    }
                }
                if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
            }

            fn text<T: serde::Serialize>(value: &T) -> String {
                match serde_json::to_value(value) {
                    Ok(Value::String(s)) => s,
                    Ok(other) => other.to_string(),
                    Err(err) => format!("<{err}>"),
                }
            }

            fn participant(p: &msgraph_comms::$api::Participant) -> String {
                match p.id.value() {
                    Some(id) => id.clone(),
                    None => format!("(no id) {}", text(&p.info)),
                }
            }

            fn event_line(event: &Event) -> String {
                match event {
                    Event::CallCreated { call_id, call } => format!("call {call_id} created ({})", text(&call.state)),
                    Event::CallStateChanged { call_id, from, to } => {
                        format!("call {call_id} state {} -> {}", from.as_ref().map_or("(none)".into(), text), text(to))
                    }
                    Event::CallTerminated { call_id, result_info, .. } => format!("call {call_id} terminated {}", text(result_info)),
                    Event::RosterMayBeStale { call_id, expected, received } => {
                        format!("call {call_id} roster may be stale (delta {received} after a gap, {expected} expected): read its participants")
                    }
                    Event::RosterDeltaSkipped { call_id, sequence, applied } => {
                        format!("call {call_id} roster delta {sequence} skipped (already at {applied})")
                    }
                    Event::ParticipantJoined { call_id, participant: p } => format!("call {call_id} participant {} joined", participant(p)),
                    Event::ParticipantLeft { call_id, participant: p } => format!("call {call_id} participant {} left", participant(p)),
                    Event::ParticipantChanged { call_id, changed, participant: p } => {
                        format!("call {call_id} participant {} changed {}", participant(p), changed.join(", "))
                    }
                    Event::OperationCompleted { call_id, operation, label } => format!(
                        "call {} operation {} completed{}",
                        call_id.as_deref().unwrap_or("(none)"),
                        text(operation.id()),
                        label.as_ref().map_or(String::new(), |l| format!(" ({l})"))
                    ),
                    Event::OperationFailed { call_id, operation, label } => format!(
                        "call {} operation {} failed{} {}",
                        call_id.as_deref().unwrap_or("(none)"),
                        text(operation.id()),
                        label.as_ref().map_or(String::new(), |l| format!(" ({l})")),
                        text(operation.result_info())
                    ),
                    Event::ResourceChanged { change_type, resource_type, resource_id, notification } => format!(
                        "{} {} {}{}",
                        resource_type.unwrap_or("resource"),
                        resource_id.as_deref().unwrap_or("(no id)"),
                        change_type.as_ref().map_or("changed".into(), text),
                        notification.resource.value().map_or(String::new(), |r| format!(" ({r})"))
                    ),
                    Event::SubscriptionLifecycle { subscription_id, event, .. } => {
                        format!("subscription {} {}", subscription_id.as_deref().unwrap_or("(no id)"), text(event))
                    }
                    Event::Unhandled { reason, notification } => {
                        format!("unhandled: {reason}: {}", notification.resource_path().unwrap_or("(no resource)"))
                    }
                    other => other.kind().to_owned(),
                }
            }

            fn event_json(event: &Event) -> Value {
                match event {
                    Event::CallCreated { call_id, call } => json!({"event": event.kind(), "callId": call_id, "call": call}),
                    Event::CallStateChanged { call_id, from, to } => {
                        json!({"event": event.kind(), "callId": call_id, "from": from.as_ref().map(text), "to": text(to)})
                    }
                    Event::CallTerminated { call_id, result_info, call } => {
                        json!({"event": event.kind(), "callId": call_id, "resultInfo": result_info, "call": call})
                    }
                    Event::RosterMayBeStale { call_id, expected, received } => {
                        json!({"event": event.kind(), "callId": call_id, "expected": expected, "received": received})
                    }
                    Event::RosterDeltaSkipped { call_id, sequence, applied } => {
                        json!({"event": event.kind(), "callId": call_id, "sequence": sequence, "applied": applied})
                    }
                    Event::ParticipantJoined { call_id, participant } => {
                        json!({"event": event.kind(), "callId": call_id, "participant": participant})
                    }
                    Event::ParticipantLeft { call_id, participant } => {
                        json!({"event": event.kind(), "callId": call_id, "participant": participant})
                    }
                    Event::ParticipantChanged { call_id, changed, participant } => {
                        json!({"event": event.kind(), "callId": call_id, "changed": changed, "participant": participant})
                    }
                    Event::OperationCompleted { call_id, operation, label } => {
                        json!({"event": event.kind(), "callId": call_id, "operation": operation, "label": label})
                    }
                    Event::OperationFailed { call_id, operation, label } => {
                        json!({"event": event.kind(), "callId": call_id, "operation": operation, "label": label})
                    }
                    Event::ResourceChanged { change_type, resource_type, resource_id, notification } => json!({
                        "event": event.kind(), "changeType": change_type.as_ref().map(text), "resourceType": resource_type,
                        "resourceId": resource_id, "notification": notification
                    }),
                    Event::SubscriptionLifecycle { subscription_id, event: lifecycle, notification } => json!({
                        "event": event.kind(), "subscriptionId": subscription_id, "lifecycleEvent": text(lifecycle),
                        "notification": notification
                    }),
                    Event::Unhandled { reason, notification } => {
                        json!({"event": event.kind(), "reason": reason, "notification": notification})
                    }
                    other => json!({"event": other.kind()}),
                }
            }
        }
    };
}

track_command!(track_v1_0, v1_0);
track_command!(track_beta, beta);

fn api(name: &str) -> Result<(&'static [TypeInfo], &'static [Route]), String> {
    match name {
        "v1.0" | "v1" => Ok((msgraph_comms::v1_0::TYPES, msgraph_comms::v1_0::ROUTES)),
        "beta" => Ok((msgraph_comms::beta::TYPES, msgraph_comms::beta::ROUTES)),
        other => Err(format!("unknown api `{other}` (v1.0 or beta)")),
    }
}

fn requests(name: &str) -> Result<(&'static str, &'static [RequestInfo]), String> {
    match name {
        "v1.0" | "v1" => Ok(("msgraph_comms::v1_0", msgraph_comms::v1_0::REQUESTS)),
        "beta" => Ok(("msgraph_comms::beta", msgraph_comms::beta::REQUESTS)),
        other => Err(format!("unknown api `{other}` (v1.0 or beta)")),
    }
}

fn request(method: &str, url: &str, api_name: &str, as_json: bool) -> ExitCode {
    match describe_request(method, url, api_name) {
        Ok(description) if as_json => {
            println!("{description}");
            ExitCode::SUCCESS
        }
        Ok(d) => {
            let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            println!("type      {}", text(&d["type"]));
            println!("template  {} {}", text(&d["method"]), text(&d["template"]));
            for (key, value) in d["keys"].as_object().into_iter().flatten() {
                println!("key       {key} = {}", text(value));
            }
            println!("path      {}", text(&d["path"]));
            let types = |v: &Value| match (v.is_null(), v["odata"].as_str()) {
                (true, _) => "(none)".to_owned(),
                (false, Some(odata)) => format!("{} ({odata})", text(&v["rust"])),
                (false, None) => format!("{} (no content)", text(&v["rust"])),
            };
            println!("body      {}", types(&d["body"]));
            println!("response  {}", types(&d["response"]));
            if d["by_suffix"] == true {
                println!("note      matched by the end of the URL only: its start is not a path of the API");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn describe_request(method: &str, url: &str, api_name: &str) -> Result<Value, String> {
    let (_, routes) = api(api_name)?;
    let (module, requests) = requests(api_name)?;
    let Some(found) = route(routes, method, url) else {
        let closest = closest_templates(routes, method, url);
        return Err(format!("no route of {api_name} for {method} {url}; the closest: {}", closest.join(", ")));
    };
    let info = find_request(requests, found.route.method, found.route.template)
        .ok_or_else(|| format!("no request type for {} {}", found.route.method, found.route.template))?;
    let arguments = function_arguments(url);
    let body = arguments.as_ref().map(|a| a.to_string().into_bytes());
    let built = (info.make)(&found.keys, body.as_deref())?;
    let keys: serde_json::Map<String, Value> = found.keys.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    let described = |odata: Option<&str>, rust: Option<&str>| match (odata, rust) {
        (None, None) => Value::Null,
        (odata, rust) => json!({"odata": odata, "rust": rust.map(public_type_name)}),
    };
    Ok(json!({
        "api": api_name,
        "method": info.method,
        "type": format!("{module}::{}", info.rust_type),
        "template": info.template,
        "keys": keys,
        "path": built.path().map_err(|e| e.to_string())?,
        "body": described(found.route.request, built.body_type()),
        "response": described(found.route.response, Some(built.response_type())),
        "by_suffix": found.by_suffix,
        "permissions": permissions_json(found.route.permissions),
    }))
}

/// Per scheme, the least privileged permission and the others that allow the route, from
/// Graph's permissions reference (`{}` when it has no entry).
fn permissions_json(permissions: &[msgraph_comms::odata::Permission]) -> Value {
    use msgraph_comms::odata::Scheme;
    let mut out = serde_json::Map::new();
    for scheme in [Scheme::DelegatedWork, Scheme::DelegatedPersonal, Scheme::Application] {
        let of: Vec<_> = permissions.iter().filter(|p| p.scheme == scheme).collect();
        if of.is_empty() {
            continue;
        }
        let least = of.iter().find(|p| p.least_privileged).map(|p| p.name);
        let others: Vec<&str> = of.iter().filter(|p| !p.least_privileged).map(|p| p.name).collect();
        out.insert(scheme.as_str().to_owned(), json!({"least_privileged": least, "others": others}));
    }
    Value::Object(out)
}

/// A Rust type name as users write it: `msgraph_comms::odata::Page<…>` rather than the
/// private module it is defined in, `Vec` rather than `alloc::vec::Vec`.
fn public_type_name(name: &str) -> String {
    // The runtime's items are all re-exported by `odata`: a module below it, and the private
    // `request` layer, are not paths users can write.
    let name = name.replace("msgraph_comms::request::", "msgraph_comms::odata::");
    let mut out = String::new();
    let mut rest = name.as_str();
    while let Some(at) = rest.find("msgraph_comms::odata::") {
        let (before, after) = rest.split_at(at + "msgraph_comms::odata::".len());
        out.push_str(before);
        let module_len = after.find("::").filter(|&i| after[..i].chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        rest = module_len.map_or(after, |i| &after[i + 2..]);
    }
    out.push_str(rest);
    for (long, short) in
        [("alloc::vec::Vec", "Vec"), ("alloc::string::String", "String"), ("core::option::Option", "Option")]
    {
        out = out.replace(long, short);
    }
    out
}

/// A function's arguments in the URL's last segment (`getPstnCalls(fromDateTime=…,…)`) as a
/// JSON object of its parameters: quoted literals as strings, numbers, booleans and `null`
/// as themselves, anything else (dates, enum members) as its text.
fn function_arguments(url: &str) -> Option<Value> {
    let path = url.split(['?', '#']).next()?;
    let last = path.rsplit('/').next()?;
    let inner = last.strip_suffix(')')?.split_once('(')?.1;
    if !inner.contains('=') {
        return None;
    }
    let mut object = serde_json::Map::new();
    for pair in inner.split(',') {
        let (name, value) = pair.split_once('=')?;
        let value = msgraph_comms::odata::percent_decode(value.trim()).unwrap_or_else(|| value.to_owned());
        let quoted = value.find('\'').filter(|_| value.ends_with('\'') && value.len() > 1);
        let literal = match quoted {
            Some(open) if open + 1 < value.len() => json!(value[open + 1..value.len() - 1].replace("''", "'")),
            _ => serde_json::from_str::<Value>(&value).ok().filter(|v| !v.is_string()).unwrap_or(json!(value)),
        };
        object.insert(name.trim().to_owned(), literal);
    }
    Some(Value::Object(object))
}

/// The templates of `method` that share the most segment names with `url`, best first.
fn closest_templates(routes: &[Route], method: &str, url: &str) -> Vec<String> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    let names: Vec<String> = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .split('/')
        .map(|s| s.split('(').next().unwrap_or(s).to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    let mut scored: Vec<(usize, &str)> = routes
        .iter()
        .filter(|r| r.method.eq_ignore_ascii_case(method))
        .map(|r| {
            let segments: Vec<String> = r.template.split('/').map(str::to_ascii_lowercase).collect();
            (names.iter().filter(|n| segments.contains(n)).count(), r.template)
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.len().cmp(&b.1.len())));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, t)| format!("{method} {t}")).collect()
}

fn roundtrip() -> ExitCode {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // Lines as bytes: one that is not UTF-8 is an error for that line, and the next ones are
    // still read.
    for (number, line) in stdin.lock().split(b'\n').enumerate() {
        let line = match line {
            Ok(line) => line,
            Err(err) => {
                eprintln!("error: stdin: {err}");
                return ExitCode::FAILURE;
            }
        };
        let result = match std::str::from_utf8(&line) {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => one_line(line),
            Err(err) => Err(format!("not UTF-8: {err}")),
        };
        let result =
            result.unwrap_or_else(|error| json!({"ok": false, "error": format!("line {}: {error}", number + 1)}));
        if writeln!(out, "{result}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The output line for one input line; `Err` for input that names no type.
fn one_line(line: &str) -> Result<Value, String> {
    let input: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let (types, routes) = api(input.get("api").and_then(Value::as_str).unwrap_or("v1.0"))?;
    let body = input.get("body").ok_or("no `body`")?;
    let (type_name, route_template) = resolve(&input, body, routes)?;
    let (name, collection) = match type_name.strip_prefix("Collection(") {
        Some(inner) => (inner.trim_end_matches(')').to_owned(), true),
        None => (type_name.clone(), false),
    };
    let info = find_type(types, &name).ok_or_else(|| format!("no type `{name}` in the {} models", api_name(&input)))?;
    let mut result = json!({"type": type_name});
    if let Some(template) = route_template {
        result["route"] = json!(template);
    }
    let items: Vec<&Value> = match (collection, body) {
        (true, Value::Array(items)) => items.iter().collect(),
        (true, Value::Object(map)) if map.get("value").is_some_and(Value::is_array) => {
            map["value"].as_array().map(|items| items.iter().collect()).unwrap_or_default()
        }
        _ => vec![body],
    };
    let mut encoded = Vec::new();
    let (mut typed, mut extras, mut error) = (0, 0, None);
    for item in &items {
        match (info.round_trip)(&item.to_string()) {
            Ok(rt) => {
                typed += rt.inspection.typed;
                extras += rt.inspection.extras;
                error = error.or_else(|| problem(item, &rt));
                encoded.push(rt.value);
            }
            Err(err) => {
                error = error.or(Some(err.to_string()));
                encoded.push(Value::Null);
            }
        }
    }
    let body = if collection { Value::Array(encoded) } else { encoded.pop().unwrap_or(Value::Null) };
    result["ok"] = json!(error.is_none());
    result["body"] = body;
    if let Some(error) = error {
        result["error"] = json!(error);
    }
    result["typed"] = json!(typed);
    result["extras"] = json!(extras);
    Ok(result)
}

fn api_name(input: &Value) -> &str {
    input.get("api").and_then(Value::as_str).unwrap_or("v1.0")
}

/// The type of the body: `type`, else the route of `method` and `url`, else `@odata.type`.
fn resolve(input: &Value, body: &Value, routes: &[Route]) -> Result<(String, Option<String>), String> {
    if let Some(name) = input.get("type").and_then(Value::as_str) {
        return Ok((name.to_owned(), None));
    }
    if let (Some(method), Some(url)) =
        (input.get("method").and_then(Value::as_str), input.get("url").and_then(Value::as_str))
    {
        let found = route(routes, method, url).ok_or_else(|| format!("no route for {method} {url}"))?;
        let response = input.get("response").and_then(Value::as_bool).unwrap_or(false);
        let name = match response {
            true => found.route.response.ok_or_else(|| format!("{method} {url} answers with no body"))?,
            false => found.route.request.ok_or_else(|| format!("{method} {url} takes no body"))?,
        };
        return Ok((name.to_owned(), Some(found.route.template.to_owned())));
    }
    match body.get("@odata.type").and_then(Value::as_str) {
        Some(tag) => Ok((tag.trim_start_matches('#').to_owned(), None)),
        None => Err("no `type`, no `method` and `url`, and no `@odata.type` in the body".to_owned()),
    }
}

/// Why a round trip is not good: lost or changed content, or a second pass that differs.
fn problem(input: &Value, rt: &RoundTrip) -> Option<String> {
    match (json_difference(input, &rt.value), rt.stable) {
        (Some(diff), _) => Some(format!("not lossless at {diff}")),
        (None, false) => Some("a second round trip changes it".to_owned()),
        (None, true) => None,
    }
}

fn check(file: &PathBuf, type_name: &str, api_name: &str) -> ExitCode {
    let run = || -> Result<bool, String> {
        let (types, _) = api(api_name)?;
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let input: Value = serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", file.display()))?;
        let info =
            find_type(types, type_name).ok_or_else(|| format!("no type `{type_name}` in the {api_name} models"))?;
        let rt = (info.round_trip)(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        println!("{} as {}:", file.display(), info.name);
        print_tree(&rt.value, "$", &rt.inspection.extras_paths, 1);
        let (annotations, unknown): (Vec<&String>, Vec<&String>) =
            // Typed members never have `@` in their names, so an `@` marks an annotation.
            rt.inspection.extras_paths.iter().partition(|p| p.contains('@'));
        let unknown: Vec<&str> = unknown.iter().map(|p| p.as_str()).collect();
        println!(
            "{} properties typed, {} annotations kept, {} properties not in the schema{}",
            rt.inspection.typed,
            annotations.len(),
            unknown.len(),
            if unknown.is_empty() { String::new() } else { format!(": {}", unknown.join(", ")) }
        );
        match problem(&input, &rt) {
            None => {
                println!("round trip: lossless");
                Ok(true)
            }
            Some(problem) => {
                println!("round trip: {problem}");
                Ok(false)
            }
        }
    };
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The decoded value as an indented tree; members the schema does not declare are marked.
fn print_tree(value: &Value, path: &str, extras: &[String], depth: usize) {
    let indent = "  ".repeat(depth);
    let relative = |path: &str| path.strip_prefix("$.").or_else(|| path.strip_prefix('$')).unwrap_or(path).to_owned();
    match value {
        Value::Object(map) => {
            for (key, member) in map {
                let child = format!("{path}.{key}");
                let unknown = extras.contains(&relative(&child));
                let mark = match (unknown, key.contains('@')) {
                    (false, _) => "",
                    (true, true) => "  (annotation, kept)",
                    (true, false) => "  ← not in the schema (kept)",
                };
                match member {
                    Value::Object(_) | Value::Array(_) if !unknown => {
                        println!("{indent}{key}:{mark}");
                        print_tree(member, &child, extras, depth + 1);
                    }
                    other => println!("{indent}{key}: {other}{mark}"),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let child = format!("{path}[{i}]");
                match item {
                    Value::Object(_) | Value::Array(_) => {
                        println!("{indent}[{i}]:");
                        print_tree(item, &child, extras, depth + 1);
                    }
                    other => println!("{indent}[{i}]: {other}"),
                }
            }
        }
        other => println!("{indent}{other}"),
    }
}
