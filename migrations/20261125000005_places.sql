-- Where each record sits in the organisation, one row per path to it: the columns a caller's
-- scope is matched against (city, district, township, dispatching unit, secretary). A village
-- has one row per posting it hosted, so a unit or a secretary sees the villages they were in.

CREATE VIEW township_places AS
SELECT t.id, d.city_id, t.district_id, t.id AS township_id, p.unit_id, p.secretary_id
  FROM townships t
  JOIN districts d ON d.id = t.district_id
  LEFT JOIN villages v ON v.township_id = t.id
  LEFT JOIN postings p ON p.village_id = v.id;

CREATE VIEW village_places AS
SELECT v.id, d.city_id, t.district_id, v.township_id, p.unit_id, p.secretary_id
  FROM villages v
  JOIN townships t ON t.id = v.township_id
  JOIN districts d ON d.id = t.district_id
  LEFT JOIN postings p ON p.village_id = v.id;

CREATE VIEW unit_places AS
SELECT u.id, d.city_id, u.district_id, v.township_id, u.id AS unit_id, p.secretary_id
  FROM units u
  JOIN districts d ON d.id = u.district_id
  LEFT JOIN postings p ON p.unit_id = u.id
  LEFT JOIN villages v ON v.id = p.village_id;

CREATE VIEW posting_places AS
SELECT p.id, d.city_id, t.district_id, v.township_id, p.unit_id, p.secretary_id
  FROM postings p
  JOIN villages v ON v.id = p.village_id
  JOIN townships t ON t.id = v.township_id
  JOIN districts d ON d.id = t.district_id;

CREATE VIEW account_places AS
-- A secretary: their district, and each posting.
SELECT a.id, d.city_id, a.district_id, NULL::bigint AS township_id, NULL::bigint AS unit_id, a.id AS secretary_id
  FROM accounts a JOIN districts d ON d.id = a.district_id
 WHERE a.role = 'secretary'
UNION ALL
SELECT a.id, pp.city_id, pp.district_id, pp.township_id, pp.unit_id, a.id
  FROM accounts a JOIN postings p ON p.secretary_id = a.id JOIN posting_places pp ON pp.id = p.id
 WHERE a.role = 'secretary'
UNION ALL
SELECT a.id, d.city_id, t.district_id, t.id, NULL, NULL
  FROM accounts a JOIN townships t ON t.id = a.township_id JOIN districts d ON d.id = t.district_id
 WHERE a.role = 'township_supervisor'
UNION ALL
SELECT a.id, d.city_id, d.id, NULL, NULL, NULL
  FROM accounts a JOIN districts d ON d.id = a.district_id
 WHERE a.role IN ('inspector', 'dept_admin')
UNION ALL
SELECT a.id, a.city_id, NULL, NULL, NULL, NULL
  FROM accounts a
 WHERE a.role = 'dept_admin' AND a.city_id IS NOT NULL
UNION ALL
SELECT a.id, d.city_id, u.district_id, u.township_id, u.id, NULL
  FROM accounts a JOIN units u ON u.id = a.unit_id JOIN districts d ON d.id = u.district_id
 WHERE a.role = 'unit_viewer'
UNION ALL
SELECT a.id, NULL, NULL, NULL, NULL, NULL
  FROM accounts a
 WHERE a.role = 'sys_admin';

CREATE VIEW district_places AS
SELECT d.id, d.city_id, d.id AS district_id, NULL::bigint AS township_id, NULL::bigint AS unit_id, NULL::bigint AS secretary_id
  FROM districts d;
