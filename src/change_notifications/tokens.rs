//! The `validationTokens` of a delivery with resource data (cargo feature `jwt`): JSON Web
//! Tokens that Microsoft's identity platform signs, one per app and tenant of the delivery's
//! notifications. A notification with resource data is Graph's when a token for its tenant is
//! valid: signed (RS256) by a key of Microsoft's key set, not expired, for our app (`aud`),
//! issued by the tenant's authority (`iss`), and obtained by Graph's change-tracking app
//! (`appid`, or `azp` in v2.0 tokens).
//!
//! Fetching the key set is the caller's job, so that the crate stays without a network
//! client: `GET https://login.microsoftonline.com/common/discovery/v2.0/keys` (the `jwks_uri` of
//! `https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration`) gives the
//! JSON to pass to [`TokenValidator::new`]. The keys rotate: cache the set for hours, not days,
//! and fetch it again when a token names a key it lacks ([`TokenError::UnknownKey`]).

use std::fmt;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use crate::odata::same_id;

/// The app id of Microsoft Graph's change-tracking app, which obtains the validation tokens:
/// a token obtained by any other app is not Graph's.
pub const CHANGE_TRACKING_APP_ID: &str = "0bf30f3b-4a52-48df-9a82-234910c4a086";

/// What a valid token says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidToken {
    /// The tenant (`tid`) whose notifications it vouches for.
    pub tenant_id: String,
    /// Our app id it was issued to (`aud`).
    pub app_id: String,
    /// When it expires (`exp`), in seconds since 1970.
    pub expires_at: u64,
}

/// Why a validation token is not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// Not a JWT (its parts, base64 or JSON).
    Malformed(String),
    /// Signed with another algorithm than RS256 (`none`, `HS256`, …), which Graph never uses.
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
    /// Not issued by the authority of its tenant (`iss`, `tid`).
    Issuer(Option<String>),
    /// Obtained by another app than Graph's change-tracking app (`appid`, `azp`).
    Publisher(Option<String>),
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
            TokenError::Issuer(iss) => write!(f, "issued by `{}`, not by its tenant's authority", shown(iss)),
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

/// Validates tokens against Microsoft's key set, for our app ids.
#[derive(Clone, Debug)]
pub struct TokenValidator {
    keys: JwkSet,
    app_ids: Vec<String>,
    leeway: u64,
}

impl TokenValidator {
    /// A validator for tokens issued to any of `app_ids`, with the keys of `jwks` (the JSON of
    /// a JSON Web Key Set: `{"keys": [{"kty": "RSA", "kid": …, "n": …, "e": …}, …]}`).
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(jwks: &str, app_ids: I) -> Result<Self, KeySetError> {
        let keys = serde_json::from_str(jwks).map_err(KeySetError)?;
        Ok(TokenValidator { keys, app_ids: app_ids.into_iter().map(Into::into).collect(), leeway: 60 })
    }

    /// The seconds of clock difference allowed for `exp` and `nbf` (60 unless set).
    pub fn leeway(mut self, seconds: u64) -> Self {
        self.leeway = seconds;
        self
    }

    /// Whether `token` is a valid validation token, and for which tenant.
    pub fn validate(&self, token: &str) -> Result<ValidToken, TokenError> {
        // The algorithm first, from the header as it came: `none` is no algorithm
        // `jsonwebtoken` knows, and must say so rather than "malformed".
        if let Some(alg) = algorithm_of(token).filter(|alg| alg != "RS256") {
            return Err(TokenError::Algorithm(alg));
        }
        // A header that names another algorithm was refused above; one `jsonwebtoken` cannot
        // read is malformed.
        let header = jsonwebtoken::decode_header(token).map_err(|e| TokenError::Malformed(e.to_string()))?;
        let jwk = header.kid.as_deref().and_then(|kid| self.keys.find(kid));
        let jwk = jwk.ok_or_else(|| TokenError::UnknownKey(header.kid.clone()))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|_| TokenError::UnknownKey(header.kid.clone()))?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = self.leeway;
        validation.validate_nbf = true;
        validation.set_audience(&self.app_ids);
        validation.set_required_spec_claims(&["exp", "aud", "iss"]);
        let claims = jsonwebtoken::decode::<Value>(token, &key, &validation)
            .map_err(|e| match e.kind() {
                ErrorKind::InvalidSignature => TokenError::Signature,
                ErrorKind::ExpiredSignature => TokenError::Expired,
                ErrorKind::ImmatureSignature => TokenError::NotYetValid,
                ErrorKind::InvalidAudience => TokenError::Audience(None),
                ErrorKind::MissingRequiredClaim(claim) if claim == "aud" => TokenError::Audience(None),
                ErrorKind::MissingRequiredClaim(claim) if claim == "iss" => TokenError::Issuer(None),
                ErrorKind::MissingRequiredClaim(claim) if claim == "exp" => TokenError::Expired,
                _ => TokenError::Malformed(e.to_string()),
            })?
            .claims;
        let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
        let app_id = text("aud").ok_or(TokenError::Audience(None))?;
        let tenant_id = text("tid").ok_or_else(|| TokenError::Issuer(text("iss")))?;
        let issuer = text("iss");
        let issuers = [
            format!("https://sts.windows.net/{tenant_id}/"),
            format!("https://login.microsoftonline.com/{tenant_id}/v2.0"),
        ];
        if !issuer.as_ref().is_some_and(|iss| issuers.contains(iss)) {
            return Err(TokenError::Issuer(issuer));
        }
        let publisher = text("appid").or_else(|| text("azp"));
        if !publisher.as_deref().is_some_and(|app| same_id(app, CHANGE_TRACKING_APP_ID)) {
            return Err(TokenError::Publisher(publisher));
        }
        let expires_at = claims.get("exp").and_then(Value::as_u64).unwrap_or_default();
        Ok(ValidToken { tenant_id, app_id, expires_at })
    }

    /// Each of `tokens` validated, in order.
    pub fn validate_all<'a>(&self, tokens: impl IntoIterator<Item = &'a str>) -> Vec<Result<ValidToken, TokenError>> {
        tokens.into_iter().map(|t| self.validate(t)).collect()
    }
}

/// The `alg` a token's header names, if its header is base64url JSON with a string `alg`.
fn algorithm_of(token: &str) -> Option<String> {
    let header = token.split('.').next().unwrap_or_default();
    let json = crate::edm::Binary::new(header).decode().ok()?;
    let header = serde_json::from_slice::<Value>(&json).ok()?;
    header.get("alg")?.as_str().map(str::to_owned)
}

/// The tenants of the valid tokens among `results`, for [`super::check`].
pub fn valid_tenants(results: &[Result<ValidToken, TokenError>]) -> Vec<String> {
    results.iter().filter_map(|r| r.as_ref().ok()).map(|t| t.tenant_id.clone()).collect()
}
