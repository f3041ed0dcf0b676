//! An index for a record's history (`audit::service::history`): every
//! domain page that shows "what happened to this" reads by target.
pub use m20261207_000002_audit_target::Migration;

mod m20261207_000002_audit_target {
    use sea_orm_migration::prelude::*;

    pub struct Migration;

    // `DeriveMigrationName` would take the file's name (`migration`),
    // the same in every domain: the name is written out instead.
    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261207_000002_audit_target"
        }
    }

    #[derive(DeriveIden)]
    enum AuditLog {
        Table,
        TargetType,
        TargetId,
        Id,
    }

    const INDEX: &str = "idx_audit_target";

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_index(
                Index::create()
                    .name(INDEX)
                    .table(AuditLog::Table)
                    .col(AuditLog::TargetType)
                    .col(AuditLog::TargetId)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.drop_index(Index::drop().name(INDEX).table(AuditLog::Table).to_owned())
                .await
        }
    }
}
