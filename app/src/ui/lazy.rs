//! Pages split out of the main WASM bundle.
//!
//! A route given `Lazy::<X>::new()` keeps its page code in a WASM file of its
//! own, fetched the first time the route is shown (`cargo leptos build
//! --split`), so the landing page downloads only what it needs.
//!
//! A resource a split page reads must be made in `LazyRoute::data()`, which
//! runs before the split boundary on the server and in the browser alike.
//! Made inside the page, it would get another hydration id in the browser
//! than on the server, and hydrating the page would fail.

/// Declares a split route for a page component.
///
/// `lazy_page!(AboutRoute => AboutPage(AboutData))` also makes `AboutData`
/// with `AboutData::load()` in `data()` and passes it as the page's `data`
/// prop; `lazy_page!(DocsRoute => DocsPage)` is for a page that loads nothing.
#[macro_export]
macro_rules! lazy_page {
    ($(#[$meta:meta])* $route:ident => $page:ident($data:ty)) => {
        $(#[$meta])*
        pub struct $route($data);

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                Self(<$data>::load())
            }

            fn view(this: Self) -> leptos::prelude::AnyView {
                use leptos::prelude::*;
                view! { <$page data=this.0 /> }.into_any()
            }
        }
    };
    ($(#[$meta:meta])* $route:ident => $page:ident) => {
        $(#[$meta])*
        pub struct $route;

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> leptos::prelude::AnyView {
                use leptos::prelude::*;
                view! { <$page /> }.into_any()
            }
        }
    };
}

use leptos::prelude::*;

/// Renders its children in the browser only, once the page has hydrated.
///
/// The private pages use it for what they load: the server renders their
/// title, access check and frame, and the browser fetches the rest. Their
/// resources are then made after hydration and need no server-rendered
/// value, which keeps the code that decodes them in the page's split WASM
/// instead of the main one that every visitor downloads.
#[component]
pub fn AfterHydration(children: ChildrenFn) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    // Effects run in the browser only, after hydration.
    Effect::new(move || hydrated.set(true));
    move || hydrated.get().then(|| children())
}
