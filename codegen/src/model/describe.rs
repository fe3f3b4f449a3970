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

/// Schema items of the slice that have a description, and all of them: types, the properties
/// of every struct (inherited ones in each), enum members, operations and their parameters, as
/// the generated code has them.
pub fn coverage(model: &Model, slice: &super::slice::Slice) -> (usize, usize) {
    let (mut described, mut all) = (0, 0);
    let mut count = |has: bool| {
        all += 1;
        described += usize::from(has);
    };
    for &id in &slice.types {
        let ty = model.get(id);
        count(ty.description.is_some());
        match &ty.body {
            TypeBody::Structured(_) => {
                model.all_properties(id).iter().for_each(|(_, p)| count(p.description.is_some()))
            }
            TypeBody::Enum(e) => e.members.iter().for_each(|m| count(m.description.is_some())),
        }
    }
    for op in &slice.operations {
        let op = &model.operations[op.0];
        count(op.description.is_some());
        op.parameters.iter().for_each(|p| count(p.description.is_some()));
    }
    (described, all)
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
        assert_eq!(coverage(&new, &slice), (0, 10));
        let filled = fill(&mut new, &old);
        assert_eq!(filled, Filled { types: 1, properties: 1, members: 1, operations: 1, parameters: 1 });
        assert_eq!(filled.total(), 5);
        // `size` changed type: its old description is not taken.
        let identity = new.structured(new.find("microsoft.graph.identity").unwrap()).unwrap();
        let descriptions: Vec<_> = identity.properties.iter().map(|p| p.description.as_deref()).collect();
        assert_eq!(descriptions, [None, Some("The name."), None]);
        assert_eq!(coverage(&new, &slice), (5, 10));
    }
}
