//! URL paths: templates with `{key}` placeholders, and the keys a user passes rendered so that
//! each stays data for its one segment, whatever it holds.

use std::fmt::Write as _;

/// A URL path template reached from an entry point of the API, such as
/// `/communications/calls/{call-id}/participants/invite`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PathTemplate {
    /// The template, with `{key}` placeholders.
    pub template: &'static str,
    /// The names of its placeholders, in order: `["call-id"]`.
    pub keys: &'static [&'static str],
    /// The permissions that allow each method on it, from Graph's permissions reference.
    pub permissions: &'static [crate::odata::Permission],
}

impl PathTemplate {
    /// The path with `values` for its keys, in order (see [`render_path`]); `None` when the
    /// number of values is not the number of keys.
    pub fn fill(&self, values: &[&str]) -> Option<String> {
        (values.len() == self.keys.len()).then(|| render_path(self.template, values))
    }
}

/// `template` with its `{key}` placeholders replaced by `values`, in order, each one data for
/// its segment only:
///
/// - it is percent-encoded, so that `/`, `?`, `#`, `%`, `\`, spaces and any Unicode stay in it;
/// - a key that a URL parser or an OData service could read as something else than a key is
///   written in OData's key syntax on the segment before it, quotes doubled:
///   `/communications/calls('..')/mute`, `…/recordings('delta')`. That is a key that is empty,
///   `.` or `..` (which URL parsers remove or resolve, `%2E` included); one that is a name of a
///   segment of the API's routes (`delta`, `getAllRecordings`, `participants`, in any case, or
///   as the last part of a dotted name, `x.delta`), starts with `$` (`$count`, `$ref`,
///   `$value`), is a qualified name (a cast or an operation: `microsoft.graph.call`), or holds
///   a parenthesis (a key or a call's arguments): see [`reads_as_a_name`].
///
/// Placeholders beyond `values` are left as they are.
pub fn render_path(template: &str, values: &[&str]) -> String {
    let mut path = String::with_capacity(template.len() + values.iter().map(|v| v.len()).sum::<usize>());
    let mut values = values.iter();
    for segment in template.split('/').filter(|s| !s.is_empty()) {
        let value = match is_placeholder(segment) {
            true => values.next(),
            false => None,
        };
        match value {
            Some(value) if reads_as_a_name(value) => {
                if path.is_empty() {
                    path.push('/');
                }
                path.push_str("('");
                // `=` and `,` encoded too: a reader that does not parse the quotes must not
                // take the key for a call's `name=value` arguments.
                path.push_str(&percent_encode(&value.replace('\'', "''"), b"-._~!$&*+;:@"));
                path.push_str("')");
            }
            Some(value) => {
                path.push('/');
                path.push_str(&encode_key(value));
            }
            None => {
                path.push('/');
                path.push_str(segment);
            }
        }
    }
    if path.is_empty() {
        path.push('/');
    }
    path
}

fn is_placeholder(segment: &str) -> bool {
    segment.len() >= 2 && segment.starts_with('{') && segment.ends_with('}')
}

/// Whether a key, written as a segment of its own, could be read as something else than a key:
/// what [`render_path`] writes in OData's key syntax instead.
pub fn reads_as_a_name(key: &str) -> bool {
    // What a URL parser removes or resolves.
    matches!(key, "" | "." | "..")
        // OData's own segments, and a key or a call's arguments.
        || key.starts_with('$')
        || key.contains(['(', ')'])
        || is_qualified_name(key)
        || route_names().contains(&key.to_ascii_lowercase())
        // An operation's name may come qualified by any namespace (`x.delta` is `delta`).
        || key.rsplit_once('.').is_some_and(|(_, last)| route_names().contains(&last.to_ascii_lowercase()))
}

/// Two or more OData identifiers joined by dots: a type cast or a qualified operation name.
fn is_qualified_name(key: &str) -> bool {
    let identifier = |part: &str| {
        part.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && part.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    key.contains('.') && key.split('.').all(identifier)
}

/// Every literal segment of the APIs' routes, in lower case: the names a key must not be read
/// as.
fn route_names() -> &'static std::collections::HashSet<String> {
    static NAMES: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let apis = [
            crate::v1_0::ROUTES,
            #[cfg(feature = "beta")]
            crate::beta::ROUTES,
        ];
        let segments = apis.into_iter().flatten().flat_map(|route| route.template.split('/'));
        let literals = segments.filter(|s| !s.is_empty() && !is_placeholder(s));
        literals.flat_map(|s| [s, s.rsplit('.').next().unwrap_or(s)]).map(str::to_ascii_lowercase).collect()
    })
}

/// A key as a path segment: percent-encoded, so that `/`, `?`, `#`, `%`, `\`, quotes,
/// parentheses and spaces stay inside it. Use [`render_path`] for whole paths: a key that is
/// `.` or `..` needs more than encoding.
pub fn encode_key(key: &str) -> String {
    percent_encode(key, b"-._~!$&*+,;=:@")
}

/// `text` with every byte but ASCII letters, digits and `keep` percent-encoded.
pub(crate) fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || keep.contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Where a request goes: one of the path templates that reach an entity (or a collection of
/// them), with the values of its keys. Generated as an enum per entity type, a variant per
/// template with its keys as named fields: `call::Item::CommunicationsCalls { call_id }`.
pub trait Location {
    /// Every template, in the order of the variants.
    const TEMPLATES: &'static [PathTemplate];

    /// The index of this value's template in [`Location::TEMPLATES`].
    fn index(&self) -> usize;

    /// The values of the template's keys, in the template's order.
    fn keys(&self) -> Vec<&str>;

    /// This value's template.
    fn template(&self) -> &'static PathTemplate {
        &Self::TEMPLATES[self.index()]
    }

    /// The path, keys rendered as data for their segments (see [`render_path`]).
    fn path(&self) -> String {
        render_path(self.template().template, &self.keys())
    }
}

/// `keys` as [`Location::keys`] gives them (what the generated impls call).
pub fn key_values<'a>(keys: &[&'a String]) -> Vec<&'a str> {
    keys.iter().map(|key| key.as_str()).collect()
}

/// Whether two locations are the same: the same template with the same keys (the generated
/// `PartialEq` impls call this).
pub fn same_location<L: Location>(a: &L, b: &L) -> bool {
    a.index() == b.index() && a.keys() == b.keys()
}

/// A location shown as its template and keys (the generated `Debug` impls call this):
/// `Location { template: "/communications/calls/{call-id}", keys: ["57da"] }`.
pub fn debug_location<L: Location>(location: &L, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.debug_struct("Location").field("template", &location.template().template).field("keys", &location.keys()).finish()
}

/// A [`Location`] of entities of one type: `Entity` is what the service answers for it (the
/// polymorphic enum of a type with derived types), `Select` the struct whose property names
/// a query may use ([`crate::odata::Query`]).
pub trait EntityLocation: Location {
    /// The entity as the service sends it.
    type Entity;
    /// The declared type, whose properties name `$select`, `$expand` and `$orderby` options.
    type Select;
}

/// A location that names one entity (`/communications/calls/{call-id}`).
pub trait ItemLocation: EntityLocation {}

/// A location that names a collection (`/communications/calls`).
pub trait CollectionLocation: EntityLocation {}

/// An item location whose entity may be deleted: every template but an entry point's own
/// (a singleton such as `/communications` cannot be deleted).
pub trait Deletable: ItemLocation {}

/// The location of an operation the schema binds to a type that no path reaches: it has no
/// value, so such an operation can be decoded but never sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unreachable {}

impl Location for Unreachable {
    const TEMPLATES: &'static [PathTemplate] = &[];

    fn index(&self) -> usize {
        match *self {}
    }

    fn keys(&self) -> Vec<&str> {
        match *self {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::percent_decode;

    const MUTE: PathTemplate = PathTemplate {
        template: "/communications/calls/{call-id}/participants/{participant-id}/mute",
        keys: &["call-id", "participant-id"],
        permissions: &[],
    };

    #[test]
    fn keys_are_percent_encoded_for_their_segment() {
        assert_eq!(MUTE.fill(&["57da", "a b/c"]).unwrap(), "/communications/calls/57da/participants/a%20b%2Fc/mute");
        assert_eq!(MUTE.fill(&["57da"]), None);
        assert_eq!(encode_key("x?y#z%"), "x%3Fy%23z%25");
        assert_eq!(encode_key("o'b(1)\\é"), "o%27b%281%29%5C%C3%A9");
        // Meeting ids keep their readable `:` and `@`.
        assert_eq!(encode_key("MSo1_19:meeting_x@thread.v2"), "MSo1_19:meeting_x@thread.v2");
    }

    #[test]
    fn dot_segments_and_empty_keys_use_the_key_syntax() {
        assert_eq!(MUTE.fill(&["..", "."]).unwrap(), "/communications/calls('..')/participants('.')/mute");
        assert_eq!(MUTE.fill(&["", "x"]).unwrap(), "/communications/calls('')/participants/x/mute");
        assert_eq!(MUTE.fill(&["...", "a.b-c"]).unwrap(), "/communications/calls/.../participants/a.b-c/mute");
        assert_eq!(render_path("/{a}", &[".."]), "/('..')");
        assert_eq!(render_path("/calls/{a}", &["it's."]), "/calls/it%27s.");
        assert_eq!(render_path("/calls/{a}", &[".."]).matches('/').count(), 1);
        assert_eq!(render_path("/communications", &[]), "/communications");
    }

    #[test]
    fn keys_that_read_as_names_use_the_key_syntax() {
        for (key, written) in [
            ("delta", "('delta')"),
            ("DELTA", "('DELTA')"),
            ("getAllRecordings", "('getAllRecordings')"),
            ("participants", "('participants')"),
            ("x.delta", "('x.delta')"),
            ("$count", "('$count')"),
            ("$ref", "('$ref')"),
            ("$value", "('$value')"),
            ("microsoft.graph.call", "('microsoft.graph.call')"),
            ("a.b", "('a.b')"),
            ("delta()", "('delta%28%29')"),
            ("it's", "/it%27s"),
            ("19:meeting_x@thread.v2", "/19:meeting_x@thread.v2"),
            ("adele.vance@contoso.com", "/adele.vance@contoso.com"),
            ("0fe0623f-d628-42ed-b4bd-8ac290072cc5", "/0fe0623f-d628-42ed-b4bd-8ac290072cc5"),
        ] {
            let path = render_path("/communications/calls/{call-id}/mute", &[key]);
            assert_eq!(path, format!("/communications/calls{written}/mute"), "{key}");
        }
        assert_eq!(render_path("/calls/{a}", &["delta's"]), "/calls/delta%27s");
        assert_eq!(render_path("/calls/{a}", &["o'delta()"]), "/calls('o%27%27delta%28%29')");
    }

    #[derive(Clone)]
    enum Calls {
        One { call_id: String },
        All,
    }

    impl Location for Calls {
        const TEMPLATES: &'static [PathTemplate] = &[
            PathTemplate { template: "/calls/{call-id}", keys: &["call-id"], permissions: &[] },
            PathTemplate { template: "/calls", keys: &[], permissions: &[] },
        ];

        fn index(&self) -> usize {
            match self {
                Calls::One { .. } => 0,
                Calls::All => 1,
            }
        }

        fn keys(&self) -> Vec<&str> {
            match self {
                Calls::One { call_id } => key_values(&[call_id]),
                Calls::All => Vec::new(),
            }
        }
    }

    #[test]
    fn locations_compare_and_show_by_template_and_keys() {
        let one = |id: &str| Calls::One { call_id: id.to_owned() };
        assert!(same_location(&one("a"), &one("a")));
        assert!(!same_location(&one("a"), &one("b")));
        assert!(!same_location(&one(""), &Calls::All));
        assert_eq!(one("a/b").path(), "/calls/a%2Fb");
        struct Shown(Calls);
        impl std::fmt::Debug for Shown {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                debug_location(&self.0, f)
            }
        }
        assert_eq!(format!("{:?}", Shown(one("57da"))), r#"Location { template: "/calls/{call-id}", keys: ["57da"] }"#);
        assert_eq!(format!("{:?}", Shown(Calls::All)), r#"Location { template: "/calls", keys: [] }"#);
    }

    #[test]
    fn percent_decoding_inverts_encoding() {
        for key in ["a b/c?d#e%f", "é'ü", "%zz", "100%"] {
            assert_eq!(percent_decode(&encode_key(key)).unwrap(), key);
        }
        assert_eq!(percent_decode("%zz%4"), Some("%zz%4".to_owned()));
        assert_eq!(percent_decode("%C3"), None);
    }
}
