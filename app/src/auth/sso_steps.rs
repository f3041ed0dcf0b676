//! Sign-in steps an SSO callback leaves waiting for the account's own proof:
//! its TOTP code, or (before a provider identity is linked to an existing
//! account) one sign-in with its own password. Kept in the session for
//! [`PENDING_SECS`].
use super::{
    Me,
    service::{Proven, complete_sign_in, fail, refuse_token},
};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{Ctx, throttle};
use crate::sessions::service::now_unix;
use crate::users::{UserStatus, service as users};
use tower_sessions::Session;

/// An SSO identity waiting for its account to prove itself (password, and
/// 2FA when on) before it is linked: set by the SSO callback, taken by the
/// next successful sign-in of that same account in the same browser.
const KEY_PENDING_LINK: &str = "sso_pending_link";
/// An SSO sign-in waiting for the account's TOTP code: (user id, unix time).
const KEY_PENDING_2FA: &str = "sso_pending_2fa";
/// How long a pending SSO step stays valid.
const PENDING_SECS: i64 = 300;

#[derive(serde::Serialize, serde::Deserialize)]
struct PendingLink {
    user_id: i32,
    subject: String,
    at: i64,
}

/// Remembers that `subject` may be linked to `user_id` once it signs in.
pub async fn await_link_proof(
    session: &Session,
    user_id: i32,
    subject: String,
) -> Result<(), AppError> {
    let pending = PendingLink {
        user_id,
        subject,
        at: now_unix(),
    };
    session
        .insert(KEY_PENDING_LINK, pending)
        .await
        .map_err(AppError::internal)
}

pub(super) async fn take_pending_link(
    session: &Session,
    user_id: i32,
) -> Result<Option<String>, AppError> {
    let pending: Option<PendingLink> = session.remove(KEY_PENDING_LINK).await?;
    Ok(pending
        .filter(|p| p.user_id == user_id && now_unix() - p.at <= PENDING_SECS)
        .map(|p| p.subject))
}

/// Remembers an SSO sign-in of `user_id` that still needs its TOTP code.
pub async fn await_second_factor(session: &Session, user_id: i32) -> Result<(), AppError> {
    session
        .insert(KEY_PENDING_2FA, (user_id, now_unix()))
        .await
        .map_err(AppError::internal)
}

/// `POST /api/auth/login/totp`: finishes an SSO sign-in with the account's
/// TOTP or recovery code. Throttled and audited like a password sign-in.
pub async fn second_factor(ctx: &Ctx, session: &Session, code: &str) -> Result<Me, AppError> {
    refuse_token(ctx, "auth.sso_login").await?;
    let pending: Option<(i32, i64)> = session.get(KEY_PENDING_2FA).await?;
    let Some((user_id, _)) = pending.filter(|(_, at)| now_unix() - at <= PENDING_SECS) else {
        return Err(AppError::because(ErrorCode::BadRequest, MsgKey::SsoFailed));
    };
    let u = users::find(ctx.db(), user_id)
        .await?
        .filter(|u| UserStatus::parse(&u.status) == UserStatus::Active)
        .ok_or_else(|| AppError::because(ErrorCode::Unauthorized, MsgKey::SsoFailed))?;
    let account = u.email.clone();
    throttle::reserve(ctx.db(), &account).await?;
    if !crate::twofa::service::check_login_code(ctx, &u, code.trim()).await? {
        return Err(fail(ctx, &account, MsgKey::TotpInvalid)
            .await
            .with_field("totp", MsgKey::TotpInvalid));
    }
    session.remove::<(i32, i64)>(KEY_PENDING_2FA).await?;
    let proven = Proven {
        action: "auth.sso_login",
        rehash: None,
        link: None,
    };
    complete_sign_in(ctx, session, u, &account, proven).await
}
