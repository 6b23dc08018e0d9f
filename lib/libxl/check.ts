/**
 * Consistency of the whole host as the toolstack sees it (`xlsim check`):
 * the hypervisor's own invariants, xenstore agreeing with the hypervisor
 * (every live domain has its /local/domain/N with name and /vm entry, no
 * orphaned trees), unique names, and xl's monitors watching live domains.
 */
import { checkDevices } from './devices-check';
import { checkIoStats } from './iostats';
import type { LibxlCtx } from './ctx';
import { monitors } from './monitor';

export function checkHost(lx: LibxlCtx): string[] {
  const problems: string[] = [];
  problems.push(...lx.hv.checkInvariants());
  const list = lx.hv.getdomaininfolist();
  const doms = list.ok ? list.value : [];
  const live = new Set(doms.map((d) => d.domid));
  const names = new Map<string, number>();
  for (const d of doms) {
    const dompath = `/local/domain/${d.domid}`;
    const name = lx.xs.tryRead(`${dompath}/name`);
    if (d.dying) continue;
    if (name === undefined) {
      problems.push(`d${d.domid}: no name in xenstore (${dompath}/name)`);
      continue;
    }
    if (name !== '') {
      const other = names.get(name);
      if (other !== undefined) problems.push(`name "${name}" used by d${other} and d${d.domid}`);
      else names.set(name, d.domid);
    }
    if (d.domid === 0) continue;
    const vm = lx.xs.tryRead(`${dompath}/vm`);
    if (vm === undefined) problems.push(`d${d.domid}: no ${dompath}/vm`);
    else {
      if (vm !== `/vm/${d.handle}`) problems.push(`d${d.domid}: ${dompath}/vm is ${vm} but the domain handle is ${d.handle}`);
      if (lx.xs.tryRead(`${vm}/name`) !== name) problems.push(`d${d.domid}: ${vm}/name disagrees with ${dompath}/name`);
    }
    if (lx.xs.tryRead(`${dompath}/domid`) !== String(d.domid)) problems.push(`d${d.domid}: ${dompath}/domid is not ${d.domid}`);
  }
  const entries = lx.xs.directory('/local/domain');
  if (Array.isArray(entries)) {
    for (const e of entries) {
      if (!/^\d+$/.test(e) || !live.has(Number(e))) problems.push(`/local/domain/${e} has no domain in the hypervisor`);
    }
  }
  const libxlDirs = lx.xs.directory('/libxl');
  if (Array.isArray(libxlDirs)) {
    // /libxl/pci and the like are libxl's own, not a domain's
    for (const e of libxlDirs) if (/^\d+$/.test(e) && !live.has(Number(e))) problems.push(`/libxl/${e} has no domain in the hypervisor`);
  }
  problems.push(...checkDevices(lx));
  problems.push(...checkIoStats(lx));
  for (const m of monitors(lx)) {
    if (m.exited || m.domid < 0) continue;
    if (!live.has(m.domid)) problems.push(`xl monitor [pid ${m.pid}] watches d${m.domid}, which does not exist`);
  }
  return problems;
}
