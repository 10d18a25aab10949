//! Records an assessor finds untrue (不实, issue 14): a research report (it no longer counts for
//! D1.2, and the projects that came from it are flagged) or a practical matter. The record
//! stays, struck with the reason and the evidence; the year it was made must still be open.

use chrono::{DateTime, Utc};
use domain::evaluation::view::{EvidenceRecord, StruckRecord};
use domain::field::{RecordBody, RecordKind};
use domain::{Action, Actor, Msg};
use sqlx::PgPool;

use super::assessments::assessable;
use crate::scope::BindScope;
use crate::{require, Error, Result};

/// Strikes a research report or practical matter of the posting; audited.
#[tracing::instrument(skip(pool, actor, reason, evidence), fields(account = actor.account_id))]
pub async fn strike(
    pool: &PgPool,
    actor: &Actor,
    posting_id: i64,
    record: &str,
    reason: &str,
    evidence: &str,
) -> Result<()> {
    let record = uuid::Uuid::parse_str(record.trim())
        .map_err(|_| Error::Invalid(Msg::new("请选择要认定的记录", "choose the record")))?;
    let (reason, evidence) = (reason.trim(), evidence.trim());
    if reason.is_empty() || reason.chars().count() > 2000 || evidence.chars().count() > 2000 {
        return Err(Error::Invalid(Msg::new(
            "请写明认定不实的理由（理由和依据各不超过 2000 字）",
            "give the reason it is untrue (reason and evidence 2,000 characters at most each)",
        )));
    }
    // Who may, and where, before anything about the record is told.
    require(actor, Action::Assess)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "posting_places", posting_id)?;
    let (kind, year): (String, i32) = sqlx::query_as(
        "SELECT r.kind, extract(year FROM r.device_time AT TIME ZONE pd.time_zone)::int
           FROM field_records r JOIN posting_districts pd ON pd.posting_id = r.posting_id
          WHERE r.id = $1 AND r.posting_id = $2",
    )
    .bind(record)
    .bind(posting_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    // By the assessor of this secretary, in a year not frozen.
    assessable(&mut tx, actor, posting_id, year).await?;
    if !matches!(RecordKind::parse(&kind), Some(RecordKind::Research | RecordKind::Practical)) {
        return Err(Error::Invalid(Msg::new(
            "只能认定调研报告或实事记录不实",
            "only a research report or a practical matter can be found untrue",
        )));
    }
    let inserted = sqlx::query(
        "INSERT INTO record_strikes (record_id, reason, evidence, struck_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (record_id) DO NOTHING",
    )
    .bind(record)
    .bind(reason)
    .bind(evidence)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(Error::Conflict(Msg::new("该记录已被认定不实", "the record was already found untrue")));
    }
    // The dashboard counts research reports: its figures follow.
    sqlx::query("SELECT dashboard_enqueue(ARRAY[$1::bigint])").bind(posting_id).execute(&mut *tx).await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "strike_record",
        "posting",
        Some(posting_id),
        serde_json::json!({ "record": record, "kind": kind, "reason": reason, "evidence": evidence }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The posting's research reports and practical matters of `year`: those struck (with why)
/// and those that could be.
pub(crate) async fn of(pool: &PgPool, posting_id: i64, year: i32) -> Result<(Vec<StruckRecord>, Vec<EvidenceRecord>)> {
    type Row = (
        uuid::Uuid,
        serde_json::Value,
        DateTime<Utc>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<DateTime<Utc>>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, r.body, r.device_time, s.reason, s.evidence, a.display_name, s.struck_at
           FROM field_records r LEFT JOIN record_strikes s ON s.record_id = r.id LEFT JOIN accounts a ON a.id = s.struck_by
           JOIN posting_districts pd ON pd.posting_id = r.posting_id
          WHERE r.posting_id = $1 AND r.kind IN ('research', 'practical')
            AND extract(year FROM r.device_time AT TIME ZONE pd.time_zone) = $2
          ORDER BY r.device_time",
    )
    .bind(posting_id)
    .bind(year)
    .fetch_all(pool)
    .await?;
    let (mut struck, mut open) = (Vec::new(), Vec::new());
    for (id, body, at, reason, evidence, by, when) in rows {
        let Ok(body) = serde_json::from_value::<RecordBody>(body) else {
            tracing::warn!(%id, "stored record unreadable");
            continue;
        };
        let record = EvidenceRecord {
            id: id.to_string(),
            kind: body.label(domain::Lang::Zh).to_string(),
            date: body.date().or(Some(at.date_naive())),
            summary: body.gist(),
        };
        match (reason, when) {
            (Some(reason), Some(at)) => struck.push(StruckRecord {
                record,
                reason,
                evidence: evidence.unwrap_or_default(),
                by: by.unwrap_or_default(),
                at,
            }),
            _ => open.push(record),
        }
    }
    Ok((struck, open))
}
