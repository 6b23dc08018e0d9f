/**
 * `xl network-attach`: twin of main_networkattach() in tools/xl/xl_nic.c
 * (tokens through parse_nic_config of xl_parse.c).
 *
 * Each argv word is one token — no comma splitting, unlike a config file.
 * Only the dry run is simulated so far: `xl -N network-attach <dom> k=v...`
 * prints `vif: <libxl JSON>`, which is what tools/xl/check-xl-vif-parse tests.
 */
import { newNicWithDefaults, parseNicToken } from '../../lib/cfg/vif';
import { deviceToJson } from '../../lib/libxl/json';
import type { DeviceNic } from '../../lib/libxl/types';
import { Exit } from '../io';
import { resolveDomid } from './block';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';

/** The real attach needs the simulated host; kept in one place so it can be replaced. */
function networkAttachOnHost(ctx: XlContext, _domid: number, _nic: DeviceNic): number {
  ctx.io.stderr.write("xlsim: 'xl network-attach' without -N is not simulated yet\n");
  return 1;
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
