-- The department's dashboards (issue 10). Each posting's figures are stored as of its
-- district's day and recomputed by the server's refresher (`db::dashboard::refresh`) whenever
-- something they are made of changes: triggers on every table the figures read queue the
-- posting. The dashboards then only add stored figures up.

-- Postings whose figures are out of date. `version` changes with every new change, so the
-- refresher clears only the versions it has read.
CREATE SEQUENCE dashboard_queue_version;
CREATE TABLE dashboard_queue (
    posting_id bigint PRIMARY KEY REFERENCES postings,
    version    bigint NOT NULL DEFAULT nextval('dashboard_queue_version')
);

CREATE FUNCTION dashboard_enqueue(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO dashboard_queue (posting_id) SELECT DISTINCT id FROM unnest(ids) id WHERE id IS NOT NULL
    ON CONFLICT (posting_id) DO UPDATE SET version = nextval('dashboard_queue_version')
$$;

-- The records table is the big one: once per statement, for the postings of its new rows.
CREATE FUNCTION dashboard_enqueue_records() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dashboard_enqueue(ARRAY(SELECT DISTINCT posting_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER field_records_dashboard AFTER INSERT ON field_records
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_enqueue_records();

-- Tables with a `posting_id`: leave, inspections, roll calls, households, the evaluation.
CREATE FUNCTION dashboard_enqueue_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM dashboard_enqueue(ARRAY[OLD.posting_id]);
    ELSE
        PERFORM dashboard_enqueue(ARRAY[NEW.posting_id]);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER leave_requests_dashboard AFTER INSERT OR UPDATE OR DELETE ON leave_requests
    FOR EACH ROW EXECUTE FUNCTION dashboard_enqueue_row();
CREATE TRIGGER inspections_dashboard AFTER INSERT OR UPDATE OR DELETE ON inspections
    FOR EACH ROW EXECUTE FUNCTION dashboard_enqueue_row();
CREATE TRIGGER roll_call_targets_dashboard AFTER INSERT OR UPDATE OR DELETE ON roll_call_targets
    FOR EACH ROW EXECUTE FUNCTION dashboard_enqueue_row();
CREATE TRIGGER households_dashboard AFTER INSERT OR UPDATE OR DELETE ON households
    FOR EACH ROW EXECUTE FUNCTION dashboard_enqueue_row();
CREATE TRIGGER filings_dashboard AFTER INSERT OR UPDATE OR DELETE ON filings
    FOR EACH ROW EXECUTE FUNCTION dashboard_enqueue_row();
CREATE TRIGGER evaluation_assessments_dashboard AFTER INSERT OR UPDATE OR DELETE ON evaluation_assessments
    FOR EACH ROW EXECUTE FUNCTION dashboard_enqueue_row();
CREATE TRIGGER surveys_dashboard AFTER INSERT OR UPDATE OR DELETE ON surveys
    FOR EACH ROW EXECUTE FUNCTION dashboard_enqueue_row();

-- A posting made or changed (ended early …).
CREATE FUNCTION dashboard_enqueue_posting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dashboard_enqueue(ARRAY[NEW.id]);
    RETURN NULL;
END $$;
CREATE TRIGGER postings_dashboard AFTER INSERT OR UPDATE ON postings
    FOR EACH ROW EXECUTE FUNCTION dashboard_enqueue_posting();

-- A district's day rule or rate: all its postings.
CREATE FUNCTION dashboard_enqueue_district() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dashboard_enqueue(ARRAY(
        SELECT p.id FROM postings p JOIN villages v ON v.id = p.village_id JOIN townships t ON t.id = v.township_id
         WHERE t.district_id = NEW.id));
    RETURN NULL;
END $$;
CREATE TRIGGER districts_dashboard AFTER UPDATE ON districts
    FOR EACH ROW EXECUTE FUNCTION dashboard_enqueue_district();

-- The national calendar: every posting still running or recently ended.
CREATE FUNCTION dashboard_enqueue_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dashboard_enqueue(ARRAY(SELECT id FROM postings WHERE coalesce(ended_on, term_end) >= current_date - 400));
    RETURN NULL;
END $$;
CREATE TRIGGER calendar_days_dashboard AFTER INSERT OR UPDATE OR DELETE ON calendar_days
    FOR EACH STATEMENT EXECUTE FUNCTION dashboard_enqueue_all();

-- One posting's figures as of `day` (`domain::dashboard::PostingFigures`). Township, district
-- and unit are copied from the posting so that a dashboard reads one table.
CREATE TABLE posting_stats (
    posting_id          bigint PRIMARY KEY REFERENCES postings,
    district_id         bigint NOT NULL REFERENCES districts,
    township_id         bigint NOT NULL REFERENCES townships,
    unit_id             bigint NOT NULL REFERENCES units,
    day                 date NOT NULL,
    last_day            date NOT NULL,
    computed_at         timestamptz NOT NULL DEFAULT now(),
    -- Posted on `day`; the board's status and open alerts are only kept for current postings.
    current             boolean NOT NULL,
    expected_today      boolean NOT NULL,
    present_today       boolean NOT NULL,
    status              text,
    alerts              text[] NOT NULL DEFAULT '{}',
    assessment          jsonb,
    diaries_7d          integer NOT NULL,
    households          integer NOT NULL,
    households_due      integer NOT NULL,
    research_reports    integer NOT NULL,
    -- Roll calls of this month and those answered in time.
    roll_calls          integer NOT NULL,
    roll_calls_answered integer NOT NULL,
    -- The year's evaluation: term goals filed and approved, assessors' items, the survey.
    goals_filed         boolean NOT NULL,
    goals_approved      boolean NOT NULL,
    assessed            integer NOT NULL,
    assessable          integer NOT NULL,
    survey_votes        integer NOT NULL,
    survey_eligible     integer NOT NULL
);
CREATE INDEX posting_stats_district ON posting_stats (district_id);
CREATE INDEX posting_stats_township ON posting_stats (township_id);
CREATE INDEX posting_stats_unit ON posting_stats (unit_id);

-- The posting's attendance and meetings per period (`domain::dashboard::Period`).
CREATE TABLE posting_periods (
    posting_id    bigint NOT NULL REFERENCES postings,
    period        text NOT NULL CHECK (period IN ('today', 'week', 'month', 'term')),
    days          integer NOT NULL,
    required      integer NOT NULL,
    met           integer NOT NULL,
    meetings_due  integer NOT NULL,
    meetings_held integer NOT NULL,
    leave_days    integer NOT NULL,
    PRIMARY KEY (posting_id, period)
);

-- A 脱产 posting's weeks (Monday's date), and their sums per township for the trends.
CREATE TABLE posting_weeks (
    posting_id   bigint NOT NULL REFERENCES postings,
    week         date NOT NULL,
    required     integer NOT NULL,
    met          integer NOT NULL,
    meeting_due  boolean NOT NULL,
    meeting_held boolean NOT NULL,
    PRIMARY KEY (posting_id, week)
);
CREATE TABLE township_weeks (
    township_id   bigint NOT NULL REFERENCES townships,
    week          date NOT NULL,
    required      integer NOT NULL,
    met           integer NOT NULL,
    meetings_due  integer NOT NULL,
    meetings_held integer NOT NULL,
    PRIMARY KEY (township_id, week)
);

-- Years whose holidays and adjusted working days are loaded completely, and from which notice.
-- Working days of other years are counted Monday to Friday and shown as provisional.
CREATE TABLE calendar_years (
    year         integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    notice       text NOT NULL CHECK (notice <> ''),
    confirmed_by bigint REFERENCES accounts,
    confirmed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO calendar_years (year, notice) VALUES (2026, '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）');

-- Everything there is now gets its figures at the refresher's first pass.
SELECT dashboard_enqueue(ARRAY(SELECT id FROM postings));
