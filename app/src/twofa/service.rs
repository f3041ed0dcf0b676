//! Enrol, confirm, disable, admin reset, and checking a code at sign-in.
use super::{DisableInput, Enrollment, RecoveryCodes, recovery_entity as code_row};
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{Ctx, Permission, secrets};
use crate::platform::{hex, throttle};
use crate::sessions::service as sessions;
use crate::users::service::{self as users, Account, Changes};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr,
};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Dihya Ops";

fn aad(user_id: i32) -> String {
    secrets::aad("users.totp_secret", user_id)
}

fn totp(secret: Vec<u8>, account: &str) -> Result<TOTP, AppError> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        secret,
        Some(ISSUER.into()),
        account.into(),
    )
    .map_err(AppError::internal)
}

/// A recovery code as stored: HMAC-SHA-256 under the instance's sealed
/// recovery key, so a copy of the database alone cannot test guesses
/// offline. Spaces, dashes and case do not matter.
fn hash_code(key: &[u8; 32], code: &str) -> Result<String, AppError> {
    use hmac::{Hmac, Mac};
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).map_err(AppError::internal)?;
    mac.update(normal.as_bytes());
    Ok(hex(&mac.finalize().into_bytes()))
}

/// How codes were stored before HMAC: accepted until they are used or
/// replaced (a confirm writes new codes), never written again.
fn legacy_hash_code(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    hex(&Sha256::digest(normal.as_bytes()))
}

/// Ten characters from an unambiguous alphabet, shown as `xxxxx-xxxxx` (50 bits).
fn new_recovery_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let chars: String = (0..10)
        .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

fn qr_data_url(url: &str) -> Result<String, AppError> {
    use qrcode::{QrCode, render::svg};
    let code = QrCode::new(url.as_bytes()).map_err(AppError::internal)?;
    let svg = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    Ok(format!("data:image/svg+xml;base64,{}", B64.encode(svg)))
}

async fn load_self(ctx: &Ctx) -> Result<Account, AppError> {
    let actor = ctx.require(Permission::ProfileManage)?;
    users::find(ctx.db(), actor.user_id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::Unauthorized))
}

fn open_secret(ctx: &Ctx, u: &Account) -> Result<Option<Vec<u8>>, AppError> {
    match &u.totp_secret {
        None => Ok(None),
        Some(sealed) => ctx
            .state
            .secrets
            .open(&aad(u.id), sealed)
            .map(Some)
            .map_err(AppError::internal),
    }
}

/// Starts (or restarts) enrolment: a new secret, pending until confirmed.
pub async fn enroll(ctx: &Ctx) -> Result<Enrollment, AppError> {
    audit::require_session(ctx, Event::new("2fa.enroll", "user")).await?;
    let u = load_self(ctx).await?;
    if u.totp_enabled {
        return Err(AppError::code(ErrorCode::Conflict));
    }
    let raw: [u8; 20] = rand::random();
    let t = totp(raw.to_vec(), &u.email)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let sealed = ctx.state.secrets.seal(&aad(u.id), &raw);
    let changes = Changes {
        totp_secret: Some(Some(sealed)),
        ..Default::default()
    };
    let u = users::update(&tx, u, changes).await?;
    audit::record(&tx, ctx, Event::new("2fa.enroll", "user").target(u.id)).await?;
    tx.commit().await?;
    let url = t.get_url();
    Ok(Enrollment {
        secret: Secret::Raw(raw.to_vec()).to_encoded().to_string(),
        qr_svg_data_url: qr_data_url(&url)?,
        otpauth_url: url,
    })
}

/// Seconds per TOTP time step.
const STEP_SECS: u64 = 30;

/// The time step `code` belongs to: the current one, or one either side for
/// clock drift. Compared in constant time.
fn matching_step(t: &TOTP, code: &str, now: u64) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let step = now / STEP_SECS;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .find(|s| {
            let expected = t.generate(s * STEP_SECS);
            expected
                .bytes()
                .zip(code.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
        })
        .map(|s| s as i64)
}

fn unix_now() -> u64 {
    chrono::Utc::now().timestamp().max(0) as u64
}

/// Accepts a TOTP code once: its step must be later than the last accepted
/// one, and recording it is a conditional update, so two requests racing
/// with the same code cannot both pass.
async fn accept_totp(
    conn: &impl ConnectionTrait,
    u: &Account,
    t: &TOTP,
    code: &str,
) -> Result<bool, AppError> {
    let Some(step) = matching_step(t, code, unix_now()) else {
        return Ok(false);
    };
    users::accept_totp_step(conn, u.id, step).await
}

/// The throttle key of the codes that confirm or turn off 2FA.
fn throttle_key(u: &Account) -> String {
    format!("2fa:{}", u.id)
}

/// Confirms enrolment with a current code; returns the recovery codes once.
pub async fn confirm(ctx: &Ctx, code: &str) -> Result<RecoveryCodes, AppError> {
    audit::require_session(ctx, Event::new("2fa.enable", "user")).await?;
    let u = load_self(ctx).await?;
    let secret = match (u.totp_enabled, open_secret(ctx, &u)?) {
        (false, Some(s)) => s,
        _ => return Err(AppError::code(ErrorCode::Conflict)),
    };
    throttle::reserve(ctx.db(), &throttle_key(&u)).await?;
    if !accept_totp(ctx.db(), &u, &totp(secret, &u.email)?, code).await? {
        return Err(AppError::invalid([("code", MsgKey::TotpInvalid)]));
    }
    let key = ctx.state.auth.recovery_key;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let tx = crate::platform::db::begin(ctx.db()).await?;
    throttle::reset(&tx, &throttle_key(&u)).await?;
    code_row::Entity::delete_many()
        .filter(code_row::Column::UserId.eq(u.id))
        .exec(&tx)
        .await?;
    let mut rows = Vec::with_capacity(codes.len());
    for c in &codes {
        rows.push(code_row::ActiveModel {
            user_id: Set(u.id),
            code_hash: Set(hash_code(&key, c)?),
            used_at: Set(None),
            ..Default::default()
        });
    }
    code_row::Entity::insert_many(rows).exec(&tx).await?;
    let changes = Changes {
        totp_enabled: Some(true),
        ..Default::default()
    };
    let u = users::update(&tx, u, changes).await?;
    audit::record(&tx, ctx, Event::new("2fa.enable", "user").target(u.id)).await?;
    tx.commit().await?;
    Ok(RecoveryCodes { codes })
}

async fn clear(conn: &impl ConnectionTrait, u: &Account) -> Result<(), AppError> {
    code_row::Entity::delete_many()
        .filter(code_row::Column::UserId.eq(u.id))
        .exec(conn)
        .await?;
    let changes = Changes {
        totp_enabled: Some(false),
        totp_secret: Some(None),
        ..Default::default()
    };
    users::update(conn, u.clone(), changes).await?;
    Ok(())
}

/// Turns 2FA off for oneself, proven with the password (when the account
/// has one) and a current code or a recovery code. Wrong codes and
/// passwords count in the account's 2FA throttle.
pub async fn disable(ctx: &Ctx, input: DisableInput) -> Result<(), AppError> {
    let (code, password) = (input.code.as_str(), input.password.as_str());
    audit::require_session(ctx, Event::new("2fa.disable", "user")).await?;
    let u = load_self(ctx).await?;
    if !u.totp_enabled {
        return Err(AppError::code(ErrorCode::Conflict));
    }
    throttle::reserve(ctx.db(), &throttle_key(&u)).await?;
    if u.password_hash.is_some() && !users_password_ok(&u, password).await? {
        return Err(AppError::invalid([("password", MsgKey::BadCredentials)]));
    }
    if !check_login_code(ctx, &u, code).await? {
        return Err(AppError::invalid([("code", MsgKey::TotpInvalid)]));
    }
    let tx = crate::platform::db::begin(ctx.db()).await?;
    throttle::reset(&tx, &throttle_key(&u)).await?;
    clear(&tx, &u).await?;
    audit::record(&tx, ctx, Event::new("2fa.disable", "user").target(u.id)).await?;
    Ok(tx.commit().await?)
}

async fn users_password_ok(u: &Account, password: &str) -> Result<bool, AppError> {
    use crate::users::password::{self, Verified};
    if password.is_empty() || password.chars().count() > password::MAX_LEN {
        return Ok(false);
    }
    Ok(password::verify(password, u.password_hash.as_deref()).await? != Verified::No)
}

/// Admin: removes a user's 2FA (lost phone) and ends their sessions. Only
/// for an account whose role grants nothing the admin lacks.
pub async fn admin_reset(ctx: &Ctx, user_id: i32) -> Result<(), AppError> {
    let event = Event::new("2fa.reset", "user").target(user_id);
    audit::refusals(ctx, event, admin_reset_checked(ctx, user_id).await).await
}

async fn admin_reset_checked(ctx: &Ctx, user_id: i32) -> Result<(), AppError> {
    ctx.require(Permission::UsersManage)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let u = users::find(&tx, user_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    users::require_may_act_on(ctx, &tx, &u).await?;
    clear(&tx, &u).await?;
    sessions::revoke_all(&tx, u.id).await?;
    audit::record(&tx, ctx, Event::new("2fa.reset", "user").target(u.id)).await?;
    Ok(tx.commit().await?)
}

/// A TOTP code, or an unused recovery code (then spent, atomically).
pub async fn check_login_code(ctx: &Ctx, u: &Account, code: &str) -> Result<bool, AppError> {
    let Some(secret) = open_secret(ctx, u)? else {
        return Ok(false);
    };
    if accept_totp(ctx.db(), u, &totp(secret, &u.email)?, code).await? {
        return Ok(true);
    }
    if code.len() > 32 {
        return Ok(false);
    }
    let hashes = [
        hash_code(&ctx.state.auth.recovery_key, code)?,
        legacy_hash_code(code),
    ];
    let spent = code_row::Entity::update_many()
        .col_expr(code_row::Column::UsedAt, Expr::value(chrono::Utc::now()))
        .filter(code_row::Column::UserId.eq(u.id))
        .filter(code_row::Column::CodeHash.is_in(hashes))
        .filter(code_row::Column::UsedAt.is_null())
        .exec(ctx.db())
        .await?;
    Ok(spent.rows_affected == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_distinct_and_normalized_before_hashing() {
        let key = [7u8; 32];
        let codes: std::collections::HashSet<_> = (0..50).map(|_| new_recovery_code()).collect();
        assert_eq!(codes.len(), 50);
        let c = codes.iter().next().unwrap();
        assert_eq!(c.len(), 11);
        assert_eq!(
            hash_code(&key, c).unwrap(),
            hash_code(&key, &c.to_uppercase().replace('-', " ")).unwrap()
        );
        assert_eq!(
            hash_code(&key, c).unwrap().len(),
            64,
            "fits the 64-character column"
        );
        assert_ne!(
            hash_code(&key, c).unwrap(),
            hash_code(&[8u8; 32], c).unwrap(),
            "keyed"
        );
        assert_ne!(hash_code(&key, c).unwrap(), legacy_hash_code(c));
    }

    #[test]
    fn totp_matches_the_current_step_and_its_neighbours_only() {
        let t = totp(vec![1u8; 20], "a@b.c").unwrap();
        let now = 1_800_000_000u64;
        let step = (now / STEP_SECS) as i64;
        let code = t.generate(now);
        assert_eq!(matching_step(&t, &code, now), Some(step));
        assert_eq!(matching_step(&t, &code, now + STEP_SECS), Some(step));
        assert_eq!(matching_step(&t, &code, now + 3 * STEP_SECS), None);
        let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        assert_eq!(matching_step(&t, &wrong, now), None);
        assert_eq!(matching_step(&t, "12345", now), None);
        assert!(
            qr_data_url(&t.get_url())
                .unwrap()
                .starts_with("data:image/svg+xml;base64,")
        );
    }
}
