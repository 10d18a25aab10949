//! Enums stored by a stable text code, with Chinese and English labels.

/// Declares an enum with a stable code (stored, and its serde form) and bilingual labels;
/// `parse` also accepts either label.
#[macro_export]
macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = ($code:literal, $zh:literal, $en:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $code)] $v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$v => $code),+ }
            }

            pub fn label(self, lang: $crate::Lang) -> &'static str {
                match self { $($name::$v => lang.pick($zh, $en)),+ }
            }

            /// Reads a stored code or a Chinese or English label.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| {
                    v.code() == s || v.label($crate::Lang::Zh) == s || v.label($crate::Lang::En).eq_ignore_ascii_case(s)
                })
            }
        }
        $crate::coded_enum_sqlx!($name);
    };
}

/// Stores a coded enum as its text code in PostgreSQL.
#[cfg(feature = "sqlx")]
#[macro_export]
macro_rules! coded_enum_sqlx {
    ($name:ident) => {
        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::Type<sqlx::Postgres>>::type_info()
            }
            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }
        impl sqlx::Encode<'_, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode(self.code(), buf)
            }
        }
        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $name {
            fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let s = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == s)
                    .ok_or_else(|| format!("unknown {} code {s}", stringify!($name)).into())
            }
        }
    };
}

#[cfg(not(feature = "sqlx"))]
#[macro_export]
macro_rules! coded_enum_sqlx {
    ($name:ident) => {};
}
