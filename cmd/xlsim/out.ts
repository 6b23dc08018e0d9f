/**
 * What several xlsim commands share: finding a domain by name or id the way
 * xl does, printing data as JSON, and writing a picture to a file — the
 * file is written only after everything it depends on was found, so a bad
 * domain never leaves a half-written SVG behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { domidToName, nameToDomid } from '../../lib/libxl/domain';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import type { XlsimCtx } from './registry';

export interface FoundDomain {
  domid: number;
  name: string;
}

/** A live domain by name or numeric id; undefined when there is none. */
export function findDomain(lx: LibxlCtx, dom: string): FoundDomain | undefined {
  let domid: number;
  if (/^\d+$/.test(dom)) {
    domid = Number(dom);
    if (!Number.isSafeInteger(domid) || !lx.hv.getdomaininfo(domid).ok) return undefined;
  } else {
    const r = nameToDomid(lx, dom);
    if (r.rc) return undefined;
    domid = r.domid;
  }
  return { domid, name: domidToName(lx, domid) ?? (domid === 0 ? 'Domain-0' : `domain-${domid}`) };
}

export function noSuchDomain(dom: string): string {
  return `no such domain '${dom}'`;
}

/** Pretty JSON with a final newline: what `--json` prints. */
export function printJson(ctx: XlsimCtx, value: unknown): void {
  ctx.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes `text` to `file` (relative to the working directory); an error text on failure. */
export function writeOutFile(ctx: XlsimCtx, file: string, text: string): string | undefined {
  const target = path.resolve(ctx.io.cwd, file);
  try {
    fs.writeFileSync(target, text);
    return undefined;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return `cannot write ${file}: ${(err.message ?? String(e)).replace(/^[A-Z]+: /, '').replace(/, open '.*'$/, '')}`;
  }
}
