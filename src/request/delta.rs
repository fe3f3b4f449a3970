//! Delta pages: what a `delta` function answers (`…/transcripts/delta`,
//! `…/recordings/delta`): a page of items, each present (created or changed) or removed (an
//! `@removed` annotation with its reason), and at the last page an `@odata.deltaLink` for the
//! next round.

use crate::odata::{NextPage, ODataObject, ValueResponse};

/// A page of a delta round: [`ValueResponse`] of a collection, read with
/// [`changes`](ValueResponse::changes), [`next`](ValueResponse::next) for the next page of the
/// round, and [`next_delta`](ValueResponse::next_delta) for the next round.
pub type DeltaPage<T> = ValueResponse<Vec<T>>;

/// Why an item of a delta page was removed (`@removed.reason`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RemovedReason {
    /// `changed`: it may come back (it left the set the delta follows, or was soft-deleted).
    Changed,
    /// `deleted`: it is gone for good.
    Deleted,
    /// Another reason, as it came (or none when `@removed` has no reason).
    Other(Option<String>),
}

/// An item of a delta page: present, or removed.
#[derive(Clone, Debug, PartialEq)]
pub enum Change<'a, T> {
    /// Created or changed since the last round: the item (often only what changed).
    Present(&'a T),
    /// Removed since the last round: the item (its id, usually) and why.
    Removed {
        /// The item as it came.
        item: &'a T,
        /// Why.
        reason: RemovedReason,
    },
}

impl<T: ODataObject> ValueResponse<Vec<T>> {
    /// The items of a delta page, each present or removed, in order.
    ///
    /// ```
    /// use msgraph_comms::odata::{Change, DeltaPage, RemovedReason};
    /// use msgraph_comms::v1_0::CallTranscript;
    ///
    /// let page: DeltaPage<CallTranscript> = serde_json::from_str(r#"{
    ///     "value": [{"id": "t1", "meetingId": "m1"}, {"id": "t2", "@removed": {"reason": "deleted"}}],
    ///     "@odata.deltaLink": "https://graph.microsoft.com/v1.0/users/u1/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='u1')/delta?$deltatoken=x"
    /// }"#).unwrap();
    /// let changes: Vec<_> = page.changes().collect();
    /// assert!(matches!(changes[0], Change::Present(t) if t.id.value().map(String::as_str) == Some("t1")));
    /// assert!(matches!(changes[1], Change::Removed { reason: RemovedReason::Deleted, .. }));
    /// assert!(page.next().is_none() && page.next_delta().is_some());
    /// ```
    pub fn changes(&self) -> impl Iterator<Item = Change<'_, T>> {
        self.items().iter().map(|item| match item.extras().get("@removed") {
            None => Change::Present(item),
            Some(removed) => {
                let reason = removed.get("reason").and_then(serde_json::Value::as_str);
                let reason = match reason {
                    Some("changed") => RemovedReason::Changed,
                    Some("deleted") => RemovedReason::Deleted,
                    other => RemovedReason::Other(other.map(str::to_owned)),
                };
                Change::Removed { item, reason }
            }
        })
    }

    /// The request of the next round (`@odata.deltaLink`), at the last page of this one.
    pub fn next_delta(&self) -> Option<NextPage<T>> {
        self.delta_link().map(NextPage::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::Request;
    use crate::v1_0::CallRecording;

    fn page(json: &str) -> DeltaPage<CallRecording> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn removed_items_say_why_and_keep_what_came() {
        let page = page(
            r#"{"value": [
                {"id": "r1", "@removed": {"reason": "changed"}},
                {"id": "r2", "@removed": {}},
                {"id": "r3", "@removed": {"reason": "purged"}},
                {"id": "r4", "meetingId": "m", "createdDateTime": "2026-01-02T03:04:05Z"}
            ], "@odata.nextLink": "https://graph.microsoft.com/v1.0/next?$skiptoken=a"}"#,
        );
        let reasons: Vec<_> = page
            .changes()
            .map(|change| match change {
                Change::Present(item) => (item.id.value().cloned(), None),
                Change::Removed { item, reason } => (item.id.value().cloned(), Some(reason)),
            })
            .collect();
        assert_eq!(
            reasons,
            [
                (Some("r1".into()), Some(RemovedReason::Changed)),
                (Some("r2".into()), Some(RemovedReason::Other(None))),
                (Some("r3".into()), Some(RemovedReason::Other(Some("purged".into())))),
                (Some("r4".into()), None),
            ]
        );
        // A page within the round: its next page, not yet the next round.
        assert_eq!(page.next().unwrap().link, "https://graph.microsoft.com/v1.0/next?$skiptoken=a");
        assert!(page.next_delta().is_none());
        // `@removed` is written back as it came.
        let again: serde_json::Value = serde_json::to_value(&page).unwrap();
        assert_eq!(again["value"][0]["@removed"], serde_json::json!({"reason": "changed"}));
        assert_eq!(again["value"][1]["@removed"], serde_json::json!({}));
    }

    #[test]
    fn the_delta_link_is_the_next_rounds_request() {
        let page =
            page(r#"{"value": [], "@odata.deltaLink": "https://graph.microsoft.com/v1.0/me/x/delta?$deltatoken=t"}"#);
        assert_eq!(page.changes().count(), 0);
        let next = page.next_delta().unwrap();
        let link = "https://graph.microsoft.com/v1.0/me/x/delta?$deltatoken=t";
        assert_eq!(next.url("https://graph.microsoft.com/v1.0").unwrap(), link);
        // A link to another service is not followed.
        assert!(next.url("https://graph.microsoft.us/v1.0").is_err());
    }
}
