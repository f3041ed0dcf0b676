//! The OpenID Connect protocol part, on the `openidconnect` crate: discover
//! the provider, build the authorization URL (PKCE S256, nonce, state), and
//! verify the callback (state, RFC 9207 `iss`, code exchange, ID token).
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, StandardErrorResponse,
    StandardTokenResponse, TokenResponse as _, reqwest,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct GroupsClaims {
    #[serde(default)]
    pub groups: Vec<String>,
}
impl AdditionalClaims for GroupsClaims {}

type GroupsTokenResponse = StandardTokenResponse<
    IdTokenFields<
        GroupsClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

/// The client, by whether its token endpoint is known (`EndpointMaybeSet`
/// right after discovery, `EndpointSet` once set).
type ClientWithToken<TokenUrl> = Client<
    GroupsClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    GroupsTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    TokenUrl,
    EndpointMaybeSet,
>;

pub type OidcClient = ClientWithToken<EndpointSet>;
type DiscoveredClient = ClientWithToken<EndpointMaybeSet>;

/// Why a sign-in through the provider failed (logged; the user sees a
/// generic message).
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("provider discovery failed: {0}")]
    Discovery(String),
    #[error("invalid provider configuration: {0}")]
    Config(String),
    #[error("state mismatch")]
    State,
    #[error("issuer mismatch")]
    Issuer,
    #[error("code exchange failed: {0}")]
    Exchange(String),
    #[error("ID token rejected: {0}")]
    IdToken(String),
}

/// No redirects (a provider must not bounce us elsewhere) and a short timeout.
pub fn http_client() -> Result<reqwest::Client, OidcError> {
    reqwest::ClientBuilder::new()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| OidcError::Config(e.to_string()))
}

pub async fn discover(
    http: &reqwest::Client,
    issuer: &str,
    client_id: &str,
    client_secret: &str,
    redirect: &str,
) -> Result<OidcClient, OidcError> {
    let issuer = IssuerUrl::new(issuer.to_owned()).map_err(|e| OidcError::Config(e.to_string()))?;
    let meta = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| OidcError::Discovery(e.to_string()))?;
    let token_url = meta
        .token_endpoint()
        .cloned()
        .ok_or_else(|| OidcError::Config("the provider has no token endpoint".into()))?;
    let redirect =
        RedirectUrl::new(redirect.to_owned()).map_err(|e| OidcError::Config(e.to_string()))?;
    let discovered: DiscoveredClient = Client::from_provider_metadata(
        meta,
        ClientId::new(client_id.into()),
        Some(ClientSecret::new(client_secret.into())),
    );
    Ok(discovered
        .set_token_uri(token_url)
        .set_redirect_uri(redirect))
}

/// What the browser's session keeps between the redirect and the callback.
#[derive(Serialize, Deserialize)]
pub struct Pending {
    pub csrf: CsrfToken,
    pub nonce: Nonce,
    pub pkce: PkceCodeVerifier,
}

pub fn start(client: &OidcClient) -> (String, Pending) {
    let (challenge, pkce) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("groups".into()))
        .set_pkce_challenge(challenge)
        .url();
    (url.to_string(), Pending { csrf, nonce, pkce })
}

/// The verified identity from the ID token.
#[derive(Debug, Clone)]
pub struct Identity {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    pub groups: Vec<String>,
    /// How the provider says the user authenticated (`amr`: `mfa`, `otp`, …).
    pub amr: Vec<String>,
}

fn same(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

pub async fn finish(
    client: &OidcClient,
    issuer: &str,
    http: &reqwest::Client,
    code: String,
    state: &str,
    iss: Option<&str>,
    pending: Pending,
) -> Result<Identity, OidcError> {
    if !same(state, pending.csrf.secret()) {
        return Err(OidcError::State);
    }
    if iss.is_some_and(|i| i != issuer) {
        return Err(OidcError::Issuer);
    }
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(pending.pkce)
        .request_async(http)
        .await
        .map_err(|e| OidcError::Exchange(e.to_string()))?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| OidcError::IdToken("no id_token in the response".into()))?;
    let claims = id_token
        .claims(&client.id_token_verifier(), &pending.nonce)
        .map_err(|e| OidcError::IdToken(e.to_string()))?;
    Ok(Identity {
        subject: claims.subject().as_str().to_owned(),
        email: claims.email().map(|e| e.as_str().to_owned()),
        email_verified: claims.email_verified().unwrap_or(false),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned()),
        groups: claims.additional_claims().groups.clone(),
        amr: claims
            .auth_method_refs()
            .map(|refs| refs.iter().map(|r| r.to_string()).collect())
            .unwrap_or_default(),
    })
}
