/**
 * xlsim paging <domain> <action>: the privileged paging controls a real
 * host reaches only through libxc (xc_shadow_control,
 * xc_set_paging_mempool_size), for watching what they do to a running
 * guest:
 *   logdirty enable|clean|peek|off   XEN_DOMCTL_shadow_op; clean and peek
 *                                    print Xen's fault_count / dirty_count
 *   pool SIZE                        XEN_DOMCTL_set_paging_mempool_size
 *                                    (0 starves a shadow guest: its next
 *                                    fault crashes it)
 * `xlsim inspect <domain> paging` shows the result.
 */
import { ctxInSession } from '../../lib/libxl/compose';
import { setPagingPool } from '../../lib/libxl/paging';
import { parseSize } from '../../lib/sim/duration';
import { STRERROR } from '../../lib/xen/errno';
import type { ShadowOp } from '../../lib/xen/paging-ops';
import { nullXtl } from '../../lib/util/xtl';
import { withHost } from '../../state/session';
import { findDomain, noSuchDomain } from './out';
import { fail, registerXlsimCommands, runHandler, type XlsimCtx } from './registry';

const ACTIONS = ['logdirty', 'pool'] as const;
const LOGDIRTY_OPS: readonly ShadowOp[] = ['enable', 'clean', 'peek', 'off'];
const PAGE = 4096;

interface PagingArgs {
  dom: string;
  action: string;
  arg?: string;
}

type Parsed = { kind: 'logdirty'; op: ShadowOp } | { kind: 'pool'; bytes: number };

function parseArgs(a: PagingArgs): Parsed | string {
  if (a.action === 'logdirty') {
    const op = LOGDIRTY_OPS.find((o) => o === a.arg);
    return op ? { kind: 'logdirty', op } : `logdirty needs one of ${LOGDIRTY_OPS.join(', ')}`;
  }
  if (a.arg === undefined) return 'pool needs a size (0, 8M, 2048K)';
  const s = parseSize(a.arg, 'm');
  if (!s.ok) return s.error;
  if (s.value % PAGE !== 0) return `pool size '${a.arg}' is not a whole number of 4 KiB pages`;
  return { kind: 'pool', bytes: s.value };
}

async function paging(ctx: XlsimCtx, a: PagingArgs): Promise<number> {
  const parsed = parseArgs(a);
  if (typeof parsed === 'string') return fail(ctx, parsed);
  const r = await withHost(ctx.io.env, (s) =>
    ctxInSession(s, nullXtl, (lx): { err?: string; out?: string } => {
      const found = findDomain(lx, a.dom);
      if (!found) return { err: noSuchDomain(a.dom) };
      const who = `${found.name} (domid ${found.domid})`;
      if (parsed.kind === 'pool') {
        const p = setPagingPool(lx, found.domid, parsed.bytes);
        if (!p.ok) return { err: `${who}: set_paging_mempool_size: ${STRERROR[p.errno]} (see xl dmesg)` };
        return { out: `${who}: paging pool ${p.value / PAGE} pages\n` };
      }
      const op = lx.hv.shadow_op(found.domid, parsed.op);
      if (!op.ok) return { err: `${who}: log-dirty ${parsed.op}: ${STRERROR[op.errno]}` };
      if (parsed.op === 'enable' || parsed.op === 'off') return { out: `${who}: log-dirty ${parsed.op === 'enable' ? 'on' : 'off'}\n` };
      return { out: `${who}: fault_count ${op.value.faultCount} dirty_count ${op.value.dirtyCount}\n` };
    }),
  );
  if (r.err) return fail(ctx, r.err);
  ctx.io.stdout.write(r.out ?? '');
  return 0;
}

registerXlsimCommands((y, ctx) =>
  y.command(
    'paging <domain> <action> [arg]',
    'Paging controls: logdirty enable|clean|peek|off, pool SIZE',
    (b) =>
      b
        .positional('domain', { type: 'string', demandOption: true, describe: 'domain name or id' })
        .positional('action', { type: 'string', demandOption: true, choices: ACTIONS })
        .positional('arg', { type: 'string', describe: 'enable|clean|peek|off for logdirty, the size for pool' }),
    (v) => runHandler(ctx, () => paging(ctx, { dom: String(v.domain), action: String(v.action), ...(v.arg === undefined ? {} : { arg: String(v.arg) }) })),
  ),
);
