//! `msgraph-comms`: Graph payloads through the typed models, for scripts (`roundtrip`, JSON
//! Lines) and for people (`check`).

use clap::{Parser, Subcommand};
use msgraph_comms::odata::{RoundTrip, Route, TypeInfo, find_type, json_difference, route};
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
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Roundtrip => roundtrip(),
        Command::Check { file, type_name, api } => check(&file, &type_name, &api),
    }
}

fn api(name: &str) -> Result<(&'static [TypeInfo], &'static [Route]), String> {
    match name {
        "v1.0" | "v1" => Ok((msgraph_comms::v1_0::TYPES, msgraph_comms::v1_0::ROUTES)),
        "beta" => Ok((msgraph_comms::beta::TYPES, msgraph_comms::beta::ROUTES)),
        other => Err(format!("unknown api `{other}` (v1.0 or beta)")),
    }
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
