//! Calling bots' callbacks authenticated: the `Authorization` header of a POST to the bot,
//! validated against a key set made here (standing for Graph's calling service), in every way
//! a forger could try.

mod support;

use msgraph_comms::callback::{CallbackError, CallbackValidator, ISSUERS, TokenError};
use serde_json::{Value, json};
use support::jwt::{Issuer, base64url, now, with};

const BOT: &str = "8e460676-ae3f-4b1e-8790-ee0fb5d6148f";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

/// The claims of a callback's token, as Graph's calling service signs them.
fn claims() -> Value {
    json!({"aud": BOT, "iss": "https://graph.microsoft.com", "iat": now() - 10, "nbf": now() - 10,
           "exp": now() + 3600, "tid": TENANT, "appid": "26a18ebc-cdf7-4a6a-91cb-beb352805e81"})
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

#[test]
fn a_callback_signed_by_graph_says_who_sent_it() {
    let graph = Issuer::new("calling-1");
    let validator = CallbackValidator::new(&Issuer::key_set(&[&graph]), [BOT]).unwrap();
    let caller = validator.validate(Some(&bearer(&graph.token(claims())))).unwrap();
    assert_eq!(
        (caller.app_id.as_str(), caller.issuer.as_str(), caller.tenant_id.as_deref()),
        (BOT, "https://graph.microsoft.com", Some(TENANT))
    );
    // The other documented issuer; the scheme in any case; the tenant in the long claim name.
    let botframework = with(
        claims(),
        json!({"iss": "https://api.botframework.com", "tid": null,
               "http://schemas.microsoft.com/identity/claims/tenantid": TENANT}),
    );
    let caller = validator.validate(Some(&format!("bearer  {}", graph.token(botframework)))).unwrap();
    assert_eq!((caller.issuer.as_str(), caller.tenant_id.as_deref()), (ISSUERS[1], Some(TENANT)));
    // A token for several audiences, ours among them.
    let many = with(claims(), json!({"aud": ["someone-else", BOT]}));
    assert_eq!(validator.validate(Some(&bearer(&graph.token(many)))).unwrap().app_id, BOT);
}

#[test]
fn forged_callbacks_are_refused_with_why() {
    let graph = Issuer::new("calling-1");
    let forger = Issuer::new("calling-1");
    let validator = CallbackValidator::new(&Issuer::key_set(&[&graph]), [BOT]).unwrap();
    type Expected = fn(&CallbackError) -> bool;
    let token = |e: TokenError| CallbackError::Token(e);
    let cases: Vec<(&str, Option<String>, Expected)> = vec![
        ("no header", None, |e| *e == CallbackError::Missing),
        ("empty header", Some(String::new()), |e| *e == CallbackError::NotBearer),
        ("not Bearer", Some(format!("Basic {}", base64url(b"bot:secret"))), |e| *e == CallbackError::NotBearer),
        ("the token alone", Some(graph.token(claims())), |e| *e == CallbackError::NotBearer),
        ("expired", Some(bearer(&graph.token(with(claims(), json!({"exp": now() - 3600}))))), |e| {
            *e == CallbackError::Token(TokenError::Expired)
        }),
        ("not yet valid", Some(bearer(&graph.token(with(claims(), json!({"nbf": now() + 3600}))))), |e| {
            *e == CallbackError::Token(TokenError::NotYetValid)
        }),
        ("wrong audience", Some(bearer(&graph.token(with(claims(), json!({"aud": "another-bot"}))))), |e| {
            matches!(e, CallbackError::Token(TokenError::Audience(_)))
        }),
        (
            "wrong issuer",
            Some(bearer(&graph.token(with(claims(), json!({"iss": "https://sts.windows.net/attacker/"}))))),
            |e| matches!(e, CallbackError::Token(TokenError::Issuer(Some(_)))),
        ),
        ("no issuer", Some(bearer(&graph.token(with(claims(), json!({"iss": null}))))), |e| {
            matches!(e, CallbackError::Token(TokenError::Issuer(_)))
        }),
        ("signed by another key of the same kid", Some(bearer(&forger.token(claims()))), |e| {
            *e == CallbackError::Token(TokenError::Signature)
        }),
        (
            "unknown kid",
            Some(bearer(&Issuer::new("calling-9").token(claims()))),
            |e| matches!(e, CallbackError::Token(TokenError::UnknownKey(Some(k))) if k == "calling-9"),
        ),
        (
            "alg none",
            Some(bearer(&format!(
                "{}.{}.",
                base64url(br#"{"alg":"none","typ":"JWT"}"#),
                base64url(claims().to_string().as_bytes())
            ))),
            |e| matches!(e, CallbackError::Token(TokenError::Algorithm(a)) if a == "none"),
        ),
        (
            "HS256 keyed with the public key",
            Some(bearer(&graph.hs256_with_public_key(claims()))),
            |e| matches!(e, CallbackError::Token(TokenError::Algorithm(a)) if a == "HS256"),
        ),
        ("not a JWT", Some(bearer("not.a.jwt")), |e| matches!(e, CallbackError::Token(TokenError::Malformed(_)))),
    ];
    for (name, header, expected) in cases {
        let outcome = validator.validate(header.as_deref());
        assert!(outcome.as_ref().is_err_and(expected), "{name}: {outcome:?}");
    }
    // A valid signature over another payload.
    let valid = graph.token(claims());
    let parts: Vec<&str> = valid.split('.').collect();
    let other = base64url(with(claims(), json!({"tid": "another-tenant"})).to_string().as_bytes());
    let forged = format!("{}.{other}.{}", parts[0], parts[2]);
    assert_eq!(validator.validate(Some(&bearer(&forged))), Err(token(TokenError::Signature)));
    // What an error quotes of the token is bounded.
    let long_kid = graph.sign(json!({"alg": "RS256", "kid": "k".repeat(100_000)}), claims());
    let error = validator.validate(Some(&bearer(&long_kid))).unwrap_err().to_string();
    assert!(error.len() < 400, "{} bytes", error.len());
}

#[test]
fn a_national_cloud_trusts_its_own_issuers() {
    let graph = Issuer::new("calling-1");
    let validator =
        CallbackValidator::new(&Issuer::key_set(&[&graph]), [BOT]).unwrap().issuers(["https://graph.microsoft.us"]);
    let us = graph.token(with(claims(), json!({"iss": "https://graph.microsoft.us"})));
    assert!(validator.validate(Some(&bearer(&us))).is_ok());
    assert!(validator.validate(Some(&bearer(&graph.token(claims())))).is_err());
    assert!(CallbackValidator::new("not json", [BOT]).is_err());
}
