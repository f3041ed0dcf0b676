//! Signing in and out, and who is behind a session.
use super::{
    LoginInput, Me,
    session_store::{KEY_IP, KEY_UA, KEY_USER},
    throttle,
};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{
    AppState, AuthMethod, Ctx, Permission, Principal,
    audit::{self, Event, Outcome},
};
use crate::users::{
    UserStatus, entity as user,
    password::{self, Verified},
    roles, service as users,
    validate::Email,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, TransactionTrait};
use std::collections::BTreeSet;
use tower_sessions::Session;

/// Unix time of sign-in (for the absolute timeout).
const KEY_AUTH_AT: &str = "auth_at";
/// Unix time the session was last used (refreshed at most once a minute).
const KEY_SEEN: &str = "seen";
const SEEN_REFRESH_SECS: i64 = 60;

/// The session of the current request (put there by the session layer).
pub fn current_session() -> Result<Session, AppError> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<Session>().cloned())
        .ok_or_else(|| AppError::internal("session layer missing"))
}

/// The permissions `u` holds right now, or `None` when the account may not
/// act (disabled, or its role vanished). A role that requires 2FA grants
/// nothing but the profile (to enrol) until 2FA is on.
pub async fn permissions_of(
    conn: &impl ConnectionTrait,
    u: &user::Model,
) -> Result<Option<BTreeSet<Permission>>, AppError> {
    if UserStatus::parse(&u.status) != UserStatus::Active {
        return Ok(None);
    }
    let Some((perms, require_2fa)) = roles::lookup(conn, &u.role).await? else {
        return Ok(None);
    };
    if require_2fa && !u.totp_enabled {
        return Ok(Some(BTreeSet::from([Permission::ProfileManage])));
    }
    Ok(Some(perms))
}

pub async fn principal_of(
    conn: &impl ConnectionTrait,
    u: &user::Model,
    method: AuthMethod,
) -> Result<Option<Principal>, AppError> {
    Ok(permissions_of(conn, u).await?.map(|permissions| Principal {
        user_id: u.id,
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        role: u.role.clone(),
        permissions,
        method,
    }))
}

pub(super) fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The actor behind a session cookie, enforcing the absolute timeout (the
/// idle one is the store's expiry, pushed forward at most once a minute).
pub async fn resolve_session(
    state: &AppState,
    session: &Session,
) -> Result<Option<Principal>, AppError> {
    let uid: Option<i32> = session.get(KEY_USER).await.map_err(AppError::internal)?;
    let Some(uid) = uid else { return Ok(None) };
    let auth_at: i64 = session
        .get(KEY_AUTH_AT)
        .await
        .map_err(AppError::internal)?
        .unwrap_or(0);
    let now = now_unix();
    if now - auth_at > state.auth.absolute.as_secs() as i64 {
        session.flush().await.map_err(AppError::internal)?;
        return Ok(None);
    }
    let Some(u) = users::find(&state.db, uid).await? else {
        session.flush().await.map_err(AppError::internal)?;
        return Ok(None);
    };
    let id = session.id().map(|i| i.to_string()).unwrap_or_default();
    let principal = principal_of(&state.db, &u, AuthMethod::Session(id)).await?;
    if principal.is_none() {
        session.flush().await.map_err(AppError::internal)?;
        return Ok(None);
    }
    let seen: i64 = session
        .get(KEY_SEEN)
        .await
        .map_err(AppError::internal)?
        .unwrap_or(0);
    if now - seen >= SEEN_REFRESH_SECS {
        session
            .insert(KEY_SEEN, now)
            .await
            .map_err(AppError::internal)?;
    }
    Ok(principal)
}

pub fn me_of(u: &user::Model, principal: &Principal) -> Me {
    Me {
        user: users::view(u),
        permissions: principal.permissions.iter().copied().collect(),
        via: match principal.method {
            AuthMethod::Session(_) => "session".into(),
            AuthMethod::Token(_) => "token".into(),
        },
    }
}

pub async fn me(ctx: &Ctx) -> Result<Me, AppError> {
    let actor = ctx.actor()?;
    let u = users::find(ctx.db(), actor.user_id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::Unauthorized))?;
    Ok(me_of(&u, actor))
}

use crate::platform::clip;

/// `POST /api/auth/login`. Unknown account and wrong password answer the
/// same 401 after the same work (a dummy hash is verified).
pub async fn login(ctx: &Ctx, session: &Session, input: LoginInput) -> Result<Me, AppError> {
    refuse_token(ctx, "auth.login").await?;
    let email = Email::parse(&input.email).map_err(|k| AppError::invalid([("email", k)]))?;
    if input.password.is_empty() || input.password.chars().count() > password::MAX_LEN {
        return Err(AppError::because(
            ErrorCode::Unauthorized,
            MsgKey::BadCredentials,
        ));
    }
    let ip = ctx.client.ip.as_deref().and_then(|s| s.parse().ok());
    ctx.state.auth.login_limiter.check(ip)?;
    let account = email.as_str();
    // Counted before the password is checked; a success clears it.
    throttle::reserve(ctx.db(), account).await?;
    let found = users::find_by_email(ctx.db(), account).await?;
    let verified = password::verify(
        &input.password,
        found.as_ref().and_then(|u| u.password_hash.as_deref()),
    )
    .await?;
    let usable = found
        .as_ref()
        .filter(|u| UserStatus::parse(&u.status) == UserStatus::Active);
    let (u, rehash) = match (usable, verified) {
        (Some(u), Verified::Yes) => (u.clone(), None),
        (Some(u), Verified::YesRehashed(h)) => (u.clone(), Some(h)),
        _ => return Err(fail(ctx, account, MsgKey::BadCredentials).await),
    };
    if u.totp_enabled {
        match input
            .totp
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            None => {
                return Err(
                    AppError::because(ErrorCode::Unauthorized, MsgKey::TotpRequired)
                        .with_field("totp", MsgKey::TotpRequired),
                );
            }
            Some(code) => {
                if !crate::twofa::service::check_login_code(ctx, &u, code).await? {
                    return Err(fail(ctx, account, MsgKey::TotpInvalid)
                        .await
                        .with_field("totp", MsgKey::TotpInvalid));
                }
            }
        }
    }
    let link = super::sso_steps::take_pending_link(session, u.id).await?;
    let proven = Proven {
        action: "auth.login",
        rehash,
        link,
    };
    complete_sign_in(ctx, session, u, account, proven).await
}

/// What a successful sign-in writes besides its time.
pub(super) struct Proven {
    /// `auth.login` or `auth.sso_login`.
    pub(super) action: &'static str,
    /// The password hash redone with current parameters.
    pub(super) rehash: Option<String>,
    /// A provider identity waiting for this account's proof.
    pub(super) link: Option<String>,
}

/// The end of every successful sign-in: clears the throttle, records the
/// time (a new hash, a linked identity), audits, then starts the session.
pub(super) async fn complete_sign_in(
    ctx: &Ctx,
    session: &Session,
    u: user::Model,
    account: &str,
    proven: Proven,
) -> Result<Me, AppError> {
    let tx = ctx.db().begin().await.map_err(AppError::internal)?;
    throttle::reset(&tx, account).await?;
    let mut row: user::ActiveModel = u.into();
    row.last_sign_in_at = Set(Some(chrono::Utc::now()));
    if let Some(h) = proven.rehash {
        row.password_hash = Set(Some(h));
    }
    let linked = proven.link.is_some();
    if let Some(subject) = proven.link {
        row.oidc_subject = Set(Some(subject));
    }
    let u = row.update(&tx).await.map_err(AppError::internal)?;
    let principal = principal_of(&tx, &u, AuthMethod::Session(String::new()))
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::Unauthorized))?;
    let signed_in = ctx.clone().with_principal(Some(principal.clone()));
    audit::record(
        &tx,
        &signed_in,
        Event::new(proven.action, "user").target(u.id),
    )
    .await?;
    if linked {
        // The account proved itself with its own credentials just now.
        audit::record(
            &tx,
            &signed_in,
            Event::new("user.sso_link", "user").target(u.id),
        )
        .await?;
    }
    tx.commit().await.map_err(AppError::internal)?;
    // After the commit: the session store writes on its own connection,
    // which SQLite would make wait behind this transaction's write lock.
    start_session(ctx, session, u.id).await?;
    Ok(me_of(&u, &principal))
}

/// 403 (audited) for a call made with an API token: a token never opens a
/// browser session, nor changes the credentials that would.
pub(super) async fn refuse_token(ctx: &Ctx, action: &'static str) -> Result<(), AppError> {
    match ctx.principal.as_ref().map(|p| &p.method) {
        Some(AuthMethod::Token(_)) => audit::require_session(ctx, Event::new(action, "user")).await,
        _ => Ok(()),
    }
}

/// Makes `session` the signed-in session of `user_id`, under a fresh id: a
/// session id planted before sign-in is useless after it.
pub async fn start_session(ctx: &Ctx, session: &Session, user_id: i32) -> Result<(), AppError> {
    session.cycle_id().await.map_err(AppError::internal)?;
    session
        .insert(KEY_USER, user_id)
        .await
        .map_err(AppError::internal)?;
    let now = now_unix();
    session
        .insert(KEY_AUTH_AT, now)
        .await
        .map_err(AppError::internal)?;
    session
        .insert(KEY_SEEN, now)
        .await
        .map_err(AppError::internal)?;
    if let Some(ip) = &ctx.client.ip {
        session
            .insert(KEY_IP, clip(ip, 64))
            .await
            .map_err(AppError::internal)?;
    }
    if let Some(ua) = &ctx.client.user_agent {
        session
            .insert(KEY_UA, clip(ua, 256))
            .await
            .map_err(AppError::internal)?;
    }
    Ok(())
}

/// Audits a failed attempt and returns the 401 to send.
pub(super) async fn fail(ctx: &Ctx, account: &str, key: MsgKey) -> AppError {
    let result = async {
        // The attempt was already counted by `throttle::reserve`.
        audit::record(
            ctx.db(),
            ctx,
            Event::new("auth.login", "user")
                .outcome(Outcome::Failed)
                .actor_hint(account),
        )
        .await
    }
    .await;
    match result {
        Ok(()) => AppError::because(ErrorCode::Unauthorized, key),
        Err(e) => e,
    }
}

/// `POST /api/auth/logout`: ends the session (a no-op when anonymous).
pub async fn logout(ctx: &Ctx, session: &Session) -> Result<(), AppError> {
    if ctx.principal.is_some() {
        audit::record(
            ctx.db(),
            ctx,
            Event::new("auth.logout", "user").target(ctx.actor()?.user_id),
        )
        .await?;
    }
    session.flush().await.map_err(AppError::internal)
}

/// `GET /api/auth/session`: the caller when signed in, `None` otherwise
/// (never an error, so pages can ask without failing).
pub async fn session_user(ctx: &Ctx) -> Result<Option<Me>, AppError> {
    match &ctx.principal {
        None => Ok(None),
        Some(_) => me(ctx).await.map(Some),
    }
}
