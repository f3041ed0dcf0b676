//! `notifications`: one row per notification and reader.
pub use m20261208_000002_notifications::Migration;

mod m20261208_000002_notifications {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261208_000002_notifications"
        }
    }

    #[derive(DeriveIden)]
    enum Notifications {
        Table,
        Id,
        UserId,
        Kind,
        Subject,
        Severity,
        Link,
        ReadAt,
        CreatedAt,
    }

    #[derive(DeriveIden)]
    enum Users {
        Table,
        Id,
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table(Notifications::Table)
                    .if_not_exists()
                    .col(pk_auto(Notifications::Id))
                    .col(integer(Notifications::UserId))
                    .col(string_len(Notifications::Kind, 32))
                    .col(string_len(Notifications::Subject, 200))
                    .col(string_len(Notifications::Severity, 16))
                    .col(string_len(Notifications::Link, 200))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notifications::Table, Notifications::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
            // The inbox reads one user's rows newest first; the counter
            // counts one user's unread ones.
            m.create_index(
                Index::create()
                    .name("idx_notifications_user")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::Id)
                    .to_owned(),
            )
            .await?;
            m.create_index(
                Index::create()
                    .name("idx_notifications_unread")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::ReadAt)
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.drop_table(Table::drop().table(Notifications::Table).to_owned())
                .await
        }
    }
}

/// `channels` (where notifications go besides the inbox) and `deliveries`
/// (each message sent, or tried, through one).
pub use m20261209_000002_channels::Migration as Channels;

mod m20261209_000002_channels {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261209_000002_channels"
        }
    }

    #[derive(DeriveIden)]
    enum Channels {
        Table,
        Id,
        Name,
        Kind,
        Settings,
        Secret,
        MinSeverity,
        Matchers,
        Enabled,
        CreatedAt,
        UpdatedAt,
    }

    #[derive(DeriveIden)]
    enum Deliveries {
        Table,
        Id,
        ChannelId,
        Event,
        Subject,
        Severity,
        Message,
        Status,
        Attempts,
        LastError,
        CreatedAt,
        SentAt,
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table(Channels::Table)
                    .if_not_exists()
                    .col(pk_auto(Channels::Id))
                    .col(string_len_uniq(Channels::Name, 100))
                    .col(string_len(Channels::Kind, 16))
                    .col(text(Channels::Settings))
                    // Sealed (`platform::secrets`), bound to the row.
                    .col(text_null(Channels::Secret))
                    .col(string_len(Channels::MinSeverity, 16))
                    .col(text(Channels::Matchers))
                    .col(boolean(Channels::Enabled))
                    .col(timestamp_with_time_zone(Channels::CreatedAt))
                    .col(timestamp_with_time_zone(Channels::UpdatedAt))
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table(Deliveries::Table)
                    .if_not_exists()
                    .col(pk_auto(Deliveries::Id))
                    .col(integer(Deliveries::ChannelId))
                    .col(string_len(Deliveries::Event, 40))
                    .col(string_len(Deliveries::Subject, 200))
                    .col(string_len(Deliveries::Severity, 16))
                    // The whole message, so a retry sends what the first try did.
                    .col(text(Deliveries::Message))
                    .col(string_len(Deliveries::Status, 16))
                    .col(integer(Deliveries::Attempts))
                    .col(text_null(Deliveries::LastError))
                    .col(timestamp_with_time_zone(Deliveries::CreatedAt))
                    .col(timestamp_with_time_zone_null(Deliveries::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Deliveries::Table, Deliveries::ChannelId)
                            .to(Channels::Table, Channels::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
            for (name, col) in [
                ("idx_deliveries_channel", Deliveries::ChannelId),
                ("idx_deliveries_status", Deliveries::Status),
            ] {
                m.create_index(
                    Index::create()
                        .name(name)
                        .table(Deliveries::Table)
                        .col(col)
                        .col(Deliveries::Id)
                        .to_owned(),
                )
                .await?;
            }
            Ok(())
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            for table in [Deliveries::Table.into_iden(), Channels::Table.into_iden()] {
                m.drop_table(Table::drop().table(table).to_owned()).await?;
            }
            Ok(())
        }
    }
}

/// `notification_prefs`: one row per person who changed the defaults.
pub use m20261210_000003_notification_prefs::Migration as Prefs;

mod m20261210_000003_notification_prefs {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261210_000003_notification_prefs"
        }
    }

    #[derive(DeriveIden)]
    enum NotificationPrefs {
        Table,
        UserId,
        InboxMin,
        EmailMin,
        QuietFrom,
        QuietTo,
        TimeZone,
        UpdatedAt,
    }

    #[derive(DeriveIden)]
    enum Users {
        Table,
        Id,
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table(NotificationPrefs::Table)
                    .if_not_exists()
                    .col(integer(NotificationPrefs::UserId).primary_key())
                    .col(string_len(NotificationPrefs::InboxMin, 16))
                    .col(string_len_null(NotificationPrefs::EmailMin, 16))
                    .col(string_len_null(NotificationPrefs::QuietFrom, 5))
                    .col(string_len_null(NotificationPrefs::QuietTo, 5))
                    .col(string_len(NotificationPrefs::TimeZone, 64))
                    .col(timestamp_with_time_zone(NotificationPrefs::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(NotificationPrefs::Table, NotificationPrefs::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.drop_table(Table::drop().table(NotificationPrefs::Table).to_owned())
                .await
        }
    }
}
