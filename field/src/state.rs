//! The field app's state, shared by every screen: the records (as kept in IndexedDB), the
//! reference data, and where sync stands. Every change is written to IndexedDB before the
//! screen shows it, so what is on screen survives a reload.

use std::collections::BTreeMap;

use chrono::{DateTime, Local, NaiveDate, Utc};
use domain::calendar::DayPresence;
use domain::duty::{self, Activity, Pairing, Summary};
use domain::field::{Context, Envelope, Verdict};
use domain::sync::{LocalRecord, Reference, SyncState};
use domain::{Coordinates, Geofence, Lang, Msg};
use leptos::prelude::*;

use crate::store;

/// Where sync stands, for the status bar.
#[derive(Clone, Debug, Default)]
pub struct SyncStatus {
    pub running: bool,
    /// Failed attempts in a row (drives the back-off).
    pub failures: u32,
    /// No automatic attempt before this.
    pub next_at: Option<DateTime<Utc>>,
    pub last_ok: Option<DateTime<Utc>>,
    pub error: Option<Msg>,
    /// The session ended: sync waits for a new login.
    pub logged_out: bool,
    /// The phone's clock differs from the server's by more than the tolerance.
    pub clock_skewed: bool,
}

#[derive(Clone, Copy)]
pub struct Field {
    pub lang: Lang,
    pub records: RwSignal<Vec<LocalRecord>>,
    pub reference: RwSignal<Option<Reference>>,
    pub sync: RwSignal<SyncStatus>,
    pub online: RwSignal<bool>,
    pub loaded: RwSignal<bool>,
    /// The screen shown (the URL's fragment).
    pub hash: RwSignal<String>,
    /// A message about the last action (saved, refused …) and the screen it was said on.
    pub notice: RwSignal<Option<(String, bool, Msg)>>,
    /// The record whose form is open: not pushed until the form is left, so that a photo or a
    /// reason added meanwhile goes with it (a synced record can no longer change).
    pub editing: RwSignal<Option<String>>,
    /// How far back the server's history has been read.
    pub history: RwSignal<crate::history::Reach>,
}

pub fn use_field() -> Field {
    expect_context::<Field>()
}

pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// The phone's calendar day of a moment.
pub fn local_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Local).date_naive()
}

impl Field {
    pub fn new(lang: Lang) -> Field {
        let online = web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
        Field {
            lang,
            records: RwSignal::new(Vec::new()),
            reference: RwSignal::new(None),
            sync: RwSignal::new(SyncStatus::default()),
            online: RwSignal::new(online),
            loaded: RwSignal::new(false),
            hash: RwSignal::new(crate::current_hash()),
            notice: RwSignal::new(None),
            editing: RwSignal::new(None),
            history: RwSignal::new(Default::default()),
        }
    }

    pub fn t(&self, zh: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(zh, en)
    }

    /// Tells the person how an action went, on the screen they are on now.
    pub fn say(&self, ok: bool, msg: Msg) {
        self.notice.set(Some((crate::current_hash(), ok, msg)));
    }

    /// Loads what the phone holds.
    pub async fn load(&self) {
        match store::records().await {
            Ok(mut rs) => {
                rs.sort_by_key(|r| std::cmp::Reverse(r.envelope.device_time));
                self.records.set(rs);
            }
            Err(e) => self.say(
                false,
                Msg::new(format!("无法读取本机记录：{}", e.0), format!("cannot read local records: {}", e.0)),
            ),
        }
        if let Ok(Some(r)) = store::meta::<Reference>("reference").await {
            self.reference.set(Some(r));
        }
        if let Ok(Some(h)) = store::meta(crate::history::KEY).await {
            self.history.set(h);
        }
        if let Ok(Some(t)) = store::meta::<DateTime<Utc>>(crate::sync::LAST_SYNC).await {
            self.sync.update(|s| s.last_ok = s.last_ok.max(Some(t)));
        }
        self.loaded.set(true);
    }

    pub fn record(&self, id: &str) -> Option<LocalRecord> {
        self.records.with_untracked(|rs| rs.iter().find(|r| r.envelope.id == id).cloned())
    }

    /// Writes records to IndexedDB, then shows them. A failed write changes nothing on screen.
    pub async fn save(&self, changed: Vec<LocalRecord>) -> Result<(), Msg> {
        if changed.is_empty() {
            return Ok(());
        }
        store::put_records(&changed.iter().collect::<Vec<_>>()).await.map_err(|e| e.saving())?;
        self.records.update(|rs| {
            for c in changed {
                match rs.iter_mut().find(|r| r.envelope.id == c.envelope.id) {
                    Some(r) => *r = c,
                    None => rs.insert(0, c),
                }
            }
            rs.sort_by_key(|r| std::cmp::Reverse(r.envelope.device_time));
        });
        Ok(())
    }

    pub async fn delete(&self, id: &str) -> Result<(), Msg> {
        store::delete_record(id)
            .await
            .map_err(|e| Msg::new(format!("删除失败：{}", e.0), format!("could not delete: {}", e.0)))?;
        self.records.update(|rs| rs.retain(|r| r.envelope.id != id));
        Ok(())
    }

    /// The server's checks, run on the phone before a record is queued.
    pub fn check(&self, envelope: &Envelope) -> Result<Option<Verdict>, Msg> {
        let Some(r) = self.reference.get_untracked() else {
            return Ok(None); // no reference yet: the server will check
        };
        let fence = Geofence::parse(Coordinates::parse(r.village.lat, r.village.lon)?, r.village.geofence_m)?;
        let ctx = Context {
            now: now(),
            skew: chrono::Duration::zero(),
            posting_start: r.posting.term_start,
            posting_end: r.posting.ended_on.unwrap_or(r.posting.term_end),
            village_id: r.village.id,
            fence,
            max_accuracy_m: r.max_accuracy_m,
            households: r.households.iter().map(|h| h.id).collect(),
            projects: r.projects.iter().map(|p| p.0).collect(),
            meeting_photo_required: r.meeting_photo_required,
        };
        envelope.check(&ctx)
    }

    /// How far a position is from the village's centre, metres.
    pub fn distance_m(&self, lat: f64, lon: f64) -> Option<f64> {
        let centre = self.reference.with_untracked(|r| r.as_ref().map(|r| (r.village.lat, r.village.lon)))?;
        let centre = Coordinates::parse(centre.0, centre.1).ok()?;
        Some(centre.distance_m(Coordinates::parse(lat, lon).ok()?))
    }

    /// The home screen's numbers: the server's activity plus the phone's own records.
    pub fn summary(&self) -> Option<Summary> {
        let r = self.reference.get()?;
        let mut activity: Activity = r.activity.clone();
        self.records.with(|rs| {
            let mut mine = Activity::default();
            // Each day's records made inside the village, judged by the district's rule (what
            // counts, and whether a check-out or a minimum stay is required).
            let mut presence: BTreeMap<NaiveDate, DayPresence> = BTreeMap::new();
            for rec in rs.iter().filter(|rec| matches!(rec.state, SyncState::Queued | SyncState::Synced)) {
                let at = rec.envelope.device_time;
                let body = &rec.envelope.body;
                presence.entry(local_day(at)).or_default().add(body, at, rec.verdict);
                mine.add(body);
            }
            for (day, p) in presence {
                if r.day_rule.counts(&p) {
                    mine.days_in_village.insert(day);
                }
            }
            activity.merge(&mine);
        });
        let pairings: Vec<Pairing> =
            r.households.iter().map(|h| Pairing { household_id: h.id, paired_on: h.paired_on }).collect();
        Some(duty::summary(local_day(now()), &r.duties, &activity, &pairings))
    }
}
