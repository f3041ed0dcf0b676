//! Server-rendered data of a split page, decoded inside the page's own WASM.
//!
//! A split page's server-rendered data comes from a resource made before the
//! split boundary (see `ui::lazy`), so the code that decodes it would ship in
//! the main WASM that every visitor downloads. A `JsonResource` keeps it out:
//! the resource holds the server function's reply as JSON text, which the
//! page decodes after its own file has loaded, and the browser-side fetch
//! goes through `server_calls::call`, split out as well. The main WASM then
//! needs neither the server-function client nor a JSON decoder.
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server::codee::string::FromToStringCodec;
use serde::{Serialize, de::DeserializeOwned};
use std::{convert::Infallible, fmt, marker::PhantomData, str::FromStr};

/// A server function's reply (`Ok` or `Err`), as JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonText(String);

impl JsonText {
    pub fn of<T: Serialize>(reply: &Result<T, AppError>) -> Self {
        // Our replies are plain data: encoding them cannot fail, and if it
        // did the page would show its error state (an empty text decodes to
        // an error below).
        Self(serde_json::to_string(reply).unwrap_or_default())
    }
}

impl fmt::Display for JsonText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for JsonText {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_string()))
    }
}

/// A resource whose value is decoded where it is read, as `T`.
pub struct JsonResource<T> {
    text: Resource<JsonText, FromToStringCodec>,
    ty: PhantomData<fn() -> T>,
}

impl<T> Clone for JsonResource<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for JsonResource<T> {}

impl<T: DeserializeOwned> JsonResource<T> {
    /// `fetch` makes a `server_calls::call`. `blocking`: the server waits for the value
    /// before it sends the page head (for a page whose status depends on it).
    pub fn new<S, Fut>(
        source: impl Fn() -> S + Send + Sync + 'static,
        fetch: impl Fn(S) -> Fut + Send + Sync + 'static,
        blocking: bool,
    ) -> Self
    where
        S: PartialEq + Clone + Send + Sync + 'static,
        Fut: Future<Output = JsonText> + Send + 'static,
    {
        let text = if blocking {
            Resource::new_str_blocking(source, fetch)
        } else {
            Resource::new_str(source, fetch)
        };
        Self {
            text,
            ty: PhantomData,
        }
    }

    /// The reply, once loaded.
    pub async fn get(self) -> Result<T, AppError> {
        let text = self.text.await;
        serde_json::from_str::<Result<T, AppError>>(&text.0)
            .unwrap_or_else(|e| Err(AppError::internal(e)))
    }
}
