//! The `jobs` table (see `platform::jobs`).
pub use m20261207_000003_jobs::Migration;

mod m20261207_000003_jobs {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    // `DeriveMigrationName` would take the file's name (`migration`),
    // the same in every domain: the name is written out instead.
    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261207_000003_jobs"
        }
    }

    #[derive(DeriveIden)]
    enum Jobs {
        Table,
        Id,
        Kind,
        Payload,
        Status,
        Attempts,
        MaxAttempts,
        RunAt,
        LeaseOwner,
        LeaseExpiresAt,
        IdempotencyKey,
        LastError,
        CreatedAt,
        FinishedAt,
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table(Jobs::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Jobs::Id))
                    .col(string_len(Jobs::Kind, 64))
                    .col(text(Jobs::Payload))
                    .col(string_len(Jobs::Status, 16))
                    .col(integer(Jobs::Attempts))
                    .col(integer(Jobs::MaxAttempts))
                    .col(timestamp_with_time_zone(Jobs::RunAt))
                    .col(string_len_null(Jobs::LeaseOwner, 128))
                    .col(timestamp_with_time_zone_null(Jobs::LeaseExpiresAt))
                    .col(string_len_null(Jobs::IdempotencyKey, 200).unique_key())
                    .col(text_null(Jobs::LastError))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone_null(Jobs::FinishedAt))
                    .to_owned(),
            )
            .await?;
            // Claims read due jobs by status and time.
            m.create_index(
                Index::create()
                    .name("idx_jobs_due")
                    .table(Jobs::Table)
                    .col(Jobs::Status)
                    .col(Jobs::RunAt)
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.drop_table(Table::drop().table(Jobs::Table).to_owned())
                .await
        }
    }
}
