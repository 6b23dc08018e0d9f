/**
 * What `xlsim inspect` looks at, gathered in one host transaction as plain
 * data: the hypervisor's domain record (the truth about paging, vCPUs and
 * emulation flags), the stored libxl config (what the layout is derived
 * from, as libxl derived it at build time) and dom0's xenstore view.
 */
import type { LibxlCtx } from '../../lib/libxl/ctx';
import { retrieveDomainConfiguration } from '../../lib/libxl/userdata';
import type { DomainConfig } from '../../lib/libxl/types';
import { decodeDomainRecord, type StoredDomain } from '../../lib/xen/record';
import type { XenDomainData, XenHostData } from '../../lib/xen/types';
import type { VcpuInfo } from '../../lib/xen/vcpu';
import type { PagingReport } from '../../lib/xen/paging-report';
import { REC_XEN_HOST } from '../../lib/libxl/xen_storage';
import type { Session } from '../../state/session';
import type { FoundDomain } from './out';

export interface InspectData extends FoundDomain {
  dom: XenDomainData;
  cfg: DomainConfig | undefined;
  /** the host offers HAP (hardware and the hap boot option) */
  hostHap: boolean;
  /** the host's altp2m= boot option */
  hostAltp2m: boolean;
  vcpus: VcpuInfo[];
  /** the hypervisor's paging model, brought up to now */
  paging: PagingReport | undefined;
  /** dom0's view of /local/domain/<domid>, depth first, in creation order */
  xenstore: [string, string][];
}

export function hostRecord(s: Session): XenHostData {
  const h = s.getRecord<XenHostData>(REC_XEN_HOST);
  if (!h) throw new Error(`host '${s.hostName}' has no hypervisor record`);
  return h;
}

function walk(lx: LibxlCtx, path: string, out: [string, string][]): void {
  const v = lx.xs.tryRead(path);
  out.push([path, v ?? '']);
  const kids = lx.xs.directory(path);
  if (!Array.isArray(kids)) return;
  for (const k of kids) walk(lx, `${path}/${k}`, out);
}

export function gatherInspect(s: Session, lx: LibxlCtx, found: FoundDomain): InspectData | undefined {
  // first, so the record read next is up to date with the clock
  const pr = lx.hv.paging_report(found.domid);
  const raw = s.getDomainRecord<StoredDomain>(found.domid);
  if (!raw) return undefined;
  const dom = decodeDomainRecord(raw);
  const host = hostRecord(s);
  const vl = lx.hv.vcpuList(found.domid);
  const xenstore: [string, string][] = [];
  walk(lx, `/local/domain/${found.domid}`, xenstore);
  return {
    ...found,
    dom,
    cfg: retrieveDomainConfiguration(lx, found.domid),
    hostHap: host.caps.hap && host.opts.hap,
    hostAltp2m: host.opts.altp2m,
    vcpus: vl.ok ? vl.value : [],
    paging: pr.ok ? pr.value : undefined,
    xenstore,
  };
}
