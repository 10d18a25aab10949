//! Reads that may be a moment behind (issue 16): dashboards and reports can be served by a
//! streaming standby (`DATABASE_REPLICA_URL`), so the primary keeps to the phones' writes.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::Result;

/// How current the data `pool` reads is: `None` on the primary (current by definition); on a
/// standby, the commit time of the last transaction it has replayed. That understates an idle
/// system's freshness and never overstates a lagging one's.
pub async fn as_of(pool: &PgPool) -> Result<Option<DateTime<Utc>>> {
    Ok(sqlx::query_scalar("SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_xact_replay_timestamp() END")
        .fetch_one(pool)
        .await?)
}
