/**
 * libxl userdata (libxl_dom.c libxl_userdata_store/retrieve, libxl_domain.c
 * retrieve_domain_configuration): per-domain blobs a real host keeps as
 * /var/lib/xen/userdata-d.<domid>.<uuid>.<key>. "libxl-json" is the stored
 * domain configuration (written at the end of create, after defaults), "xl"
 * the raw config text `xl config-update` leaves for the next restart.
 *
 * Retrieval refreshes the stored config with live values, as libxl does:
 * name, uuid, online vCPUs, memory target/static-max and scheduler params.
 */
import type { LibxlCtx } from './ctx';
import { domainConfigFromJson, domainConfigToJson } from './json';
import { libxlLog, where } from './log';
import { newDomainConfig, type DomainConfig } from './types';

const NS = 'libxl.userdata';

function key(domid: number, what: string): string {
  return `${domid}.${what}`;
}

export function userdataStore(lx: LibxlCtx, domid: number, what: string, data: string): void {
  lx.records.put(NS, key(domid, what), data);
}

export function userdataRetrieve(lx: LibxlCtx, domid: number, what: string): string | undefined {
  return lx.records.get<string>(NS, key(domid, what));
}

export function userdataUnlink(lx: LibxlCtx, domid: number, what?: string): void {
  if (what !== undefined) {
    lx.records.delete(NS, key(domid, what));
    return;
  }
  for (const { key: k } of lx.records.list<string>(NS)) {
    if (k.startsWith(`${domid}.`)) lx.records.delete(NS, k);
  }
}

/** libxl__set_domain_configuration */
export function setDomainConfiguration(lx: LibxlCtx, domid: number, cfg: DomainConfig): void {
  userdataStore(lx, domid, 'libxl-json', domainConfigToJson(cfg));
}

/** libxl__get_domain_configuration: the stored config as written */
export function getDomainConfiguration(lx: LibxlCtx, domid: number): DomainConfig | undefined {
  const text = userdataRetrieve(lx, domid, 'libxl-json');
  if (text === undefined) return undefined;
  const r = domainConfigFromJson(text);
  return r.ok ? r.value : undefined;
}

/**
 * libxl_retrieve_domain_configuration. Dom0's stub (what xen-init-dom0
 * stores) is created on demand. Undefined after libxl's error line when
 * nothing is stored.
 */
export function retrieveDomainConfiguration(lx: LibxlCtx, domid: number): DomainConfig | undefined {
  let cfg = getDomainConfiguration(lx, domid);
  const r = lx.hv.getdomaininfo(domid);
  const d = r.ok ? r.value : undefined;
  if (!cfg && domid === 0 && d) {
    cfg = newDomainConfig();
    cfg.c_info.type = 'pv';
    cfg.c_info.uuid = d.handle;
    cfg.b_info.type = 'pv';
  }
  if (!cfg || !d) {
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 2328, 'retrieve_domain_configuration_lock_acquired'), domid, 'Fail to get domain configuration');
    return undefined;
  }
  const dompath = `/local/domain/${domid}`;
  const name = lx.xs.tryRead(`${dompath}/name`);
  if (name !== undefined) cfg.c_info.name = name;
  cfg.c_info.uuid = d.handle;
  const vcpus = lx.hv.vcpuList(domid);
  if (vcpus.ok) cfg.b_info.avail_vcpus = vcpus.value.filter((v) => v.online).map((v) => v.vcpu);
  if (domid === 0) cfg.b_info.max_vcpus = d.maxVcpuId + 1;
  const target = lx.xs.tryRead(`${dompath}/memory/target`);
  const smax = lx.xs.tryRead(`${dompath}/memory/static-max`);
  if (target !== undefined && /^\d+$/.test(target)) {
    // memory/target holds what the guest may use: the stored target less
    // libxl's fudge (video RAM, and 1 MiB for an HVM guest with PoD), so
    // the fudge goes back on, computed from the saved config
    const b = cfg.b_info;
    const fudge = (b.video_memkb ?? 0) + (b.type === 'hvm' && (b.max_memkb ?? 0) > (b.target_memkb ?? 0) ? 1024 : 0);
    b.target_memkb = Number(target) + fudge;
  }
  else if (domid === 0) cfg.b_info.target_memkb = d.totPages * 4;
  if (smax !== undefined && /^\d+$/.test(smax)) cfg.b_info.max_memkb = Number(smax);
  else if (domid === 0) cfg.b_info.max_memkb = d.maxPages * 4;
  const sched = lx.hv.sched_id();
  const sp = lx.hv.schedGet(domid);
  cfg.b_info.sched_params = sp.ok ? { sched, weight: sp.value.weight, cap: sp.value.cap } : { sched };
  return cfg;
}

/**
 * What `xl config-update` leaves for the next restart: the raw text (the
 * "xl" userdata, as on a real host) and its parse, which the monitor uses
 * (the parser lives in xl, above this layer). ERROR_FAIL when the domain
 * does not exist.
 */
export function storeXlConfig(lx: LibxlCtx, domid: number, text: string, parsed: DomainConfig): number {
  if (!lx.hv.getdomaininfo(domid).ok) return -3;
  userdataStore(lx, domid, 'xl', text);
  userdataStore(lx, domid, 'xl-parsed', domainConfigToJson(parsed));
  return 0;
}
