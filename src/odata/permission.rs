//! The permissions that allow a request, from Graph's permissions reference: per scheme, the
//! least privileged one and every other that allows it.

/// How an app is authorized: for a signed-in user (work or school, or personal account), or as
/// itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// Delegated, for a user with a work or school account.
    DelegatedWork,
    /// Delegated, for a user with a personal Microsoft account.
    DelegatedPersonal,
    /// Application permissions, without a signed-in user.
    Application,
}

impl Scheme {
    /// The reference's name: `DelegatedWork`, `DelegatedPersonal`, `Application`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::DelegatedWork => "DelegatedWork",
            Scheme::DelegatedPersonal => "DelegatedPersonal",
            Scheme::Application => "Application",
        }
    }
}

/// A permission that allows a method on a path template, for one scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Permission {
    /// `GET`, `POST` ….
    pub method: &'static str,
    /// The scheme it is for.
    pub scheme: Scheme,
    /// `Calls.Initiate.All`.
    pub name: &'static str,
    /// The least privileged permission that allows it for the scheme.
    pub least_privileged: bool,
}

/// The permissions of `permissions` that allow `method`, the least privileged of each scheme
/// first.
pub fn permissions_for<'a>(
    permissions: &'a [Permission],
    method: &'a str,
) -> impl Iterator<Item = &'a Permission> + 'a {
    permissions.iter().filter(move |p| p.method.eq_ignore_ascii_case(method))
}

/// The least privileged permission that allows `method` for `scheme`, if the reference
/// names one.
pub fn least_privileged(permissions: &[Permission], method: &str, scheme: Scheme) -> Option<&'static str> {
    permissions_for(permissions, method).find(|p| p.scheme == scheme && p.least_privileged).map(|p| p.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALLS: &[Permission] = &[
        Permission { method: "GET", scheme: Scheme::Application, name: "Calls.Read.All", least_privileged: true },
        Permission { method: "POST", scheme: Scheme::Application, name: "Calls.Initiate.All", least_privileged: true },
        Permission {
            method: "POST",
            scheme: Scheme::Application,
            name: "Calls.JoinGroupCall.All",
            least_privileged: false,
        },
    ];

    #[test]
    fn the_least_privileged_of_a_method_and_scheme() {
        assert_eq!(least_privileged(CALLS, "post", Scheme::Application), Some("Calls.Initiate.All"));
        assert_eq!(least_privileged(CALLS, "GET", Scheme::Application), Some("Calls.Read.All"));
        assert_eq!(least_privileged(CALLS, "POST", Scheme::DelegatedWork), None);
        assert_eq!(permissions_for(CALLS, "POST").count(), 2);
        assert_eq!(Scheme::DelegatedPersonal.as_str(), "DelegatedPersonal");
    }
}
