//! `alert_rules`, `alerts`, `silences` and `maintenance_windows` rows.
//! Used by `rules.rs`, `service.rs`, `fire.rs` and `evaluator.rs`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "alerts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub fingerprint: String,
    pub open_key: Option<String>,
    pub rule_id: Option<i32>,
    pub source: String,
    pub name: String,
    pub summary: String,
    pub severity: String,
    /// A JSON object of strings.
    pub labels: String,
    pub monitor_id: Option<i32>,
    pub server_id: Option<i32>,
    pub status: String,
    pub started_at: DateTimeUtc,
    pub fired_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    pub acknowledged_by: Option<i32>,
    pub acknowledged_name: Option<String>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub quiet: Option<String>,
    pub flaps: i32,
    pub incident_id: Option<i32>,
    pub escalated_at: Option<DateTimeUtc>,
    /// Escalation levels done since it last fired.
    pub escalation_level: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub mod rule {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "alert_rules")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub condition: String,
        pub monitor_id: Option<i32>,
        pub server_id: Option<i32>,
        pub consecutive: i32,
        pub for_seconds: i32,
        pub comparator: Option<String>,
        pub threshold: Option<f64>,
        pub days: Option<i32>,
        pub severity: String,
        /// A JSON object of strings.
        pub labels: String,
        pub opens_incident: bool,
        pub enabled: bool,
        /// Read only for rules saved before escalation levels: their one level.
        pub escalate_after_minutes: Option<i32>,
        pub escalate_channel_id: Option<i32>,
        /// The levels, JSON `[{"after_minutes","channel_id"}]`.
        pub escalation: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod silence {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "silences")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        /// A JSON array of matchers as written (`team=db`).
        pub matchers: String,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub author_id: Option<i32>,
        pub author_name: String,
        pub reason: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod window {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "maintenance_windows")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub title: String,
        /// JSON arrays.
        pub server_ids: String,
        pub tags: String,
        pub kind: String,
        pub starts_at: Option<DateTimeUtc>,
        pub ends_at: Option<DateTimeUtc>,
        /// `mon,wed`.
        pub weekdays: String,
        pub start_time: Option<String>,
        pub duration_minutes: Option<i32>,
        pub time_zone: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
