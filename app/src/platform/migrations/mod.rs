//! Schema migrations, one file each, frozen once released. They describe
//! tables with their own identifiers and import nothing from domain code.
use sea_orm_migration::prelude::*;

mod m20261125_000001_instance_meta;
mod m20261125_000002_identity;
mod m20261202_000003_totp_step;

/// The platform's migrations (they created the identity tables before
/// domains declared their own; see `domains::Migrator`, which runs them
/// with every domain's in name order).
pub fn base() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261125_000001_instance_meta::Migration),
        Box::new(m20261125_000002_identity::Migration),
        Box::new(m20261202_000003_totp_step::Migration),
        Box::new(super::jobs::migration::Migration),
    ]
}
