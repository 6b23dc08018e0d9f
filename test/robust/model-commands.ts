/**
 * The commands of the model-based test (test/robust/model.ts holds the
 * model): each checks it applies to the model, runs through the tools, asks
 * what the model says must have happened, and updates the model.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { RunResult } from '../helpers/cli';
import {
  compare, expectClean, find, HOSTS, NAMES, on, other, remove, settle, stable, undecided, type HostName, type MDom, type Model, type Real,
} from './model';

type Cmd = fc.AsyncCommand<Model, Real>;

/** a guest chosen by `pick` among those `ok` admits (stable ones, unless `ok` says otherwise) */
function pickDom(m: Model, pick: number, ok: (d: MDom) => boolean = stable): MDom | undefined {
  const c = m.doms.filter(ok);
  return c.length ? c[pick % c.length] : undefined;
}

/** how many commands ran (the suite reports it, to show the property did real work) */
export const stats = { commands: 0, byVerb: new Map<string, number>(), msByVerb: new Map<string, number>() };

abstract class Base implements Cmd {
  touched: HostName[] = [...HOSTS];
  abstract check(m: Readonly<Model>): boolean;
  abstract act(m: Model, r: Real): Promise<void>;
  abstract toString(): string;
  async run(m: Model, r: Real): Promise<void> {
    const t0 = performance.now();
    await this.act(m, r);
    stats.commands++;
    const verb = this.toString().replace(/^[ab]: /, '').split(/[ #]/).slice(0, this instanceof OnDom ? 1 : 2).join(' ');
    stats.byVerb.set(verb, (stats.byVerb.get(verb) ?? 0) + 1);
    stats.msByVerb.set(verb, (stats.msByVerb.get(verb) ?? 0) + performance.now() - t0);
    // a command changes only the hosts it ran on
    await compare(m, r, this.toString(), this.touched);
  }
}

async function xl(r: Real, host: HostName, what: string, ...args: string[]): Promise<RunResult> {
  const res = await r.run('xl', args, host);
  expectClean(res, what);
  return res;
}

class Create extends Base {
  constructor(
    readonly host: HostName,
    readonly name: string,
    readonly mem: number,
    readonly extraMem: number,
    readonly vcpus: number,
    readonly extraVcpus: number,
    readonly paused: boolean,
  ) {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return on(m as Model, this.host).length < 4 && !undecided(m as Model, this.host, this.name);
  }
  async act(m: Model, r: Real): Promise<void> {
    this.touched = [this.host];
    const keys = [`name="${this.name}"`, `memory=${this.mem}`, `maxmem=${this.mem + this.extraMem}`, `vcpus=${this.vcpus}`, `maxvcpus=${this.vcpus + this.extraVcpus}`];
    const res = await xl(r, this.host, this.toString(), 'create', '-q', ...(this.paused ? ['-p'] : []), r.cfg, ...keys);
    if (find(m, this.host, this.name)) {
      expect(res.code, `${this}: ${res.stderr}`).not.toBe(0);
      return;
    }
    expect(res, this.toString()).toEqual({ stdout: '', stderr: '', code: 0 });
    m.doms.push({
      uuid: m.nextUuid++,
      name: this.name, host: this.host, maxMem: this.mem + this.extraMem, memLo: this.mem, memHi: this.mem, target: this.mem,
      vcpus: this.vcpus, maxVcpus: this.vcpus + this.extraVcpus, pauses: this.paused ? 1 : 0, disks: [], nics: [],
    });
  }
  toString(): string {
    return `${this.host}: xl create${this.paused ? ' -p' : ''} name=${this.name} memory=${this.mem} maxmem=+${this.extraMem} vcpus=${this.vcpus} maxvcpus=+${this.extraVcpus}`;
  }
}

/** a command on one existing guest (`arg`: its number, for those that take one) */
abstract class OnDom extends Base {
  constructor(
    readonly pick: number,
    readonly arg = 0,
  ) {
    super();
  }
  abstract readonly verb: string;
  admits(d: MDom, _m: Model): boolean {
    return stable(d);
  }
  check(m: Readonly<Model>): boolean {
    return pickDom(m as Model, this.pick, (d) => this.admits(d, m as Model)) !== undefined;
  }
  abstract on(m: Model, r: Real, d: MDom): Promise<void>;
  private last = '';
  async act(m: Model, r: Real): Promise<void> {
    const d = pickDom(m, this.pick, (x) => this.admits(x, m))!;
    this.last = `${d.host}/${d.name}`;
    // a migration touches both hosts
    this.touched = this instanceof Migrate ? [...HOSTS] : [d.host];
    await this.on(m, r, d);
  }
  toString(): string {
    return `${this.verb}#${this.pick}${this.last ? ` (${this.last})` : ''}`;
  }
}

class Simple extends OnDom {
  constructor(
    pick: number,
    readonly verb: 'pause' | 'unpause' | 'destroy' | 'shutdown' | 'reboot' | 'crash',
  ) {
    super(pick);
  }
  override admits(d: MDom): boolean {
    // a guest paused when asked to go down is still there, waiting to be unpaused
    if (this.verb === 'unpause' && d.pending && d.pending.ranS === 0 && d.pauses > 0) return true;
    // a paused guest cannot crash on its own
    return stable(d) && (this.verb === 'crash' ? d.pauses === 0 : true);
  }
  async on(m: Model, r: Real, d: MDom): Promise<void> {
    if (this.verb === 'crash') {
      const res = await r.run('xlsim', ['guest', d.name, 'crash'], d.host);
      expectClean(res, this.toString());
      expect(res.code, `${this}: ${res.stderr}`).toBe(0);
      // on_crash="destroy" by default
      remove(m, d);
      return;
    }
    const res = await xl(r, d.host, this.toString(), this.verb, d.name);
    switch (this.verb) {
      case 'pause':
        expect(res, this.toString()).toEqual({ stdout: '', stderr: '', code: 0 });
        d.pauses++;
        return;
      case 'unpause':
        if (d.pending) stats.byVerb.set('unpause while going down', (stats.byVerb.get('unpause while going down') ?? 0) + 1);
        // xl unpause ignores libxl's verdict: an unpaused guest only gets an error line
        expect(res.code, this.toString()).toBe(0);
        if (d.pauses > 0) {
          expect(res.stderr, this.toString()).toBe('');
          d.pauses--;
          // the guest runs again and acts on a vcpu-set it was given meanwhile
          if (d.pauses === 0 && d.vcpusHeld !== undefined && !d.pending) {
            d.vcpus = d.vcpusHeld;
            delete d.vcpusHeld;
          }
        } else expect(res.stderr, this.toString()).toMatch(/^libxl: error: libxl_domain\.c:\d+:domain_unpause_done: Domain \d+:Unpausing domain: Invalid argument\n$/);
        return;
      case 'destroy':
        expect(res, this.toString()).toEqual({ stdout: '', stderr: '', code: 0 });
        remove(m, d);
        return;
      case 'shutdown':
      case 'reboot':
        if (d.pauses > 0) {
          // it cannot answer: libxl gives up after 60 s, but the request
          // stays in xenstore and the guest acts on it once unpaused
          expect(res.code, `${this}: ${res.stderr}`).toBe(1);
          expect(res.stderr, this.toString()).toContain("pvcontrol_cb: guest didn't acknowledge control request: -9\n");
          stats.byVerb.set(`${this.verb} while paused`, (stats.byVerb.get(`${this.verb} while paused`) ?? 0) + 1);
        } else expect(res.code, `${this}: ${res.stderr}`).toBe(0);
        d.pending = { kind: this.verb, ranS: 0 };
        return;
    }
  }
}

class MemSet extends OnDom {
  readonly verb = 'mem-set';
  get mib(): number {
    return this.arg;
  }
  async on(m: Model, r: Real, d: MDom): Promise<void> {
    const res = await xl(r, d.host, this.toString(), 'mem-set', d.name, `${this.mib}m`);
    if (this.mib > d.maxMem) {
      expect(res.code, this.toString()).toBe(1);
      return;
    }
    expect(res, this.toString()).toEqual({ stdout: '', stderr: '', code: 0 });
    d.target = this.mib;
    d.memLo = Math.min(d.memLo, this.mib);
    d.memHi = Math.max(d.memHi, this.mib);
    d.balloonRanS = 0;
  }
  override toString(): string {
    return `${super.toString()} ${this.mib}m`;
  }
}

class VcpuSet extends OnDom {
  readonly verb = 'vcpu-set';
  async on(m: Model, r: Real, d: MDom): Promise<void> {
    const n = 1 + (this.arg % (d.maxVcpus + 1));
    const res = await xl(r, d.host, this.toString(), 'vcpu-set', d.name, String(n));
    if (n > d.maxVcpus) {
      expect(res.code, `${this}: ${res.stderr}`).not.toBe(0);
      return;
    }
    expect(res, this.toString()).toEqual({ stdout: '', stderr: '', code: 0 });
    if (d.pauses > 0) d.vcpusHeld = n;
    else {
      d.vcpus = n;
      delete d.vcpusHeld;
    }
  }
}

const VDEVS = ['xvdb', 'xvdc', 'xvdd'];

class Device extends OnDom {
  constructor(
    pick: number,
    readonly verb: 'block-attach' | 'block-detach' | 'network-attach' | 'network-detach',
  ) {
    super(pick);
  }
  override admits(d: MDom): boolean {
    if (!stable(d)) return false;
    switch (this.verb) {
      case 'block-attach':
        return d.disks.length < VDEVS.length;
      case 'block-detach':
        return d.disks.length > 0;
      case 'network-attach':
        return d.nics.length < 3;
      case 'network-detach':
        return d.nics.length > 0;
    }
  }
  async on(m: Model, r: Real, d: MDom): Promise<void> {
    const what = this.toString();
    let res: RunResult;
    if (this.verb === 'block-attach') {
      const vdev = VDEVS.find((v) => !d.disks.includes(v))!;
      // (a volume per guest, named by its uuid: a renamed guest keeps its own, and the
      // block script refuses one that another domain has open for writing)
      res = await xl(r, d.host, what, 'block-attach', d.name, `phy:/dev/vg/u${d.uuid}-${vdev},${vdev},w`);
      d.disks.push(vdev);
    } else if (this.verb === 'block-detach') {
      const vdev = d.disks[this.pick % d.disks.length]!;
      res = await xl(r, d.host, what, 'block-detach', d.name, vdev);
      if (d.pauses > 0) {
        // a paused guest cannot release the disk: libxl gives up after its
        // 10 s and the disk stays (a later detach of the running guest works)
        expect(res.code, what).toBe(1);
        expect(res.stderr, what).toMatch(/Unable to remove vbd with id \d+\nlibxl_device_disk_safe_remove failed\.\n$/);
        await expectDevices(r, d, what);
        return;
      }
      d.disks.splice(d.disks.indexOf(vdev), 1);
    } else if (this.verb === 'network-attach') {
      res = await xl(r, d.host, what, 'network-attach', d.name, 'bridge=xenbr0');
      d.nics.push(d.nics.length ? Math.max(...d.nics) + 1 : 0);
    } else {
      const id = d.nics[this.pick % d.nics.length]!;
      res = await xl(r, d.host, what, 'network-detach', d.name, String(id));
      d.nics.splice(d.nics.indexOf(id), 1);
    }
    expect(res, what).toEqual({ stdout: '', stderr: '', code: 0 });
    await expectDevices(r, d, what);
  }
}

/** block-list and network-list name exactly the model's devices */
async function expectDevices(r: Real, d: MDom, what: string): Promise<void> {
  const bl = await xl(r, d.host, what, 'block-list', d.name);
  expect(bl.stderr, what).toBe('');
  const vdevs = bl.stdout.split('\n').slice(1).filter((l) => l !== '').map((l) => Number(l.split(/\s+/)[0]));
  // xvdb is 51728, each next letter 16 more
  expect(vdevs.sort(), what).toEqual(d.disks.map((v) => 51712 + 16 * (v.charCodeAt(3) - 97)).sort());
  const nl = await xl(r, d.host, what, 'network-list', d.name);
  const ids = nl.stdout.split('\n').slice(1).filter((l) => l !== '').map((l) => Number(l.split(/\s+/)[0]));
  expect(ids.sort(), what).toEqual([...d.nics].sort());
}

class Rename extends OnDom {
  readonly verb = 'rename';
  async on(m: Model, r: Real, d: MDom): Promise<void> {
    const to = NAMES[this.arg % NAMES.length]!;
    const res = await xl(r, d.host, this.toString(), 'rename', d.name, to);
    if (to !== d.name && find(m, d.host, to)) {
      expect(res, this.toString()).toMatchObject({ stdout: '', code: 1 });
      expect(res.stderr, this.toString()).toMatch(new RegExp(`Domain with name "${to}" already exists\\.\nCan't rename domain '${d.name}'\\.\n$`));
      return;
    }
    expect(res, this.toString()).toEqual({ stdout: '', stderr: '', code: 0 });
    d.name = to;
  }
  override admits(d: MDom, m: Model): boolean {
    // the new name must not be one whose guest is on its way down
    return stable(d) && !undecided(m, d.host, NAMES[this.arg % NAMES.length]!);
  }
}

class Save extends OnDom {
  readonly verb = 'save';
  // a paused guest cannot answer the suspend request: the save fails after
  // 60 s (test/saverestore/paused.test.ts)
  override admits(d: MDom): boolean {
    return stable(d) && d.pauses === 0;
  }
  async on(m: Model, r: Real, d: MDom): Promise<void> {
    const file = `${r.home}/s${m.nextFile++}.save`;
    const res = await xl(r, d.host, this.toString(), 'save', d.name, file);
    expect(res.code, `${this}: ${res.stderr}`).toBe(0);
    remove(m, d);
    m.saved.push({ file, dom: d });
  }
}

class Restore extends Base {
  constructor(
    readonly pick: number,
    readonly host: HostName,
  ) {
    super();
  }
  check(m: Readonly<Model>): boolean {
    if (m.saved.length === 0 || on(m as Model, this.host).length >= 4) return false;
    // two live domains with one uuid share /vm/<uuid>, on real Xen too
    const s = m.saved[this.pick % m.saved.length]!;
    return !m.doms.some((d) => d.uuid === s.dom.uuid) && !undecided(m as Model, this.host, s.dom.name);
  }
  async act(m: Model, r: Real): Promise<void> {
    const s = m.saved[this.pick % m.saved.length]!;
    this.touched = [this.host];
    const res = await xl(r, this.host, this.toString(), 'restore', s.file);
    if (find(m, this.host, s.dom.name)) {
      expect(res.code, `${this}: ${res.stderr}`).not.toBe(0);
      return;
    }
    expect(res.code, `${this}: ${res.stderr}`).toBe(0);
    // restore unpauses the guest (no -p); a balloon target still travels
    const moving = s.dom.memLo !== s.dom.memHi;
    m.doms.push({ ...s.dom, host: this.host, pauses: 0, disks: [...s.dom.disks], nics: [...s.dom.nics], balloonRanS: moving ? 0 : undefined });
    await expectDevices(r, m.doms[m.doms.length - 1]!, this.toString());
  }
  toString(): string {
    return `${this.host}: xl restore saved#${this.pick}`;
  }
}

class Migrate extends OnDom {
  readonly verb = 'migrate';
  override admits(d: MDom, m: Model): boolean {
    // a paused guest fails to suspend at the sender (test/migrate/paused.test.ts)
    return stable(d) && d.pauses === 0 && !undecided(m, other(d.host), d.name);
  }
  async on(m: Model, r: Real, d: MDom): Promise<void> {
    const to = other(d.host);
    const res = await xl(r, d.host, this.toString(), 'migrate', '-s', r.migrateVia, d.name, to);
    if (find(m, to, d.name)) {
      // the receiver refuses the name: the guest goes on at the sender
      expect(res.code, `${this}: ${res.stderr}`).not.toBe(0);
      return;
    }
    expect(res.code, `${this}: ${res.stderr}`).toBe(0);
    expect(res.stderr, this.toString()).toContain('Migration successful.\n');
    d.host = to;
    d.pauses = 0;
    if (d.memLo !== d.memHi) d.balloonRanS = 0;
  }
}

class Advance extends Base {
  constructor(
    readonly host: HostName,
    readonly s: number,
  ) {
    super();
  }
  check(): boolean {
    return true;
  }
  async act(m: Model, r: Real): Promise<void> {
    this.touched = [this.host];
    const res = await r.run('xlsim', ['clock', 'advance', `${this.s}s`], this.host);
    expect(res.code, res.stderr).toBe(0);
    settle(m, this.host, this.s);
  }
  toString(): string {
    return `${this.host}: xlsim clock advance ${this.s}s`;
  }
}


/** two guests to start from, so that even a short sequence has something to act on */
export function startingGuests(): Cmd[] {
  return [new Create('a', 'g0', 64, 64, 1, 1, false), new Create('b', 'g1', 96, 0, 2, 0, false)];
}

export function commandArbs(opts: { migrate: boolean; saveRestore: boolean }): fc.Arbitrary<Cmd>[] {
  const host = fc.constantFrom(...HOSTS);
  const pick = fc.nat({ max: 7 });
  const create = fc
    .tuple(host, fc.constantFrom(...NAMES), fc.constantFrom(64, 96, 128), fc.constantFrom(0, 64), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.boolean())
    .map(([h, n, mem, em, v, ev, p]): Cmd => new Create(h, n, mem, em, v, ev, p));
  const simple = fc
    .tuple(pick, fc.constantFrom('pause', 'unpause', 'unpause', 'destroy', 'shutdown', 'reboot', 'crash') as fc.Arbitrary<Simple['verb']>)
    .map(([p, v]): Cmd => new Simple(p, v));
  const memSet = fc.tuple(pick, fc.constantFrom(48, 64, 80, 100, 128, 160, 200)).map(([p, mib]): Cmd => new MemSet(p, mib));
  const vcpuSet = fc.tuple(pick, fc.nat({ max: 5 })).map(([p, n]): Cmd => new VcpuSet(p, n));
  const rename = fc.tuple(pick, fc.nat({ max: NAMES.length - 1 })).map(([p, n]): Cmd => new Rename(p, n));
  const device = fc
    .tuple(pick, fc.constantFrom('block-attach', 'block-detach', 'network-attach', 'network-detach') as fc.Arbitrary<Device['verb']>)
    .map(([p, v]): Cmd => new Device(p, v));
  const advance = fc.tuple(host, fc.constantFrom(1, 5, 30, 61)).map(([h, s]): Cmd => new Advance(h, s));
  // fc.commands picks among these evenly: the cheap ones come several times
  const arbs: fc.Arbitrary<Cmd>[] = [create, create, create, simple, simple, simple, simple, memSet, memSet, vcpuSet, rename, device, device, device, advance, advance, advance];
  if (opts.saveRestore) {
    arbs.push(pick.map((p): Cmd => new Save(p)));
    arbs.push(fc.tuple(pick, host).map(([p, h]): Cmd => new Restore(p, h)));
  }
  // a migration spawns the receiving xl: the one expensive command
  if (opts.migrate) arbs.push(fc.nat({ max: 63 }).map((p): Cmd => (p < 56 ? new Advance(HOSTS[p % 2]!, 1) : new Migrate(p))));
  return arbs;
}
