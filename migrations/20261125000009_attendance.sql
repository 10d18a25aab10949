-- Attendance (issue 4): the working calendar, leave, roll calls, inspections, and check-ins
-- pre-aggregated per posting and day for the boards.

-- Days that differ from "Monday to Friday are working days": public holidays on weekdays and
-- the adjusted working days (调休) on weekends, as the State Council publishes them each year.
CREATE TABLE calendar_days (
    day     date PRIMARY KEY,
    working boolean NOT NULL,
    name    text NOT NULL
);

-- 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04).
INSERT INTO calendar_days (day, working, name)
SELECT d::date, false, n FROM (VALUES
    ('2026-01-01', '2026-01-02', '元旦'),
    ('2026-02-16', '2026-02-20', '春节'),
    ('2026-02-23', '2026-02-23', '春节'),
    ('2026-04-06', '2026-04-06', '清明节'),
    ('2026-05-01', '2026-05-01', '劳动节'),
    ('2026-05-04', '2026-05-05', '劳动节'),
    ('2026-06-19', '2026-06-19', '端午节'),
    ('2026-09-25', '2026-09-25', '中秋节'),
    ('2026-10-01', '2026-10-02', '国庆节'),
    ('2026-10-05', '2026-10-07', '国庆节')
) AS h(first, last, n), generate_series(h.first::date, h.last::date, interval '1 day') AS d;
INSERT INTO calendar_days (day, working, name) VALUES
    ('2026-01-04', true, '元旦调休上班'),
    ('2026-02-14', true, '春节调休上班'),
    ('2026-02-28', true, '春节调休上班'),
    ('2026-05-09', true, '劳动节调休上班'),
    ('2026-09-20', true, '国庆节调休上班'),
    ('2026-10-10', true, '国庆节调休上班');

-- 请假: asked for from the phone, decided by the township.
CREATE TABLE leave_requests (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    posting_id   bigint NOT NULL REFERENCES postings,
    first_day    date NOT NULL,
    last_day     date NOT NULL,
    reason       text NOT NULL CHECK (reason <> ''),
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    requested_at timestamptz NOT NULL DEFAULT now(),
    decided_by   bigint REFERENCES accounts,
    decided_at   timestamptz,
    CONSTRAINT leave_days CHECK (last_day >= first_day AND last_day - first_day < 90),
    CONSTRAINT leave_decided CHECK ((status = 'pending') = (decided_by IS NULL))
);
CREATE INDEX leave_requests_posting ON leave_requests (posting_id, first_day);

-- 点名: a township asks its secretaries to check in before a deadline.
CREATE TABLE roll_calls (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    township_id bigint NOT NULL REFERENCES townships,
    started_by  bigint NOT NULL REFERENCES accounts,
    started_at  timestamptz NOT NULL DEFAULT now(),
    deadline    timestamptz NOT NULL,
    CONSTRAINT roll_call_deadline CHECK (deadline > started_at AND deadline <= started_at + interval '1 day')
);
CREATE TABLE roll_call_targets (
    roll_call_id bigint NOT NULL REFERENCES roll_calls,
    posting_id   bigint NOT NULL REFERENCES postings,
    -- The check-in that answered, made between the start and the deadline.
    answer       uuid REFERENCES field_records,
    PRIMARY KEY (roll_call_id, posting_id)
);
CREATE INDEX roll_call_targets_open ON roll_call_targets (posting_id) WHERE answer IS NULL;

-- 督查: an unannounced visit by the district inspection bureau (or the township).
CREATE TABLE inspections (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    posting_id   bigint NOT NULL REFERENCES postings,
    inspector_id bigint NOT NULL REFERENCES accounts,
    visited_on   date NOT NULL,
    present      boolean NOT NULL,
    note         text NOT NULL DEFAULT '',
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inspections_posting ON inspections (posting_id, visited_on);

-- Check-ins per posting and district day, kept by the sync push in its own transaction.
CREATE TABLE attendance_days (
    posting_id        bigint NOT NULL REFERENCES postings,
    day               date NOT NULL,
    verified          integer NOT NULL DEFAULT 0,
    review            integer NOT NULL DEFAULT 0,
    offline           integer NOT NULL DEFAULT 0,
    first_device_time timestamptz NOT NULL,
    first_received_at timestamptz NOT NULL,
    PRIMARY KEY (posting_id, day)
);
CREATE INDEX attendance_days_day ON attendance_days (day);
CREATE INDEX field_records_kind_time ON field_records (posting_id, device_time DESC) WHERE kind = 'check_in';

-- The township's approval of a month's allowance list (§4), before it goes to the units'
-- finance offices.
CREATE TABLE allowance_approvals (
    township_id bigint NOT NULL REFERENCES townships,
    month       date NOT NULL CHECK (extract(day FROM month) = 1),
    approved_by bigint NOT NULL REFERENCES accounts,
    approved_at timestamptz NOT NULL DEFAULT now(),
    total_yuan  integer NOT NULL,
    PRIMARY KEY (township_id, month)
);
