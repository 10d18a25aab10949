-- Accounts, their roles and the subtree each role is bound to; login throttling.

CREATE TABLE accounts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text NOT NULL CHECK (username ~ '^[a-z0-9_.-]{3,32}$'),
    display_name  text NOT NULL CHECK (display_name <> ''),
    phone         text,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN
                  ('secretary', 'township_supervisor', 'inspector', 'dept_admin', 'unit_viewer', 'sys_admin')),
    city_id       bigint REFERENCES cities,
    district_id   bigint REFERENCES districts,
    township_id   bigint REFERENCES townships,
    unit_id       bigint REFERENCES units,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT accounts_username_key UNIQUE (username),
    -- Each role carries exactly the scope it is bound to.
    CONSTRAINT accounts_scope_check CHECK (CASE role
        WHEN 'township_supervisor' THEN township_id IS NOT NULL AND num_nonnulls(city_id, district_id, unit_id) = 0
        WHEN 'inspector'           THEN district_id IS NOT NULL AND num_nonnulls(city_id, township_id, unit_id) = 0
        WHEN 'dept_admin'          THEN num_nonnulls(city_id, district_id) = 1 AND num_nonnulls(township_id, unit_id) = 0
        WHEN 'unit_viewer'         THEN unit_id IS NOT NULL AND num_nonnulls(city_id, district_id, township_id) = 0
        -- A secretary belongs to a district; their postings place them further.
        WHEN 'secretary'           THEN district_id IS NOT NULL AND num_nonnulls(city_id, township_id, unit_id) = 0
        ELSE num_nonnulls(city_id, district_id, township_id, unit_id) = 0
    END)
);

-- Failed logins per login name (known or not, so that probing names reveals nothing).
CREATE TABLE login_throttle (
    username      text PRIMARY KEY,
    failures      integer NOT NULL DEFAULT 0,
    window_start  timestamptz NOT NULL DEFAULT now(),
    locked_until  timestamptz
);
