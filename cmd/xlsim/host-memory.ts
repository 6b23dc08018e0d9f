/**
 * `xlsim host show --memory`: the host's own view — where Xen, dom0, each
 * guest's pages and each paging pool sit in machine memory — as a table and
 * box diagram, JSON, or an SVG picture (lib/xen/layout/hostmap tells the
 * story; this file only feeds it the hypervisor's records and the names).
 */
import { hostMapToJson, hostMemoryMap, renderHostMapText, renderMapSvg, type HostMemoryMap } from '../../lib/xen/layout';
import { decodeDomainRecord, type StoredDomain } from '../../lib/xen/record';
import type { Session } from '../../state/session';
import { hostRecord } from './inspect-data';

export function hostMap(s: Session): HostMemoryMap {
  const domains = s.domainRecords<StoredDomain>().map((r) => decodeDomainRecord(r.data));
  const names: Record<number, string> = {};
  for (const d of domains) {
    const n = s.xs.tryRead(`/local/domain/${d.domid}/name`);
    if (n !== undefined) names[d.domid] = n;
  }
  return hostMemoryMap(hostRecord(s), domains, names);
}

export function hostMapText(hostName: string, map: HostMemoryMap): string {
  return `Memory of host ${hostName}:\n\n${renderHostMapText(map)}`;
}

export function hostMapJson(hostName: string, map: HostMemoryMap): Record<string, unknown> {
  return { host: hostName, ...hostMapToJson(map) };
}

export function hostMapSvg(hostName: string, map: HostMemoryMap): string {
  return renderMapSvg(map.regions, `Host-physical memory of ${hostName}`, `${map.totalPages} pages, ${map.freePages} free; placement illustrative (Xen keeps counts, not addresses)`);
}
