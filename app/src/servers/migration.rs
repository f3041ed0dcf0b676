//! The inventory: `servers`, and `server_tags` (one row per tag, so a tag
//! filter is an index lookup, not a pattern match over a JSON column).
pub use m20261207_000001_servers::Migration;
pub use m20261207_000006_server_views::Migration as Views;

/// `server_views`: each user's saved views of the list (`views.rs`).
mod m20261207_000006_server_views {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261207_000006_server_views"
        }
    }

    #[derive(DeriveIden)]
    enum ServerViews {
        Table,
        Id,
        UserId,
        Name,
        Filters,
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
                    .table(ServerViews::Table)
                    .if_not_exists()
                    .col(pk_auto(ServerViews::Id))
                    .col(integer(ServerViews::UserId))
                    .col(string_len(ServerViews::Name, 60))
                    .col(text(ServerViews::Filters))
                    .col(timestamp_with_time_zone(ServerViews::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ServerViews::Table, ServerViews::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
            // One view per name and user; saving a name again replaces it.
            m.create_index(
                Index::create()
                    .name("idx_server_views_user_name")
                    .table(ServerViews::Table)
                    .col(ServerViews::UserId)
                    .col(ServerViews::Name)
                    .unique()
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.drop_table(Table::drop().table(ServerViews::Table).to_owned())
                .await
        }
    }
}

/// The migrator runs every domain's migrations in name (date) order.
mod m20261207_000001_servers {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    // `DeriveMigrationName` would take the file's name (`migration`),
    // the same in every domain: the name is written out instead.
    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261207_000001_servers"
        }
    }

    #[derive(DeriveIden)]
    enum Servers {
        Table,
        Id,
        Name,
        Hostname,
        IpAddresses,
        Os,
        Kind,
        Provider,
        Environment,
        Owner,
        CpuCores,
        RamMb,
        DiskGb,
        Notes,
        Status,
        SshUser,
        SshPort,
        SshCredentialKind,
        SshCredential,
        SshHostKey,
        CreatedAt,
        UpdatedAt,
    }

    #[derive(DeriveIden)]
    enum ServerTags {
        Table,
        ServerId,
        Tag,
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table(Servers::Table)
                    .if_not_exists()
                    .col(pk_auto(Servers::Id))
                    .col(string_len_uniq(Servers::Name, 100))
                    .col(string_len(Servers::Hostname, 253))
                    .col(text(Servers::IpAddresses))
                    .col(string_len(Servers::Os, 100))
                    .col(string_len(Servers::Kind, 16))
                    .col(string_len(Servers::Provider, 100))
                    .col(string_len(Servers::Environment, 32))
                    .col(string_len(Servers::Owner, 100))
                    .col(integer_null(Servers::CpuCores))
                    .col(big_integer_null(Servers::RamMb))
                    .col(big_integer_null(Servers::DiskGb))
                    .col(text(Servers::Notes))
                    .col(string_len(Servers::Status, 16))
                    .col(string_len_null(Servers::SshUser, 32))
                    .col(integer(Servers::SshPort))
                    .col(string_len_null(Servers::SshCredentialKind, 16))
                    .col(text_null(Servers::SshCredential))
                    .col(string_len_null(Servers::SshHostKey, 128))
                    .col(timestamp_with_time_zone(Servers::CreatedAt))
                    .col(timestamp_with_time_zone(Servers::UpdatedAt))
                    .to_owned(),
            )
            .await?;
            for (name, col) in [
                ("idx_servers_status", Servers::Status),
                ("idx_servers_environment", Servers::Environment),
            ] {
                m.create_index(
                    Index::create()
                        .name(name)
                        .table(Servers::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
            }
            m.create_table(
                Table::create()
                    .table(ServerTags::Table)
                    .if_not_exists()
                    .col(integer(ServerTags::ServerId))
                    .col(string_len(ServerTags::Tag, 40))
                    .primary_key(
                        Index::create()
                            .col(ServerTags::ServerId)
                            .col(ServerTags::Tag),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ServerTags::Table, ServerTags::ServerId)
                            .to(Servers::Table, Servers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
            m.create_index(
                Index::create()
                    .name("idx_server_tags_tag")
                    .table(ServerTags::Table)
                    .col(ServerTags::Tag)
                    .col(ServerTags::ServerId)
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.drop_table(Table::drop().table(ServerTags::Table).to_owned())
                .await?;
            m.drop_table(Table::drop().table(Servers::Table).to_owned())
                .await
        }
    }
}
