//! CSDL names → Rust identifiers, predictably.
//!
//! Types and variants are `UpperCamelCase`, fields and modules `snake_case`; keywords become
//! raw identifiers (`r#type`) or, where Rust forbids that (`self`, `super`, `crate`, `Self`),
//! take a trailing underscore. Collisions are settled by [`unique`], in a stable order.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::HashSet;

/// Words that cannot be identifiers as they are.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Names the generated code uses unqualified, which a generated type must not shadow.
pub const RESERVED_TYPE_NAMES: &[&str] = &["Box", "Option", "Result", "String", "Vec", "Some", "None", "Ok", "Err"];

/// `callState` → `CallState`; `VTCId` → `VtcId`.
pub fn type_name(csdl: &str) -> String {
    let name = csdl.to_upper_camel_case();
    let name =
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) { format!("T{name}") } else { name };
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) || name == "Self" { format!("{name}Type") } else { name }
}

/// `callbackUri` → `callback_uri`, `type` → `r#type`.
pub fn field_name(csdl: &str) -> String {
    escape(snake(csdl))
}

/// `microsoft.graph.callRecords` under `microsoft.graph` → `call_records`.
pub fn module_name(segment: &str) -> String {
    escape(snake(segment))
}

/// A property's constant (its name in query options): `startDateTime` → `START_DATE_TIME`.
pub fn constant_name(csdl: &str) -> String {
    let name = csdl.to_shouty_snake_case();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) { name } else { format!("P_{name}") }
}

/// An enum member's variant: `unknownFutureValue` → `UnknownFutureValue`.
pub fn variant_name(csdl: &str) -> String {
    type_name(csdl)
}

fn snake(csdl: &str) -> String {
    let name = csdl.to_snake_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) { format!("_{name}") } else { name }
}

fn escape(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The JSON name serde's `rename_all = "camelCase"` derives from a field (raw prefix dropped),
/// so that the emitter can tell where an explicit `rename` is needed.
pub fn serde_camel_case(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let mut pascal = String::new();
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(ch);
        }
    }
    match pascal.chars().next() {
        Some(first) => first.to_ascii_lowercase().to_string() + &pascal[first.len_utf8()..],
        None => pascal,
    }
}

/// Makes `name` unique among `taken` (and takes it): `name`, then `name2`, `name3` … (before a
/// raw prefix's word or a trailing underscore, the digit goes at the end).
pub fn unique(name: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    let stem = name.strip_prefix("r#").unwrap_or(&name).to_owned();
    (2..)
        .map(|n| format!("{stem}{n}"))
        .find(|candidate| taken.insert(candidate.clone()))
        .expect("an unused suffix exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("callState"), "CallState");
        assert_eq!(type_name("VTCId"), "VtcId");
        assert_eq!(type_name("ResultInfo"), "ResultInfo");
        assert_eq!(type_name("option"), "OptionType");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(type_name("unknownFutureValue"), "UnknownFutureValue");
    }

    #[test]
    fn field_names_escape_keywords() {
        assert_eq!(field_name("callbackUri"), "callback_uri");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(field_name("VTCId"), "vtc_id");
        assert_eq!(field_name("ConferenceId"), "conference_id");
        assert_eq!(field_name("_"), "__");
        assert_eq!(module_name("callRecords"), "call_records");
    }

    #[test]
    fn serde_camel_case_matches_serde() {
        assert_eq!(serde_camel_case("callback_uri"), "callbackUri");
        assert_eq!(serde_camel_case("r#type"), "type");
        assert_eq!(serde_camel_case("e164_number"), "e164Number");
        assert_eq!(serde_camel_case("id"), "id");
        // The cases where an explicit rename is needed: the CSDL name is not what serde derives.
        assert_ne!(serde_camel_case(&field_name("VTCId")), "VTCId");
        assert_ne!(serde_camel_case(&field_name("ConferenceId")), "ConferenceId");
    }

    #[test]
    fn collisions_take_numbered_names_in_order() {
        let mut taken = HashSet::new();
        assert_eq!(unique("ResultInfo".into(), &mut taken), "ResultInfo");
        assert_eq!(unique("ResultInfo".into(), &mut taken), "ResultInfo2");
        assert_eq!(unique("ResultInfo".into(), &mut taken), "ResultInfo3");
        assert_eq!(unique("r#type".into(), &mut taken), "r#type");
        assert_eq!(unique("r#type".into(), &mut taken), "type2");
    }
}
