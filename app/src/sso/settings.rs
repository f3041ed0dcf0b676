//! SSO settings: the provider, the client secret (sealed at rest), group →
//! role rules. Changing them needs every permission and the password again.
use super::{GroupRole, SaveSso, SsoSettings, SsoStatus};
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{Ctx, Permission, meta, secrets};
use crate::users::{roles, service as users};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

const SETTINGS_ROW: &str = "sso_settings";
const SECRET_ROW: &str = "sso_client_secret";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct Stored {
    pub(super) enabled: bool,
    pub(super) issuer: String,
    pub(super) client_id: String,
    pub(super) button_label: String,
    pub(super) group_roles: Vec<GroupRole>,
    pub(super) default_role: String,
    #[serde(default)]
    pub(super) trust_idp_mfa: bool,
}

pub(super) fn secret_aad() -> String {
    secrets::aad("instance_meta.value", SECRET_ROW)
}

pub(super) async fn load(
    conn: &impl ConnectionTrait,
) -> Result<(Stored, Option<String>), AppError> {
    let stored = meta::get(conn, SETTINGS_ROW)
        .await?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_else(|| Stored {
            default_role: "user".into(),
            ..Default::default()
        });
    Ok((stored, meta::get(conn, SECRET_ROW).await?))
}

fn view(s: Stored, has_secret: bool) -> SsoSettings {
    SsoSettings {
        enabled: s.enabled,
        issuer: s.issuer,
        client_id: s.client_id,
        has_client_secret: has_secret,
        button_label: s.button_label,
        group_roles: s.group_roles,
        default_role: s.default_role,
        trust_idp_mfa: s.trust_idp_mfa,
    }
}

pub async fn settings(ctx: &Ctx) -> Result<SsoSettings, AppError> {
    ctx.require(Permission::SettingsManage)?;
    let (s, secret) = load(ctx.db()).await?;
    Ok(view(s, secret.is_some()))
}

pub async fn status(ctx: &Ctx) -> Result<SsoStatus, AppError> {
    let (s, _) = load(ctx.db()).await?;
    Ok(SsoStatus {
        enabled: s.enabled,
        button_label: s.button_label,
    })
}

fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.contains(char::is_whitespace)) && s.len() <= 255
}

/// `POST /api/sso/settings`. The provider decides who is who, so only an
/// account holding every permission may change it, proven afresh with its
/// password (or TOTP code), and roles mapped stay within its permissions.
pub async fn save(ctx: &Ctx, input: SaveSso) -> Result<SsoSettings, AppError> {
    let event = Event::new("settings.sso", "settings").target("sso");
    audit::refusals(ctx, event, save_checked(ctx, input).await).await
}

async fn save_checked(ctx: &Ctx, input: SaveSso) -> Result<SsoSettings, AppError> {
    ctx.require(Permission::SettingsManage)?;
    ctx.require_within(
        &Permission::ALL.iter().copied().collect(),
        MsgKey::AdminOnly,
    )?;
    ctx.require_session()?;
    confirm_actor(ctx, &input.current_password).await?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let (before, old_secret) = load(&tx).await?;
    let issuer = input.issuer.trim().trim_end_matches('/').to_string();
    let client_id = input.client_id.trim().to_string();
    let mut errors = Vec::new();
    // An empty issuer is fine only while SSO stays off.
    let issuer_allowed_empty = issuer.is_empty() && !input.enabled;
    if !issuer_allowed_empty && !is_http_url(&issuer) {
        errors.push(("issuer", MsgKey::UrlInvalid));
    }
    if (input.enabled && client_id.is_empty()) || client_id.len() > 200 {
        errors.push(("client_id", MsgKey::NameInvalid));
    }
    if input.enabled && input.client_secret.is_empty() && old_secret.is_none()
        || input.client_secret.len() > 500
    {
        errors.push(("client_secret", MsgKey::NameInvalid));
    }
    if input.button_label.chars().count() > 60 {
        errors.push(("button_label", MsgKey::NameInvalid));
    }
    // Mapped roles exist and grant nothing the actor lacks.
    let mut mapped = std::collections::BTreeSet::new();
    match roles::lookup(&tx, input.default_role.trim()).await? {
        Some((perms, _)) => mapped.extend(perms),
        None => errors.push(("default_role", MsgKey::RoleUnknown)),
    }
    for gr in &input.group_roles {
        let found = roles::lookup(&tx, gr.role.trim()).await?;
        match found {
            Some((perms, _)) if !gr.group.trim().is_empty() && gr.group.len() <= 200 => {
                mapped.extend(perms)
            }
            _ => {
                errors.push(("group_roles", MsgKey::RoleUnknown));
                break;
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::invalid(errors));
    }
    ctx.require_within(&mapped, MsgKey::GrantExceeds)?;
    let after = Stored {
        enabled: input.enabled,
        issuer,
        client_id,
        button_label: input.button_label.trim().to_string(),
        group_roles: input
            .group_roles
            .iter()
            .map(|g| GroupRole {
                group: g.group.trim().into(),
                role: g.role.trim().into(),
            })
            .collect(),
        default_role: input.default_role.trim().to_string(),
        trust_idp_mfa: input.trust_idp_mfa,
    };
    meta::put(
        &tx,
        SETTINGS_ROW,
        serde_json::to_string(&after).map_err(AppError::internal)?,
    )
    .await?;
    let secret_changed = !input.client_secret.is_empty();
    if secret_changed {
        meta::put(
            &tx,
            SECRET_ROW,
            ctx.state
                .secrets
                .seal(&secret_aad(), input.client_secret.as_bytes()),
        )
        .await?;
    }
    audit::record(
        &tx,
        ctx,
        Event::new("settings.sso", "settings")
            .target("sso")
            .diff(serde_json::json!({
                "before": before, "after": after, "client_secret_changed": secret_changed,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(view(after, secret_changed || old_secret.is_some()))
}

/// The actor proves itself again: its password, or for an account without
/// one, a current TOTP code. Wrong answers count in the sign-in throttle.
async fn confirm_actor(ctx: &Ctx, answer: &str) -> Result<(), AppError> {
    use crate::users::password::{self, Verified};
    let actor = ctx.actor()?;
    let u = users::find(ctx.db(), actor.user_id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::Unauthorized))?;
    let wrong = || AppError::invalid([("current_password", MsgKey::ConfirmPassword)]);
    if answer.is_empty() || answer.chars().count() > password::MAX_LEN {
        return Err(wrong());
    }
    crate::platform::throttle::reserve(ctx.db(), &u.email).await?;
    let ok = match &u.password_hash {
        Some(hash) => password::verify(answer, Some(hash)).await? != Verified::No,
        None if u.totp_enabled => crate::twofa::service::check_login_code(ctx, &u, answer).await?,
        None => false,
    };
    if !ok {
        return Err(wrong());
    }
    crate::platform::throttle::reset(ctx.db(), &u.email).await
}
