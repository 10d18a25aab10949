-- The organisation tree: city → district → township (镇/街道) → village (村) or community (社区),
-- and the dispatching units (派出单位) that send first secretaries.

CREATE TABLE cities (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (name <> '')
);

CREATE TABLE districts (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city_id   bigint NOT NULL REFERENCES cities,
    name      text NOT NULL CHECK (name <> ''),
    -- Days are counted in the district's time zone.
    time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
    CONSTRAINT districts_name_key UNIQUE (city_id, name)
);

CREATE TABLE townships (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_id bigint NOT NULL REFERENCES districts,
    name        text NOT NULL CHECK (name <> ''),
    kind        text NOT NULL CHECK (kind IN ('town', 'subdistrict')),
    CONSTRAINT townships_name_key UNIQUE (district_id, name)
);

CREATE TABLE villages (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    township_id     bigint NOT NULL REFERENCES townships,
    name            text NOT NULL CHECK (name <> ''),
    kind            text NOT NULL CHECK (kind IN ('village', 'community')),
    lat             double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon             double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    geofence_m      integer NOT NULL CHECK (geofence_m BETWEEN 50 AND 10000),
    -- For the year-end satisfaction survey (2/3 turnout rule).
    eligible_voters integer NOT NULL DEFAULT 0 CHECK (eligible_voters >= 0),
    CONSTRAINT villages_name_key UNIQUE (township_id, name)
);

CREATE TABLE units (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_id bigint NOT NULL REFERENCES districts,
    name        text NOT NULL CHECK (name <> ''),
    kind        text NOT NULL CHECK (kind IN ('city_department', 'district_organ', 'township')),
    -- A township acting as dispatching unit.
    township_id bigint REFERENCES townships,
    CONSTRAINT units_name_key UNIQUE (district_id, name),
    CHECK ((kind = 'township') = (township_id IS NOT NULL))
);
