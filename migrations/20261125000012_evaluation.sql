-- The year-end evaluation 三定一诺双评: filings, assessors' scores and entered facts, the
-- anonymous satisfaction survey, and the computed, frozen results.

-- Which rule set a district evaluates by (`domain::evaluation::rules::RuleSet::by_code`).
ALTER TABLE districts ADD COLUMN evaluation_rules text NOT NULL DEFAULT 'jiaozhou'
    CHECK (evaluation_rules IN ('jiaozhou', 'yicheng'));

-- 任期目标备案表 / 履职承诺书 / 述职报告 / 自查报告表, one of each per posting and year.
CREATE TABLE filings (
    id                   bigserial PRIMARY KEY,
    posting_id           bigint NOT NULL REFERENCES postings,
    year                 integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    kind                 text NOT NULL CHECK (kind IN ('term_goals', 'commitment', 'year_report', 'self_check')),
    body                 text NOT NULL,
    -- Term goals: [{"goal": "…", "progress": "…"}].
    goals                jsonb NOT NULL DEFAULT '[]',
    -- The commitment's public date (公开承诺).
    published_on         date,
    filed_at             timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    township_approved_by bigint REFERENCES accounts,
    township_approved_at timestamptz,
    unit_approved_by     bigint REFERENCES accounts,
    unit_approved_at     timestamptz,
    CONSTRAINT filings_once UNIQUE (posting_id, year, kind),
    CHECK (kind <> 'commitment' OR published_on IS NOT NULL)
);

-- The goals' wording without their progress: approvals stand while it is unchanged.
CREATE FUNCTION goal_texts(goals jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS
$$ SELECT coalesce(jsonb_agg(g->'goal'), '[]') FROM jsonb_array_elements(goals) g $$;

-- An assessor's points for an item that needs judgement (`judged`, `assessed`, `panel` as
-- CODE@assessor), with the reason and evidence.
CREATE TABLE evaluation_assessments (
    posting_id  bigint NOT NULL REFERENCES postings,
    year        integer NOT NULL,
    item        text NOT NULL,
    points      double precision NOT NULL,
    reason      text NOT NULL CHECK (reason <> ''),
    evidence    text NOT NULL DEFAULT '',
    assessor_id bigint NOT NULL REFERENCES accounts,
    at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (posting_id, year, item)
);

-- Facts the records cannot decide (funds raised, projects, the village's grade change,
-- discipline cases …), entered with their evidence.
CREATE TABLE evaluation_facts (
    posting_id   bigint NOT NULL REFERENCES postings,
    year         integer NOT NULL,
    fact         text NOT NULL,
    value        double precision NOT NULL,
    evidence     text NOT NULL CHECK (evidence <> ''),
    entered_by   bigint NOT NULL REFERENCES accounts,
    at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (posting_id, year, fact)
);

-- The satisfaction survey of a posting's village: counts only. Ballots are not stored one by
-- one and codes keep no time of use, so a vote cannot be linked to a code or a person.
CREATE TABLE surveys (
    id                  bigserial PRIMARY KEY,
    posting_id          bigint NOT NULL REFERENCES postings,
    year                integer NOT NULL,
    eligible            integer NOT NULL CHECK (eligible > 0),
    very_satisfied      integer NOT NULL DEFAULT 0,
    satisfied           integer NOT NULL DEFAULT 0,
    basically_satisfied integer NOT NULL DEFAULT 0,
    dissatisfied        integer NOT NULL DEFAULT 0,
    opened_by           bigint NOT NULL REFERENCES accounts,
    opened_at           timestamptz NOT NULL DEFAULT now(),
    closed_at           timestamptz,
    CONSTRAINT surveys_once UNIQUE (posting_id, year),
    CHECK (very_satisfied + satisfied + basically_satisfied + dissatisfied <= eligible)
);

-- One-time ballot codes, kept only as SHA-256 hashes (the printed sheet is the only copy).
CREATE TABLE ballot_codes (
    code_hash bytea PRIMARY KEY,
    survey_id bigint NOT NULL REFERENCES surveys,
    used      boolean NOT NULL DEFAULT false
);
CREATE INDEX ballot_codes_survey ON ballot_codes (survey_id);

-- A district's computed year: the engine's whole input and output, so a frozen result can be
-- recomputed and compared. Approval: 部长办公会 (reviewed), then the city committee (approved).
CREATE TABLE evaluation_runs (
    id           bigserial PRIMARY KEY,
    district_id  bigint NOT NULL REFERENCES districts,
    year         integer NOT NULL,
    rule_set     text NOT NULL,
    version      integer NOT NULL,
    input        jsonb NOT NULL,
    output       jsonb NOT NULL,
    state        text NOT NULL DEFAULT 'computed' CHECK (state IN ('computed', 'reviewed', 'approved', 'reopened')),
    computed_by  bigint NOT NULL REFERENCES accounts,
    computed_at  timestamptz NOT NULL DEFAULT now(),
    reviewed_by  bigint REFERENCES accounts,
    reviewed_at  timestamptz,
    approved_by  bigint REFERENCES accounts,
    approved_at  timestamptz,
    reopen_reason text
);
-- At most one run of a district's year is not reopened.
CREATE UNIQUE INDEX evaluation_runs_current ON evaluation_runs (district_id, year) WHERE state <> 'reopened';

-- Whether a posting's district has frozen (reviewed or approved) the year's results: filings,
-- scores, ballots and votes for it are then refused.
CREATE FUNCTION evaluation_frozen(posting bigint, of_year integer) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM evaluation_runs r
                    JOIN townships t ON t.district_id = r.district_id
                    JOIN villages v ON v.township_id = t.id
                    JOIN postings p ON p.village_id = v.id
                   WHERE p.id = posting AND r.year = of_year AND r.state IN ('reviewed', 'approved')) $$;

-- Each secretary's result of a run, for pages that show one (the dossier) or a ranking
-- without every item: read without parsing the district's whole output.
CREATE TABLE evaluation_outcomes (
    run_id     bigint NOT NULL REFERENCES evaluation_runs,
    posting_id bigint NOT NULL REFERENCES postings,
    outcome    jsonb NOT NULL,
    PRIMARY KEY (run_id, posting_id)
);
CREATE INDEX evaluation_outcomes_posting ON evaluation_outcomes (posting_id);
