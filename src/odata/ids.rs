//! Ids compared as Graph spells them: the same GUID comes as `0fe0623f-d628-42ed-…` in an
//! operation the bot got back and as `0FE0623FD62842ED…` in a notification's `resourceUrl`.

/// The GUID that `id` spells, in any of the forms Graph uses: 32 hexadecimal digits, in either
/// case, with or without the dashes of the 8-4-4-4-12 form, with or without braces.
pub fn guid_value(id: &str) -> Option<u128> {
    let id = id.trim();
    let id = id.strip_prefix('{').and_then(|i| i.strip_suffix('}')).unwrap_or(id);
    match id.len() {
        // `from_str_radix` alone would take a sign: the digits are checked first.
        32 if id.bytes().all(|b| b.is_ascii_hexdigit()) => u128::from_str_radix(id, 16).ok(),
        _ => crate::edm::Guid::new(id).to_u128().ok(),
    }
}

/// Whether two ids name the same thing: the same GUID however it is spelled, else the same
/// text exactly (Graph's other ids are case-sensitive).
pub fn same_id(a: &str, b: &str) -> bool {
    match (guid_value(a), guid_value(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
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
}
