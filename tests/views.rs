//! Polymorphic enums seen as the enum of a base type: `AnyEntity` as `AnyCommsOperation`.

use msgraph_comms::Field;
use msgraph_comms::v1_0::{AnyCommsOperation, AnyCommsOperationRef, AnyEntity, OperationStatus};
use serde_json::json;

fn entity(json: serde_json::Value) -> AnyEntity {
    serde_json::from_value(json).unwrap()
}

#[test]
fn an_entity_is_seen_as_a_comms_operation_by_reference_and_by_value() {
    let operation = entity(json!({
        "@odata.type": "#microsoft.graph.playPromptOperation", "id": "op1",
        "status": "completed", "clientContext": "ctx", "resultInfo": {"code": 200}
    }));
    let view = AnyCommsOperationRef::try_from(&operation).unwrap();
    assert_eq!(view.status(), &Field::Value(OperationStatus::Completed));
    assert_eq!(view.client_context().value().map(String::as_str), Some("ctx"));
    assert!(view.result_info().value().is_some());
    assert!(matches!(view, AnyCommsOperationRef::PlayPromptOperation(_)));

    let owned = AnyCommsOperation::try_from(operation.clone()).unwrap();
    assert_eq!(owned.status(), view.status());
    assert_eq!(view.cloned(), owned);
    assert_eq!(AnyCommsOperationRef::from(&owned), view);
    // And back: every operation is an entity.
    assert_eq!(AnyEntity::from(owned), operation);
}

#[test]
fn other_arms_are_given_back() {
    let call = entity(json!({"@odata.type": "#microsoft.graph.call", "id": "c1"}));
    assert_eq!(AnyCommsOperation::try_from(call.clone()), Err(call.clone()));
    assert_eq!(AnyCommsOperationRef::try_from(&call), Err(&call));
    // A type this schema does not know is an entity of an unknown type, not an operation.
    let future = entity(json!({"@odata.type": "#microsoft.graph.futureOperation", "status": "running"}));
    assert!(AnyCommsOperationRef::try_from(&future).is_err());
}

#[test]
fn the_base_arm_converts_too() {
    let base = entity(json!({"@odata.type": "#microsoft.graph.commsOperation", "id": "op"}));
    let view = AnyCommsOperation::try_from(base.clone()).unwrap();
    assert_eq!(view.id().value().map(String::as_str), Some("op"));
    assert_eq!(AnyEntity::from(view), base);
}
