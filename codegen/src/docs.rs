//! Reads the Graph documentation pages of an API version (Markdown, as in
//! microsoftgraph/microsoft-graph-docs): what a resource page says of its type (the first
//! paragraph, the properties and relationships tables), and what an API page says of its
//! operation (the first paragraph, the request body table), with each page's address on
//! learn.microsoft.com. The pages are a source of descriptions for what the schema leaves
//! undescribed, and of links.

use std::collections::BTreeMap;
use std::path::Path;

/// What one resource page (`resources/call.md`) says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypePage {
    /// The page on learn.microsoft.com.
    pub url: String,
    /// The first paragraph.
    pub description: Option<String>,
    /// The properties and relationships tables, by name.
    pub properties: BTreeMap<String, String>,
}

/// What one API page (`api/call-answer.md`, titled `call: answer`) says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OperationPage {
    pub url: String,
    /// The type the title names before the colon (`call`).
    pub resource: String,
    pub description: Option<String>,
    /// The request body table, by parameter name.
    pub parameters: BTreeMap<String, String>,
}

/// The pages of one API version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocsPages {
    /// By qualified type name in lower case (`microsoft.graph.callrecords.callrecord`).
    pub types: BTreeMap<String, TypePage>,
    /// By operation name in lower case (`answer`); several when bound to several types.
    pub operations: BTreeMap<String, Vec<OperationPage>>,
    /// The members of enum types that a resource page lists in a `### callState values`
    /// table, by qualified enum name in lower case, then member name.
    pub enums: BTreeMap<String, BTreeMap<String, String>>,
}

impl DocsPages {
    /// Reads `dir` (with `resources/` and `api/`), for the API whose learn.microsoft.com view is
    /// `view` (`graph-rest-1.0`, `graph-rest-beta`). Pages that are neither a resource type
    /// nor an operation (`Create call`, `List participants`) are left out.
    pub fn read(dir: &Path, view: &str) -> std::io::Result<DocsPages> {
        let mut pages = DocsPages::default();
        for (stem, text) in markdown_files(&dir.join("resources"))? {
            let url = format!("https://learn.microsoft.com/en-us/graph/api/resources/{stem}?view={view}");
            for (name, members) in enum_tables(&text) {
                let known = pages.enums.entry(name).or_default();
                for (member, description) in members {
                    known.entry(member).or_insert(description);
                }
            }
            if let Some((name, page)) = type_page(&text, url) {
                pages.types.entry(name).or_insert(page);
            }
        }
        for (stem, text) in markdown_files(&dir.join("api"))? {
            let url = format!("https://learn.microsoft.com/en-us/graph/api/{stem}?view={view}");
            if let Some((name, page)) = operation_page(&text, url) {
                pages.operations.entry(name).or_default().push(page);
            }
        }
        Ok(pages)
    }

    /// The page of the type `namespace.name`.
    pub fn type_page(&self, qualified: &str) -> Option<&TypePage> {
        self.types.get(&qualified.to_lowercase())
    }

    /// The members a page lists of the enum type `namespace.name`, with their descriptions.
    pub fn enum_members(&self, qualified: &str) -> Option<&BTreeMap<String, String>> {
        self.enums.get(&qualified.to_lowercase())
    }

    /// The page of the operation `name` bound to the type named `binding` (its short name): the
    /// one whose title names that type, else the only page of that name.
    pub fn operation_page(&self, name: &str, binding: Option<&str>) -> Option<&OperationPage> {
        let pages = self.operations.get(&name.to_lowercase())?;
        let bound = binding.and_then(|b| pages.iter().find(|p| p.resource.eq_ignore_ascii_case(b)));
        bound.or(match pages.as_slice() {
            [only] => Some(only),
            _ => None,
        })
    }
}

/// `(stem in lower case, text)` of every `.md` file of `dir`, sorted; none if `dir` is missing.
fn markdown_files(dir: &Path) -> std::io::Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(files),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "md")
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
        {
            files.push((stem.to_lowercase(), std::fs::read_to_string(&path)?));
        }
    }
    files.sort();
    Ok(files)
}

/// The `description:` of a page's front matter: its summary, for a page without a paragraph.
fn front_matter_description(text: &str) -> Option<String> {
    let mut lines = text.lines();
    if lines.next()?.trim() != "---" {
        return None;
    }
    let line = lines.take_while(|l| l.trim() != "---").find_map(|l| l.trim().strip_prefix("description:"))?;
    Some(clean(line.trim().trim_matches('"'))).filter(|d| !d.is_empty())
}

/// The lines of a page after its front matter.
fn body(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    match lines.first().map(|l| l.trim()) {
        Some("---") => match lines.iter().skip(1).position(|l| l.trim() == "---") {
            Some(end) => lines[end + 2..].to_vec(),
            None => lines,
        },
        _ => lines,
    }
}

/// The page's title (`# call resource type`), its namespace line, and the lines after them.
fn heading(lines: &[&str]) -> Option<(String, Option<String>, usize)> {
    let at = lines.iter().position(|l| l.starts_with("# "))?;
    let title = clean(&lines[at][2..]);
    let mut namespace = None;
    let mut next = at + 1;
    for (i, line) in lines.iter().enumerate().skip(at + 1) {
        let line = line.trim();
        if let Some(ns) = line.strip_prefix("Namespace:") {
            namespace = Some(ns.trim().to_owned());
            next = i + 1;
            break;
        }
        if line.starts_with('#') {
            break;
        }
    }
    Some((title, namespace, next))
}

/// The first paragraph from `start`: text lines up to a blank line, leaving out includes,
/// notes, headings, tables and code.
fn first_paragraph(lines: &[&str], start: usize) -> Option<String> {
    let mut paragraph: Vec<String> = Vec::new();
    for line in &lines[start..] {
        let line = line.trim();
        let skipped = line.starts_with('[') && line.contains("INCLUDE")
            || line.starts_with('>')
            || line.starts_with('|')
            || line.starts_with("```")
            || line.starts_with('<');
        if line.starts_with('#') {
            break;
        }
        if line.is_empty() || skipped {
            if !paragraph.is_empty() {
                break;
            }
            continue;
        }
        paragraph.push(clean(line));
    }
    let text = paragraph.join(" ");
    // A last sentence that ends in `:` introduces a list the description does not have.
    let text = match text.strip_suffix(':').and_then(|t| t.rfind(". ")) {
        Some(end) => text[..=end].to_owned(),
        None => text,
    };
    Some(text).filter(|p| !p.is_empty())
}

/// The rows (name, description) of the tables of the sections (`## …`) whose heading
/// `wanted` accepts.
fn table_rows(lines: &[&str], wanted: impl Fn(&str) -> bool) -> BTreeMap<String, String> {
    let mut rows = BTreeMap::new();
    for (title, section) in sections(lines, |line| line.strip_prefix("## ")) {
        if wanted(&title.to_lowercase()) {
            for (name, description) in section_rows(section) {
                rows.entry(name).or_insert(description);
            }
        }
    }
    rows
}

/// The enum tables of a resource page: each `### meetingChatMode values` section (at any
/// heading level) with its `Value | Description` rows, by qualified name in lower case (the
/// page's namespace).
fn enum_tables(text: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let lines = body(text);
    let namespace = heading(&lines).and_then(|(_, namespace, _)| namespace).unwrap_or_else(|| "microsoft.graph".into());
    sections(&lines, |line| line.starts_with("##").then(|| line.trim_start_matches('#')))
        .into_iter()
        .filter_map(|(title, section)| {
            let name = title.strip_suffix(" values")?.trim();
            let rows = section_rows(section);
            (is_identifier(name) && !rows.is_empty()).then(|| (format!("{namespace}.{name}").to_lowercase(), rows))
        })
        .collect()
}

/// The sections of `lines`: each heading `title_of` gives a title for (trimmed), with the lines
/// up to the next one.
fn sections<'a, 'b>(lines: &'b [&'a str], title_of: fn(&'a str) -> Option<&'a str>) -> Vec<(&'a str, &'b [&'a str])> {
    let mut out = Vec::new();
    let mut current: Option<(&str, usize)> = None;
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        if !line.starts_with('#') {
            continue;
        }
        if let Some((title, start)) = current.take() {
            out.push((title, &lines[start..i]));
        }
        current = title_of(line).map(|title| (title.trim(), i + 1));
    }
    if let Some((title, start)) = current {
        out.push((title, &lines[start..]));
    }
    out
}

/// The rows (name, description) of the tables of a section: the first cell and the last of
/// each row, past the header and the separator.
fn section_rows(lines: &[&str]) -> BTreeMap<String, String> {
    let mut rows = BTreeMap::new();
    let mut header_seen = false;
    for line in lines {
        let line = line.trim();
        if !line.contains('|') {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.iter().all(|c| c.chars().all(|ch| matches!(ch, ':' | '-' | ' '))) {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let (Some(name), Some(description)) = (cells.first(), cells.last()) else { continue };
        let name = clean(name);
        let description = clean(description);
        if cells.len() >= 2 && is_identifier(&name) && !description.is_empty() {
            rows.entry(name).or_insert(description);
        }
    }
    rows
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@' || c == '.')
}

fn type_page(text: &str, url: String) -> Option<(String, TypePage)> {
    let lines = body(text);
    let (title, namespace, start) = heading(&lines)?;
    let name = title.strip_suffix(" resource type").or_else(|| title.strip_suffix(" type"))?.trim().to_owned();
    if !is_identifier(&name) {
        return None;
    }
    let namespace = namespace.unwrap_or_else(|| "microsoft.graph".to_owned());
    let properties = table_rows(&lines, |t| t == "properties" || t == "relationships");
    let description = first_paragraph(&lines, start).or_else(|| front_matter_description(text));
    let page = TypePage { url, description, properties };
    Some((format!("{namespace}.{name}").to_lowercase(), page))
}

fn operation_page(text: &str, url: String) -> Option<(String, OperationPage)> {
    let lines = body(text);
    let (title, _, start) = heading(&lines)?;
    let (resource, name) = title.split_once(':')?;
    let (resource, name) = (resource.trim(), name.trim());
    if !is_identifier(resource) || !is_identifier(name) {
        return None;
    }
    let parameters = table_rows(&lines, |t| t == "request body");
    let description = first_paragraph(&lines, start).or_else(|| front_matter_description(text));
    Some((name.to_lowercase(), OperationPage { url, resource: resource.to_owned(), description, parameters }))
}

/// Markdown as rustdoc reads it: links to other pages become their text (their targets are
/// relative to the docs' repository), bold markers and HTML tags go, spaces are joined.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find("](").and_then(|mid| after[mid + 2..].find(')').map(|close| (mid, mid + 2 + close))) {
            Some((mid, close)) if !after[..mid].contains('[') => {
                out.push_str(&after[..mid]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let mut text = String::with_capacity(out.len());
    let mut in_tag = false;
    for c in out.replace("**", "").chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESOURCE: &str = "---\ntitle: \"call resource type\"\n---\n\n# call resource type\n\nNamespace: microsoft.graph\n\n\
        The **call** resource is created [for calls](../api/x.md).\nIt has state.\n\nMore text.\n\n## Properties\n\n\
        | Property | Type | Description |\n|:--|:--|:--|\n| state | [callState](x.md) | The call state.<br/>Read-only. |\n\
        chatInfo | [chatInfo](chatinfo.md) | The chat information. |\n\n## Relationships\n\n| Relationship | Type | Description |\n\
        |:--|:--|:--|\n| participants | [participant](participant.md) collection | Read-only. Nullable. |\n\n## JSON representation\n";

    const API: &str = "# call: answer\n\nNamespace: microsoft.graph\n\n[!INCLUDE [beta-disclaimer](x.md)]\n\n\
        Answer an incoming call.\n\n## Request body\n\n| Parameter | Type | Description |\n|:--|:--|:--|\n\
        | callbackUri | String | Allows bots to provide a specific callback URI. |\n\n## Response\n\n| Name | Type | Description |\n";

    #[test]
    fn a_resource_page_describes_its_type_and_properties() {
        let (name, page) = type_page(RESOURCE, "u".into()).unwrap();
        assert_eq!(name, "microsoft.graph.call");
        assert_eq!(page.description.as_deref(), Some("The call resource is created for calls. It has state."));
        let properties: Vec<_> = page.properties.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            properties,
            [
                ("chatInfo", "The chat information."),
                ("participants", "Read-only. Nullable."),
                ("state", "The call state. Read-only."),
            ]
        );
    }

    #[test]
    fn values_tables_describe_enum_members_and_stay_out_of_the_properties() {
        let page = "# onlineMeeting resource type\n\nNamespace: microsoft.graph.callRecords\n\nA meeting.\n\n\
            ## Properties\n\n| Property | Type | Description |\n|--|--|--|\n| chatMode | meetingChatMode | The mode. |\n\n\
            ### meetingChatMode values\n\n| Value | Description |\n| -- | -- |\n| enabled | Chat is **on**. |\n\
            | limited | Only during the [call](x.md). |\n\n> **Note:** more.\n\n## Relationships\n\nNone.\n\n\
            #### Not a values table\n\n| a | b |\n|--|--|\n| x | y |\n";
        let (_, resource) = type_page(page, "u".into()).unwrap();
        assert_eq!(resource.properties.keys().collect::<Vec<_>>(), ["chatMode"]);
        let tables = enum_tables(page);
        assert_eq!(tables.len(), 1);
        let (name, members) = &tables[0];
        assert_eq!(name, "microsoft.graph.callrecords.meetingchatmode");
        let members: Vec<_> = members.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(members, [("enabled", "Chat is on."), ("limited", "Only during the call.")]);
    }

    #[test]
    fn a_sentence_that_introduces_a_list_is_left_out() {
        let lines = ["Lets an app know. Currently, these resources:", "", "- calls"];
        assert_eq!(first_paragraph(&lines, 0).as_deref(), Some("Lets an app know."));
        assert_eq!(first_paragraph(&["These resources:"], 0).as_deref(), Some("These resources:"));
    }

    #[test]
    fn an_api_page_describes_its_operation_and_parameters() {
        let (name, page) = operation_page(API, "u".into()).unwrap();
        assert_eq!((name.as_str(), page.resource.as_str()), ("answer", "call"));
        assert_eq!(page.description.as_deref(), Some("Answer an incoming call."));
        assert_eq!(page.parameters.len(), 1, "the response table is not the request body");
        assert!(operation_page("# Create call\n\nText.\n", "u".into()).is_none());
        let bare = "---\ndescription: \"Represents an entity.\"\n---\n# entity type\n\nNamespace: microsoft.graph\n\n## Properties\n";
        let (name, page) = type_page(bare, "u".into()).unwrap();
        assert_eq!(
            (name.as_str(), page.description.as_deref()),
            ("microsoft.graph.entity", Some("Represents an entity."))
        );
        assert!(type_page("# Create call\n\nText.\n", "u".into()).is_none());
    }

    #[test]
    fn operations_are_found_by_the_type_the_title_names() {
        let mut pages = DocsPages::default();
        for resource in ["call", "participant"] {
            let page = OperationPage { resource: resource.into(), url: resource.into(), ..Default::default() };
            pages.operations.entry("mute".into()).or_default().push(page);
        }
        assert_eq!(pages.operation_page("mute", Some("participant")).unwrap().url, "participant");
        assert_eq!(pages.operation_page("Mute", Some("call")).unwrap().url, "call");
        assert!(pages.operation_page("mute", Some("other")).is_none(), "two pages, neither for it");
    }
}
