//! What the cargo feature `virtual-events` adds, and that nothing is lost without it: run with
//! and without the feature (`.ci/run` does both).

use msgraph_comms::v1_0::{AnyEntity, AnyOnlineMeetingBase};
use serde_json::{Value, json};

fn webinar() -> Value {
    json!({
        "@odata.type": "#microsoft.graph.virtualEventWebinar",
        "id": "f8a1ba0d",
        "displayName": "The Impact of Tech on Our Lives",
        "status": "published",
        "audience": "organization",
        "coOrganizers": [{ "id": "7b7e1acd", "displayName": "Kenneth Brown" }]
    })
}

fn session() -> Value {
    json!({
        "@odata.type": "#microsoft.graph.virtualEventSession",
        "id": "14b4e9f5",
        "subject": "Session one",
        "joinWebUrl": "https://teams.microsoft.com/l/meetup-join/19%3ameeting"
    })
}

#[test]
fn a_virtual_event_decodes_into_its_arm_with_the_feature_and_the_fallback_without() {
    let entity: AnyEntity = serde_json::from_value(webinar()).unwrap();
    let meeting: AnyOnlineMeetingBase = serde_json::from_value(session()).unwrap();
    #[cfg(feature = "virtual-events")]
    {
        let AnyEntity::VirtualEventWebinar(webinar) = &entity else { panic!("{entity:?}") };
        assert_eq!(webinar.display_name.value().map(String::as_str), Some("The Impact of Tech on Our Lives"));
        assert!(matches!(meeting, AnyOnlineMeetingBase::VirtualEventSession(_)), "{meeting:?}");
    }
    #[cfg(not(feature = "virtual-events"))]
    {
        // The tag and every property the base type lacks are kept in the fallback's extras.
        let AnyEntity::Unknown(unknown) = &entity else { panic!("{entity:?}") };
        assert_eq!(unknown.id.value().map(String::as_str), Some("f8a1ba0d"));
        assert!(unknown.extras.get("displayName").is_some(), "{unknown:?}");
        let AnyOnlineMeetingBase::Unknown(base) = &meeting else { panic!("{meeting:?}") };
        assert_eq!(base.subject.value().map(String::as_str), Some("Session one"));
    }
    // Either way, what was read is what is written.
    assert_eq!(serde_json::to_value(&entity).unwrap(), webinar());
    assert_eq!(serde_json::to_value(&meeting).unwrap(), session());
}

#[cfg(feature = "requests")]
#[test]
fn virtual_event_routes_come_with_the_feature() {
    let url = "/solutions/virtualEvents/webinars/w1/registrations";
    let matched = msgraph_comms::v1_0::router().route("GET", url);
    assert_eq!(matched.is_some(), cfg!(feature = "virtual-events"), "{matched:?}");
    let meeting = msgraph_comms::v1_0::router().route("GET", "/communications/onlineMeetings/m1/attendanceReports");
    assert!(meeting.is_some());
}
