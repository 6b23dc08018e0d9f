/**
 * `xentop -b -i 2` against a column layout written down from
 * tools/xentop/xentop.c: the fields[] table (header, default width) and the
 * print_* formats (every column right-aligned in its width, one space
 * between columns, no summary lines in batch mode), and against `xl list`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { twoGuestHost, type TopHost } from './host';

const INT = /^ *\d+$/;
const PCT = /^ *\d+\.\d$/;
const INT_OR_DASH = /^ *(\d+|-)$/;

/** header, default width, and what print_<field> can put in the column */
const LAYOUT: Array<{ header: string; width: number; value: RegExp }> = [
  { header: 'NAME', width: 10, value: /^ *\S.*$/ }, // "%10.10s"
  { header: 'STATE', width: 6, value: /^[d-][s-][b-][c-][p-][r-]$/ }, // six "%c"
  { header: 'CPU(sec)', width: 10, value: INT }, // "%10llu"
  { header: 'CPU(%)', width: 6, value: PCT }, // "%6.1f"
  { header: 'MEM(k)', width: 10, value: INT }, // "%10llu"
  { header: 'MEM(%)', width: 6, value: PCT }, // "%6.1f"
  { header: 'MAXMEM(k)', width: 10, value: /^ *(\d+|no limit)$/ }, // "%10llu" or "%10s" "no limit"
  { header: 'MAXMEM(%)', width: 9, value: /^ *(\d+\.\d|n\/a)$/ }, // "%9.1f" or "%9s" "n/a"
  { header: 'VCPUS', width: 5, value: INT }, // "%5u"
  { header: 'NETS', width: 4, value: INT }, // "%4u"
  { header: 'NETTX(k)', width: 8, value: INT }, // "%*llu"
  { header: 'NETRX(k)', width: 8, value: INT },
  { header: 'VBDS', width: 4, value: INT }, // "%4u"
  { header: 'VBD_OO', width: 8, value: INT_OR_DASH }, // "%8llu" or "%8c" '-'
  { header: 'VBD_RD', width: 8, value: INT_OR_DASH },
  { header: 'VBD_WR', width: 8, value: INT_OR_DASH },
  { header: 'VBD_RSECT', width: 10, value: INT_OR_DASH },
  { header: 'VBD_WSECT', width: 10, value: INT_OR_DASH },
  { header: 'SSID', width: 4, value: INT }, // "%4u"
];

/** Splits a line by the layout; throws where it does not fit. */
function columns(line: string): string[] {
  const out: string[] = [];
  let pos = 0;
  LAYOUT.forEach((c, i) => {
    if (i > 0) {
      if (line[pos] !== ' ') throw new Error(`no separator before ${c.header} at ${pos}: ${JSON.stringify(line)}`);
      pos++;
    }
    out.push(line.slice(pos, pos + c.width));
    pos += c.width;
  });
  if (pos !== line.length) throw new Error(`trailing text after SSID: ${JSON.stringify(line.slice(pos))}`);
  return out;
}

const HEADER = LAYOUT.map((c) => c.header.padStart(c.width)).join(' ');

interface Row {
  [header: string]: string;
}

function parseRow(line: string): Row {
  const cols = columns(line);
  const row: Row = {};
  LAYOUT.forEach((c, i) => {
    const v = cols[i]!;
    expect(v, `${c.header} in ${JSON.stringify(line)}`).toMatch(c.value);
    row[c.header] = v.trim();
  });
  return row;
}

describe('xentop -b -i 2 layout', () => {
  let h: TopHost;
  let lines: string[];
  let code: number;
  let stderr: string;

  beforeAll(() => {
    h = twoGuestHost();
    const r = h.run('xentop', ['-b', '-i', '2']);
    code = r.code;
    stderr = r.stderr;
    expect(r.stdout.endsWith('\n')).toBe(true);
    lines = r.stdout.slice(0, -1).split('\n');
  });

  it('prints two screens of header + one row per domain, nothing else', () => {
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(lines).toHaveLength(2 * 4);
    expect(lines[0]).toBe(HEADER);
    expect(lines[4]).toBe(HEADER);
    for (const l of [...lines.slice(1, 4), ...lines.slice(5, 8)]) expect(() => parseRow(l)).not.toThrow();
  });

  it('agrees with xl list: names, states, memory, vCPUs', () => {
    const list = h.run('xl', ['list']).stdout.trim().split('\n').slice(1);
    const rows = lines.slice(1, 4).map(parseRow);
    // sorted by name, case-insensitively (xentop's default sort field)
    expect(rows.map((r) => r.NAME)).toEqual(['Domain-0', 'g1', 'guest-two']);
    for (const l of list) {
      const m = /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([r-])([b-])([p-])([s-])(.)([d-])\s+([\d.]+)$/.exec(l)!;
      expect(m, l).not.toBeNull();
      const row = rows.find((r) => r.NAME === m[1]!.slice(0, 10))!;
      expect(row, m[1]).toBeDefined();
      const [, , , mem, vcpus, r, b, p, s, reason, d] = m;
      const crashed = s === 's' && reason === 'c';
      const expectState = [d, s === 's' && !crashed ? 's' : '-', b, crashed ? 'c' : '-', p, r].join('');
      expect(row.STATE).toBe(expectState);
      expect(Number(row['MEM(k)'])).toBe(Number(mem) * 1024);
      expect(row.VCPUS).toBe(vcpus);
      expect(Math.floor(Number(row['CPU(sec)']))).toBe(Math.floor(Number(m[11])));
    }
  });

  it('MAXMEM follows xl mem-max', () => {
    expect(h.run('xl', ['mem-max', 'guest-two', '300m']).code).toBe(0);
    const r = h.run('xentop', ['-b', '-i', '1']);
    const row = r.stdout.split('\n').slice(1, 4).map(parseRow).find((x) => x.NAME === 'guest-two')!;
    // libxl_domain_setmaxmem adds LIBXL_MAXMEM_CONSTANT (1024 KiB) for the hypervisor's own use
    expect(row['MAXMEM(k)']).toBe(String(300 * 1024 + 1024));
  });
});
