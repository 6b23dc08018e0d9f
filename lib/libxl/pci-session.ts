/**
 * One host transaction with the host's PCI inventory at hand: the profile
 * is state/'s (on a real host libxl reads sysfs), so xl's PCI commands open
 * their session here rather than through withCtx.
 */
import { withHostSync, type Env } from '../../state/session';
import type { Xtl } from '../util/xtl';
import { ctxInSession } from './compose';
import type { LibxlCtx } from './ctx';
import { PciHost } from './pci';

export function withPciHost<T>(env: Env, xtl: Xtl, fn: (lx: LibxlCtx, pci: PciHost) => T): T {
  return withHostSync(env, (s) =>
    ctxInSession(s, xtl, (lx) => fn(lx, new PciHost(lx, lx.pciHost))),
  );
}
