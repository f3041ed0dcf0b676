//! The caller's own account: name, language, theme and password.
use super::{Me, PasswordInput, ProfileInput, service::me_of};
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{Ctx, Permission, throttle};
use crate::sessions::service as sessions;
use crate::users::{
    password::{self, Verified},
    service::{self as users, Changes},
};
use tower_sessions::Session;

/// `POST /api/auth/profile`: the caller's name, language and theme.
pub async fn update_profile(ctx: &Ctx, input: ProfileInput) -> Result<Me, AppError> {
    let (display_name, locale, theme) = (&input.display_name, &input.locale, &input.theme);
    use crate::users::validate::{DisplayName, locale as valid_locale};
    let actor = ctx.require(Permission::ProfileManage)?.clone();
    let mut errors = Vec::new();
    let name = DisplayName::parse(display_name)
        .map_err(|k| errors.push(("display_name", k)))
        .ok();
    let locale = valid_locale(locale)
        .map_err(|k| errors.push(("locale", k)))
        .ok();
    if !matches!(theme.as_str(), "system" | "light" | "dark") {
        errors.push(("theme", MsgKey::BadRequest));
    }
    let (Some(name), Some(locale)) = (name, locale) else {
        return Err(AppError::invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::invalid(errors));
    }
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let before = users::find(&tx, actor.user_id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::Unauthorized))?;
    let changes = Changes {
        display_name: Some(name.into_string()),
        locale: Some(locale),
        theme: Some(theme.to_string()),
        ..Default::default()
    };
    let after = users::update(&tx, before.clone(), changes).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("profile.update", "user").target(after.id).diff(serde_json::json!({
            "before": {"display_name": before.display_name, "locale": before.locale, "theme": before.theme},
            "after": {"display_name": after.display_name, "locale": after.locale, "theme": after.theme},
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(me_of(&after, &actor))
}

/// `POST /api/auth/password`: proves the current password, sets a new one,
/// ends every other session, revokes every API token and gives this
/// session a fresh id. Refused with a token.
pub async fn change_password(
    ctx: &Ctx,
    session: Option<&Session>,
    input: PasswordInput,
) -> Result<(), AppError> {
    let (current, new) = (input.current_password.as_str(), input.new_password.as_str());
    let actor = ctx.require(Permission::ProfileManage)?.clone();
    audit::require_session(ctx, Event::new("profile.password_change", "user")).await?;
    let u = users::find(ctx.db(), actor.user_id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::Unauthorized))?;
    let new =
        password::Password::parse(new).map_err(|k| AppError::invalid([("new_password", k)]))?;
    // Guesses of the current password count like sign-in failures.
    throttle::reserve(ctx.db(), &u.email).await?;
    if current.chars().count() > password::MAX_LEN
        || password::verify(current, u.password_hash.as_deref()).await? == Verified::No
    {
        return Err(AppError::invalid([(
            "current_password",
            MsgKey::BadCredentials,
        )]));
    }
    let hash = password::hash(&new).await?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    throttle::reset(&tx, &u.email).await?;
    let changes = Changes {
        password_hash: Some(hash),
        ..Default::default()
    };
    let u = users::update(&tx, u, changes).await?;
    sessions::revoke_all(&tx, u.id).await?;
    crate::tokens::service::revoke_all(&tx, u.id).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("profile.password_change", "user").target(u.id),
    )
    .await?;
    tx.commit().await?;
    if let Some(session) = session {
        sessions::start(ctx, session, u.id).await?;
    }
    Ok(())
}
