/**
 * libxl_domain_suspend → the save helper → xc_domain_save (xg_sr_save.c):
 * suspend the guest (non-live) or run the pre-copy loop under log-dirty
 * (live), then stream the pages and the end-of-checkpoint state.
 *
 * Pre-copy as xg_sr_save.c's simple policy: iteration 0 sends every page,
 * later ones what was dirtied meanwhile; stop when the previous CLEAN saw
 * fewer than 50 dirty pages (that small round is still sent live) or after
 * 5 iterations; then suspend and send the final dirty set. Time on the wire
 * is the pages over the host's link bandwidth; the workload dirties pages in
 * proportion to it.
 */
import type { LibxlCtx } from './ctx';
import { ERROR_FAIL, ERROR_GUEST_TIMEDOUT, type LibxlRc } from './errors';
import { domainSuspended, guestSuspendsAtOnce } from './suspend';
import { getDomainConfiguration } from './userdata';
import { altp2mInfo } from './altp2m';
import { getWorkload, PageChooser, WorkloadRunner } from './workload';
import { loadPageImage, pageImageDigest, storePageImage } from './save-pages';
import { bitmapIndices, LogDirty, pfnOfIndex, type PagingMode } from '../xen/logdirty';
import {
  qemuStateBlob,
  StreamWriter,
  writeStreamEpilogue,
  writeStreamPrologue,
  type StreamDomain,
} from './stream';
import { guestTimeState } from './save-guest';
import { GuestGlue } from './guest_glue';
import { sprintf } from '../util/printf';

export const MAX_BATCH_SIZE = 1024;
export const SPP_TARGET_DIRTY_COUNT = 50;
export const SPP_MAX_ITERATIONS = 5;
const PAGE_BYTES = 4096;
/** device-model and vCPU state save plus resume on the other side */
export const SUSPEND_RESUME_COST_NS = 40_000_000;

export interface SaveParams {
  live: boolean;
  debug?: boolean;
  /** the link the stream crosses; the host profile's migration bandwidth when omitted */
  bandwidthBytesPerSec?: number;
  /** the stream's file descriptor, for libxc's detail line (omitted: no such line) */
  fd?: number;
  /** called once the guest has answered the suspend request, with the stream's length up to then */
  onSuspend?: (streamOffset: number) => void;
  /** the libxc lines that open the save were logged already (a save resumed after a wait) */
  announced?: boolean;
  /** keep the page image the rounds advanced (false: the caller throws this host's state away) */
  persistImage?: boolean;
  /** the sink has written out what it is handed by the time it returns (the stream may reuse that memory) */
  sinkWritesAtOnce?: boolean;
}

/** XCFLAGS_LIVE, XCFLAGS_DEBUG (xenguest.h) */
const XCFLAGS_LIVE = 1;
const XCFLAGS_DEBUG = 2;

export interface IterationStats {
  iteration: number;
  sent: number;
  /** dirty pages the CLEAN after this round found */
  dirty: number;
  faults: number;
  durationNs: number;
  live: boolean;
}

export interface SaveStats {
  mode: PagingMode;
  /**
   * What noticing the guest's writes cost the hypervisor over the live
   * rounds: shadow faults (Xen's fault_count, re-shadowing after each CLEAN
   * included), EPT violations (HAP), or PML buffer-full exits.
   */
  traps: number;
  pages: number;
  rounds: IterationStats[];
  downtimeNs: number;
  totalNs: number;
  /** the pre-copy loop stopped on a small dirty set, not on the iteration cap (always true for a non-live save) */
  converged: boolean;
  /** bytes of the libxl stream (without the xl header) */
  streamBytes: number;
  linkBytesPerSec: number;
  /**
   * altp2m as it stood when the save began: Xen's stream carries only
   * HVM_PARAM_ALTP2M (the mode), never the views, so `views` alternate
   * views are gone on the other side.
   */
  altp2m: { mode: string; views: number };
}

/**
 * `unanswered`: the stream stopped where libxc asks for the suspend, since
 * the guest cannot answer at once (lib/libxl/suspend.ts guestSuspendsAtOnce);
 * the caller waits the request out and ends the save (saveSuspendFailed).
 */
export type SaveOutcome = { rc: 0; stats: SaveStats } | { rc: LibxlRc; unanswered?: true };

function pagingMode(lx: LibxlCtx, hvm: boolean, hap: boolean): PagingMode {
  if (!hvm || !hap) return 'shadow';
  return lx.hv.physinfo().caps.pml ? 'hap-pml' : 'hap';
}

/**
 * Writes the whole libxl stream of `domid` to `sink` and leaves the domain
 * suspended (shutdown reason suspend). The caller destroys, resumes or
 * hands it over afterwards.
 */
export function domainSuspendToStream(lx: LibxlCtx, domid: number, sink: (b: Buffer) => void, p: SaveParams): SaveOutcome {
  const info = lx.hv.getdomaininfo(domid);
  const img = loadPageImage(lx, domid);
  if (!info.ok || !img) return { rc: ERROR_FAIL };
  const d = info.value;
  const cfg = getDomainConfiguration(lx, domid);
  const hvm = d.hvm;
  const mode = pagingMode(lx, hvm, d.hap);
  const a2 = altp2mInfo(lx.hv, domid);
  const altp2m = a2.ok ? { mode: a2.value.mode, views: a2.value.views.length } : { mode: 'disabled', views: 0 };
  if (p.fd !== undefined && !p.announced) {
    const flags = (p.live ? XCFLAGS_LIVE : 0) | (p.debug ? XCFLAGS_DEBUG : 0);
    lx.xtl.log('detail', 'xc', `fd ${p.fd}, dom ${domid}, flags ${flags}, hvm ${hvm ? 1 : 0}`);
  }
  if (!p.announced) lx.xtl.log('info', 'xc', `Saving domain ${domid}, type x86 ${hvm ? 'HVM' : 'PV'}`);

  const nr = img.nrPages;
  const time = guestTimeState(lx, domid);
  let sd: StreamDomain = {
    type: hvm ? 'hvm' : 'pv',
    xenMajor: lx.hv.version().major,
    xenMinor: lx.hv.version().minor,
    vcpus: cfg?.b_info.max_vcpus ?? 1,
    maxPfn: Math.max(0, pfnOfIndex(hvm, Math.max(0, nr - 1))),
    tsc: { mode: 0, khz: 2_400_000, nsec: BigInt(time.uptimeNs), incarnation: time.flags },
    ...(hvm && cfg?.c_info.type === 'hvm' ? { emulator: { state: qemuStateBlob(), xenstore: [] as Array<[string, string]> } } : {}),
  };
  const load = getWorkload(lx, domid);
  if (load.dirtyRate > 0) sd = { ...sd, workload: { dirtyRate: load.dirtyRate, wss: load.wss } };
  // slabs: a 16 GiB guest's 4096 PAGE_DATA records go out in a few dozen buffers
  const w = new StreamWriter(sink, { slabBytes: 1 << 20, reuseSlab: p.sinkWritesAtOnce === true });
  writeStreamPrologue(w, sd);

  const ld = new LogDirty(mode, img);
  const runner = new WorkloadRunner(load, PageChooser.fromUuid(lx.rng.uuid()));
  const linkBps = p.bandwidthBytesPerSec ?? lx.migrationLinkBps;
  const nsPerPage = (PAGE_BYTES * 1e9) / linkBps;
  const pfns = new Float64Array(MAX_BATCH_SIZE);
  // tokens are generations: the low word of each, the high word stays 0
  const gens = new Uint32Array(MAX_BATCH_SIZE);
  const rounds: IterationStats[] = [];
  let totalNs = 0;

  /** send the pages listed (all when `which` is null); the guest runs if `running` */
  const send = (which: Uint32Array | null, prefix: string, running: boolean): number => {
    const count = which ? which.length : nr;
    let n = 0;
    let ns = 0;
    for (let s = 0; s < count; s += MAX_BATCH_SIZE) {
      const e = Math.min(count, s + MAX_BATCH_SIZE);
      if (which) {
        for (let k = s; k < e; k++) {
          const idx = which[k]!;
          pfns[k - s] = pfnOfIndex(hvm, idx);
          gens[k - s] = img.generation(idx);
        }
        w.pageBatchGenerations(pfns, gens, e - s);
      } else {
        // the generations as they are now (the workload runs between batches)
        const now = img.generationTable().subarray(s, e);
        // a batch never straddles the MMIO hole (its start is a multiple of the batch size)
        if (pfnOfIndex(hvm, e - 1) - pfnOfIndex(hvm, s) === e - 1 - s) w.pageBatchGenerations(pfnOfIndex(hvm, s), now, e - s);
        else {
          for (let k = s; k < e; k++) pfns[k - s] = pfnOfIndex(hvm, k);
          w.pageBatchGenerations(pfns, now, e - s);
        }
      }
      const dt = (e - s) * nsPerPage;
      ns += dt;
      if (running) {
        runner.run(ld, dt);
        ranNs += dt;
      }
      n = e;
      if (n % 1024 === 0 && n !== count) lx.xtl.progress('xc', prefix, n, count);
    }
    lx.xtl.progress('xc', prefix, count, count);
    totalNs += ns;
    return ns;
  };

  // the guest's time on the wire is off the host clock: hand it to Xen's paging model
  let ranNs = 0;
  const guestRan = (): void => {
    if (ranNs > 0) lx.hv.guestRanOffClock(domid, ranNs);
    ranNs = 0;
  };
  let traps = 0;
  const hvClean = (): void => {
    guestRan();
    const c = lx.hv.shadow_op(domid, 'clean');
    if (c.ok) traps += c.value.faultCount;
  };

  let downtimeNs = SUSPEND_RESUME_COST_NS;
  let converged = true;
  const unanswered: SaveOutcome = { rc: ERROR_GUEST_TIMEDOUT, unanswered: true };
  if (!p.live) {
    if (!guestSuspendsAtOnce(lx, domid)) return unanswered;
    suspendGuest(lx, domid);
    p.onSuspend?.(w.bytesWritten);
    const ns = send(null, 'Frames', false);
    downtimeNs += ns;
    rounds.push({ iteration: 0, sent: nr, dirty: 0, faults: 0, durationNs: ns, live: false });
  } else {
    ld.enable();
    logDirtyOn(lx, domid);
    let iteration = 0;
    let dirtyCount = nr;
    let bitmap: Uint32Array | null = null;
    for (;;) {
      const stop = dirtyCount < SPP_TARGET_DIRTY_COUNT || iteration >= SPP_MAX_ITERATIONS;
      let ns = 0;
      if (dirtyCount > 0) ns = send(bitmap, `Frames iteration ${iteration}`, true);
      const round: IterationStats = { iteration, sent: dirtyCount, dirty: 0, faults: 0, durationNs: ns, live: true };
      rounds.push(round);
      if (stop) break;
      iteration++;
      if (iteration >= SPP_MAX_ITERATIONS) {
        converged = false;
        break;
      }
      hvClean();
      const c = ld.clean();
      if (!c.ok) return { rc: ERROR_FAIL };
      round.dirty = c.stats.dirtyCount;
      round.faults = c.stats.faultCount;
      logRound(lx, round);
      bitmap = bitmapIndices(c.bitmap!, nr);
      dirtyCount = bitmap.length;
    }
    guestRan();
    if (!guestSuspendsAtOnce(lx, domid)) {
      // libxc's cleanup: log-dirty goes off whatever the outcome
      ld.disable();
      lx.hv.shadow_op(domid, 'off');
      return unanswered;
    }
    suspendGuest(lx, domid);
    p.onSuspend?.(w.bytesWritten);
    hvClean();
    if (mode !== 'shadow') traps = hapTraps(lx, domid, mode);
    const c = ld.clean();
    if (!c.ok) return { rc: ERROR_FAIL };
    const last = rounds[rounds.length - 1]!;
    last.dirty = c.stats.dirtyCount;
    last.faults = c.stats.faultCount;
    if (last.sent > 0) logRound(lx, last);
    const final = bitmapIndices(c.bitmap!, nr);
    const ns = final.length ? send(final, `Frames iteration ${iteration}`, false) : 0;
    downtimeNs += ns;
    rounds.push({ iteration, sent: final.length, dirty: 0, faults: 0, durationNs: ns, live: false });
    ld.disable();
    lx.hv.shadow_op(domid, 'off');
  }
  logRound(lx, rounds[rounds.length - 1]!);

  const digest = pageImageDigest(img);
  writeStreamEpilogue(w, sd, digest);
  w.flush();
  if (p.persistImage !== false) storePageImage(lx, domid, img);
  lx.xtl.progress('xc', 'End of stream', 0, 0);
  totalNs += SUSPEND_RESUME_COST_NS;
  lx.xtl.log('detail', 'xc', sprintf('Downtime %.1f ms, %lu bytes in %.6f s (%s)', downtimeNs / 1e6, w.bytesWritten, totalNs / 1e9, !p.live ? 'non-live' : converged ? 'converged' : 'iteration limit reached'));
  return { rc: 0, stats: { mode, traps, pages: nr, rounds, downtimeNs, totalNs, converged, streamBytes: w.bytesWritten, linkBytesPerSec: linkBps, altp2m } };
}

/**
 * xg_sr_save.c's enable_logdirty: a domain left in log-dirty mode (a
 * failed migration) refuses ENABLE with EINVAL; switch it off and retry.
 */
function logDirtyOn(lx: LibxlCtx, domid: number): void {
  if (lx.hv.shadow_op(domid, 'enable').ok) return;
  lx.hv.shadow_op(domid, 'off');
  lx.hv.shadow_op(domid, 'enable');
}

/** HAP keeps fault_count at 0; its cost is EPT violations or PML exits. */
function hapTraps(lx: LibxlCtx, domid: number, mode: PagingMode): number {
  const r = lx.hv.paging_report(domid);
  const ld = r.ok ? r.value.logDirty : undefined;
  if (!ld) return 0;
  return mode === 'hap-pml' ? ld.pmlExits : ld.eptViolations;
}

/**
 * xlsim's per-round line at libxc's detail level (`xl -v`): Xen 4.20 keeps
 * these counters (precopy_stats, the CLEAN's fault and dirty counts) but
 * prints them only in verify mode.
 */
function logRound(lx: LibxlCtx, r: IterationStats): void {
  const text = r.live
    ? sprintf('Iteration %u: sent %lu pages, dirtied %lu, faults %lu, %.6f s', r.iteration, r.sent, r.dirty, r.faults, r.durationNs / 1e9)
    : sprintf('Iteration %u (suspended): sent %lu pages, %.6f s', r.iteration, r.sent, r.durationNs / 1e9);
  lx.xtl.log('detail', 'xc', text);
}

/**
 * The guest answers the suspend request: SCHEDOP_shutdown(suspend), seen by
 * xl's monitor as any shutdown is ("Domain has suspended.").
 */
export function suspendGuest(lx: LibxlCtx, domid: number): void {
  // a guest that answered a request the caller waited out is suspended already
  if (domainSuspended(lx, domid)) return;
  new GuestGlue(() => lx).shutdown(domid, 2);
}
