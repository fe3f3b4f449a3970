//! The slice laid out as Rust: modules, items, fields and variants with their final names.
//!
//! This is the last stage that knows CSDL; the emitter only turns a [`Plan`] into tokens.

use super::naming::{self, unique};
use super::slice::Slice;
use super::*;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How the generated code is laid out.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutSettings {
    /// The namespace whose types sit at the top of the generated module; the others become
    /// submodules named after the rest of their namespace (`microsoft.graph.callRecords` →
    /// `call_records`).
    pub root_namespace: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Sorted by path; the root module (empty path) first.
    pub modules: Vec<ModulePlan>,
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
}

impl Item {
    pub fn name(&self) -> &str {
        match self {
            Item::Struct(s) => &s.link.name,
            Item::Enum(e) => &e.link.name,
        }
    }
}

/// Where a generated type lives and what it stands for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypeLink {
    pub path: Vec<String>,
    pub name: String,
    /// The qualified CSDL name, e.g. `microsoft.graph.call`.
    pub odata_name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructPlan {
    pub link: TypeLink,
    pub kind: crate::csdl::StructuredKind,
    pub is_abstract: bool,
    pub is_open: bool,
    pub description: Option<String>,
    pub base: Option<TypeLink>,
    /// Types of the slice derived directly from this one.
    pub derived: Vec<TypeLink>,
    /// Inherited fields first (from the root type down), each level sorted by name.
    pub fields: Vec<FieldPlan>,
    /// The name of the field that keeps undeclared properties and annotations.
    pub extras_field: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldPlan {
    pub name: String,
    pub json_name: String,
    pub ty: FieldType,
    pub nullable: bool,
    pub navigation: Option<Navigation>,
    pub description: Option<String>,
    /// The type that declares the property, when it is inherited.
    pub inherited_from: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldType {
    pub item: ItemType,
    pub collection: bool,
    /// Boxed to break a cycle of single values (`a.b: B`, `b.a: A`).
    pub boxed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ItemType {
    Primitive(Primitive),
    Type(TypeLink),
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumPlan {
    pub link: TypeLink,
    pub description: Option<String>,
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

/// The field every struct has for what the schema does not declare.
pub const EXTRAS_FIELD: &str = "extras";
/// The variant every enum has for a value the schema does not define.
pub const UNKNOWN_VARIANT: &str = "Unrecognized";

impl Plan {
    pub fn new(model: &Model, slice: &Slice, layout: &LayoutSettings) -> Plan {
        let links = type_links(model, slice, layout);
        let boxed = boxed_edges(model, slice);
        let mut modules: BTreeMap<Vec<String>, ModulePlan> = BTreeMap::new();
        for &id in &slice.types {
            let ty = model.get(id);
            let link = links[&id].clone();
            let item = match &ty.body {
                TypeBody::Structured(s) => Item::Struct(plan_struct(model, slice, &links, &boxed, id, s, link.clone())),
                TypeBody::Enum(e) => Item::Enum(plan_enum(ty, e, link.clone())),
            };
            modules
                .entry(link.path.clone())
                .or_insert_with(|| ModulePlan {
                    path: link.path.clone(),
                    namespace: ty.name.namespace.clone(),
                    items: Vec::new(),
                })
                .items
                .push(item);
        }
        let mut modules: Vec<ModulePlan> = modules.into_values().collect();
        for module in &mut modules {
            module.items.sort_by(|a, b| a.name().cmp(b.name()));
        }
        Plan { modules }
    }
}

/// Module path and unique Rust name of every type of the slice.
fn type_links(model: &Model, slice: &Slice, layout: &LayoutSettings) -> HashMap<TypeId, TypeLink> {
    let mut taken: HashMap<Vec<String>, HashSet<String>> = HashMap::new();
    let mut links = HashMap::new();
    // Slice order is qualified-name order, so the first of two colliding names keeps it.
    for &id in &slice.types {
        let ty = model.get(id);
        let path = module_path(&ty.name.namespace, &layout.root_namespace);
        let name = unique(naming::type_name(&ty.name.name), taken.entry(path.clone()).or_default());
        links.insert(id, TypeLink { path, name, odata_name: ty.name.to_string() });
    }
    links
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
    slice: &Slice,
    links: &HashMap<TypeId, TypeLink>,
    boxed: &HashSet<(TypeId, TypeId)>,
    id: TypeId,
    structured: &Structured,
    link: TypeLink,
) -> StructPlan {
    let mut taken = HashSet::from([EXTRAS_FIELD.to_owned()]);
    let fields = model
        .all_properties(id)
        .into_iter()
        .map(|(owner, property)| {
            let item = match property.ty.target {
                Target::Type(target) if slice.contains(target) => ItemType::Type(links[&target].clone()),
                // A type cut out of the slice is carried as plain JSON.
                Target::Type(_) => ItemType::Primitive(Primitive::Untyped),
                Target::Primitive(p) => ItemType::Primitive(p),
            };
            let boxed =
                !property.ty.collection && property.ty.type_id().is_some_and(|target| boxed.contains(&(id, target)));
            FieldPlan {
                name: unique(naming::field_name(&property.name), &mut taken),
                json_name: property.name.clone(),
                ty: FieldType { item, collection: property.ty.collection, boxed },
                nullable: property.nullable,
                navigation: property.navigation,
                description: property.description.clone(),
                inherited_from: (owner != id).then(|| model.get(owner).name.to_string()),
            }
        })
        .collect();
    StructPlan {
        link,
        kind: structured.kind,
        is_abstract: structured.is_abstract,
        is_open: structured.is_open,
        description: model.get(id).description.clone(),
        base: structured.base.and_then(|b| links.get(&b).cloned()),
        derived: structured.derived.iter().filter_map(|d| links.get(d).cloned()).collect(),
        fields,
        extras_field: EXTRAS_FIELD.to_owned(),
    }
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
        is_flags: enumeration.is_flags,
        variants,
        unknown_variant: UNKNOWN_VARIANT.to_owned(),
    }
}

/// The (struct, field type) pairs that must be boxed: a single-valued field whose type can
/// reach back to the struct through other single-valued fields (same strongly connected
/// component of the "contains one" graph). Collections are already indirect.
fn boxed_edges(model: &Model, slice: &Slice) -> HashSet<(TypeId, TypeId)> {
    let edges: BTreeMap<TypeId, Vec<TypeId>> = slice
        .types
        .iter()
        .filter(|id| model.structured(**id).is_some())
        .map(|&id| {
            let targets = model
                .all_properties(id)
                .into_iter()
                .filter(|(_, p)| !p.ty.collection)
                .filter_map(|(_, p)| p.ty.type_id())
                .filter(|t| slice.contains(*t) && model.structured(*t).is_some())
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
        Plan::new(&model, &slice, &LayoutSettings { root_namespace: "microsoft.graph".into() })
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
        let ItemType::Type(link) = &inner.fields[0].ty.item else { panic!() };
        assert_eq!((link.path.as_slice(), link.name.as_str()), (&[][..], "Participant"));
        assert_eq!(link.odata_name, "microsoft.graph.participant");
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
