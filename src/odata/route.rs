//! Routing: which entity or operation a request (method and URL) targets, so that its body
//! (and the answer) can be decoded into the right type.

use std::collections::HashMap;

/// A request the API serves: a method on a path template, with what its body and its answer
/// are (qualified type names: an entity or complex type, an operation's request as
/// `microsoft.graph.mute(microsoft.graph.call)`, `Collection(…)`, or an `Edm` type).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// `GET`, `POST`, `PATCH`.
    pub method: &'static str,
    /// The path template: `/communications/calls/{call-id}/mute`.
    pub template: &'static str,
    /// The type of the request body, if it has one.
    pub request: Option<&'static str>,
    /// The type of the response body, if it has one.
    pub response: Option<&'static str>,
    /// The permissions that allow it, the least privileged of each scheme first (none when
    /// Graph's permissions reference has no entry for it).
    pub permissions: &'static [super::Permission],
}

/// A route that a method and URL matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteMatch<'a> {
    /// The route.
    pub route: &'a Route,
    /// The values of the template's keys, by name.
    pub keys: Vec<(String, String)>,
    /// Matched on the end of the URL only: its start is outside the API's paths (`/me/…`,
    /// `/users/{id}/…`, an older `/app/…`), the end names the same navigation and operation.
    pub by_suffix: bool,
}

/// The route that `method` and `url` target. The URL may be absolute or start at the service
/// root, with or without the version (`/v1.0`, `/beta`), a query, `calls('id')` keys, and
/// operation names qualified or not. When no template matches the whole path, the longest
/// end of the path that matches the end of a template is used (see [`RouteMatch::by_suffix`]),
/// when it starts at a navigation segment that names the same type wherever it is (for an
/// API's routes, its `SUFFIX_STARTS`), and never for an absolute URL of another host than
/// Graph's: a guess that would land on another type is no route.
///
/// Given an API's own `ROUTES` (`v1_0::ROUTES`), it uses that API's [`Router`], built once;
/// given any other table, it indexes it for this one call: keep a [`Router`] to match many URLs
/// against it.
pub fn route<'a>(routes: &'a [Route], method: &str, url: &str) -> Option<RouteMatch<'a>> {
    match router_of(routes) {
        Some(router) => router.route(method, url),
        None => Router::new(routes).route(method, url),
    }
}

/// An API's `router()`: its [`ROUTES`](crate::v1_0::ROUTES) indexed once, on first use.
macro_rules! api_router {
    () => {
        /// [`ROUTES`] indexed for matching URLs ([`crate::odata::Router`]), built on first use
        /// and then shared: what [`crate::odata::route`] uses for this API's routes.
        pub fn router() -> &'static crate::odata::Router<'static> {
            static ROUTER: std::sync::OnceLock<crate::odata::Router<'static>> = std::sync::OnceLock::new();
            ROUTER.get_or_init(|| crate::odata::Router::with_suffix_starts(ROUTES, SUFFIX_STARTS))
        }
    };
}

pub(crate) use api_router;

/// The router of the API whose `ROUTES` `routes` is.
fn router_of(routes: &[Route]) -> Option<&'static Router<'static>> {
    if std::ptr::eq(routes, crate::v1_0::ROUTES) {
        return Some(crate::v1_0::router());
    }
    #[cfg(feature = "beta")]
    if std::ptr::eq(routes, crate::beta::ROUTES) {
        return Some(crate::beta::router());
    }
    None
}

/// A route table indexed for matching URLs: the templates as a tree of their segments, and
/// where the end of a URL outside the API's paths can start matching one. Matching a URL costs
/// time linear in its length, whatever its shape; it allocates the list of the URL's segments
/// and the keys of the route it finds, nothing for the routes it tries.
#[derive(Debug)]
pub struct Router<'a> {
    routes: &'a [Route],
    /// Each route's template, as segments.
    templates: Vec<Vec<&'a str>>,
    /// The tree of the templates' segments; the root is the first node.
    nodes: Vec<Node<'a>>,
    /// Where a match of a URL's end can start: every literal segment but a template's first,
    /// as (route, segment), by the segment's [`last_name`] in lower case, in the order of the
    /// routes and then of the segments.
    starts: HashMap<String, Vec<(usize, usize)>>,
    /// The most segments a template has: the longest end of a URL that can match one.
    longest: usize,
    /// The types the routes read and write (items of collections), by their qualified name in
    /// lower case.
    types: HashMap<String, &'a str>,
}

/// A node of [`Router::nodes`]: where the templates that share their first segments go on.
#[derive(Debug, Default)]
struct Node<'a> {
    /// The literal segments that come next, and their nodes.
    literals: Vec<(&'a str, usize)>,
    /// The key that comes next (`{call-id}`), and its node.
    key: Option<usize>,
    /// The routes whose template ends here.
    ends: Vec<usize>,
}

impl<'a> Router<'a> {
    /// Indexes `routes`; a match of a URL's end may start at any of their literal segments
    /// but the first (see [`Router::with_suffix_starts`] to say which).
    pub fn new(routes: &'a [Route]) -> Self {
        Self::indexed(routes, None)
    }

    /// Indexes `routes`; a match of a URL's end may start only at the segments `starts` names
    /// (without regard to case): the navigations that lead to one type wherever the schema has
    /// them, so that the end of a URL outside the API's paths is never taken for another
    /// type's (`…/webinars/{id}/sessions/{id}` for a call record's session).
    pub fn with_suffix_starts(routes: &'a [Route], starts: &[&str]) -> Self {
        Self::indexed(routes, Some(starts))
    }

    fn indexed(routes: &'a [Route], allowed: Option<&[&str]>) -> Self {
        let allowed = |segment: &str| allowed.is_none_or(|names| names.iter().any(|n| n.eq_ignore_ascii_case(segment)));
        let templates: Vec<Vec<&str>> = routes.iter().map(|r| segments(r.template)).collect();
        let mut nodes = vec![Node::default()];
        let mut starts: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (index, template) in templates.iter().enumerate() {
            let mut at = 0;
            for (position, segment) in template.iter().enumerate() {
                let next = match is_key(segment) {
                    true => nodes[at].key,
                    false => nodes[at].literals.iter().find(|(s, _)| s == segment).map(|(_, n)| *n),
                };
                at = next.unwrap_or_else(|| {
                    nodes.push(Node::default());
                    let new = nodes.len() - 1;
                    match is_key(segment) {
                        true => nodes[at].key = Some(new),
                        false => nodes[at].literals.push((segment, new)),
                    }
                    new
                });
                if position > 0 && !is_key(segment) && allowed(segment) {
                    starts.entry(last_name(segment).to_ascii_lowercase()).or_default().push((index, position));
                }
            }
            nodes[at].ends.push(index);
        }
        let longest = templates.iter().map(Vec::len).max().unwrap_or(0);
        let mut types = HashMap::new();
        for name in routes.iter().flat_map(|r| [r.response, r.request]).flatten() {
            let name = name.strip_prefix("Collection(").and_then(|n| n.strip_suffix(')')).unwrap_or(name);
            // The first spelling, should two differ in case only.
            types.entry(name.to_ascii_lowercase()).or_insert(name);
        }
        Router { routes, templates, nodes, starts, longest, types }
    }

    /// The qualified name, as the schema spells it, of the type that `tag` names without
    /// regard to case (`#Microsoft.Graph.presence` → `microsoft.graph.presence`), among the
    /// types the routes read and write.
    pub fn type_named(&self, tag: &str) -> Option<&'a str> {
        self.types.get(&tag.trim_start_matches('#').to_ascii_lowercase()).copied()
    }

    /// The routes it indexes.
    pub fn routes(&self) -> &'a [Route] {
        self.routes
    }

    /// The route that `method` and `url` target: see [`route`].
    pub fn route(&self, method: &str, url: &str) -> Option<RouteMatch<'a>> {
        let tokens = tokens(url);
        let mut best = Best::default();
        self.walk(0, &tokens, 0, 0, method, &mut best);
        if let Some((_, index, _)) = best.found {
            return Some(self.found(index, 0, &tokens, false));
        }
        // A bot's own URL (`https://bot.contoso.com/api/calls`) is no path of Graph's.
        if foreign_host(url) {
            return None;
        }
        // The longest end of the URL that matches the end of a template, from a navigation
        // segment: no end longer than the longest template can.
        for skip in tokens.len().saturating_sub(self.longest).max(1)..tokens.len() {
            let end = &tokens[skip..];
            let Some(candidates) = self.starts.get(&end[0].last.to_ascii_lowercase()) else { continue };
            for &(index, start) in candidates {
                if self.routes[index].method.eq_ignore_ascii_case(method)
                    && let Some(score) = match_segments(&self.templates[index][start..], end, None)
                {
                    best.offer(score, index, start);
                }
            }
            if let Some((_, index, start)) = best.found {
                return Some(self.found(index, start, end, true));
            }
        }
        None
    }

    /// Matches `tokens[j..]` from node `at`, `score` literal segments matched so far. Each node
    /// is reached by one path, and the tokens decide how far along it they are: a node is
    /// visited once at most.
    fn walk(&self, at: usize, tokens: &[Token], j: usize, score: usize, method: &str, best: &mut Best) {
        let node = &self.nodes[at];
        let Some(token) = tokens.get(j) else {
            for &index in &node.ends {
                if self.routes[index].method.eq_ignore_ascii_case(method) {
                    best.offer(score, index, 0);
                }
            }
            return;
        };
        for &(literal, next) in &node.literals {
            if !same_name(literal, token) {
                continue;
            }
            match token.args {
                // `calls('57da')`: the key of the collection just named comes next.
                Args::Key(_) => {
                    if let Some(key) = self.nodes[next].key {
                        self.walk(key, tokens, j + 1, score + 1, method, best);
                    }
                }
                Args::None | Args::Call => self.walk(next, tokens, j + 1, score + 1, method, best),
                Args::Invalid => {}
            }
        }
        if let (Some(key), Args::None) = (node.key, &token.args) {
            self.walk(key, tokens, j + 1, score, method, best);
        }
    }

    /// The match of route `index` from its segment `start` on `tokens`, with its keys.
    fn found(&self, index: usize, start: usize, tokens: &[Token], by_suffix: bool) -> RouteMatch<'a> {
        let mut keys = Vec::new();
        match_segments(&self.templates[index][start..], tokens, Some(&mut keys));
        RouteMatch { route: &self.routes[index], keys, by_suffix }
    }
}

/// The best match so far: the most literal segments matched, then the first route, then the
/// first segment it starts at.
#[derive(Default)]
struct Best {
    found: Option<(usize, usize, usize)>,
}

impl Best {
    fn offer(&mut self, score: usize, index: usize, start: usize) {
        let better = match self.found {
            None => true,
            Some((s, i, t)) => score > s || (score == s && (index, start) < (i, t)),
        };
        if better {
            self.found = Some((score, index, start));
        }
    }
}

/// A resource's path and the route it matched, matched once: what a notification's ids and
/// type are read from ([`crate::v1_0::CommsNotification::target`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceTarget<'n> {
    path: &'n str,
    found: Option<RouteMatch<'static>>,
}

impl<'n> ResourceTarget<'n> {
    /// `path` matched (as a `GET`) by `router`.
    pub fn new(router: &'static Router<'static>, path: &'n str) -> Self {
        ResourceTarget { path, found: router.route("GET", path) }
    }

    /// The path, as it came.
    pub fn path(&self) -> &'n str {
        self.path
    }

    /// The route the path matched, with its keys.
    pub fn route(&self) -> Option<&RouteMatch<'static>> {
        self.found.as_ref()
    }

    /// The qualified name of the type of the resource the path names, by its route
    /// (`microsoft.graph.participant`; of the items for a collection).
    pub fn resource_type(&self) -> Option<&'static str> {
        Some(crate::change_notifications::item_type(self.found.as_ref()?.route.response?))
    }

    /// The key that follows the navigation segment `segment`, by the route's template when
    /// the path has a route (keys decoded as the router decodes them), else by the path's own
    /// segments (`/communications/calls/abc/operations/DEF` → `abc` after `calls`).
    pub fn key(&self, segment: &str) -> Option<String> {
        if let Some(found) = &self.found {
            let template: Vec<&str> = found.route.template.split('/').collect();
            let at = template.iter().rposition(|s| *s == segment)?;
            let name = template.get(at + 1)?.strip_prefix('{')?.strip_suffix('}')?;
            return found.keys.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        }
        let path = self.path.split(['?', '#']).next().unwrap_or_default();
        let mut segments = path.split('/');
        let mut key = None;
        while let Some(s) = segments.next() {
            if s == segment {
                key = segments.clone().next();
            }
        }
        key.filter(|s| !s.is_empty()).map(str::to_owned)
    }

    /// The id of the call the path names (after `calls`).
    pub fn call_id(&self) -> Option<String> {
        self.key("calls")
    }

    /// The id of the participant the path names (after `participants`).
    pub fn participant_id(&self) -> Option<String> {
        self.key("participants")
    }

    /// The id of the operation the path names (after `operations`), as Graph spells it there:
    /// compare it with [`super::same_id`].
    pub fn operation_id(&self) -> Option<String> {
        self.key("operations")
    }

    /// Whether the path names a call's roster (`…/participants`).
    pub fn is_roster(&self) -> bool {
        self.path.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/').ends_with("/participants")
    }
}

/// The hosts of Graph's clouds: only their URLs (and relative ones) are matched by their end.
const GRAPH_HOSTS: &[&str] = &[
    "graph.microsoft.com",
    "canary.graph.microsoft.com",
    "graph.microsoft.us",
    "dod-graph.microsoft.us",
    "microsoftgraph.chinacloudapi.cn",
];

/// Whether `url` is absolute, on a host that is none of Graph's.
fn foreign_host(url: &str) -> bool {
    let Some((_, rest)) = url.trim().split_once("://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default().split(':').next().unwrap_or_default();
    !GRAPH_HOSTS.iter().any(|graph| graph.eq_ignore_ascii_case(host))
}

/// A URL path segment: a name, and what stood in parentheses after it (a key or arguments).
#[derive(Debug)]
struct Token<'u> {
    name: &'u str,
    args: Args<'u>,
    /// The name's last dotted part (`mute` of `microsoft.graph.mute`).
    last: &'u str,
    /// Whether the name has a dot.
    dotted: bool,
}

impl<'u> Token<'u> {
    fn new(name: &'u str, args: Option<&'u str>) -> Self {
        let dotted = name.contains('.');
        Token { name, args: Args::of(args), last: if dotted { last_name(name) } else { name }, dotted }
    }
}

/// What stood in parentheses after a segment's name.
#[derive(Debug)]
enum Args<'u> {
    /// No parentheses.
    None,
    /// A key: `calls('57da')`, `calls('a=b')`, `items(42)`.
    Key(&'u str),
    /// An operation's arguments, `name=value`, or none at all: `getPstnCalls(fromDateTime=…)`.
    Call,
    /// A string whose quotes are not doubled (`'O'Neil'`, `%27` counting as a quote): no key,
    /// and nothing else either.
    Invalid,
}

impl<'u> Args<'u> {
    fn of(args: Option<&'u str>) -> Self {
        let Some(args) = args else { return Args::None };
        let trimmed = args.trim();
        if trimmed.starts_with('\'') || trimmed.starts_with("%27") {
            return match quoted_key(trimmed) {
                Some(_) => Args::Key(args),
                None => Args::Invalid,
            };
        }
        match trimmed.is_empty() || trimmed.contains('=') {
            true => Args::Call,
            false => Args::Key(args),
        }
    }
}

fn tokens(url: &str) -> Vec<Token<'_>> {
    let url = url.trim();
    let path = match url.find("://") {
        Some(scheme) => url[scheme + 3..].find('/').map_or("", |slash| &url[scheme + 3 + slash..]),
        None => url,
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut segments = path.split('/').filter(|s| !s.is_empty()).peekable();
    if segments.peek().is_some_and(|s| s.eq_ignore_ascii_case("v1.0") || s.eq_ignore_ascii_case("beta")) {
        segments.next();
    }
    segments
        .map(|segment| match segment.find('(') {
            Some(open) if segment.ends_with(')') => {
                Token::new(&segment[..open], Some(&segment[open + 1..segment.len() - 1]))
            }
            _ => Token::new(segment, None),
        })
        .collect()
}

fn segments(template: &str) -> Vec<&str> {
    template.split('/').filter(|s| !s.is_empty()).collect()
}

fn is_key(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// A name's last dotted part: `mute` of `microsoft.graph.mute`.
fn last_name(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// Whether a URL name is a template's literal: same name without regard to case, or the
/// same operation with and without its namespace.
fn same_name(literal: &str, token: &Token) -> bool {
    literal.eq_ignore_ascii_case(token.name)
        || ((token.dotted || literal.contains('.')) && last_name(literal).eq_ignore_ascii_case(token.last))
}

/// A key segment's value: its percent-escapes decoded (kept as written when they do not
/// make UTF-8 text).
fn decode_key(segment: &str) -> String {
    percent_decode(segment).unwrap_or_else(|| segment.to_owned())
}

/// The value of a key in parentheses: `'it''s'` is `it's`, `42` is `42`.
fn decode_key_args(args: &str) -> String {
    quoted_key(args.trim()).unwrap_or_else(|| decode_key(args.trim()))
}

/// The value of a quoted key (`'it''s'` is `it's`; `%27` is a quote), if it is one: in
/// quotes, with each quote inside doubled.
fn quoted_key(args: &str) -> Option<String> {
    let text = decode_key(args);
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\'' && chars.next() != Some('\'') {
            return None;
        }
        value.push(c);
    }
    Some(value)
}

/// The number of literal segments matched, when `template` matches all `tokens`; their keys
/// go into `keys` when it is given.
fn match_segments(template: &[&str], tokens: &[Token], mut keys: Option<&mut Vec<(String, String)>>) -> Option<usize> {
    let (mut i, mut j, mut score) = (0, 0, 0);
    let name = |segment: &str| segment[1..segment.len() - 1].to_owned();
    while i < template.len() && j < tokens.len() {
        let token = &tokens[j];
        if is_key(template[i]) {
            if !matches!(token.args, Args::None) {
                return None;
            }
            if let Some(keys) = keys.as_deref_mut() {
                keys.push((name(template[i]), decode_key(token.name)));
            }
            i += 1;
        } else {
            if !same_name(template[i], token) {
                return None;
            }
            score += 1;
            i += 1;
            match token.args {
                Args::Key(args) => {
                    if !template.get(i).is_some_and(|s| is_key(s)) {
                        return None;
                    }
                    if let Some(keys) = keys.as_deref_mut() {
                        keys.push((name(template[i]), decode_key_args(args)));
                    }
                    i += 1;
                }
                Args::Invalid => return None,
                Args::None | Args::Call => {}
            }
        }
        j += 1;
    }
    (i == template.len() && j == tokens.len()).then_some(score)
}

/// `text` with its `%XX` escapes decoded (an escape cut short or not hexadecimal is kept as
/// written); `None` when they do not make UTF-8 text.
pub fn percent_decode(text: &str) -> Option<String> {
    unescape(text, false)
}

/// A form value (`application/x-www-form-urlencoded`) decoded: `+` is a space, `%XX` a byte;
/// `None` for an escape cut short or bytes that are not UTF-8.
pub(crate) fn form_decode(text: &str) -> Option<String> {
    unescape(text, true)
}

fn unescape(text: &str, form: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // The digits are looked at only after a `%`.
        match bytes[i] {
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 2;
                }
                _ if form => return None,
                _ => out.push(b'%'),
            },
            b'+' if form => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTES: &[Route] = &[
        Route {
            method: "POST",
            template: "/communications/calls",
            request: Some("call"),
            response: Some("call"),
            permissions: &[],
        },
        Route {
            method: "GET",
            template: "/communications/calls/{call-id}",
            request: None,
            response: Some("call"),
            permissions: &[],
        },
        Route {
            method: "PATCH",
            template: "/communications/calls/{call-id}",
            request: Some("call"),
            response: None,
            permissions: &[],
        },
        Route {
            method: "POST",
            template: "/communications/calls/{call-id}/participants/invite",
            request: Some("invite"),
            response: Some("op"),
            permissions: &[],
        },
        Route {
            method: "POST",
            template: "/communications/calls/{call-id}/participants/{participant-id}/mute",
            request: Some("participant.mute"),
            response: Some("op"),
            permissions: &[],
        },
        Route {
            method: "GET",
            template: "/communications/callRecords/microsoft.graph.callRecords.getPstnCalls",
            request: None,
            response: Some("rows"),
            permissions: &[],
        },
        Route {
            method: "POST",
            template: "/communications/onlineMeetings",
            request: Some("meeting"),
            response: None,
            permissions: &[],
        },
    ];

    type Found = (&'static str, Vec<(String, String)>, bool);

    fn target(method: &str, url: &str) -> Option<Found> {
        route(ROUTES, method, url).map(|m| (m.route.template, m.keys, m.by_suffix))
    }

    #[test]
    fn absolute_and_relative_urls_with_keys() {
        let (template, keys, suffix) =
            target("post", "https://graph.microsoft.com/v1.0/communications/calls/57da/participants/invite").unwrap();
        assert_eq!((template, suffix), ("/communications/calls/{call-id}/participants/invite", false));
        assert_eq!(keys, [("call-id".to_owned(), "57da".to_owned())]);
        // `invite` is a literal, and beats a key in the same place.
        let (template, keys, _) =
            target("POST", "/beta/communications/calls('57da')/participants/2765/mute?x=1").unwrap();
        assert_eq!(template, "/communications/calls/{call-id}/participants/{participant-id}/mute");
        assert_eq!(keys[0], ("call-id".to_owned(), "57da".to_owned()));
        assert_eq!(target("PATCH", "/communications/calls/{id}").unwrap().0, "/communications/calls/{call-id}");
        assert_eq!(target("DELETE", "/communications/calls/1"), None);
        // A key in parentheses names an entity, never the collection.
        assert_eq!(target("GET", "/communications/calls('..')").unwrap().0, "/communications/calls/{call-id}");
        assert_eq!(target("POST", "/communications/calls('1')"), None);
        // Quotes inside a quoted key come doubled (`%27` is a quote); a string that is not one
        // is no key, and names nothing.
        let key = |url| target("GET", url).map(|(_, keys, _)| keys[0].1.clone());
        assert_eq!(key("/communications/calls('O''Neil')").as_deref(), Some("O'Neil"));
        assert_eq!(key("/communications/calls(%27O%27%27Neil%27)").as_deref(), Some("O'Neil"));
        assert_eq!(key("/communications/calls('a=b,c')").as_deref(), Some("a=b,c"));
        assert_eq!(key("/communications/calls(42)").as_deref(), Some("42"));
        for invalid in
            ["/communications/calls('O'Neil')", "/communications/calls('O%27Neil')", "/communications/calls('x)"]
        {
            assert_eq!(target("GET", invalid), None, "{invalid}");
            assert_eq!(target("POST", invalid), None, "{invalid}: not the collection");
        }
    }

    #[test]
    #[cfg(feature = "requests")]
    fn keys_are_decoded_as_they_were_rendered() {
        let template = ROUTES[4].template;
        for keys in [["a b/c", ".."], ["it's", ""], ["é%2F", "."], ["19:meeting_x@thread.v2", "?#&"]] {
            let url = format!("https://graph.microsoft.com/v1.0{}", crate::odata::render_path(template, &keys));
            let (found, values, _) = target("POST", &url).unwrap();
            assert_eq!(found, template, "{url}");
            let values: Vec<&str> = values.iter().map(|(_, v)| v.as_str()).collect();
            assert_eq!(values, keys, "{url}");
        }
    }

    #[test]
    fn functions_match_with_or_without_their_namespace() {
        let url = "/communications/callRecords/getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)";
        assert!(target("GET", url).is_some());
        let url = "/communications/callRecords/microsoft.graph.callRecords.getPstnCalls(fromDateTime=2019-11-01)";
        assert!(target("GET", url).is_some());
    }

    #[test]
    fn urls_outside_the_paths_match_on_their_end() {
        let (template, _, suffix) = target("POST", "/me/onlineMeetings").unwrap();
        assert_eq!((template, suffix), ("/communications/onlineMeetings", true));
        let (template, keys, suffix) = target("POST", "/app/calls/57DA/participants/invite").unwrap();
        assert_eq!((template, suffix), ("/communications/calls/{call-id}/participants/invite", true));
        assert_eq!(keys, [("call-id".to_owned(), "57DA".to_owned())]);
        assert_eq!(target("POST", "/me/events"), None);
        assert_eq!(target("POST", ""), None);
    }

    /// What the router must find: every route tried on the whole URL, then on its ends from
    /// the longest (the scan the router replaced, kept as the reference).
    fn scan<'a>(routes: &'a [Route], method: &str, url: &str) -> Option<RouteMatch<'a>> {
        let tokens = tokens(url);
        let candidates = || routes.iter().filter(|r| r.method.eq_ignore_ascii_case(method));
        let mut best: Option<(usize, RouteMatch<'a>)> = None;
        let offer =
            |best: &mut Option<(usize, RouteMatch<'a>)>, template: &[&str], tokens: &[Token], route, by_suffix| {
                let mut keys = Vec::new();
                if let Some(score) = match_segments(template, tokens, Some(&mut keys))
                    && best.as_ref().is_none_or(|(s, _)| score > *s)
                {
                    *best = Some((score, RouteMatch { route, keys, by_suffix }));
                }
            };
        for route in candidates() {
            offer(&mut best, &segments(route.template), &tokens, route, false);
        }
        for skip in 1..tokens.len() {
            if best.is_some() {
                break;
            }
            for route in candidates() {
                let template = segments(route.template);
                for start in (1..template.len()).filter(|s| !is_key(template[*s])) {
                    offer(&mut best, &template[start..], &tokens[skip..], route, true);
                }
            }
        }
        best.map(|(_, m)| m)
    }

    /// URLs like a client's: each template with its keys as segments and in parentheses,
    /// qualified or cased otherwise, under other roots, cut short, and with more in front.
    fn urls(template: &str) -> Vec<String> {
        let plain = template.replace("{", "").replace("}", "");
        let keyed: Vec<String> =
            template.split('/').map(|s| if is_key(s) { "k%2F1".to_owned() } else { s.to_owned() }).collect();
        let mut parenthesized = keyed.join("/");
        if let Some(at) = parenthesized.rfind("/k%2F1") {
            parenthesized.replace_range(at..at + 6, "('k''1')");
        }
        let keyed = keyed.join("/");
        let mut urls = vec![
            keyed.clone(),
            parenthesized.clone(),
            plain.clone(),
            keyed.to_uppercase(),
            format!("https://graph.microsoft.com/v1.0{keyed}?$select=id"),
        ];
        for root in ["/me", "/users/u1", "/app", "/x/y/z/w/v/u/t/s/r/q/p"] {
            urls.push(format!("{root}{keyed}"));
            urls.push(format!("{root}{}", keyed.split_once('/').map_or("", |(_, rest)| rest)));
            urls.push(format!("{root}{}", parenthesized.split_once('/').map_or("", |(_, rest)| rest)));
        }
        if let Some((head, _)) = keyed.rsplit_once('/') {
            urls.push(head.to_owned());
        }
        urls.push(keyed.replace("/microsoft.graph.", "/"));
        urls
    }

    #[test]
    fn the_router_finds_what_a_scan_of_every_route_finds() {
        let mut apis = vec![crate::v1_0::ROUTES];
        #[cfg(feature = "beta")]
        apis.push(crate::beta::ROUTES);
        apis.push(ROUTES);
        let mut compared = 0;
        for routes in apis {
            let router = Router::new(routes);
            for route in routes {
                for url in urls(route.template) {
                    for method in [route.method, "GET", "DELETE"] {
                        let expected = scan(routes, method, &url);
                        assert_eq!(router.route(method, &url), expected, "{method} {url}");
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 10_000, "{compared}");
    }

    #[test]
    fn an_end_is_matched_only_where_it_names_one_type() {
        let api = |method, url| route(crate::v1_0::ROUTES, method, url).map(|m| (m.route.template, m.by_suffix));
        // `calls` is a call wherever it is: `/app/calls/…` of older notifications.
        assert_eq!(api("POST", "/app/calls/57da/mute"), Some(("/communications/calls/{call-id}/mute", true)));
        // `sessions` is not: a presence's are not a call record's.
        assert_eq!(api("DELETE", "/users/u1/presence/sessions/s1"), None);
        assert_eq!(api("GET", "/teamwork/x/sessions/s1"), None);
        // Nor is `delta`, an operation bound to many types.
        assert_eq!(api("GET", "/users/u1/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='u1')/delta"), None);
        // A bot's own URL is no path of Graph's, whatever its end.
        assert_eq!(api("POST", "https://bot.contoso.com/api/calls"), None);
        assert_eq!(api("POST", "https://graph.microsoft.com/beta/app/calls"), Some(("/communications/calls", true)));
        // Virtual events have their own paths, with their feature; without it, no other
        // path's end stands in for them.
        let session = cfg!(feature = "virtual-events").then_some((
            "/solutions/virtualEvents/webinars/{virtualEventWebinar-id}/sessions/{virtualEventSession-id}",
            false,
        ));
        assert_eq!(api("GET", "/solutions/virtualEvents/webinars/w1/sessions/s1"), session);
        // An attendance report is one wherever it is: without the feature, its end matches an
        // online meeting's, said to be by suffix.
        let report = api("GET", "/solutions/virtualEvents/webinars/w1/sessions/s1/attendanceReports/r1");
        let expected = match cfg!(feature = "virtual-events") {
            true => (
                "/solutions/virtualEvents/webinars/{virtualEventWebinar-id}/sessions/{virtualEventSession-id}/attendanceReports/{meetingAttendanceReport-id}",
                false,
            ),
            false => (
                "/communications/onlineMeetings/{onlineMeeting-id}/attendanceReports/{meetingAttendanceReport-id}",
                true,
            ),
        };
        assert_eq!(report, Some(expected));
        // Without the starts, any navigation literal may start a match.
        let loose = Router::new(ROUTES);
        assert!(loose.route("POST", "/x/calls/1/participants/invite").is_some());
        let strict = Router::with_suffix_starts(ROUTES, &["participants"]);
        assert!(strict.route("POST", "/x/calls/1/participants/invite").is_some());
        assert!(strict.route("POST", "/x/calls").is_none());
    }

    #[test]
    fn an_api_router_is_built_once_and_used_for_its_routes() {
        assert!(std::ptr::eq(crate::v1_0::router(), crate::v1_0::router()));
        assert!(std::ptr::eq(crate::v1_0::router().routes(), crate::v1_0::ROUTES));
        let url = "/communications/calls/57da/participants/p1";
        assert_eq!(route(crate::v1_0::ROUTES, "GET", url), crate::v1_0::router().route("GET", url));
    }
}
