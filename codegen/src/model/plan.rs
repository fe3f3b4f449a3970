//! The slice laid out as Rust: modules, items, fields and variants with their final names.
//!
//! This is the last stage that knows CSDL; the emitter only turns a [`Plan`] into tokens.

use super::naming::{self, unique};
use super::slice::Slice;
use super::{paths, *};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// How the generated code is laid out.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutSettings {
    /// The namespace whose types sit at the top of the generated module; the others become
    /// submodules named after the rest of their namespace (`microsoft.graph.callRecords` →
    /// `call_records`).
    pub root_namespace: String,
    /// The cargo feature that compiles the run-time type registry (`TYPES`), if it is optional:
    /// it instantiates a round trip per type, which costs compile time users of the models may
    /// not want.
    #[serde(default)]
    pub registry_feature: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Sorted by path; the root module (empty path) first.
    pub modules: Vec<ModulePlan>,
    /// Every structured type of the slice by qualified name, with the Rust type that decodes
    /// it (its polymorphic enum when it has derived types), and every action's request; sorted
    /// by name.
    pub registry: Vec<RegistryEntry>,
    /// Every request the paths of the slice serve, sorted by template and method.
    pub routes: Vec<RoutePlan>,
    /// The navigation segments of the paths at which a match of a URL's end may start: the
    /// names that lead to one and the same type wherever the whole schema has them (a
    /// navigation property, or an entry point), sorted. `sessions` is not one: a call
    /// record's are not a virtual event's.
    pub suffix_starts: Vec<String>,
}

impl Plan {
    /// Gives every route, location template and operation path the permissions `index` has
    /// for it; answers the routes it has none for (`GET /communications/…`).
    pub fn attach_permissions(&mut self, index: &crate::permissions::PermissionIndex) -> Vec<String> {
        let mut missing = Vec::new();
        let mut by_template: HashMap<String, Vec<crate::permissions::Grant>> = HashMap::new();
        for route in &mut self.routes {
            route.permissions = index.grants(route.method, &route.template);
            if route.permissions.is_empty() {
                missing.push(format!("{} {}", route.method, route.template));
            }
            by_template.entry(route.template.clone()).or_default().extend(route.permissions.iter().cloned());
        }
        let of = |template: &str| by_template.get(template).cloned().unwrap_or_default();
        for module in &mut self.modules {
            for item in &mut module.items {
                let Item::Requests(requests) = item else { continue };
                for variant in requests.item.iter_mut().chain(requests.collection.iter_mut()) {
                    variant.permissions = of(&variant.template);
                }
                for op in &mut requests.operations {
                    let method = op.kind.method();
                    for path in &mut op.paths {
                        path.permissions = of(&path.template).into_iter().filter(|g| g.method == method).collect();
                    }
                }
                for stream in &mut requests.streams {
                    for path in &mut stream.paths {
                        path.permissions = of(&path.template).into_iter().filter(|g| g.method == "GET").collect();
                    }
                }
            }
        }
        missing
    }
}

/// A method on a path template, and the types of its request and response bodies (qualified
/// names as [`RegistryEntry::odata_name`] has them, `Collection(…)`, or `Edm.…`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RoutePlan {
    pub template: String,
    pub method: &'static str,
    pub request: Option<String>,
    pub response: Option<String>,
    /// The Rust request type that sends it.
    pub rust: RouteRequest,
    /// The permissions that allow it ([`Plan::attach_permissions`]).
    pub permissions: Vec<crate::permissions::Grant>,
    /// What its entries in `ROUTES` and `REQUESTS` need: its request type's, its path's.
    pub gate: Gate,
    pub kind: RouteKind,
}

/// What a route sends: an entity request, an operation, or a stream's read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RouteKind {
    Entity,
    Operation,
    Stream,
}

/// The request type of a route and how to build it from the route's keys.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RouteRequest {
    /// The request module (`["call"]`, `["call_records", "call_record"]`).
    pub module: Vec<String>,
    /// The request type in it: `Get`, `Mute`.
    pub name: String,
    /// Its location enum ([`ITEM_LOCATION`] or [`COLLECTION_LOCATION`]) and the variant of
    /// the route's template.
    pub location: &'static str,
    pub variant: LocationVariant,
    /// Whether it is built with a body (an entity, an action's body, a function's parameters).
    pub body: bool,
}

/// The requests of one entity type, in a module named after the type, beside it: where its
/// entities are (`call::Item`, `call::Collection`), the entity requests there (`call::Get`,
/// …) and the operations bound to it (`call::Mute`, with its body `call::MuteRequest`).
#[derive(Clone, Debug, PartialEq)]
pub struct RequestModulePlan {
    pub name: String,
    pub binding: TypeLink,
    /// The Rust type of its entities as the service sends them (the polymorphic enum of a
    /// type with derived types).
    pub entity: TypeLink,
    /// The templates that name one entity of the type (or of a type derived from it); empty
    /// when no path does.
    pub item: Vec<LocationVariant>,
    /// The templates that name a collection of them.
    pub collection: Vec<LocationVariant>,
    /// Whether `DELETE` applies to every item template (none is a singleton's).
    pub deletable: bool,
    pub operations: Vec<OperationPlan>,
    /// The streams of its entities: `Edm.Stream` properties, and a media entity's `$value`.
    pub streams: Vec<StreamPlan>,
    /// What the module needs: its binding type's gate.
    pub gate: Gate,
}

/// A stream of an entity (an `Edm.Stream` property such as a transcript's `content`, or a
/// media entity's `$value`): read with `GET` at each item template followed by its segment,
/// answered with bytes and their content type, never JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamPlan {
    /// Its URL segment: the property's name, or `$value`.
    pub segment: String,
    /// The type that names it: `ContentStream`.
    pub marker: String,
    /// The request type that reads it: `GetContent`.
    pub request_name: String,
    pub description: Option<String>,
    /// The item templates, each followed by the segment, in the item location's order.
    pub paths: Vec<PathPlan>,
}

impl RequestModulePlan {
    /// The module's path, below `parent`.
    pub fn path(&self, parent: &[String]) -> Vec<String> {
        parent.iter().cloned().chain(std::iter::once(self.name.clone())).collect()
    }
}

/// A path template as a variant of a location enum, its keys as named fields.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocationVariant {
    /// `CommunicationsCallsParticipants`: the template's literal segments.
    pub name: String,
    pub template: String,
    pub keys: Vec<KeyPlan>,
    /// The permissions of every method on the template.
    pub permissions: Vec<crate::permissions::Grant>,
    /// What the path needs: the feature of the gated gateway it goes through, if it does.
    /// Gated variants come after the open ones.
    pub gate: Gate,
}

/// A key of a template: `call-id`, as the field `call_id`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct KeyPlan {
    pub key: String,
    pub field: String,
}

/// The location enum of one entity, and of a collection, in a request module.
pub const ITEM_LOCATION: &str = "Item";
pub const COLLECTION_LOCATION: &str = "Collection";

/// The entity requests of a request module (`call::Get`, …), each a generic request of the
/// runtime at one of the module's locations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntityRequest {
    Get,
    List,
    Create,
    Update,
    Delete,
}

impl EntityRequest {
    pub const ALL: [EntityRequest; 5] =
        [EntityRequest::Get, EntityRequest::List, EntityRequest::Create, EntityRequest::Update, EntityRequest::Delete];

    /// Its name, in the module and in the runtime (`odata::Get`).
    pub fn name(self) -> &'static str {
        match self {
            EntityRequest::Get => "Get",
            EntityRequest::List => "List",
            EntityRequest::Create => "Create",
            EntityRequest::Update => "Update",
            EntityRequest::Delete => "Delete",
        }
    }

    pub fn method(self) -> &'static str {
        match self {
            EntityRequest::Get | EntityRequest::List => "GET",
            EntityRequest::Create => "POST",
            EntityRequest::Update => "PATCH",
            EntityRequest::Delete => "DELETE",
        }
    }

    /// Sent to a collection, rather than to one entity.
    pub fn on_collection(self) -> bool {
        matches!(self, EntityRequest::List | EntityRequest::Create)
    }

    /// Whether it is sent with the entity as its body.
    pub fn has_body(self) -> bool {
        matches!(self, EntityRequest::Create | EntityRequest::Update)
    }

    /// The entity requests a module has at its item or its collection location.
    pub fn at(collection: bool, deletable: bool) -> impl Iterator<Item = EntityRequest> {
        Self::ALL
            .into_iter()
            .filter(move |r| r.on_collection() == collection && (deletable || *r != EntityRequest::Delete))
    }
}

/// A bound action (its request body) or function (its URL parameters).
#[derive(Clone, Debug, PartialEq)]
pub struct OperationPlan {
    pub kind: crate::csdl::OperationKind,
    /// Where the struct is, its name, and its registry name in `odata_name`:
    /// `microsoft.graph.mute(microsoft.graph.call)`.
    pub link: TypeLink,
    /// `microsoft.graph.mute`.
    pub name: String,
    /// Its URL segment: unqualified in the layout's root namespace, qualified elsewhere.
    pub segment: String,
    pub binding_collection: bool,
    pub description: Option<String>,
    pub docs_url: Option<String>,
    pub fields: Vec<FieldPlan>,
    /// Indexes into `fields` of the parameters a request cannot do without.
    pub required: Vec<usize>,
    pub response: Option<ResponsePlan>,
    /// Path templates that reach it, the usual one first: its binding location's templates
    /// in their order, each followed by the segment.
    pub paths: Vec<PathPlan>,
    /// Its request type: `Mute` (`Invoke<MuteRequest>`).
    pub request_name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResponsePlan {
    pub ty: FieldType,
    /// Carried in `{"value": …}` (collections, primitives, enums).
    pub wrapped: bool,
    /// `microsoft.graph.muteParticipantOperation`, `Collection(microsoft.graph.presence)`.
    pub odata: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathPlan {
    pub template: String,
    pub keys: Vec<String>,
    /// The permissions of the operation's method on the template.
    pub permissions: Vec<crate::permissions::Grant>,
    /// What the path needs (as [`LocationVariant::gate`]).
    pub gate: Gate,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ModulePlan {
    /// Rust module path below the generated root, e.g. `["call_records"]`.
    pub path: Vec<String>,
    pub namespace: String,
    /// Sorted by Rust name.
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Struct(StructPlan),
    Enum(EnumPlan),
    Polymorphic(PolymorphicPlan),
    Requests(RequestModulePlan),
}

impl Item {
    pub fn name(&self) -> &str {
        match self {
            Item::Struct(s) => &s.link.name,
            Item::Enum(e) => &e.link.name,
            Item::Polymorphic(p) => &p.link.name,
            Item::Requests(o) => &o.name,
        }
    }
}

/// A type that tools can choose by name at run time.
#[derive(Clone, Debug, PartialEq)]
pub struct RegistryEntry {
    pub odata_name: String,
    /// The Rust type that decodes it.
    pub decoder: TypeLink,
    /// The JSON names of its properties, inherited ones first.
    pub properties: Vec<String>,
}

/// Where a generated type lives and what it stands for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypeLink {
    pub path: Vec<String>,
    pub name: String,
    /// The qualified CSDL name, e.g. `microsoft.graph.call`.
    pub odata_name: String,
    /// What it needs to be compiled: open for the types every build has.
    pub gate: Gate,
}

/// The cargo features a generated item needs: all of its groups, and any one feature of each
/// group; none for what every build has (most items). What only a gated root of the slice
/// brings in is gated by that root's feature (`virtual-events`).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gate(BTreeSet<BTreeSet<String>>);

impl Gate {
    /// Any one of `features`; open when there are none.
    pub fn any(features: &BTreeSet<String>) -> Gate {
        match features.is_empty() {
            true => Gate::default(),
            false => Gate(BTreeSet::from([features.clone()])),
        }
    }

    /// What both need.
    pub fn and(&self, other: &Gate) -> Gate {
        Gate(self.0.union(&other.0).cloned().collect())
    }

    pub fn is_open(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether what `self` needs is enough for `other`: an item gated by `other` inside one
    /// gated by `self` needs no gate of its own.
    pub fn covers(&self, other: &Gate) -> bool {
        other.0.is_subset(&self.0)
    }

    /// Its groups: each needed, by any one of its features.
    pub fn groups(&self) -> impl Iterator<Item = &BTreeSet<String>> {
        self.0.iter()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructPlan {
    pub link: TypeLink,
    pub kind: crate::csdl::StructuredKind,
    pub is_abstract: bool,
    pub is_open: bool,
    pub description: Option<String>,
    pub docs_url: Option<String>,
    pub base: Option<TypeLink>,
    /// Types of the slice derived directly from this one.
    pub derived: Vec<TypeLink>,
    /// Inherited fields first (from the root type down), each level sorted by name.
    pub fields: Vec<FieldPlan>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldPlan {
    pub name: String,
    pub json_name: String,
    /// Its constant for query options on an entity type (`Call::STATE`).
    pub constant: String,
    pub ty: FieldType,
    pub nullable: bool,
    pub navigation: Option<Navigation>,
    pub description: Option<String>,
    /// The type that declares the property, when it is inherited.
    pub inherited_from: Option<String>,
    /// For a navigation property, the struct of its target type (whose properties name the
    /// options of an `$expand`).
    pub target_struct: Option<TypeLink>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldType {
    pub item: ItemType,
    pub collection: bool,
    /// Boxed to break a cycle of single values (`a.b: B`, `b.a: A`).
    pub boxed: bool,
    /// One value or an array of them.
    pub one_or_many: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ItemType {
    Primitive(Primitive),
    /// A struct: the declared type has no derived types in the slice.
    Struct(TypeLink),
    /// The polymorphic enum of a declared type that has derived types.
    Polymorphic(TypeLink),
    Enum(TypeLink),
    /// An `IsFlags` enum type: a set of its members.
    Flags(TypeLink),
}

/// The enum of every concrete type a value declared as `declared` may be, chosen by
/// `@odata.type`. Arms hold boxed structs (their sizes differ widely, and boxes break cycles).
#[derive(Clone, Debug, PartialEq)]
pub struct PolymorphicPlan {
    pub link: TypeLink,
    pub declared: TypeLink,
    pub declared_is_abstract: bool,
    /// The declared type's own arm first, then the derived types by name.
    pub arms: Vec<ArmPlan>,
    /// The declared type's properties, which every arm has under the same names.
    pub fields: Vec<FieldPlan>,
    /// The polymorphic enums of the declared type's bases that have derived types: each holds
    /// every arm of this one (`AnyEntity` for `AnyCommsOperation`), nearest base first.
    pub views: Vec<ViewPlan>,
}

/// A wider polymorphic enum that a narrower one is a view of: every arm of the narrower one
/// (`AnyCommsOperation`) is an arm of the wider one (`AnyEntity`), which has others too.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewPlan {
    /// The wider enum.
    pub wide: TypeLink,
    /// For each arm of the narrower enum, in order, the name of the wider enum's arm of the
    /// same type.
    pub arms: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ArmPlan {
    pub name: String,
    pub ty: TypeLink,
    /// The `@odata.type` values (without `#`) that choose this arm; none for the arm of an
    /// abstract declared type, which holds values of unknown types.
    pub tags: Vec<String>,
    /// The arm for a missing or unknown tag (the declared type's).
    pub is_fallback: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumPlan {
    pub link: TypeLink,
    pub description: Option<String>,
    pub docs_url: Option<String>,
    pub is_flags: bool,
    pub variants: Vec<VariantPlan>,
    /// The variant that keeps a value the schema does not define.
    pub unknown_variant: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VariantPlan {
    pub name: String,
    pub json_name: String,
    pub value: i64,
    pub description: Option<String>,
}

/// The constant of `odata::Structured`, which property constants must not shadow.
pub const STRUCTURED_CONSTANT: &str = "ODATA_NAME";
/// The field every struct has for what the schema does not declare.
pub const EXTRAS_FIELD: &str = "extras";
/// The prefix of a polymorphic enum's name: `AnyMediaConfig`.
pub const POLYMORPHIC_PREFIX: &str = "Any";
/// The arm of an abstract declared type, for values whose type is missing or unknown.
pub const UNKNOWN_ARM: &str = "Unknown";
/// The variant every enum has for a value the schema does not define.
pub const UNKNOWN_VARIANT: &str = "Unrecognized";
/// The answer type of a stream's route.
pub const STREAM: &str = "Edm.Stream";
/// The segment of a media entity's stream.
pub const MEDIA_SEGMENT: &str = "$value";

impl Plan {
    pub fn new(model: &Model, slice: &Slice, layout: &LayoutSettings) -> Plan {
        let names = Names::new(model, slice, layout);
        let boxed = boxed_edges(model, &names);
        let mut modules: BTreeMap<Vec<String>, ModulePlan> = BTreeMap::new();
        let mut add = |namespace: &str, path: &[String], item: Item| {
            let module = modules.entry(path.to_vec()).or_insert_with(|| ModulePlan {
                path: path.to_vec(),
                namespace: namespace.to_owned(),
                items: Vec::new(),
            });
            module.items.push(item);
        };
        let mut registry = Vec::new();
        for &id in &slice.types {
            let ty = model.get(id);
            let link = &names.types[&id];
            match &ty.body {
                TypeBody::Structured(s) => {
                    let structure = plan_struct(model, &names, &boxed, id, s);
                    let fields = structure.fields.clone();
                    let properties = fields.iter().map(|f| f.json_name.clone()).collect();
                    add(&ty.name.namespace, &link.path, Item::Struct(structure));
                    let decoder = match names.polymorphic.get(&id) {
                        Some(any) => {
                            let plan = plan_polymorphic(model, &names, id, s, any.clone(), fields);
                            add(&ty.name.namespace, &any.path, Item::Polymorphic(plan));
                            any
                        }
                        None => link,
                    };
                    registry.push(RegistryEntry {
                        odata_name: ty.name.to_string(),
                        decoder: decoder.clone(),
                        properties,
                    });
                }
                TypeBody::Enum(e) => add(&ty.name.namespace, &link.path, Item::Enum(plan_enum(ty, e, link.clone()))),
            }
        }
        let nodes = paths::nodes(model, slice);
        let suffix_starts = suffix_starts(model, &nodes);
        let request_modules = plan_request_modules(model, &names, &nodes, &modules);
        let mut routes = entity_routes(model, &nodes, &request_modules);
        for (namespace, path, module) in request_modules {
            for op in &module.operations {
                if op.kind == crate::csdl::OperationKind::Action {
                    let properties = op.fields.iter().map(|f| f.json_name.clone()).collect();
                    registry.push(RegistryEntry {
                        odata_name: op.link.odata_name.clone(),
                        decoder: op.link.clone(),
                        properties,
                    });
                }
                let location = if op.binding_collection { COLLECTION_LOCATION } else { ITEM_LOCATION };
                let variants = if op.binding_collection { &module.collection } else { &module.item };
                routes.extend(op.paths.iter().zip(variants).map(|(p, variant)| RoutePlan {
                    kind: RouteKind::Operation,
                    template: p.template.clone(),
                    method: op.kind.method(),
                    request: (op.kind == crate::csdl::OperationKind::Action).then(|| op.link.odata_name.clone()),
                    response: op.response.as_ref().map(|r| r.odata.clone()),
                    permissions: Vec::new(),
                    gate: module.gate.and(&op.link.gate).and(&p.gate),
                    rust: RouteRequest {
                        module: module.path(&path),
                        name: op.request_name.clone(),
                        location,
                        variant: variant.clone(),
                        body: true,
                    },
                }));
            }
            for stream in &module.streams {
                routes.extend(stream.paths.iter().zip(&module.item).map(|(p, variant)| RoutePlan {
                    kind: RouteKind::Stream,
                    template: p.template.clone(),
                    method: "GET",
                    request: None,
                    response: Some(STREAM.to_owned()),
                    permissions: Vec::new(),
                    gate: module.gate.and(&p.gate),
                    rust: RouteRequest {
                        module: module.path(&path),
                        name: stream.request_name.clone(),
                        location: ITEM_LOCATION,
                        variant: variant.clone(),
                        body: false,
                    },
                }));
            }
            modules
                .entry(path.clone())
                .or_insert_with(|| ModulePlan { path, namespace, items: Vec::new() })
                .items
                .push(Item::Requests(module));
        }
        routes.sort();
        // One request type per method and template: an operation bound to a type and one of
        // the same name bound to a derived type reach the derived type's paths both; the first
        // (by module) serves them.
        routes.dedup_by(|a, b| (a.method, &a.template) == (b.method, &b.template));
        registry.sort_by(|a, b| a.odata_name.cmp(&b.odata_name));
        let mut modules: Vec<ModulePlan> = modules.into_values().collect();
        for module in &mut modules {
            module.items.sort_by(|a, b| a.name().cmp(b.name()));
        }
        Plan { modules, registry, routes, suffix_starts }
    }
}

/// The navigation segments of `nodes`' templates (not their entry points) that name one type
/// wherever the schema has a navigation property or an entry point of that name.
fn suffix_starts(model: &Model, nodes: &[paths::Node]) -> Vec<String> {
    let mut targets: HashMap<&str, BTreeSet<TypeId>> = HashMap::new();
    for ty in &model.types {
        let TypeBody::Structured(s) = &ty.body else { continue };
        for property in s.properties.iter().filter(|p| p.navigation.is_some()) {
            if let Some(target) = property.ty.type_id() {
                targets.entry(property.name.as_str()).or_default().insert(target);
            }
        }
    }
    for entry in &model.entry_points {
        targets.entry(entry.name.as_str()).or_default().insert(entry.ty);
    }
    let mut starts: Vec<String> = nodes
        .iter()
        .flat_map(|n| n.template.split('/').filter(|s| !s.is_empty() && !s.starts_with('{')).skip(1))
        .filter(|name| targets.get(name).is_some_and(|types| types.len() == 1))
        .map(str::to_owned)
        .collect();
    starts.sort();
    starts.dedup();
    starts
}

/// The entity requests of every node of the paths: `GET` and `POST` on collections; `GET`,
/// `PATCH` and (but on a singleton) `DELETE` on entities. Each is sent by the request type of
/// the node's own entity type.
fn entity_routes(
    model: &Model,
    nodes: &[paths::Node],
    modules: &[(String, Vec<String>, RequestModulePlan)],
) -> Vec<RoutePlan> {
    let mut routes = Vec::new();
    for node in nodes {
        let odata_name = model.get(node.ty).name.to_string();
        let Some((_, parent, module)) = modules.iter().find(|(_, _, m)| m.binding.odata_name == odata_name) else {
            continue;
        };
        let path = module.path(parent);
        let (location, variants) = match node.collection {
            true => (COLLECTION_LOCATION, &module.collection),
            false => (ITEM_LOCATION, &module.item),
        };
        let Some(variant) = variants.iter().find(|v| v.template == node.template) else { continue };
        for request in EntityRequest::at(node.collection, module.deletable) {
            let response = match request {
                EntityRequest::List => Some(format!("Collection({odata_name})")),
                EntityRequest::Delete => None,
                _ => Some(odata_name.clone()),
            };
            routes.push(RoutePlan {
                kind: RouteKind::Entity,
                template: node.template.clone(),
                method: request.method(),
                request: request.has_body().then(|| odata_name.clone()),
                response,
                permissions: Vec::new(),
                gate: module.gate.and(&variant.gate),
                rust: RouteRequest {
                    module: path.clone(),
                    name: request.name().to_owned(),
                    location,
                    variant: variant.clone(),
                    body: request.has_body(),
                },
            });
        }
    }
    routes
}

/// The variants of a location enum for `nodes`, in their order: named after the templates'
/// literal segments, keys as fields.
fn location_variants(nodes: &[&paths::Node]) -> Vec<LocationVariant> {
    let mut taken = HashSet::new();
    nodes
        .iter()
        .map(|node| {
            let literal: String = node
                .template
                .split('/')
                .filter(|s| !s.is_empty() && !s.starts_with('{'))
                .map(naming::type_name)
                .collect();
            let mut fields = HashSet::new();
            let keys = node
                .keys
                .iter()
                .map(|key| KeyPlan { key: key.clone(), field: unique(naming::field_name(key), &mut fields) })
                .collect();
            LocationVariant {
                name: unique(literal, &mut taken),
                template: node.template.clone(),
                keys,
                permissions: Vec::new(),
                gate: node_gate(node),
            }
        })
        .collect()
}

/// The request modules of the slice: one for every entity type that a path reaches or an
/// operation is bound to, with the namespace and module path of the type.
fn plan_request_modules(
    model: &Model,
    names: &Names,
    nodes: &[paths::Node],
    modules: &BTreeMap<Vec<String>, ModulePlan>,
) -> Vec<(String, Vec<String>, RequestModulePlan)> {
    // Module names already taken: the namespaces' own submodules.
    let mut taken: HashMap<Vec<String>, HashSet<String>> = HashMap::new();
    for path in modules.keys() {
        for len in 1..=path.len() {
            taken.entry(path[..len - 1].to_vec()).or_default().insert(path[len - 1].clone());
        }
    }
    let mut by_binding: BTreeMap<TypeId, Vec<OperationId>> = BTreeMap::new();
    for node in nodes {
        by_binding.entry(node.ty).or_default();
    }
    for &op in &names.slice.operations {
        if let Some(binding) = model.operations[op.0].binding.and_then(|b| b.type_id()) {
            by_binding.entry(binding).or_default().push(op);
        }
    }
    // Where the entities of a type (or of a type derived from it) are, the usual way first.
    let located = |binding: TypeRef| {
        let mut on: Vec<&paths::Node> = paths::bound_nodes(model, nodes, binding);
        // What every build has first: a gated variant never shifts an open one's index.
        on.sort_by_cached_key(|n| (node_gate(n), n.root, n.template.clone()));
        on
    };
    let root = names.root_namespace.as_str();
    let mut out = Vec::new();
    for (binding, ops) in by_binding {
        let Some(binding_link) = names.types.get(&binding).cloned() else { continue };
        let name = unique(
            naming::module_name(&model.get(binding).name.name),
            taken.entry(binding_link.path.clone()).or_default(),
        );
        let mut path = binding_link.path.clone();
        path.push(name.clone());
        let item_nodes = located(TypeRef { target: Target::Type(binding), collection: false });
        let collection_nodes = located(TypeRef { target: Target::Type(binding), collection: true });
        let mut struct_names: HashSet<String> = [ITEM_LOCATION, COLLECTION_LOCATION]
            .into_iter()
            .chain(EntityRequest::ALL.map(EntityRequest::name))
            .map(str::to_owned)
            .collect();
        let mut operations: Vec<OperationPlan> = ops
            .into_iter()
            .map(|id| {
                let op = &model.operations[id.0];
                let binding_ref = op.binding.expect("grouped by binding");
                let suffix = match op.kind {
                    crate::csdl::OperationKind::Action => "Request",
                    crate::csdl::OperationKind::Function => "Parameters",
                };
                let struct_name = unique(format!("{}{suffix}", naming::type_name(&op.name.name)), &mut struct_names);
                let binding_name = match binding_ref.collection {
                    true => format!("Collection({})", model.get(binding).name),
                    false => model.get(binding).name.to_string(),
                };
                let segment = match op.name.namespace == root {
                    true => op.name.name.clone(),
                    false => op.name.to_string(),
                };
                let mut field_names = HashSet::from([EXTRAS_FIELD.to_owned()]);
                let fields: Vec<FieldPlan> = op
                    .parameters
                    .iter()
                    .map(|p| FieldPlan {
                        name: unique(naming::field_name(&p.name), &mut field_names),
                        json_name: p.name.clone(),
                        constant: naming::constant_name(&p.name),
                        ty: FieldType {
                            item: names.item(model, p.ty.target),
                            collection: p.ty.collection,
                            boxed: false,
                            one_or_many: false,
                        },
                        nullable: p.nullable,
                        navigation: None,
                        description: p.description.clone(),
                        inherited_from: None,
                        target_struct: None,
                    })
                    .collect();
                let required = op
                    .parameters
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !p.nullable && !p.optional)
                    .map(|(i, _)| i)
                    .collect();
                let response = op.return_type.map(|r| {
                    let ty = FieldType {
                        item: names.item(model, r.ty.target),
                        collection: r.ty.collection,
                        boxed: false,
                        one_or_many: false,
                    };
                    let target = match r.ty.target {
                        Target::Type(t) => model.get(t).name.to_string(),
                        Target::Primitive(p) => p.edm_name().to_owned(),
                    };
                    let wrapped = r.ty.collection || !matches!(ty.item, ItemType::Struct(_) | ItemType::Polymorphic(_));
                    let odata = if r.ty.collection { format!("Collection({target})") } else { target };
                    ResponsePlan { ty, wrapped, odata }
                });
                let on = if binding_ref.collection { &collection_nodes } else { &item_nodes };
                let paths = on
                    .iter()
                    .map(|n| PathPlan {
                        template: format!("{}/{segment}", n.template),
                        keys: n.keys.clone(),
                        permissions: Vec::new(),
                        gate: node_gate(n),
                    })
                    .collect();
                OperationPlan {
                    kind: op.kind,
                    link: TypeLink {
                        path: path.clone(),
                        name: struct_name,
                        odata_name: format!("{}({binding_name})", op.name),
                        gate: operation_gate(names, op),
                    },
                    name: op.name.to_string(),
                    segment,
                    binding_collection: binding_ref.collection,
                    description: op.description.clone(),
                    docs_url: op.docs_url.clone(),
                    fields,
                    required,
                    response,
                    paths,
                    request_name: String::new(),
                }
            })
            .collect();
        // Request types are named after their operations once every body struct has its name.
        for op in &mut operations {
            let short = op.name.rsplit('.').next().unwrap_or(&op.name);
            op.request_name = unique(naming::type_name(short), &mut struct_names);
        }
        let namespace = model.get(binding).name.namespace.clone();
        let entity = names.polymorphic.get(&binding).unwrap_or(&binding_link).clone();
        let item = location_variants(&item_nodes);
        let collection = location_variants(&collection_nodes);
        let deletable = !item_nodes.is_empty() && item_nodes.iter().all(|n| !n.is_entry);
        let streams = match item_nodes.is_empty() {
            true => Vec::new(),
            false => plan_streams(model, binding, &item_nodes, &mut struct_names),
        };
        out.push((
            namespace,
            binding_link.path.clone(),
            RequestModulePlan {
                name,
                gate: binding_link.gate.clone(),
                binding: binding_link,
                entity,
                item,
                collection,
                deletable,
                operations,
                streams,
            },
        ));
    }
    out
}

/// The streams of the entities of `binding` at `items`: its `Edm.Stream` properties (its own
/// and its bases'), by name, then `$value` for a media entity (`HasStream`, on it or a base).
fn plan_streams(
    model: &Model,
    binding: TypeId,
    items: &[&paths::Node],
    struct_names: &mut HashSet<String>,
) -> Vec<StreamPlan> {
    let is_stream = |p: &PropertyDef| {
        p.navigation.is_none() && !p.ty.collection && p.ty.target == Target::Primitive(Primitive::Stream)
    };
    let mut streams: Vec<(String, Option<String>)> = model
        .all_properties(binding)
        .into_iter()
        .filter(|(_, p)| is_stream(p))
        .map(|(_, p)| (p.name.clone(), p.description.clone()))
        .collect();
    streams.sort();
    let media = model.lineage(binding).into_iter().any(|t| model.structured(t).is_some_and(|s| s.has_stream));
    if media {
        streams.push((MEDIA_SEGMENT.to_owned(), None));
    }
    streams
        .into_iter()
        .map(|(segment, description)| {
            let named = naming::type_name(segment.trim_start_matches('$'));
            StreamPlan {
                marker: unique(format!("{named}Stream"), struct_names),
                request_name: unique(format!("Get{named}"), struct_names),
                description,
                paths: items
                    .iter()
                    .map(|n| PathPlan {
                        template: format!("{}/{segment}", n.template),
                        keys: n.keys.clone(),
                        permissions: Vec::new(),
                        gate: node_gate(n),
                    })
                    .collect(),
                segment,
            }
        })
        .collect()
}

/// What a path through `node` needs: the feature of the gated gateway it starts from.
fn node_gate(node: &paths::Node) -> Gate {
    Gate::any(&node.feature.iter().cloned().collect())
}

/// What an operation needs: what its binding type and the types of its parameters and answer
/// need, all of it.
fn operation_gate(names: &Names, op: &OperationDef) -> Gate {
    let types =
        op.binding.iter().chain(op.parameters.iter().map(|p| &p.ty)).chain(op.return_type.iter().map(|r| &r.ty));
    types
        .filter_map(|t| t.type_id())
        .filter_map(|id| names.types.get(&id))
        .fold(Gate::default(), |gate, link| gate.and(&link.gate))
}

/// The Rust names of the slice's types.
struct Names<'a> {
    slice: &'a Slice,
    root_namespace: String,
    /// Every type of the slice.
    types: HashMap<TypeId, TypeLink>,
    /// The polymorphic enum of every structured type with derived types in the slice.
    polymorphic: HashMap<TypeId, TypeLink>,
}

impl<'a> Names<'a> {
    fn new(model: &Model, slice: &'a Slice, layout: &LayoutSettings) -> Self {
        let mut taken: HashMap<Vec<String>, HashSet<String>> = HashMap::new();
        let mut types = HashMap::new();
        // Slice order is qualified-name order, so the first of two colliding names keeps it.
        for &id in &slice.types {
            let ty = model.get(id);
            let path = module_path(&ty.name.namespace, &layout.root_namespace);
            let name = unique(naming::type_name(&ty.name.name), taken.entry(path.clone()).or_default());
            let gate = slice.gate(id).map(Gate::any).unwrap_or_default();
            types.insert(id, TypeLink { path, name, odata_name: ty.name.to_string(), gate });
        }
        // Polymorphic enums are named after every type is, so that types keep their own names.
        let mut polymorphic = HashMap::new();
        for &id in &slice.types {
            if model.structured(id).is_some() && model.descendants(id).iter().any(|d| slice.contains(*d)) {
                let base = &types[&id];
                let taken = taken.entry(base.path.clone()).or_default();
                let name = unique(format!("{POLYMORPHIC_PREFIX}{}", base.name), taken);
                polymorphic.insert(
                    id,
                    TypeLink {
                        path: base.path.clone(),
                        name,
                        odata_name: base.odata_name.clone(),
                        gate: base.gate.clone(),
                    },
                );
            }
        }
        Names { slice, root_namespace: layout.root_namespace.clone(), types, polymorphic }
    }

    /// The Rust type of a value declared as `target`.
    fn item(&self, model: &Model, target: Target) -> ItemType {
        match target {
            Target::Primitive(p) => ItemType::Primitive(p),
            // A type cut out of the slice is carried as plain JSON.
            Target::Type(id) if !self.slice.contains(id) => ItemType::Primitive(Primitive::Untyped),
            Target::Type(id) => match &model.get(id).body {
                TypeBody::Enum(e) if e.is_flags => ItemType::Flags(self.types[&id].clone()),
                TypeBody::Enum(_) => ItemType::Enum(self.types[&id].clone()),
                TypeBody::Structured(_) => match self.polymorphic.get(&id) {
                    Some(any) => ItemType::Polymorphic(any.clone()),
                    None => ItemType::Struct(self.types[&id].clone()),
                },
            },
        }
    }
}

/// `microsoft.graph.callRecords` under root `microsoft.graph` → `["call_records"]`; a namespace
/// outside the root keeps all its segments.
pub fn module_path(namespace: &str, root: &str) -> Vec<String> {
    let rest = match namespace.strip_prefix(root) {
        Some("") => return Vec::new(),
        Some(rest) if rest.starts_with('.') => &rest[1..],
        _ => namespace,
    };
    rest.split('.').map(naming::module_name).collect()
}

fn plan_struct(
    model: &Model,
    names: &Names,
    boxed: &HashSet<(TypeId, TypeId)>,
    id: TypeId,
    structured: &Structured,
) -> StructPlan {
    let links = &names.types;
    let mut taken = HashSet::from([EXTRAS_FIELD.to_owned()]);
    // Constants live beside those of the traits every struct implements.
    let mut constants = HashSet::from([STRUCTURED_CONSTANT.to_owned()]);
    let fields = model
        .all_properties(id)
        .into_iter()
        .map(|(owner, property)| {
            let boxed =
                !property.ty.collection && property.ty.type_id().is_some_and(|target| boxed.contains(&(id, target)));
            FieldPlan {
                name: unique(naming::field_name(&property.name), &mut taken),
                json_name: property.name.clone(),
                constant: unique(naming::constant_name(&property.name), &mut constants),
                ty: FieldType {
                    item: names.item(model, property.ty.target),
                    collection: property.ty.collection,
                    boxed,
                    one_or_many: property.one_or_many,
                },
                nullable: property.nullable,
                navigation: property.navigation,
                description: property.description.clone(),
                inherited_from: (owner != id).then(|| model.get(owner).name.to_string()),
                target_struct: property
                    .navigation
                    .and(property.ty.type_id())
                    .filter(|t| names.slice.contains(*t))
                    .map(|t| links[&t].clone()),
            }
        })
        .collect();
    StructPlan {
        link: links[&id].clone(),
        kind: structured.kind,
        is_abstract: structured.is_abstract,
        is_open: structured.is_open,
        description: model.get(id).description.clone(),
        docs_url: model.get(id).docs_url.clone(),
        base: structured.base.and_then(|b| links.get(&b).cloned()),
        derived: structured.derived.iter().filter_map(|d| links.get(d).cloned()).collect(),
        fields,
    }
}

fn plan_polymorphic(
    model: &Model,
    names: &Names,
    id: TypeId,
    structured: &Structured,
    link: TypeLink,
    fields: Vec<FieldPlan>,
) -> PolymorphicPlan {
    let declared = names.types[&id].clone();
    let arms = polymorphic_arms(model, names, id, structured);
    // The bases with a polymorphic enum, nearest first; their arms named as they name them.
    let mut views = Vec::new();
    let mut base = structured.base;
    while let Some(b) = base {
        let Some(b_structured) = model.structured(b) else { break };
        if let Some(wide) = names.polymorphic.get(&b) {
            let wide_arms = polymorphic_arms(model, names, b, b_structured);
            let names_in_wide: Option<Vec<String>> =
                arms.iter().map(|a| wide_arms.iter().find(|w| w.ty == a.ty).map(|w| w.name.clone())).collect();
            if let Some(arms) = names_in_wide {
                views.push(ViewPlan { wide: wide.clone(), arms });
            }
        }
        base = b_structured.base;
    }
    PolymorphicPlan { link, declared, declared_is_abstract: structured.is_abstract, arms, fields, views }
}

/// The arms of the polymorphic enum of `id`: its own (the fallback) first, then the derived
/// types in the slice by name.
fn polymorphic_arms(model: &Model, names: &Names, id: TypeId, structured: &Structured) -> Vec<ArmPlan> {
    let declared = names.types[&id].clone();
    let mut taken = HashSet::new();
    let fallback_name = if structured.is_abstract { UNKNOWN_ARM.to_owned() } else { declared.name.clone() };
    let mut arms = vec![ArmPlan {
        name: unique(fallback_name, &mut taken),
        ty: declared,
        tags: if structured.is_abstract { Vec::new() } else { model.tags(id) },
        is_fallback: true,
    }];
    let mut derived: Vec<TypeId> = model.descendants(id).into_iter().filter(|d| names.slice.contains(*d)).collect();
    derived.sort_by(|a, b| names.types[a].name.cmp(&names.types[b].name).then(a.cmp(b)));
    // Types of two namespaces can share a name (`participant`, `callRecords.participant`): the
    // arms of such types outside the root namespace take their module's name as a prefix
    // (`Participant`, `CallRecordsParticipant`), whatever the order the types come in.
    let mut counts: HashMap<&str, usize> = HashMap::from([(names.types[&id].name.as_str(), 1)]);
    for d in &derived {
        *counts.entry(names.types[d].name.as_str()).or_default() += 1;
    }
    let arm_names: Vec<String> = derived
        .iter()
        .map(|d| {
            let ty = &names.types[d];
            match counts[ty.name.as_str()] {
                1 => ty.name.clone(),
                _ => arm_name_in_module(ty),
            }
        })
        .collect();
    for (d, name) in derived.into_iter().zip(arm_names) {
        let ty = names.types[&d].clone();
        arms.push(ArmPlan { name: unique(name, &mut taken), ty, tags: model.tags(d), is_fallback: false });
    }
    arms
}

/// The arm of a type whose name another arm's type shares: its module path before its name,
/// in upper camel case (`call_records::Participant` is `CallRecordsParticipant`).
fn arm_name_in_module(ty: &TypeLink) -> String {
    let prefix: String = ty.path.iter().map(|module| naming::type_name(module.trim_start_matches("r#"))).collect();
    format!("{prefix}{}", ty.name)
}

fn plan_enum(ty: &TypeDef, enumeration: &Enumeration, link: TypeLink) -> EnumPlan {
    let mut taken = HashSet::from([UNKNOWN_VARIANT.to_owned()]);
    let variants = enumeration
        .members
        .iter()
        .map(|m| VariantPlan {
            name: unique(naming::variant_name(&m.name), &mut taken),
            json_name: m.name.clone(),
            value: m.value,
            description: m.description.clone(),
        })
        .collect();
    EnumPlan {
        link,
        description: ty.description.clone(),
        docs_url: ty.docs_url.clone(),
        is_flags: enumeration.is_flags,
        variants,
        unknown_variant: UNKNOWN_VARIANT.to_owned(),
    }
}

/// The (struct, field type) pairs that must be boxed: a single-valued struct field whose type
/// can reach back to the struct through other single-valued struct fields (same strongly
/// connected component of the "contains one" graph). Collections are indirect already, and so
/// are polymorphic values, whose arms are boxed.
fn boxed_edges(model: &Model, names: &Names) -> HashSet<(TypeId, TypeId)> {
    let inline =
        |t: &TypeId| names.slice.contains(*t) && model.structured(*t).is_some() && !names.polymorphic.contains_key(t);
    let edges: BTreeMap<TypeId, Vec<TypeId>> = names
        .slice
        .types
        .iter()
        .filter(|id| model.structured(**id).is_some())
        .map(|&id| {
            let targets = model
                .all_properties(id)
                .into_iter()
                .filter(|(_, p)| !p.ty.collection)
                .filter_map(|(_, p)| p.ty.type_id())
                .filter(inline)
                .collect();
            (id, targets)
        })
        .collect();
    let component = strongly_connected_components(&edges);
    let mut out = HashSet::new();
    for (from, targets) in &edges {
        for to in targets {
            if component[from] == component[to] {
                out.insert((*from, *to));
            }
        }
    }
    out
}

/// Tarjan's algorithm, without recursion (a hostile schema may nest deeply): node → component.
fn strongly_connected_components(edges: &BTreeMap<TypeId, Vec<TypeId>>) -> HashMap<TypeId, usize> {
    let mut index: HashMap<TypeId, usize> = HashMap::new();
    let mut low: HashMap<TypeId, usize> = HashMap::new();
    let mut on_stack = HashSet::new();
    let mut stack = Vec::new();
    let mut component = HashMap::new();
    let mut next_component = 0;
    for &start in edges.keys() {
        if index.contains_key(&start) {
            continue;
        }
        // Each frame: a node and how many of its edges were visited.
        let mut frames = vec![(start, 0usize)];
        while let Some(&mut (node, ref mut next_edge)) = frames.last_mut() {
            if *next_edge == 0 && !index.contains_key(&node) {
                let i = index.len();
                index.insert(node, i);
                low.insert(node, i);
                stack.push(node);
                on_stack.insert(node);
            }
            let targets = edges.get(&node).map_or(&[][..], Vec::as_slice);
            if let Some(&to) = targets.get(*next_edge) {
                *next_edge += 1;
                if !index.contains_key(&to) {
                    frames.push((to, 0));
                } else if on_stack.contains(&to) {
                    let to_index = index[&to];
                    let l = low.get_mut(&node).unwrap();
                    *l = (*l).min(to_index);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                let node_low = low[&node];
                let l = low.get_mut(&parent).unwrap();
                *l = (*l).min(node_low);
            }
            if low[&node] == index[&node] {
                loop {
                    let member = stack.pop().unwrap();
                    on_stack.remove(&member);
                    component.insert(member, next_component);
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csdl::read_str;
    use crate::model::slice::SliceSettings;

    fn plan(body: &str) -> Plan {
        let xml = crate::csdl::testing::graph_and_call_records(body, "participant");
        let model = resolve(&read_str("plan.xml", &xml).unwrap()).unwrap();
        let slice = Slice::select(&model, &SliceSettings { whole_schema: true, ..Default::default() }).unwrap();
        Plan::new(&model, &slice, &LayoutSettings { root_namespace: "microsoft.graph".into(), registry_feature: None })
    }

    fn item<'a>(plan: &'a Plan, path: &[&str], name: &str) -> &'a Item {
        let module = plan.modules.iter().find(|m| m.path == path).unwrap();
        module.items.iter().find(|i| i.name() == name).unwrap()
    }

    #[test]
    fn namespaces_become_modules_and_same_names_do_not_collide() {
        let plan = plan(r#"<ComplexType Name="participant"/>"#);
        assert_eq!(plan.modules.len(), 2);
        assert_eq!(plan.modules[0].path, Vec::<String>::new());
        assert_eq!(plan.modules[1].path, ["call_records"]);
        let Item::Struct(inner) = item(&plan, &["call_records"], "Participant") else { panic!() };
        let ItemType::Struct(link) = &inner.fields[0].ty.item else { panic!() };
        assert_eq!((link.path.as_slice(), link.name.as_str()), (&[][..], "Participant"));
        assert_eq!(link.odata_name, "microsoft.graph.participant");
    }

    #[test]
    fn arms_of_types_that_share_a_name_take_their_module_as_a_prefix() {
        let xml = crate::csdl::testing::edmx(&[
            (
                "microsoft.graph",
                Some("graph"),
                r#"<ComplexType Name="identity"/><ComplexType Name="userIdentity" BaseType="graph.identity"/>
<ComplexType Name="phoneIdentity" BaseType="graph.identity"/>"#,
            ),
            ("microsoft.graph.callRecords", None, r#"<ComplexType Name="userIdentity" BaseType="graph.identity"/>"#),
        ]);
        let model = resolve(&read_str("plan.xml", &xml).unwrap()).unwrap();
        let slice = Slice::select(&model, &SliceSettings { whole_schema: true, ..Default::default() }).unwrap();
        let layout = LayoutSettings { root_namespace: "microsoft.graph".into(), registry_feature: None };
        let plan = Plan::new(&model, &slice, &layout);
        let Item::Polymorphic(any) = item(&plan, &[], "AnyIdentity") else { panic!() };
        let arms: Vec<_> = any.arms.iter().map(|a| (a.name.as_str(), a.ty.odata_name.as_str())).collect();
        assert_eq!(
            arms,
            [
                ("Identity", "microsoft.graph.identity"),
                ("PhoneIdentity", "microsoft.graph.phoneIdentity"),
                ("UserIdentity", "microsoft.graph.userIdentity"),
                ("CallRecordsUserIdentity", "microsoft.graph.callRecords.userIdentity"),
            ]
        );
    }

    #[test]
    fn inherited_fields_come_first_and_keywords_and_odd_names_are_handled() {
        let plan = plan(
            r#"<ComplexType Name="participant"/>
<EntityType Name="entity"><Property Name="id" Type="Edm.String"/></EntityType>
<EntityType Name="call" BaseType="graph.entity"><Property Name="type" Type="Edm.String"/><Property Name="VTCId" Type="Edm.String"/><Property Name="extras" Type="Edm.Int64"/></EntityType>"#,
        );
        let Item::Struct(call) = item(&plan, &[], "Call") else { panic!() };
        let fields: Vec<_> = call.fields.iter().map(|f| (f.name.as_str(), f.json_name.as_str())).collect();
        assert_eq!(fields, [("id", "id"), ("vtc_id", "VTCId"), ("extras2", "extras"), ("r#type", "type")]);
        assert_eq!(call.fields[0].inherited_from.as_deref(), Some("microsoft.graph.entity"));
        assert_eq!(call.base.as_ref().unwrap().name, "Entity");
    }

    #[test]
    fn colliding_type_names_are_numbered_and_enum_variants_keep_their_json_names() {
        let plan = plan(
            r#"<ComplexType Name="participant"/><ComplexType Name="ResultInfo"/><ComplexType Name="resultInfo"/>
<EnumType Name="state"><Member Name="unrecognized" Value="1"/><Member Name="Idle" Value="0"/><Member Name="idle" Value="2"/></EnumType>"#,
        );
        assert!(
            matches!(item(&plan, &[], "ResultInfo"), Item::Struct(s) if s.link.odata_name == "microsoft.graph.ResultInfo")
        );
        assert!(
            matches!(item(&plan, &[], "ResultInfo2"), Item::Struct(s) if s.link.odata_name == "microsoft.graph.resultInfo")
        );
        let Item::Enum(state) = item(&plan, &[], "State") else { panic!() };
        let variants: Vec<_> =
            state.variants.iter().map(|v| (v.name.as_str(), v.json_name.as_str(), v.value)).collect();
        assert_eq!(variants, [("Idle", "Idle", 0), ("Unrecognized2", "unrecognized", 1), ("Idle2", "idle", 2)]);
    }

    #[test]
    fn single_valued_cycles_are_boxed_and_collections_are_not() {
        let plan = plan(
            r#"<ComplexType Name="participant"/>
<ComplexType Name="a"><Property Name="b" Type="graph.b"/><Property Name="leaf" Type="graph.leaf"/></ComplexType>
<ComplexType Name="b"><Property Name="a" Type="graph.a"/><Property Name="many" Type="Collection(graph.b)"/></ComplexType>
<ComplexType Name="leaf"><Property Name="me" Type="graph.leaf"/></ComplexType>"#,
        );
        let boxed = |name: &str| {
            let Item::Struct(s) = item(&plan, &[], name) else { panic!() };
            s.fields.iter().map(|f| (f.json_name.clone(), f.ty.boxed)).collect::<Vec<_>>()
        };
        assert_eq!(boxed("A"), [("b".to_owned(), true), ("leaf".to_owned(), false)]);
        assert_eq!(boxed("B"), [("a".to_owned(), true), ("many".to_owned(), false)]);
        assert_eq!(boxed("Leaf"), [("me".to_owned(), true)]);
    }

    #[test]
    fn module_paths() {
        assert_eq!(module_path("microsoft.graph", "microsoft.graph"), Vec::<String>::new());
        assert_eq!(module_path("microsoft.graph.callRecords", "microsoft.graph"), ["call_records"]);
        assert_eq!(module_path("microsoft.graph.partners.billing", "microsoft.graph"), ["partners", "billing"]);
        assert_eq!(module_path("microsoft.graphical", "microsoft.graph"), ["microsoft", "graphical"]);
    }
}
