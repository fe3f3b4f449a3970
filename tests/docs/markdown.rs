//! Code blocks of Graph docs pages, with the `<!-- { … } -->` annotation written before each,
//! as Microsoft's apidoctor reads them; tolerant of what the pages really contain.

use serde_json::Value;

/// One fenced code block.
#[derive(Clone, Debug)]
pub struct Block {
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The annotation right before the block (only blank lines between), if any.
    pub annotation: Option<Annotation>,
    /// `json`, `http`, … (lower case; empty when the fence names none).
    pub language: String,
    /// For an `http` block, its first line: `POST /communications/calls` or `HTTP/1.1 200 OK`.
    pub http_line: Option<String>,
    /// The body: all of a `json` block, what follows the headers in an `http` block.
    pub body: String,
}

/// What apidoctor reads in `<!-- { "blockType": …, "@odata.type": …, … } -->`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotation {
    pub block_type: Option<String>,
    pub odata_type: Option<String>,
    pub is_collection: bool,
    pub truncated: bool,
    pub name: Option<String>,
}

impl Block {
    pub fn block_type(&self) -> Option<&str> {
        self.annotation.as_ref().and_then(|a| a.block_type.as_deref())
    }

    /// `(method, url)` of a request block.
    pub fn request(&self) -> Option<(&str, &str)> {
        let line = self.http_line.as_deref()?;
        let (method, rest) = line.split_once(' ')?;
        let url = rest.split_whitespace().next()?;
        matches!(method, "GET" | "POST" | "PATCH" | "PUT" | "DELETE").then_some((method, url))
    }

    /// Whether it is an HTTP response (`HTTP/1.1 200 OK`).
    pub fn is_response(&self) -> bool {
        self.http_line.as_deref().is_some_and(|l| l.starts_with("HTTP/"))
    }
}

/// The fenced code blocks of a page.
pub fn blocks(page: &str) -> Vec<Block> {
    let lines: Vec<&str> = page.lines().collect();
    let mut out = Vec::new();
    let mut annotation: Option<Annotation> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if line.starts_with("<!--") {
            // An annotation may span lines; it ends at `-->`.
            let start = i;
            while !lines[i].contains("-->") && i + 1 < lines.len() {
                i += 1;
            }
            let text = lines[start..=i].join("\n");
            annotation = parse_annotation(&text);
            i += 1;
            continue;
        }
        if let Some(language) = fence(line) {
            let open = i;
            i += 1;
            while i < lines.len() && fence(lines[i].trim()).is_none_or(|l| !l.is_empty()) {
                i += 1;
            }
            let content = &lines[open + 1..i.min(lines.len())];
            out.push(block(open + 1, annotation.take(), language, content));
            i += 1;
            continue;
        }
        if !line.is_empty() {
            // Text between an annotation and a fence detaches the annotation.
            annotation = None;
        }
        i += 1;
    }
    out
}

/// The language of an opening (or, when empty, closing) fence: "```json", "``` http", "```".
fn fence(line: &str) -> Option<String> {
    let rest = line.strip_prefix("```")?;
    let language = rest.trim();
    language.chars().all(|c| c.is_ascii_alphanumeric() || c == '-').then(|| language.to_ascii_lowercase())
}

fn block(line: usize, annotation: Option<Annotation>, language: String, content: &[&str]) -> Block {
    if language != "http" {
        return Block { line, annotation, language, http_line: None, body: content.join("\n").trim().to_owned() };
    }
    // An HTTP message: a start line, headers, a blank line, a body.
    let mut lines = content.iter().skip_while(|l| l.trim().is_empty());
    let http_line = lines.next().map(|l| l.trim().to_owned());
    let rest: Vec<&str> = lines.copied().collect();
    let body_start = rest.iter().position(|l| l.trim().is_empty()).map_or(rest.len(), |p| p + 1);
    // Some pages leave out the blank line: a body starts at the first `{` or `[` line.
    let body_start =
        rest.iter().position(|l| l.trim_start().starts_with(['{', '['])).map_or(body_start, |p| p.min(body_start));
    Block { line, annotation, language, http_line, body: rest[body_start..].join("\n").trim().to_owned() }
}

/// The annotation of `<!-- {…} -->`, read leniently (trailing commas, `"true"` for `true`).
fn parse_annotation(comment: &str) -> Option<Annotation> {
    let inner = comment.trim().strip_prefix("<!--")?.trim_end().strip_suffix("-->")?.trim();
    if !inner.starts_with('{') {
        return None;
    }
    let value: Value =
        serde_json::from_str(inner).ok().or_else(|| serde_json::from_str(&super::lenient::repair(inner)?).ok())?;
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let flag = |key: &str| match value.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    };
    let block_type = text("blockType");
    // Page annotations (`"type": "#page.annotation"`) are not block annotations.
    if block_type.is_none() && value.get("type").is_some() {
        return None;
    }
    Some(Annotation {
        block_type,
        odata_type: text("@odata.type"),
        is_collection: flag("isCollection"),
        truncated: flag("truncated"),
        name: text("name"),
    })
}
