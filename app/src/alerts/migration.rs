//! `alert_rules`, `alerts` (one row per alert: pending, firing or resolved
//! history), `silences` and `maintenance_windows` (one row per window,
//! however long it recurs).
pub use m20261209_000001_alerts::Migration;
pub use m20261211_000002_escalation_levels::Migration as LevelsMigration;

/// Escalation levels: a rule's list of levels (its two single-level
/// columns stay, read for rules saved before), and how many levels an
/// alert went through.
mod m20261211_000002_escalation_levels {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261211_000002_escalation_levels"
        }
    }

    #[derive(DeriveIden)]
    enum AlertRules {
        Table,
        Escalation,
    }

    #[derive(DeriveIden)]
    enum Alerts {
        Table,
        EscalationLevel,
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(
                Table::alter()
                    .table(AlertRules::Table)
                    .add_column(text_null(AlertRules::Escalation))
                    .to_owned(),
            )
            .await?;
            m.alter_table(
                Table::alter()
                    .table(Alerts::Table)
                    .add_column(integer(Alerts::EscalationLevel).default(0))
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(
                Table::alter()
                    .table(Alerts::Table)
                    .drop_column(Alerts::EscalationLevel)
                    .to_owned(),
            )
            .await?;
            m.alter_table(
                Table::alter()
                    .table(AlertRules::Table)
                    .drop_column(AlertRules::Escalation)
                    .to_owned(),
            )
            .await
        }
    }
}

mod m20261209_000001_alerts {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261209_000001_alerts"
        }
    }

    #[derive(DeriveIden)]
    enum AlertRules {
        Table,
        Id,
        Name,
        Condition,
        MonitorId,
        ServerId,
        Consecutive,
        ForSeconds,
        Comparator,
        Threshold,
        Days,
        Severity,
        Labels,
        OpensIncident,
        Enabled,
        EscalateAfterMinutes,
        EscalateChannelId,
        CreatedAt,
        UpdatedAt,
    }

    #[derive(DeriveIden)]
    enum Alerts {
        Table,
        Id,
        Fingerprint,
        OpenKey,
        RuleId,
        Source,
        Name,
        Summary,
        Severity,
        Labels,
        MonitorId,
        ServerId,
        Status,
        StartedAt,
        FiredAt,
        ResolvedAt,
        UpdatedAt,
        AcknowledgedBy,
        AcknowledgedName,
        AcknowledgedAt,
        Quiet,
        Flaps,
        IncidentId,
        EscalatedAt,
    }

    #[derive(DeriveIden)]
    enum Silences {
        Table,
        Id,
        Matchers,
        StartsAt,
        EndsAt,
        AuthorId,
        AuthorName,
        Reason,
        CreatedAt,
    }

    #[derive(DeriveIden)]
    enum MaintenanceWindows {
        Table,
        Id,
        Title,
        ServerIds,
        Tags,
        Kind,
        StartsAt,
        EndsAt,
        Weekdays,
        StartTime,
        DurationMinutes,
        TimeZone,
        CreatedAt,
        UpdatedAt,
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table(AlertRules::Table)
                    .if_not_exists()
                    .col(pk_auto(AlertRules::Id))
                    .col(string_len_uniq(AlertRules::Name, 100))
                    .col(string_len(AlertRules::Condition, 16))
                    // No foreign keys: a rule naming a monitor or server
                    // deleted since watches nothing, and says so.
                    .col(integer_null(AlertRules::MonitorId))
                    .col(integer_null(AlertRules::ServerId))
                    .col(integer(AlertRules::Consecutive))
                    .col(integer(AlertRules::ForSeconds))
                    .col(string_len_null(AlertRules::Comparator, 2))
                    .col(double_null(AlertRules::Threshold))
                    .col(integer_null(AlertRules::Days))
                    .col(string_len(AlertRules::Severity, 16))
                    .col(text(AlertRules::Labels))
                    .col(boolean(AlertRules::OpensIncident))
                    .col(boolean(AlertRules::Enabled))
                    .col(integer_null(AlertRules::EscalateAfterMinutes))
                    .col(integer_null(AlertRules::EscalateChannelId))
                    .col(timestamp_with_time_zone(AlertRules::CreatedAt))
                    .col(timestamp_with_time_zone(AlertRules::UpdatedAt))
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table(Alerts::Table)
                    .if_not_exists()
                    .col(pk_auto(Alerts::Id))
                    .col(string_len(Alerts::Fingerprint, 200))
                    // The fingerprint while the alert is open, null once
                    // resolved: the unique index keeps one open alert per
                    // fingerprint, whichever instance raced to insert it.
                    .col(string_len_null(Alerts::OpenKey, 200).unique_key())
                    .col(integer_null(Alerts::RuleId))
                    .col(string_len(Alerts::Source, 16))
                    .col(string_len(Alerts::Name, 200))
                    .col(text(Alerts::Summary))
                    .col(string_len(Alerts::Severity, 16))
                    .col(text(Alerts::Labels))
                    .col(integer_null(Alerts::MonitorId))
                    .col(integer_null(Alerts::ServerId))
                    .col(string_len(Alerts::Status, 16))
                    .col(timestamp_with_time_zone(Alerts::StartedAt))
                    .col(timestamp_with_time_zone_null(Alerts::FiredAt))
                    .col(timestamp_with_time_zone_null(Alerts::ResolvedAt))
                    .col(timestamp_with_time_zone(Alerts::UpdatedAt))
                    .col(integer_null(Alerts::AcknowledgedBy))
                    .col(string_len_null(Alerts::AcknowledgedName, 100))
                    .col(timestamp_with_time_zone_null(Alerts::AcknowledgedAt))
                    .col(string_len_null(Alerts::Quiet, 16))
                    .col(integer(Alerts::Flaps))
                    .col(integer_null(Alerts::IncidentId))
                    .col(timestamp_with_time_zone_null(Alerts::EscalatedAt))
                    .to_owned(),
            )
            .await?;
            // The list filters by status, newest first; a re-fire looks up
            // the fingerprint's last alert.
            for (name, col) in [
                ("idx_alerts_status", Alerts::Status),
                ("idx_alerts_fingerprint", Alerts::Fingerprint),
            ] {
                m.create_index(
                    Index::create()
                        .name(name)
                        .table(Alerts::Table)
                        .col(col)
                        .col(Alerts::Id)
                        .to_owned(),
                )
                .await?;
            }
            m.create_table(
                Table::create()
                    .table(Silences::Table)
                    .if_not_exists()
                    .col(pk_auto(Silences::Id))
                    .col(text(Silences::Matchers))
                    .col(timestamp_with_time_zone(Silences::StartsAt))
                    .col(timestamp_with_time_zone(Silences::EndsAt))
                    .col(integer_null(Silences::AuthorId))
                    .col(string_len(Silences::AuthorName, 100))
                    .col(text(Silences::Reason))
                    .col(timestamp_with_time_zone(Silences::CreatedAt))
                    .to_owned(),
            )
            .await?;
            m.create_index(
                Index::create()
                    .name("idx_silences_ends")
                    .table(Silences::Table)
                    .col(Silences::EndsAt)
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table(MaintenanceWindows::Table)
                    .if_not_exists()
                    .col(pk_auto(MaintenanceWindows::Id))
                    .col(string_len(MaintenanceWindows::Title, 200))
                    .col(text(MaintenanceWindows::ServerIds))
                    .col(text(MaintenanceWindows::Tags))
                    .col(string_len(MaintenanceWindows::Kind, 16))
                    .col(timestamp_with_time_zone_null(MaintenanceWindows::StartsAt))
                    .col(timestamp_with_time_zone_null(MaintenanceWindows::EndsAt))
                    .col(string_len(MaintenanceWindows::Weekdays, 40))
                    .col(string_len_null(MaintenanceWindows::StartTime, 5))
                    .col(integer_null(MaintenanceWindows::DurationMinutes))
                    .col(string_len(MaintenanceWindows::TimeZone, 64))
                    .col(timestamp_with_time_zone(MaintenanceWindows::CreatedAt))
                    .col(timestamp_with_time_zone(MaintenanceWindows::UpdatedAt))
                    .to_owned(),
            )
            .await?;
            Ok(())
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            for table in [
                MaintenanceWindows::Table.into_iden(),
                Silences::Table.into_iden(),
                Alerts::Table.into_iden(),
                AlertRules::Table.into_iden(),
            ] {
                m.drop_table(Table::drop().table(table).to_owned()).await?;
            }
            Ok(())
        }
    }
}
