//! A signer of JSON Web Tokens made in the tests, and its key set: what Microsoft's identity
//! platform (for validation tokens) and Graph's calling service (for callbacks) are to the
//! validators under test.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::KeyPair as _;
use aws_lc_rs::signature::RSA_PKCS1_SHA256;
use serde_json::{Value, json};

pub fn base64url(bytes: &[u8]) -> String {
    msgraph_comms::edm::Binary::encode_url_safe(bytes).into_string()
}

pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// A signing key, and its id in the key set.
pub struct Issuer {
    pub key: KeyPair,
    pub kid: &'static str,
}

impl Issuer {
    pub fn new(kid: &'static str) -> Self {
        Issuer { key: KeyPair::generate(KeySize::Rsa2048).unwrap(), kid }
    }

    /// The key as a JSON Web Key.
    pub fn jwk(&self) -> Value {
        let components: PublicKeyComponents<Vec<u8>> = self.key.public_key().into();
        json!({"kty": "RSA", "use": "sig", "kid": self.kid, "n": base64url(&components.n), "e": base64url(&components.e)})
    }

    /// The key set of `issuers`, as JSON.
    pub fn key_set(issuers: &[&Issuer]) -> String {
        json!({"keys": issuers.iter().map(|i| i.jwk()).collect::<Vec<_>>()}).to_string()
    }

    /// `header` and `claims` signed with RS256, whatever the header says.
    pub fn sign(&self, header: Value, claims: Value) -> String {
        let input =
            format!("{}.{}", base64url(header.to_string().as_bytes()), base64url(claims.to_string().as_bytes()));
        let mut signature = vec![0; self.key.public_modulus_len()];
        self.key.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), input.as_bytes(), &mut signature).unwrap();
        format!("{input}.{}", base64url(&signature))
    }

    /// `claims` in a token of this key, as Microsoft signs them.
    pub fn token(&self, claims: Value) -> String {
        self.sign(json!({"typ": "JWT", "alg": "RS256", "kid": self.kid}), claims)
    }

    /// `claims` signed with HS256 keyed with this key's public key: the confusion attack.
    pub fn hs256_with_public_key(&self, claims: Value) -> String {
        use aws_lc_rs::hmac;
        let header = json!({"typ": "JWT", "alg": "HS256", "kid": self.kid});
        let input =
            format!("{}.{}", base64url(header.to_string().as_bytes()), base64url(claims.to_string().as_bytes()));
        let public = self.jwk().to_string();
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, public.as_bytes()), input.as_bytes());
        format!("{input}.{}", base64url(tag.as_ref()))
    }
}

/// `value` with `changes` set on it.
pub fn with(mut value: Value, changes: Value) -> Value {
    value.as_object_mut().unwrap().extend(changes.as_object().unwrap().clone());
    value
}
