//! `scripts` and their `script_versions`; `runs`, one `run_targets` row per
//! host a run goes to, and the output in `run_chunks` (compressed blocks of
//! lines, not a row per line).
pub use m20261212_000001_automation::Migration;

mod m20261212_000001_automation {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261212_000001_automation"
        }
    }

    #[derive(DeriveIden)]
    enum Scripts {
        Table,
        Id,
        Name,
        Description,
        Language,
        Body,
        Parameters,
        Version,
        CreatedAt,
        UpdatedAt,
    }

    #[derive(DeriveIden)]
    enum ScriptVersions {
        Table,
        Id,
        ScriptId,
        Version,
        Name,
        Description,
        Language,
        Body,
        Parameters,
        AuthorId,
        CreatedAt,
    }

    #[derive(DeriveIden)]
    enum Runs {
        Table,
        Id,
        ScriptId,
        ScriptVersion,
        Title,
        Language,
        Body,
        Parameters,
        SealedParameters,
        TimeoutSeconds,
        Status,
        ExitCode,
        CancelRequested,
        RequestedBy,
        CreatedAt,
        StartedAt,
        FinishedAt,
    }

    #[derive(DeriveIden)]
    enum RunTargets {
        Table,
        Id,
        RunId,
        ServerId,
        Label,
        Status,
        ExitCode,
        Error,
        StartedAt,
        FinishedAt,
    }

    #[derive(DeriveIden)]
    enum RunChunks {
        Table,
        Id,
        RunId,
        TargetId,
        FirstLine,
        Lines,
        RawBytes,
        Data,
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table(Scripts::Table)
                    .if_not_exists()
                    .col(pk_auto(Scripts::Id))
                    .col(string_len_uniq(Scripts::Name, 80))
                    .col(string_len(Scripts::Description, 500))
                    .col(string_len(Scripts::Language, 16))
                    .col(text(Scripts::Body))
                    .col(text(Scripts::Parameters))
                    .col(integer(Scripts::Version))
                    .col(timestamp_with_time_zone(Scripts::CreatedAt))
                    .col(timestamp_with_time_zone(Scripts::UpdatedAt))
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table(ScriptVersions::Table)
                    .if_not_exists()
                    .col(pk_auto(ScriptVersions::Id))
                    .col(integer(ScriptVersions::ScriptId))
                    .col(integer(ScriptVersions::Version))
                    .col(string_len(ScriptVersions::Name, 80))
                    .col(string_len(ScriptVersions::Description, 500))
                    .col(string_len(ScriptVersions::Language, 16))
                    .col(text(ScriptVersions::Body))
                    .col(text(ScriptVersions::Parameters))
                    .col(integer_null(ScriptVersions::AuthorId))
                    .col(timestamp_with_time_zone(ScriptVersions::CreatedAt))
                    .to_owned(),
            )
            .await?;
            m.create_index(
                Index::create()
                    .name("script_versions_script_version")
                    .table(ScriptVersions::Table)
                    .col(ScriptVersions::ScriptId)
                    .col(ScriptVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table(Runs::Table)
                    .if_not_exists()
                    .col(pk_auto(Runs::Id))
                    .col(integer_null(Runs::ScriptId))
                    .col(integer_null(Runs::ScriptVersion))
                    .col(string_len(Runs::Title, 80))
                    .col(string_len(Runs::Language, 16))
                    .col(text(Runs::Body))
                    .col(text(Runs::Parameters))
                    .col(text_null(Runs::SealedParameters))
                    .col(integer(Runs::TimeoutSeconds))
                    .col(string_len(Runs::Status, 16))
                    .col(integer_null(Runs::ExitCode))
                    .col(boolean(Runs::CancelRequested).default(false))
                    .col(integer_null(Runs::RequestedBy))
                    .col(timestamp_with_time_zone(Runs::CreatedAt))
                    .col(timestamp_with_time_zone_null(Runs::StartedAt))
                    .col(timestamp_with_time_zone_null(Runs::FinishedAt))
                    .to_owned(),
            )
            .await?;
            m.create_index(
                Index::create()
                    .name("runs_script_created")
                    .table(Runs::Table)
                    .col(Runs::ScriptId)
                    .col(Runs::Id)
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table(RunTargets::Table)
                    .if_not_exists()
                    .col(pk_auto(RunTargets::Id))
                    .col(integer(RunTargets::RunId))
                    .col(integer_null(RunTargets::ServerId))
                    .col(string_len(RunTargets::Label, 120))
                    .col(string_len(RunTargets::Status, 16))
                    .col(integer_null(RunTargets::ExitCode))
                    .col(string_len(RunTargets::Error, 500))
                    .col(timestamp_with_time_zone_null(RunTargets::StartedAt))
                    .col(timestamp_with_time_zone_null(RunTargets::FinishedAt))
                    .to_owned(),
            )
            .await?;
            m.create_index(
                Index::create()
                    .name("run_targets_run")
                    .table(RunTargets::Table)
                    .col(RunTargets::RunId)
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table(RunChunks::Table)
                    .if_not_exists()
                    .col(big_pk_auto(RunChunks::Id))
                    .col(integer(RunChunks::RunId))
                    .col(integer(RunChunks::TargetId))
                    .col(big_integer(RunChunks::FirstLine))
                    .col(integer(RunChunks::Lines))
                    .col(big_integer(RunChunks::RawBytes))
                    .col(blob(RunChunks::Data))
                    .to_owned(),
            )
            .await?;
            // The output is read by line number: a block's first line is
            // unique in its run (two hosts writing at once retry on it).
            m.create_index(
                Index::create()
                    .name("run_chunks_run_first_line")
                    .table(RunChunks::Table)
                    .col(RunChunks::RunId)
                    .col(RunChunks::FirstLine)
                    .unique()
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            for t in [
                RunChunks::Table.into_iden(),
                RunTargets::Table.into_iden(),
                Runs::Table.into_iden(),
                ScriptVersions::Table.into_iden(),
                Scripts::Table.into_iden(),
            ] {
                m.drop_table(Table::drop().table(t).to_owned()).await?;
            }
            Ok(())
        }
    }
}
