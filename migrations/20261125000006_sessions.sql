-- Login sessions, in the layout tower-sessions-sqlx-store reads and writes.
CREATE SCHEMA tower_sessions;

CREATE TABLE tower_sessions.session (
    id          text PRIMARY KEY NOT NULL,
    data        bytea NOT NULL,
    expiry_date timestamptz NOT NULL
);
