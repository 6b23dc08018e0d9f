/**
 * The views of `xlsim inspect <dom>`, each as text and as JSON. Memory map
 * and emulation come from lib/xen/layout (derived from the stored config, as
 * libxl derived them when it built the guest); paging and vCPUs are read
 * from the hypervisor's own record, so they show what is, not what was asked.
 */
import {
  emulationDescFromConfig,
  emulationReport,
  emulationToJson,
  guestMapToJson,
  guestMemoryMap,
  layoutDescFromConfig,
  pagingFromConfig,
  renderEmulationText,
  renderGuestMapText,
  renderMapSvg,
  type GuestMemoryMap,
} from '../../lib/xen/layout';
import { emulationFlagNames } from '../../lib/xen/emulation';
import { formatSeconds } from '../../lib/sim/timefmt';
import { sprintf } from '../../lib/util/printf';
import type { InspectData } from './inspect-data';
import { pagingModelJson, pagingModelRows } from './inspect-paging';

export const VIEWS = ['summary', 'memmap', 'paging', 'emulation', 'vcpus', 'xenstore'] as const;
export type View = (typeof VIEWS)[number];

const KIND_NAME = { pv: 'PV', pvh: 'PVH', hvm: 'HVM' } as const;

function title(d: InspectData): string {
  return `${d.name} (domid ${d.domid}), ${KIND_NAME[d.dom.kind]}`;
}

function mib(pages: number): string {
  return sprintf('%.1f MiB', pages / 256);
}

function line(k: string, v: string | number): string {
  return sprintf('%-18s%s\n', k === '' ? '' : `${k}:`, String(v));
}

function state(d: InspectData): string {
  const x = d.dom;
  if (x.dying !== 'alive') return 'dying';
  if (x.shutdown === 'complete') return `shut down (code ${x.shutdownCode})`;
  if (x.controllerPause > 0) return 'paused';
  return 'running';
}

function pagingName(d: InspectData): string {
  const m = d.dom.pagingMode;
  if (m === 'none') return 'none (PV: the guest keeps its own page tables, Xen validates every update)';
  if (m === 'shadow') return 'shadow (Xen keeps shadow page tables built from the guest\'s)';
  return 'HAP (hardware second-level tables: EPT on Intel, NPT on AMD)';
}

// ---- memmap ------------------------------------------------------------------

export function memoryMap(d: InspectData): GuestMemoryMap | undefined {
  return d.cfg ? guestMemoryMap(layoutDescFromConfig(d.cfg, d.hostHap)) : undefined;
}

export function memmapSvg(d: InspectData, map: GuestMemoryMap): string {
  return renderMapSvg(map.physical, `Guest-physical memory of ${d.name} (domid ${d.domid})`, `${KIND_NAME[map.type]}: ${map.xenPlacement}`);
}

// ---- views -------------------------------------------------------------------

function summaryText(d: InspectData): string {
  const x = d.dom;
  const online = d.vcpus.filter((v) => v.online).length;
  return (
    line('domain', title(d)) +
    line('uuid', x.handle) +
    line('state', state(d)) +
    line('created', `${formatSeconds(x.createdNs)} s since host boot`) +
    line('memory', `${mib(x.totPages)} (tot_pages ${x.totPages}, max_pages ${x.maxPages})`) +
    line('vcpus', `${online} online of ${x.maxVcpus}`) +
    line('paging', pagingName(d)) +
    line('paging pool', `${mib(x.pagingPoolPages)} (${x.pagingPoolPages} pages)`) +
    line('emulation_flags', `0x${x.emulationFlags.toString(16)}${x.emulationFlags ? ` (${emulationFlagNames(x.emulationFlags).join(' ')})` : ''}`) +
    line('altp2m', x.altp2m.mode === 'disabled' ? 'disabled' : `${x.altp2m.mode}, ${x.altp2m.nr} views`) +
    '\nViews: xlsim inspect ' +
    d.name +
    ' memmap|paging|emulation|vcpus|xenstore [--json]\n'
  );
}

function summaryJson(d: InspectData): Record<string, unknown> {
  const x = d.dom;
  return {
    domid: d.domid,
    name: d.name,
    uuid: x.handle,
    type: x.kind,
    state: state(d),
    created_ns: x.createdNs,
    tot_pages: x.totPages,
    max_pages: x.maxPages,
    max_vcpus: x.maxVcpus,
    online_vcpus: d.vcpus.filter((v) => v.online).length,
    paging_mode: x.pagingMode,
    paging_pool_pages: x.pagingPoolPages,
    emulation_flags: x.emulationFlags,
    emulation_flag_names: emulationFlagNames(x.emulationFlags),
    altp2m: { mode: x.altp2m.mode, nr: x.altp2m.nr },
  };
}

function pagingJson(d: InspectData): Record<string, unknown> {
  const x = d.dom;
  const asked = d.cfg && !x.hwdom ? pagingFromConfig(d.cfg, d.hostHap) : undefined;
  return {
    domid: d.domid,
    name: d.name,
    type: x.kind,
    mode: x.pagingMode,
    hap: x.hap,
    pool_pages: x.pagingPoolPages,
    pool_kib: x.pagingPoolPages * 4,
    ...(asked ? { config: { mode: asked.mode, pool_kib: asked.poolKiB, explicit: asked.explicit, max_vcpus: asked.maxVcpus, maxmem_mib: asked.maxmemMiB } } : {}),
    tot_pages: x.totPages,
    max_pages: x.maxPages,
    outstanding_pages: x.outstandingPages,
    pod: { target: x.podTarget, entries: x.podEntries, cache: x.podCache },
    shared_pages: x.sharedPages,
    paged_pages: x.pagedPages,
    altp2m: { mode: x.altp2m.mode, nr: x.altp2m.nr, host_enabled: d.hostAltp2m },
    ...(d.paging ? { model: pagingModelJson(d.paging) } : {}),
  };
}

function pagingText(d: InspectData): string {
  const x = d.dom;
  // dom0 is built by Xen from its command line, not by libxl's formula
  const asked = d.cfg && !x.hwdom ? pagingFromConfig(d.cfg, d.hostHap) : undefined;
  let out = line('domain', title(d)) + line('paging mode', pagingName(d));
  out += line('paging pool', `${x.pagingPoolPages} pages = ${mib(x.pagingPoolPages)} (not in tot_pages: "no owner" pages from the free heap)`);
  if (asked) {
    const how = asked.explicit
      ? 'shadow_memory='
      : `libxl: 4 KiB x (256 x ${asked.maxVcpus} vCPUs + ${asked.mode === 'shadow' ? 2 : 1} x ${asked.maxmemMiB} MiB maxmem)`;
    out += line('pool asked', sprintf('%d KiB (%s)', asked.poolKiB, how));
    if (asked.mode === 'none') out += line('', 'a PV guest needs it only while shadow log-dirty mode runs (live migration, save)');
  }
  out +=
    line('memory', `tot_pages ${x.totPages} (${mib(x.totPages)}), max_pages ${x.maxPages} (${mib(x.maxPages)})`) +
    line('outstanding', `${x.outstandingPages} pages claimed, not yet allocated`) +
    line('PoD', x.podTarget || x.podEntries ? `target ${x.podTarget}, entries ${x.podEntries}, cache ${x.podCache}` : 'off (memory = maxmem)') +
    line('shared / paged', `${x.sharedPages} / ${x.pagedPages} pages`) +
    line('altp2m', `${x.altp2m.mode === 'disabled' ? 'disabled' : `${x.altp2m.mode}, ${x.altp2m.nr} views`}; host altp2m=${d.hostAltp2m ? '1' : '0'}`);
  if (d.paging) for (const [k, v] of pagingModelRows(d.paging)) out += line(k, v);
  return out;
}

function vcpusText(d: InspectData): string {
  let out = sprintf('%-5s %-4s %-8s %12s  %s\n', 'VCPU', 'CPU', 'State', 'Time(s)', 'Affinity (Hard / Soft)');
  for (const v of d.vcpus) {
    const st = !v.online ? '-p-' : v.running ? 'r--' : v.blocked ? '-b-' : '---';
    out += sprintf('%-5d %-4s %-8s %12.1f  %s / %s\n', v.vcpu, v.online ? String(v.cpu) : '-', st, v.timeNs / 1e9, cpuList(v.hard), cpuList(v.soft));
  }
  return out;
}

function cpuList(cpus: readonly number[]): string {
  if (cpus.length === 0) return 'none';
  const parts: string[] = [];
  let i = 0;
  while (i < cpus.length) {
    let j = i;
    while (j + 1 < cpus.length && cpus[j + 1] === cpus[j]! + 1) j++;
    parts.push(j > i ? `${cpus[i]}-${cpus[j]}` : String(cpus[i]));
    i = j + 1;
  }
  return parts.join(',');
}

function quoteXs(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function xenstoreText(d: InspectData): string {
  return d.xenstore.map(([p, v]) => `${p} = "${quoteXs(v)}"\n`).join('');
}

export type Rendered = { ok: true; text: string; json: unknown } | { ok: false; error: string };

export function renderView(d: InspectData, view: View): Rendered {
  switch (view) {
    case 'summary':
      return { ok: true, text: summaryText(d), json: summaryJson(d) };
    case 'memmap': {
      const map = memoryMap(d);
      if (!map) return { ok: false, error: `${d.name} (domid ${d.domid}) has no stored configuration to derive its memory map from` };
      return { ok: true, text: renderGuestMapText(map, `Memory map of ${title(d)}`), json: { domid: d.domid, name: d.name, ...guestMapToJson(map) } };
    }
    case 'paging':
      return { ok: true, text: pagingText(d), json: pagingJson(d) };
    case 'emulation': {
      if (!d.cfg) return { ok: false, error: `${d.name} (domid ${d.domid}) has no stored configuration` };
      const desc = emulationDescFromConfig(d.cfg, { hwdom: d.dom.hwdom, flags: d.dom.emulationFlags, domid: d.domid, hostHap: d.hostHap });
      desc.type = d.dom.kind;
      const r = emulationReport(desc);
      return { ok: true, text: `${line('domain', title(d))}\n${renderEmulationText(r)}`, json: { domid: d.domid, name: d.name, ...emulationToJson(r) } };
    }
    case 'vcpus':
      return {
        ok: true,
        text: vcpusText(d),
        json: d.vcpus.map((v) => ({ vcpu: v.vcpu, online: v.online, running: v.running, blocked: v.blocked, cpu: v.online ? v.cpu : null, time_ns: v.timeNs, hard: v.hard, soft: v.soft })),
      };
    case 'xenstore':
      return { ok: true, text: xenstoreText(d), json: Object.fromEntries(d.xenstore) };
  }
}
