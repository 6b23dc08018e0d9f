// The record sequences xg_sr_save*.c and libxl_stream_write.c produce around the
// memory pages, so the save and migrate commands only choose *which* pages to send
// in each iteration. Order (hypervisor-model §4.4):
//   PV:  libxl hdr, LIBXC_CONTEXT, image hdr, domain hdr, X86_PV_INFO, CPUID, MSR,
//        STATIC_DATA_END, X86_PV_P2M_FRAMES, PAGE_DATA..., X86_TSC_INFO, SHARED_INFO,
//        per vCPU BASIC/EXTENDED/XSAVE/MSRS, [xlsim workload], [xlsim digest], END, libxl END
//   HVM: libxl hdr, LIBXC_CONTEXT, image hdr, domain hdr, CPUID, MSR, STATIC_DATA_END,
//        PAGE_DATA..., X86_TSC_INFO, HVM_CONTEXT, HVM_PARAMS, [xlsim workload], [xlsim digest], END,
//        EMULATOR_XENSTORE_DATA, EMULATOR_CONTEXT (when there is a device model), libxl END

import {
  cpuidPolicyBlob,
  hvmContextBlob,
  hvmParamsFor,
  msrPolicyBlob,
  pvVcpuBasicBlob,
  pvVcpuExtendedBlob,
  pvVcpuXsaveBlob,
  sharedInfoPage,
} from './blobs';
import type { MemoryDigestValue } from './digest';
import { EMULATOR_QEMU_UPSTREAM, PAGE_SIZE, REC_XLSIM_GUEST_WORKLOAD, XLSIM_WORKLOAD_BODY_SIZE } from './format';
import type { DomainKind, StreamWriter, TscInfo } from './writer';

export interface StreamDomain {
  readonly type: DomainKind;
  readonly xenMajor: number;
  readonly xenMinor: number;
  readonly vcpus: number;
  /** Highest pfn of the guest (PV: end of its p2m). */
  readonly maxPfn: number;
  readonly guestWidth?: 4 | 8;
  readonly vendor?: 'intel' | 'amd';
  readonly tsc: TscInfo;
  /** HVM only. */
  readonly storePfn?: number;
  readonly consolePfn?: number;
  /** HVM with a device model: QEMU's state and its xenstore keys. */
  readonly emulator?: { readonly state: Buffer; readonly xenstore: ReadonlyArray<readonly [string, string]> };
  /** a busy guest's memory writer (xlsim's XLSIM_GUEST_WORKLOAD record) */
  readonly workload?: GuestWorkload;
}

export interface GuestWorkload {
  /** page writes a second */
  readonly dirtyRate: number;
  /** working set, in pages */
  readonly wss: number;
}

/** The body of an XLSIM_GUEST_WORKLOAD record, or undefined when it has the wrong size. */
export function parseGuestWorkload(body: Buffer): GuestWorkload | undefined {
  if (body.length !== XLSIM_WORKLOAD_BODY_SIZE) return undefined;
  return { dirtyRate: Number(body.readBigUInt64LE(0)), wss: Number(body.readBigUInt64LE(8)) };
}

function guestWorkloadBody(g: GuestWorkload): Buffer {
  const b = Buffer.alloc(XLSIM_WORKLOAD_BODY_SIZE);
  b.writeBigUInt64LE(BigInt(Math.max(0, Math.floor(g.dirtyRate))), 0);
  b.writeBigUInt64LE(BigInt(Math.max(0, Math.floor(g.wss))), 8);
  return b;
}

export function writeStreamPrologue(w: StreamWriter, d: StreamDomain): void {
  w.libxlHeader();
  w.libxcContext();
  w.imageHeader();
  w.domainHeader({ type: d.type, xenMajor: d.xenMajor, xenMinor: d.xenMinor });
  const width = d.guestWidth ?? 8;
  if (d.type === 'pv') w.x86PvInfo(width, width === 8 ? 4 : 3);
  w.cpuidPolicy(cpuidPolicyBlob(d.vendor ?? 'intel'));
  w.msrPolicy(msrPolicyBlob());
  w.staticDataEnd();
  if (d.type === 'pv') {
    const fpp = PAGE_SIZE / width;
    const n = Math.floor(d.maxPfn / fpp) + 1;
    // The guest keeps its p2m in its own frames; any stable pfns do for xlsim.
    const frames = Array.from({ length: n }, (_, i) => d.maxPfn - n + 1 + i);
    w.p2mFrames(0, d.maxPfn, frames);
  }
}

/** Everything after the last page: end-of-checkpoint state, the digest, both ENDs. */
export function writeStreamEpilogue(w: StreamWriter, d: StreamDomain, digest: MemoryDigestValue): void {
  w.tscInfo(d.tsc);
  if (d.type === 'pv') {
    const width = d.guestWidth ?? 8;
    w.sharedInfo(sharedInfoPage());
    for (let v = 0; v < d.vcpus; v++) {
      w.pvVcpu('basic', v, pvVcpuBasicBlob(width, v));
      w.pvVcpu('extended', v, pvVcpuExtendedBlob());
      w.pvVcpu('xsave', v, pvVcpuXsaveBlob());
      w.pvVcpu('msrs', v, Buffer.alloc(0)); // no MSRs to carry: an empty record, as Xen tolerates
    }
  } else {
    w.hvmContext(hvmContextBlob(d.vcpus, d.tsc.khz));
    w.hvmParams(hvmParamsFor({ storePfn: d.storePfn ?? 0xfeffe, consolePfn: d.consolePfn ?? 0xfefff }));
  }
  if (d.workload) w.libxcRecord(REC_XLSIM_GUEST_WORKLOAD, guestWorkloadBody(d.workload));
  w.memoryDigest(digest);
  w.libxcEnd();
  if (d.type === 'hvm' && d.emulator) {
    w.emulatorXenstoreData(EMULATOR_QEMU_UPSTREAM, 0, d.emulator.xenstore);
    w.emulatorContext(EMULATOR_QEMU_UPSTREAM, 0, d.emulator.state);
  }
  w.libxlEnd();
}
