/**
 * Text forms of the host memory picture (`xlsim host show --memory`) and of
 * the emulation report (`xlsim inspect <dom> emulation`).
 */
import { sprintf } from '../../util/printf';
import type { EmulationReport } from './emulation';
import type { HostMemoryMap } from './hostmap';
import { hex64 } from './region';
import { renderMapDiagram, renderMapText } from './render-text';

function mib(pages: number): string {
  return sprintf('%.1f', pages / 256);
}

export function renderHostMapText(map: HostMemoryMap): string {
  const out: string[] = [];
  out.push(sprintf('%-40s %10s %10s  %s', 'owner', 'pages', 'MiB', 'host-physical ranges'));
  for (const r of map.rows) {
    const ranges = r.ranges.length ? r.ranges.map((s) => `${hex64(s.start)}-${hex64(s.end - 1n)}`) : ['-'];
    out.push(sprintf('%-40s %10d %10s  %s', r.owner, r.pages, mib(r.pages), ranges[0]));
    for (const more of ranges.slice(1)) out.push(sprintf('%-40s %10s %10s  %s', '', '', '', more));
  }
  out.push(
    sprintf('%-40s %10d %10s', 'total (total_pages)', map.totalPages, mib(map.totalPages)),
    sprintf('%-40s %10d %10s', 'free (xl info free_memory before claims)', map.freePages, mib(map.freePages)),
    '',
  );
  out.push('Host-physical address space:', '');
  out.push(renderMapDiagram(map.regions));
  out.push(renderMapText(map.regions));
  out.push('Notes:');
  for (const n of map.notes) out.push(`  - ${n}`);
  return out.join('\n') + '\n';
}

export function renderEmulationText(r: EmulationReport): string {
  const kind = r.type === 'pv' ? 'PV' : r.type === 'pvh' ? 'PVH' : 'HVM';
  const out: string[] = [];
  out.push(sprintf('guest type:        %s%s', kind, r.hwdom ? ' (hardware domain)' : ''));
  out.push(sprintf('emulation_flags:   %s%s', r.flagsHex, r.flags === r.requested ? '' : sprintf(' (libxl would request %s)', r.requested === 0 ? '0' : `0x${r.requested.toString(16)}`)));
  out.push(sprintf('Xen accepts it:    %s', r.accepted ? 'yes' : `no: ${r.refusal ?? ''}`));
  if (r.paging) out.push(sprintf('%-18s %s', 'paging:', r.paging.replace(/^paging: /, '')));
  out.push('', 'XEN_X86_EMU_* bits:');
  for (const b of r.bits) {
    out.push(sprintf('  %2d %-22s %-5s %-3s %-22s %s', b.bit, b.name, `0x${b.value.toString(16).padStart(3, '0')}`, b.set ? 'on' : '-', b.emulatedBy, b.meaning));
  }
  out.push('', `interrupts: ${r.interrupts}`, '');
  if (r.qemu) {
    out.push(`QEMU device model: -machine ${r.qemu.machine}`);
    for (const d of r.qemu.devices) out.push(sprintf('  %-20s %-60s [%s]', d.device, d.arg, d.controlledBy));
  } else if (r.noQemu) {
    out.push(`QEMU: none. ${r.noQemu}`);
  }
  out.push('', 'options and what they change:');
  for (const o of r.options) {
    out.push(sprintf('  %-32s %-26s %-15s %s', o.option, o.value, o.changesFlags ? 'changes flags' : 'flags unchanged', o.effect));
  }
  if (r.notes.length) {
    out.push('', 'Notes:');
    for (const n of r.notes) out.push(`  - ${n}`);
  }
  return out.join('\n') + '\n';
}
