//! Monitoring: `monitors` (what to check and its current state) and
//! `monitor_chunks` (each monitor's raw results, a compressed run per row).
pub use m20261207_000004_monitors::Migration;
pub use m20261207_000005_monitor_history::Migration as History;

/// `monitor_rollups`: each sealed chunk's minute and hour buckets
/// (`rollup.rs`); `monitor_events`: each monitor's changes of state;
/// `host_chunks`: node_exporter monitors' host samples (`host.rs`).
mod m20261207_000005_monitor_history {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261207_000005_monitor_history"
        }
    }

    #[derive(DeriveIden)]
    enum MonitorRollups {
        Table,
        MonitorId,
        Resolution,
        StartAt,
        EndAt,
        Data,
    }

    #[derive(DeriveIden)]
    enum HostChunks {
        Table,
        MonitorId,
        StartAt,
        EndAt,
        Samples,
        Data,
    }

    #[derive(DeriveIden)]
    enum MonitorEvents {
        Table,
        Id,
        MonitorId,
        At,
        Status,
        Previous,
        Message,
    }

    #[derive(DeriveIden)]
    enum Monitors {
        Table,
        Id,
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table(HostChunks::Table)
                    .if_not_exists()
                    .col(integer(HostChunks::MonitorId))
                    .col(big_integer(HostChunks::StartAt))
                    .col(big_integer(HostChunks::EndAt))
                    .col(integer(HostChunks::Samples))
                    .col(blob(HostChunks::Data))
                    .primary_key(
                        Index::create()
                            .col(HostChunks::MonitorId)
                            .col(HostChunks::StartAt),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(HostChunks::Table, HostChunks::MonitorId)
                            .to(Monitors::Table, Monitors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
            m.create_index(
                Index::create()
                    .name("idx_host_chunks_end")
                    .table(HostChunks::Table)
                    .col(HostChunks::EndAt)
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table(MonitorEvents::Table)
                    .if_not_exists()
                    .col(big_pk_auto(MonitorEvents::Id))
                    .col(integer(MonitorEvents::MonitorId))
                    .col(timestamp_with_time_zone(MonitorEvents::At))
                    .col(string_len(MonitorEvents::Status, 16))
                    .col(string_len(MonitorEvents::Previous, 16))
                    .col(string_len(MonitorEvents::Message, 500))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MonitorEvents::Table, MonitorEvents::MonitorId)
                            .to(Monitors::Table, Monitors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
            // The overview's worst offenders count recent downs; retention
            // deletes by age.
            for (name, cols) in [
                ("idx_monitor_events_at", vec![MonitorEvents::At]),
                (
                    "idx_monitor_events_monitor",
                    vec![MonitorEvents::MonitorId, MonitorEvents::At],
                ),
            ] {
                let mut index = Index::create();
                index.name(name).table(MonitorEvents::Table);
                for c in cols {
                    index.col(c);
                }
                m.create_index(index.to_owned()).await?;
            }
            m.create_table(
                Table::create()
                    .table(MonitorRollups::Table)
                    .if_not_exists()
                    .col(integer(MonitorRollups::MonitorId))
                    .col(integer(MonitorRollups::Resolution))
                    .col(big_integer(MonitorRollups::StartAt))
                    .col(big_integer(MonitorRollups::EndAt))
                    .col(blob(MonitorRollups::Data))
                    .primary_key(
                        Index::create()
                            .col(MonitorRollups::MonitorId)
                            .col(MonitorRollups::Resolution)
                            .col(MonitorRollups::StartAt),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MonitorRollups::Table, MonitorRollups::MonitorId)
                            .to(Monitors::Table, Monitors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
            // The retention job deletes old rollups across monitors.
            m.create_index(
                Index::create()
                    .name("idx_monitor_rollups_end")
                    .table(MonitorRollups::Table)
                    .col(MonitorRollups::Resolution)
                    .col(MonitorRollups::EndAt)
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.drop_table(Table::drop().table(MonitorRollups::Table).to_owned())
                .await?;
            m.drop_table(Table::drop().table(MonitorEvents::Table).to_owned())
                .await?;
            m.drop_table(Table::drop().table(HostChunks::Table).to_owned())
                .await
        }
    }
}

mod m20261207_000004_monitors {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261207_000004_monitors"
        }
    }

    #[derive(DeriveIden)]
    enum Monitors {
        Table,
        Id,
        Name,
        Kind,
        Target,
        IntervalSeconds,
        TimeoutSeconds,
        Retries,
        ServerId,
        Paused,
        Settings,
        PushTokenHash,
        Status,
        Failures,
        LatencyMs,
        LastCheckedAt,
        LastBeatAt,
        Message,
        Origin,
        Revision,
        LeaseOwner,
        LeaseUntil,
        CreatedAt,
        UpdatedAt,
    }

    #[derive(DeriveIden)]
    enum MonitorChunks {
        Table,
        MonitorId,
        StartAt,
        EndAt,
        Samples,
        Data,
    }

    #[derive(DeriveIden)]
    enum Servers {
        Table,
        Id,
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table(Monitors::Table)
                    .if_not_exists()
                    .col(pk_auto(Monitors::Id))
                    .col(string_len_uniq(Monitors::Name, 100))
                    .col(string_len(Monitors::Kind, 16))
                    .col(string_len(Monitors::Target, 2048))
                    .col(integer(Monitors::IntervalSeconds))
                    .col(integer(Monitors::TimeoutSeconds))
                    .col(integer(Monitors::Retries))
                    .col(integer_null(Monitors::ServerId))
                    .col(boolean(Monitors::Paused))
                    .col(text(Monitors::Settings))
                    .col(string_len_null(Monitors::PushTokenHash, 64).unique_key())
                    .col(string_len(Monitors::Status, 16))
                    .col(integer(Monitors::Failures))
                    .col(integer_null(Monitors::LatencyMs))
                    .col(timestamp_with_time_zone_null(Monitors::LastCheckedAt))
                    .col(timestamp_with_time_zone_null(Monitors::LastBeatAt))
                    .col(string_len(Monitors::Message, 500))
                    .col(string_len_null(Monitors::Origin, 32))
                    .col(integer(Monitors::Revision))
                    .col(string_len_null(Monitors::LeaseOwner, 128))
                    .col(timestamp_with_time_zone_null(Monitors::LeaseUntil))
                    .col(timestamp_with_time_zone(Monitors::CreatedAt))
                    .col(timestamp_with_time_zone(Monitors::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Monitors::Table, Monitors::ServerId)
                            .to(Servers::Table, Servers::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
            for (name, col) in [
                ("idx_monitors_server", Monitors::ServerId),
                ("idx_monitors_status", Monitors::Status),
            ] {
                m.create_index(
                    Index::create()
                        .name(name)
                        .table(Monitors::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
            }
            // One monitor per template check of a server (`templates.rs`);
            // hand-made monitors have no origin (NULLs never collide).
            m.create_index(
                Index::create()
                    .name("idx_monitors_origin")
                    .table(Monitors::Table)
                    .col(Monitors::ServerId)
                    .col(Monitors::Origin)
                    .unique()
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table(MonitorChunks::Table)
                    .if_not_exists()
                    .col(integer(MonitorChunks::MonitorId))
                    .col(big_integer(MonitorChunks::StartAt))
                    .col(big_integer(MonitorChunks::EndAt))
                    .col(integer(MonitorChunks::Samples))
                    .col(blob(MonitorChunks::Data))
                    .primary_key(
                        Index::create()
                            .col(MonitorChunks::MonitorId)
                            .col(MonitorChunks::StartAt),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MonitorChunks::Table, MonitorChunks::MonitorId)
                            .to(Monitors::Table, Monitors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
            // The retention job deletes old chunks across monitors.
            m.create_index(
                Index::create()
                    .name("idx_monitor_chunks_end")
                    .table(MonitorChunks::Table)
                    .col(MonitorChunks::EndAt)
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.drop_table(Table::drop().table(MonitorChunks::Table).to_owned())
                .await?;
            m.drop_table(Table::drop().table(Monitors::Table).to_owned())
                .await
        }
    }
}
