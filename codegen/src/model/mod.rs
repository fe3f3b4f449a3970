//! Stage 2, model: the CSDL document resolved into a graph of types and operations.
//!
//! - [`resolve`] turns a [`crate::csdl::Document`] into a [`Model`]: aliases expanded, every
//!   type reference checked and pointing at a [`TypeId`], inheritance linked both ways,
//!   descriptions attached (inline or out-of-line), everything in a stable order that does not
//!   depend on the order of the XML.
//! - [`slice`](mod@slice) selects the part of the model to generate.
//! - [`plan`] names everything in Rust and lays it out in modules, for the emitter.

pub mod describe;
pub mod naming;
pub mod paths;
pub mod plan;
mod primitive;
mod resolve;
pub mod slice;

pub use primitive::Primitive;
pub use resolve::{Problems, Warning, resolve, resolve_with};

use crate::csdl::{Location, OperationKind, StructuredKind};
use std::fmt;

/// A namespace-qualified name with the namespace spelled out (never an alias).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    pub namespace: String,
    pub name: String,
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.namespace, self.name)
    }
}

/// Index of a type in [`Model::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Index of an operation in [`Model::operations`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationId(pub usize);

/// The resolved schema.
#[derive(Clone, Debug)]
pub struct Model {
    /// All types, sorted by qualified name; a [`TypeId`] indexes this.
    pub types: Vec<TypeDef>,
    /// All actions and functions, sorted by qualified name, then binding type.
    pub operations: Vec<OperationDef>,
    /// Singletons and entity sets of the entity container, sorted by name.
    pub entry_points: Vec<EntryPoint>,
    /// Namespace aliases (`microsoft.graph` → `graph`), sorted by namespace.
    pub aliases: Vec<(String, String)>,
}

impl Model {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// Looks a type up by its qualified name (`microsoft.graph.call`).
    pub fn find(&self, qualified: &str) -> Option<TypeId> {
        self.types.binary_search_by(|ty| cmp_qualified(&ty.name, qualified)).ok().map(TypeId)
    }

    /// The structured type `id` is, or `None` for an enum.
    pub fn structured(&self, id: TypeId) -> Option<&Structured> {
        match &self.get(id).body {
            TypeBody::Structured(s) => Some(s),
            TypeBody::Enum(_) => None,
        }
    }

    /// The chain of base types of `id`, from the root (e.g. `entity`) down to `id` itself.
    pub fn lineage(&self, id: TypeId) -> Vec<TypeId> {
        let mut chain = vec![id];
        while let Some(base) = self.structured(*chain.last().unwrap()).and_then(|s| s.base) {
            chain.push(base);
        }
        chain.reverse();
        chain
    }

    /// Every property of a structured type, inherited ones first (from the root down).
    pub fn all_properties(&self, id: TypeId) -> Vec<(TypeId, &PropertyDef)> {
        self.lineage(id)
            .into_iter()
            .flat_map(|ty| self.structured(ty).map(|s| s.properties.iter().map(move |p| (ty, p))).into_iter().flatten())
            .collect()
    }

    /// The ways `@odata.type` may name a type: `microsoft.graph.call`, and `graph.call` for
    /// each alias of its namespace.
    pub fn tags(&self, id: TypeId) -> Vec<String> {
        let name = &self.get(id).name;
        let aliases = self.aliases.iter().filter(|(namespace, _)| *namespace == name.namespace);
        std::iter::once(name.to_string()).chain(aliases.map(|(_, alias)| format!("{alias}.{}", name.name))).collect()
    }

    /// All types derived from `id`, directly or not, sorted.
    pub fn descendants(&self, id: TypeId) -> Vec<TypeId> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(ty) = stack.pop() {
            if let Some(s) = self.structured(ty) {
                for &derived in &s.derived {
                    out.push(derived);
                    stack.push(derived);
                }
            }
        }
        out.sort();
        out
    }
}

/// Orders a qualified name against its `namespace.name` spelling without allocating.
fn cmp_qualified(name: &QualifiedName, qualified: &str) -> std::cmp::Ordering {
    let (namespace, local) = qualified.rsplit_once('.').unwrap_or(("", qualified));
    (name.namespace.as_str(), name.name.as_str()).cmp(&(namespace, local))
}

#[derive(Clone, Debug)]
pub struct TypeDef {
    pub name: QualifiedName,
    pub description: Option<String>,
    /// Its page in the Graph documentation, when a docs source has one.
    pub docs_url: Option<String>,
    pub location: Location,
    pub body: TypeBody,
}

#[derive(Clone, Debug)]
pub enum TypeBody {
    Structured(Structured),
    Enum(Enumeration),
}

/// An entity or complex type.
#[derive(Clone, Debug)]
pub struct Structured {
    pub kind: StructuredKind,
    pub base: Option<TypeId>,
    /// Types that name this one as their base, sorted.
    pub derived: Vec<TypeId>,
    pub is_abstract: bool,
    pub is_open: bool,
    pub has_stream: bool,
    pub key: Vec<String>,
    /// The type's own properties (not inherited), structural and navigation, sorted by name.
    pub properties: Vec<PropertyDef>,
}

#[derive(Clone, Debug)]
pub struct PropertyDef {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: bool,
    /// `Some` for a navigation property.
    pub navigation: Option<Navigation>,
    /// Holds one value or an array of them (an overlay's `MsGraphComms.OneOrMany`).
    pub one_or_many: bool,
    pub description: Option<String>,
    pub location: Location,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Navigation {
    pub contains_target: bool,
}

/// A resolved type reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeRef {
    pub target: Target,
    pub collection: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Primitive(Primitive),
    Type(TypeId),
}

impl TypeRef {
    pub fn type_id(&self) -> Option<TypeId> {
        match self.target {
            Target::Type(id) => Some(id),
            Target::Primitive(_) => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Enumeration {
    pub is_flags: bool,
    pub underlying: Primitive,
    /// Members sorted by value, then name.
    pub members: Vec<MemberDef>,
}

#[derive(Clone, Debug)]
pub struct MemberDef {
    pub name: String,
    pub value: i64,
    pub description: Option<String>,
}

#[derive(Clone, Debug)]
pub struct OperationDef {
    pub kind: OperationKind,
    pub name: QualifiedName,
    /// The binding parameter's type, for a bound operation.
    pub binding: Option<TypeRef>,
    /// The other parameters, in declaration order (it is the order of a function's URL).
    pub parameters: Vec<ParameterDef>,
    pub return_type: Option<ReturnDef>,
    pub is_composable: bool,
    pub description: Option<String>,
    /// Its page in the Graph documentation, when a docs source has one.
    pub docs_url: Option<String>,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub struct ParameterDef {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: bool,
    /// Annotated `Org.OData.Core.V1.OptionalParameter`.
    pub optional: bool,
    pub description: Option<String>,
}

#[derive(Clone, Copy, Debug)]
pub struct ReturnDef {
    pub ty: TypeRef,
    pub nullable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryPointKind {
    Singleton,
    EntitySet,
}

/// A singleton or entity set: where URLs start.
#[derive(Clone, Debug)]
pub struct EntryPoint {
    pub kind: EntryPointKind,
    pub name: String,
    pub ty: TypeId,
    pub description: Option<String>,
}

/// A CSDL error found while resolving (an unknown type, a cycle …), with its place.
pub type ModelError = crate::csdl::CsdlError;
