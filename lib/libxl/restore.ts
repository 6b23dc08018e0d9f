/**
 * libxl_domain_create_restore's two halves around the stream: the domain is
 * made like a new one (libxl__domain_make + build, without booting an OS),
 * the stream fills it, and then its memory image and the guest's running
 * state are installed. xl's restore and migrate-receive drive the reader in
 * between, outside any transaction (the stream may come from a pipe).
 */
import type { LibxlCtx } from './ctx';
import { domainCreateNew, type CreateResult } from './create';
import { ERROR_FAIL, type LibxlRc } from './errors';
import type { DomainConfig } from './types';
import { storePageImageData } from './save-pages';
import { applyGuestTimeState } from './save-guest';
import { HVM_LOWMEM_END_PFN, pageImageData, pfnOfIndex } from '../xen/logdirty';
import type { GuestWorkload, PageTokenMap, TscInfo } from './stream';
import { setWorkload } from './workload';

export function restoreCreateDomain(lx: LibxlCtx, d: DomainConfig): CreateResult {
  return domainCreateNew(lx, d);
}

/** One past the highest pfn of the new domain's RAM: what the stream will fill. */
export function restorePfnSpan(lx: LibxlCtx, domid: number): number {
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok || info.value.totPages <= 0) return 0;
  return pfnOfIndex(info.value.hvm, info.value.totPages - 1) + 1;
}

export interface RestoredState {
  memory: PageTokenMap;
  tsc: TscInfo | null;
  /** the guest's memory writer, when the sender's guest had one */
  workload?: GuestWorkload;
}

/** The received image becomes the domain's memory; the guest continues from the TSC info. */
export function restoreInstall(lx: LibxlCtx, domid: number, st: RestoredState): LibxlRc {
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok) return ERROR_FAIL;
  const hvm = info.value.hvm;
  const size = st.memory.size;
  // RAM is pages [0, size) at their pfns (HVM: around the MMIO hole); every
  // received pfn must be one of them, so those pfns hold exactly `size` pages
  const low = hvm ? Math.min(size, HVM_LOWMEM_END_PFN) : size;
  const high = size - low;
  const highPfn = pfnOfIndex(hvm, low);
  const inRam = st.memory.countPresent(0, low) + (high ? st.memory.countPresent(highPfn, highPfn + high) : 0);
  if (inRam !== size) return ERROR_FAIL; // a hole in the image: not this guest's layout
  const runs: Array<[number, Uint32Array]> = [[0, st.memory.lowWordsView(0, low)]];
  if (high) runs.push([low, st.memory.lowWordsView(highPfn, high)]);
  const image = pageImageData(hvm, size, runs);
  const have = info.value.totPages;
  // the allocation follows the sender's (ballooning, video RAM); best effort within max_mem
  if (have < st.memory.size) lx.hv.populate_physmap(domid, st.memory.size - have);
  else if (have > st.memory.size) lx.hv.decrease_reservation(domid, have - st.memory.size);
  // the received digest is the image's when every token fitted the image's 32-bit generations
  storePageImageData(lx, domid, image, st.memory.lowWordsOnly ? st.memory.value() : undefined);
  if (st.tsc) applyGuestTimeState(lx, domid, { uptimeNs: Number(st.tsc.nsec), flags: st.tsc.incarnation });
  if (st.workload) setWorkload(lx, domid, { dirtyRate: st.workload.dirtyRate, wss: st.workload.wss });
  // The allocation came from the stream, not from memory/target: a guest
  // saved before its balloon driver reached a new target (mem-set just
  // before save or migrate) would otherwise stay off it for good. On resume
  // xenbus fires its watches once and the driver takes the target up again.
  const now = lx.hv.getdomaininfo(domid);
  const target = Number(lx.xs.tryRead(`/local/domain/${domid}/memory/target`));
  if (now.ok && Number.isSafeInteger(target) && now.value.totPages !== Math.floor(target / 4)) lx.hooks.memoryTargetChanged(domid);
  return 0;
}

/** The messages libxc prints once the stream is in (xg_sr_restore.c, xc_dom's store/console). */
export function restoreDoneLines(lx: LibxlCtx, domid: number): string[] {
  const info = lx.hv.getdomaininfo(domid);
  const hvm = info.ok && info.value.hvm;
  const pages = info.ok ? info.value.totPages : 0;
  // HVM: the special pfns below the MMIO hole; PV: the start-info frames at the top of the guest
  const store = hvm ? 0xfeffc : 0x100000 + pages + 1;
  const cons = hvm ? 0xfefff : 0x100000 + pages;
  return [`XenStore: mfn 0x${store.toString(16)}, dom 0, evt 1`, `Console: mfn 0x${cons.toString(16)}, dom 0, evt 2`];
}
