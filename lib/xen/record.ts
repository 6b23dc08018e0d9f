/**
 * How a domain's record is stored between commands. Xen keeps a vCPU's
 * affinity as a cpumask; the model keeps it as a list of pCPU numbers, which
 * on a 64-pCPU host is 2 x 64 numbers per vCPU in every record: most of the
 * bytes `xl list` would parse. Stored, each list is a cpulist string
 * ("0-63", "2,4-5"), the way Xen prints masks; read back, it is a list again.
 * Records written before this (plain arrays) read back unchanged.
 */
import { bitmapList, parseBitmapList } from './cpumask';
import type { XenDomainData, XenVcpuData } from './types';

type StoredVcpu = Omit<XenVcpuData, 'hardAffinity' | 'softAffinity'> & {
  hardAffinity: string | readonly number[];
  softAffinity: string | readonly number[];
};

export type StoredDomain = Omit<XenDomainData, 'vcpus'> & { vcpus: StoredVcpu[] };

function isSortedUnique(cpus: readonly number[]): boolean {
  for (let i = 1; i < cpus.length; i++) if (!(cpus[i]! > cpus[i - 1]!)) return false;
  return true;
}

/**
 * Records repeat the same few masks ("0-63" on every vCPU): each is parsed
 * once per process and the one list is shared by every vCPU that has
 * it (affinities are replaced, never changed in place: XenVcpuData declares
 * them readonly). A thousand domains then cost one parse and no copies.
 */
const parsedMasks = new Map<string, readonly number[]>();

/**
 * The other way: the string a list is stored as, known for every list read
 * back (and every one packed once). An `xl create` rewrites every domain's
 * record (the scheduler's shares move), and would otherwise rebuild "0-63"
 * from 64 numbers twice per vCPU of each.
 */
const packedMasks = new WeakMap<readonly number[], string | readonly number[]>();

/** The affinity as stored: compact when it is a plain ascending set, else as is. */
function packAffinity(cpus: readonly number[]): string | readonly number[] {
  let packed = packedMasks.get(cpus);
  if (packed === undefined) packedMasks.set(cpus, (packed = isSortedUnique(cpus) ? bitmapList(cpus) : cpus));
  return packed;
}

function unpackAffinity(a: string | readonly number[]): readonly number[] {
  if (typeof a !== 'string') return a;
  let cpus = parsedMasks.get(a);
  if (!cpus) {
    parsedMasks.set(a, (cpus = parseBitmapList(a)));
    packedMasks.set(cpus, a);
  }
  return cpus;
}

export function encodeDomainRecord(d: XenDomainData): StoredDomain {
  return {
    ...d,
    vcpus: d.vcpus.map((v) => ({ ...v, hardAffinity: packAffinity(v.hardAffinity), softAffinity: packAffinity(v.softAffinity) })),
  };
}

/** Decodes in place: the parsed JSON is the caller's own object. */
export function decodeDomainRecord(raw: StoredDomain): XenDomainData {
  for (const v of raw.vcpus) {
    (v as XenVcpuData).hardAffinity = unpackAffinity(v.hardAffinity);
    (v as XenVcpuData).softAffinity = unpackAffinity(v.softAffinity);
  }
  return raw as unknown as XenDomainData;
}
