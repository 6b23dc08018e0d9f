/**
 * Printing a parsed config: create_domain's `-n`/`-d` print
 * (libxl_domain_config_to_json, fputs) and printf_info()'s
 * `{"domid": ..., "config": ...}` wrapper used by config-update; the
 * S-expression form instead when xl.conf has output_format="sxp".
 */
import { domainConfigToJson, domainInfoToJson } from '../../../lib/libxl/json';
import type { DomainConfig } from '../../../lib/libxl/types';
import type { OutStream } from '../../io';
import type { XlContext } from '../context';
import { printInfoSexp } from './sxp';

/**
 * @param domid for the wrapper: null prints `"domid": null`
 * @param wrapped true for printf_info's wrapper (config-update), false for create's bare config
 */
export function printDomainConfig(ctx: XlContext, d: DomainConfig, out: OutStream, domid: number | null, wrapped: boolean): void {
  if (ctx.globalConfig.outputFormat === 'sxp') {
    printInfoSexp(ctx, domid ?? -1, d, out);
    return;
  }
  out.write(wrapped ? domainInfoToJson(domid, d) : domainConfigToJson(d));
}
