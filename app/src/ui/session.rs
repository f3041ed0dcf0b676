//! The signed-in user, shared by the header and private pages, and the
//! guard that private pages render inside.
use crate::auth::{Me, api::session_user};
use crate::error::AppError;
use crate::i18n::{t, use_i18n};
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
    fn allows(self, me: &Me) -> bool {
        match self {
            Access::SignedIn => true,
            Access::Can(p) => me.can(p),
        }
    }
}

/// On the server the actor is known before rendering starts, so the page's
/// HTTP status (401 or 403) is set before the first byte is sent.
#[cfg(feature = "ssr")]
fn set_status(access: Access) {
    use crate::platform::Principal;
    let principal = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<Principal>().cloned());
    let status = match (principal, access) {
        (None, _) => Some(401),
        (Some(_), Access::SignedIn) => None,
        (Some(p), Access::Can(perm)) => (!p.permissions.contains(&perm)).then_some(403),
    };
    if let Some(code) = status {
        crate::i18n_support::set_response_status(code);
    }
}

/// Renders `children` when the user may see the page; otherwise a sign-in
/// prompt (401) or a friendly "not allowed" page (403).
#[component]
pub fn RequireAccess(access: Access, children: ChildrenFn) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_status(access);
    let i18n = use_i18n();
    let user = use_current_user();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || view! { <p class="page narrow" role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match user.0.await {
                    Ok(Some(me)) if access.allows(&me) => children.with_value(|c| c()).into_any(),
                    Ok(Some(_)) => view! { <ForbiddenNotice /> }.into_any(),
                    _ => view! { <SignInNotice /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignInNotice() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page narrow centered" id="need-sign-in">
            <h1>{t!(i18n, auth_required_title)}</h1>
            <p>{t!(i18n, auth_required_body)}</p>
            <p><LocalLink href="/login" class="button button-primary">{t!(i18n, nav_sign_in)}</LocalLink></p>
        </div>
    }
}

#[component]
fn ForbiddenNotice() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page narrow centered" id="forbidden">
            <img src="/motifs/triangles.svg" alt="" width="120" height="40" class="empty-motif" />
            <h1>{t!(i18n, forbidden_title)}</h1>
            <p>{t!(i18n, forbidden_body)}</p>
            <p><LocalLink href="/app/profile" class="button">{t!(i18n, forbidden_back)}</LocalLink></p>
        </div>
    }
}
