//! The automation tables. Only this domain's services use them.
pub mod chunk;
pub mod run;
pub mod script;
pub mod target;
pub mod version;
