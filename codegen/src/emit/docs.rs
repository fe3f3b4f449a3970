//! CSDL description text → rustdoc lines that render as written and raise no rustdoc lint.

/// Turns free text into doc lines: each line trimmed (indentation would make a doctest), URLs
/// wrapped as autolinks, and the characters that Markdown would read as links, HTML or code
/// fences escaped.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            if lines.last().is_some_and(|l| !l.is_empty()) {
                lines.push(String::new());
            }
            continue;
        }
        lines.push(escape_line(line));
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    // Backticks in pairs are code spans (`notStarted`, as the docs pages write values), kept
    // as they are: inside one, nothing is read as Markdown. An odd one is escaped.
    let parts: Vec<&str> = line.split('`').collect();
    let spans = parts.len() % 2 == 1 && parts.iter().skip(1).step_by(2).all(|code| !code.trim().is_empty());
    match spans {
        true => {
            for (i, part) in parts.iter().enumerate() {
                match i % 2 {
                    1 => {
                        out.push('`');
                        out.push_str(part);
                        out.push('`');
                    }
                    _ => escape_words(part, &mut out),
                }
            }
        }
        false => escape_words(line, &mut out),
    }
    // A line that starts like a heading, list or quote would change the structure.
    if out.starts_with(['#', '>', '-', '+', '=', '|']) {
        out.insert(0, '\\');
    }
    out
}

/// Escapes `text`, word by word: a URL becomes an autolink.
fn escape_words(text: &str, out: &mut String) {
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if let Some(start) = word.find("https://").or_else(|| word.find("http://")) {
            // `<https://…>` is an autolink; a trailing sentence mark stays outside it.
            let (before, url) = word.split_at(start);
            let trimmed = url.trim_end_matches(['.', ',', ';', ':', ')', '\'', '"']);
            if trimmed.contains(['<', '>', '`']) {
                escape_text(word, out);
            } else {
                escape_text(before, out);
                out.push('<');
                out.push_str(trimmed);
                out.push('>');
                escape_text(&url[trimmed.len()..], out);
            }
        } else {
            escape_text(word, out);
        }
    }
}

fn escape_text(text: &str, out: &mut String) {
    for ch in text.chars() {
        if matches!(ch, '[' | ']' | '<' | '>' | '`' | '*' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(doc_lines("The state of the call. Read-only."), ["The state of the call. Read-only."]);
    }

    #[test]
    fn markdown_and_html_are_escaped() {
        assert_eq!(doc_lines("Use [this] <b>only</b> `x`"), [r"Use \[this\] \<b\>only\</b\> `x`"]);
        // Code spans are kept; an odd backtick, or an empty span, is escaped.
        assert_eq!(doc_lines("Values: `a*`, `[b]`."), ["Values: `a*`, `[b]`."]);
        assert_eq!(doc_lines("One ` alone"), [r"One \` alone"]);
        assert_eq!(doc_lines("Empty `` span"), [r"Empty \`\` span"]);
        assert_eq!(doc_lines("# not a heading"), [r"\# not a heading"]);
        assert_eq!(doc_lines("a\\b *c*"), [r"a\\b \*c\*"]);
    }

    #[test]
    fn urls_become_autolinks() {
        assert_eq!(
            doc_lines("See https://aka.ms/graph. Or (http://x.y/z)."),
            ["See <https://aka.ms/graph>. Or (<http://x.y/z>)."]
        );
    }

    #[test]
    fn indentation_and_blank_runs_are_removed() {
        assert_eq!(doc_lines("  first\r\n\n\n      code-like\n\n"), ["first", "", "code-like"]);
        assert!(doc_lines("   \n ").is_empty());
    }
}
