//! Forced functions (`domain::mandate`): which a district has on, turning one on or off
//! (audited), and the check an action makes before it forces anything on a secretary.

use domain::mandate::{self, ForcedFunctions, Mandate, MandateBasis, MandateOn};
use domain::{Action, Actor, Msg};
use sqlx::PgPool;

use crate::scope::BindScope;
use crate::{require, Error, Result};

/// The forced functions of the districts in the caller's scope (for the department and the
/// system administrator: it reads who changed the settings, from the audit log).
pub async fn forced_functions(pool: &PgPool, actor: &Actor) -> Result<Vec<ForcedFunctions>> {
    require(actor, Action::ManageOrg)?;
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        name: String,
        day_evidence: domain::calendar::DayEvidence,
        day_requires_check_out: bool,
        day_min_stay_minutes: i32,
        changed_by: Option<String>,
        changed_at: Option<chrono::DateTime<chrono::Utc>>,
    }
    let sql = format!(
        "SELECT d.id, d.name, d.day_evidence, d.day_requires_check_out, d.day_min_stay_minutes,
                c.changed_by, c.changed_at
           FROM districts d
           LEFT JOIN LATERAL (
                SELECT a.display_name AS changed_by, l.at AS changed_at
                  FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id
                 WHERE l.entity = 'district' AND l.entity_id = d.id AND l.action = 'update_district_settings'
                   -- A change of what makes a check-in a duty, not of the rate or the budget.
                   AND (l.detail->'before'->>'day_evidence', l.detail->'before'->>'day_requires_check_out',
                        l.detail->'before'->>'day_min_stay_minutes')
                       IS DISTINCT FROM (l.detail->'after'->>'day_evidence', l.detail->'after'->>'day_requires_check_out',
                        l.detail->'after'->>'day_min_stay_minutes')
                 ORDER BY l.id DESC LIMIT 1) c ON true
          WHERE {} ORDER BY d.id",
        visible!("district_places", "d.id")
    );
    let rows: Vec<Row> = sqlx::query_as(&sql).scoped(actor.scope.filter()).fetch_all(pool).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let on: Vec<(i64, MandateOn)> =
        sqlx::query_as::<_, (i64, Mandate, MandateBasis, String, String, chrono::DateTime<chrono::Utc>)>(
            "SELECT m.district_id, m.mandate, m.basis, m.reason, a.display_name, m.enabled_at
           FROM district_mandates m JOIN accounts a ON a.id = m.enabled_by
          WHERE m.district_id = ANY($1) ORDER BY m.mandate",
        )
        .bind(&ids)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(d, mandate, basis, reason, enabled_by, enabled_at)| {
            (d, MandateOn { mandate, basis, reason, enabled_by, enabled_at })
        })
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| ForcedFunctions {
            district_id: r.id,
            on: on.iter().filter(|(d, _)| *d == r.id).map(|(_, m)| m.clone()).collect(),
            district: r.name,
            day_evidence: r.day_evidence,
            day_requires_check_out: r.day_requires_check_out,
            day_min_stay_minutes: r.day_min_stay_minutes,
            settings_changed: r.changed_by.zip(r.changed_at),
        })
        .collect())
}

/// Turns a forced function on (with its basis and reason) or off, for a district in the
/// caller's scope (the department or the system administrator); audited with before and after.
pub async fn set(
    pool: &PgPool,
    actor: &Actor,
    district_id: i64,
    mandate: Mandate,
    on: Option<(MandateBasis, &str)>,
) -> Result<()> {
    require(actor, Action::ManageOrg)?;
    let on =
        on.map(|(basis, reason)| mandate::reason(reason).map(|r| (basis, r))).transpose().map_err(Error::Invalid)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "district_places", district_id)?;
    let before: Option<(MandateBasis, String)> = sqlx::query_as(
        "SELECT basis, reason FROM district_mandates WHERE district_id = $1 AND mandate = $2 FOR UPDATE",
    )
    .bind(district_id)
    .bind(mandate)
    .fetch_optional(&mut *tx)
    .await?;
    match &on {
        Some((basis, reason)) => {
            sqlx::query(
                "INSERT INTO district_mandates (district_id, mandate, basis, reason, enabled_by) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (district_id, mandate) DO UPDATE
                    SET basis = EXCLUDED.basis, reason = EXCLUDED.reason, enabled_by = EXCLUDED.enabled_by,
                        enabled_at = now()",
            )
            .bind(district_id)
            .bind(mandate)
            .bind(basis)
            .bind(reason)
            .bind(actor.account_id)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM district_mandates WHERE district_id = $1 AND mandate = $2")
                .bind(district_id)
                .bind(mandate)
                .execute(&mut *tx)
                .await?;
        }
    }
    let state = |s: &Option<(MandateBasis, String)>| {
        s.as_ref().map(|(basis, reason)| serde_json::json!({ "basis": basis, "reason": reason }))
    };
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        if on.is_some() { "enable_mandate" } else { "disable_mandate" },
        "district",
        Some(district_id),
        serde_json::json!({ "mandate": mandate, "before": state(&before), "after": state(&on) }),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(district = district_id, mandate = mandate.code(), on = on.is_some(), "forced function set");
    Ok(())
}

/// Whether the township's district has the function on.
pub(crate) async fn is_on<'e>(exec: impl sqlx::PgExecutor<'e>, township_id: i64, mandate: Mandate) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM district_mandates m JOIN townships t ON t.district_id = m.district_id
                         WHERE t.id = $1 AND m.mandate = $2)",
    )
    .bind(township_id)
    .bind(mandate)
    .fetch_one(exec)
    .await?)
}

/// Refuses what the township's district has not turned on.
pub(crate) async fn require_on<'e>(exec: impl sqlx::PgExecutor<'e>, township_id: i64, mandate: Mandate) -> Result<()> {
    if is_on(exec, township_id, mandate).await? {
        return Ok(());
    }
    Err(Error::Conflict(Msg::new(
        format!(
            "本区未启用「{}」：须以安保、应急或本区决定为依据，由组织部在考勤设置中启用",
            mandate.label(domain::Lang::Zh)
        ),
        format!(
            "the district has not turned on \"{}\": the department does so in the attendance settings, with its basis",
            mandate.label(domain::Lang::En)
        ),
    )))
}
