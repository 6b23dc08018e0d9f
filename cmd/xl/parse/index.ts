/**
 * parse_config_data(): twin of tools/xl/xl_parse.c's central function,
 * every xl.cfg key into a libxl_domain_config *as xl sets it* (libxl fills
 * its own defaults later, so `xl create -n` shows only what xl decided).
 *
 * The steps run in xl's order because warnings are printed as keys are
 * read: the order of stderr lines is part of the behaviour. Fatal errors
 * print xl's message and throw Exit (exit status 1, 3 or 6 as in xl).
 */
import { cfgStrerror, xluCfgInit } from '../../../lib/cfg/config';
import { newDomainConfig, type DomainConfig } from '../../../lib/libxl/types';
import { Exit } from '../../io';
import type { XlContext } from '../context';
import { parseActions } from './actions';
import { parseArmKeys, parseTail } from './arch';
import { parseAltp2m, parseCommonBuildInfo } from './buildinfo';
import { parseDeviceLists, parseVirtioList, parseVkbList } from './devices';
import { parseHvmDevices } from './display';
import { parseDeviceModel } from './dm';
import { makeEnv, type ParseOptions } from './env';
import { parseTypeSpecific } from './hvm';
import { parseBuildType, parseIdentity } from './identity';
import { parseIoResources, parsePciAndRdm } from './passthrough';
import { parseGrantLimits, parseLlcColors, parseSchedAndMemory, parseVcpus, parseXenstoreLimits } from './resources';
import { xluOf } from './xlu';

export type { ParseOptions, ParsePhysinfo } from './env';

/**
 * @param source the name used in messages (the config path as typed)
 * @param data the config text (file bytes plus any overrides)
 */
export function parseConfigData(ctx: XlContext, source: string, data: Uint8Array | string, opts: ParseOptions = {}): DomainConfig {
  const err = (s: string) => ctx.io.stderr.write(s);
  const cfg = xluCfgInit(err, source);
  const r = cfg.readData(data);
  if (!r.ok) {
    err(`Failed to parse config: ${cfgStrerror(r.errno)}\n`);
    opts.onSyntaxError?.();
    throw new Exit(1);
  }
  const d = newDomainConfig();
  const env = makeEnv(ctx, xluOf(cfg), d, opts);

  parseIdentity(env);
  parseXenstoreLimits(env);
  parseBuildType(env);
  parseSchedAndMemory(env);
  parseLlcColors(env);
  parseVcpus(env);
  parseGrantLimits(env);
  parseActions(env);
  if (d.c_info.type === 'pv') {
    const e820 = env.x.getDefbool('e820_host');
    if (e820.rc === 0) (d.b_info.u as { e820_host?: boolean }).e820_host = e820.value;
  }
  parsePciAndRdm(env);
  parseCommonBuildInfo(env);
  parseTypeSpecific(env);
  parseAltp2m(env);
  parseIoResources(env);
  parseDeviceLists(env);
  parseDeviceModel(env);
  parseHvmDevices(env);
  parseArmKeys(env);
  parseVkbList(env);
  parseVirtioList(env);
  parseTail(env);
  return d;
}
