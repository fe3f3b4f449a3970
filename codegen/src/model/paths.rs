//! URL paths: every way to reach an entity of the slice from a singleton or entity set through
//! containment navigation, as templates (`/communications/calls/{call-id}/participants`), and
//! through the slice's gateways (`/me/onlineMeetings`, `/users/{user-id}/presence`).

use super::slice::Slice;
use super::*;
use std::collections::{BTreeSet, HashMap, VecDeque};

/// How deep a path may go: a bound on schemas whose containment never ends.
const MAX_DEPTH: usize = 12;

/// How many paths are kept for each entity type (as one entity, and as a collection): the
/// shortest ones. The number of paths through a rich schema grows combinatorially (hundreds of
/// thousands from `drives`); a reader needs the usual ways to a resource, not all of them.
const MAX_PATHS_PER_TYPE: usize = 8;

/// A place a URL can name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Node {
    /// The rank of the entry point it starts at, in the slice's order.
    pub root: usize,
    /// `/communications/calls/{call-id}`.
    pub template: String,
    /// The key placeholders of the template, in order: `["call-id"]`.
    pub keys: Vec<String>,
    pub ty: TypeId,
    /// A collection (`/communications/calls`) rather than one entity.
    pub collection: bool,
    /// The entry point itself (`/communications`, `/communications/calls`): a singleton
    /// cannot be deleted.
    pub is_entry: bool,
    /// The cargo feature of the gated gateway it is reached through, if it is.
    pub feature: Option<String>,
}

/// A node on the way, with what the walk needs to go on from it.
struct Step {
    node: Node,
    /// The entity types of the path so far.
    chain: Vec<TypeId>,
    /// The only navigation properties to follow (a gateway's); `None`: every containment.
    only: Option<Vec<String>>,
    /// Whether the node is a path of the slice (a gateway's own nodes are not: their types
    /// are outside it).
    output: bool,
}

/// The nodes reachable from the slice's entry points through containment navigation, without
/// passing through the same entity type twice on one path, shortest first, at most
/// eight for each entity type (as an entity, and as a collection); sorted by
/// entry point, then template.
pub fn nodes(model: &Model, slice: &Slice) -> Vec<Node> {
    let mut out = Vec::new();
    let mut kept: HashMap<(TypeId, bool), usize> = HashMap::new();
    // Breadth first, so that the paths kept for a type are its shortest.
    let mut queue: VecDeque<Step> = VecDeque::new();
    let roots = slice.entry_points.iter().map(|&i| (i, None, true, None));
    let gateways = slice.gateways.iter().map(|g| (g.entry, Some(g.properties.clone()), false, g.feature.clone()));
    for (rank, (i, only, output, feature)) in roots.chain(gateways).enumerate() {
        let entry = &model.entry_points[i];
        let node = Node {
            root: rank,
            template: format!("/{}", entry.name),
            keys: Vec::new(),
            ty: entry.ty,
            collection: entry.kind == EntryPointKind::EntitySet,
            is_entry: true,
            feature,
        };
        queue.push_back(Step { node, chain: vec![entry.ty], only, output });
    }
    while let Some(Step { node, chain, only, output }) = queue.pop_front() {
        if output {
            let count = kept.entry((node.ty, node.collection)).or_default();
            if *count >= MAX_PATHS_PER_TYPE {
                continue;
            }
            *count += 1;
        }
        if node.collection {
            let key = unique_key(&key_name(model, node.ty), &node.keys);
            let mut keys = node.keys.clone();
            keys.push(key.clone());
            let item = Node {
                root: node.root,
                template: format!("{}/{{{key}}}", node.template),
                keys,
                ty: node.ty,
                collection: false,
                is_entry: false,
                feature: node.feature.clone(),
            };
            queue.push_back(Step { node: item, chain, only, output });
            if output {
                out.push(node);
            }
            continue;
        }
        if chain.len() < MAX_DEPTH {
            for (_, property) in model.all_properties(node.ty) {
                let followed = match &only {
                    Some(names) => property.navigation.is_some() && names.contains(&property.name),
                    None => property.navigation.is_some_and(|n| n.contains_target),
                };
                let Some(target) = property.ty.type_id().filter(|t| followed && slice.contains(*t)) else { continue };
                if chain.contains(&target) {
                    continue;
                }
                let child = Node {
                    root: node.root,
                    template: format!("{}/{}", node.template, property.name),
                    keys: node.keys.clone(),
                    ty: target,
                    collection: property.ty.collection,
                    is_entry: false,
                    feature: node.feature.clone(),
                };
                let mut child_chain = chain.clone();
                child_chain.push(target);
                queue.push_back(Step { node: child, chain: child_chain, only: None, output: true });
            }
        }
        if output {
            out.push(node);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// `call-id` for `microsoft.graph.call`, `callRecord-id` for `callRecords.callRecord`.
fn key_name(model: &Model, ty: TypeId) -> String {
    format!("{}-id", model.get(ty).name.name)
}

fn unique_key(key: &str, taken: &[String]) -> String {
    if !taken.iter().any(|k| k == key) {
        return key.to_owned();
    }
    (2..).map(|n| format!("{key}{n}")).find(|k| !taken.contains(k)).expect("a free key name")
}

/// The nodes an operation bound to `binding` applies to: entities (or collections, for a
/// collection binding) of the binding type or of a type derived from it.
pub fn bound_nodes<'a>(model: &Model, nodes: &'a [Node], binding: TypeRef) -> Vec<&'a Node> {
    let Some(bound) = binding.type_id() else { return Vec::new() };
    let mut types: BTreeSet<TypeId> = model.descendants(bound).into_iter().collect();
    types.insert(bound);
    nodes.iter().filter(|n| n.collection == binding.collection && types.contains(&n.ty)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csdl::read_str;
    use crate::model::slice::SliceSettings;

    const SCHEMA: &str = r#"
<EntityType Name="root"><NavigationProperty Name="calls" Type="Collection(a.call)" ContainsTarget="true"/><NavigationProperty Name="me" Type="a.user"/></EntityType>
<EntityType Name="call"><NavigationProperty Name="participants" Type="Collection(a.participant)" ContainsTarget="true"/><NavigationProperty Name="self" Type="a.call" ContainsTarget="true"/></EntityType>
<EntityType Name="participant"><NavigationProperty Name="peers" Type="Collection(a.participant)" ContainsTarget="true"/></EntityType>
<EntityType Name="user"/>
<Action Name="mute" IsBound="true"><Parameter Name="b" Type="a.participant"/></Action>
<Action Name="invite" IsBound="true"><Parameter Name="b" Type="Collection(a.participant)"/></Action>
<EntityContainer Name="s"><Singleton Name="communications" Type="a.root"/></EntityContainer>
"#;

    #[test]
    fn containment_paths_from_the_entry_points() {
        let xml = crate::csdl::testing::edmx(&[("ns", Some("a"), SCHEMA)]);
        let model = resolve(&read_str("p.xml", &xml).unwrap()).unwrap();
        let settings = SliceSettings { entry_points: vec!["communications".into()], ..Default::default() };
        let slice = Slice::select(&model, &settings).unwrap();
        let nodes = nodes(&model, &slice);
        let templates: Vec<_> = nodes.iter().map(|n| n.template.as_str()).collect();
        // `me` is not contained, and a type does not repeat on a path (`peers`, `self`).
        assert_eq!(
            templates,
            [
                "/communications",
                "/communications/calls",
                "/communications/calls/{call-id}",
                "/communications/calls/{call-id}/participants",
                "/communications/calls/{call-id}/participants/{participant-id}",
            ]
        );
        assert_eq!(nodes[4].keys, ["call-id", "participant-id"]);
        let mute = &model.operations.iter().find(|o| o.name.name == "mute").unwrap();
        let on: Vec<_> = bound_nodes(&model, &nodes, mute.binding.unwrap()).iter().map(|n| &n.template).collect();
        assert_eq!(on, ["/communications/calls/{call-id}/participants/{participant-id}"]);
        let invite = &model.operations.iter().find(|o| o.name.name == "invite").unwrap();
        let on: Vec<_> = bound_nodes(&model, &nodes, invite.binding.unwrap()).iter().map(|n| &n.template).collect();
        assert_eq!(on, ["/communications/calls/{call-id}/participants"]);
        assert_eq!(unique_key("call-id", &["call-id".into()]), "call-id2");
    }

    #[test]
    fn a_type_reached_many_ways_keeps_its_shortest_paths() {
        let navigations: String = (1..=MAX_PATHS_PER_TYPE)
            .map(|i| format!(r#"<NavigationProperty Name="way{i}" Type="Collection(a.leaf)" ContainsTarget="true"/>"#))
            .collect();
        let schema = format!(
            r#"<EntityType Name="root">{navigations}<NavigationProperty Name="deep" Type="a.middle" ContainsTarget="true"/></EntityType>
<EntityType Name="middle"><NavigationProperty Name="leaves" Type="Collection(a.leaf)" ContainsTarget="true"/></EntityType>
<EntityType Name="leaf"/>
<EntityContainer Name="s"><Singleton Name="root" Type="a.root"/></EntityContainer>"#
        );
        let xml = crate::csdl::testing::edmx(&[("ns", Some("a"), &schema)]);
        let model = resolve(&read_str("p.xml", &xml).unwrap()).unwrap();
        let slice =
            Slice::select(&model, &SliceSettings { entry_points: vec!["root".into()], ..Default::default() }).unwrap();
        let nodes = nodes(&model, &slice);
        let leaf = model.find("ns.leaf").unwrap();
        let collections: Vec<_> =
            nodes.iter().filter(|n| n.ty == leaf && n.collection).map(|n| n.template.as_str()).collect();
        // Nine ways; the eight shortest are kept (the deeper one through `middle` is not).
        let expected: Vec<String> = (1..=MAX_PATHS_PER_TYPE).map(|i| format!("/root/way{i}")).collect();
        assert_eq!(collections, expected);
    }
}
