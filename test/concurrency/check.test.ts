/**
 * `xlsim check` exits non-zero and names the broken rule when the host's
 * invariants do not hold. Each case damages a healthy host through its
 * database directly (as a bug or a stray tool could) and expects the exact
 * report.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECK_OK, SMALL_CFG, bigHost, cloneHost, type BigHost } from './host';

let base: BigHost;

beforeAll(() => {
  base = bigHost();
  const cfg = base.cfg('small', SMALL_CFG);
  for (const n of ['a0', 'a1']) expect(base.run('xl', ['create', '-q', cfg, `name="${n}"`]).code).toBe(0);
  expect(base.run('xlsim', ['check'])).toEqual(CHECK_OK);
});

/** A copy of the healthy host with `damage` applied to its database. */
function damaged(damage: (db: Database.Database) => void): BigHost {
  const h = cloneHost(base);
  const db = new Database(h.db, { fileMustExist: true });
  try {
    db.transaction(() => damage(db))();
  } finally {
    db.close();
  }
  return h;
}

type Json = Record<string, unknown>;

function domain(db: Database.Database, domid: number): Json {
  return JSON.parse(db.prepare('SELECT data FROM domains WHERE domid = ?').pluck().get(domid) as string) as Json;
}

function putDomain(db: Database.Database, domid: number, d: Json): void {
  db.prepare('UPDATE domains SET data = ? WHERE domid = ?').run(JSON.stringify(d), domid);
}

function xenHost(db: Database.Database): Json {
  return JSON.parse(db.prepare("SELECT data FROM records WHERE key = 'xen.host'").pluck().get() as string) as Json;
}

function report(lines: string[]): { stdout: string; stderr: string; code: number } {
  return {
    stdout: lines.map((l) => `xlsim check: ${l}\n`).join(''),
    stderr: `xlsim: ${lines.length} inconsistenc${lines.length === 1 ? 'y' : 'ies'} found\n`,
    code: 1,
  };
}

describe('xlsim check on a damaged host', () => {
  it('a domain holding a page the heap never gave out: memory does not add up', () => {
    let line = '';
    const h = damaged((db) => {
      const d = domain(db, 1);
      d.totPages = (d.totPages as number) + 1;
      putDomain(db, 1, d);
      const x = xenHost(db);
      let used = 0;
      for (const id of db.prepare('SELECT domid FROM domains').pluck().all() as number[]) {
        const dd = domain(db, id);
        used += (dd.totPages as number) + (dd.pagingPoolPages as number);
      }
      const sum = (x.freePages as number) + used + (x.xenPages as number);
      line = `memory does not add up: free ${x.freePages} + domains ${used} + xen ${x.xenPages} = ${sum} != total ${x.totalPages}`;
    });
    expect(h.run('xlsim', ['check'])).toEqual(report([line]));
  });

  it('two live domains with one name', () => {
    const h = damaged((db) => {
      db.prepare("UPDATE xs_nodes SET value = CAST('a0' AS BLOB) WHERE path = '/local/domain/2/name'").run();
    });
    const vm = base.run('xenstore-read', ['/local/domain/2/vm']).stdout.trim();
    expect(h.run('xlsim', ['check'])).toEqual(report(['name "a0" used by d1 and d2', `d2: ${vm}/name disagrees with /local/domain/2/name`]));
  });

  it('a domain gone from the hypervisor but not from xenstore', () => {
    const h = damaged((db) => {
      // give its memory back so that only the disagreement is left
      const d = domain(db, 2);
      const x = xenHost(db);
      x.freePages = (x.freePages as number) + (d.totPages as number) + (d.pagingPoolPages as number);
      db.prepare("UPDATE records SET data = ? WHERE key = 'xen.host'").run(JSON.stringify(x));
      db.prepare('DELETE FROM domains WHERE domid = 2').run();
    });
    expect(h.run('xlsim', ['check'])).toEqual(
      report(['/local/domain/2 has no domain in the hypervisor', '/libxl/2 has no domain in the hypervisor', 'xl monitor [pid 4322] watches d2, which does not exist']),
    );
  });

  it('a live domain without its xenstore name', () => {
    const h = damaged((db) => {
      db.prepare("DELETE FROM xs_nodes WHERE path = '/local/domain/1/name'").run();
    });
    expect(h.run('xlsim', ['check'])).toEqual(report(['d1: no name in xenstore (/local/domain/1/name)']));
  });

  it('a domain record claiming another domid', () => {
    const h = damaged((db) => {
      const d = domain(db, 2);
      d.domid = 1;
      putDomain(db, 2, d);
    });
    const vm1 = base.run('xenstore-read', ['/local/domain/1/vm']).stdout.trim();
    const vm2 = base.run('xenstore-read', ['/local/domain/2/vm']).stdout.trim();
    expect(h.run('xlsim', ['check'])).toEqual(
      report([
        'd1: domid appears twice',
        'name "a0" used by d1 and d1',
        `d1: /local/domain/1/vm is ${vm1} but the domain handle is ${vm2.slice(4)}`,
        '/local/domain/2 has no domain in the hypervisor',
        '/libxl/2 has no domain in the hypervisor',
        'xl monitor [pid 4322] watches d2, which does not exist',
      ]),
    );
  });
});
