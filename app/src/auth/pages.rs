//! Pages of the `auth` domain.
