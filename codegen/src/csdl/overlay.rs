//! Merging an overlay — our own CSDL fragment — into a document: what the service sends but
//! its `$metadata` does not declare.

use super::{Document, Schema, StructuredType};

/// The term that marks a property as holding one value or an array of them.
pub const ONE_OR_MANY: &str = "MsGraphComms.OneOrMany";

/// Adds the overlay's types and properties to `doc`. Properties the document already declares
/// are kept as they are; each such case is returned as a note.
pub fn apply(doc: &mut Document, overlay: &Document) -> Vec<String> {
    let mut notes = Vec::new();
    for patch in &overlay.schemas {
        let schema = match doc.schemas.iter_mut().position(|s| s.namespace == patch.namespace) {
            Some(i) => &mut doc.schemas[i],
            None => {
                doc.schemas.push(Schema { namespace: patch.namespace.clone(), ..Schema::default() });
                doc.schemas.last_mut().unwrap()
            }
        };
        for (patches, targets) in
            [(&patch.entity_types, &mut schema.entity_types), (&patch.complex_types, &mut schema.complex_types)]
        {
            for ty in patches {
                merge_type(&schema.namespace, targets, ty, &mut notes);
            }
        }
        schema.enum_types.extend(patch.enum_types.iter().cloned());
        schema.type_definitions.extend(patch.type_definitions.iter().cloned());
        schema.annotation_blocks.extend(patch.annotation_blocks.iter().cloned());
    }
    notes
}

fn merge_type(namespace: &str, targets: &mut Vec<StructuredType>, patch: &StructuredType, notes: &mut Vec<String>) {
    let Some(target) = targets.iter_mut().find(|t| t.name == patch.name) else {
        targets.push(patch.clone());
        return;
    };
    for property in &patch.properties {
        let declared = target.properties.iter().any(|p| p.name == property.name)
            || target.navigation_properties.iter().any(|p| p.name == property.name);
        if declared {
            notes.push(format!(
                "{namespace}.{}/{} is in the schema; the overlay's is not used",
                patch.name, property.name
            ));
        } else {
            target.properties.push(property.clone());
        }
    }
    for navigation in &patch.navigation_properties {
        if !target.navigation_properties.iter().any(|p| p.name == navigation.name) {
            target.navigation_properties.push(navigation.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csdl::read_str;
    use crate::csdl::testing::graph;

    #[test]
    fn adds_properties_and_types_and_keeps_what_the_schema_declares() {
        let mut doc = read_str(
            "schema.xml",
            &graph(
                r#"<ComplexType Name="commsNotification"><Property Name="resource" Type="Edm.Int32"/></ComplexType>"#,
            ),
        )
        .unwrap();
        let overlay = read_str(
            "overlay.xml",
            &graph(
                r#"<ComplexType Name="commsNotification"><Property Name="resource" Type="Edm.String"/>
<Property Name="resourceData" Type="graph.entity"><Annotation Term="MsGraphComms.OneOrMany" Bool="true"/></Property></ComplexType>
<ComplexType Name="extra"/>"#,
            ),
        )
        .unwrap();
        let notes = apply(&mut doc, &overlay);
        let types = &doc.schemas[0].complex_types;
        let properties: Vec<_> =
            types[0].properties.iter().map(|p| (p.name.as_str(), p.type_name.name.as_str())).collect();
        assert_eq!(properties, [("resource", "Edm.Int32"), ("resourceData", "graph.entity")]);
        assert_eq!(types[0].properties[1].annotations[0].term, ONE_OR_MANY);
        assert_eq!(types[1].name, "extra");
        assert_eq!(notes, ["microsoft.graph.commsNotification/resource is in the schema; the overlay's is not used"]);
    }
}
