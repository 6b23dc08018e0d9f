// What the streaming reader yields, in stream order, as each item completes.

import type { MemoryDigestValue } from './digest';
import type { DomainKind, PvVcpuKind, TscInfo } from './writer';
import type { XlConfig, XlHeaderInfo } from './xl-header';

export type StreamEvent =
  /** Magic and byte order are good: the moment xl prints "Loading new save file ...". */
  | { readonly kind: 'xl-header'; readonly info: XlHeaderInfo }
  | { readonly kind: 'xl-config'; readonly config: XlConfig | null }
  | { readonly kind: 'libxl-header'; readonly version: number; readonly options: number }
  | { readonly kind: 'libxc-context' }
  | { readonly kind: 'image-header'; readonly version: number; readonly options: number }
  /** The receiver prints "Found <typeName> domain from Xen <major>.<minor>" here. */
  | {
      readonly kind: 'domain-header';
      readonly domain: DomainKind;
      readonly typeName: string;
      readonly pageShift: number;
      readonly xenMajor: number;
      readonly xenMinor: number;
    }
  | { readonly kind: 'x86-pv-info'; readonly guestWidth: number; readonly ptLevels: number }
  | { readonly kind: 'cpuid-policy'; readonly blob: Buffer }
  | { readonly kind: 'msr-policy'; readonly blob: Buffer }
  | { readonly kind: 'static-data-end' }
  | { readonly kind: 'p2m-frames'; readonly startPfn: number; readonly endPfn: number; readonly frames: readonly number[] }
  /**
   * One PAGE_DATA record. tokens[i] is pfns[i]'s token, 0n where types[i] carries no
   * data (BROKEN / XALLOC / XTAB: the pfn holds no content afterwards).
   */
  | { readonly kind: 'pages'; readonly pfns: Float64Array; readonly types: Uint8Array; readonly tokens: BigUint64Array }
  | { readonly kind: 'verify' }
  | { readonly kind: 'checkpoint' }
  | { readonly kind: 'tsc-info'; readonly tsc: TscInfo }
  | { readonly kind: 'shared-info'; readonly page: Buffer }
  | { readonly kind: 'pv-vcpu'; readonly vcpu: PvVcpuKind; readonly vcpuId: number; readonly blob: Buffer }
  | { readonly kind: 'hvm-context'; readonly blob: Buffer }
  | { readonly kind: 'hvm-params'; readonly params: ReadonlyArray<readonly [bigint, bigint]> }
  /** The sender's digest, already checked equal to the received image. */
  | { readonly kind: 'memory-digest'; readonly digest: MemoryDigestValue }
  /** An unknown optional libxc record, skipped as Xen skips it. */
  | { readonly kind: 'optional-record'; readonly type: number; readonly body: Buffer }
  | { readonly kind: 'libxc-end' }
  | {
      readonly kind: 'emulator-xenstore-data';
      readonly emulatorId: number;
      readonly index: number;
      readonly entries: ReadonlyArray<readonly [string, string]>;
    }
  | { readonly kind: 'emulator-context'; readonly emulatorId: number; readonly index: number; readonly blob: Buffer }
  | { readonly kind: 'checkpoint-end' }
  | { readonly kind: 'checkpoint-state'; readonly id: number }
  /** libxl END: the stream is complete; bytes after it belong to the caller. */
  | { readonly kind: 'end' };
