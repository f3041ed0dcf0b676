//! `incidents`, `incident_servers` and `incident_events` rows. Only
//! `service.rs` and `query.rs` use them.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incidents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    pub description: String,
    pub severity: String,
    pub status: String,
    pub reporter_id: Option<i32>,
    pub assignee_id: Option<i32>,
    pub suspected_deployment_id: Option<i32>,
    pub acknowledge_by: Option<DateTimeUtc>,
    pub resolve_by: Option<DateTimeUtc>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    /// The post-mortem's Markdown, once someone saved one.
    pub postmortem: Option<String>,
    /// When the post-mortem was published to the status pages (`None`: private).
    pub postmortem_published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// One server an incident touches.
pub mod server {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "incident_servers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub incident_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub server_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One line of an incident's timeline.
pub mod event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "incident_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub incident_id: i32,
        pub at: DateTimeUtc,
        pub kind: String,
        pub actor_id: Option<i32>,
        pub actor_name: Option<String>,
        pub body: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One severity's SLA policy, once an administrator saved one (the
/// others keep the built-in targets). Only `sla/policy.rs` uses it.
pub mod sla_policy {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sla_policies")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub severity: String,
        pub acknowledge_minutes: Option<i32>,
        pub resolve_minutes: Option<i32>,
        /// `mon,tue,…`; empty: around the clock.
        pub business_days: String,
        pub day_start: Option<String>,
        pub day_end: Option<String>,
        pub time_zone: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
