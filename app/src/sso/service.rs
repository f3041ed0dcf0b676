//! SSO settings (client secret sealed at rest) and the sign-in flow:
//! begin (redirect to the provider) and complete (verify, provision or link,
//! map groups to a role, start the session, audit).
use super::{GroupRole, SaveSso, SsoSettings, SsoStatus, oidc};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{
    Ctx, Permission,
    audit::{self, Event, Outcome},
    secrets,
};
use crate::setup::entity as meta;
use crate::users::{UserStatus, entity as user, roles, service as users, validate::Email};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionTrait, sea_query::OnConflict,
};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

const SETTINGS_ROW: &str = "sso_settings";
const SECRET_ROW: &str = "sso_client_secret";
const PENDING_KEY: &str = "oidc_pending";
pub use super::CALLBACK_PATH;
pub const START_PATH: &str = "/auth/oidc/start";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Stored {
    enabled: bool,
    issuer: String,
    client_id: String,
    button_label: String,
    group_roles: Vec<GroupRole>,
    default_role: String,
    #[serde(default)]
    trust_idp_mfa: bool,
}

fn secret_aad() -> String {
    secrets::aad("instance_meta.value", SECRET_ROW)
}

async fn get_row(conn: &impl ConnectionTrait, key: &str) -> Result<Option<String>, AppError> {
    Ok(meta::Entity::find_by_id(key.to_string())
        .one(conn)
        .await
        .map_err(AppError::internal)?
        .map(|m| m.value))
}

async fn put_row(conn: &impl ConnectionTrait, key: &str, value: String) -> Result<(), AppError> {
    meta::Entity::insert(meta::ActiveModel {
        key: Set(key.into()),
        value: Set(value),
    })
    .on_conflict(
        OnConflict::column(meta::Column::Key)
            .update_column(meta::Column::Value)
            .to_owned(),
    )
    .exec(conn)
    .await
    .map_err(AppError::internal)?;
    Ok(())
}

async fn load(conn: &impl ConnectionTrait) -> Result<(Stored, Option<String>), AppError> {
    let stored = get_row(conn, SETTINGS_ROW)
        .await?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_else(|| Stored {
            default_role: "user".into(),
            ..Default::default()
        });
    Ok((stored, get_row(conn, SECRET_ROW).await?))
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
    let tx = ctx.db().begin().await.map_err(AppError::internal)?;
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
    put_row(
        &tx,
        SETTINGS_ROW,
        serde_json::to_string(&after).map_err(AppError::internal)?,
    )
    .await?;
    let secret_changed = !input.client_secret.is_empty();
    if secret_changed {
        put_row(
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
    tx.commit().await.map_err(AppError::internal)?;
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
    crate::auth::throttle::reserve(ctx.db(), &u.email).await?;
    let ok = match &u.password_hash {
        Some(hash) => password::verify(answer, Some(hash)).await? != Verified::No,
        None if u.totp_enabled => crate::twofa::service::check_login_code(ctx, &u, answer).await?,
        None => false,
    };
    if !ok {
        return Err(wrong());
    }
    crate::auth::throttle::reset(ctx.db(), &u.email).await
}

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
    session
        .insert(PENDING_KEY, pending)
        .await
        .map_err(AppError::internal)?;
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

/// What `provision` found or made.
enum Provisioned {
    Ready(Box<user::Model>),
    LinkProof { user_id: i32, subject: String },
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
    let pending: Option<oidc::Pending> = session
        .remove(PENDING_KEY)
        .await
        .map_err(AppError::internal)?;
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
    let tx = ctx.db().begin().await.map_err(AppError::internal)?;
    let u = provision(ctx, &tx, &issuer, &settings, &identity).await;
    let u = match u {
        Ok(Provisioned::Ready(u)) => *u,
        Ok(Provisioned::LinkProof { user_id, subject }) => {
            drop(tx);
            crate::auth::service::await_link_proof(session, user_id, subject).await?;
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
    let principal = crate::auth::service::principal_of(
        &tx,
        &u,
        crate::platform::AuthMethod::Session(String::new()),
    )
    .await?
    .ok_or_else(|| AppError::because(ErrorCode::Unauthorized, MsgKey::SsoFailed))?;
    if u.totp_enabled && !(settings.trust_idp_mfa && idp_did_mfa(&identity.amr)) {
        // The provider vouches for the identity, not for this account's
        // second factor: ask for it before any session starts.
        tx.commit().await.map_err(AppError::internal)?;
        crate::auth::service::await_second_factor(session, u.id).await?;
        return Ok(SignIn::NeedsTotp);
    }
    let acting = ctx.clone().with_principal(Some(principal));
    audit::record(
        &tx,
        &acting,
        Event::new("auth.sso_login", "user").target(u.id),
    )
    .await?;
    tx.commit().await.map_err(AppError::internal)?;
    crate::auth::service::start_session(ctx, session, u.id).await?;
    Ok(SignIn::SignedIn)
}

fn mapped_role(settings: &Stored, groups: &[String]) -> Option<String> {
    settings
        .group_roles
        .iter()
        .find(|gr| groups.iter().any(|g| g == &gr.group))
        .map(|gr| gr.role.clone())
}

/// Finds the account by provider subject, links one by verified email, or
/// creates one; the groups claim sets the role when a rule matches. An
/// existing account with a password or 2FA is linked only after it signs in
/// with them (`LinkProof`).
async fn provision(
    ctx: &Ctx,
    tx: &impl ConnectionTrait,
    issuer: &str,
    settings: &Stored,
    id: &oidc::Identity,
) -> Result<Provisioned, AppError> {
    let subject: String = format!("{issuer}#{}", id.subject)
        .chars()
        .take(255)
        .collect();
    let role = mapped_role(settings, &id.groups);
    let by_subject = user::Entity::find()
        .filter(user::Column::OidcSubject.eq(&subject))
        .one(tx)
        .await
        .map_err(AppError::internal)?;
    let existing = match by_subject {
        Some(u) => Some(u),
        None => {
            let email = id.email.as_deref().and_then(|e| Email::parse(e).ok());
            match email {
                None => {
                    return Err(AppError::because(
                        ErrorCode::Forbidden,
                        MsgKey::SsoUnverified,
                    ));
                }
                Some(email) => match users::find_by_email(tx, email.as_str()).await? {
                    Some(_) if !id.email_verified => {
                        return Err(AppError::because(
                            ErrorCode::Forbidden,
                            MsgKey::SsoUnverified,
                        ));
                    }
                    Some(u) if u.password_hash.is_some() || u.totp_enabled => {
                        return Ok(Provisioned::LinkProof {
                            user_id: u.id,
                            subject,
                        });
                    }
                    Some(u) => {
                        let mut row: user::ActiveModel = u.into();
                        row.oidc_subject = Set(Some(subject.clone()));
                        let u = row.update(tx).await.map_err(AppError::internal)?;
                        audit::record(
                            tx,
                            ctx,
                            Event::new("user.sso_link", "user")
                                .target(u.id)
                                .actor_hint(u.email.clone()),
                        )
                        .await?;
                        Some(u)
                    }
                    None => {
                        let name = id
                            .name
                            .clone()
                            .filter(|n| !n.trim().is_empty())
                            .unwrap_or_else(|| email.as_str().to_string());
                        let role = role
                            .clone()
                            .unwrap_or_else(|| settings.default_role.clone());
                        let u = user::ActiveModel {
                            email: Set(email.into_string()),
                            display_name: Set(name.chars().take(100).collect()),
                            password_hash: Set(None),
                            role: Set(role),
                            locale: Set("en".into()),
                            theme: Set("system".into()),
                            status: Set(UserStatus::Active.as_str().into()),
                            totp_secret: Set(None),
                            totp_enabled: Set(false),
                            oidc_subject: Set(Some(subject.clone())),
                            created_at: Set(chrono::Utc::now()),
                            last_sign_in_at: Set(None),
                            ..Default::default()
                        }
                        .insert(tx)
                        .await
                        .map_err(AppError::internal)?;
                        audit::record(
                            tx,
                            ctx,
                            Event::new("user.create", "user")
                                .target(u.id)
                                .actor_hint("sso")
                                .diff(serde_json::json!({
                                    "after": {"email": u.email, "role": u.role, "via": "sso"}
                                })),
                        )
                        .await?;
                        return finish_sign_in(tx, u)
                            .await
                            .map(|u| Provisioned::Ready(Box::new(u)));
                    }
                },
            }
        }
    };
    let mut u = existing.ok_or_else(AppError::not_found)?;
    if UserStatus::parse(&u.status) != UserStatus::Active {
        return Err(AppError::because(ErrorCode::Forbidden, MsgKey::SsoFailed));
    }
    let role = match role.filter(|r| *r != u.role) {
        Some(_) if last_active_admin(tx, &u).await? => {
            // The groups claim would leave no active admin: keep the role.
            audit::record(
                tx,
                ctx,
                Event::new("user.update", "user")
                    .target(u.id)
                    .actor_hint("sso")
                    .outcome(audit::Outcome::Denied)
                    .diff(
                        serde_json::json!({"reason": "last active admin", "via": "groups claim"}),
                    ),
            )
            .await?;
            None
        }
        other => other,
    };
    if let Some(role) = role {
        let before = u.role.clone();
        let mut row: user::ActiveModel = u.into();
        row.role = Set(role);
        u = row.update(tx).await.map_err(AppError::internal)?;
        audit::record(
            tx,
            ctx,
            Event::new("user.update", "user")
                .target(u.id)
                .actor_hint("sso")
                .diff(serde_json::json!({
                    "before": {"role": before}, "after": {"role": u.role}, "via": "groups claim"
                })),
        )
        .await?;
    }
    finish_sign_in(tx, u)
        .await
        .map(|u| Provisioned::Ready(Box::new(u)))
}

async fn last_active_admin(conn: &impl ConnectionTrait, u: &user::Model) -> Result<bool, AppError> {
    Ok(u.role == crate::platform::permission::ADMIN
        && UserStatus::parse(&u.status) == UserStatus::Active
        && users::active_admins_other_than(conn, u.id).await? == 0)
}

async fn finish_sign_in(
    tx: &impl ConnectionTrait,
    u: user::Model,
) -> Result<user::Model, AppError> {
    let mut row: user::ActiveModel = u.into();
    row.last_sign_in_at = Set(Some(chrono::Utc::now()));
    row.update(tx).await.map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_matching_group_rule_wins() {
        let s = Stored {
            group_roles: vec![
                GroupRole {
                    group: "ops".into(),
                    role: "devops".into(),
                },
                GroupRole {
                    group: "it".into(),
                    role: "admin".into(),
                },
            ],
            default_role: "user".into(),
            ..Default::default()
        };
        assert_eq!(
            mapped_role(&s, &["it".into(), "ops".into()]).as_deref(),
            Some("devops")
        );
        assert_eq!(mapped_role(&s, &["sales".into()]), None);
    }
}
