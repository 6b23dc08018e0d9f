/**
 * The guest workload as the migration engine sees it: how fast the guest
 * writes to memory and over how many pages. `xlsim guest <dom> workload
 * --dirty-rate R --wss S` (and the guest shell's memory hog) set this
 * record; save and migrate read it to decide what the guest dirties while
 * a pre-copy round is on the wire.
 *
 * Record: namespace `workload`, key = domid (decimal), value `WorkloadRecord`.
 */
import type { LibxlCtx } from './ctx';
import type { LogDirty } from '../xen/logdirty';

export const WORKLOAD_NS = 'workload';

export interface WorkloadRecord {
  /** page writes per simulated second (4 KiB pages); 0 = idle */
  dirtyRate: number;
  /** working set, in pages: writes land on page indices [0, wss) of the guest */
  wss: number;
}

export function getWorkload(lx: LibxlCtx, domid: number): WorkloadRecord {
  const w = lx.records.get<WorkloadRecord>(WORKLOAD_NS, String(domid));
  return w && w.dirtyRate > 0 && w.wss > 0 ? w : { dirtyRate: 0, wss: 0 };
}

/** Records the workload and tells the hypervisor, whose paging model the writes go through. */
export function setWorkload(lx: LibxlCtx, domid: number, w: WorkloadRecord): void {
  const on = w.dirtyRate > 0 && w.wss > 0;
  if (on) lx.records.put(WORKLOAD_NS, String(domid), w);
  else lx.records.delete(WORKLOAD_NS, String(domid));
  lx.hv.setGuestMemoryActivity(domid, on ? w.dirtyRate : 0, on ? w.wss : 0);
}

export function moveWorkload(lx: LibxlCtx, from: number, to: number): void {
  const w = lx.records.get<WorkloadRecord>(WORKLOAD_NS, String(from));
  lx.records.delete(WORKLOAD_NS, String(from));
  if (w) setWorkload(lx, to, w);
}

/**
 * A small deterministic generator (mulberry32) seeded once per save from the
 * host's seeded generator, so the pages a workload dirties are reproducible
 * under the same seed and commands.
 */
export class PageChooser {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  static fromUuid(uuid: string): PageChooser {
    return new PageChooser(parseInt(uuid.replace(/-/g, '').slice(0, 8), 16) || 1);
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/**
 * Runs the workload for `ns` of simulated time: rate×time writes to random
 * pages of the working set, each going through log-dirty. Writes beyond a
 * few passes over the working set change nothing observable (every page of
 * it is dirty already), so they are capped there.
 */
export class WorkloadRunner {
  private carry = 0;
  constructor(private readonly w: WorkloadRecord, private readonly rng: PageChooser) {}

  get idle(): boolean {
    return this.w.dirtyRate <= 0 || this.w.wss <= 0;
  }

  run(ld: LogDirty, ns: number): number {
    if (this.idle || ns <= 0) return 0;
    const wss = Math.min(this.w.wss, ld.image.nrPages);
    if (wss <= 0) return 0;
    const exact = (this.w.dirtyRate * ns) / 1e9 + this.carry;
    let writes = Math.floor(exact);
    this.carry = exact - writes;
    writes = Math.min(writes, wss * 4);
    for (let i = 0; i < writes; i++) ld.write(Math.floor(this.rng.next() * wss));
    return writes;
  }
}
