/**
 * The device-spec mini-languages (lib/cfg) as parse_config_data() uses
 * them: report to stderr, and turn their verdicts into xl's exits.
 */
import { xluDiskParse } from '../../../lib/cfg/disk';
import { xluPciParseSpecString, xluRdmParse, type RdmReserve } from '../../../lib/cfg/pci';
import type { DeviceDisk, DevicePci } from '../../../lib/libxl/types';
import type { ParseEnv } from './env';

/** parse_disk_config(): a bad spec has been reported; xl exits 1 */
export function parseDisk(env: ParseEnv, spec: string): DeviceDisk {
  const r = xluDiskParse(env.err, env.x.source, [spec]);
  if (!r.ok) env.exit(1);
  return r.disk;
}

/** xlu_pci_parse_spec_string(): 0 or a libxl error code */
export function pciParseSpec(env: ParseEnv, pci: DevicePci, buf: string): number {
  return xluPciParseSpecString(env.err, pci, buf);
}

/**
 * xlu_rdm_parse(); xl applies the result only when it succeeded. xl copies
 * the policy from an uninitialised struct — libxl's default (relaxed) here.
 */
export function rdmParse(env: ParseEnv, buf: string): { strategy?: RdmReserve['strategy']; policy: NonNullable<RdmReserve['policy']> } | undefined {
  const rdm: RdmReserve = {};
  if (xluRdmParse(env.err, rdm, buf) !== 0) return undefined;
  return { strategy: rdm.strategy, policy: rdm.policy ?? 'relaxed' };
}
