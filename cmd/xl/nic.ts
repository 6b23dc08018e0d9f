/**
 * `xl network-attach`: twin of main_networkattach() in tools/xl/xl_nic.c
 * (tokens through parse_nic_config of xl_parse.c).
 *
 * Each argv word is one token — no comma splitting, unlike a config file.
 * `xl -N network-attach <dom> k=v...` prints `vif: <libxl JSON>` (what
 * tools/xl/check-xl-vif-parse tests); without -N the nic is hot-plugged.
 * Also main_networklist and main_networkdetach.
 */
import { atoi } from '../../lib/cfg/cconv';
import { newNicWithDefaults, parseNicToken } from '../../lib/cfg/vif';
import { deviceToJson } from '../../lib/libxl/json';
import type { DeviceNic } from '../../lib/libxl/types';
import { Exit } from '../io';
import { resolveDomid } from './block';
import type { XlContext } from './context';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';
import { switchForeachOpt } from './opts';
import { devidToNic, macToNic, nicAdd, nicGetinfo, nicList, nicRemove } from '../../lib/libxl/devices-vif';
import { removeBegin, removeForcing, removeReleased, type RemovalWait } from '../../lib/libxl/devices-remove';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import { waitFor, type WaitStep } from './wait';
import { sprintf } from '../../lib/util/printf';

function networkAttachOnHost(ctx: XlContext, domid: number, nic: DeviceNic): number {
  const rc = withLibxl(ctx, (lx) => nicAdd(lx, domid, nic));
  if (rc) {
    ctx.io.stderr.write('libxl_device_nic_add failed.\n');
    return 1;
  }
  return 0;
}

export function mainNetworkattach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'network-attach', 1);
  const domid = resolveDomid(ctx, r.args[0]!, 'find_domain');
  if (domid === undefined) return 1;
  const g = ctx.globalConfig;
  const nic = newNicWithDefaults({
    script: g.defaultVifScript,
    bridge: g.defaultBridge,
    gatewaydev: g.defaultGatewaydev,
    backend: g.defaultBackend,
  });
  const env = { report: (s: string) => ctx.io.stderr.write(s), source: 'command line' };
  const words = r.args.slice(1);
  for (let i = 0; i < words.length; i++) {
    // argv strings sit back to back in memory: a short mac= reads on into the next word
    const res = parseNicToken(nic, env, words[i]!, words.slice(i + 1).join('\0'));
    if (res.kind === 'bad') return 1;
    if (res.kind === 'exit') throw new Exit(res.code);
  }
  if (ctx.dryrun) {
    ctx.io.stdout.write(`vif: ${deviceToJson('nic', nic)}\n`);
    return 0;
  }
  return networkAttachOnHost(ctx, domid, nic);
}

function macBytes(mac: string | undefined): number[] {
  const b = (mac ?? '').split(':').map((x) => parseInt(x, 16) || 0);
  while (b.length < 6) b.push(0);
  return b.slice(0, 6);
}

export function mainNetworklist(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'network-list', 1);
  const out = ctx.io.stdout;
  out.write(sprintf('%-3s %-2s %-17s %-6s %-5s %-6s %5s/%-5s %-30s\n', 'Idx', 'BE', 'Mac Addr.', 'handle', 'state', 'evt-ch', 'tx-', 'rx-ring-ref', 'BE-path'));
  withLibxl(ctx, (lx) => {
    for (const name of r.args) {
      const domid = findDomain(ctx, lx, name);
      for (const nic of nicList(lx, domid)) {
        const i = nicGetinfo(lx, domid, nic);
        if (!i) continue;
        out.write(sprintf('%-3d %-2d ', i.devid, i.backendId));
        out.write(sprintf('%02x:%02x:%02x:%02x:%02x:%02x', ...macBytes(nic.mac)));
        out.write(sprintf('%6d %5d %6d %5d/%-11d %-30s\n', i.devid, i.state, i.evtch, i.rrefTx, i.rrefRx, i.backend));
      }
    }
  });
  return 0;
}


export async function mainNetworkdetach(ctx: XlContext, argv: string[]): Promise<number> {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'network-detach', 2);
  const removed = (lx: LibxlCtx, domid: number, nic: DeviceNic): number => {
    if (!nicRemove(lx, domid, nic)) return 0;
    ctx.io.stderr.write('libxl_device_nic_del failed.\n');
    return 1;
  };
  const first = withLibxl(ctx, (lx): number | { wait: RemovalWait; nic: DeviceNic } => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    const which = r.args[1]!;
    const found = which.includes(':') ? macToNic(lx, domid, which) : devidToNic(lx, domid, atoi(which));
    if (found === undefined || found === 'bad') {
      ctx.io.stderr.write(`Unknown device ${which}.\n`);
      return 1;
    }
    const wait = removeBegin(lx, domid, 'vif', found.devid ?? 0);
    return removeReleased(lx, wait) ? removed(lx, domid, found) : { wait, nic: found };
  });
  if (typeof first === 'number') return first;
  const { wait, nic } = first;
  // libxl_device_nic_remove is not a safe remove: past the timeout it forces
  return waitFor(ctx, (lx): WaitStep<number> => {
    if (removeReleased(lx, wait)) return { done: true, value: removed(lx, wait.domid, nic) };
    if (lx.now() < wait.deadlineNs) return { done: false, deadlineNs: wait.deadlineNs };
    removeForcing(lx, wait);
    return { done: true, value: removed(lx, wait.domid, nic) };
  });
}
