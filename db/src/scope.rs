//! The one SQL filter for scopes. Queries bind the caller's [`domain::ScopeFilter`] as `$1`–`$5`
//! and test a record's rows in a `*_places` view (see the migration `places`).

/// The caller's scope as conditions on a `*_places` row `x`.
macro_rules! scope_conditions {
    () => {
        concat!(
            "($1::bigint IS NULL OR x.city_id = $1)",
            " AND ($2::bigint IS NULL OR x.district_id = $2)",
            " AND ($3::bigint IS NULL OR x.township_id = $3)",
            " AND ($4::bigint IS NULL OR x.unit_id = $4)",
            " AND ($5::bigint IS NULL OR x.secretary_id = $5)"
        )
    };
}

/// `EXISTS (…)`: the record `$id` has a row in `$view` inside the caller's scope. (The view is
/// aliased `x`: the query around it must not name anything `x`.)
macro_rules! visible {
    ($view:literal, $id:literal) => {
        concat!("EXISTS (SELECT 1 FROM ", $view, " x WHERE x.id = ", $id, " AND ", scope_conditions!(), ")")
    };
}

/// `(SELECT DISTINCT x.id …)`: the ids of `$view`'s records inside the caller's scope, as a row
/// source, for lists the scope drives: a unit's few postings among a city's thousands are then
/// found through the unit's index instead of testing every posting.
macro_rules! in_scope {
    ($view:literal) => {
        concat!("(SELECT DISTINCT x.id FROM ", $view, " x WHERE ", scope_conditions!(), ")")
    };
}

use sqlx::postgres::PgArguments;
use sqlx::query::{QueryAs, QueryScalar};
use sqlx::Postgres;

use domain::ScopeFilter;

/// Binds a scope filter as the first five parameters.
pub trait BindScope: Sized {
    fn bind_id(self, v: Option<i64>) -> Self;

    fn scoped(self, f: ScopeFilter) -> Self {
        self.bind_id(f.city).bind_id(f.district).bind_id(f.township).bind_id(f.unit).bind_id(f.secretary)
    }
}

impl<'q, O> BindScope for QueryAs<'q, Postgres, O, PgArguments> {
    fn bind_id(self, v: Option<i64>) -> Self {
        self.bind(v)
    }
}

impl<'q, O> BindScope for QueryScalar<'q, Postgres, O, PgArguments> {
    fn bind_id(self, v: Option<i64>) -> Self {
        self.bind(v)
    }
}

/// Fails with [`crate::Error::NotFound`] unless the record is inside the caller's scope
/// (out-of-scope records are reported as missing, so their existence is not revealed).
macro_rules! ensure_visible {
    ($exec:expr, $actor:expr, $view:literal, $id:expr) => {{
        let ok: bool = sqlx::query_scalar(concat!("SELECT ", visible!($view, "$6")))
            .scoped($actor.scope.filter())
            .bind($id)
            .fetch_one($exec)
            .await?;
        if ok {
            Ok(())
        } else {
            Err($crate::Error::NotFound)
        }
    }};
}
