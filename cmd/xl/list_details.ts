/**
 * `xl list -l`: twin of list_domains_details (tools/xl/xl_info.c), each
 * domain's stored configuration as libxl's JSON. Its own module because it
 * needs libxl's whole IDL; plain `xl list` does not.
 */
import type { Dominfo } from '../../lib/libxl/dominfo';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import { retrieveDomainConfiguration } from '../../lib/libxl/userdata';
import { domainListToJson } from '../../lib/libxl/json';

export function listDomainsDetails(lx: LibxlCtx, infos: readonly Dominfo[]): string {
  const entries = [];
  for (const info of infos) {
    const cfg = retrieveDomainConfiguration(lx, info.domid);
    if (cfg) entries.push({ domid: info.domid, config: cfg });
  }
  // puts() adds a newline after the generator's own trailing one
  return domainListToJson(entries) + '\n';
}
