//! The round-trip harness: every JSON example of the Graph docs pages (`$MSGRAPH_COMMS_DOCS`,
//! else `../shared/docs`: v1.0, beta and the localized seed pages) decoded into the generated
//! types, encoded again, compared with the original as JSON values, and decoded once more.
//! Modelled on Microsoft's apidoctor, which only validates shapes; this re-serializes.
//!
//! One test per example. The target type comes from the block's annotation (`@odata.type`,
//! `isCollection`). `resource` blocks are schema sketches with placeholder values: their
//! property names are checked against the type instead. At the end a report gives the counts,
//! what could not be checked and why, and the share of properties held by typed fields.
//!
//! Without the docs folder the trials are reported as ignored with the reason (the committed
//! seed fixtures still run in `tests/seeds.rs`); under CI (`CI` set) that is a failure.

#[path = "docs/lenient.rs"]
mod lenient;
#[path = "docs/markdown.rs"]
mod markdown;

use libtest_mimic::{Arguments, Failed, Trial};
use markdown::Block;
use msgraph_comms::odata::{Route, TypeInfo, find_type, json_difference, route};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The environment variable that points at the docs folder.
const DOCS_ENV: &str = "MSGRAPH_COMMS_DOCS";

fn main() {
    let args = Arguments::from_args();
    let report = Arc::new(Mutex::new(Report::default()));
    let trials = match docs_dir() {
        Ok(dir) => examples(&dir, &report),
        Err(why) => {
            eprintln!("NOTE: docs examples not round-tripped: {why}");
            let ci = std::env::var_os("CI").is_some();
            vec![Trial::test("docs examples", move || Err(why.into())).with_ignored_flag(!ci)]
        }
    };
    // The README's counts are those of the test command's features: every model and route.
    let every_model = cfg!(all(feature = "registry", feature = "beta", feature = "virtual-events"));
    let whole_run = every_model && args.filter.is_none() && args.skip.is_empty() && !args.ignored && !args.list;
    let conclusion = libtest_mimic::run(&args, trials);
    let report = report.lock().unwrap();
    if report.seen > 0 {
        eprintln!("{report}");
    }
    // The README gives the harness's counts per corpus: a run of every trial checks them.
    if whole_run && report.seen > 0 {
        let missing = report.missing_from_readme();
        if !missing.is_empty() {
            eprintln!("the README does not give the harness's counts (put these rows in it):\n{}", missing.join("\n"));
            std::process::exit(101);
        }
    }
    conclusion.exit();
}

fn docs_dir() -> Result<PathBuf, String> {
    let dir = match std::env::var_os(DOCS_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/docs"),
    };
    match dir.is_dir() {
        true => Ok(dir),
        false => Err(format!("the docs folder is not at {}: set {DOCS_ENV} to it", dir.display())),
    }
}

/// The types and routes of an API version, or why they are not compiled in.
#[cfg(feature = "registry")]
fn api(api: &str) -> Result<(&'static [TypeInfo], &'static [Route]), &'static str> {
    match api {
        "v1.0" => Ok((msgraph_comms::v1_0::TYPES, msgraph_comms::v1_0::ROUTES)),
        #[cfg(feature = "beta")]
        "beta" => Ok((msgraph_comms::beta::TYPES, msgraph_comms::beta::ROUTES)),
        #[cfg(not(feature = "beta"))]
        "beta" => Err("the beta models need `--features beta`"),
        _ => Err("no such API version"),
    }
}

#[cfg(not(feature = "registry"))]
fn api(_: &str) -> Result<(&'static [TypeInfo], &'static [Route]), &'static str> {
    Err("the type registry needs `--features registry`")
}

/// A trial for every JSON block of every page, sorted by page.
fn examples(dir: &Path, report: &Arc<Mutex<Report>>) -> Vec<Trial> {
    let mut trials = Vec::new();
    // The seed pages are beta pages (of 2018–2019) in other languages.
    // `change-notifications` holds v1.0 pages of subscriptions and change notifications.
    // `2026` holds today's pages of the area, v1.0 and beta.
    let corpora = [
        ("v1.0", "v1.0"),
        ("beta", "beta"),
        ("seeds", "beta"),
        ("change-notifications", "v1.0"),
        ("2026/v1.0", "v1.0"),
        ("2026/beta", "beta"),
    ];
    for (folder, api) in corpora {
        let mut pages: Vec<PathBuf> = walk(&dir.join(folder));
        pages.sort();
        for page in pages {
            let name = page.strip_prefix(dir).unwrap_or(&page).display().to_string();
            let Ok(text) = std::fs::read_to_string(&page) else { continue };
            // A response is the answer to the request shown last before it on the page.
            let mut last_request: Option<(String, String)> = None;
            for block in markdown::blocks(&text) {
                let request = block.request().map(|(m, u)| (m.to_owned(), u.to_owned()));
                let answers = if block.request().is_none() { last_request.clone() } else { None };
                if request.is_some() {
                    last_request = request;
                }
                // JSON is in `json` and `http` blocks, and in unlabeled blocks that hold an object.
                let json_like = match block.language.as_str() {
                    "json" | "http" => !block.body.is_empty(),
                    "" => block.body.starts_with(['{', '[']),
                    _ => false,
                };
                if !json_like {
                    continue;
                }
                trials.push(example(format!("{name}:{}", block.line), folder, api, block, answers, report));
            }
        }
    }
    trials
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md" || e == "txt") {
            out.push(path);
        }
    }
    out
}

/// The trial of one block: classified now (so that what cannot run says why), run later.
fn example(
    name: String,
    corpus: &'static str,
    api_name: &'static str,
    block: Block,
    answers: Option<(String, String)>,
    report: &Arc<Mutex<Report>>,
) -> Trial {
    let mut r = report.lock().unwrap();
    r.seen += 1;
    r.corpora.entry(corpus).or_default().blocks += 1;
    let unannotated = match (block.request(), block.is_response()) {
        (Some(_), _) => "request",
        (None, true) => "response",
        (None, false) => "unannotated",
    };
    let kind = block.block_type().unwrap_or(unannotated).to_owned();
    let body: Value = match serde_json::from_str(&block.body) {
        Ok(value) => value,
        Err(strict) => match lenient::repair(&block.body).and_then(|text| serde_json::from_str::<Value>(&text).ok()) {
            Some(value) => {
                r.repaired.push(name.clone());
                value
            }
            None => {
                let reason = format!("not JSON ({strict})");
                r.not_json.push((name.clone(), reason.clone()));
                r.corpora.entry(corpus).or_default().not_json += 1;
                return Trial::test(format!("{name} ({kind}, {reason})"), || Ok(())).with_ignored_flag(true);
            }
        },
    };
    let (types, routes) = match api(api_name) {
        Ok(api) => api,
        Err(why) => {
            r.untyped.push((name.clone(), why.to_owned()));
            r.corpora.entry(corpus).or_default().untyped += 1;
            return Trial::test(format!("{name} ({kind}: {why})"), || Ok(())).with_ignored_flag(true);
        }
    };
    // An unannotated change-notification delivery is what Graph posts to the subscriber, not
    // the answer of the request shown before it on the page.
    let delivery = msgraph_comms::change_notifications::is_delivery(&body);
    let answers = if block.block_type().is_none() && delivery { None } else { answers };
    let target = match target(&block, answers.as_ref(), types, routes).or_else(|why| match delivery {
        true => change_delivery(types).ok_or(why),
        false => Err(why),
    }) {
        Ok((target, by_suffix)) => {
            if by_suffix {
                r.by_suffix += 1;
            }
            target
        }
        Err(why) => {
            r.untyped.push((name.clone(), why.clone()));
            r.corpora.entry(corpus).or_default().untyped += 1;
            return Trial::test(format!("{name} ({kind}: {why})"), || Ok(())).with_ignored_flag(true);
        }
    };
    let is_sketch = kind == "resource" || kind == "ignored";
    if !is_sketch && let Some(why) = contradiction(&body, &target) {
        r.contradicting.push((name.clone(), why.clone()));
        r.corpora.entry(corpus).or_default().contradicting += 1;
        return Trial::test(format!("{name} ({kind}: {why})"), || Ok(())).with_ignored_flag(true);
    }
    drop(r);
    let report = report.clone();
    let title = format!("{name} ({kind} {})", target.info.name);
    // `ignored` is the docs' word for "not an example": such blocks are sketches like
    // `resource` blocks, with placeholder values.
    if is_sketch {
        return Trial::test(title, move || check_resource(&name, corpus, &body, &target, &report));
    }
    Trial::test(title, move || round_trip(&name, corpus, &body, &target, &report))
}

struct Target {
    info: &'static TypeInfo,
    is_collection: bool,
    /// The types of the API it belongs to.
    types: &'static [TypeInfo],
}

/// The type a block's payload is: the annotation's `@odata.type`, else for a request the body
/// type of the route its URL targets, else for a response the answer type of the request
/// before it. The flag says whether the route matched only the end of the URL.
fn target(
    block: &Block,
    answers: Option<&(String, String)>,
    types: &'static [TypeInfo],
    routes: &'static [Route],
) -> Result<(Target, bool), String> {
    let annotation = block.annotation.clone().unwrap_or_default();
    let posted_to_bot = |method: &str, url: &str| method == "POST" && is_bot_callback(url);
    let to_bot = block.request().is_some_and(|(m, u)| posted_to_bot(m, u))
        || (block.request().is_none() && answers.is_some_and(|(m, u)| posted_to_bot(m, u)));
    let (declared, by_suffix) = match (&annotation.odata_type, block.request(), answers) {
        (Some(declared), _, _) => (declared.clone(), false),
        // What Graph posts to a calling bot's own URL is a webhook body, shown in the request
        // block or in the block after it.
        (None, _, _) if to_bot => ("microsoft.graph.commsNotifications".to_owned(), false),
        (None, Some((method, url)), _) => {
            let found = route(routes, method, url).ok_or_else(|| format!("no route for {method} {url}"))?;
            let request = found.route.request.ok_or_else(|| format!("{method} {url} takes no body"))?;
            (request.to_owned(), found.by_suffix)
        }
        (None, None, Some((method, url))) => {
            let found = route(routes, method, url)
                .ok_or_else(|| format!("a response to {method} {url}, which has no route"))?;
            let response = found.route.response.ok_or_else(|| format!("{method} {url} answers with no body"))?;
            (response.to_owned(), found.by_suffix)
        }
        (None, None, None) => return Err("no @odata.type in the annotation, and no request before it".to_owned()),
    };
    let (name, collection) = match declared.trim().strip_prefix("Collection(") {
        Some(inner) => (inner.trim_end_matches(')'), true),
        None => (declared.as_str(), false),
    };
    let info = find_type(types, name).ok_or_else(|| format!("no type `{name}` in these models"))?;
    Ok((Target { info, is_collection: collection || annotation.is_collection, types }, by_suffix))
}

/// Whether `url` is absolute, on another host than Graph's: a bot's callback.
fn is_bot_callback(url: &str) -> bool {
    url.split_once("://").is_some_and(|(_, rest)| !rest.starts_with("graph.microsoft.com"))
}

/// The target of a change-notification delivery.
fn change_delivery(types: &'static [TypeInfo]) -> Option<(Target, bool)> {
    let info = find_type(types, "microsoft.graph.changeNotificationCollection")?;
    Some((Target { info, is_collection: false, types }, false))
}

/// The payloads of a body: the items of a collection (`[…]` or `{"value": […]}`), else the body.
fn payloads<'a>(body: &'a Value, target: &Target) -> Vec<(String, &'a Value)> {
    match body {
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (format!("[{i}]"), v)).collect(),
        Value::Object(map) if target.is_collection && map.get("value").is_some_and(Value::is_array) => {
            let items = map["value"].as_array().unwrap();
            items.iter().enumerate().map(|(i, v)| (format!(".value[{i}]"), v)).collect()
        }
        other => vec![(String::new(), other)],
    }
}

/// Where an example gives a JSON value of a kind its declared type cannot have (a string for
/// a complex type, which is always an object): a defect of the example, said with its place.
/// Nothing else is: any other failure to decode is the models' and fails the trial.
fn contradiction(body: &Value, target: &Target) -> Option<String> {
    payloads(body, target).into_iter().find_map(|(at, payload)| {
        let err = (target.info.round_trip)(&payload.to_string()).err()?.to_string();
        let (_, expected) = err.split_once("invalid type: ")?;
        let declared = expected.split_once(", expected a `")?.1.split_once("` object")?.0;
        let declared_is_structured = declared.contains('.') && !declared.starts_with("Edm.");
        declared_is_structured.then(|| format!("contradicts the schema: ${at}: {err}"))
    })
}

fn round_trip(
    name: &str,
    corpus: &'static str,
    body: &Value,
    target: &Target,
    report: &Mutex<Report>,
) -> Result<(), Failed> {
    let mut failure = None;
    let (mut typed, mut extras, mut count) = (0, 0, 0);
    let mut resources = (0, 0);
    for (at, payload) in payloads(body, target) {
        count += 1;
        let outcome = (target.info.round_trip)(&payload.to_string());
        let problem = match outcome {
            Err(err) => Some(format!("${at}: does not decode as {}: {err}", target.info.name)),
            Ok(rt) => {
                typed += rt.inspection.typed;
                extras += rt.inspection.extras;
                count_resources(payload, target, &mut resources);
                match (json_difference(payload, &rt.value), rt.stable) {
                    (Some(diff), _) => Some(format!("not lossless at {diff}")),
                    (None, false) => Some(format!("${at}: a second round trip changes it")),
                    (None, true) => None,
                }
            }
        };
        if failure.is_none() {
            failure = problem;
        }
        #[cfg(all(feature = "tracker", feature = "registry"))]
        if failure.is_none()
            && let Err(problem) = track(payload, target, report)
        {
            failure = Some(format!("${at}: {problem}"));
        }
    }
    let mut r = report.lock().unwrap();
    r.round_tripped += count;
    let counts = r.corpora.entry(corpus).or_default();
    counts.payloads += count;
    match failure {
        None => counts.lossless += count,
        Some(_) => counts.failed += 1,
    }
    r.typed += typed;
    r.extras += extras;
    r.resources_typed += resources.0;
    r.resources_unknown += resources.1;
    match failure {
        None => {
            r.lossless += count;
            Ok(())
        }
        Some(problem) => {
            r.failed.push((name.to_owned(), problem.clone()));
            Err(problem.into())
        }
    }
}

/// A webhook body through a fresh call-state tracker: it must say something (an event, be it
/// `Unhandled`), never nothing, never panic. Events are counted by kind.
#[cfg(all(feature = "tracker", feature = "registry"))]
fn track(payload: &Value, target: &Target, report: &Mutex<Report>) -> Result<(), String> {
    if target.info.name != "microsoft.graph.commsNotifications" {
        return Ok(());
    }
    macro_rules! kinds {
        ($api:ident) => {{
            use msgraph_comms::$api::tracker::{Event, Tracker};
            let body = serde_json::from_value(payload.clone()).map_err(|e| e.to_string())?;
            let events = Tracker::default().process(body);
            events
                .iter()
                .map(|e| match e {
                    Event::Unhandled { reason, .. } => format!("unhandled ({reason})"),
                    other => other.kind().to_owned(),
                })
                .collect::<Vec<String>>()
        }};
    }
    let kinds = if std::ptr::eq(target.types, msgraph_comms::v1_0::TYPES) {
        kinds!(v1_0)
    } else {
        #[cfg(feature = "beta")]
        {
            kinds!(beta)
        }
        #[cfg(not(feature = "beta"))]
        return Ok(());
    };
    if kinds.is_empty() {
        return Err("the tracker says nothing of this webhook body".into());
    }
    let mut r = report.lock().unwrap();
    r.tracked_bodies += 1;
    for kind in kinds {
        *r.events.entry(kind).or_default() += 1;
    }
    Ok(())
}

/// The resources of a notifications payload: (typed, unknown). A resource is typed when its
/// `@odata.type` names a type of the models (the `resourceData` enum has an arm for each).
fn count_resources(payload: &Value, target: &Target, counts: &mut (usize, usize)) {
    if target.info.name != "microsoft.graph.commsNotifications" {
        return;
    }
    let notifications = payload.get("value").and_then(Value::as_array).into_iter().flatten();
    for data in notifications.filter_map(|n| n.get("resourceData")) {
        let items = match data {
            Value::Array(items) => items.iter().collect(),
            one => vec![one],
        };
        for item in items {
            let tag = item.get("@odata.type").and_then(Value::as_str).unwrap_or_default();
            match find_type(target.types, tag) {
                Some(_) => counts.0 += 1,
                None => counts.1 += 1,
            }
        }
    }
}

/// A `resource` (or `ignored`) block lists the type's properties with placeholder values:
/// every name must be one the type declares, or an annotation. Names the compiled schema lacks
/// are schema drift between the docs and the pinned metadata: reported, and the block counts
/// as checked.
fn check_resource(
    name: &str,
    corpus: &'static str,
    body: &Value,
    target: &Target,
    report: &Mutex<Report>,
) -> Result<(), Failed> {
    let mut unknown: Vec<String> = Vec::new();
    for (at, item) in payloads(body, target) {
        let Value::Object(map) = item else { return Err(format!("${at}: a sketch that is not an object").into()) };
        for key in map.keys().filter(|k| !k.contains('@') && !target.info.properties.contains(&k.as_str())) {
            if !unknown.contains(key) {
                unknown.push(key.clone());
            }
        }
    }
    let mut r = report.lock().unwrap();
    r.resources += 1;
    r.corpora.entry(corpus).or_default().resources += 1;
    if !unknown.is_empty() {
        r.drift.push((name.to_owned(), unknown.join(", ")));
    }
    Ok(())
}

#[derive(Default)]
struct Report {
    seen: usize,
    /// Per folder of the docs (`v1.0`, `2026/v1.0`, …).
    corpora: std::collections::BTreeMap<&'static str, Counts>,
    /// Examples whose JSON contradicts their type in the schema, with where and how.
    contradicting: Vec<(String, String)>,
    repaired: Vec<String>,
    not_json: Vec<(String, String)>,
    untyped: Vec<(String, String)>,
    round_tripped: usize,
    lossless: usize,
    failed: Vec<(String, String)>,
    typed: usize,
    extras: usize,
    resources: usize,
    drift: Vec<(String, String)>,
    by_suffix: usize,
    resources_typed: usize,
    resources_unknown: usize,
    tracked_bodies: usize,
    events: std::collections::BTreeMap<String, usize>,
}

/// What became of one corpus's blocks.
#[derive(Default)]
struct Counts {
    blocks: usize,
    payloads: usize,
    lossless: usize,
    failed: usize,
    resources: usize,
    contradicting: usize,
    untyped: usize,
    not_json: usize,
}

impl Report {
    /// The rows of the README's table of the harness's counts, one per corpus.
    fn readme_rows(&self) -> Vec<String> {
        self.corpora
            .iter()
            .map(|(corpus, c)| {
                format!(
                    "| `{corpus}` | {} | {} | {} | {} | {} | {} | {} | {} |",
                    c.blocks, c.payloads, c.lossless, c.failed, c.resources, c.contradicting, c.untyped, c.not_json
                )
            })
            .collect()
    }

    /// The rows the README does not have as they are.
    fn missing_from_readme(&self) -> Vec<String> {
        let squeeze = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        let readme =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap_or_default();
        let readme = squeeze(&readme);
        self.readme_rows().into_iter().filter(|row| !readme.contains(&squeeze(row))).collect()
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = String::new();
        let share = |part: usize, whole: usize| if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 };
        writeln!(out, "\n== docs round-trip report")?;
        writeln!(out, "JSON blocks seen: {}", self.seen)?;
        writeln!(
            out,
            "  per corpus: JSON blocks | payloads round-tripped | lossless | failed | resource blocks | contradict the schema | without a type | not JSON"
        )?;
        for (corpus, c) in &self.corpora {
            writeln!(
                out,
                "  {corpus}: {} | {} | {} | {} | {} | {} | {} | {}",
                c.blocks, c.payloads, c.lossless, c.failed, c.resources, c.contradicting, c.untyped, c.not_json
            )?;
        }
        writeln!(out, "  examples that contradict the schema (defects of the pages): {}", self.contradicting.len())?;
        writeln!(
            out,
            "  not JSON: {}; repaired (comments, trailing commas): {}",
            self.not_json.len(),
            self.repaired.len()
        )?;
        writeln!(
            out,
            "  resource blocks checked: {} ({} with names the pinned schema lacks)",
            self.resources,
            self.drift.len()
        )?;
        writeln!(out, "  without a type: {}", self.untyped.len())?;
        writeln!(out, "  typed by a route that matched the end of their URL only (/me/…, /app/…): {}", self.by_suffix)?;
        writeln!(
            out,
            "payloads round-tripped: {}; lossless: {}; failed: {}",
            self.round_tripped,
            self.lossless,
            self.failed.len()
        )?;
        writeln!(
            out,
            "properties held by typed fields: {} ({:.1} %), by extras: {} ({:.1} %)",
            self.typed,
            share(self.typed, self.typed + self.extras),
            self.extras,
            share(self.extras, self.typed + self.extras)
        )?;
        writeln!(
            out,
            "notification resources: {} typed, {} of types these models do not have",
            self.resources_typed, self.resources_unknown
        )?;
        if self.tracked_bodies > 0 {
            let kinds: Vec<String> = self.events.iter().map(|(k, n)| format!("{k} {n}")).collect();
            writeln!(
                out,
                "webhook bodies through the tracker: {}, events: {} ({})",
                self.tracked_bodies,
                self.events.values().sum::<usize>(),
                kinds.join(", ")
            )?;
        }
        for (title, list) in [
            ("failed", &self.failed),
            ("contradict the schema", &self.contradicting),
            ("without a type", &self.untyped),
            ("not JSON", &self.not_json),
            ("schema drift", &self.drift),
        ] {
            if !list.is_empty() {
                writeln!(out, "{title}:")?;
                let mut list = list.clone();
                list.sort();
                for (name, why) in list {
                    writeln!(out, "  {name}: {why}")?;
                }
            }
        }
        f.write_str(&out)
    }
}
