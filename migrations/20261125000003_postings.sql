-- Postings (选派): a secretary in a village for a term. Rows are never deleted; a transfer ends
-- one posting and starts another, so the history stays.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE postings (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    secretary_id    bigint NOT NULL REFERENCES accounts,
    village_id      bigint NOT NULL REFERENCES villages,
    unit_id         bigint NOT NULL REFERENCES units,
    -- The term's first and last day (both served).
    term_start      date NOT NULL,
    term_end        date NOT NULL,
    -- Set when a posting ends early (transfer, recall): the last day served.
    ended_on        date,
    ended_reason    text,
    mode            text NOT NULL CHECK (mode IN ('full_time', 'part_time')),
    source          text NOT NULL CHECK (source IN ('city_department', 'district_organ', 'township', 'retired_cadre')),
    rank_class      text NOT NULL CHECK (rank_class IN
                    ('party_gov_chief', 'other_leader', 'section_chief', 'deputy_section_or_below')),
    round           integer NOT NULL CHECK (round > 0),
    -- 第一书记助理: a township cadre who liaises for secretaries from city departments.
    assistant_name  text,
    assistant_phone text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (term_end > term_start),
    CHECK (ended_on IS NULL OR (ended_on >= term_start AND ended_on < term_end)),
    CONSTRAINT postings_no_overlap EXCLUDE USING gist (
        secretary_id WITH =,
        daterange(term_start, coalesce(ended_on, term_end), '[]') WITH &&
    )
);
CREATE INDEX postings_village ON postings (village_id);
CREATE INDEX postings_unit ON postings (unit_id);

-- Paired hardship households (结对帮扶户) of a posting.
CREATE TABLE households (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    posting_id    bigint NOT NULL REFERENCES postings,
    head_name     text NOT NULL CHECK (head_name <> ''),
    members       integer NOT NULL CHECK (members > 0),
    address       text NOT NULL DEFAULT '',
    hardship      text NOT NULL DEFAULT '',
    paired_on     date NOT NULL,
    CONSTRAINT households_name_key UNIQUE (posting_id, head_name)
);

-- Whether a posting covers today, "today" being the date in its district's time zone.
CREATE FUNCTION posting_is_current(village bigint, first_day date, last_day date) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT (now() AT TIME ZONE d.time_zone)::date BETWEEN first_day AND last_day
      FROM villages v
      JOIN townships t ON t.id = v.township_id
      JOIN districts d ON d.id = t.district_id
     WHERE v.id = village
$$;
