//! The SSO sign-in flow: begin (redirect to the provider) and complete
//! (verify, provision or link, ask for TOTP, start the session, audit).
//! Settings live in `settings.rs`, accounts are found or made in
//! `provision.rs`.
use super::oidc;
use crate::audit::{self, Event, Outcome};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::Ctx;
use tower_sessions::Session;

const PENDING_KEY: &str = "oidc_pending";
pub use super::CALLBACK_PATH;
pub const START_PATH: &str = "/auth/oidc/start";

use super::provision::{Provisioned, provision};
use super::settings::{Stored, load, secret_aad};
pub use super::settings::{save, settings, status};

/// The configured client, or 404 when SSO is off.
async fn client(
    ctx: &Ctx,
) -> Result<
    (
        oidc::OidcClient,
        String,
        Stored,
        openidconnect::reqwest::Client,
    ),
    AppError,
> {
    let (s, sealed) = load(ctx.db()).await?;
    let sealed = sealed
        .filter(|_| s.enabled)
        .ok_or_else(AppError::not_found)?;
    let secret = ctx
        .state
        .secrets
        .open_string(&secret_aad(), &sealed)
        .map_err(AppError::internal)?;
    let http = oidc::http_client().map_err(AppError::internal)?;
    let redirect = format!("{}{CALLBACK_PATH}", ctx.state.public_url);
    let c = oidc::discover(&http, &s.issuer, &s.client_id, &secret, &redirect)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "OIDC discovery failed");
            AppError::because(ErrorCode::Unavailable, MsgKey::SsoFailed)
        })?;
    let issuer = s.issuer.clone();
    Ok((c, issuer, s, http))
}

/// `GET /auth/oidc/start`: the provider's authorization URL to redirect to.
pub async fn begin(ctx: &Ctx, session: &Session) -> Result<String, AppError> {
    let (c, _, _, _) = client(ctx).await?;
    let (url, pending) = oidc::start(&c);
    session.insert(PENDING_KEY, pending).await?;
    Ok(url)
}

/// How an SSO callback ended, when the provider's answer was good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    SignedIn,
    /// The account has TOTP: its code is asked on the sign-in page.
    NeedsTotp,
    /// An account with this email exists and has its own credentials: it
    /// signs in with them once, and the identity is linked then.
    NeedsLinkProof,
}

/// Whether the provider's `amr` claim reports multi-factor authentication.
fn idp_did_mfa(amr: &[String]) -> bool {
    amr.iter()
        .any(|m| matches!(m.as_str(), "mfa" | "otp" | "hwk" | "swk" | "sc" | "fido"))
}

/// `GET /auth/oidc/callback`: verifies the answer and signs the user in.
pub async fn complete(
    ctx: &Ctx,
    session: &Session,
    code: String,
    state: &str,
    iss: Option<&str>,
) -> Result<SignIn, AppError> {
    let pending: Option<oidc::Pending> = session.remove(PENDING_KEY).await?;
    let pending =
        pending.ok_or_else(|| AppError::because(ErrorCode::BadRequest, MsgKey::SsoFailed))?;
    let (c, issuer, settings, http) = client(ctx).await?;
    let identity = match oidc::finish(&c, &issuer, &http, code, state, iss, pending).await {
        Ok(i) => i,
        Err(e) => {
            tracing::warn!(error = %e, "OIDC sign-in rejected");
            audit::record(
                ctx.db(),
                ctx,
                Event::new("auth.sso_login", "user")
                    .outcome(Outcome::Failed)
                    .actor_hint(&issuer),
            )
            .await?;
            return Err(AppError::because(
                ErrorCode::Unauthorized,
                MsgKey::SsoFailed,
            ));
        }
    };
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let u = provision(ctx, &tx, &issuer, &settings, &identity).await;
    let u = match u {
        Ok(Provisioned::Ready(u)) => *u,
        Ok(Provisioned::LinkProof { user_id, subject }) => {
            drop(tx);
            crate::auth::sso_steps::await_link_proof(session, user_id, subject).await?;
            return Ok(SignIn::NeedsLinkProof);
        }
        Err(e) => {
            drop(tx);
            let who = identity.email.clone().unwrap_or(identity.subject.clone());
            audit::record(
                ctx.db(),
                ctx,
                Event::new("auth.sso_login", "user")
                    .outcome(Outcome::Denied)
                    .actor_hint(who),
            )
            .await?;
            return Err(e);
        }
    };
    let principal = crate::users::service::principal_of(
        &tx,
        &u,
        crate::platform::AuthMethod::Session(String::new()),
    )
    .await?
    .ok_or_else(|| AppError::because(ErrorCode::Unauthorized, MsgKey::SsoFailed))?;
    if u.totp_enabled && !(settings.trust_idp_mfa && idp_did_mfa(&identity.amr)) {
        // The provider vouches for the identity, not for this account's
        // second factor: ask for it before any session starts.
        tx.commit().await?;
        crate::auth::sso_steps::await_second_factor(session, u.id).await?;
        return Ok(SignIn::NeedsTotp);
    }
    let acting = ctx.clone().with_principal(Some(principal));
    audit::record(
        &tx,
        &acting,
        Event::new("auth.sso_login", "user").target(u.id),
    )
    .await?;
    tx.commit().await?;
    crate::sessions::service::start(ctx, session, u.id).await?;
    Ok(SignIn::SignedIn)
}
