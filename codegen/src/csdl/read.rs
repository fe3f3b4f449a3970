//! roxmltree → [`Document`], element by element, keeping positions.

use super::*;
use roxmltree::Node;

/// Reads a CSDL file. `display` is the name used in error messages.
pub fn read_file(path: &std::path::Path) -> Result<Document> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|err| CsdlError {
        location: Location { file: display.clone(), pos: Pos::default(), element: "file".into() },
        message: format!("cannot read: {err}"),
    })?;
    read_str(&display, &text)
}

/// Reads CSDL text. `file` names the source in error messages.
pub fn read_str(file: &str, text: &str) -> Result<Document> {
    // A UTF-8 byte-order mark is allowed before the XML declaration (Graph's files have one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() };
    let xml = roxmltree::Document::parse_with_options(text, options).map_err(|err| {
        let pos = err.pos();
        CsdlError {
            location: Location {
                file: file.to_owned(),
                pos: Pos { line: pos.row, col: pos.col },
                element: "XML".into(),
            },
            message: format!("not well-formed XML: {err}"),
        }
    })?;
    let reader = Reader { file, lines: LineIndex::new(text) };
    reader.document(xml.root_element())
}

/// Byte offset → line/column in O(log n + 1 KiB), whatever the order of the questions and the
/// length of the lines (roxmltree's own lookup scans from the start; a minified file is one
/// line of many megabytes). Columns count characters: the bytes that do not continue one.
struct LineIndex<'a> {
    text: &'a [u8],
    starts: Vec<usize>,
    /// Characters before each multiple of [`CHECKPOINT`] bytes.
    checkpoints: Vec<usize>,
}

const CHECKPOINT: usize = 1024;

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let text = text.as_bytes();
        let checkpoints = std::iter::once(0)
            .chain(text.chunks(CHECKPOINT).scan(0, |chars, chunk| {
                *chars += count_chars(chunk);
                Some(*chars)
            }))
            .collect();
        LineIndex { text, starts, checkpoints }
    }

    /// Characters in the text before `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let checkpoint = offset / CHECKPOINT;
        self.checkpoints[checkpoint] + count_chars(&self.text[checkpoint * CHECKPOINT..offset])
    }

    fn pos(&self, offset: usize) -> Pos {
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let col = self.chars_before(offset) - self.chars_before(self.starts[line]) + 1;
        Pos { line: line as u32 + 1, col: col as u32 }
    }
}

fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

struct Reader<'a> {
    file: &'a str,
    lines: LineIndex<'a>,
}

type Result<T> = std::result::Result<T, CsdlError>;

impl Reader<'_> {
    fn pos(&self, node: Node) -> Pos {
        self.lines.pos(node.range().start)
    }

    fn error(&self, node: Node, message: impl Into<String>) -> CsdlError {
        CsdlError {
            location: Location { file: self.file.to_owned(), pos: self.pos(node), element: label(node) },
            message: message.into(),
        }
    }

    fn required<'n>(&self, node: Node<'n, '_>, attribute: &str) -> Result<&'n str> {
        node.attribute(attribute).ok_or_else(|| self.error(node, format!("missing attribute `{attribute}`")))
    }

    fn name(&self, node: Node) -> Result<String> {
        let name = self.required(node, "Name")?;
        if !is_name(name) {
            return Err(self.error(node, format!("`{name}` is not a valid CSDL name")));
        }
        Ok(name.to_owned())
    }

    fn boolean(&self, node: Node, attribute: &str, default: bool) -> Result<bool> {
        match node.attribute(attribute) {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(other) => {
                Err(self.error(node, format!("attribute `{attribute}` must be `true` or `false`, not `{other}`")))
            }
        }
    }

    fn type_name(&self, node: Node, attribute: &str) -> Result<TypeName> {
        let text = self.required(node, attribute)?;
        TypeName::parse(text).ok_or_else(|| self.error(node, format!("`{text}` is not a type name (`{attribute}`)")))
    }

    fn qualified_name(&self, node: Node, attribute: &str) -> Result<String> {
        let type_name = self.type_name(node, attribute)?;
        if type_name.collection {
            return Err(self.error(node, format!("`{attribute}` cannot be a collection")));
        }
        Ok(type_name.name)
    }

    fn document(&self, root: Node) -> Result<Document> {
        if root.tag_name().name() != "Edmx" {
            return Err(self.error(root, "not a CSDL document: the root element must be `edmx:Edmx`"));
        }
        let mut schemas = Vec::new();
        for data_services in elements(root).filter(|n| n.tag_name().name() == "DataServices") {
            for node in elements(data_services) {
                if node.tag_name().name() == "Schema" {
                    schemas.push(self.schema(node)?);
                }
            }
        }
        if schemas.is_empty() {
            return Err(self.error(root, "no `Schema` element under `edmx:DataServices`"));
        }
        Ok(Document { file: self.file.to_owned(), schemas })
    }

    fn schema(&self, node: Node) -> Result<Schema> {
        let namespace = self.required(node, "Namespace")?;
        if !namespace.split('.').all(is_name) {
            return Err(self.error(node, format!("`{namespace}` is not a valid namespace")));
        }
        let mut schema = Schema {
            namespace: namespace.to_owned(),
            alias: node.attribute("Alias").map(str::to_owned),
            pos: self.pos(node),
            ..Schema::default()
        };
        for child in elements(node) {
            match child.tag_name().name() {
                "EntityType" => schema.entity_types.push(self.structured(child, StructuredKind::Entity)?),
                "ComplexType" => schema.complex_types.push(self.structured(child, StructuredKind::Complex)?),
                "EnumType" => schema.enum_types.push(self.enum_type(child)?),
                "TypeDefinition" => schema.type_definitions.push(TypeDefinition {
                    name: self.name(child)?,
                    underlying_type: self.qualified_name(child, "UnderlyingType")?,
                    annotations: self.annotations(child)?,
                    pos: self.pos(child),
                }),
                "Action" => schema.actions.push(self.operation(child, OperationKind::Action)?),
                "Function" => schema.functions.push(self.operation(child, OperationKind::Function)?),
                "EntityContainer" => schema.entity_containers.push(self.container(child)?),
                "Annotations" => schema.annotation_blocks.push(AnnotationBlock {
                    target: self.required(child, "Target")?.to_owned(),
                    annotations: self.annotations(child)?,
                    pos: self.pos(child),
                }),
                // Terms, inline schema annotations and anything newer carry nothing the models need.
                _ => {}
            }
        }
        Ok(schema)
    }

    fn structured(&self, node: Node, kind: StructuredKind) -> Result<StructuredType> {
        let mut ty = StructuredType {
            kind,
            name: self.name(node)?,
            base_type: match node.attribute("BaseType") {
                Some(_) => Some(self.qualified_name(node, "BaseType")?),
                None => None,
            },
            is_abstract: self.boolean(node, "Abstract", false)?,
            is_open: self.boolean(node, "OpenType", false)?,
            has_stream: self.boolean(node, "HasStream", false)?,
            key: Vec::new(),
            properties: Vec::new(),
            navigation_properties: Vec::new(),
            annotations: self.annotations(node)?,
            pos: self.pos(node),
        };
        for child in elements(node) {
            match child.tag_name().name() {
                "Key" => {
                    for key in elements(child).filter(|n| n.tag_name().name() == "PropertyRef") {
                        ty.key.push(self.required(key, "Name")?.to_owned());
                    }
                }
                "Property" => ty.properties.push(Property {
                    name: self.name(child)?,
                    type_name: self.type_name(child, "Type")?,
                    nullable: self.boolean(child, "Nullable", true)?,
                    default_value: child.attribute("DefaultValue").map(str::to_owned),
                    annotations: self.annotations(child)?,
                    pos: self.pos(child),
                }),
                "NavigationProperty" => ty.navigation_properties.push(NavigationProperty {
                    name: self.name(child)?,
                    type_name: self.type_name(child, "Type")?,
                    nullable: self.boolean(child, "Nullable", true)?,
                    contains_target: self.boolean(child, "ContainsTarget", false)?,
                    partner: child.attribute("Partner").map(str::to_owned),
                    annotations: self.annotations(child)?,
                    pos: self.pos(child),
                }),
                _ => {}
            }
        }
        Ok(ty)
    }

    fn enum_type(&self, node: Node) -> Result<EnumType> {
        let mut members = Vec::new();
        for child in elements(node).filter(|n| n.tag_name().name() == "Member") {
            let value = match child.attribute("Value") {
                None => None,
                Some(text) => Some(
                    text.trim()
                        .parse::<i64>()
                        .map_err(|_| self.error(child, format!("member value `{text}` is not an integer")))?,
                ),
            };
            members.push(EnumMember {
                name: self.name(child)?,
                value,
                annotations: self.annotations(child)?,
                pos: self.pos(child),
            });
        }
        Ok(EnumType {
            name: self.name(node)?,
            underlying_type: node.attribute("UnderlyingType").map(str::to_owned),
            is_flags: self.boolean(node, "IsFlags", false)?,
            members,
            annotations: self.annotations(node)?,
            pos: self.pos(node),
        })
    }

    fn operation(&self, node: Node, kind: OperationKind) -> Result<Operation> {
        let mut operation = Operation {
            kind,
            name: self.name(node)?,
            is_bound: self.boolean(node, "IsBound", false)?,
            is_composable: self.boolean(node, "IsComposable", false)?,
            entity_set_path: node.attribute("EntitySetPath").map(str::to_owned),
            parameters: Vec::new(),
            return_type: None,
            annotations: self.annotations(node)?,
            pos: self.pos(node),
        };
        for child in elements(node) {
            match child.tag_name().name() {
                "Parameter" => operation.parameters.push(Parameter {
                    name: self.name(child)?,
                    type_name: self.type_name(child, "Type")?,
                    nullable: self.boolean(child, "Nullable", true)?,
                    annotations: self.annotations(child)?,
                    pos: self.pos(child),
                }),
                "ReturnType" => {
                    if operation.return_type.is_some() {
                        return Err(self.error(child, "a second `ReturnType`"));
                    }
                    operation.return_type = Some(ReturnType {
                        type_name: self.type_name(child, "Type")?,
                        nullable: self.boolean(child, "Nullable", true)?,
                        pos: self.pos(child),
                    });
                }
                _ => {}
            }
        }
        if operation.is_bound && operation.parameters.is_empty() {
            return Err(self.error(node, "a bound operation needs a binding parameter"));
        }
        Ok(operation)
    }

    fn container(&self, node: Node) -> Result<EntityContainer> {
        let mut container = EntityContainer { name: self.name(node)?, pos: self.pos(node), ..Default::default() };
        for child in elements(node) {
            match child.tag_name().name() {
                "EntitySet" => container.entity_sets.push(EntitySet {
                    name: self.name(child)?,
                    entity_type: self.qualified_name(child, "EntityType")?,
                    navigation_bindings: self.navigation_bindings(child)?,
                    annotations: self.annotations(child)?,
                    pos: self.pos(child),
                }),
                "Singleton" => container.singletons.push(Singleton {
                    name: self.name(child)?,
                    type_name: self.qualified_name(child, "Type")?,
                    navigation_bindings: self.navigation_bindings(child)?,
                    annotations: self.annotations(child)?,
                    pos: self.pos(child),
                }),
                _ => {}
            }
        }
        Ok(container)
    }

    fn navigation_bindings(&self, node: Node) -> Result<Vec<NavigationBinding>> {
        elements(node)
            .filter(|n| n.tag_name().name() == "NavigationPropertyBinding")
            .map(|n| {
                Ok(NavigationBinding {
                    path: self.required(n, "Path")?.to_owned(),
                    target: self.required(n, "Target")?.to_owned(),
                })
            })
            .collect()
    }

    /// The `<Annotation>` children of an element, with their constant value when they have one.
    fn annotations(&self, node: Node) -> Result<Vec<Annotation>> {
        const CONSTANTS: [&str; 8] =
            ["String", "Bool", "Int", "Decimal", "Float", "Date", "DateTimeOffset", "EnumMember"];
        let mut annotations = Vec::new();
        for child in elements(node).filter(|n| n.tag_name().name() == "Annotation") {
            let term = self.required(child, "Term")?.to_owned();
            let value = CONSTANTS.iter().find_map(|attr| child.attribute(*attr)).map(str::to_owned).or_else(|| {
                // The value may also be written as a child element: `<String>…</String>`.
                elements(child)
                    .find(|n| CONSTANTS.contains(&n.tag_name().name()))
                    .map(|n| n.text().unwrap_or_default().to_owned())
            });
            annotations.push(Annotation { term, value, pos: self.pos(child) });
        }
        Ok(annotations)
    }
}

fn elements<'a, 'input>(node: Node<'a, 'input>) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children().filter(Node::is_element)
}

/// `<Property Name="state">`: how an element is named in error messages.
fn label(node: Node) -> String {
    let tag = node.tag_name().name();
    match ["Name", "Namespace", "Target", "Term"].iter().find_map(|a| node.attribute(*a).map(|v| (a, v))) {
        Some((attribute, value)) => format!("<{tag} {attribute}=\"{value}\">"),
        None => format!("<{tag}>"),
    }
}

/// A name that can stand in a qualified name or a path. CSDL's SimpleIdentifier is stricter
/// (letters, digits, `_`), but Graph publishes names such as `request-id`, so anything without
/// whitespace or a separator (`.`, `/`, `(`, `)`, `,`) is read.
fn is_name(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && !text.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '.' | '/' | '(' | ')' | ','))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::csdl::testing::{edmx, graph as schema};

    #[test]
    fn reads_types_properties_and_inline_descriptions() {
        let xml = schema(
            r#"<EntityType Name="call" BaseType="graph.entity" OpenType="true">
  <Annotation Term="Org.OData.Core.V1.Description" String="A call."/>
  <Property Name="state" Type="graph.callState" Nullable="false"/>
  <Property Name="targets" Type="Collection(graph.participantInfo)"/>
  <NavigationProperty Name="participants" Type="Collection(graph.participant)" ContainsTarget="true"/>
</EntityType>
<EnumType Name="callState" IsFlags="false"><Member Name="incoming" Value="0"/><Member Name="established"/></EnumType>"#,
        );
        let doc = read_str("test.xml", &xml).unwrap();
        let schema = &doc.schemas[0];
        assert_eq!(schema.alias.as_deref(), Some("graph"));
        let call = &schema.entity_types[0];
        assert_eq!(call.base_type.as_deref(), Some("graph.entity"));
        assert!(call.is_open && !call.is_abstract);
        assert_eq!(description_of(&call.annotations), Some("A call."));
        assert!(!call.properties[0].nullable);
        assert!(call.properties[1].nullable && call.properties[1].type_name.collection);
        assert!(call.navigation_properties[0].contains_target);
        assert_eq!(call.pos, Pos { line: 3, col: 1 });
        assert_eq!(call.properties[0].pos, Pos { line: 5, col: 3 });
        let members = &schema.enum_types[0].members;
        assert_eq!((members[0].value, members[1].value), (Some(0), None));
    }

    #[test]
    fn reads_operations_containers_and_annotation_blocks() {
        let xml = schema(
            r#"<Action Name="mute" IsBound="true">
  <Parameter Name="bindingParameter" Type="graph.call"/>
  <Parameter Name="clientContext" Type="Edm.String"/>
  <ReturnType Type="graph.muteParticipantOperation"/>
</Action>
<Function Name="getPstnCalls" IsBound="true" IsComposable="true">
  <Parameter Name="bindingParameter" Type="Collection(graph.callRecords.callRecord)"/>
  <ReturnType Type="Collection(graph.callRecords.pstnCallLogRow)" Nullable="false"/>
</Function>
<EntityContainer Name="GraphService">
  <Singleton Name="communications" Type="graph.cloudCommunications"/>
  <EntitySet Name="users" EntityType="graph.user"><NavigationPropertyBinding Path="manager" Target="users"/></EntitySet>
</EntityContainer>
<Annotations Target="microsoft.graph.call/state">
  <Annotation Term="Org.OData.Core.V1.Description"><String>The state.</String></Annotation>
</Annotations>"#,
        );
        let doc = read_str("test.xml", &xml).unwrap();
        let schema = &doc.schemas[0];
        let mute = &schema.actions[0];
        assert!(mute.is_bound);
        assert_eq!(mute.parameters.len(), 2);
        assert_eq!(mute.return_type.as_ref().unwrap().type_name.name, "graph.muteParticipantOperation");
        let pstn = &schema.functions[0];
        assert!(pstn.is_composable && pstn.parameters[0].type_name.collection);
        assert!(!pstn.return_type.as_ref().unwrap().nullable);
        let container = &schema.entity_containers[0];
        assert_eq!(container.singletons[0].type_name, "graph.cloudCommunications");
        assert_eq!(container.entity_sets[0].navigation_bindings[0].target, "users");
        let block = &schema.annotation_blocks[0];
        assert_eq!(block.target, "microsoft.graph.call/state");
        assert_eq!(description_of(&block.annotations), Some("The state."));
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let xml = format!("\u{feff}{}", schema(""));
        assert_eq!(read_str("bom.xml", &xml).unwrap().schemas.len(), 1);
    }

    #[test]
    fn malformed_xml_reports_file_line_and_column() {
        let err = read_str("bad.xml", "<root>\n  <oops>\n</root>").unwrap_err();
        assert_eq!(err.location.file, "bad.xml");
        assert_eq!(err.location.pos.line, 3);
        assert!(err.to_string().starts_with("bad.xml:3:"), "{err}");
    }

    #[test]
    fn a_missing_attribute_names_the_element_and_its_position() {
        let xml = schema(
            r#"<ComplexType Name="identity">
  <Property Name="displayName"/>
</ComplexType>"#,
        );
        let err = read_str("m.xml", &xml).unwrap_err();
        assert_eq!(err.to_string(), r#"m.xml:4:3: <Property Name="displayName">: missing attribute `Type`"#);
    }

    #[test]
    fn bad_values_are_errors_not_panics() {
        for (body, message) in [
            (
                r#"<ComplexType Name="x"><Property Name="p" Type="Collection(Edm.String"/></ComplexType>"#,
                "is not a type name",
            ),
            (r#"<ComplexType Name="x" Abstract="yes"/>"#, "must be `true` or `false`"),
            (r#"<EnumType Name="e"><Member Name="a" Value="one"/></EnumType>"#, "is not an integer"),
            (r#"<ComplexType Name="1x"/>"#, "not a valid CSDL name"),
            (r#"<ComplexType Name="a/b"/>"#, "not a valid CSDL name"),
            (r#"<Action Name="a" IsBound="true"/>"#, "needs a binding parameter"),
        ] {
            let err = read_str("v.xml", &schema(body)).unwrap_err();
            assert!(err.message.contains(message), "{body}: {err}");
        }
        let err = read_str("v.xml", "<root/>").unwrap_err();
        assert!(err.message.contains("not a CSDL document"), "{err}");
        let err = read_str("v.xml", &edmx(&[])).unwrap_err();
        assert!(err.message.contains("no `Schema`"), "{err}");
    }

    #[test]
    fn line_index_counts_characters_not_bytes() {
        let index = LineIndex::new("ab\néé<x");
        assert_eq!(index.pos(0), Pos { line: 1, col: 1 });
        assert_eq!(index.pos(3), Pos { line: 2, col: 1 });
        assert_eq!(index.pos(7), Pos { line: 2, col: 3 });
        // In any order, and across checkpoints.
        let index = LineIndex::new("é<a><b>é<c>\nx");
        assert_eq!(index.pos(2), Pos { line: 1, col: 2 });
        assert_eq!(index.pos(10), Pos { line: 1, col: 9 });
        assert_eq!(index.pos(5), Pos { line: 1, col: 5 });
        assert_eq!(index.pos(14), Pos { line: 2, col: 1 });
        assert_eq!(index.pos(10), Pos { line: 1, col: 9 });
        let long = format!("{}<x>", "é".repeat(3 * CHECKPOINT));
        let index = LineIndex::new(&long);
        assert_eq!(index.pos(6 * CHECKPOINT), Pos { line: 1, col: 3 * CHECKPOINT as u32 + 1 });
        assert_eq!(index.pos(CHECKPOINT + 2), Pos { line: 1, col: CHECKPOINT as u32 / 2 + 2 });
    }
}
