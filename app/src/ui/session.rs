//! The signed-in user, shared by the header and private pages, and the
//! guard that private pages render inside.
use crate::auth::{Me, api::session_user};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::platform::Permission;
use crate::ui::LocalLink;
use leptos::prelude::*;

/// `None` when anonymous.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<Me>, AppError>>);

pub fn provide_current_user() -> CurrentUser {
    let user = CurrentUser(Resource::new(|| (), |_| session_user()));
    provide_context(user);
    user
}

pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

/// What a private page asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    SignedIn,
    Can(Permission),
}

impl Access {
    #[cfg_attr(feature = "ssr", allow(dead_code))]
    fn allows(self, me: &Me) -> bool {
        match self {
            Access::SignedIn => true,
            Access::Can(p) => me.can(p),
        }
    }
}

/// What the guard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    SignIn,
    Forbidden,
    Open,
}

/// On the server the actor is known before rendering starts (the auth
/// middleware put it in the request), so the guard decides synchronously and
/// sets the HTTP status (401/403) before the first byte. No suspense: the
/// page below renders under the guard's own owner.
#[cfg(feature = "ssr")]
fn gate(access: Access, _user: CurrentUser) -> Option<Gate> {
    use crate::platform::Principal;
    let principal = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<Principal>().cloned());
    let gate = match (principal, access) {
        (None, _) => Gate::SignIn,
        (Some(_), Access::SignedIn) => Gate::Open,
        (Some(p), Access::Can(perm)) if p.permissions.contains(&perm) => Gate::Open,
        (Some(_), Access::Can(_)) => Gate::Forbidden,
    };
    match gate {
        Gate::SignIn => crate::i18n_support::set_response_status(401),
        Gate::Forbidden => crate::i18n_support::set_response_status(403),
        Gate::Open => {}
    }
    Some(gate)
}

/// In the browser the same answer comes from the current-user resource
/// (already resolved when hydrating: the server sent its value).
#[cfg(not(feature = "ssr"))]
fn gate(access: Access, user: CurrentUser) -> Option<Gate> {
    user.0.get().map(|r| match r {
        Ok(Some(me)) if access.allows(&me) => Gate::Open,
        Ok(Some(_)) => Gate::Forbidden,
        _ => Gate::SignIn,
    })
}

/// Renders `children` when the user may see the page; otherwise a sign-in
/// prompt (401) or a friendly "not allowed" page (403).
#[component]
pub fn RequireAccess(access: Access, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    #[cfg(feature = "ssr")]
    let decided = gate(access, user);
    let state = move || {
        #[cfg(feature = "ssr")]
        return decided;
        #[cfg(not(feature = "ssr"))]
        gate(access, user)
    };
    let children = StoredValue::new(children);
    move || match state() {
        None => view! { <p class="page narrow" role="status">{crate::tr!(i18n, loading)}</p> }
            .into_any(),
        Some(Gate::Open) => children.with_value(|c| c()).into_any(),
        Some(Gate::Forbidden) => view! { <ForbiddenNotice /> }.into_any(),
        Some(Gate::SignIn) => view! { <SignInNotice /> }.into_any(),
    }
}

#[component]
fn SignInNotice() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page narrow centered" id="need-sign-in">
            <h1>{crate::tr!(i18n, auth_required_title)}</h1>
            <p>{crate::tr!(i18n, auth_required_body)}</p>
            <p><LocalLink href="/login" class="button button-primary">{crate::tr!(i18n, nav_sign_in)}</LocalLink></p>
        </div>
    }
}

#[component]
fn ForbiddenNotice() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page narrow centered" id="forbidden">
            <img src="/motifs/triangles.svg" alt="" width="120" height="40" class="empty-motif" />
            <h1>{crate::tr!(i18n, forbidden_title)}</h1>
            <p>{crate::tr!(i18n, forbidden_body)}</p>
            <p><LocalLink href="/app/profile" class="button">{crate::tr!(i18n, forbidden_back)}</LocalLink></p>
        </div>
    }
}
