-- What makes a day "in the village" (a district setting): a verified check-in, and where the
-- district asks for it, a verified check-out the same day and a minimum stay between the two.
ALTER TABLE districts
    ADD COLUMN day_requires_check_out boolean NOT NULL DEFAULT false,
    ADD COLUMN day_min_stay_minutes integer NOT NULL DEFAULT 0 CHECK (day_min_stay_minutes BETWEEN 0 AND 1440);

-- The day's first verified check-in (for the minimum stay).
ALTER TABLE attendance_days ADD COLUMN first_verified_in timestamptz;
UPDATE attendance_days a SET first_verified_in = (
    SELECT min(r.device_time) FROM field_records r
     WHERE r.posting_id = a.posting_id AND r.kind = 'check_in' AND r.verdict = 'verified'
       AND r.device_time >= a.first_device_time - interval '1 day' AND r.device_time < a.first_device_time + interval '1 day'
) WHERE a.verified > 0;

-- Check-outs per posting and district day, kept by the sync push like `attendance_days`.
CREATE TABLE attendance_outs (
    posting_id        bigint NOT NULL REFERENCES postings,
    day               date NOT NULL,
    verified          integer NOT NULL DEFAULT 0,
    last_verified_out timestamptz,
    PRIMARY KEY (posting_id, day)
);
