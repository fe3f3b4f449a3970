//! Every request line (`METHOD URL`) of today's docs pages of the area (`$MSGRAPH_COMMS_DOCS`,
//! else `../shared/docs`, its `2026` folder) through the router of its API: each routes to a
//! typed request (built from the route's keys, its path routing back to the same template), or
//! is an exception of a known kind, with why. The report gives the counts by kind.
//!
//! Without the docs folder the test says so and passes; under CI (`CI` set) it fails.

use msgraph_comms::odata::{self, RequestInfo, Route, find_request, route};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a line has no route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Exception {
    /// A POST Graph sends to a bot (`https://bot.contoso.com/api/calls`): no URL of Graph's.
    BotUrl,
    /// The pinned schema has no operation or property of the line's last name.
    NotInSchema,
    /// A function's result, composed with another operation (`getAllRecordings(…)/delta`).
    Composition,
    /// A navigation the schema does not contain (`registrations/{id}/sessions`): not a path
    /// of the entities' own.
    NotContained,
}

impl Exception {
    fn why(self, version: &str) -> String {
        match self {
            Exception::BotUrl => "a bot's own URL, which Graph posts to: no path of Graph's".to_owned(),
            Exception::NotInSchema => format!("the pinned {version} schema has no operation or path of this name"),
            Exception::Composition => {
                "a function composed with another (`…/getAllRecordings(…)/delta`): each is typed on its own".to_owned()
            }
            Exception::NotContained => {
                "a navigation that does not contain its entities: the crate types contained paths".to_owned()
            }
        }
    }
}

#[test]
fn every_request_line_of_today_s_pages_routes_to_a_typed_request() {
    let dir = match std::env::var_os("MSGRAPH_COMMS_DOCS") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/docs"),
    }
    .join("2026");
    if !dir.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "no docs pages of 2026 at {}", dir.display());
        eprintln!("NOTE: the request lines of 2026 were not routed: no docs at {}", dir.display());
        return;
    }
    let mut apis: Vec<(&str, &[Route], &[RequestInfo])> =
        vec![("v1.0", msgraph_comms::v1_0::ROUTES, msgraph_comms::v1_0::REQUESTS)];
    #[cfg(feature = "beta")]
    apis.push(("beta", msgraph_comms::beta::ROUTES, msgraph_comms::beta::REQUESTS));
    let mut report = String::new();
    let mut failures = Vec::new();
    for (version, routes, requests) in apis {
        let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
        let mut exceptions: BTreeMap<Exception, Vec<String>> = BTreeMap::new();
        let mut lines = 0;
        for (page, method, url) in request_lines(&dir.join(version)) {
            lines += 1;
            let Some(found) = route(routes, &method, &url) else {
                match exception(routes, &url) {
                    Some(kind) => exceptions.entry(kind).or_default().push(format!("{method} {url} ({page})")),
                    None => failures.push(format!("{version}: {method} {url} ({page}): no route")),
                }
                continue;
            };
            let Some(info) = find_request(requests, found.route.method, found.route.template) else {
                failures.push(format!("{version}: {method} {url}: no request type for {}", found.route.template));
                continue;
            };
            // The typed request, built from the keys of the line, routes back to its template.
            let built = (info.make)(&found.keys, None).map_err(|e| e.to_string()).and_then(|request| {
                let path = request.path().map_err(|e| e.to_string())?;
                let back = route(routes, info.method, &path).ok_or_else(|| format!("`{path}` routes nowhere"))?;
                match back.route.template == info.template {
                    true => Ok(()),
                    false => Err(format!("`{path}` routes to {}", back.route.template)),
                }
            });
            match built {
                Ok(()) => *by_kind.entry(kind(&found, info)).or_default() += 1,
                Err(e) => failures.push(format!("{version}: {method} {url}: {e}")),
            }
        }
        let routed: usize = by_kind.values().sum();
        report.push_str(&format!("{version}: {lines} request lines, {routed} route to a typed request\n"));
        for (kind, count) in &by_kind {
            report.push_str(&format!("  {count:>4} {kind}\n"));
        }
        for (exception, lines) in &exceptions {
            report.push_str(&format!("  {:>4} no route: {}\n", lines.len(), exception.why(version)));
            for line in lines.iter().take(3) {
                report.push_str(&format!("         {line}\n"));
            }
        }
    }
    eprintln!("{report}");
    assert!(failures.is_empty(), "{} lines fail:\n{}", failures.len(), failures.join("\n"));
}

/// The request lines of the pages under `dir`: in code blocks, a method and the rest of the
/// line as its URL (without ` HTTP/1.1`), with the page's name.
fn request_lines(dir: &Path) -> Vec<(String, String, String)> {
    let mut pages: Vec<PathBuf> = ["api", "resources", "concepts"]
        .iter()
        .filter_map(|sub| std::fs::read_dir(dir.join(sub)).ok())
        .flat_map(|entries| entries.flatten().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    let mut lines = Vec::new();
    for page in pages {
        let Ok(text) = std::fs::read_to_string(&page) else { continue };
        let name = page.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let mut in_block = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("```") {
                in_block = !in_block;
                continue;
            }
            let Some((method, rest)) = line.split_once(' ').filter(|_| in_block) else { continue };
            if matches!(method, "GET" | "POST" | "PATCH" | "PUT" | "DELETE") {
                let url = rest.trim().trim_end_matches("HTTP/1.1").trim();
                lines.push((name.clone(), method.to_owned(), url.to_owned()));
            }
        }
    }
    lines
}

/// What kind of request a routed line is.
fn kind(found: &odata::RouteMatch<'_>, info: &RequestInfo) -> &'static str {
    let name = info.rust_type.rsplit("::").next().unwrap_or_default();
    match (found.route.response, name) {
        (Some("Edm.Stream"), _) => "a stream's content",
        (_, "Get") => "an entity read",
        (_, "List") => "a collection listed",
        (_, "Create") => "an entity created",
        (_, "Update") => "an entity updated",
        (_, "Delete") => "an entity deleted",
        _ if found.route.method == "GET" => "a function",
        _ => "an action",
    }
}

/// The kind of exception a line without a route is, if it is a known one.
fn exception(routes: &[Route], url: &str) -> Option<Exception> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let is_graph = |u: &str| u.starts_with('/') || u.contains("graph.microsoft.com/");
    if !is_graph(url) {
        return Some(Exception::BotUrl);
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // The path's entry point (after the host and the version) that no route starts at.
    let after_version = segments.iter().position(|s| *s == "v1.0" || *s == "beta").map_or(0, |at| at + 1);
    let entry = segments.get(after_version).map(|s| s.split('(').next().unwrap_or_default());
    let known_entry =
        |name: &str| routes.iter().any(|r| r.template.split('/').nth(1).is_some_and(|s| s.eq_ignore_ascii_case(name)));
    if entry.is_some_and(|entry| !known_entry(entry)) {
        return Some(Exception::NotInSchema);
    }
    // A function's call (with its arguments) before the last segment.
    let inner_call = segments.iter().rev().skip(1).any(|s| {
        let name = s.split('(').next().unwrap_or_default();
        s.contains('(')
            && s.ends_with(')')
            && routes.iter().any(|r| r.method == "GET" && r.template.ends_with(&format!("/{name}")))
    });
    if inner_call {
        return Some(Exception::Composition);
    }
    let last = segments.last()?.split('(').next().unwrap_or_default();
    let named = routes.iter().any(|r| r.template.split('/').any(|s| s.eq_ignore_ascii_case(last)));
    if !named {
        return Some(Exception::NotInSchema);
    }
    // A name the routes know, after an entity they reach: a navigation they do not follow.
    let owner = &path[..path.len() - segments.last()?.len()];
    route(routes, "GET", owner).filter(|found| !found.by_suffix).map(|_| Exception::NotContained)
}
