//! Change notifications end to end, as a receiver gets them: the handshake, a delivery checked
//! (client states, validation tokens signed with the test's own key), resource data encrypted
//! the way Graph does and decrypted into the typed resource.

mod support;

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rsa::{KeyPair, KeySize, PrivateDecryptingKey};
use msgraph_comms::change_notifications::{
    CHANGE_TRACKING_APP_ID, ClientStates, DecryptError, DecryptionKeys, Rejection, TokenError, TokenValidator, encrypt,
    validation_request,
};
use msgraph_comms::v1_0::{AnyEntity, ChangeNotificationCollection, Subscription, subscription};
use serde_json::{Value, json};
use support::jwt::{Issuer, base64url, now, with};

const APP: &str = "8e460676-ae3f-4b1e-8790-ee0fb5d6148f";
const TENANT: &str = "84bd8158-6d4d-4958-8b9f-9d6445542f95";
const OTHER_TENANT: &str = "46d9e3bd-6309-4177-a016-b256a411e30f";
const SUBSCRIPTION: &str = "76619225-ff6b-4489-96ca-4ef547e78b22";

fn claims(tenant: &str) -> Value {
    json!({
        "aud": APP, "iss": format!("https://sts.windows.net/{tenant}/"), "iat": now() - 10, "nbf": now() - 10,
        "exp": now() + 3600, "appid": CHANGE_TRACKING_APP_ID, "appidacr": "2", "tid": tenant, "ver": "1.0"
    })
}

fn validator(issuers: &[&Issuer]) -> TokenValidator {
    TokenValidator::new(&Issuer::key_set(issuers), [APP]).unwrap()
}

/// Whether a validation error is the one a case expects.
type Expected = fn(&TokenError) -> bool;

#[test]
fn validation_tokens_each_with_their_outcome() {
    let issuer = Issuer::new("key-1");
    let stranger = Issuer::new("key-1");
    let validator = validator(&[&issuer]);
    let valid = validator.validate(&issuer.token(claims(TENANT))).unwrap();
    assert_eq!((valid.tenant_id.as_str(), valid.app_id.as_str()), (TENANT, APP));
    // v2.0 tokens: another issuer form, `azp` for the publisher.
    let v2 = with(
        claims(TENANT),
        json!({"iss": format!("https://login.microsoftonline.com/{TENANT}/v2.0"), "appid": null, "azp": CHANGE_TRACKING_APP_ID}),
    );
    assert!(validator.validate(&issuer.token(v2)).is_ok());

    let cases: Vec<(&str, String, Expected)> = vec![
        ("expired", issuer.token(with(claims(TENANT), json!({"exp": now() - 3600}))), |e| *e == TokenError::Expired),
        ("not yet valid", issuer.token(with(claims(TENANT), json!({"nbf": now() + 3600}))), |e| {
            *e == TokenError::NotYetValid
        }),
        ("wrong audience", issuer.token(with(claims(TENANT), json!({"aud": "another-app"}))), |e| {
            matches!(e, TokenError::Audience(_))
        }),
        ("no audience", issuer.token(with(claims(TENANT), json!({"aud": null}))), |e| {
            matches!(e, TokenError::Audience(_))
        }),
        ("wrong issuer", issuer.token(with(claims(TENANT), json!({"iss": "https://evil.example/"}))), |e| {
            matches!(e, TokenError::Issuer(_))
        }),
        (
            "another tenant's issuer",
            issuer.token(with(claims(TENANT), json!({"iss": format!("https://sts.windows.net/{OTHER_TENANT}/")}))),
            |e| matches!(e, TokenError::Issuer(_)),
        ),
        ("wrong publisher", issuer.token(with(claims(TENANT), json!({"appid": APP}))), |e| {
            matches!(e, TokenError::Publisher(_))
        }),
        ("no publisher", issuer.token(with(claims(TENANT), json!({"appid": null}))), |e| {
            matches!(e, TokenError::Publisher(None))
        }),
        ("wrong key", stranger.token(claims(TENANT)), |e| *e == TokenError::Signature),
        (
            "unknown kid",
            Issuer { key: KeyPair::generate(KeySize::Rsa2048).unwrap(), kid: "key-9" }.token(claims(TENANT)),
            |e| matches!(e, TokenError::UnknownKey(Some(k)) if k == "key-9"),
        ),
        (
            "alg none",
            format!(
                "{}.{}.",
                base64url(br#"{"alg":"none","typ":"JWT"}"#),
                base64url(claims(TENANT).to_string().as_bytes())
            ),
            |e| matches!(e, TokenError::Algorithm(a) if a == "none"),
        ),
        ("HS256", issuer.sign(json!({"alg": "HS256", "kid": "key-1"}), claims(TENANT)), |e| {
            matches!(e, TokenError::Algorithm(_))
        }),
        (
            "HS256 keyed with the public key",
            issuer.hs256_with_public_key(claims(TENANT)),
            |e| matches!(e, TokenError::Algorithm(a) if a == "HS256"),
        ),
        ("not a JWT", "eyJ0eXAiOiJKV1QiLCJhb...".to_owned(), |e| matches!(e, TokenError::Malformed(_))),
        ("empty", String::new(), |e| matches!(e, TokenError::Malformed(_))),
    ];
    for (name, token, expected) in cases {
        let outcome = validator.validate(&token);
        assert!(outcome.as_ref().is_err_and(expected), "{name}: {outcome:?}");
    }
    // A tampered payload under a valid signature.
    let token = issuer.token(claims(TENANT));
    let parts: Vec<&str> = token.split('.').collect();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        base64url(with(claims(TENANT), json!({"tid": OTHER_TENANT})).to_string().as_bytes()),
        parts[2]
    );
    assert_eq!(validator.validate(&forged), Err(TokenError::Signature));
    assert!(TokenValidator::new("{\"keys\": 1}", [APP]).is_err());
}

/// A delivery of two notifications for two tenants, each with resource data.
fn delivery(tokens: &[String], states: [&str; 2], content: &Value) -> ChangeNotificationCollection {
    let item = |tenant: &str, state: &str| {
        json!({
            "subscriptionId": SUBSCRIPTION, "tenantId": tenant, "clientState": state, "changeType": "updated",
            "resource": "communications/presences/u1", "subscriptionExpirationDateTime": "2026-12-01T11:00:00Z",
            "resourceData": {"@odata.type": "#Microsoft.Graph.presence", "@odata.id": "communications/presences/u1", "id": "u1"},
            "encryptedContent": content,
        })
    };
    serde_json::from_value(
        json!({"value": [item(TENANT, states[0]), item(OTHER_TENANT, states[1])], "validationTokens": tokens}),
    )
    .unwrap()
}

#[test]
fn a_delivery_is_checked_notification_by_notification() {
    let issuer = Issuer::new("key-1");
    let validator = validator(&[&issuer]);
    let states = ClientStates::new().with(SUBSCRIPTION, "secret");
    let content = json!({"data": "AA==", "dataKey": "AA==", "dataSignature": "AA==", "encryptionCertificateId": "c", "encryptionCertificateThumbprint": "T"});

    // A token for the first tenant only: the second notification has none.
    let body = delivery(&[issuer.token(claims(TENANT))], ["secret", "secret"], &content);
    let tokens = body.validate_tokens(&validator);
    let checked = body.check_with_tokens(&states, &tokens);
    assert_eq!(checked.accepted().iter().map(|a| a.index).collect::<Vec<_>>(), [0]);
    assert_eq!(
        checked.rejected().iter().map(|r| (r.index, r.reason.clone())).collect::<Vec<_>>(),
        [(1, Rejection::NoValidToken)]
    );

    // Tokens for both, and a wrong state on the first.
    let both = [issuer.token(claims(TENANT)), issuer.token(claims(OTHER_TENANT))];
    let body = delivery(&both, ["guess", "secret"], &content);
    let checked = body.check_with_tokens(&states, &body.validate_tokens(&validator));
    assert_eq!(
        checked.rejected().iter().map(|r| (r.index, r.reason.clone())).collect::<Vec<_>>(),
        [(0, Rejection::WrongClientState)]
    );
    assert_eq!(checked.accepted().len() + checked.rejected().len(), 2, "none is left out");

    // An expired token vouches for nobody.
    let body =
        delivery(&[issuer.token(with(claims(TENANT), json!({"exp": now() - 600})))], ["secret", "secret"], &content);
    let tokens = body.validate_tokens(&validator);
    assert_eq!(tokens, [Err(TokenError::Expired)]);
    assert!(body.check_with_tokens(&states, &tokens).accepted().is_empty());

    // One forged token beside a valid one: the whole delivery is suspicious.
    let forged = [issuer.token(claims(TENANT)), Issuer::new("key-1").token(claims(OTHER_TENANT))];
    let body = delivery(&forged, ["secret", "secret"], &content);
    let checked = body.check_with_tokens(&states, &body.validate_tokens(&validator));
    assert!(checked.accepted().is_empty());
    assert!(checked.rejected().iter().all(|r| r.reason == Rejection::SuspiciousDelivery), "{checked:?}");

    // Without its tokens checked, resource data fails closed.
    let body = delivery(&both, ["secret", "secret"], &content);
    let checked = body.check(&states);
    assert!(checked.rejected().iter().all(|r| r.reason == Rejection::NoValidToken), "{checked:?}");
    assert_eq!(checked.rejected().len(), 2);
}

#[test]
fn encrypted_presence_decrypts_into_the_typed_resource() {
    let private = PrivateDecryptingKey::generate(KeySize::Rsa2048).unwrap();
    let pkcs8 = AsDer::<Pkcs8V1Der>::as_der(&private).unwrap();
    let public = AsDer::<PublicKeyX509Der>::as_der(&private.public_key()).unwrap();
    let (certificate, thumbprint) = ("MySelfSignedCert/DDC9651A", "07293748CC064953A3052FB978C735FB89E61C3D");
    let mut keys = DecryptionKeys::new();
    keys.add_pkcs8_der(certificate, Some(thumbprint), pkcs8.as_ref()).unwrap();
    // A resource encrypted as Graph does: the five fields of an `encryptedContent`.
    let encrypted = |resource: Value| {
        let fields = encrypt(resource.to_string().as_bytes(), public.as_ref(), certificate, thumbprint).unwrap();
        json!({"data": fields[0], "dataKey": fields[1], "dataSignature": fields[2], "encryptionCertificateId": fields[3], "encryptionCertificateThumbprint": fields[4]})
    };

    // The plaintext has no `@odata.type`: the notification's resourceData says presence.
    let content = encrypted(json!({"id": "u1", "availability": "Busy", "activity": "InACall", "statusMessage": null}));
    let body = delivery(&[], ["secret", "secret"], &content);
    let notification = &body.notifications()[0];
    assert_eq!(notification.resource_type(), Some("microsoft.graph.presence"));
    let AnyEntity::Presence(presence) = notification.decrypt_resource(&keys).unwrap().unwrap() else { panic!() };
    assert_eq!(presence.availability.value().map(String::as_str), Some("Busy"));
    assert!(presence.status_message.is_null());
    assert_eq!(serde_json::to_value(&*presence).unwrap()["activity"], "InACall");

    // A flipped bit in the data is caught by the signature, before any decryption.
    let mut tampered = content.clone();
    let data = content["data"].as_str().unwrap();
    tampered["data"] = json!(data.replace(&data[4..5], if &data[4..5] == "A" { "B" } else { "A" }));
    let body = delivery(&[], ["secret", "secret"], &tampered);
    assert!(matches!(body.notifications()[0].decrypt_resource(&keys), Some(Err(DecryptError::Signature))));
    // Content about another resource, pasted into this notification: it decrypts and passes
    // its signature (whoever encrypts chooses the key), and is refused for what it says. An id
    // that is no GUID compares exactly: `U1` is not `u1`.
    for (other, property) in [
        (json!({"id": "u2", "availability": "Away"}), "id"),
        (json!({"id": "U1", "availability": "Away"}), "id"),
        (json!({"@odata.type": "#microsoft.graph.callRecords.callRecord", "id": "u1"}), "@odata.type"),
    ] {
        let body = delivery(&[], ["secret", "secret"], &encrypted(other));
        let outcome = body.notifications()[0].decrypt_resource(&keys).unwrap();
        assert!(
            matches!(&outcome, Err(DecryptError::NotTheResource { property: p, .. }) if *p == property),
            "{property}: {outcome:?}"
        );
    }
    // A notification without encrypted content has nothing to decrypt.
    let plain: ChangeNotificationCollection =
        serde_json::from_value(json!({"value": [{"changeType": "updated", "resource": "x"}]})).unwrap();
    assert!(plain.notifications()[0].decrypt_resource(&keys).is_none());
}

#[test]
fn the_handshake_and_the_subscription_requests() {
    let answer = validation_request("POST", "/api/notify?validationToken=Validation%3A+Testing").unwrap().unwrap();
    assert_eq!(answer.body(), "Validation: Testing");

    // Create, renew and delete a subscription with the typed requests.
    let body: Subscription = serde_json::from_value(json!({
        "changeType": "created,updated", "notificationUrl": "https://bot.example/notify",
        "lifecycleNotificationUrl": "https://bot.example/lifecycle", "resource": "communications/callRecords",
        "expirationDateTime": "2026-12-01T10:00:00Z", "clientState": "secret"
    }))
    .unwrap();
    let renewal = body.renewal(&msgraph_comms::edm::DateTimeOffset::new("2026-12-01T10:00:00Z")).unwrap();
    assert_eq!(serde_json::to_value(&renewal).unwrap(), json!({"expirationDateTime": "2026-12-04T08:29:00Z"}));
    use msgraph_comms::odata::Request;
    let create = subscription::Create::new(subscription::Collection::Subscriptions, body);
    assert_eq!(
        (create.template().unwrap().template, create.path().unwrap()),
        ("/subscriptions", "/subscriptions".to_owned())
    );
    let renew = subscription::Update::new(subscription::Item::Subscriptions { subscription_id: "s/1".into() }, renewal);
    assert_eq!(renew.path().unwrap(), "/subscriptions/s%2F1");
    let delete = subscription::Delete::new(subscription::Item::Subscriptions { subscription_id: "s1".into() });
    assert_eq!(delete.path().unwrap(), "/subscriptions/s1");
    let reauthorize = subscription::Reauthorize::new(
        subscription::Item::Subscriptions { subscription_id: "s1".into() },
        subscription::ReauthorizeRequest::default(),
    );
    assert_eq!(reauthorize.path().unwrap(), "/subscriptions/s1/reauthorize");
}
