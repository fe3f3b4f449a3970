//! Every request says which permissions allow it, from Graph's permissions reference: the
//! least privileged per scheme and the others, on the typed request, on its route, and in its
//! rustdoc.

use msgraph_comms::odata::{Request, Scheme, route};
use msgraph_comms::v1_0::{self, Call, call};

#[test]
fn creating_a_call_needs_an_application_permission() {
    let create = call::Create::new(call::Collection::new(), Call::default());
    let least = create.least_privileged(Scheme::Application).expect("the reference has POST /communications/calls");
    let all: Vec<&str> = create.permissions().map(|p| p.name).collect();
    assert!(all.contains(&least) && all.len() > 1, "{all:?}");
    assert!(create.permissions().all(|p| p.method == "POST" && p.scheme == Scheme::Application));
    assert_eq!(create.least_privileged(Scheme::DelegatedWork), None, "no delegated permission allows it");

    // The route of the same method and template has the same.
    let found = route(v1_0::ROUTES, "POST", "/communications/calls").unwrap();
    let on_route: Vec<&str> = found.route.permissions.iter().map(|p| p.name).collect();
    assert_eq!(on_route, all);
}

#[test]
fn the_least_privileged_comes_first_and_methods_are_kept_apart() {
    let get = call::Get::new(call::Item::new("57da"));
    let delete = call::Delete::new(call::Item::new("57da"));
    assert!(get.permissions().count() > 0 && get.permissions().all(|p| p.method == "GET"));
    assert!(delete.permissions().all(|p| p.method == "DELETE"));
    for scheme in [Scheme::DelegatedWork, Scheme::DelegatedPersonal, Scheme::Application] {
        let listed: Vec<bool> = get.permissions().filter(|p| p.scheme == scheme).map(|p| p.least_privileged).collect();
        assert!(listed.iter().skip(1).all(|least| !least), "{scheme:?}: the least privileged first: {listed:?}");
    }
    // An operation's request has the permissions of its path.
    let mute = call::Mute::new(call::Item::new("57da"), call::MuteRequest::default());
    assert!(mute.least_privileged(Scheme::Application).is_some());
    assert!(mute.permissions().all(|p| p.method == "POST"));
}

#[test]
fn routes_the_reference_does_not_have_say_so() {
    // The reference has no entry for rejecting on /communications (only what it documents).
    let found = route(v1_0::ROUTES, "POST", "/communications/calls/57da/reject").unwrap();
    assert!(found.route.permissions.is_empty());
    let with = v1_0::ROUTES.iter().filter(|r| !r.permissions.is_empty()).count();
    assert!(with > 50 && with < v1_0::ROUTES.len(), "{with} of {}", v1_0::ROUTES.len());
}
