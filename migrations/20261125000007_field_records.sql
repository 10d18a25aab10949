-- Records made on secretaries' phones and pushed by the sync protocol (docs/sync.md).

CREATE TABLE field_records (
    -- Made on the phone when the record was first saved.
    id           uuid PRIMARY KEY,
    secretary_id bigint NOT NULL REFERENCES accounts,
    posting_id   bigint NOT NULL REFERENCES postings,
    kind         text NOT NULL CHECK (kind IN ('check_in', 'check_out', 'diary', 'meeting', 'visit', 'talk', 'research')),
    body         jsonb NOT NULL,
    -- sha256 of the record's content; a retry carries the same.
    content_hash text NOT NULL,
    -- The phone's clock when the record was made, and the server's when it arrived.
    device_time  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    -- Server minus phone clock at the push, seconds; large values are flagged.
    clock_skew_s integer NOT NULL,
    -- Check-ins and check-outs: inside the geofence or for review.
    verdict      text CHECK (verdict IN ('verified', 'review')),
    offline      boolean NOT NULL DEFAULT false
);
CREATE INDEX field_records_posting ON field_records (posting_id, kind, device_time);

-- An id pushed again with other content: kept for review, never applied over the original.
CREATE TABLE sync_conflicts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id    uuid NOT NULL,
    secretary_id bigint NOT NULL REFERENCES accounts,
    body         jsonb NOT NULL,
    content_hash text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sync_conflicts_once UNIQUE (record_id, content_hash)
);

-- Photos and attached files, keyed by the sha256 of their bytes; uploaded apart from records.
CREATE TABLE photos (
    hash         text PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
    secretary_id bigint NOT NULL REFERENCES accounts,
    content_type text NOT NULL,
    bytes        bytea NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);
