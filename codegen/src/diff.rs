//! The schema-change report: what changed between two schemas' slices, and what each change
//! does to the generated Rust API.
//!
//! - *breaking*: code that compiled against the old models may not compile against the new
//!   ones (a type, property, member or operation removed; a type changed; a value that becomes
//!   polymorphic; a new required parameter);
//! - *additive*: new types, properties, members, operations. Under the usual convention for
//!   generated models this is a minor release, though strictly a new field breaks struct
//!   literals without `..Default::default()`, and a new variant breaks exhaustive matches;
//! - *documentation*: nullability, descriptions, and the like, which change no Rust signature.

use crate::model::slice::Slice;
use crate::model::{Model, OperationDef, Target, TypeBody, TypeId, TypeRef};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    Breaking,
    Additive,
    Documentation,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub impact: Impact,
    /// `microsoft.graph.call`, `microsoft.graph.call/state`, `microsoft.graph.mute(microsoft.graph.call)`.
    pub subject: String,
    pub what: String,
}

/// All changes, sorted by impact, then subject.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
}

impl Report {
    /// `major`, `minor` or `patch`: the version bump the changes call for.
    pub fn semver(&self) -> &'static str {
        match self.changes.iter().map(|c| c.impact).min() {
            Some(Impact::Breaking) => "major",
            Some(Impact::Additive) => "minor",
            _ => "patch",
        }
    }

    pub fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact == impact).count()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (impact, title) in [
            (Impact::Breaking, "Breaking"),
            (Impact::Additive, "Additive"),
            (Impact::Documentation, "Documentation only"),
        ] {
            let changes: Vec<&Change> = self.changes.iter().filter(|c| c.impact == impact).collect();
            if changes.is_empty() {
                continue;
            }
            writeln!(f, "{title} ({}):", changes.len())?;
            // Description changes are many and say little one by one: counted, not listed.
            let (descriptions, changes): (Vec<&Change>, Vec<&Change>) =
                changes.into_iter().partition(|c| c.what.ends_with("description changed"));
            if !descriptions.is_empty() {
                writeln!(f, "  descriptions changed on {} types and properties", descriptions.len())?;
            }
            let mut subject = "";
            for change in changes {
                if change.subject != subject {
                    subject = &change.subject;
                    writeln!(f, "  {subject}")?;
                }
                writeln!(f, "    - {}", change.what)?;
            }
            writeln!(f)?;
        }
        write!(
            f,
            "{} breaking, {} additive, {} documentation-only changes: a {} version.",
            self.count(Impact::Breaking),
            self.count(Impact::Additive),
            self.count(Impact::Documentation),
            self.semver()
        )
    }
}

/// One side of the comparison: a model and its slice.
pub struct Side<'a> {
    pub model: &'a Model,
    pub slice: &'a Slice,
}

impl Side<'_> {
    fn types(&self) -> BTreeMap<String, TypeId> {
        self.slice.types.iter().map(|&id| (self.model.get(id).name.to_string(), id)).collect()
    }

    fn type_text(&self, ty: TypeRef) -> String {
        let name = match ty.target {
            Target::Primitive(p) => p.edm_name().to_owned(),
            Target::Type(id) => self.model.get(id).name.to_string(),
        };
        if ty.collection { format!("Collection({name})") } else { name }
    }

    fn polymorphic(&self, id: TypeId) -> bool {
        self.model.structured(id).is_some() && self.model.descendants(id).iter().any(|d| self.slice.contains(*d))
    }

    fn operations(&self) -> BTreeMap<String, &OperationDef> {
        self.slice
            .operations
            .iter()
            .map(|id| {
                let op = &self.model.operations[id.0];
                let binding = op.binding.map(|b| self.type_text(b)).unwrap_or_default();
                (format!("{}({binding})", op.name), op)
            })
            .collect()
    }
}

/// What changed from `old` to `new`.
pub fn diff(old: &Side, new: &Side) -> Report {
    let mut changes = Vec::new();
    let mut push =
        |impact, subject: &str, what: String| changes.push(Change { impact, subject: subject.to_owned(), what });
    let (old_types, new_types) = (old.types(), new.types());
    for name in old_types.keys().filter(|n| !new_types.contains_key(*n)) {
        push(Impact::Breaking, name, "type removed".to_owned());
    }
    for name in new_types.keys().filter(|n| !old_types.contains_key(*n)) {
        push(Impact::Additive, name, "type added".to_owned());
    }
    for (name, &o) in &old_types {
        let Some(&n) = new_types.get(name) else { continue };
        compare_types(old, new, o, n, &mut |impact, what| push(impact, name, what));
    }
    let (old_ops, new_ops) = (old.operations(), new.operations());
    for name in old_ops.keys().filter(|n| !new_ops.contains_key(*n)) {
        push(Impact::Breaking, name, "operation removed".to_owned());
    }
    for name in new_ops.keys().filter(|n| !old_ops.contains_key(*n)) {
        push(Impact::Additive, name, "operation added".to_owned());
    }
    for (name, o) in &old_ops {
        let Some(n) = new_ops.get(name) else { continue };
        compare_operations(old, new, o, n, &mut |impact, what| push(impact, name, what));
    }
    changes.sort();
    Report { changes }
}

fn compare_types(old: &Side, new: &Side, o: TypeId, n: TypeId, push: &mut dyn FnMut(Impact, String)) {
    let (ot, nt) = (old.model.get(o), new.model.get(n));
    if ot.description != nt.description {
        push(Impact::Documentation, "description changed".to_owned());
    }
    match (&ot.body, &nt.body) {
        (TypeBody::Structured(os), TypeBody::Structured(ns)) => {
            if os.kind != ns.kind {
                push(Impact::Breaking, format!("{:?} type became {:?}", os.kind, ns.kind).to_lowercase());
            }
            let base = |side: &Side, base: Option<TypeId>| base.map(|b| side.model.get(b).name.to_string());
            let (ob, nb) = (base(old, os.base), base(new, ns.base));
            if ob != nb {
                let text = |b: &Option<String>| b.clone().unwrap_or_else(|| "no base type".to_owned());
                let what = match (&ob, &nb) {
                    (Some(ob), None) => format!(
                        "no longer derives from {ob}: its inherited properties and its place among {ob}'s derived types go"
                    ),
                    _ => format!("base type changed from {} to {}", text(&ob), text(&nb)),
                };
                push(Impact::Breaking, what);
            }
            if os.is_abstract != ns.is_abstract {
                let what = if ns.is_abstract { "became abstract" } else { "is no longer abstract" };
                push(Impact::Breaking, format!("{what} (its polymorphic enum's fallback arm changes)"));
            }
            if os.is_open != ns.is_open {
                push(Impact::Documentation, format!("open type: {} → {}", os.is_open, ns.is_open));
            }
            match (old.polymorphic(o), new.polymorphic(n)) {
                (false, true) => {
                    push(Impact::Breaking, "now has derived types: values of it become a polymorphic enum".to_owned())
                }
                (true, false) => push(
                    Impact::Breaking,
                    "no longer has derived types: values of it stop being a polymorphic enum".to_owned(),
                ),
                _ => {}
            }
            let props = |side: &Side, id| -> BTreeMap<String, (String, bool, Option<String>)> {
                side.model
                    .all_properties(id)
                    .into_iter()
                    .map(|(_, p)| (p.name.clone(), (side.type_text(p.ty), p.nullable, p.description.clone())))
                    .collect()
            };
            let (op, np) = (props(old, o), props(new, n));
            for name in op.keys().filter(|k| !np.contains_key(*k)) {
                push(Impact::Breaking, format!("property {name} removed"));
            }
            for (name, (ty, nullable, _)) in np.iter().filter(|(k, _)| !op.contains_key(*k)) {
                let null = if *nullable { "" } else { ", not nullable" };
                push(Impact::Additive, format!("property {name} added ({ty}{null})"));
            }
            for (name, (oty, onull, odesc)) in &op {
                let Some((nty, nnull, ndesc)) = np.get(name) else { continue };
                if oty != nty {
                    push(Impact::Breaking, format!("property {name}: type {oty} → {nty}"));
                }
                if onull != nnull {
                    push(Impact::Documentation, format!("property {name}: nullable {onull} → {nnull}"));
                }
                if odesc != ndesc {
                    push(Impact::Documentation, format!("property {name}: description changed"));
                }
            }
        }
        (TypeBody::Enum(oe), TypeBody::Enum(ne)) => {
            if oe.is_flags != ne.is_flags {
                push(Impact::Breaking, format!("flags: {} → {}", oe.is_flags, ne.is_flags));
            }
            let members = |e: &crate::model::Enumeration| -> BTreeSet<String> {
                e.members.iter().map(|m| m.name.clone()).collect()
            };
            let (om, nm) = (members(oe), members(ne));
            for m in om.difference(&nm) {
                push(Impact::Breaking, format!("member {m} removed"));
            }
            for m in nm.difference(&om) {
                push(Impact::Additive, format!("member {m} added"));
            }
        }
        _ => push(Impact::Breaking, "changed between enum and structured type".to_owned()),
    }
}

fn compare_operations(
    old: &Side,
    new: &Side,
    o: &OperationDef,
    n: &OperationDef,
    push: &mut dyn FnMut(Impact, String),
) {
    let params = |side: &Side, op: &OperationDef| -> BTreeMap<String, (String, bool)> {
        op.parameters.iter().map(|p| (p.name.clone(), (side.type_text(p.ty), !p.nullable && !p.optional))).collect()
    };
    let (op, np) = (params(old, o), params(new, n));
    for name in op.keys().filter(|k| !np.contains_key(*k)) {
        push(Impact::Breaking, format!("parameter {name} removed"));
    }
    for (name, (ty, required)) in np.iter().filter(|(k, _)| !op.contains_key(*k)) {
        match required {
            true => push(Impact::Breaking, format!("required parameter {name} added ({ty}): the constructor takes it")),
            false => push(Impact::Additive, format!("parameter {name} added ({ty})")),
        }
    }
    for (name, (oty, oreq)) in &op {
        let Some((nty, nreq)) = np.get(name) else { continue };
        if oty != nty {
            push(Impact::Breaking, format!("parameter {name}: type {oty} → {nty}"));
        }
        if oreq != nreq {
            let what = if *nreq { "became required" } else { "became optional" };
            push(Impact::Breaking, format!("parameter {name} {what}: the constructor changes"));
        }
    }
    let ret = |side: &Side, op: &OperationDef| op.return_type.map(|r| side.type_text(r.ty));
    let (or, nr) = (ret(old, o), ret(new, n));
    if or != nr {
        let text = |r: &Option<String>| r.clone().unwrap_or_else(|| "nothing".to_owned());
        push(Impact::Breaking, format!("returns {} → {}", text(&or), text(&nr)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csdl::read_str;
    use crate::csdl::testing::graph;
    use crate::model::resolve;
    use crate::model::slice::SliceSettings;

    fn side(body: &str) -> (Model, Slice) {
        let model = resolve(&read_str("d.xml", &graph(body)).unwrap()).unwrap();
        let slice = Slice::select(&model, &SliceSettings { whole_schema: true, ..Default::default() }).unwrap();
        (model, slice)
    }

    #[test]
    fn reports_and_classifies_changes() {
        let (om, os) = side(
            r#"<ComplexType Name="participantInfo"><Property Name="id" Type="Edm.String"/></ComplexType>
<ComplexType Name="invitationParticipantInfo" BaseType="graph.participantInfo"><Property Name="old" Type="Edm.Int32"/></ComplexType>
<EnumType Name="state"><Member Name="a"/><Member Name="b"/></EnumType>
<EntityType Name="call"/>
<Action Name="mute" IsBound="true"><Parameter Name="b" Type="graph.call"/><Parameter Name="c" Type="Edm.String"/></Action>"#,
        );
        let (nm, ns) = side(
            r#"<ComplexType Name="participantInfo"><Property Name="id" Type="Edm.String" Nullable="false"/></ComplexType>
<ComplexType Name="invitationParticipantInfo"><Property Name="old" Type="Edm.Int64"/><Property Name="hidden" Type="Edm.Boolean"/></ComplexType>
<EnumType Name="state"><Member Name="a"/><Member Name="c"/></EnumType>
<EntityType Name="call"/><ComplexType Name="extra"/>
<Action Name="mute" IsBound="true"><Parameter Name="b" Type="graph.call"/><Parameter Name="c" Type="Edm.String"/><Parameter Name="d" Type="Edm.String" Nullable="false"/></Action>"#,
        );
        let report = diff(&Side { model: &om, slice: &os }, &Side { model: &nm, slice: &ns });
        let text = report.to_string();
        for expected in [
            "microsoft.graph.invitationParticipantInfo",
            "no longer derives from microsoft.graph.participantInfo",
            "property hidden added (Edm.Boolean)",
            "property old: type Edm.Int32 → Edm.Int64",
            "property id removed",
            "member b removed",
            "member c added",
            "type added",
            "no longer has derived types: values of it stop being a polymorphic enum",
            "required parameter d added (Edm.String)",
            "property id: nullable true → false",
        ] {
            assert!(text.contains(expected), "missing `{expected}` in\n{text}");
        }
        assert_eq!(report.semver(), "major");
        assert!(text.ends_with("a major version."), "{text}");
        let same = diff(&Side { model: &om, slice: &os }, &Side { model: &om, slice: &os });
        assert_eq!((same.changes.len(), same.semver()), (0, "patch"));
    }
}
