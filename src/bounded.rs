//! What errors quote of the input: a bounded prefix, so that an error about a 64 MiB value is
//! not 64 MiB long.

/// How many characters of a value an error quotes.
pub(crate) const QUOTED: usize = 100;

/// `text`, or its first [`QUOTED`] characters and `…` when it is longer.
pub(crate) fn bounded(text: &str) -> String {
    match text.char_indices().nth(QUOTED) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// An error message, with its middle cut out when it is long: a message that quotes a value
/// that came (`invalid type: string "…", expected …`) keeps its start and its end.
pub(crate) fn bounded_message(text: &str) -> std::borrow::Cow<'_, str> {
    const START: usize = 2 * QUOTED;
    const END: usize = QUOTED;
    let count = text.chars().count();
    if count <= START + END + 20 {
        return text.into();
    }
    let start: String = text.chars().take(START).collect();
    let end: String = text.chars().skip(count - END).collect();
    format!("{start} … ({} characters) … {end}", count - START - END).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_short() {
        assert_eq!(bounded("short"), "short");
        let long = "é".repeat(1_000);
        let quoted = bounded(&long);
        assert_eq!(quoted.chars().count(), QUOTED + 1);
        assert!(quoted.ends_with('…'));
        assert_eq!(bounded(&"x".repeat(QUOTED)), "x".repeat(QUOTED));
    }

    #[test]
    fn long_messages_keep_their_start_and_end() {
        assert_eq!(bounded_message("short"), "short");
        let long = format!("invalid type: string \"{}\", expected a boolean", "x".repeat(100_000));
        let message = bounded_message(&long);
        assert!(message.starts_with("invalid type: string \"xxx"), "{message}");
        assert!(message.ends_with("xxx\", expected a boolean"), "{message}");
        assert!(message.contains("characters"), "{message}");
        assert!(message.len() < 400, "{}", message.len());
    }
}
