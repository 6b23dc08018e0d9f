/**
 * PCI pass-through commands: twin of tools/xl/xl_pci.c (pci-list,
 * pci-attach, pci-detach, pci-assignable-add/-remove/-list). Specs go
 * through xlu_pci_parse_spec_string / xlu_pci_parse_bdf (lib/cfg/pci.ts);
 * a malformed one ends xl with status 2 before libxl is asked anything.
 */
import { xluPciParseBdf, xluPciParseSpecString } from '../../lib/cfg/pci';
import { ERROR_NOTFOUND } from '../../lib/libxl/errors';
import type { PciHost } from '../../lib/libxl/pci';
import { withPciHost } from '../../lib/libxl/pci-session';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import type { DevicePci } from '../../lib/libxl/types';
import { sprintf } from '../../lib/util/printf';
import { Exit } from '../io';
import type { XlContext } from './context';
import { findDomain } from './find_domain';
import { switchForeachOpt } from './opts';

function withPci<T>(ctx: XlContext, fn: (lx: LibxlCtx, pci: PciHost) => T): T {
  return withPciHost(ctx.io.env, ctx.logger, fn);
}

/** xlu_cfg_init(stderr, "command line"): libxlu's reports carry the source name */
function report(ctx: XlContext): (s: string) => void {
  return (s) => ctx.io.stderr.write(s);
}

export function mainPcilist(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'pci-list', 1);
  withPci(ctx, (lx, host) => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    const list = host.pciList(domid);
    if (list.length === 0 && lx.xs.tryRead(`/local/domain/0/backend/pci/${domid}/0/num_devs`) === undefined) return;
    ctx.io.stdout.write('Vdev Device\n');
    for (const p of list) {
      const v = p.vdevfn ?? 0;
      ctx.io.stdout.write(sprintf('%02x.%01x %04x:%02x:%02x.%01x\n', (v >> 3) & 0x1f, v & 7, p.domain ?? 0, p.bus ?? 0, p.dev ?? 0, p.func ?? 0));
    }
  });
  return 0;
}

function parseSpec(ctx: XlContext, cmd: string, spec: string): DevicePci {
  const pci: DevicePci = {};
  if (xluPciParseSpecString(report(ctx), pci, spec)) {
    ctx.io.stderr.write(`${cmd}: malformed PCI_SPEC_STRING "${spec}"\n`);
    throw new Exit(2);
  }
  return pci;
}

export function mainPciattach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'pci-attach', 2);
  return withPci(ctx, (lx, host) => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    const pci = parseSpec(ctx, 'pci-attach', r.args[1]!);
    return host.pciAdd(domid, pci) ? 1 : 0;
  });
}

export function mainPcidetach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), 'f', null, 'pci-detach', 2);
  return withPci(ctx, (lx, host) => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    const pci = parseSpec(ctx, 'pci-detach', r.args[1]!);
    return host.pciRemove(domid, pci) ? 1 : 0;
  });
}

export function mainPciassignableAdd(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), 'n:', [{ name: 'name', hasArg: 1, val: 'n' }], 'pci-assignable-add', 1);
  let name: string | undefined;
  for (const o of r.opts) if (o.opt === 'n') name = o.arg;
  const bdf = r.args[0]!;
  const pci: DevicePci = {};
  if (xluPciParseBdf(pci, bdf)) {
    ctx.io.stderr.write(`pci-assignable-add: malformed BDF "${bdf}"\n`);
    throw new Exit(2);
  }
  if (name !== undefined) pci.name = name;
  return withPci(ctx, (_lx, host) => (host.assignableAdd(pci, true) ? 1 : 0));
}

export function mainPciassignableRemove(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), 'r', null, 'pci-assignable-remove', 1);
  const rebind = r.opts.some((o) => o.opt === 'r');
  const ident = r.args[0]!;
  return withPci(ctx, (_lx, host) => {
    // a name first, then a BDF
    let rc = host.assignableRemove({ name: ident }, rebind);
    if (rc === ERROR_NOTFOUND) {
      const pci: DevicePci = {};
      if (xluPciParseBdf(pci, ident)) {
        ctx.io.stderr.write(`pci-assignable-remove: malformed BDF '${ident}'\n`);
        throw new Exit(2);
      }
      rc = host.assignableRemove(pci, rebind);
    }
    return rc ? 1 : 0;
  });
}

export function mainPciassignableList(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), 'n', [{ name: 'show-names', hasArg: 0, val: 'n' }], 'pci-assignable-list', 0);
  const showNames = r.opts.some((o) => o.opt === 'n');
  withPci(ctx, (_lx, host) => {
    for (const p of host.assignableList()) {
      ctx.io.stdout.write(sprintf('%04x:%02x:%02x.%01x %s\n', p.domain ?? 0, p.bus ?? 0, p.dev ?? 0, p.func ?? 0, showNames ? (p.name ?? '') : ''));
    }
  });
  return 0;
}
