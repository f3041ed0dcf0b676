//! What a domain declares about itself, once, in its `mod.rs`: the product
//! module it delivers, its navigation entries, its public pages (sitemap
//! and page cache) and, on the server, its OpenAPI paths, the request bodies
//! the OpenAPI test checks and its migrations. `domains.rs` lists every
//! domain's [`Domain`] and the server, the shell and the tests read that one
//! list, so a new domain adds a row there instead of editing each consumer.
use crate::i18n::Locale;
use crate::platform::Permission;

/// One domain's declaration (`pub const DOMAIN: Domain = Domain { … }`).
#[derive(Clone, Copy)]
pub struct Domain {
    /// The folder name, for messages and the About page.
    pub id: &'static str,
    /// The product module (an id of the About page's list, PRODUCT.md's
    /// order) this domain makes available, if any.
    pub module: Option<&'static str>,
    /// Its entries in the private area's navigation, in menu order.
    pub nav: &'static [NavEntry],
    /// Its public pages, without locale prefix: listed in the sitemap.
    pub sitemap: &'static [&'static str],
    /// Those of its public pages whose HTML depends only on locale and
    /// theme, which the server may cache. Private pages (`/app/…`) never are.
    /// An entry ending in `/*` covers the pages one segment under it, as
    /// live data (kept briefly, dropped on change: `domains::is_live`).
    pub cacheable: &'static [&'static str],
    /// What only the server needs (kept out of the browser's bundle).
    #[cfg(feature = "ssr")]
    pub server: fn() -> ServerParts,
}

impl Domain {
    /// A domain with no navigation, public page or module of its own.
    pub const fn new(id: &'static str) -> Self {
        Self {
            id,
            module: None,
            nav: &[],
            sitemap: &[],
            cacheable: &[],
            #[cfg(feature = "ssr")]
            server: ServerParts::none,
        }
    }
}

/// One entry of the private area's navigation.
#[derive(Clone, Copy)]
pub struct NavEntry {
    pub path: &'static str,
    /// The entry's label in a locale (a `td_string!` of the domain's key).
    pub label: fn(Locale) -> &'static str,
    /// Shown only to users who hold this permission.
    pub needs: Permission,
}

#[cfg(feature = "ssr")]
pub use server::*;

/// A domain's `DOMAIN`, in its `mod.rs`: its id, then the fields it sets
/// (the others empty); the server part is its `api::server_parts`.
///
/// ```ignore
/// crate::declare_domain!("things", module: Some("things"), nav: NAV);
/// ```
#[macro_export]
macro_rules! declare_domain {
    ($id:literal $(, $field:ident: $value:expr)* $(,)?) => {
        /// What this domain declares to the rest of the product (see `domains.rs`).
        pub const DOMAIN: $crate::platform::Domain = $crate::platform::Domain {
            $($field: $value,)*
            #[cfg(feature = "ssr")]
            server: api::server_parts,
            ..$crate::platform::Domain::new($id)
        };
    };
}

/// A domain's `server_parts()`, written in its `api.rs` beside the
/// `openapi_*` stubs it lists:
///
/// ```ignore
/// crate::server_parts!(
///     paths(openapi_list_things, openapi_save_thing),
///     bodies(SaveThing),                // the `#[server]` structs of its POSTs with a body
///     migrations(migration::Migration), // optional
/// );
/// ```
#[macro_export]
macro_rules! server_parts {
    (
        paths($($path:ident),* $(,)?)
        $(, bodies($($body:ty),* $(,)?))?
        $(, migrations($($migration:expr),* $(,)?))?
        $(,)?
    ) => {
        /// This domain's part of the OpenAPI document, the request bodies
        /// `server/tests/api/openapi_args.rs` checks against the arguments,
        /// and its migrations.
        #[cfg(feature = "ssr")]
        pub fn server_parts() -> $crate::platform::domain::ServerParts {
            #[derive(utoipa::OpenApi)]
            #[openapi(paths($($path),*))]
            struct Doc;
            $crate::platform::domain::ServerParts {
                openapi: Some(<Doc as utoipa::OpenApi>::openapi()),
                bodies: vec![$($($crate::platform::domain::body::<$body>()),*)?],
                migrations: vec![$($(
                    Box::new($migration) as Box<dyn sea_orm_migration::MigrationTrait>
                ),*)?],
            }
        }
    };
}

/// A closed set of values with wire names, shared with the browser:
/// `ALL`, `as_str` and `parse` (which answers `None` for anything else).
///
/// ```ignore
/// crate::wire_enum! { Colour { Red => "red", DarkBlue => "dark-blue" } }
/// ```
#[macro_export]
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $wire:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire,)* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($wire => Some($name::$variant),)* _ => None }
            }
        }
    };
}

#[cfg(feature = "ssr")]
mod server {
    use sea_orm_migration::MigrationTrait;
    use serde::{Serialize, de::DeserializeOwned};
    use serde_json::Value;
    use std::collections::BTreeSet;

    /// A domain's server-side declarations.
    #[derive(Default)]
    pub struct ServerParts {
        /// Its routes in the OpenAPI document (`#[derive(OpenApi)]` over its
        /// `openapi_*` stubs, in its `api.rs`).
        pub openapi: Option<utoipa::openapi::OpenApi>,
        /// Every `POST` server function with a JSON body ([`body`]).
        pub bodies: Vec<RequestBody>,
        /// The migrations that create its tables, each named
        /// `m<yyyymmdd>_<nnnnnn>_<what>`: all domains' migrations run in
        /// name order.
        pub migrations: Vec<Box<dyn MigrationTrait>>,
    }

    impl ServerParts {
        pub fn none() -> Self {
            Self::default()
        }
    }

    /// Decodes a JSON body as a server function's arguments and returns
    /// the keys they encode again (`Err` when they do not decode).
    pub type BodyCheck = fn(&Value) -> Result<BTreeSet<String>, String>;

    /// A server function's path with the check of its arguments.
    pub struct RequestBody {
        pub path: &'static str,
        pub check: BodyCheck,
    }

    /// The [`RequestBody`] of server function `F` (the struct
    /// `#[server]` generates, named after the function in PascalCase).
    pub fn body<F>() -> RequestBody
    where
        F: leptos::server_fn::ServerFn + Serialize + DeserializeOwned,
    {
        RequestBody {
            path: F::PATH,
            check: round_trip::<F>,
        }
    }

    /// Decodes `body` as `T` and returns the keys `T` encodes again.
    pub fn round_trip<T: Serialize + DeserializeOwned>(
        body: &Value,
    ) -> Result<BTreeSet<String>, String> {
        let args: T = serde_json::from_value(body.clone()).map_err(|e| e.to_string())?;
        let back = serde_json::to_value(&args).map_err(|e| e.to_string())?;
        Ok(back
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default())
    }
}
