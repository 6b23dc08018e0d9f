/**
 * What the hypervisor needs from whoever keeps it alive between commands.
 *
 * The simulated Xen owns no storage: state/ (through the host session) loads
 * the host record and the domain records, hands them to `Xen` through this
 * interface and writes back what was marked dirty or put. Records are plain
 * JSON (lib/xen/types.ts), persisted opaquely by key: the host record once,
 * each domain under its domid.
 *
 * Contract:
 * - `host()` returns the same mutable object for the whole session; `Xen`
 *   mutates it in place and calls `markHostDirty()` after every change.
 * - `domain(id)` returns a mutable record (or undefined); after changing it
 *   `Xen` always calls `putDomain(d)` with that record (also used for new
 *   domains). `removeDomain(id)` deletes the record.
 * - `domains()` lists every record (any order; `Xen` sorts by domid);
 *   `domids()` only which domids exist, without reading any record.
 * - `now()` is the host's simulated time in ns since the epoch of the host
 *   clock; it never goes backwards within a session.
 * - `rng.uuid()` draws a fresh UUID string from the host's seeded generator.
 */
import type { XenDomainData, XenHostData } from './types';

export interface XenRng {
  uuid(): string;
}

export interface XenStorage {
  host(): XenHostData;
  markHostDirty(): void;
  domain(id: number): XenDomainData | undefined;
  domains(): XenDomainData[];
  domids(): number[];
  putDomain(d: XenDomainData): void;
  removeDomain(id: number): void;
  now(): number;
  rng: XenRng;
}

/** An in-memory storage for tests and for tools that build a host before saving it. */
export class MemoryXenStorage implements XenStorage {
  private readonly doms = new Map<number, XenDomainData>();
  hostDirty = false;
  clock: number;
  private uuidSeq = 0;
  readonly rng: XenRng;

  constructor(private readonly hostData: XenHostData, domains: XenDomainData[] = [], startNs = 0) {
    for (const d of domains) this.doms.set(d.domid, d);
    this.clock = startNs;
    this.rng = {
      uuid: () => {
        this.uuidSeq++;
        const hex = this.uuidSeq.toString(16).padStart(12, '0');
        return `00000000-0000-4000-8000-${hex}`;
      },
    };
  }
  host(): XenHostData {
    return this.hostData;
  }
  markHostDirty(): void {
    this.hostDirty = true;
  }
  domain(id: number): XenDomainData | undefined {
    return this.doms.get(id);
  }
  domains(): XenDomainData[] {
    return [...this.doms.values()];
  }
  domids(): number[] {
    return [...this.doms.keys()];
  }

  putDomain(d: XenDomainData): void {
    this.doms.set(d.domid, d);
  }
  removeDomain(id: number): void {
    this.doms.delete(id);
  }
  now(): number {
    return this.clock;
  }
  /** test helper: move the clock forward */
  advance(ns: number): void {
    this.clock += ns;
  }
}
