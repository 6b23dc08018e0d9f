/**
 * What a program inside the guest can do to the hypervisor beyond
 * xenstore: the altp2m instructions and hypercalls, and touching a
 * guest-physical page (as /dev/mem would) so that the view the vCPU runs
 * on decides whether the access is allowed. The host wires these to Xen;
 * a guest with no such wiring (tests, PV consoles) gets `undefined`.
 */

export type HvErrno = 'EPERM' | 'ENOENT' | 'ESRCH' | 'ENOMEM' | 'EBUSY' | 'EEXIST' | 'EINVAL' | 'ENOSPC' | 'EOVERFLOW' | 'ENOSYS' | 'EOPNOTSUPP';

export type HvResult<T = number> = { ok: true; value: T } | { ok: false; errno: HvErrno; text: string };

/**
 * How one access ended, as the guest experiences it: it completed (the
 * view allowed it, Xen converted or relaxed the page, or the monitor was
 * told and let the vCPU go on), it raised a #VE in the guest, or there is
 * no RAM behind the gfn.
 */
export interface GuestAccessSeen {
  outcome: 'done' | 've' | 'no-ram' | 'crashed';
  view: number;
  /** a mem_access request went to the monitor ring (invisible to the guest) */
  event?: number;
}

export interface GuestHv {
  /** VMFUNC leaf 0 (EPTP switching) on vCPU `vcpu`; `ud` = #UD raised in the guest */
  vmfunc(vcpu: number, view: number): { ud: false; emulated: boolean } | { ud: true };
  /** HVMOP_altp2m vcpu_enable_notify / vcpu_disable_notify issued by the guest */
  veEnable(vcpu: number, gfn: number): HvResult;
  veDisable(vcpu: number): HvResult;
  /** HVMOP_altp2m get_p2m_idx issued by the guest */
  viewOf(vcpu: number): HvResult;
  access(vcpu: number, gfn: number, kind: 'r' | 'w' | 'x'): GuestAccessSeen;
}
