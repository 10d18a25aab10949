// What the server holds, read straight from the test database with psql (the browser tests'
// server and database are started by `cargo xtask test`, which sets ZHUCUN_E2E_DATABASE_URL).
import { execFileSync } from 'node:child_process';

const url = process.env.ZHUCUN_E2E_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54321/zhucun_e2e';

/** Rows of a query, each a list of column texts. */
export function query(sql: string): string[][] {
  const out = execFileSync('psql', [url, '-XAtq', '-F', '\t', '-c', sql], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

/** A secretary's village centre. */
export function village(username: string): { latitude: number; longitude: number } {
  const [[lat, lon]] = query(
    `SELECT v.lat, v.lon FROM postings p JOIN villages v ON v.id = p.village_id JOIN accounts a ON a.id = p.secretary_id
      WHERE a.username = '${username}' AND posting_is_current(p.village_id, p.term_start, coalesce(p.ended_on, p.term_end))`,
  );
  return { latitude: Number(lat), longitude: Number(lon) };
}

/** The ids of a secretary's stored records. */
export function storedIds(username: string): string[] {
  return query(
    `SELECT r.id FROM field_records r JOIN accounts a ON a.id = r.secretary_id WHERE a.username = '${username}' ORDER BY r.id`,
  ).map((r) => r[0]);
}

/** A full-time secretary posted in a township now: login and name. */
export function fullTimeSecretaryIn(township: string, skip = 0): { username: string; name: string } {
  const [[username, name]] = query(
    `SELECT a.username, a.display_name FROM postings p JOIN accounts a ON a.id = p.secretary_id
       JOIN villages v ON v.id = p.village_id JOIN townships t ON t.id = v.township_id
      WHERE t.name = '${township}' AND p.mode = 'full_time'
        AND posting_is_current(p.village_id, p.term_start, coalesce(p.ended_on, p.term_end))
      ORDER BY a.username OFFSET ${skip} LIMIT 1`,
  );
  return { username, name };
}

/** A full-time secretary of a township whose dispatching unit has a viewer account: the
 *  secretary's login and name, and the unit viewer's login. */
export function secretaryWithUnitViewer(township: string): { username: string; name: string; unitViewer: string } {
  const [[username, name, unitViewer]] = query(
    `SELECT a.username, a.display_name, u.username FROM postings p JOIN accounts a ON a.id = p.secretary_id
       JOIN villages v ON v.id = p.village_id JOIN townships t ON t.id = v.township_id
       JOIN accounts u ON u.unit_id = p.unit_id AND u.role = 'unit_viewer'
      WHERE t.name = '${township}' AND p.mode = 'full_time'
        AND posting_is_current(p.village_id, p.term_start, coalesce(p.ended_on, p.term_end))
      ORDER BY a.username LIMIT 1`,
  );
  return { username, name, unitViewer };
}

/** The id of a secretary's current posting. */
export function postingOf(username: string): string {
  const [[id]] = query(
    `SELECT p.id FROM postings p JOIN accounts a ON a.id = p.secretary_id
      WHERE a.username = '${username}' AND posting_is_current(p.village_id, p.term_start, coalesce(p.ended_on, p.term_end))`,
  );
  return id;
}

/** A current posting of another dispatching unit than this unit viewer's. */
export function postingOfAnotherUnit(unitViewer: string): string {
  const [[id]] = query(
    `SELECT p.id FROM postings p, accounts u
      WHERE u.username = '${unitViewer}' AND p.unit_id <> u.unit_id
        AND posting_is_current(p.village_id, p.term_start, coalesce(p.ended_on, p.term_end))
      ORDER BY p.id LIMIT 1`,
  );
  return id;
}
