//! The signed-in user, shared by the header and private pages, and the
//! guard that private pages render inside.
use crate::i18n::use_i18n;
use crate::platform::Permission;
use crate::ui::LocalLink;
use leptos::prelude::*;
use std::{fmt, str::FromStr};

/// What the shell knows of the signed-in user: the name in the header and
/// the permissions the page guard checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellUser {
    pub display_name: String,
    pub permissions: Vec<Permission>,
}

impl ShellUser {
    pub fn can(&self, p: Permission) -> bool {
        self.permissions.contains(&p)
    }
}

/// The user as it travels from the server to the browser with the page:
/// plain text (`perm,perm` newline name; empty when anonymous) rather than
/// JSON, so the bundle every visitor downloads carries no JSON decoder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct ShellSession(Option<ShellUser>);

impl fmt::Display for ShellSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(user) = &self.0 else { return Ok(()) };
        let permissions: Vec<&str> = user.permissions.iter().map(|p| p.as_str()).collect();
        // Leptos writes `<` as the six characters `\u003c` in the page (so
        // no value can close its script), which only a JSON decoder undoes:
        // the name keeps `<` (and `%`) percent-encoded instead.
        let name = user.display_name.replace('%', "%25").replace('<', "%3C");
        write!(f, "{}\n{name}", permissions.join(","))
    }
}

impl FromStr for ShellSession {
    type Err = std::convert::Infallible;

    /// Anything malformed reads as anonymous: the server checks every call
    /// anyway, so the worst case is a sign-in link shown to a signed-in user.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.split_once('\n').map(|(permissions, name)| {
            ShellUser {
                display_name: name.replace("%3C", "<").replace("%25", "%"),
                permissions: permissions
                    .split(',')
                    .filter_map(Permission::parse)
                    .collect(),
            }
        })))
    }
}

/// `None` when anonymous. Known from the first render on: the server reads
/// it from the request, and the browser from the page.
#[derive(Clone, Copy)]
pub struct CurrentUser(RwSignal<Option<ShellUser>>);

impl CurrentUser {
    pub fn get(self) -> Option<ShellUser> {
        self.0.get()
    }

    pub fn get_untracked(self) -> Option<ShellUser> {
        self.0.get_untracked()
    }

    pub fn set(self, user: Option<ShellUser>) {
        self.0.set(user);
    }
}

#[cfg(feature = "ssr")]
fn request_user() -> ShellSession {
    use crate::platform::Principal;
    ShellSession(
        use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<Principal>().cloned())
            .map(|p| ShellUser {
                display_name: p.display_name,
                permissions: p.permissions.into_iter().collect(),
            }),
    )
}

pub fn provide_current_user() -> CurrentUser {
    #[cfg(feature = "ssr")]
    let shared = SharedValue::new_str(request_user);
    #[cfg(not(feature = "ssr"))]
    let shared = SharedValue::new_str(ShellSession::default);
    let user = CurrentUser(RwSignal::new(shared.into_inner().0));
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
    fn allows(self, me: &ShellUser) -> bool {
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

/// What the guard shows to `user`.
fn gate(access: Access, user: Option<ShellUser>) -> Gate {
    match user {
        Some(me) if access.allows(&me) => Gate::Open,
        Some(_) => Gate::Forbidden,
        None => Gate::SignIn,
    }
}

/// Renders `children` when the user may see the page; otherwise a sign-in
/// prompt (401) or a friendly "not allowed" page (403).
///
/// The current user is known from the first render on both sides (see
/// `provide_current_user`). The server decides once, before the first byte,
/// and sets the HTTP status; the browser follows the user as it changes.
#[component]
pub fn RequireAccess(access: Access, children: ChildrenFn) -> impl IntoView {
    let user = use_current_user();
    #[cfg(feature = "ssr")]
    let decided = {
        let decided = gate(access, user.get_untracked());
        match decided {
            Gate::SignIn => crate::i18n_support::set_response_status(401),
            Gate::Forbidden => crate::i18n_support::set_response_status(403),
            Gate::Open => {}
        }
        decided
    };
    let state = move || {
        #[cfg(feature = "ssr")]
        return decided;
        #[cfg(not(feature = "ssr"))]
        gate(access, user.get())
    };
    let children = StoredValue::new(children);
    move || match state() {
        Gate::Open => children.with_value(|c| c()).into_any(),
        Gate::Forbidden => view! { <ForbiddenNotice /> }.into_any(),
        Gate::SignIn => view! { <SignInNotice /> }.into_any(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn through_the_page(value: &ShellSession) -> ShellSession {
        // What Leptos does to a serialized value on its way into the page.
        value.to_string().replace('<', "\\u003c").parse().unwrap()
    }

    #[test]
    fn the_user_survives_the_trip_to_the_browser() {
        for name in [
            "Dihya",
            "<b>Kahina</b> 100% & co",
            "%3C literal",
            "ⴷⵉⵀⵢⴰ\nسطر",
        ] {
            let user = ShellSession(Some(ShellUser {
                display_name: name.to_string(),
                permissions: vec![Permission::ProfileManage, Permission::UsersRead],
            }));
            assert_eq!(through_the_page(&user), user, "{name}");
        }
        assert_eq!(through_the_page(&ShellSession(None)), ShellSession(None));
    }

    #[test]
    fn malformed_text_is_anonymous_and_unknown_permissions_are_dropped() {
        assert_eq!(
            "garbage".parse::<ShellSession>().unwrap(),
            ShellSession(None)
        );
        let user: ShellSession = "users:read,nope:nope\nAmina".parse().unwrap();
        assert_eq!(
            user.0.unwrap(),
            ShellUser {
                display_name: "Amina".into(),
                permissions: vec![Permission::UsersRead]
            }
        );
    }
}
