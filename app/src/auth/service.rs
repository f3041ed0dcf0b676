//! Signing in and out, and who is behind a session.
use super::{LoginInput, Me};
use crate::audit::{self, Event, Outcome};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{AppState, AuthMethod, Ctx, Principal, throttle};
use crate::sessions::service as sessions;
use crate::users::{
    UserStatus,
    password::{self, Verified},
    service::{self as users, Account, Changes},
    validate::Email,
};
use tower_sessions::Session;

/// The actor behind a session cookie; a session whose account can no
/// longer act (disabled, deleted, role gone) is ended.
pub async fn resolve_session(
    state: &AppState,
    session: &Session,
) -> Result<Option<Principal>, AppError> {
    let Some((uid, id)) = sessions::signed_in(state, session).await? else {
        return Ok(None);
    };
    let principal = match users::find(&state.db, uid).await? {
        Some(u) => users::principal_of(&state.db, &u, AuthMethod::Session(id)).await?,
        None => None,
    };
    if principal.is_none() {
        sessions::end(session).await?;
    }
    Ok(principal)
}

pub fn me_of(u: &Account, principal: &Principal) -> Me {
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
    u: Account,
    account: &str,
    proven: Proven,
) -> Result<Me, AppError> {
    let tx = crate::platform::db::begin(ctx.db()).await?;
    throttle::reset(&tx, account).await?;
    let linked = proven.link.is_some();
    let changes = Changes {
        signed_in: true,
        password_hash: proven.rehash,
        oidc_subject: proven.link,
        ..Default::default()
    };
    let u = users::update(&tx, u, changes).await?;
    let principal = users::principal_of(&tx, &u, AuthMethod::Session(String::new()))
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
    tx.commit().await?;
    // After the commit: the session store writes on its own connection,
    // which SQLite would make wait behind this transaction's write lock.
    sessions::start(ctx, session, u.id).await?;
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
    sessions::end(session).await
}

/// `GET /api/auth/session`: the caller when signed in, `None` otherwise
/// (never an error, so pages can ask without failing).
pub async fn session_user(ctx: &Ctx) -> Result<Option<Me>, AppError> {
    match &ctx.principal {
        None => Ok(None),
        Some(_) => me(ctx).await.map(Some),
    }
}
