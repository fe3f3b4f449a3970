//! Routing: which entity or operation a request (method and URL) targets, so that its body
//! (and the answer) can be decoded into the right type.

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
/// end of the path that matches the end of a template is used (see [`RouteMatch::by_suffix`]).
pub fn route<'a>(routes: &'a [Route], method: &str, url: &str) -> Option<RouteMatch<'a>> {
    let tokens = tokens(url);
    let candidates = || routes.iter().filter(|r| r.method.eq_ignore_ascii_case(method));
    let mut best: Option<(usize, RouteMatch<'a>)> = None;
    for route in candidates() {
        let template = segments(route.template);
        if let Some((score, keys)) = match_segments(&template, &tokens)
            && best.as_ref().is_none_or(|(s, _)| score > *s)
        {
            best = Some((score, RouteMatch { route, keys, by_suffix: false }));
        }
    }
    if best.is_some() {
        return best.map(|(_, m)| m);
    }
    // The longest end of the URL that matches the end of a template, from a navigation segment.
    for skip in 1..tokens.len() {
        for route in candidates() {
            let template = segments(route.template);
            for start in 1..template.len() {
                if is_key(template[start]) {
                    continue;
                }
                if let Some((score, keys)) = match_segments(&template[start..], &tokens[skip..])
                    && best.as_ref().is_none_or(|(s, _)| score > *s)
                {
                    best = Some((score, RouteMatch { route, keys, by_suffix: true }));
                }
            }
        }
        if best.is_some() {
            break;
        }
    }
    best.map(|(_, m)| m)
}

/// A URL path segment: a name, and what stood in parentheses after it (a key or arguments).
#[derive(Debug)]
struct Token<'u> {
    name: &'u str,
    args: Option<&'u str>,
}

fn tokens(url: &str) -> Vec<Token<'_>> {
    let url = url.trim();
    let path = match url.find("://") {
        Some(scheme) => url[scheme + 3..].find('/').map_or("", |slash| &url[scheme + 3 + slash..]),
        None => url,
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.first().is_some_and(|s| s.eq_ignore_ascii_case("v1.0") || s.eq_ignore_ascii_case("beta")) {
        segments.remove(0);
    }
    segments
        .into_iter()
        .map(|segment| match segment.find('(') {
            Some(open) if segment.ends_with(')') => {
                Token { name: &segment[..open], args: Some(&segment[open + 1..segment.len() - 1]) }
            }
            _ => Token { name: segment, args: None },
        })
        .collect()
}

fn segments(template: &str) -> Vec<&str> {
    template.split('/').filter(|s| !s.is_empty()).collect()
}

fn is_key(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// Whether a URL name is a template's literal: same name without regard to case, or the
/// same operation with and without its namespace.
fn same_name(literal: &str, name: &str) -> bool {
    let last = |s: &'_ str| -> String { s.rsplit('.').next().unwrap_or(s).to_ascii_lowercase() };
    literal.eq_ignore_ascii_case(name) || ((literal.contains('.') || name.contains('.')) && last(literal) == last(name))
}

/// A key segment's value: its percent-escapes decoded (kept as written when they do not
/// make UTF-8 text).
fn decode_key(segment: &str) -> String {
    percent_decode(segment).unwrap_or_else(|| segment.to_owned())
}

/// The value of a key in parentheses: `'it''s'` is `it's`, `42` is `42`.
fn decode_quoted_key(args: &str) -> String {
    let text = decode_key(args.trim());
    match text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'') {
        true => text[1..text.len() - 1].replace("''", "'"),
        false => text,
    }
}

/// The number of literal segments matched and the keys, when `template` matches all `tokens`.
fn match_segments(template: &[&str], tokens: &[Token]) -> Option<(usize, Vec<(String, String)>)> {
    let (mut i, mut j, mut score) = (0, 0, 0);
    let mut keys = Vec::new();
    while i < template.len() && j < tokens.len() {
        let token = &tokens[j];
        if is_key(template[i]) {
            if token.args.is_some() {
                return None;
            }
            keys.push((template[i][1..template[i].len() - 1].to_owned(), decode_key(token.name)));
            i += 1;
        } else {
            if !same_name(template[i], token.name) {
                return None;
            }
            score += 1;
            i += 1;
            // `calls('57da')`: the key of the collection just named, which the template must
            // have next (an operation's arguments are `name=value`, or none at all).
            if let Some(args) = token.args.filter(|a| !a.contains('=') && !a.trim().is_empty()) {
                if !template.get(i).is_some_and(|s| is_key(s)) {
                    return None;
                }
                keys.push((template[i][1..template[i].len() - 1].to_owned(), decode_quoted_key(args)));
                i += 1;
            }
        }
        j += 1;
    }
    (i == template.len() && j == tokens.len()).then_some((score, keys))
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
}
