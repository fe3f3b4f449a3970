//! Stage 1, read: CSDL XML (`$metadata`) into a faithful in-memory document.
//!
//! Nothing is resolved here: type names stay as written (`graph.call`,
//! `microsoft.graph.call`, `Collection(...)`), annotations stay where they were
//! written (inline or in `<Annotations Target="…">`). Every element keeps its
//! source position so that later stages can report `file:line:col`.

pub mod overlay;
mod read;

pub use read::{read_file, read_str};

use std::fmt;

/// A position in a CSDL file, 1-based, as shown to users.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// Where an element was written: the file (as given by the caller) and a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub pos: Pos,
    /// The element, as a short XML-like label: `<Property Name="state">`.
    pub element: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.pos.line, self.pos.col, self.element)
    }
}

/// An error in a CSDL document, with the place it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsdlError {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for CsdlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for CsdlError {}

/// A whole `$metadata` document.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The file name used in error messages.
    pub file: String,
    pub schemas: Vec<Schema>,
}

#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub namespace: String,
    pub alias: Option<String>,
    pub entity_types: Vec<StructuredType>,
    pub complex_types: Vec<StructuredType>,
    pub enum_types: Vec<EnumType>,
    pub type_definitions: Vec<TypeDefinition>,
    pub actions: Vec<Operation>,
    pub functions: Vec<Operation>,
    pub entity_containers: Vec<EntityContainer>,
    /// Out-of-line `<Annotations Target="…">` blocks.
    pub annotation_blocks: Vec<AnnotationBlock>,
    pub pos: Pos,
}

/// A type reference as written: `Collection(graph.call)` is `{ name: "graph.call", collection: true }`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeName {
    pub name: String,
    pub collection: bool,
}

impl TypeName {
    /// Parses the `Type` attribute syntax: `ns.Name` or `Collection(ns.Name)`.
    pub fn parse(text: &str) -> Option<TypeName> {
        let text = text.trim();
        let (name, collection) = match text.strip_prefix("Collection(") {
            Some(rest) => (rest.strip_suffix(')')?.trim(), true),
            None => (text, false),
        };
        let valid = !name.is_empty()
            && name
                .split('.')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-'));
        valid.then(|| TypeName { name: name.to_owned(), collection })
    }
}

impl fmt::Display for TypeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.collection { write!(f, "Collection({})", self.name) } else { f.write_str(&self.name) }
    }
}

/// A constant-valued annotation (`<Annotation Term="…" String="…"/>`); structured values
/// (records, collections) are kept as their term with no value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    pub term: String,
    pub value: Option<String>,
    pub pos: Pos,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StructuredKind {
    Entity,
    Complex,
}

/// An `EntityType` or a `ComplexType`.
#[derive(Clone, Debug)]
pub struct StructuredType {
    pub kind: StructuredKind,
    pub name: String,
    pub base_type: Option<String>,
    pub is_abstract: bool,
    pub is_open: bool,
    pub has_stream: bool,
    pub key: Vec<String>,
    pub properties: Vec<Property>,
    pub navigation_properties: Vec<NavigationProperty>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub struct Property {
    pub name: String,
    pub type_name: TypeName,
    /// `Nullable`, `true` when absent (the CSDL default).
    pub nullable: bool,
    pub default_value: Option<String>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub struct NavigationProperty {
    pub name: String,
    pub type_name: TypeName,
    pub nullable: bool,
    pub contains_target: bool,
    pub partner: Option<String>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub struct EnumType {
    pub name: String,
    pub underlying_type: Option<String>,
    pub is_flags: bool,
    pub members: Vec<EnumMember>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub struct EnumMember {
    pub name: String,
    /// `Value`; members without one take their position (or a power of two for flags)
    /// when the model is resolved.
    pub value: Option<i64>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

/// `<TypeDefinition Name="…" UnderlyingType="Edm.…"/>`.
#[derive(Clone, Debug)]
pub struct TypeDefinition {
    pub name: String,
    pub underlying_type: String,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OperationKind {
    Action,
    Function,
}

impl OperationKind {
    /// The HTTP method that invokes it: an action is POSTed (its parameters are the body), a
    /// function is a GET (its parameters are in the URL).
    pub fn method(self) -> &'static str {
        match self {
            OperationKind::Action => "POST",
            OperationKind::Function => "GET",
        }
    }
}

/// An `Action` or a `Function`.
#[derive(Clone, Debug)]
pub struct Operation {
    pub kind: OperationKind,
    pub name: String,
    pub is_bound: bool,
    pub is_composable: bool,
    pub entity_set_path: Option<String>,
    pub parameters: Vec<Parameter>,
    pub return_type: Option<ReturnType>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub struct Parameter {
    pub name: String,
    pub type_name: TypeName,
    pub nullable: bool,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub struct ReturnType {
    pub type_name: TypeName,
    pub nullable: bool,
    pub pos: Pos,
}

#[derive(Clone, Debug, Default)]
pub struct EntityContainer {
    pub name: String,
    pub entity_sets: Vec<EntitySet>,
    pub singletons: Vec<Singleton>,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub struct EntitySet {
    pub name: String,
    pub entity_type: String,
    pub navigation_bindings: Vec<NavigationBinding>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub struct Singleton {
    pub name: String,
    pub type_name: String,
    pub navigation_bindings: Vec<NavigationBinding>,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub struct NavigationBinding {
    pub path: String,
    pub target: String,
}

/// `<Annotations Target="microsoft.graph.call/state">…</Annotations>`.
#[derive(Clone, Debug)]
pub struct AnnotationBlock {
    pub target: String,
    pub annotations: Vec<Annotation>,
    pub pos: Pos,
}

/// The term of the description annotation (`Org.OData.Core.V1.Description`).
pub const CORE_DESCRIPTION: &str = "Org.OData.Core.V1.Description";
/// The term of the long description annotation, appended to the description.
pub const CORE_LONG_DESCRIPTION: &str = "Org.OData.Core.V1.LongDescription";

/// The description written directly in a list of annotations, if any.
pub fn description_of(annotations: &[Annotation]) -> Option<&str> {
    annotations.iter().find(|a| a.term == CORE_DESCRIPTION).and_then(|a| a.value.as_deref())
}

/// Test inputs: CSDL documents around hand-written schema elements.
#[cfg(test)]
pub(crate) mod testing {
    /// A document of `schemas`, each `(namespace, alias, body)`. The first body starts on line 3.
    pub fn edmx(schemas: &[(&str, Option<&str>, &str)]) -> String {
        let mut xml = String::from(
            r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>"#,
        );
        for (namespace, alias, body) in schemas {
            let alias = alias.map(|a| format!(r#" Alias="{a}""#)).unwrap_or_default();
            xml.push_str(&format!(
                "\n<Schema Namespace=\"{namespace}\"{alias} xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n{body}\n</Schema>"
            ));
        }
        xml.push_str("</edmx:DataServices></edmx:Edmx>");
        xml
    }

    /// A document of one `microsoft.graph` schema (alias `graph`).
    pub fn graph(body: &str) -> String {
        edmx(&[("microsoft.graph", Some("graph"), body)])
    }

    /// `microsoft.graph` with `body`, and a `microsoft.graph.callRecords` schema whose
    /// `participant` refers to `microsoft.graph.identity` (or `participant`, per `refers_to`).
    pub fn graph_and_call_records(body: &str, refers_to: &str) -> String {
        let records =
            format!(r#"<ComplexType Name="participant"><Property Name="who" Type="graph.{refers_to}"/></ComplexType>"#);
        edmx(&[("microsoft.graph", Some("graph"), body), ("microsoft.graph.callRecords", None, &records)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_parse_plain_and_collection_forms() {
        assert_eq!(TypeName::parse("graph.call"), Some(TypeName { name: "graph.call".into(), collection: false }));
        assert_eq!(
            TypeName::parse("Collection(microsoft.graph.callRecords.session)"),
            Some(TypeName { name: "microsoft.graph.callRecords.session".into(), collection: true })
        );
        assert_eq!(TypeName::parse("Collection(graph.call"), None);
        assert_eq!(TypeName::parse(""), None);
        assert_eq!(TypeName::parse("graph..call"), None);
        assert_eq!(TypeName::parse("graph.call x"), None);
    }
}
