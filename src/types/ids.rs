//! Identifiers as requests carry them. The service model's patterns and lengths are checked
//! at the edge before a request is deserialised, so a value of these types is well-formed;
//! each dereferences to `str` wherever the domain takes one.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(v: String) -> $name {
                $name(v)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
    };
}

id_type!(
    /// A user pool id: `{region}_{id}`.
    UserPoolId
);
id_type!(
    /// An app client id.
    ClientId
);
id_type!(
    /// A username as given: the username itself, or an alias where the pool allows one.
    Username
);
