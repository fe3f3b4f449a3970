//! The checks a receiver makes of every notification of a delivery: its subscription is one of
//! ours and its `clientState` is that subscription's (compared in constant time); with resource
//! data, a valid validation token for its tenant, and no token of the delivery that is not
//! valid. Each notification is accepted or rejected with the reason, none is left out.
//!
//! The checks fail closed: resource data is accepted only when a token vouches for it (the
//! key that signs `encryptedContent` is chosen by whoever encrypts it, so anyone holding the
//! subscription's public certificate can make content that decrypts and passes its
//! signature); a receiver that cannot validate tokens opts out by name
//! ([`CheckPolicy::accept_resource_data_without_tokens`]).

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::odata::IdKey;

/// What the checks read of a notification: implemented by each API's `ChangeNotification`.
pub trait Notification {
    /// The `subscriptionId`.
    fn subscription_id(&self) -> Option<&str>;
    /// The `clientState`.
    fn client_state(&self) -> Option<&str>;
    /// The `tenantId`.
    fn tenant_id(&self) -> Option<&str>;
    /// Whether the notification carries resource data (`encryptedContent`), which needs a
    /// valid validation token for its tenant.
    fn has_resource_data(&self) -> bool;
}

/// Whether `received` is the `expected` client state, in time that depends on the length of
/// `expected` only: how far a guess matches cannot be learned by timing the answers.
pub fn same_client_state(expected: &str, received: &str) -> bool {
    let (expected, received) = (expected.as_bytes(), received.as_bytes());
    let mut difference = u8::from(expected.len() != received.len());
    for (i, byte) in expected.iter().enumerate() {
        // Wrapping over `received` keeps the loop's work the same whatever its length.
        let other = if received.is_empty() { 0 } else { received[i % received.len()] };
        difference |= byte ^ other;
    }
    std::hint::black_box(difference) == 0
}

/// The client states of our subscriptions: one for every subscription, or one per subscription
/// id (ids compared in every spelling Graph uses for GUIDs, each looked up once). Its `Debug`
/// does not show them.
#[derive(Clone, Default)]
pub struct ClientStates {
    every: Option<String>,
    by_subscription: HashMap<IdKey, String>,
}

impl ClientStates {
    /// No states: every notification is rejected until one is added.
    pub fn new() -> Self {
        Self::default()
    }

    /// The state every subscription was created with. It matches notifications that name a
    /// subscription (of any id), never one without a `subscriptionId`; an empty state matches
    /// nothing.
    pub fn every(state: impl Into<String>) -> Self {
        ClientStates { every: Some(state.into()), by_subscription: HashMap::new() }
    }

    /// The state of one subscription (it takes precedence over [`every`](Self::every)'s).
    pub fn with(mut self, subscription_id: impl Into<String>, state: impl Into<String>) -> Self {
        self.insert(subscription_id, state);
        self
    }

    /// Adds (or replaces) the state of one subscription.
    pub fn insert(&mut self, subscription_id: impl Into<String>, state: impl Into<String>) {
        self.by_subscription.insert(IdKey::new(&subscription_id.into()), state.into());
    }

    /// Forgets a subscription (deleted, or removed by Graph).
    pub fn remove(&mut self, subscription_id: &str) {
        self.by_subscription.remove(&IdKey::new(subscription_id));
    }

    /// The state a notification of `subscription_id` must have: its subscription's, else the
    /// one of every subscription; none without a subscription id, and none that is empty (a
    /// state nobody set cannot authenticate anything).
    fn expected(&self, subscription_id: Option<&str>) -> Option<&str> {
        let id = subscription_id?;
        let own = self.by_subscription.get(&IdKey::new(id)).map(String::as_str);
        own.or(self.every.as_deref()).filter(|state| !state.is_empty())
    }

    /// Whether a notification of `subscription_id` with `client_state` passes.
    pub fn check(&self, subscription_id: Option<&str>, client_state: Option<&str>) -> Result<(), Rejection> {
        let expected = self.expected(subscription_id).ok_or(Rejection::UnknownSubscription)?;
        let received = client_state.ok_or(Rejection::MissingClientState)?;
        if same_client_state(expected, received) { Ok(()) } else { Err(Rejection::WrongClientState) }
    }
}

impl fmt::Debug for ClientStates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids: Vec<String> = self.by_subscription.keys().map(IdKey::to_string).collect();
        ids.sort();
        f.debug_struct("ClientStates")
            .field("every", &self.every.as_ref().map(|_| "…"))
            .field("subscriptions", &ids)
            .finish()
    }
}

/// Why a notification was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// No client state is known for its subscription: not one of ours, or one we forgot.
    UnknownSubscription,
    /// It has no `clientState`, and its subscription has one.
    MissingClientState,
    /// Its `clientState` is not its subscription's.
    WrongClientState,
    /// It carries resource data, and no validation token of the delivery is valid for its
    /// tenant.
    NoValidToken,
    /// A validation token of its delivery is not valid: the whole delivery is suspicious
    /// ([`CheckPolicy::reject_delivery_on_invalid_token`]).
    SuspiciousDelivery,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rejection::UnknownSubscription => "no client state is known for its subscription",
            Rejection::MissingClientState => "it has no clientState",
            Rejection::WrongClientState => "its clientState is not its subscription's",
            Rejection::NoValidToken => "it carries resource data and no validation token is valid for its tenant",
            Rejection::SuspiciousDelivery => "a validation token of its delivery is not valid",
        })
    }
}

/// The outcome of the checks of a delivery: every notification, by its index in `value`, in
/// exactly one of the two lists, each in the order they came. Only [`check`] makes one, so
/// that what takes a `Checked` (the tracker's `process_changes`) takes only what passed.
#[derive(Debug)]
pub struct Checked<'a, N> {
    accepted: Vec<Accepted<'a, N>>,
    rejected: Vec<Rejected<'a, N>>,
}

/// A notification that passed the checks.
#[derive(Debug)]
pub struct Accepted<'a, N> {
    /// Its index in the delivery's `value`.
    pub index: usize,
    /// The notification.
    pub notification: &'a N,
}

/// A notification that did not pass the checks.
#[derive(Debug)]
pub struct Rejected<'a, N> {
    /// Its index in the delivery's `value`.
    pub index: usize,
    /// The notification.
    pub notification: &'a N,
    /// Why.
    pub reason: Rejection,
}

impl<'a, N> Checked<'a, N> {
    /// The notifications that passed.
    pub fn accepted(&self) -> &[Accepted<'a, N>] {
        &self.accepted
    }

    /// The notifications that did not, each with why.
    pub fn rejected(&self) -> &[Rejected<'a, N>] {
        &self.rejected
    }

    /// Whether every notification passed.
    pub fn all_accepted(&self) -> bool {
        self.rejected.is_empty()
    }

    /// The notifications that passed, in order.
    pub fn notifications(&self) -> impl Iterator<Item = &'a N> + '_ {
        self.accepted.iter().map(|a| a.notification)
    }
}

/// What the validation tokens of a delivery vouch for: the tenants of the valid ones, and
/// whether any was not valid. Made from the tokens' results (`Vouchers::from_results`, with
/// the cargo feature `jwt`); [`Vouchers::none`] vouches for nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vouchers {
    tenants: HashSet<IdKey>,
    any_invalid: bool,
}

impl Vouchers {
    /// No token: resource data is vouched for by nothing.
    pub fn none() -> Self {
        Vouchers::default()
    }

    /// Tokens valid for `tenants`, and whether another token of the delivery was not valid.
    pub fn new<'t>(tenants: impl IntoIterator<Item = &'t str>, any_invalid: bool) -> Self {
        Vouchers { tenants: tenants.into_iter().map(IdKey::new).collect(), any_invalid }
    }

    /// What the results of validating a delivery's tokens vouch for.
    #[cfg(feature = "jwt")]
    pub fn from_results(results: &[Result<super::ValidToken, super::TokenError>]) -> Self {
        let tenants = results.iter().filter_map(|r| r.as_ref().ok()).map(|t| t.tenant_id.as_str());
        Vouchers::new(tenants, results.iter().any(Result::is_err))
    }

    /// Whether a valid token vouches for `tenant`.
    pub fn vouch_for(&self, tenant: &str) -> bool {
        self.tenants.contains(&IdKey::new(tenant))
    }

    /// Whether a token of the delivery was not valid.
    pub fn any_invalid(&self) -> bool {
        self.any_invalid
    }
}

/// How a delivery is checked beyond its client states. The default is Microsoft's advice:
/// resource data only with a valid token for its tenant, and no notification of a delivery
/// one of whose tokens is not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckPolicy {
    /// Reject every notification of a delivery one of whose validation tokens is not valid
    /// (Microsoft: "treat the delivery as suspicious"). On by default.
    pub reject_delivery_on_invalid_token: bool,
    /// Accept resource data on its client state alone, when no token vouches for it. Off by
    /// default: the client state is a shared secret, and whoever has the subscription's public
    /// certificate can make encrypted content that passes every check of its own. Turn it on
    /// only when the delivery's tokens cannot be validated.
    pub accept_resource_data_without_tokens: bool,
}

impl Default for CheckPolicy {
    fn default() -> Self {
        CheckPolicy { reject_delivery_on_invalid_token: true, accept_resource_data_without_tokens: false }
    }
}

/// Checks each of `notifications`: its client state by `states`; with resource data, a token
/// of `vouchers` valid for its tenant (unless `policy` accepts resource data without one); and
/// when a token of the delivery was not valid, the whole delivery is rejected (unless `policy`
/// turns that off).
pub fn check<'a, N: Notification>(
    notifications: &'a [N],
    states: &ClientStates,
    vouchers: &Vouchers,
    policy: &CheckPolicy,
) -> Checked<'a, N> {
    let mut checked = Checked { accepted: Vec::new(), rejected: Vec::new() };
    let suspicious = vouchers.any_invalid && policy.reject_delivery_on_invalid_token;
    for (index, notification) in notifications.iter().enumerate() {
        let verdict = states.check(notification.subscription_id(), notification.client_state()).and_then(|()| {
            if suspicious {
                return Err(Rejection::SuspiciousDelivery);
            }
            let vouched = notification.tenant_id().is_some_and(|tenant| vouchers.vouch_for(tenant));
            match notification.has_resource_data() && !vouched && !policy.accept_resource_data_without_tokens {
                true => Err(Rejection::NoValidToken),
                false => Ok(()),
            }
        });
        match verdict {
            Ok(()) => checked.accepted.push(Accepted { index, notification }),
            Err(reason) => checked.rejected.push(Rejected { index, notification, reason }),
        }
    }
    checked
}

#[cfg(test)]
mod tests {
    use super::*;

    struct N {
        subscription: Option<&'static str>,
        state: Option<&'static str>,
        tenant: Option<&'static str>,
        data: bool,
    }

    impl Notification for N {
        fn subscription_id(&self) -> Option<&str> {
            self.subscription
        }
        fn client_state(&self) -> Option<&str> {
            self.state
        }
        fn tenant_id(&self) -> Option<&str> {
            self.tenant
        }
        fn has_resource_data(&self) -> bool {
            self.data
        }
    }

    const SUB: &str = "76619225-ff6b-4489-96ca-4ef547e78b22";
    const TENANT: &str = "84bd8158-6d4d-4958-8b9f-9d6445542f95";

    fn n(subscription: Option<&'static str>, state: Option<&'static str>) -> N {
        N { subscription, state, tenant: Some(TENANT), data: false }
    }

    #[test]
    fn client_states_compare_whole() {
        assert!(same_client_state("secret", "secret"));
        for other in ["", "s", "secre", "secret ", "Secret", "secrets", "secrex"] {
            assert!(!same_client_state("secret", other), "{other:?}");
        }
        assert!(same_client_state("", ""));
        assert!(!same_client_state("", "x"));
    }

    #[test]
    fn each_notification_is_accepted_or_rejected_with_why() {
        let states = ClientStates::new().with(SUB, "s1");
        let items = [
            n(Some(SUB), Some("s1")),
            n(Some("76619225FF6B448996CA4EF547E78B22"), Some("s1")),
            n(Some(SUB), None),
            n(Some(SUB), Some("s2")),
            n(Some("e990d58f-fd93-40af-acf7-a7c907c5d8ea"), Some("s1")),
            n(None, Some("s1")),
        ];
        let checked = check(&items, &states, &Vouchers::none(), &CheckPolicy::default());
        assert_eq!(checked.accepted().iter().map(|a| a.index).collect::<Vec<_>>(), [0, 1]);
        let rejected: Vec<_> = checked.rejected().iter().map(|r| (r.index, r.reason.clone())).collect();
        assert_eq!(
            rejected,
            [
                (2, Rejection::MissingClientState),
                (3, Rejection::WrongClientState),
                (4, Rejection::UnknownSubscription),
                (5, Rejection::UnknownSubscription)
            ]
        );
        assert!(!checked.all_accepted());
        assert_eq!(checked.notifications().count(), 2);
        // No states, nothing passes.
        assert!(check(&items, &ClientStates::new(), &Vouchers::none(), &CheckPolicy::default()).accepted().is_empty());
    }

    #[test]
    fn one_state_for_every_subscription_and_own_states_first() {
        let mut states = ClientStates::every("all").with(SUB, "own");
        assert_eq!(states.check(Some(SUB), Some("own")), Ok(()));
        assert_eq!(states.check(Some(SUB), Some("all")), Err(Rejection::WrongClientState));
        assert_eq!(states.check(Some("other"), Some("all")), Ok(()));
        // A notification that names no subscription is none of ours, whatever its state.
        assert_eq!(states.check(None, Some("all")), Err(Rejection::UnknownSubscription));
        assert_eq!(states.check(None, Some("own")), Err(Rejection::UnknownSubscription));
        states.remove(&SUB.to_uppercase());
        assert_eq!(states.check(Some(SUB), Some("all")), Ok(()));
        let debug = format!("{:?}", ClientStates::every("hidden").with(SUB, "hidden too"));
        assert!(!debug.contains("hidden"), "{debug}");
    }

    #[test]
    fn an_empty_state_authenticates_nothing() {
        for states in
            [ClientStates::every(""), ClientStates::new().with(SUB, ""), ClientStates::every("x").with(SUB, "")]
        {
            assert_eq!(states.check(Some(SUB), Some("")), Err(Rejection::UnknownSubscription), "{states:?}");
            assert_eq!(states.check(Some(SUB), None), Err(Rejection::UnknownSubscription), "{states:?}");
        }
    }

    #[test]
    fn resource_data_needs_a_valid_token_for_its_tenant() {
        let states = ClientStates::every("s");
        let with_data = |tenant| N { subscription: Some(SUB), state: Some("s"), tenant, data: true };
        let items = [
            with_data(Some(TENANT)),
            with_data(Some("46d9e3bd-6309-4177-a016-b256a411e30f")),
            with_data(None),
            n(Some(SUB), Some("s")),
        ];
        let upper = TENANT.to_uppercase();
        let vouchers = Vouchers::new([upper.as_str()], false);
        let policy = CheckPolicy::default();
        let checked = check(&items, &states, &vouchers, &policy);
        assert_eq!(checked.accepted().iter().map(|a| a.index).collect::<Vec<_>>(), [0, 3]);
        assert!(checked.rejected().iter().all(|r| r.reason == Rejection::NoValidToken));
        // Without tokens, resource data fails closed: only the notification without any passes.
        let checked = check(&items, &states, &Vouchers::none(), &policy);
        assert_eq!(checked.accepted().iter().map(|a| a.index).collect::<Vec<_>>(), [3]);
        // Unless the receiver opts out, by name.
        let trusting = CheckPolicy { accept_resource_data_without_tokens: true, ..CheckPolicy::default() };
        assert_eq!(check(&items, &states, &Vouchers::none(), &trusting).accepted().len(), 4);
    }

    #[test]
    fn one_invalid_token_makes_the_whole_delivery_suspicious() {
        let states = ClientStates::every("s");
        let items = [
            N { subscription: Some(SUB), state: Some("s"), tenant: Some(TENANT), data: true },
            n(Some(SUB), Some("s")),
        ];
        let vouchers = Vouchers::new([TENANT], true);
        let checked = check(&items, &states, &vouchers, &CheckPolicy::default());
        assert!(checked.accepted().is_empty());
        assert!(checked.rejected().iter().all(|r| r.reason == Rejection::SuspiciousDelivery));
        // A wrong client state is still said first.
        let wrong = [n(Some(SUB), Some("guess"))];
        assert_eq!(
            check(&wrong, &states, &vouchers, &CheckPolicy::default()).rejected()[0].reason,
            Rejection::WrongClientState
        );
        let lenient = CheckPolicy { reject_delivery_on_invalid_token: false, ..CheckPolicy::default() };
        assert_eq!(check(&items, &states, &vouchers, &lenient).accepted().len(), 2);
        assert!(vouchers.any_invalid() && vouchers.vouch_for(&TENANT.to_uppercase()));
    }
}
