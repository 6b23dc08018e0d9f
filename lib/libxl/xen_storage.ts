/**
 * The hypervisor's storage (lib/xen/storage.ts contract) over a host
 * session: the host record under "xen.host", one domain record per domid.
 * Objects are cached for the session so the hypervisor sees one mutable
 * record per domain; the host record is written back by flush().
 */
import type { Session } from '../../state/session';
import type { XenStorage } from '../xen/storage';
import type { XenDomainData, XenHostData } from '../xen/types';
import { decodeDomainRecord, encodeDomainRecord, type StoredDomain } from '../xen/record';

export const REC_XEN_HOST = 'xen.host';

export class SessionXenStorage implements XenStorage {
  private hostData: XenHostData | undefined;
  private dirty = false;
  private readonly cache = new Map<number, XenDomainData>();
  private all: XenDomainData[] | undefined;
  readonly rng: { uuid(): string };

  constructor(private readonly s: Session) {
    this.rng = { uuid: () => s.rng.uuid() };
  }

  host(): XenHostData {
    if (!this.hostData) {
      const h = this.s.getRecord<XenHostData>(REC_XEN_HOST);
      if (!h) throw new Error(`host '${this.s.hostName}' has no hypervisor record (was it booted?)`);
      this.hostData = h;
    }
    return this.hostData;
  }

  /** for the boot routine: a freshly built host record */
  setHost(h: XenHostData): void {
    this.hostData = h;
    this.dirty = true;
  }

  markHostDirty(): void {
    this.dirty = true;
  }

  domain(id: number): XenDomainData | undefined {
    const c = this.cache.get(id);
    if (c) return c;
    if (this.all) return undefined;
    const raw = this.s.getDomainRecord<StoredDomain>(id);
    if (!raw) return undefined;
    const d = decodeDomainRecord(raw);
    this.cache.set(id, d);
    return d;
  }

  domains(): XenDomainData[] {
    if (!this.all) {
      for (const r of this.s.domainRecords<StoredDomain>()) {
        if (!this.cache.has(r.domid)) this.cache.set(r.domid, decodeDomainRecord(r.data));
      }
      this.all = [];
    }
    return [...this.cache.values()];
  }

  domids(): number[] {
    // records are written through on every put and delete, so the table knows
    return this.s.domids();
  }

  putDomain(d: XenDomainData): void {
    this.cache.set(d.domid, d);
    this.s.putDomainRecord(d.domid, encodeDomainRecord(d));
  }

  removeDomain(id: number): void {
    this.cache.delete(id);
    this.s.deleteDomainRecord(id);
  }

  now(): number {
    return this.s.clock.now();
  }

  flush(): void {
    if (this.dirty && this.hostData) {
      this.s.putRecord(REC_XEN_HOST, this.hostData);
      this.dirty = false;
    }
  }
}
