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

use jsonwebtoken::jwk::JwkSet;
use serde_json::Value;

pub use crate::jwt::{KeySetError, TokenError};
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
        let keys = crate::jwt::key_set(jwks)?;
        Ok(TokenValidator { keys, app_ids: app_ids.into_iter().map(Into::into).collect(), leeway: 60 })
    }

    /// The seconds of clock difference allowed for `exp` and `nbf` (60 unless set).
    pub fn leeway(mut self, seconds: u64) -> Self {
        self.leeway = seconds;
        self
    }

    /// Whether `token` is a valid validation token, and for which tenant.
    pub fn validate(&self, token: &str) -> Result<ValidToken, TokenError> {
        let claims = crate::jwt::verify(token, &self.keys, &self.app_ids, self.leeway)?;
        let app_id = crate::jwt::audience(&claims, &self.app_ids).ok_or(TokenError::Audience(None))?;
        let issuer = crate::jwt::text(&claims, "iss");
        let tenant_id = crate::jwt::text(&claims, "tid").ok_or_else(|| TokenError::issuer(issuer.as_deref()))?;
        let issuers = [
            format!("https://sts.windows.net/{tenant_id}/"),
            format!("https://login.microsoftonline.com/{tenant_id}/v2.0"),
        ];
        if !issuer.as_ref().is_some_and(|iss| issuers.contains(iss)) {
            return Err(TokenError::issuer(issuer.as_deref()));
        }
        let publisher = crate::jwt::text(&claims, "appid").or_else(|| crate::jwt::text(&claims, "azp"));
        if !publisher.as_deref().is_some_and(|app| same_id(app, CHANGE_TRACKING_APP_ID)) {
            return Err(TokenError::Publisher(publisher.as_deref().map(crate::bounded::bounded)));
        }
        let expires_at = claims.get("exp").and_then(Value::as_u64).unwrap_or_default();
        Ok(ValidToken { tenant_id, app_id, expires_at })
    }

    /// Each of `tokens` validated, in order.
    pub fn validate_all<'a>(&self, tokens: impl IntoIterator<Item = &'a str>) -> Vec<Result<ValidToken, TokenError>> {
        tokens.into_iter().map(|t| self.validate(t)).collect()
    }
}
