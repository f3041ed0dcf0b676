//! Schema migrations, one file each, frozen once released. They describe
//! tables with their own identifiers and import nothing from domain code.
use sea_orm_migration::prelude::*;

mod m20261125_000001_instance_meta;
mod m20261125_000002_identity;
mod m20261202_000003_totp_step;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_instance_meta::Migration),
            Box::new(m20261125_000002_identity::Migration),
            Box::new(m20261202_000003_totp_step::Migration),
        ]
    }
}

/// Applies every pending migration.
pub async fn run(db: &sea_orm::DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}
