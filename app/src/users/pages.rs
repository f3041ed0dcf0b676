//! Pages of the `users` domain.
