//! Ids compared as Graph spells them: the same GUID comes as `0fe0623f-d628-42ed-…` in an
//! operation the bot got back and as `0FE0623FD62842ED…` in a notification's `resourceUrl`.

/// The GUID that `id` spells, in any of the forms Graph uses: 32 hexadecimal digits, in either
/// case, with or without the dashes of the 8-4-4-4-12 form, with or without braces.
pub fn guid_value(id: &str) -> Option<u128> {
    let id = id.trim();
    let id = id.strip_prefix('{').and_then(|i| i.strip_suffix('}')).unwrap_or(id);
    crate::edm::hex_digits(id, id.len() == 36)
}

/// Whether two ids name the same thing: the same GUID however it is spelled, else the same
/// text exactly (Graph's other ids are case-sensitive).
pub fn same_id(a: &str, b: &str) -> bool {
    match (guid_value(a), guid_value(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

/// An id as the key of a map: the same GUID in any of Graph's spellings is one key, any other
/// id is its exact text ([`same_id`]'s rule), so that looking an id up costs one parse of it,
/// not a comparison with every id kept. Shown as the GUID's canonical form (`0fe0623f-d628-…`)
/// or the text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdKey {
    /// A GUID, whatever its spelling.
    Guid(u128),
    /// Any other id, as it came.
    Text(String),
}

impl IdKey {
    /// The key of `id`.
    pub fn new(id: &str) -> Self {
        match guid_value(id) {
            Some(guid) => IdKey::Guid(guid),
            None => IdKey::Text(id.to_owned()),
        }
    }
}

impl From<&str> for IdKey {
    fn from(id: &str) -> Self {
        IdKey::new(id)
    }
}

impl std::fmt::Display for IdKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdKey::Guid(guid) => {
                let hex = format!("{guid:032x}");
                write!(f, "{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
            }
            IdKey::Text(text) => f.write_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_match_in_every_spelling() {
        let dashed = "0fe0623f-d628-42ed-b4bd-8ac290072cc5";
        for other in [
            "0FE0623FD62842EDB4BD8AC290072CC5",
            "0fe0623fd62842edb4bd8ac290072cc5",
            "{0FE0623F-D628-42ED-B4BD-8AC290072CC5}",
            " 0fe0623f-d628-42ed-b4bd-8ac290072cc5 ",
        ] {
            assert!(same_id(dashed, other), "{other}");
        }
        assert!(!same_id(dashed, "0fe0623f-d628-42ed-b4bd-8ac290072cc6"));
        assert_eq!(guid_value(dashed), Some(0x0fe0623f_d628_42ed_b4bd_8ac290072cc5));
    }

    #[test]
    fn other_ids_compare_exactly() {
        assert!(same_id("abc", "abc"));
        assert!(!same_id("abc", "ABC"));
        for not_guid in
            ["0fe0623f-d62842ed-b4bd-8ac290072cc5", "0fe0623fd62842edb4bd8ac290072cc5x", "g".repeat(32).as_str(), ""]
        {
            assert_eq!(guid_value(not_guid), None, "{not_guid}");
        }
        assert!(!same_id("0fe0623fd62842edb4bd8ac290072cc5", "0fe0623f"));
    }

    #[test]
    fn keys_are_one_for_every_spelling_of_a_guid() {
        let dashed = "0fe0623f-d628-42ed-b4bd-8ac290072cc5";
        let key = IdKey::new(dashed);
        for other in ["0FE0623FD62842EDB4BD8AC290072CC5", "{0FE0623F-D628-42ED-B4BD-8AC290072CC5}"] {
            assert_eq!(IdKey::new(other), key, "{other}");
        }
        assert_eq!(key.to_string(), dashed);
        assert_eq!(IdKey::new("0fe0623fd62842edb4bd8ac290072cc5").to_string(), dashed);
        assert_ne!(IdKey::new("abc"), IdKey::new("ABC"));
        assert_eq!(IdKey::from("abc").to_string(), "abc");
    }
}
