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
    /// reach: `solutions = ["virtualEvents"]` makes the type of `virtualEvents` a root (with
    /// its closure), and `/solutions/virtualEvents/…` its paths. An entry point or a property
    /// the schema lacks is skipped, and noted.
    #[serde(default)]
    pub gateway_roots: BTreeMap<String, Vec<String>>,
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
    /// The gateways the schema has: an index into [`Model::entry_points`] and the names of
    /// its navigation properties to follow, sorted by entry point name.
    pub gateways: Vec<(usize, Vec<String>)>,
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
        let mut closure =
            Closure { model, excluded, no_derived, types: BTreeSet::new(), used: BTreeSet::new(), queue: Vec::new() };

        if settings.whole_schema {
            (0..model.types.len()).for_each(|i| closure.use_type(TypeId(i)));
        } else {
            for name in &settings.entry_points {
                match model.entry_points.iter().find(|e| &e.name == name) {
                    Some(entry) => closure.use_type(entry.ty),
                    None => missing_roots.push(name.clone()),
                }
            }
            if !settings.entry_points.is_empty() && missing_roots.len() == settings.entry_points.len() {
                return Err(MissingRoot(settings.entry_points.join("` or `")));
            }
            for name in &settings.types {
                closure.use_type(find(name)?);
            }
            for name in &settings.optional_types {
                match model.find(name) {
                    Some(id) => closure.use_type(id),
                    None => missing_roots.push(name.clone()),
                }
            }
            for (entry, properties) in &settings.gateway_roots {
                for property in properties {
                    match gateway_target(model, entry, property) {
                        Some(id) => closure.use_type(id),
                        None => missing_roots.push(format!("{entry}/{property}")),
                    }
                }
            }
        }

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

        // In the order of the settings (the first is where paths usually start), then the rest.
        let rank = |name: &String| settings.entry_points.iter().position(|n| n == name).unwrap_or(usize::MAX);
        let mut entry_points: Vec<usize> = (model.entry_points.iter().enumerate())
            .filter(|(_, e)| closure.types.contains(&e.ty))
            .map(|(i, _)| i)
            .collect();
        entry_points.sort_by_key(|&i| (rank(&model.entry_points[i].name), i));
        // A gateway root is a gateway too; both may name the same entry point.
        let mut by_entry: BTreeMap<&String, Vec<String>> = BTreeMap::new();
        for (name, properties) in settings.gateways.iter().chain(&settings.gateway_roots) {
            let followed = by_entry.entry(name).or_default();
            followed.extend(properties.iter().cloned());
            followed.sort();
            followed.dedup();
        }
        let gateways = by_entry
            .into_iter()
            .filter_map(|(name, properties)| {
                let index = model.entry_points.iter().position(|e| &e.name == name)?;
                Some((index, properties))
            })
            .collect();
        Ok(Slice {
            types: closure.types.into_iter().collect(),
            operations: operations.into_iter().collect(),
            entry_points,
            missing_roots,
            gateways,
        })
    }
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
}
