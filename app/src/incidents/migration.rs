//! `incidents`, `incident_servers` (which servers a ticket touches),
//! `incident_events` (its timeline, one row per thing that happened),
//! `sla_policies` (the SLA targets an administrator set per severity).
pub use m20261208_000001_incidents::Migration;
pub use m20261210_000002_postmortem_publish::Migration as PublishMigration;
pub use m20261211_000001_sla_policies::Migration as SlaMigration;

/// One row per severity whose SLA policy an administrator saved.
mod m20261211_000001_sla_policies {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261211_000001_sla_policies"
        }
    }

    #[derive(DeriveIden)]
    enum SlaPolicies {
        Table,
        Severity,
        AcknowledgeMinutes,
        ResolveMinutes,
        BusinessDays,
        DayStart,
        DayEnd,
        TimeZone,
        UpdatedAt,
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table(SlaPolicies::Table)
                    .if_not_exists()
                    .col(string_len(SlaPolicies::Severity, 16).primary_key())
                    .col(integer_null(SlaPolicies::AcknowledgeMinutes))
                    .col(integer_null(SlaPolicies::ResolveMinutes))
                    .col(string_len(SlaPolicies::BusinessDays, 32))
                    .col(string_len_null(SlaPolicies::DayStart, 5))
                    .col(string_len_null(SlaPolicies::DayEnd, 5))
                    .col(string_len(SlaPolicies::TimeZone, 64))
                    .col(timestamp_with_time_zone(SlaPolicies::UpdatedAt))
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.drop_table(Table::drop().table(SlaPolicies::Table).to_owned())
                .await
        }
    }
}

/// When a ticket's post-mortem was published to the status pages (null:
/// private; only published ones reach a page).
mod m20261210_000002_postmortem_publish {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261210_000002_postmortem_publish"
        }
    }

    #[derive(DeriveIden)]
    enum Incidents {
        Table,
        PostmortemPublishedAt,
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(
                Table::alter()
                    .table(Incidents::Table)
                    .add_column(timestamp_with_time_zone_null(
                        Incidents::PostmortemPublishedAt,
                    ))
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(
                Table::alter()
                    .table(Incidents::Table)
                    .drop_column(Incidents::PostmortemPublishedAt)
                    .to_owned(),
            )
            .await
        }
    }
}

mod m20261208_000001_incidents {
    use sea_orm_migration::{prelude::*, schema::*};

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261208_000001_incidents"
        }
    }

    #[derive(DeriveIden)]
    enum Incidents {
        Table,
        Id,
        Title,
        Description,
        Severity,
        Status,
        ReporterId,
        AssigneeId,
        SuspectedDeploymentId,
        AcknowledgeBy,
        ResolveBy,
        AcknowledgedAt,
        ResolvedAt,
        Postmortem,
        CreatedAt,
        UpdatedAt,
    }

    #[derive(DeriveIden)]
    enum IncidentServers {
        Table,
        IncidentId,
        ServerId,
    }

    #[derive(DeriveIden)]
    enum IncidentEvents {
        Table,
        Id,
        IncidentId,
        At,
        Kind,
        ActorId,
        ActorName,
        Body,
    }

    #[derive(DeriveIden)]
    enum Users {
        Table,
        Id,
    }

    #[derive(DeriveIden)]
    enum Servers {
        Table,
        Id,
    }

    fn user_link(from: Incidents) -> ForeignKeyCreateStatement {
        ForeignKey::create()
            .from(Incidents::Table, from)
            .to(Users::Table, Users::Id)
            .on_delete(ForeignKeyAction::SetNull)
            .to_owned()
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table(Incidents::Table)
                    .if_not_exists()
                    .col(pk_auto(Incidents::Id))
                    .col(string_len(Incidents::Title, 200))
                    .col(text(Incidents::Description))
                    .col(string_len(Incidents::Severity, 16))
                    .col(string_len(Incidents::Status, 16))
                    .col(integer_null(Incidents::ReporterId))
                    .col(integer_null(Incidents::AssigneeId))
                    // No foreign key yet: the deployments table comes later.
                    .col(integer_null(Incidents::SuspectedDeploymentId))
                    .col(timestamp_with_time_zone_null(Incidents::AcknowledgeBy))
                    .col(timestamp_with_time_zone_null(Incidents::ResolveBy))
                    .col(timestamp_with_time_zone_null(Incidents::AcknowledgedAt))
                    .col(timestamp_with_time_zone_null(Incidents::ResolvedAt))
                    .col(text_null(Incidents::Postmortem))
                    .col(timestamp_with_time_zone(Incidents::CreatedAt))
                    .col(timestamp_with_time_zone(Incidents::UpdatedAt))
                    .foreign_key(&mut user_link(Incidents::ReporterId))
                    .foreign_key(&mut user_link(Incidents::AssigneeId))
                    .to_owned(),
            )
            .await?;
            // "My tickets" reads by reporter; the list filters by status
            // and assignee, newest first (the id).
            for (name, col) in [
                ("idx_incidents_reporter", Incidents::ReporterId),
                ("idx_incidents_status", Incidents::Status),
                ("idx_incidents_assignee", Incidents::AssigneeId),
            ] {
                m.create_index(
                    Index::create()
                        .name(name)
                        .table(Incidents::Table)
                        .col(col)
                        .col(Incidents::Id)
                        .to_owned(),
                )
                .await?;
            }
            m.create_table(
                Table::create()
                    .table(IncidentServers::Table)
                    .if_not_exists()
                    .col(integer(IncidentServers::IncidentId))
                    .col(integer(IncidentServers::ServerId))
                    .primary_key(
                        Index::create()
                            .col(IncidentServers::IncidentId)
                            .col(IncidentServers::ServerId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(IncidentServers::Table, IncidentServers::IncidentId)
                            .to(Incidents::Table, Incidents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(IncidentServers::Table, IncidentServers::ServerId)
                            .to(Servers::Table, Servers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
            m.create_index(
                Index::create()
                    .name("idx_incident_servers_server")
                    .table(IncidentServers::Table)
                    .col(IncidentServers::ServerId)
                    .col(IncidentServers::IncidentId)
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table(IncidentEvents::Table)
                    .if_not_exists()
                    .col(pk_auto(IncidentEvents::Id))
                    .col(integer(IncidentEvents::IncidentId))
                    .col(timestamp_with_time_zone(IncidentEvents::At))
                    .col(string_len(IncidentEvents::Kind, 16))
                    .col(integer_null(IncidentEvents::ActorId))
                    // The name as it was: the timeline is history.
                    .col(string_len_null(IncidentEvents::ActorName, 100))
                    .col(text(IncidentEvents::Body))
                    .foreign_key(
                        ForeignKey::create()
                            .from(IncidentEvents::Table, IncidentEvents::IncidentId)
                            .to(Incidents::Table, Incidents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
            m.create_index(
                Index::create()
                    .name("idx_incident_events_incident")
                    .table(IncidentEvents::Table)
                    .col(IncidentEvents::IncidentId)
                    .col(IncidentEvents::Id)
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            for table in [
                IncidentEvents::Table.into_iden(),
                IncidentServers::Table.into_iden(),
                Incidents::Table.into_iden(),
            ] {
                m.drop_table(Table::drop().table(table).to_owned()).await?;
            }
            Ok(())
        }
    }
}
