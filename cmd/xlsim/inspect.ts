/**
 * xlsim inspect <domain> [view]: look inside a domain the way a Xen
 * developer would with a debugger — its guest-physical memory map (and
 * where Xen sits relative to it), paging mode and pool, the emulation flags
 * decoded, its vCPUs, its xenstore subtree. Read-only.
 */
import { ctxInSession } from '../../lib/libxl/compose';
import { nullXtl } from '../../lib/util/xtl';
import { withHost } from '../../state/session';
import { gatherInspect } from './inspect-data';
import { memmapSvg, memoryMap, renderView, VIEWS, type View } from './inspect-views';
import { findDomain, noSuchDomain, printJson, writeOutFile } from './out';
import { fail, registerXlsimCommands, runHandler, type XlsimCtx } from './registry';

interface InspectArgs {
  dom: string;
  view: View;
  json: boolean;
  svg?: string;
}

async function inspect(ctx: XlsimCtx, a: InspectArgs): Promise<number> {
  if (a.svg !== undefined && a.view !== 'memmap') return fail(ctx, '--svg draws the memory map: use it with the memmap view');
  if (a.svg === '') return fail(ctx, '--svg needs a file name');
  const r = await withHost(ctx.io.env, (s) =>
    ctxInSession(s, nullXtl, (lx) => {
      const found = findDomain(lx, a.dom);
      const d = found && gatherInspect(s, lx, found);
      if (!d) return { error: noSuchDomain(a.dom) };
      const view = renderView(d, a.view);
      if (!view.ok) return { error: view.error };
      const map = a.svg !== undefined ? memoryMap(d) : undefined;
      return { view, svg: map ? memmapSvg(d, map) : undefined, who: `${d.name} (domid ${d.domid})` };
    }),
  );
  if ('error' in r) return fail(ctx, r.error ?? '');
  if (a.svg !== undefined && r.svg !== undefined) {
    const err = writeOutFile(ctx, a.svg, r.svg);
    if (err) return fail(ctx, err);
    if (!a.json) {
      ctx.io.stdout.write(`Wrote the memory map of ${r.who} to ${a.svg}\n`);
      return 0;
    }
  }
  if (a.json) printJson(ctx, r.view.json);
  else ctx.io.stdout.write(r.view.text);
  return 0;
}

registerXlsimCommands((y, ctx) =>
  y.command(
    'inspect <domain> [view]',
    'Look inside a domain: summary, memmap, paging, emulation, vcpus, xenstore',
    (c) =>
      c
        .positional('domain', { type: 'string', demandOption: true, describe: 'domain name or id' })
        .positional('view', { type: 'string', choices: VIEWS, default: 'summary', describe: 'what to show' })
        .option('json', { type: 'boolean', default: false, describe: 'print the data as JSON' })
        .option('svg', { type: 'string', describe: 'memmap: also draw the map as an SVG picture in FILE' }),
    (a) => runHandler(ctx, () => inspect(ctx, { dom: String(a.domain), view: a.view as View, json: a.json === true, ...(a.svg !== undefined ? { svg: String(a.svg) } : {}) })),
  ),
);
