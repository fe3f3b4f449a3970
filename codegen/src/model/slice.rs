//! Which part of the model to generate.
//!
//! The slice is a closure from its roots: a type *used* somewhere (as a root, a property, a
//! parameter or a return type) brings in its properties' types, its base types and every type
//! derived from it, since a value declared as it may be any of them. A type reached *only as a
//! base* brings in its own properties but not its other derived types — otherwise
//! `microsoft.graph.entity` would drag in all of Graph. Bound operations whose binding type is
//! in the slice join it, with their parameter and return types, until nothing changes.

use super::*;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The roots and cut rules of a slice, as written in `metadata/slice.toml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SliceSettings {
    /// Singletons and entity sets (by name) whose types start the closure. Each one the schema
    /// has is used; at least one must be there (schemas of different eras have different roots).
    #[serde(default)]
    pub entry_points: Vec<String>,
    /// Types (qualified names) that start the closure.
    #[serde(default)]
    pub types: Vec<String>,
    /// Types (qualified names) that start the closure when the schema has them: roots that
    /// schemas of other eras lack, which is no error (the summary notes them).
    #[serde(default)]
    pub optional_types: Vec<String>,
    /// Types (qualified names) never brought in: a cut in the closure.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Types (qualified names) whose derived types a use does not bring in: a value declared as
    /// one of them may be any of its derived types that the slice has for other reasons.
    #[serde(default)]
    pub no_derived: Vec<String>,
    /// Every type and every bound operation of the schema; the roots are then ignored.
    #[serde(default)]
    pub whole_schema: bool,
    /// Entry points outside the slice (by name) and the navigation properties of theirs that
    /// lead into it: `me = ["onlineMeetings", "presence"]` makes `/me/onlineMeetings/{id}` a
    /// path of the slice's `onlineMeeting`. They bring no type in; an entry point or a
    /// property the schema lacks, or one whose type is not in the slice, is skipped.
    #[serde(default)]
    pub gateways: BTreeMap<String, Vec<String>>,
    /// Gateways whose navigation properties lead to a part of the area that the roots do not
    /// reach: `solutions = { properties = ["virtualEvents"], feature = "virtual-events" }`
    /// makes the type of `virtualEvents` a root (with its closure), and
    /// `/solutions/virtualEvents/…` its paths. With a `feature`, what only this root brings in
    /// compiles only with that cargo feature. An entry point or a property the schema lacks is
    /// skipped, and noted.
    #[serde(default)]
    pub gateway_roots: BTreeMap<String, GatewayRoot>,
}

/// A gateway root of the settings ([`SliceSettings::gateway_roots`]).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GatewayRoot {
    /// The navigation properties of the entry point whose types are roots.
    pub properties: Vec<String>,
    /// The cargo feature that what only they bring in needs.
    #[serde(default)]
    pub feature: Option<String>,
}

/// A gateway of the slice: an entry point outside it, the navigation properties of its to
/// follow, and the cargo feature its paths need (a gated [`GatewayRoot`]'s).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gateway {
    /// An index into [`Model::entry_points`].
    pub entry: usize,
    pub properties: Vec<String>,
    pub feature: Option<String>,
}

/// The selected types and operations, each list sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Slice {
    pub types: Vec<TypeId>,
    pub operations: Vec<OperationId>,
    /// Indexes into [`Model::entry_points`] of the entry points whose type is in the slice, in
    /// the order of the settings.
    pub entry_points: Vec<usize>,
    /// Entry points and optional root types of the settings that this schema does not have.
    pub missing_roots: Vec<String>,
    /// The gateways the schema has, the ungated ones of each entry point first, sorted by
    /// entry point name.
    pub gateways: Vec<Gateway>,
    /// The types that only gated roots bring in, with the cargo features of those roots (any
    /// of them compiles the type).
    pub gates: BTreeMap<TypeId, BTreeSet<String>>,
}

/// A root of the settings that the schema does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingRoot(pub String);

impl std::fmt::Display for MissingRoot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the schema has no `{}`, a root of the slice", self.0)
    }
}

impl std::error::Error for MissingRoot {}

impl Slice {
    pub fn contains(&self, id: TypeId) -> bool {
        self.types.binary_search(&id).is_ok()
    }

    /// Selects the slice of `model` described by `settings`.
    pub fn select(model: &Model, settings: &SliceSettings) -> Result<Slice, MissingRoot> {
        let find = |name: &String| model.find(name).ok_or_else(|| MissingRoot(name.clone()));
        let excluded = settings.exclude.iter().map(find).collect::<Result<BTreeSet<_>, _>>()?;
        let no_derived = settings.no_derived.iter().map(find).collect::<Result<BTreeSet<_>, _>>()?;
        let mut missing_roots = Vec::new();
        // The roots every build has, and those of each gated gateway root.
        let mut roots = Vec::new();
        let mut gated: Vec<(String, Vec<TypeId>)> = Vec::new();
        if settings.whole_schema {
            roots.extend((0..model.types.len()).map(TypeId));
        } else {
            for name in &settings.entry_points {
                match model.entry_points.iter().find(|e| &e.name == name) {
                    Some(entry) => roots.push(entry.ty),
                    None => missing_roots.push(name.clone()),
                }
            }
            if !settings.entry_points.is_empty() && missing_roots.len() == settings.entry_points.len() {
                return Err(MissingRoot(settings.entry_points.join("` or `")));
            }
            for name in &settings.types {
                roots.push(find(name)?);
            }
            for name in &settings.optional_types {
                match model.find(name) {
                    Some(id) => roots.push(id),
                    None => missing_roots.push(name.clone()),
                }
            }
            for (entry, root) in &settings.gateway_roots {
                for property in &root.properties {
                    let Some(id) = gateway_target(model, entry, property) else {
                        missing_roots.push(format!("{entry}/{property}"));
                        continue;
                    };
                    match &root.feature {
                        None => roots.push(id),
                        Some(feature) => gated.push((feature.clone(), vec![id])),
                    }
                }
            }
        }
        let closure = |extra: &[TypeId]| closure(model, &excluded, &no_derived, roots.iter().chain(extra).copied());
        let (base_types, base_operations) = closure(&[]);
        let (mut types, mut operations) = (base_types.clone(), base_operations.clone());
        let mut gates: BTreeMap<TypeId, BTreeSet<String>> = BTreeMap::new();
        for (feature, extra) in &gated {
            let (with, with_operations) = closure(extra);
            for &id in with.difference(&base_types) {
                gates.entry(id).or_default().insert(feature.clone());
            }
            types.extend(with);
            operations.extend(with_operations);
        }

        // In the order of the settings (the first is where paths usually start), then the rest.
        let rank = |name: &String| settings.entry_points.iter().position(|n| n == name).unwrap_or(usize::MAX);
        let mut entry_points: Vec<usize> = (model.entry_points.iter().enumerate())
            .filter(|(_, e)| base_types.contains(&e.ty))
            .map(|(i, _)| i)
            .collect();
        entry_points.sort_by_key(|&i| (rank(&model.entry_points[i].name), i));
        // A gateway root is a gateway too, gated as it is.
        let mut by_entry: BTreeMap<(&String, Option<&String>), Vec<String>> = BTreeMap::new();
        let plain = settings.gateways.iter().map(|(name, properties)| ((name, None), properties));
        let roots = settings.gateway_roots.iter().map(|(name, root)| ((name, root.feature.as_ref()), &root.properties));
        for (key, properties) in plain.chain(roots) {
            let followed = by_entry.entry(key).or_default();
            followed.extend(properties.iter().cloned());
            followed.sort();
            followed.dedup();
        }
        let gateways = by_entry
            .into_iter()
            .filter_map(|((name, feature), properties)| {
                let entry = model.entry_points.iter().position(|e| &e.name == name)?;
                Some(Gateway { entry, properties, feature: feature.cloned() })
            })
            .collect();
        Ok(Slice {
            types: types.into_iter().collect(),
            operations: operations.into_iter().collect(),
            entry_points,
            missing_roots,
            gateways,
            gates,
        })
    }

    /// The cargo features any of which compiles the type `id`: none for a type every build has.
    pub fn gate(&self, id: TypeId) -> Option<&BTreeSet<String>> {
        self.gates.get(&id)
    }
}

/// The closure of `roots`: the types they bring in, and the bound operations of those types
/// with what they bring in, until nothing changes.
fn closure(
    model: &Model,
    excluded: &BTreeSet<TypeId>,
    no_derived: &BTreeSet<TypeId>,
    roots: impl Iterator<Item = TypeId>,
) -> (BTreeSet<TypeId>, BTreeSet<OperationId>) {
    let mut closure = Closure {
        model,
        excluded: excluded.clone(),
        no_derived: no_derived.clone(),
        types: BTreeSet::new(),
        used: BTreeSet::new(),
        queue: Vec::new(),
    };
    roots.for_each(|id| closure.use_type(id));
    let mut operations = BTreeSet::new();
    loop {
        closure.drain();
        let before = operations.len();
        for (i, op) in model.operations.iter().enumerate() {
            let bound_here = op.binding.and_then(|b| b.type_id()).is_some_and(|id| closure.types.contains(&id));
            if bound_here && operations.insert(OperationId(i)) {
                let types = op.parameters.iter().map(|p| p.ty).chain(op.return_type.map(|r| r.ty));
                types.filter_map(|t| t.type_id()).for_each(|id| closure.use_type(id));
            }
        }
        if operations.len() == before && closure.queue.is_empty() {
            break;
        }
    }
    (closure.types, operations)
}

/// The type the navigation property `property` of the entry point `entry` leads to.
fn gateway_target(model: &Model, entry: &str, property: &str) -> Option<TypeId> {
    let entry = model.entry_points.iter().find(|e| e.name == entry)?;
    let (_, found) = model.all_properties(entry.ty).into_iter().find(|(_, p)| p.name == property)?;
    found.navigation.as_ref()?;
    found.ty.type_id()
}

struct Closure<'a> {
    model: &'a Model,
    excluded: BTreeSet<TypeId>,
    no_derived: BTreeSet<TypeId>,
    /// Everything in the slice so far.
    types: BTreeSet<TypeId>,
    /// Types used as values (their derived types are in too), as opposed to reached only as bases.
    used: BTreeSet<TypeId>,
    /// Types in the slice whose properties and bases are still to walk.
    queue: Vec<TypeId>,
}

impl Closure<'_> {
    fn add(&mut self, id: TypeId) {
        if !self.excluded.contains(&id) && self.types.insert(id) {
            self.queue.push(id);
        }
    }

    fn use_type(&mut self, id: TypeId) {
        if self.excluded.contains(&id) || !self.used.insert(id) {
            return;
        }
        self.add(id);
        if self.no_derived.contains(&id) {
            return;
        }
        for derived in self.model.descendants(id) {
            self.used.insert(derived);
            self.add(derived);
        }
    }

    fn drain(&mut self) {
        while let Some(id) = self.queue.pop() {
            let Some(structured) = self.model.structured(id) else {
                continue;
            };
            if let Some(base) = structured.base {
                self.add(base);
            }
            for property in &structured.properties {
                if let Some(target) = property.ty.type_id() {
                    self.use_type(target);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csdl::read_str;

    fn model(body: &str) -> Model {
        let xml = crate::csdl::testing::edmx(&[("ns", Some("a"), body)]);
        resolve(&read_str("slice.xml", &xml).unwrap()).unwrap()
    }

    fn names(model: &Model, ids: &[TypeId]) -> Vec<String> {
        ids.iter().map(|id| model.get(*id).name.name.clone()).collect()
    }

    const SCHEMA: &str = r#"
<EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<EntityType Name="root"><NavigationProperty Name="calls" Type="Collection(a.call)" ContainsTarget="true"/></EntityType>
<EntityType Name="call" BaseType="a.entity"><Property Name="source" Type="a.info"/><Property Name="state" Type="a.state"/></EntityType>
<EntityType Name="user" BaseType="a.entity"><Property Name="photo" Type="a.photo"/></EntityType>
<ComplexType Name="info" Abstract="true"/>
<ComplexType Name="invitationInfo" BaseType="a.info"><Property Name="extra" Type="a.extra"/></ComplexType>
<ComplexType Name="extra"/>
<ComplexType Name="photo"/>
<ComplexType Name="muteResult"/>
<ComplexType Name="unrelated"/>
<EnumType Name="state"><Member Name="idle"/></EnumType>
<Action Name="mute" IsBound="true"><Parameter Name="bindingParameter" Type="a.call"/><ReturnType Type="a.muteResult"/></Action>
<Action Name="block" IsBound="true"><Parameter Name="bindingParameter" Type="a.user"/></Action>
<EntityContainer Name="service"><Singleton Name="communications" Type="a.root"/><EntitySet Name="users" EntityType="a.user"/></EntityContainer>
"#;

    #[test]
    fn closure_follows_properties_bases_derived_types_and_operations() {
        let model = model(SCHEMA);
        let settings = SliceSettings { entry_points: vec!["communications".into()], ..Default::default() };
        let slice = Slice::select(&model, &settings).unwrap();
        // `entity` is in as a base, but its other derived type `user` is not.
        assert_eq!(
            names(&model, &slice.types),
            ["call", "entity", "extra", "info", "invitationInfo", "muteResult", "root", "state"]
        );
        let ops: Vec<_> = slice.operations.iter().map(|o| model.operations[o.0].name.name.as_str()).collect();
        assert_eq!(ops, ["mute"]);
        assert_eq!(slice.entry_points.len(), 1);
    }

    #[test]
    fn entry_points_the_schema_lacks_are_skipped_and_reported() {
        let model = model(SCHEMA);
        let settings =
            SliceSettings { entry_points: vec!["app".into(), "communications".into()], ..Default::default() };
        let slice = Slice::select(&model, &settings).unwrap();
        assert!(slice.contains(model.find("ns.call").unwrap()));
        assert_eq!(slice.missing_roots, ["app"]);
    }

    #[test]
    fn optional_root_types_are_used_when_the_schema_has_them() {
        let model = model(SCHEMA);
        let settings = SliceSettings {
            types: vec!["ns.state".into()],
            optional_types: vec!["ns.user".into(), "ns.newer".into()],
            ..Default::default()
        };
        let slice = Slice::select(&model, &settings).unwrap();
        assert!(slice.contains(model.find("ns.user").unwrap()));
        assert_eq!(slice.missing_roots, ["ns.newer"]);
        // A required root type the schema lacks is still an error.
        let required = SliceSettings { types: vec!["ns.newer".into()], ..Default::default() };
        assert_eq!(Slice::select(&model, &required), Err(MissingRoot("ns.newer".into())));
    }

    #[test]
    fn no_derived_types_keep_a_base_from_bringing_in_its_derived_types() {
        let model = model(SCHEMA);
        let settings =
            SliceSettings { types: vec!["ns.info".into()], no_derived: vec!["ns.info".into()], ..Default::default() };
        let slice = Slice::select(&model, &settings).unwrap();
        assert!(slice.contains(model.find("ns.info").unwrap()));
        assert!(!slice.contains(model.find("ns.invitationInfo").unwrap()));
    }

    #[test]
    fn exclusions_cut_the_closure() {
        let model = model(SCHEMA);
        let settings = SliceSettings {
            entry_points: vec!["communications".into()],
            exclude: vec!["ns.invitationInfo".into()],
            ..Default::default()
        };
        let slice = Slice::select(&model, &settings).unwrap();
        assert!(!slice.contains(model.find("ns.invitationInfo").unwrap()));
        assert!(!slice.contains(model.find("ns.extra").unwrap()));
    }

    #[test]
    fn whole_schema_takes_everything() {
        let model = model(SCHEMA);
        let slice = Slice::select(&model, &SliceSettings { whole_schema: true, ..Default::default() }).unwrap();
        assert_eq!(slice.types.len(), model.types.len());
        assert_eq!(slice.operations.len(), 2);
    }

    #[test]
    fn a_missing_root_is_an_error() {
        let model = model(SCHEMA);
        let settings = SliceSettings { entry_points: vec!["nowhere".into()], ..Default::default() };
        assert_eq!(Slice::select(&model, &settings), Err(MissingRoot("nowhere".into())));
        let settings = SliceSettings { types: vec!["ns.nothing".into()], ..Default::default() };
        assert_eq!(
            Slice::select(&model, &settings).unwrap_err().to_string(),
            "the schema has no `ns.nothing`, a root of the slice"
        );
    }

    #[test]
    fn what_only_a_gated_root_brings_in_is_gated_by_its_feature() {
        let schema = format!(
            "{SCHEMA}{}",
            r#"
<EntityType Name="solutions"><NavigationProperty Name="events" Type="Collection(a.event)" ContainsTarget="true"/><NavigationProperty Name="other" Type="a.unrelated"/></EntityType>
<EntityType Name="event" BaseType="a.entity"><Property Name="host" Type="a.extra"/><Property Name="source" Type="a.info"/><Property Name="kind" Type="a.kind"/></EntityType>
<EnumType Name="kind"><Member Name="webinar"/></EnumType>
<Action Name="publish" IsBound="true"><Parameter Name="bindingParameter" Type="a.event"/><ReturnType Type="a.photo"/></Action>
<EntityContainer Name="more"><Singleton Name="solutions" Type="a.solutions"/></EntityContainer>
"#
        );
        let model = model(&schema);
        let gated = GatewayRoot { properties: vec!["events".into()], feature: Some("events".into()) };
        let settings = SliceSettings {
            entry_points: vec!["communications".into()],
            gateway_roots: BTreeMap::from([("solutions".into(), gated)]),
            ..Default::default()
        };
        let slice = Slice::select(&model, &settings).unwrap();
        let gated: Vec<TypeId> = slice.gates.keys().copied().collect();
        // `extra` comes with the open roots too (an invitation's); `photo` only through
        // `publish`, an operation of the gated type.
        assert_eq!(names(&model, &gated), ["event", "kind", "photo"]);
        assert!(slice.gates.values().all(|features| features == &BTreeSet::from(["events".to_owned()])));
        let open: Vec<TypeId> = slice.types.iter().copied().filter(|id| slice.gate(*id).is_none()).collect();
        assert!(names(&model, &open).contains(&"extra".to_owned()));
        assert!(!names(&model, &slice.types).contains(&"unrelated".to_owned()), "only `events` is followed");
        assert_eq!(slice.gateways.len(), 1);
        assert_eq!(slice.gateways[0].feature.as_deref(), Some("events"));
        assert_eq!(slice.gateways[0].properties, ["events"]);
    }
}
