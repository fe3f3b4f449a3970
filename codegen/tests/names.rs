//! No public name in `generated/` ends in a digit that the schema did not put there: names
//! that collide take a prefix by rule (`CallRecordsParticipant`), never a number
//! (`Participant2`). A digit is the schema's when the CSDL spelling the name comes from (a
//! string the generated code carries: member names, path templates, property names) has it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use syn::{ImplItem, Item, Visibility};

fn generated_files() -> Vec<PathBuf> {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../generated"));
    msgraph_comms_codegen::files_with_extension(root, "rs")
}

/// The public names an item declares: its own, its fields', variants' and inherent methods'.
fn public_names(items: &[Item], out: &mut Vec<String>) {
    let public = |v: &Visibility| matches!(v, Visibility::Public(_));
    for item in items {
        match item {
            Item::Struct(s) if public(&s.vis) => {
                out.push(s.ident.to_string());
                out.extend(
                    s.fields.iter().filter(|f| public(&f.vis)).filter_map(|f| f.ident.as_ref()).map(|i| i.to_string()),
                );
            }
            Item::Enum(e) if public(&e.vis) => {
                out.push(e.ident.to_string());
                for variant in &e.variants {
                    out.push(variant.ident.to_string());
                    out.extend(variant.fields.iter().filter_map(|f| f.ident.as_ref()).map(|i| i.to_string()));
                }
            }
            Item::Type(t) if public(&t.vis) => out.push(t.ident.to_string()),
            Item::Const(c) if public(&c.vis) => out.push(c.ident.to_string()),
            Item::Static(s) if public(&s.vis) => out.push(s.ident.to_string()),
            Item::Fn(f) if public(&f.vis) => out.push(f.sig.ident.to_string()),
            Item::Mod(m) if public(&m.vis) => {
                out.push(m.ident.to_string());
                if let Some((_, items)) = &m.content {
                    public_names(items, out);
                }
            }
            Item::Impl(i) if i.trait_.is_none() => {
                for member in &i.items {
                    match member {
                        ImplItem::Fn(f) if public(&f.vis) => out.push(f.sig.ident.to_string()),
                        ImplItem::Const(c) if public(&c.vis) => out.push(c.ident.to_string()),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// The words of every string the code carries, in lower case, that end in a digit:
/// `"participants_v2"` gives `v2`, `"tone2"` gives `tone2`.
fn schema_words(text: &str) -> HashSet<String> {
    let mut words = HashSet::new();
    let mut strings = text.split('"').skip(1).step_by(2);
    for literal in strings.by_ref() {
        for word in split_words(literal) {
            if word.ends_with(|c: char| c.is_ascii_digit()) {
                words.insert(word);
            }
        }
    }
    words
}

/// `ParticipantsV2` → `participants`, `v2`; `participants_v2` the same; `tone2` → `tone2`.
fn split_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous = None;
            continue;
        }
        let starts_word =
            c.is_ascii_uppercase() && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
        if starts_word && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
        previous = Some(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[test]
fn no_public_name_ends_in_an_added_digit() {
    let files = generated_files();
    assert!(files.len() >= 2, "generated/ has the models: {files:?}");
    let mut added = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let words = schema_words(&text);
        let mut names = Vec::new();
        public_names(&parsed.items, &mut names);
        assert!(names.len() > 100, "{}: names found", file.display());
        for name in names {
            let last = split_words(&name).pop().unwrap_or_default();
            if last.ends_with(|c: char| c.is_ascii_digit()) && !words.contains(&last) {
                added.push(format!("{}: {name}", file.display()));
            }
        }
    }
    assert!(added.is_empty(), "names with a digit the schema does not have:\n{}", added.join("\n"));
}

#[test]
fn the_check_sees_added_and_schema_digits() {
    let words = schema_words(r#"const A: &str = "participants_v2"; const B: &str = "tone2";"#);
    assert!(words.contains("v2") && words.contains("tone2"));
    assert_eq!(split_words("CommunicationsCallRecordsParticipantsV2").pop().unwrap(), "v2");
    assert_eq!(split_words("UserIdentity2").pop().unwrap(), "identity2");
    assert!(!words.contains("identity2"));
}
