//! Query options (`$select`, `$expand`, `$filter`, `$orderby`, `$top`, `$skip`, `$count`,
//! `$search`), with property names generated from the schema and rendered as the OData URL
//! conventions say.

use super::path::percent_encode;
use std::fmt;
use std::marker::PhantomData;

/// A property of `T`, by its JSON name: generated as constants on each entity type
/// (`Call::STATE`), so that a query names only properties its type has.
pub struct Property<T> {
    name: &'static str,
    of: PhantomData<fn() -> T>,
}

impl<T> Property<T> {
    /// The property `name` of `T` (the generated constants call this).
    pub const fn new(name: &'static str) -> Self {
        Property { name, of: PhantomData }
    }

    /// Its JSON name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Sorted by this property, descending (`$orderby=name desc`).
    pub const fn desc(self) -> OrderBy<T> {
        OrderBy { name: self.name, descending: true, of: PhantomData }
    }
}

/// A navigation property of `T` whose target is `U`, for `$expand` (`CallRecord::SESSIONS`).
pub struct Navigation<T, U> {
    name: &'static str,
    of: PhantomData<fn() -> (T, U)>,
}

impl<T, U> Navigation<T, U> {
    /// The navigation property `name` of `T` (the generated constants call this).
    pub const fn new(name: &'static str) -> Self {
        Navigation { name, of: PhantomData }
    }

    /// Its JSON name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The link to the rest of this collection, when `value` holds only its first page
    /// (`sessions@odata.nextLink`).
    pub fn next_link<'v>(&self, value: &'v T) -> Option<&'v str>
    where
        T: crate::odata::ODataObject,
    {
        value.extras().get(&format!("{}@odata.nextLink", self.name))?.as_str()
    }

    /// The request for the rest of this collection, as [`crate::odata::Page::next`] gives one
    /// for a page: the same [`crate::odata::NextPage`] type, whichever way a collection came.
    pub fn next(&self, value: &T) -> Option<crate::odata::NextPage<U>>
    where
        T: crate::odata::ODataObject,
    {
        self.next_link(value).map(crate::odata::NextPage::new)
    }
}

/// A sort key of `$orderby`: a property, ascending unless [`Property::desc`] made it.
pub struct OrderBy<T> {
    name: &'static str,
    descending: bool,
    of: PhantomData<fn() -> T>,
}

impl<T> From<Property<T>> for OrderBy<T> {
    fn from(property: Property<T>) -> Self {
        OrderBy { name: property.name, descending: false, of: PhantomData }
    }
}

impl<T, U> From<Navigation<T, U>> for Property<T> {
    fn from(navigation: Navigation<T, U>) -> Self {
        Property::new(navigation.name)
    }
}

macro_rules! copy_and_debug {
    ($($name:ident<$($param:ident),*>),*) => {$(
        impl<$($param),*> Clone for $name<$($param),*> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<$($param),*> Copy for $name<$($param),*> {}
        impl<$($param),*> fmt::Debug for $name<$($param),*> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.name)
            }
        }
        impl<$($param),*> PartialEq for $name<$($param),*> {
            fn eq(&self, other: &Self) -> bool {
                self.name == other.name
            }
        }
    )*};
}

copy_and_debug!(Property<T>, Navigation<T, U>, OrderBy<T>);

/// The query options of a request on entities of type `T`. Empty by default; each option set
/// once (a second call replaces it, `$select` and `$expand` add to what is there).
///
/// ```
/// use msgraph_comms::odata::{Query, literal};
/// use msgraph_comms::v1_0::call_records::{CallRecord, Session};
///
/// let query = Query::<CallRecord>::new()
///     .select([CallRecord::ID, CallRecord::START_DATE_TIME])
///     .expand_with(CallRecord::SESSIONS, |q| q.expand(Session::SEGMENTS))
///     .filter(format!("organizer/user/displayName eq {}", literal("O'Brien & Co").unwrap()))
///     .top(5);
/// assert_eq!(
///     query.to_string(),
///     "$select=id,startDateTime&$expand=sessions($expand=segments)\
///      &$filter=organizer/user/displayName%20eq%20'O''Brien%20%26%20Co'&$top=5"
/// );
/// ```
pub struct Query<T> {
    options: Options,
    of: PhantomData<fn() -> T>,
}

/// The options of a query, whatever its type: one level of `$expand` nests another.
#[derive(Clone, Debug, Default, PartialEq)]
struct Options {
    select: Vec<&'static str>,
    expand: Vec<(&'static str, Options)>,
    filter: Option<String>,
    order_by: Vec<(&'static str, bool)>,
    top: Option<u64>,
    skip: Option<u64>,
    count: Option<bool>,
    search: Option<String>,
    custom: Vec<(String, String)>,
}

impl<T> Default for Query<T> {
    fn default() -> Self {
        Query { options: Options::default(), of: PhantomData }
    }
}

impl<T> Clone for Query<T> {
    fn clone(&self) -> Self {
        Query { options: self.options.clone(), of: PhantomData }
    }
}

impl<T> fmt::Debug for Query<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Query").field(&self.to_string()).finish()
    }
}

impl<T> PartialEq for Query<T> {
    fn eq(&self, other: &Self) -> bool {
        self.options == other.options
    }
}

impl<T> Query<T> {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether no option is set.
    pub fn is_empty(&self) -> bool {
        self.options == Options::default()
    }

    /// `$select`: only these properties (added to those already selected).
    pub fn select<P: Into<Property<T>>>(mut self, properties: impl IntoIterator<Item = P>) -> Self {
        self.options.select.extend(properties.into_iter().map(|p| p.into().name));
        self
    }

    /// `$expand` of one navigation property.
    pub fn expand<U>(self, navigation: Navigation<T, U>) -> Self {
        self.expand_with(navigation, |q| q)
    }

    /// `$expand` of one navigation property, with options on its target:
    /// `sessions($select=id;$expand=segments)`.
    pub fn expand_with<U>(mut self, navigation: Navigation<T, U>, options: impl FnOnce(Query<U>) -> Query<U>) -> Self {
        self.options.expand.push((navigation.name, options(Query::new()).options));
        self
    }

    /// `$filter`: an OData expression, written as OData writes it (`state eq 'established'`;
    /// [`crate::odata::literal`] writes literals). It is percent-encoded when rendered.
    pub fn filter(mut self, expression: impl Into<String>) -> Self {
        self.options.filter = Some(expression.into());
        self
    }

    /// `$orderby`, in this order (`Call::STATE.desc()` for descending).
    pub fn order_by<O: Into<OrderBy<T>>>(mut self, keys: impl IntoIterator<Item = O>) -> Self {
        self.options.order_by = keys.into_iter().map(|k| k.into()).map(|k| (k.name, k.descending)).collect();
        self
    }

    /// `$top`: at most this many results.
    pub fn top(mut self, n: u64) -> Self {
        self.options.top = Some(n);
        self
    }

    /// `$skip`: leave out this many results.
    pub fn skip(mut self, n: u64) -> Self {
        self.options.skip = Some(n);
        self
    }

    /// `$count`: whether the answer carries `@odata.count`.
    pub fn count(mut self, count: bool) -> Self {
        self.options.count = Some(count);
        self
    }

    /// `$search`: the terms, sent in double quotes (`"` and `\` inside escaped).
    pub fn search(mut self, terms: impl Into<String>) -> Self {
        self.options.search = Some(terms.into());
        self
    }

    /// Any other query option, `name=value` (both percent-encoded when rendered).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.custom.push((name.into(), value.into()));
        self
    }
}

/// The query string, without its `?`: options joined by `&` (by `;` inside `$expand`),
/// what the user wrote percent-encoded so that `&`, `#`, `+`, `%`, `;` and spaces stay data.
impl<T> fmt::Display for Query<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.options.render('&'))
    }
}

/// What a query value may hold unencoded: what OData writes in expressions, but none of the
/// characters that split a query string (`&`, `=`, `;`, `#`, `+`).
const QUERY_KEEP: &[u8] = b"-._~!$'()*,:@/";

fn encode(text: &str) -> String {
    percent_encode(text, QUERY_KEEP)
}

impl Options {
    fn render(&self, separator: char) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.select.is_empty() {
            parts.push(format!("$select={}", self.select.join(",")));
        }
        if !self.expand.is_empty() {
            let items: Vec<String> = self
                .expand
                .iter()
                .map(|(name, nested)| match nested.render(';') {
                    inner if inner.is_empty() => (*name).to_owned(),
                    inner => format!("{name}({inner})"),
                })
                .collect();
            parts.push(format!("$expand={}", items.join(",")));
        }
        if let Some(filter) = &self.filter {
            parts.push(format!("$filter={}", encode(filter)));
        }
        if !self.order_by.is_empty() {
            let keys: Vec<String> = self
                .order_by
                .iter()
                .map(|(name, desc)| if *desc { format!("{name}%20desc") } else { (*name).to_owned() })
                .collect();
            parts.push(format!("$orderby={}", keys.join(",")));
        }
        if let Some(top) = self.top {
            parts.push(format!("$top={top}"));
        }
        if let Some(skip) = self.skip {
            parts.push(format!("$skip={skip}"));
        }
        if let Some(count) = self.count {
            parts.push(format!("$count={count}"));
        }
        if let Some(search) = &self.search {
            let quoted = format!("\"{}\"", search.replace('\\', "\\\\").replace('"', "\\\""));
            parts.push(format!("$search={}", encode(&quoted)));
        }
        for (name, value) in &self.custom {
            parts.push(format!("{}={}", encode(name), encode(value)));
        }
        parts.join(&separator.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Record;
    struct Session;
    struct Segment;
    const ID: Property<Record> = Property::new("id");
    const START: Property<Record> = Property::new("startDateTime");
    const SESSIONS: Navigation<Record, Session> = Navigation::new("sessions");
    const SEGMENTS: Navigation<Session, Segment> = Navigation::new("segments");
    const SESSION_ID: Property<Session> = Property::new("id");

    #[test]
    fn an_empty_query_renders_nothing() {
        let query = Query::<Record>::new();
        assert!(query.is_empty());
        assert_eq!(query.to_string(), "");
        assert!(!query.top(1).is_empty());
    }

    #[test]
    fn nested_expand_uses_semicolons() {
        let query = Query::<Record>::new()
            .expand_with(SESSIONS, |q| q.select([SESSION_ID]).expand(SEGMENTS).top(2))
            .select([ID])
            .select([SESSIONS]);
        assert_eq!(query.to_string(), "$select=id,sessions&$expand=sessions($select=id;$expand=segments;$top=2)");
    }

    #[test]
    fn user_text_is_encoded_and_structure_is_not() {
        let query = Query::<Record>::new()
            .filter("name eq 'a&b=c;d#e+f%g' and x/y ne null")
            .order_by([START.desc()])
            .order_by([ID.into(), START.desc()])
            .skip(10)
            .count(true)
            .search("say \"hi\" & go")
            .param("$skiptoken", "x y&z");
        assert_eq!(
            query.to_string(),
            "$filter=name%20eq%20'a%26b%3Dc%3Bd%23e%2Bf%25g'%20and%20x/y%20ne%20null&$orderby=id,startDateTime%20desc\
             &$skip=10&$count=true&$search=%22say%20%5C%22hi%5C%22%20%26%20go%22&$skiptoken=x%20y%26z"
        );
    }

    #[test]
    fn properties_compare_and_print_by_name() {
        assert_eq!(ID, Property::new("id"));
        assert_eq!(format!("{:?}", SESSIONS), "Navigation(sessions)");
        assert_eq!(ID.name(), "id");
        assert_eq!(SESSIONS.name(), "sessions");
        assert_eq!(Query::<Record>::new().top(1), Query::new().top(1));
    }
}
