// Small, plausibly shaped stand-ins for the opaque state Xen puts in a stream
// (CPUID/MSR policies, vCPU contexts, shared info, the HVM save blob, QEMU's
// state). xlsim keeps no real register state; these only have to have the sizes
// and outer layout Xen's restore side checks, so the framing is exercised as in Xen.

import {
  CPUID_LEAF_SIZE,
  MSR_ENTRY_SIZE,
  PAGE_SIZE,
  VCPU_CONTEXT_X86_32_SIZE,
  VCPU_CONTEXT_X86_64_SIZE,
} from './format';

const NO_SUBLEAF = 0xffffffff;

/** xen_cpuid_leaf_t[]: {leaf, subleaf, a, b, c, d}. */
export function cpuidPolicyBlob(vendor: 'intel' | 'amd' = 'intel'): Buffer {
  const id = vendor === 'intel' ? 'GenuineIntel' : 'AuthenticAMD';
  const v = Buffer.from(id, 'latin1');
  const leaves: Array<[number, number, number, number, number, number]> = [
    [0x0, NO_SUBLEAF, 0xd, v.readUInt32LE(0), v.readUInt32LE(8), v.readUInt32LE(4)],
    [0x1, NO_SUBLEAF, 0x000906ea, 0x00100800, 0xfffa3203, 0x178bfbff],
    [0x7, 0, 0, 0x009c27ab, 0, 0xbc000400],
    [0xd, 0, 0x7, 0x340, 0x340, 0],
    [0xd, 1, 0x1, 0, 0, 0],
    [0x80000000, NO_SUBLEAF, 0x80000008, 0, 0, 0],
    [0x80000001, NO_SUBLEAF, 0, 0, 0x121, 0x2c100800],
    [0x80000008, NO_SUBLEAF, 0x3027, 0, 0, 0],
  ];
  const b = Buffer.alloc(leaves.length * CPUID_LEAF_SIZE);
  leaves.forEach((l, i) => l.forEach((x, j) => b.writeUInt32LE(x >>> 0, i * CPUID_LEAF_SIZE + 4 * j)));
  return b;
}

/** xen_msr_entry_t[]: {idx, flags, val}. */
export function msrPolicyBlob(): Buffer {
  const msrs: Array<[number, bigint]> = [
    [0xce, 0x80000000n], // MSR_INTEL_PLATFORM_INFO: CPUID faulting
    [0x10a, 0x0000000000020c6bn], // MSR_ARCH_CAPABILITIES
  ];
  const b = Buffer.alloc(msrs.length * MSR_ENTRY_SIZE);
  msrs.forEach(([idx, val], i) => {
    b.writeUInt32LE(idx, i * MSR_ENTRY_SIZE);
    b.writeBigUInt64LE(val, i * MSR_ENTRY_SIZE + 8);
  });
  return b;
}

/** vcpu_guest_context for a PV vCPU: flags after the 512-byte FPU area, the rest zero. */
export function pvVcpuBasicBlob(guestWidth: 4 | 8, vcpuId: number): Buffer {
  const b = Buffer.alloc(guestWidth === 8 ? VCPU_CONTEXT_X86_64_SIZE : VCPU_CONTEXT_X86_32_SIZE);
  const VGCF_IN_KERNEL = 1 << 2;
  const VGCF_ONLINE = 1 << 5;
  b.writeUInt32LE(VGCF_IN_KERNEL | VGCF_ONLINE, 512);
  b.writeUInt32LE(vcpuId, 520); // a recognisable register value
  return b;
}

/** XEN_DOMCTL_get_ext_vcpucontext payload (bounded by 128 bytes). */
export function pvVcpuExtendedBlob(): Buffer {
  return Buffer.alloc(128);
}

/** The xsave area header: xfeature mask, size, then the area (>= 16 bytes). */
export function pvVcpuXsaveBlob(): Buffer {
  const b = Buffer.alloc(16 + 832);
  b.writeBigUInt64LE(0x7n, 0);
  b.writeBigUInt64LE(832n, 8);
  return b;
}

export function sharedInfoPage(): Buffer {
  return Buffer.alloc(PAGE_SIZE);
}

/**
 * The HVM save blob: descriptors {typecode u16, instance u16, length u32} + data,
 * starting with HEADER (magic 0x54381286, version 1, changeset, cpuid, gtsc_khz),
 * one CPU per vCPU, ending with END.
 */
export function hvmContextBlob(vcpus: number, gtscKhz = 2_400_000): Buffer {
  const parts: Buffer[] = [];
  const desc = (code: number, inst: number, len: number): Buffer => {
    const d = Buffer.alloc(8);
    d.writeUInt16LE(code, 0);
    d.writeUInt16LE(inst, 2);
    d.writeUInt32LE(len, 4);
    return d;
  };
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0x54381286, 0);
  hdr.writeUInt32LE(1, 4);
  hdr.writeUInt32LE(0x000906ea, 16);
  hdr.writeUInt32LE(gtscKhz, 20);
  parts.push(desc(1, 0, hdr.length), hdr);
  const CPU_SIZE = 1024;
  for (let v = 0; v < vcpus; v++) {
    const cpu = Buffer.alloc(CPU_SIZE);
    cpu.writeBigUInt64LE(0xfff0n, 0x80); // rip at the reset vector
    parts.push(desc(2, v, CPU_SIZE), cpu);
  }
  parts.push(desc(0, 0, 0));
  return Buffer.concat(parts);
}

/** HVM params libxc saves, with the magic pfns of a default HVM guest below 0xff000. */
export function hvmParamsFor(p: { storePfn: number; consolePfn: number; ioreqPfn?: number; bufioreqPfn?: number }): Array<[bigint, bigint]> {
  return [
    [1n, BigInt(p.storePfn)], // HVM_PARAM_STORE_PFN
    [5n, BigInt(p.ioreqPfn ?? 0xfeff0)], // HVM_PARAM_IOREQ_PFN
    [6n, BigInt(p.bufioreqPfn ?? 0xfeff1)], // HVM_PARAM_BUFIOREQ_PFN
    [12n, 0xfeffc000n], // HVM_PARAM_IDENT_PT
    [17n, BigInt(p.consolePfn)], // HVM_PARAM_CONSOLE_PFN
    [19n, 1n], // HVM_PARAM_ACPI_IOPORTS_LOCATION
  ];
}

/** QEMU's migration stream starts "QEVM" + version 3. */
export function qemuStateBlob(size = 256): Buffer {
  const b = Buffer.alloc(Math.max(8, size));
  b.write('QEVM', 0, 'latin1');
  b.writeUInt32BE(3, 4);
  return b;
}
