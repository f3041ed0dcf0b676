//! Identity and access: roles, users, sessions, API tokens, sign-in
//! throttling, 2FA recovery codes and the append-only audit log.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Roles {
    Table,
    Name,
    Builtin,
    Permissions,
    #[sea_orm(iden = "require_2fa")]
    Require2fa,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    Role,
    Locale,
    Theme,
    Status,
    TotpSecret,
    TotpEnabled,
    OidcSubject,
    CreatedAt,
    LastSignInAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    Data,
    ExpiresAt,
    CreatedAt,
    Ip,
    UserAgent,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    Jti,
    UserId,
    Name,
    Scopes,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Account,
    Failures,
    LastFailureAt,
    HourStart,
    HourFailures,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    Actor,
    Ip,
    UserAgent,
    Action,
    TargetType,
    TargetId,
    Diff,
    Result,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Roles::Table)
                .if_not_exists()
                .col(string_len(Roles::Name, 64).primary_key())
                .col(boolean(Roles::Builtin))
                .col(text(Roles::Permissions))
                .col(boolean(Roles::Require2fa))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Users::Table)
                .if_not_exists()
                .col(pk_auto(Users::Id))
                .col(string_len_uniq(Users::Email, 254))
                .col(string_len(Users::DisplayName, 100))
                .col(text_null(Users::PasswordHash))
                .col(string_len(Users::Role, 64))
                .col(string_len(Users::Locale, 8))
                .col(string_len(Users::Theme, 8))
                .col(string_len(Users::Status, 16))
                .col(text_null(Users::TotpSecret))
                .col(boolean(Users::TotpEnabled))
                .col(string_len_null(Users::OidcSubject, 255))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone_null(Users::LastSignInAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Users::Table, Users::Role)
                        .to(Roles::Table, Roles::Name),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .if_not_exists()
                .col(string_len(Sessions::Id, 64).primary_key())
                .col(integer_null(Sessions::UserId))
                .col(text(Sessions::Data))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(string_len_null(Sessions::Ip, 64))
                .col(string_len_null(Sessions::UserAgent, 256))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_user")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_expires")
                .table(Sessions::Table)
                .col(Sessions::ExpiresAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .if_not_exists()
                .col(pk_auto(ApiTokens::Id))
                .col(string_len_uniq(ApiTokens::Jti, 64))
                .col(integer(ApiTokens::UserId))
                .col(string_len(ApiTokens::Name, 100))
                .col(text(ApiTokens::Scopes))
                .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                .col(timestamp_with_time_zone(ApiTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ApiTokens::Table, ApiTokens::UserId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LoginThrottle::Table)
                .if_not_exists()
                .col(string_len(LoginThrottle::Account, 254).primary_key())
                .col(integer(LoginThrottle::Failures))
                .col(timestamp_with_time_zone(LoginThrottle::LastFailureAt))
                .col(timestamp_with_time_zone(LoginThrottle::HourStart))
                .col(integer(LoginThrottle::HourFailures))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RecoveryCodes::Table)
                .if_not_exists()
                .col(pk_auto(RecoveryCodes::Id))
                .col(integer(RecoveryCodes::UserId))
                .col(string_len(RecoveryCodes::CodeHash, 64))
                .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RecoveryCodes::Table, RecoveryCodes::UserId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .if_not_exists()
                .col(pk_auto(AuditLog::Id))
                .col(timestamp_with_time_zone(AuditLog::At))
                .col(integer_null(AuditLog::ActorId))
                .col(string_len(AuditLog::Actor, 254))
                .col(string_len_null(AuditLog::Ip, 64))
                .col(string_len_null(AuditLog::UserAgent, 256))
                .col(string_len(AuditLog::Action, 64))
                .col(string_len(AuditLog::TargetType, 32))
                .col(string_len_null(AuditLog::TargetId, 64))
                .col(text_null(AuditLog::Diff))
                .col(string_len(AuditLog::Result, 16))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_audit_at")
                .table(AuditLog::Table)
                .col(AuditLog::At)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AuditLog::Table.into_iden(),
            RecoveryCodes::Table.into_iden(),
            LoginThrottle::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
            Roles::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
