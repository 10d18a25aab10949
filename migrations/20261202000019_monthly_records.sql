-- 月度工作纪实: a secretary's month, drafted from the month's records, edited and filed by the
-- secretary (filing the month again replaces its text); the township and the dispatching unit
-- read it.
CREATE TABLE monthly_records (
    id         bigserial PRIMARY KEY,
    posting_id bigint NOT NULL REFERENCES postings,
    month      date NOT NULL CHECK (extract(day FROM month) = 1),
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    filed_at   timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT monthly_records_once UNIQUE (posting_id, month)
);
