//! Helpers shared by the generator's integration tests.

use roxmltree::{Document, Node};

/// The same CSDL with its elements in reverse order wherever the order carries no meaning:
/// schema items, properties, container items, annotation blocks, and enum members when they
/// all have explicit values. (Parameters stay: the first is the binding parameter; key
/// properties and implicitly valued members stay: their order is their meaning.)
pub fn reorder(xml: &str) -> String {
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let doc = Document::parse(xml).expect("test input parses");
    let mut out = String::with_capacity(xml.len());
    write_element(doc.root_element(), true, &mut out);
    out
}

fn reorderable(parent: Node, children: &[Node]) -> bool {
    match parent.tag_name().name() {
        "Schema" | "EntityType" | "ComplexType" | "EntityContainer" | "Annotations" | "EntitySet" | "Singleton" => true,
        "EnumType" => children.iter().filter(|c| c.tag_name().name() == "Member").all(|c| c.has_attribute("Value")),
        _ => false,
    }
}

fn write_element(node: Node, root: bool, out: &mut String) {
    let name = qualified(node);
    out.push('<');
    out.push_str(&name);
    if root {
        out.push_str(r#" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx""#);
    }
    if node.tag_name().name() == "Schema" {
        out.push_str(r#" xmlns="http://docs.oasis-open.org/odata/ns/edm""#);
    }
    for attribute in node.attributes() {
        out.push_str(&format!(" {}=\"{}\"", attribute.name(), escape(attribute.value())));
    }
    out.push('>');
    let mut children: Vec<Node> = node.children().filter(|c| c.is_element() || c.is_text()).collect();
    if reorderable(node, &children) {
        children.retain(|c| c.is_element());
        // Keys first wherever they are, so that an entity type still starts with its key.
        let (keys, mut rest): (Vec<Node>, Vec<Node>) = children.into_iter().partition(|c| c.tag_name().name() == "Key");
        rest.reverse();
        children = keys.into_iter().chain(rest).collect();
    }
    for child in children {
        if child.is_element() {
            write_element(child, false, out);
        } else {
            out.push_str(&escape(child.text().unwrap_or_default()));
        }
    }
    out.push_str("</");
    out.push_str(&name);
    out.push('>');
}

fn qualified(node: Node) -> String {
    let local = node.tag_name().name();
    match node.tag_name().namespace() {
        Some(ns) if ns.ends_with("/edmx") => format!("edmx:{local}"),
        _ => local.to_owned(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
