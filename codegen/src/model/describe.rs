//! Descriptions from another schema: the pinned `$metadata` may lack descriptions that an
//! older file has; they are taken for the elements that did not change (same name, same type).

use super::*;
use std::collections::HashMap;

/// How many descriptions [`fill`] took, by kind of element.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filled {
    pub types: usize,
    pub properties: usize,
    pub members: usize,
    pub operations: usize,
    pub parameters: usize,
}

impl Filled {
    pub fn total(&self) -> usize {
        self.types + self.properties + self.members + self.operations + self.parameters
    }
}

/// The text of a type reference, comparable across models: `Collection(microsoft.graph.x)`.
fn type_text(model: &Model, ty: TypeRef) -> String {
    let name = match ty.target {
        Target::Primitive(p) => p.edm_name().to_owned(),
        Target::Type(id) => model.get(id).name.to_string(),
    };
    if ty.collection { format!("Collection({name})") } else { name }
}

/// Gives every element of `model` that has no description the one of the same element of
/// `source`, when it is unchanged: a type of the same name and kind; a property, parameter or
/// member of the same name (and type); an operation of the same name and binding.
pub fn fill(model: &mut Model, source: &Model) -> Filled {
    let mut filled = Filled::default();
    for i in 0..model.types.len() {
        let Some(old_id) = source.find(&model.types[i].name.to_string()) else { continue };
        let old = source.get(old_id);
        // Property types as text, computed before `model.types[i]` is borrowed mutably.
        let property_types: Vec<String> = match &model.types[i].body {
            TypeBody::Structured(s) => s.properties.iter().map(|p| type_text(model, p.ty)).collect(),
            TypeBody::Enum(_) => Vec::new(),
        };
        let old_properties: HashMap<&str, (&PropertyDef, String)> = match &old.body {
            TypeBody::Structured(s) => {
                s.properties.iter().map(|p| (p.name.as_str(), (p, type_text(source, p.ty)))).collect()
            }
            TypeBody::Enum(_) => HashMap::new(),
        };
        let ty = &mut model.types[i];
        let same_kind = matches!(
            (&ty.body, &old.body),
            (TypeBody::Structured(a), TypeBody::Structured(b)) if a.kind == b.kind
        ) || matches!((&ty.body, &old.body), (TypeBody::Enum(_), TypeBody::Enum(_)));
        if !same_kind {
            continue;
        }
        if ty.description.is_none() && old.description.is_some() {
            ty.description = old.description.clone();
            filled.types += 1;
        }
        match (&mut ty.body, &old.body) {
            (TypeBody::Structured(s), TypeBody::Structured(_)) => {
                for (property, text) in s.properties.iter_mut().zip(&property_types) {
                    if property.description.is_some() {
                        continue;
                    }
                    if let Some((old_property, old_text)) = old_properties.get(property.name.as_str())
                        && old_text == text
                        && old_property.description.is_some()
                    {
                        property.description = old_property.description.clone();
                        filled.properties += 1;
                    }
                }
            }
            (TypeBody::Enum(e), TypeBody::Enum(old_enum)) => {
                for member in e.members.iter_mut().filter(|m| m.description.is_none()) {
                    if let Some(old_member) =
                        old_enum.members.iter().find(|m| m.name == member.name && m.description.is_some())
                    {
                        member.description = old_member.description.clone();
                        filled.members += 1;
                    }
                }
            }
            _ => {}
        }
    }
    let key = |m: &Model, op: &OperationDef| (op.name.to_string(), op.binding.map(|b| type_text(m, b)));
    let old_operations: HashMap<_, &OperationDef> = source.operations.iter().map(|op| (key(source, op), op)).collect();
    let keys: Vec<_> = model.operations.iter().map(|op| key(model, op)).collect();
    let parameter_types: Vec<Vec<String>> =
        model.operations.iter().map(|op| op.parameters.iter().map(|p| type_text(model, p.ty)).collect()).collect();
    for ((op, key), types) in model.operations.iter_mut().zip(keys).zip(parameter_types) {
        let Some(old) = old_operations.get(&key) else { continue };
        if op.description.is_none() && old.description.is_some() {
            op.description = old.description.clone();
            filled.operations += 1;
        }
        for (parameter, text) in op.parameters.iter_mut().zip(types) {
            let same = old.parameters.iter().find(|p| p.name == parameter.name && type_text(source, p.ty) == text);
            if let Some(old_parameter) = same.filter(|p| p.description.is_some() && parameter.description.is_none()) {
                parameter.description = old_parameter.description.clone();
                filled.parameters += 1;
            }
        }
    }
    filled
}

/// Descriptions written as out-of-line annotations in a document that declares nothing
/// (`<Annotations Target="microsoft.graph.call/callbackUri">`), by target.
#[derive(Clone, Debug, Default)]
pub struct AnnotationTexts {
    /// `microsoft.graph.call`, `microsoft.graph.call/state`, `microsoft.graph.mute(microsoft.graph.call)/clientContext`.
    texts: HashMap<String, String>,
}

impl AnnotationTexts {
    /// The descriptions of `doc`'s annotation blocks. Targets are taken as written, qualified
    /// by namespace (an alias of another document cannot be resolved here).
    pub fn collect(doc: &crate::csdl::Document) -> Self {
        let texts = doc
            .schemas
            .iter()
            .flat_map(|s| &s.annotation_blocks)
            .filter_map(|block| {
                let target: String = block.target.split_whitespace().collect();
                Some((target, super::resolve::describe(&block.annotations)?))
            })
            .collect();
        AnnotationTexts { texts }
    }

    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    fn get(&self, target: &str) -> Option<String> {
        self.texts.get(target).cloned()
    }
}

/// Where descriptions missing from the pinned schema are taken from.
#[derive(Clone, Debug)]
pub enum DescriptionSource {
    /// Another version of the schema: descriptions of the elements that did not change.
    Schema(Box<Model>),
    /// Annotations only: descriptions of the elements of the same owner and name.
    Annotations(AnnotationTexts),
    /// The documentation pages of the API: descriptions of the types and operations that have
    /// a page, of their properties and parameters, and the pages' addresses.
    Docs(crate::docs::DocsPages),
}

impl DescriptionSource {
    /// The source a document is: annotations only when it declares no type, operation or
    /// container; otherwise a schema, resolved.
    pub fn read(doc: &crate::csdl::Document) -> Result<Self, crate::csdl::CsdlError> {
        let declares = doc.schemas.iter().any(|s| {
            !(s.entity_types.is_empty()
                && s.complex_types.is_empty()
                && s.enum_types.is_empty()
                && s.type_definitions.is_empty()
                && s.actions.is_empty()
                && s.functions.is_empty()
                && s.entity_containers.is_empty())
        });
        Ok(match declares {
            true => DescriptionSource::Schema(Box::new(super::resolve(doc)?)),
            false => DescriptionSource::Annotations(AnnotationTexts::collect(doc)),
        })
    }

    /// Gives the elements of `model` without a description the ones this source has.
    pub fn fill(&self, model: &mut Model) -> Filled {
        match self {
            DescriptionSource::Schema(source) => fill(model, source),
            DescriptionSource::Annotations(texts) => fill_from_annotations(model, texts),
            DescriptionSource::Docs(pages) => fill_from_docs(model, pages),
        }
    }
}

/// Gives an element without a description `text`, and counts it.
fn take(slot: &mut Option<String>, text: Option<String>, count: &mut usize) {
    if slot.is_none() && text.is_some() {
        *slot = text;
        *count += 1;
    }
}

/// Gives every element of `model` without a description the one `texts` has for its target:
/// the same owner and name, whatever its type.
pub fn fill_from_annotations(model: &mut Model, texts: &AnnotationTexts) -> Filled {
    let mut filled = Filled::default();
    let take = |slot: &mut Option<String>, target: &str, count: &mut usize| take(slot, texts.get(target), count);
    for ty in &mut model.types {
        let owner = ty.name.to_string();
        take(&mut ty.description, &owner, &mut filled.types);
        match &mut ty.body {
            TypeBody::Structured(s) => {
                for property in &mut s.properties {
                    take(&mut property.description, &format!("{owner}/{}", property.name), &mut filled.properties);
                }
            }
            TypeBody::Enum(e) => {
                for member in &mut e.members {
                    take(&mut member.description, &format!("{owner}/{}", member.name), &mut filled.members);
                }
            }
        }
    }
    let bindings: Vec<Option<String>> =
        model.operations.iter().map(|op| op.binding.map(|b| type_text(model, b))).collect();
    for (op, binding) in model.operations.iter_mut().zip(bindings) {
        let name = op.name.to_string();
        let target = match binding {
            Some(binding) => format!("{name}({binding})"),
            None => format!("{name}()"),
        };
        take(&mut op.description, &target, &mut filled.operations);
        take(&mut op.description, &name, &mut filled.operations);
        for parameter in &mut op.parameters {
            take(&mut parameter.description, &format!("{target}/{}", parameter.name), &mut filled.parameters);
        }
    }
    filled
}

/// Gives every type and operation that has a page in `pages` its address, and the elements
/// without a description what the page says: a type's first paragraph and its properties
/// table, an operation's first paragraph and its request body table, an enum's members in the
/// values table of a page that uses it.
pub fn fill_from_docs(model: &mut Model, pages: &crate::docs::DocsPages) -> Filled {
    let mut filled = Filled::default();
    let take = |slot: &mut Option<String>, text: Option<&String>, count: &mut usize| take(slot, text.cloned(), count);
    for ty in &mut model.types {
        // An enum's members are listed on the pages of the types that use it.
        if let TypeBody::Enum(e) = &mut ty.body
            && let Some(members) = pages.enum_members(&ty.name.to_string())
        {
            for member in &mut e.members {
                take(&mut member.description, members.get(&member.name), &mut filled.members);
            }
        }
        let Some(page) = pages.type_page(&ty.name.to_string()) else { continue };
        ty.docs_url.get_or_insert_with(|| page.url.clone());
        take(&mut ty.description, page.description.as_ref(), &mut filled.types);
        if let TypeBody::Structured(s) = &mut ty.body {
            for property in &mut s.properties {
                take(&mut property.description, page.properties.get(&property.name), &mut filled.properties);
            }
        }
    }
    let bindings: Vec<Option<String>> =
        model.operations.iter().map(|op| op.binding.map(|b| binding_name(model, b))).collect();
    for (op, binding) in model.operations.iter_mut().zip(bindings) {
        let Some(page) = pages.operation_page(&op.name.name, binding.as_deref()) else { continue };
        op.docs_url.get_or_insert_with(|| page.url.clone());
        take(&mut op.description, page.description.as_ref(), &mut filled.operations);
        for parameter in &mut op.parameters {
            take(&mut parameter.description, page.parameters.get(&parameter.name), &mut filled.parameters);
        }
    }
    filled
}

/// The short name of the type an operation is bound to (`call`), as docs titles name it.
fn binding_name(model: &Model, binding: TypeRef) -> String {
    match binding.target {
        Target::Type(id) => model.get(id).name.name.clone(),
        Target::Primitive(p) => p.edm_name().to_owned(),
    }
}

/// Of the elements of one kind in the slice: how many have a description, and how many there
/// are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Share {
    pub described: usize,
    pub all: usize,
}

impl Share {
    fn count(&mut self, has: bool) {
        self.all += 1;
        self.described += usize::from(has);
    }

    pub fn percent(&self) -> f64 {
        if self.all == 0 { 100.0 } else { 100.0 * self.described as f64 / self.all as f64 }
    }
}

/// The slice's descriptions per kind of element. Properties are counted where they are
/// declared (an inherited one once, on its type).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Coverage {
    pub types: Share,
    pub properties: Share,
    pub navigation_properties: Share,
    pub members: Share,
    pub operations: Share,
    pub parameters: Share,
    /// Of the types that have a documentation page, the described ones.
    pub types_with_page: Share,
    /// Of the operations that have a documentation page, the described ones.
    pub operations_with_page: Share,
    /// The parameters of those operations.
    pub parameters_with_page: Share,
    /// What is left undescribed: `microsoft.graph.call/state`, `microsoft.graph.mute(…)/x`.
    pub undescribed: Vec<String>,
}

impl Coverage {
    /// Every kind, in the order the summary prints them.
    pub fn kinds(&self) -> [(&'static str, Share); 6] {
        [
            ("types", self.types),
            ("properties", self.properties),
            ("navigation properties", self.navigation_properties),
            ("enum members", self.members),
            ("operations", self.operations),
            ("parameters", self.parameters),
        ]
    }

    pub fn total(&self) -> Share {
        self.kinds().iter().fold(Share::default(), |sum, (_, s)| Share {
            described: sum.described + s.described,
            all: sum.all + s.all,
        })
    }
}

/// The descriptions of the slice's elements, per kind.
pub fn coverage(model: &Model, slice: &super::slice::Slice) -> Coverage {
    let mut coverage = Coverage::default();
    let note = |has: bool, share: &mut Share, target: &dyn Fn() -> String, undescribed: &mut Vec<String>| {
        share.count(has);
        if !has {
            undescribed.push(target());
        }
    };
    for &id in &slice.types {
        let ty = model.get(id);
        let owner = ty.name.to_string();
        note(ty.description.is_some(), &mut coverage.types, &|| owner.clone(), &mut coverage.undescribed);
        if ty.docs_url.is_some() {
            coverage.types_with_page.count(ty.description.is_some());
        }
        match &ty.body {
            TypeBody::Structured(s) => {
                for p in &s.properties {
                    let share = match p.navigation {
                        Some(_) => &mut coverage.navigation_properties,
                        None => &mut coverage.properties,
                    };
                    note(p.description.is_some(), share, &|| format!("{owner}/{}", p.name), &mut coverage.undescribed);
                }
            }
            TypeBody::Enum(e) => {
                for m in &e.members {
                    let target = || format!("{owner}/{}", m.name);
                    note(m.description.is_some(), &mut coverage.members, &target, &mut coverage.undescribed);
                }
            }
        }
    }
    for op in &slice.operations {
        let op = &model.operations[op.0];
        let binding = op.binding.map(|b| type_text(model, b)).unwrap_or_default();
        let target = format!("{}({binding})", op.name);
        note(op.description.is_some(), &mut coverage.operations, &|| target.clone(), &mut coverage.undescribed);
        if op.docs_url.is_some() {
            coverage.operations_with_page.count(op.description.is_some());
            op.parameters.iter().for_each(|p| coverage.parameters_with_page.count(p.description.is_some()));
        }
        for p in &op.parameters {
            let parameter = || format!("{target}/{}", p.name);
            note(p.description.is_some(), &mut coverage.parameters, &parameter, &mut coverage.undescribed);
        }
    }
    coverage
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csdl::read_str;
    use crate::csdl::testing::graph;
    use crate::model::slice::{Slice, SliceSettings};

    fn model(body: &str) -> Model {
        resolve(&read_str("d.xml", &graph(body)).unwrap()).unwrap()
    }

    #[test]
    fn descriptions_of_unchanged_elements_are_taken() {
        let old = model(
            r#"<ComplexType Name="identity"><Annotation Term="Org.OData.Core.V1.Description" String="Who."/>
<Property Name="name" Type="Edm.String"><Annotation Term="Org.OData.Core.V1.Description" String="The name."/></Property>
<Property Name="size" Type="Edm.Int32"><Annotation Term="Org.OData.Core.V1.Description" String="Old size."/></Property></ComplexType>
<EnumType Name="state"><Member Name="on"><Annotation Term="Org.OData.Core.V1.Description" String="On."/></Member></EnumType>
<EntityType Name="call"/>
<Action Name="mute" IsBound="true"><Annotation Term="Org.OData.Core.V1.Description" String="Mutes."/>
<Parameter Name="b" Type="graph.call"/><Parameter Name="c" Type="Edm.String"><Annotation Term="Org.OData.Core.V1.Description" String="Context."/></Parameter></Action>"#,
        );
        let mut new = model(
            r#"<ComplexType Name="identity"><Property Name="name" Type="Edm.String"/><Property Name="size" Type="Edm.Int64"/>
<Property Name="extra" Type="Edm.String"/></ComplexType>
<EnumType Name="state"><Member Name="on"/><Member Name="off"/></EnumType>
<EntityType Name="call"/>
<Action Name="mute" IsBound="true"><Parameter Name="b" Type="graph.call"/><Parameter Name="c" Type="Edm.String"/></Action>"#,
        );
        let slice = Slice::select(&new, &SliceSettings { whole_schema: true, ..Default::default() }).unwrap();
        assert_eq!(coverage(&new, &slice).total(), Share { described: 0, all: 10 });
        let filled = fill(&mut new, &old);
        assert_eq!(filled, Filled { types: 1, properties: 1, members: 1, operations: 1, parameters: 1 });
        assert_eq!(filled.total(), 5);
        // `size` changed type: its old description is not taken.
        let identity = new.structured(new.find("microsoft.graph.identity").unwrap()).unwrap();
        let descriptions: Vec<_> = identity.properties.iter().map(|p| p.description.as_deref()).collect();
        assert_eq!(descriptions, [None, Some("The name."), None]);
        assert_eq!(coverage(&new, &slice).total(), Share { described: 5, all: 10 });
    }

    #[test]
    fn an_annotations_only_document_describes_elements_by_owner_and_name() {
        let annotations = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="microsoft.graph.descriptions" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<Annotations Target="microsoft.graph.identity/size"><Annotation Term="Org.OData.Core.V1.Description" String="The size."/></Annotations>
<Annotations Target="microsoft.graph.identity/name"><Annotation Term="Org.OData.Core.V1.Description" String="Not taken."/></Annotations>
<Annotations Target="microsoft.graph.state/off"><Annotation Term="Org.OData.Core.V1.Description" String="Off."/></Annotations>
<Annotations Target="microsoft.graph.mute(microsoft.graph.call)/c"><Annotation Term="Org.OData.Core.V1.Description" String="Context."/></Annotations>
<Annotations Target="microsoft.graph.nowhere/x"><Annotation Term="Org.OData.Core.V1.Description" String="No such type."/></Annotations>
</Schema></edmx:DataServices></edmx:Edmx>"#;
        let source = DescriptionSource::read(&read_str("a.xml", annotations).unwrap()).unwrap();
        let DescriptionSource::Annotations(texts) = &source else { panic!("{source:?}") };
        assert_eq!(texts.len(), 5);
        let mut new = model(
            r#"<ComplexType Name="identity"><Property Name="name" Type="Edm.String"><Annotation Term="Org.OData.Core.V1.Description" String="Own."/></Property>
<Property Name="size" Type="Edm.Int64"/></ComplexType>
<EnumType Name="state"><Member Name="on"/><Member Name="off"/></EnumType>
<EntityType Name="call"><NavigationProperty Name="peer" Type="graph.call"/></EntityType>
<Action Name="mute" IsBound="true"><Parameter Name="b" Type="graph.call"/><Parameter Name="c" Type="Edm.String"/></Action>"#,
        );
        let filled = source.fill(&mut new);
        assert_eq!(filled, Filled { types: 0, properties: 1, members: 1, operations: 0, parameters: 1 });
        let identity = new.structured(new.find("microsoft.graph.identity").unwrap()).unwrap();
        let descriptions: Vec<_> = identity.properties.iter().map(|p| p.description.as_deref()).collect();
        assert_eq!(descriptions, [Some("Own."), Some("The size.")], "the schema's own text comes first");
        let slice = Slice::select(&new, &SliceSettings { whole_schema: true, ..Default::default() }).unwrap();
        let coverage = coverage(&new, &slice);
        assert_eq!(coverage.properties, Share { described: 2, all: 2 });
        assert_eq!(coverage.navigation_properties, Share { described: 0, all: 1 });
        assert_eq!(coverage.parameters, Share { described: 1, all: 1 });
        assert!(coverage.undescribed.contains(&"microsoft.graph.call/peer".to_owned()));
        assert!(coverage.undescribed.contains(&"microsoft.graph.mute(microsoft.graph.call)".to_owned()));
        assert!(coverage.undescribed.contains(&"microsoft.graph.state/on".to_owned()));
    }
}
