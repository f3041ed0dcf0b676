//! `status_pages`: one row per page, its components as JSON and its logo.
pub use m20261210_000001_status_pages::Migration;

mod m20261210_000001_status_pages {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261210_000001_status_pages"
        }
    }

    #[derive(DeriveIden)]
    enum StatusPages {
        Table,
        Id,
        Slug,
        Title,
        Description,
        Components,
        Logo,
        LogoType,
        CreatedAt,
        UpdatedAt,
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table(StatusPages::Table)
                    .if_not_exists()
                    .col(pk_auto(StatusPages::Id))
                    .col(string_len_uniq(StatusPages::Slug, 48))
                    .col(string_len(StatusPages::Title, 120))
                    .col(string_len(StatusPages::Description, 500))
                    .col(text(StatusPages::Components))
                    .col(blob_null(StatusPages::Logo))
                    .col(string_len_null(StatusPages::LogoType, 32))
                    .col(timestamp_with_time_zone(StatusPages::CreatedAt))
                    .col(timestamp_with_time_zone(StatusPages::UpdatedAt))
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.drop_table(Table::drop().table(StatusPages::Table).to_owned())
                .await
        }
    }
}
