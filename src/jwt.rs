//! JSON Web Tokens signed by Microsoft (cargo feature `jwt`): what the validators of change
//! notifications' validation tokens ([`crate::change_notifications::TokenValidator`]) and of
//! calling bots' callbacks ([`crate::callback::CallbackValidator`]) share. A token is verified
//! when it is signed with RS256 (and nothing else: not `none`, not an HMAC keyed with a public
//! key) by a key of the key set the caller fetched, is not expired nor not yet valid (within a
//! leeway), and is issued to one of our app ids (`aud`); what else it must say is each
//! validator's.

use std::fmt;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

use crate::bounded::bounded;

/// Why a token is not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// Not a JWT (its parts, base64 or JSON).
    Malformed(String),
    /// Signed with another algorithm than RS256 (`none`, `HS256`, …), which Microsoft never uses.
    Algorithm(String),
    /// No key of the key set has the token's `kid` (fetch the set again: keys rotate).
    UnknownKey(Option<String>),
    /// The signature is not the key's.
    Signature,
    /// Expired (`exp`).
    Expired,
    /// Not valid yet (`nbf`).
    NotYetValid,
    /// For another app (`aud`).
    Audience(Option<String>),
    /// Not issued by an issuer trusted for it (`iss`): for a validation token, the authority of
    /// its tenant (`tid`); for a callback, Graph.
    Issuer(Option<String>),
    /// Obtained by another app than Graph's change-tracking app (`appid`, `azp`).
    Publisher(Option<String>),
}

impl TokenError {
    /// [`TokenError::Issuer`], quoting at most a bounded prefix of the issuer.
    pub(crate) fn issuer(issuer: Option<&str>) -> Self {
        TokenError::Issuer(issuer.map(bounded))
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".to_owned());
        match self {
            TokenError::Malformed(why) => write!(f, "not a JWT: {why}"),
            TokenError::Algorithm(alg) => write!(f, "signed with {alg}, not RS256"),
            TokenError::UnknownKey(kid) => write!(f, "no key `{}` in the key set", shown(kid)),
            TokenError::Signature => write!(f, "the signature is not valid"),
            TokenError::Expired => write!(f, "expired"),
            TokenError::NotYetValid => write!(f, "not valid yet"),
            TokenError::Audience(aud) => write!(f, "issued to `{}`, not to our app", shown(aud)),
            TokenError::Issuer(iss) => write!(f, "issued by `{}`, which is not trusted for it", shown(iss)),
            TokenError::Publisher(app) => {
                write!(f, "obtained by the app `{}`, not by Graph's change tracking", shown(app))
            }
        }
    }
}

impl std::error::Error for TokenError {}

/// Why a key set could not be read.
#[derive(Debug)]
pub struct KeySetError(serde_json::Error);

impl fmt::Display for KeySetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a JSON Web Key Set: {}", self.0)
    }
}

impl std::error::Error for KeySetError {}

/// The key set of `jwks`, the JSON of a JSON Web Key Set:
/// `{"keys": [{"kty": "RSA", "kid": …, "n": …, "e": …}, …]}`.
pub(crate) fn key_set(jwks: &str) -> Result<JwkSet, KeySetError> {
    serde_json::from_str(jwks).map_err(KeySetError)
}

/// The claims of `token`, verified: RS256 by a key of `keys` (by `kid`), `exp` (required) and
/// `nbf` within `leeway` seconds of now, `aud` one of `audiences`, an `iss`.
pub(crate) fn verify(
    token: &str,
    keys: &JwkSet,
    audiences: &[String],
    leeway: u64,
) -> Result<Map<String, Value>, TokenError> {
    // The algorithm first, from the header as it came: `none` is no algorithm `jsonwebtoken`
    // knows, and must say so rather than "malformed".
    if let Some(alg) = algorithm_of(token).filter(|alg| alg != "RS256") {
        return Err(TokenError::Algorithm(bounded(&alg)));
    }
    // A header that names another algorithm was refused above; one `jsonwebtoken` cannot read
    // is malformed.
    let header = jsonwebtoken::decode_header(token).map_err(|e| TokenError::Malformed(bounded(&e.to_string())))?;
    let kid = header.kid.as_deref().map(bounded);
    let jwk =
        header.kid.as_deref().and_then(|kid| keys.find(kid)).ok_or_else(|| TokenError::UnknownKey(kid.clone()))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|_| TokenError::UnknownKey(kid))?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = leeway;
    validation.validate_nbf = true;
    validation.set_audience(audiences);
    validation.set_required_spec_claims(&["exp", "aud", "iss"]);
    let claims = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation)
        .map_err(|e| match e.kind() {
            ErrorKind::InvalidSignature => TokenError::Signature,
            ErrorKind::ExpiredSignature => TokenError::Expired,
            ErrorKind::ImmatureSignature => TokenError::NotYetValid,
            ErrorKind::InvalidAudience => TokenError::Audience(None),
            ErrorKind::MissingRequiredClaim(claim) if claim == "aud" => TokenError::Audience(None),
            ErrorKind::MissingRequiredClaim(claim) if claim == "iss" => TokenError::Issuer(None),
            ErrorKind::MissingRequiredClaim(claim) if claim == "exp" => TokenError::Expired,
            _ => TokenError::Malformed(bounded(&e.to_string())),
        })?
        .claims;
    Ok(claims)
}

/// A text claim.
pub(crate) fn text(claims: &Map<String, Value>, name: &str) -> Option<String> {
    claims.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// The one of `ours` that the token's `aud` names (a text, or a list of them).
pub(crate) fn audience(claims: &Map<String, Value>, ours: &[String]) -> Option<String> {
    let named = |aud: &str| ours.iter().any(|app| app == aud);
    match claims.get("aud")? {
        Value::String(aud) => named(aud).then(|| aud.clone()),
        Value::Array(auds) => auds.iter().filter_map(Value::as_str).find(|aud| named(aud)).map(str::to_owned),
        _ => None,
    }
}

/// The `alg` a token's header names, if its header is base64url JSON with a string `alg`.
fn algorithm_of(token: &str) -> Option<String> {
    let header = token.split('.').next().unwrap_or_default();
    let json = crate::edm::Binary::new(header).decode().ok()?;
    let header = serde_json::from_slice::<Value>(&json).ok()?;
    header.get("alg")?.as_str().map(str::to_owned)
}
