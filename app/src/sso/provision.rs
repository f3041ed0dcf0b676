//! Finding, linking or creating the account behind a provider identity,
//! and its role from the groups claim (never demoting the last admin).
use super::{oidc, settings::Stored};
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::Ctx;
use crate::users::{
    UserStatus,
    service::{self as users, Account, Changes, NewAccount},
    validate::Email,
};
use sea_orm::ConnectionTrait;

/// What `provision` found or made.
pub(super) enum Provisioned {
    Ready(Box<Account>),
    LinkProof { user_id: i32, subject: String },
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
pub(super) async fn provision(
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
    let by_subject = users::find_by_oidc_subject(tx, &subject).await?;
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
                        let link = Changes {
                            oidc_subject: Some(subject.clone()),
                            ..Default::default()
                        };
                        let u = users::update(tx, u, link).await?;
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
                        let new = NewAccount {
                            email,
                            display_name: name.chars().take(100).collect(),
                            role,
                            password_hash: None,
                            locale: "en".into(),
                            status: UserStatus::Active,
                            oidc_subject: Some(subject.clone()),
                        };
                        let u = users::insert(tx, new).await?;
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
    if let Some(role) = role.filter(|r| *r != u.role) {
        u = apply_group_role(ctx, tx, u, role).await?;
    }
    finish_sign_in(tx, u)
        .await
        .map(|u| Provisioned::Ready(Box::new(u)))
}

/// Sets the role the groups claim maps to, audited as coming from SSO;
/// refused (kept, audited as denied) when it would leave no active admin.
async fn apply_group_role(
    ctx: &Ctx,
    tx: &impl ConnectionTrait,
    u: Account,
    role: String,
) -> Result<Account, AppError> {
    let event = Event::new("user.update", "user")
        .target(u.id)
        .actor_hint("sso");
    if last_active_admin(tx, &u).await? {
        let why = serde_json::json!({"reason": "last active admin", "via": "groups claim"});
        let refused = event.outcome(audit::Outcome::Denied).diff(why);
        audit::record(tx, ctx, refused).await?;
        return Ok(u);
    }
    let before = u.role.clone();
    let changes = Changes {
        role: Some(role),
        ..Default::default()
    };
    let u = users::update(tx, u, changes).await?;
    let change = serde_json::json!({
        "before": {"role": before}, "after": {"role": u.role}, "via": "groups claim"
    });
    audit::record(tx, ctx, event.diff(change)).await?;
    Ok(u)
}

async fn last_active_admin(conn: &impl ConnectionTrait, u: &Account) -> Result<bool, AppError> {
    Ok(u.role == crate::platform::permission::ADMIN
        && UserStatus::parse(&u.status) == UserStatus::Active
        && users::active_admins_other_than(conn, u.id).await? == 0)
}

async fn finish_sign_in(tx: &impl ConnectionTrait, u: Account) -> Result<Account, AppError> {
    let changes = Changes {
        signed_in: true,
        ..Default::default()
    };
    users::update(tx, u, changes).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sso::GroupRole;

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
