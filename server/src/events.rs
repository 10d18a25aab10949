//! Live pages: PostgreSQL's `attendance` notifications (a township's board changed) and
//! `dashboard` notifications (a district's figures were recomputed) fanned out as server-sent
//! events (`GET /events/attendance`). Each listener hears only its own part of the tree, and
//! only while its session lasts (it is checked again every [`RECHECK`]).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use app::error::AppError;
use app::server::actor_of_session;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use db::PgPool;
use domain::{Action, Actor, Scope};
use tokio::sync::{broadcast, OnceCell};
use tower_sessions::session::Id;
use tower_sessions::Session;
use tower_sessions_sqlx_store::PostgresStore;

/// How often an open stream checks that its session still holds (logged out, expired, ended
/// by a password change, the account disabled).
const RECHECK: Duration = Duration::from_secs(10);

/// What changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    /// A township's board (`attendance` event, data: the township).
    Board { township: i64 },
    /// A district's dashboard figures (`dashboard` event, data: the district).
    Dashboard { district: i64, city: i64 },
}

impl Change {
    fn parse(channel: &str, payload: &str) -> Option<Change> {
        match channel {
            db::attendance::CHANNEL => Some(Change::Board { township: payload.parse().ok()? }),
            db::dashboard::CHANNEL => {
                let (d, c) = payload.split_once(',')?;
                Some(Change::Dashboard { district: d.parse().ok()?, city: c.parse().ok()? })
            }
            _ => None,
        }
    }

    /// The event for `actor`, if it is theirs to hear.
    fn event_for(self, actor: &Actor) -> Option<Event> {
        match self {
            Change::Board { township } => {
                let own = match actor.scope {
                    Scope::Township(t) => t == township,
                    _ => true,
                };
                own.then(|| Event::default().event("attendance").data(township.to_string()))
            }
            Change::Dashboard { district, city } => {
                let own = actor.may(Action::ViewDashboard)
                    && match actor.scope {
                        Scope::All => true,
                        Scope::City(c) => c == city,
                        Scope::District(d) => d == district,
                        _ => false,
                    };
                own.then(|| Event::default().event("dashboard").data(district.to_string()))
            }
        }
    }
}

/// One listening connection per server, opened when the first page subscribes.
#[derive(Clone)]
pub struct Hub {
    pool: PgPool,
    sessions: PostgresStore,
    sender: Arc<OnceCell<broadcast::Sender<Change>>>,
}

impl Hub {
    pub fn new(pool: PgPool, sessions: PostgresStore) -> Hub {
        Hub { pool, sessions, sender: Arc::new(OnceCell::new()) }
    }

    /// Whether the stored session `id` still runs as `actor` (read afresh from the store).
    async fn still(&self, id: Option<Id>, actor: &Actor) -> bool {
        let session = Session::new(id, Arc::new(self.sessions.clone()), None);
        matches!(app::server::actor_of_session(&self.pool, &session).await, Ok(a) if a == *actor)
    }

    async fn subscribe(&self) -> Result<broadcast::Receiver<Change>, sqlx::Error> {
        let sender = self
            .sender
            .get_or_try_init(|| async {
                let mut listener = sqlx::postgres::PgListener::connect_with(&self.pool).await?;
                listener.listen_all([db::attendance::CHANNEL, db::dashboard::CHANNEL]).await?;
                let (sender, _) = broadcast::channel(1024);
                let out = sender.clone();
                tokio::spawn(async move {
                    loop {
                        // `recv` reconnects by itself after a lost connection.
                        match listener.recv().await {
                            Ok(n) => {
                                if let Some(change) = Change::parse(n.channel(), n.payload()) {
                                    let _ = out.send(change);
                                }
                            }
                            Err(e) => {
                                tracing::warn!("live listener: {e}");
                                tokio::time::sleep(Duration::from_secs(1)).await;
                            }
                        }
                    }
                });
                Ok::<_, sqlx::Error>(sender)
            })
            .await?;
        Ok(sender.subscribe())
    }
}

pub fn route<S: Clone + Send + Sync + 'static>(hub: Hub) -> MethodRouter<S> {
    get(events).with_state(hub)
}

#[tracing::instrument(skip_all)]
async fn events(State(hub): State<Hub>, session: Session) -> Response {
    let actor = match actor_of_session(&hub.pool, &session).await {
        Ok(a) if a.may(Action::ViewAttendance) => a,
        Ok(_) => return AppError::Forbidden.into_response(),
        Err(e) => return e.into_response(),
    };
    let receiver = match hub.subscribe().await {
        Ok(r) => r,
        Err(e) => return AppError::from(db::Error::from(e)).into_response(),
    };
    let session_id = session.id();
    let recheck = tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK);
    let stream = futures_util::stream::unfold((receiver, recheck), move |(mut rx, mut recheck)| {
        let hub = hub.clone();
        async move {
            loop {
                tokio::select! {
                    change = rx.recv() => match change {
                        Ok(change) => match change.event_for(&actor) {
                            Some(event) => return Some((Ok::<_, Infallible>(event), (rx, recheck))),
                            None => continue,
                        },
                        Err(broadcast::error::RecvError::Lagged(_)) => continue,
                        Err(broadcast::error::RecvError::Closed) => return None,
                    },
                    _ = recheck.tick() => {
                        if !hub.still(session_id, &actor).await {
                            return None;
                        }
                    }
                }
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Role;

    #[test]
    fn each_listener_hears_its_own_part_of_the_tree() {
        let actor = |role, scope| Actor { account_id: 1, role, scope };
        let board = Change::parse("attendance", "7").unwrap();
        let dash = Change::parse("dashboard", "3,1").unwrap();
        assert_eq!(dash, Change::Dashboard { district: 3, city: 1 });
        assert!(Change::parse("dashboard", "3").is_none());
        let supervisor = actor(Role::TownshipSupervisor, Scope::Township(7));
        assert!(board.event_for(&supervisor).is_some());
        assert!(board.event_for(&actor(Role::TownshipSupervisor, Scope::Township(8))).is_none());
        assert!(dash.event_for(&supervisor).is_none(), "a township has no dashboard");
        assert!(dash.event_for(&actor(Role::DeptAdmin, Scope::District(3))).is_some());
        assert!(dash.event_for(&actor(Role::DeptAdmin, Scope::District(4))).is_none());
        assert!(dash.event_for(&actor(Role::DeptAdmin, Scope::City(1))).is_some());
        assert!(dash.event_for(&actor(Role::DeptAdmin, Scope::City(2))).is_none());
        assert!(dash.event_for(&actor(Role::Inspector, Scope::District(3))).is_none());
    }
}
