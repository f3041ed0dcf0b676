//! `monitors`, `monitor_chunks`, `monitor_rollups`, `monitor_events` and
//! `host_chunks` rows. Only
//! `service.rs`, `store.rs`, `engine/` and `templates.rs` use them.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monitors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub kind: String,
    pub target: String,
    pub interval_seconds: i32,
    pub timeout_seconds: i32,
    pub retries: i32,
    pub server_id: Option<i32>,
    pub paused: bool,
    /// JSON object of the kind's own settings.
    pub settings: String,
    /// `heartbeat`: SHA-256 (hex) of the push token.
    pub push_token_hash: Option<String>,
    pub status: String,
    /// Failed checks in a row.
    pub failures: i32,
    pub latency_ms: Option<i32>,
    pub last_checked_at: Option<DateTimeUtc>,
    /// `heartbeat`: when the last push arrived.
    pub last_beat_at: Option<DateTimeUtc>,
    pub message: String,
    /// `None` for a monitor made by hand; the template check's key
    /// (`template:ssh`, …) for one the inventory made (`templates.rs`).
    pub origin: Option<String>,
    /// Bumped by every save, so the engine reloads only what changed.
    pub revision: i32,
    /// The engine instance that checks this monitor, until `lease_until`.
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// A run of one monitor's raw results, compressed (`series.rs`).
pub mod chunk {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "monitor_chunks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub monitor_id: i32,
        /// Unix seconds of the chunk's first sample.
        #[sea_orm(primary_key, auto_increment = false)]
        pub start_at: i64,
        /// Unix seconds of its last sample.
        pub end_at: i64,
        pub samples: i32,
        pub data: Vec<u8>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A sealed chunk's results summed per minute or per hour (`rollup.rs`).
pub mod rollup {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "monitor_rollups")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub monitor_id: i32,
        /// Seconds per bucket: 60 or 3600.
        #[sea_orm(primary_key, auto_increment = false)]
        pub resolution: i32,
        /// The chunk's start (Unix seconds).
        #[sea_orm(primary_key, auto_increment = false)]
        pub start_at: i64,
        /// Its last sample.
        pub end_at: i64,
        pub data: Vec<u8>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A monitor's change of state (`down` after `up`, …), for the overview's
/// recent changes and worst offenders.
pub mod event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "monitor_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub monitor_id: i32,
        pub at: DateTimeUtc,
        pub status: String,
        pub previous: String,
        pub message: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A run of one node_exporter monitor's host samples (`host.rs`).
pub mod host_chunk {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "host_chunks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub monitor_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub start_at: i64,
        pub end_at: i64,
        pub samples: i32,
        pub data: Vec<u8>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
