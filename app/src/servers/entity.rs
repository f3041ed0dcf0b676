//! `servers` and `server_tags` rows. Only `service.rs` and `import.rs` use them.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "servers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub hostname: String,
    /// JSON array of addresses.
    pub ip_addresses: String,
    pub os: String,
    pub kind: String,
    pub provider: String,
    pub environment: String,
    pub owner: String,
    pub cpu_cores: Option<i32>,
    pub ram_mb: Option<i64>,
    pub disk_gb: Option<i64>,
    pub notes: String,
    pub status: String,
    pub ssh_user: Option<String>,
    pub ssh_port: i32,
    pub ssh_credential_kind: Option<String>,
    /// Sealed with `platform::secrets`, the row's id as associated data.
    pub ssh_credential: Option<String>,
    pub ssh_host_key: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// One tag of one server.
pub mod tag {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "server_tags")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub server_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub tag: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A user's saved view of the servers list (`views.rs`).
pub mod view {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "server_views")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub name: String,
        /// The filters and sort, as `GET /api/servers` takes them (JSON).
        pub filters: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
