//! How long a subscription may live before it must be renewed (`PATCH /subscriptions/{id}`
//! with a new `expirationDateTime`), by the resource it watches.

use crate::edm::{DateTimeOffset, DateTimeParts};

/// The longest a subscription on a kind of resource may live, as Graph's documentation of the
/// `subscription` resource gives it ("Maximum length of subscription per resource type"); a
/// longer `expirationDateTime` is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetime {
    /// The kind of resource, as the documentation names it: `callRecord`, `presence`, ….
    pub resource: &'static str,
    /// The maximum, in minutes.
    pub minutes: u32,
}

const fn lifetime(resource: &'static str, minutes: u32) -> Lifetime {
    Lifetime { resource, minutes }
}

const CHAT_MESSAGE: Lifetime = lifetime("chatMessage", 60);
const MESSAGE: Lifetime = lifetime("message", 4230);
const DIRECTORY: Lifetime = lifetime("user, group or other directory resource", 41760);

// Matched on the path's segment names, lower case, keys dropped; the first rule with a segment
// the path has wins, so the more specific come first.
const RULES: &[(&[&str], Lifetime)] = &[
    (&["transcripts", "getalltranscripts"], lifetime("callTranscript", 4230)),
    (&["recordings", "getallrecordings"], lifetime("callRecording", 4230)),
    (&["presences", "presence"], lifetime("presence", 60)),
    (&["callrecords"], lifetime("callRecord", 4230)),
    (&["onlinemeetings"], lifetime("onlineMeeting", 4230)),
    (&["getallmessages"], CHAT_MESSAGE),
    (&["alerts"], lifetime("alert", 43200)),
    (&["conversations"], lifetime("conversation", 4230)),
    (&["drive", "drives"], lifetime("driveItem", 42300)),
    (&["lists"], lifetime("list", 42300)),
    (&["printers"], lifetime("printer", 4230)),
    (&["taskdefinitions"], lifetime("printTaskDefinition", 4230)),
    (&["events"], lifetime("event", 4230)),
    (&["contacts"], lifetime("contact", 4230)),
];

/// The longest lifetime of a subscription on `resource`, the subscription's `resource` path
/// (`communications/callRecords`, `/communications/presences/{id}`,
/// `communications/onlineMeetings/?$filter=…`, `chats/{id}/messages`); `None` for a kind of
/// resource the documentation gives no maximum for.
pub fn max_lifetime(resource: &str) -> Option<Lifetime> {
    let path = resource.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.split('(').next().unwrap_or_default().to_ascii_lowercase())
        .collect();
    let has = |name: &str| segments.iter().any(|s| s == name);
    if let Some((_, lifetime)) = RULES.iter().find(|(names, _)| names.iter().any(|name| has(name))) {
        return Some(*lifetime);
    }
    if has("messages") {
        let teams = has("chats") || has("teams") || has("channels");
        return Some(if teams { CHAT_MESSAGE } else { MESSAGE });
    }
    match segments.first().map(String::as_str) {
        Some("users" | "groups" | "me" | "directory") => Some(DIRECTORY),
        _ => None,
    }
}

/// The `expirationDateTime` to renew (or create) a subscription on `resource` with, at `now`:
/// the longest the documentation allows, less a minute for clocks that differ, in UTC.
/// `None` when [`max_lifetime`] gives no maximum (choose one yourself) or `now` is not an
/// instant ([`DateTimeOffset::parse`] fails).
///
/// ```
/// use msgraph_comms::change_notifications::renewal_expiration;
/// use msgraph_comms::edm::DateTimeOffset;
/// let now = DateTimeOffset::new("2026-12-01T10:00:00Z");
/// let next = renewal_expiration("/communications/presences/6ab8…", &now).unwrap();
/// assert_eq!(next.as_str(), "2026-12-01T10:59:00Z");
/// ```
pub fn renewal_expiration(resource: &str, now: &DateTimeOffset) -> Option<DateTimeOffset> {
    expiration_after(resource, now.parse().ok()?.unix_nanos())
}

/// [`renewal_expiration`] at the system clock's now.
pub fn renewal_expiration_from_now(resource: &str) -> Option<DateTimeOffset> {
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?;
    expiration_after(resource, i128::try_from(since_epoch.as_nanos()).ok()?)
}

/// The renewal's `expirationDateTime` for `resource` at `now`, nanoseconds since 1970 (UTC).
fn expiration_after(resource: &str, now: i128) -> Option<DateTimeOffset> {
    let lifetime = max_lifetime(resource)?;
    let next = now + (i128::from(lifetime.minutes) - 1) * 60_000_000_000;
    Some(DateTimeOffset::from_parts(DateTimeParts::from_unix_nanos(next)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_by_the_resource_path() {
        for (resource, kind, minutes) in [
            ("communications/callRecords", "callRecord", 4230),
            ("/communications/presences/6ab8ae8a-6f2e-4b58-a5f4-9ec5bcc0e5a6", "presence", 60),
            ("/communications/presences?$filter=id in ('a','b')", "presence", 60),
            ("communications/onlineMeetings/?$filter=JoinWebUrl eq 'https://teams/x'", "onlineMeeting", 4230),
            ("communications/onlineMeetings/getAllTranscripts", "callTranscript", 4230),
            ("users/u1/onlineMeetings/m1/recordings", "callRecording", 4230),
            ("/teams/{id}/channels/{id}/messages", "chatMessage", 60),
            ("chats/getAllMessages", "chatMessage", 60),
            ("me/mailFolders('Inbox')/messages", "message", 4230),
            ("security/alerts?$filter=status eq 'New'", "alert", 43200),
            ("me/drive/root", "driveItem", 42300),
            ("users", "user, group or other directory resource", 41760),
            ("groups/g1/conversations", "conversation", 4230),
        ] {
            let lifetime = max_lifetime(resource).unwrap_or_else(|| panic!("{resource}"));
            assert_eq!((lifetime.resource, lifetime.minutes), (kind, minutes), "{resource}");
        }
        assert_eq!(max_lifetime("solutions/bookingBusinesses"), None);
        assert_eq!(max_lifetime(""), None);
    }

    #[test]
    fn renewals_stay_within_the_maximum() {
        let now = DateTimeOffset::new("2026-12-31T23:30:00.5+01:00");
        let next = renewal_expiration("communications/callRecords", &now).unwrap();
        assert_eq!(next.as_str(), "2027-01-03T20:59:00.5Z");
        let minutes = (next.parse().unwrap().unix_nanos() - now.parse().unwrap().unix_nanos()) / 60_000_000_000;
        assert_eq!(minutes, 4229);
        assert_eq!(renewal_expiration("solutions/x", &now), None);
        assert_eq!(renewal_expiration("communications/callRecords", &DateTimeOffset::new("soon")), None);
        assert!(renewal_expiration_from_now("/communications/presences/x").is_some());
    }
}
