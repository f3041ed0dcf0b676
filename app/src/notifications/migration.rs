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
