/**
 * Consistency checks over the whole hypervisor state (`xlsim check`). Each
 * returned string names one violated rule; an empty list means healthy.
 */
import { CONTROLLER_PAUSE_MAX, DOMID_FIRST_RESERVED } from './constants';
import { pagingViolations } from './paging';
import type { XenDomainData, XenHostData } from './types';

export function checkInvariants(host: XenHostData, domains: XenDomainData[]): string[] {
  const v: string[] = [];
  let used = 0;
  let claims = 0;
  const seen = new Set<number>();
  for (const d of domains) {
    const id = `d${d.domid}`;
    if (seen.has(d.domid)) v.push(`${id}: domid appears twice`);
    seen.add(d.domid);
    if (!Number.isInteger(d.domid) || d.domid < 0 || d.domid >= DOMID_FIRST_RESERVED) v.push(`${id}: domid out of range`);
    if (d.controllerPause < 0 || d.controllerPause > CONTROLLER_PAUSE_MAX) {
      v.push(`${id}: controller pause count ${d.controllerPause} outside 0..${CONTROLLER_PAUSE_MAX}`);
    }
    if (d.totPages < 0 || d.pagingPoolPages < 0 || d.outstandingPages < 0) v.push(`${id}: negative page count`);
    if (d.podCache > d.totPages) v.push(`${id}: PoD cache ${d.podCache} exceeds tot_pages ${d.totPages}`);
    if (d.podEntries < 0 || d.podCache < 0) v.push(`${id}: negative PoD state`);
    if (d.dying === 'dead' && (d.totPages !== 0 || d.pagingPoolPages !== 0)) v.push(`${id}: dead domain still holds memory`);
    if (d.shutdown === 'none' && d.shutdownCode !== -1) v.push(`${id}: shutdown code ${d.shutdownCode} without shutdown`);
    if (d.shutdown !== 'none' && d.shutdownCode === -1) v.push(`${id}: shut down without a code`);
    if (d.vcpus.length !== d.maxVcpus) v.push(`${id}: ${d.vcpus.length} vCPUs but max_vcpus ${d.maxVcpus}`);
    d.vcpus.forEach((vc, i) => {
      if (vc.id !== i) v.push(`${id}: vCPU slot ${i} holds vCPU ${vc.id}`);
      if (vc.timeNs < 0) v.push(`${id}v${i}: negative CPU time`);
      if (vc.cpu < 0 || vc.cpu >= host.nrCpus) v.push(`${id}v${i}: on nonexistent CPU ${vc.cpu}`);
    });
    if (!host.cpupools.some((p) => p.id === d.cpupool)) v.push(`${id}: in nonexistent cpupool ${d.cpupool}`);
    v.push(...pagingViolations(d));
    used += d.totPages + d.pagingPoolPages;
    claims += d.outstandingPages;
  }
  if (!seen.has(0)) v.push('no domain 0');
  if (host.freePages < 0) v.push(`free pages negative (${host.freePages})`);
  const sum = host.freePages + used + host.xenPages;
  if (sum !== host.totalPages) {
    v.push(`memory does not add up: free ${host.freePages} + domains ${used} + xen ${host.xenPages} = ${sum} != total ${host.totalPages}`);
  }
  if (claims !== host.outstandingClaims) v.push(`outstanding claims ${host.outstandingClaims} != sum of domain claims ${claims}`);
  if (host.outstandingClaims > host.freePages) v.push(`claims ${host.outstandingClaims} exceed free pages ${host.freePages}`);
  if (host.domidLast < 0 || host.domidLast >= DOMID_FIRST_RESERVED) v.push(`domid cursor ${host.domidLast} out of range`);
  const poolCpus = host.cpupools.flatMap((p) => p.cpus);
  if (new Set(poolCpus).size !== poolCpus.length) v.push('a CPU is in two cpupools');
  return v;
}
