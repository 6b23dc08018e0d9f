/**
 * xlsim clock [show] | advance <duration> | mode real|manual: the host's
 * simulated time. Advancing runs every event that falls due, in order —
 * the way a lesson moves a manual-clock host through a guest's boot.
 */
import { isClockMode } from '../../lib/sim/clock';
import { formatDuration, parseDuration } from '../../lib/sim/duration';
import { formatSeconds, formatWall } from '../../lib/sim/timefmt';
import { sprintf } from '../../lib/util/printf';
import { withHost, type Session } from '../../state/session';
import { printJson } from './out';
import { fail, registerXlsimCommands, runHandler, type XlsimCtx } from './registry';

function describe(s: Session): string {
  const line = (k: string, v: string) => sprintf('%-10s%s\n', `${k}:`, v);
  const pending = s.events.pending();
  const next = pending[0];
  return (
    line('host', s.hostName) +
    line('mode', s.clock.mode) +
    line('now', `${formatSeconds(s.clock.now())} s since boot`) +
    line('wall', formatWall(s.clock.wallMs())) +
    line(
      'events',
      next
        ? `${pending.length} pending, next in ${formatDuration(next.at - s.clock.now())} (${next.kind}${next.domid !== null ? `, domain ${next.domid}` : ''})`
        : '0 pending',
    )
  );
}

function describeJson(s: Session): Record<string, unknown> {
  const pending = s.events.pending();
  const next = pending[0];
  return {
    host: s.hostName,
    mode: s.clock.mode,
    now_ns: s.clock.now(),
    wall_ms: s.clock.wallMs(),
    pending_events: pending.length,
    ...(next ? { next_event: { at_ns: next.at, kind: next.kind, domid: next.domid } } : {}),
  };
}

async function show(ctx: XlsimCtx, json: boolean): Promise<number> {
  if (json) printJson(ctx, await withHost(ctx.io.env, describeJson));
  else ctx.io.stdout.write(await withHost(ctx.io.env, describe));
  return 0;
}

async function advance(ctx: XlsimCtx, text: string): Promise<number> {
  const d = parseDuration(text);
  if (!d.ok) return fail(ctx, d.error);
  const out = await withHost(ctx.io.env, (s) => {
    const before = s.clock.now();
    const ran = s.clock.advance(d.value);
    s.log('clock.advance', sprintf('clock advanced by %s from %s s, %d event%s run', formatDuration(d.value), formatSeconds(before), ran, ran === 1 ? '' : 's'));
    return sprintf('Clock advanced by %s: %s -> %s s since boot, %d event%s run\n', formatDuration(d.value), formatSeconds(before), formatSeconds(s.clock.now()), ran, ran === 1 ? '' : 's');
  });
  ctx.io.stdout.write(out);
  return 0;
}

async function mode(ctx: XlsimCtx, m: string): Promise<number> {
  if (!isClockMode(m)) return fail(ctx, `clock mode '${m}' is not real or manual`);
  const out = await withHost(ctx.io.env, (s) => {
    const was = s.clock.mode;
    s.clock.setMode(m);
    if (was !== m) s.log('clock.mode', `clock mode ${was} -> ${m}`);
    return was === m ? `Clock mode is already ${m}\n` : `Clock mode: ${was} -> ${m}\n`;
  });
  ctx.io.stdout.write(out);
  return 0;
}

registerXlsimCommands((y, ctx) =>
  y.command('clock', "Show or move the host's simulated clock", (c) =>
    c
      .command(
        ['show', '$0'],
        'Show the clock and the next pending event',
        (c) => c.option('json', { type: 'boolean', default: false, describe: 'print the data as JSON' }),
        (a) => runHandler(ctx, () => show(ctx, a.json === true)),
      )
      .command(
        'advance <duration>',
        'Move time forward (500ms, 2s, 1m30s, 1h, or seconds), running due events',
        (a) => a.positional('duration', { type: 'string', demandOption: true }),
        (a) => runHandler(ctx, () => advance(ctx, String(a.duration))),
      )
      .command(
        'mode <mode>',
        'Switch between real (follows wall time) and manual (moves only when told)',
        (a) => a.positional('mode', { type: 'string', demandOption: true }),
        (a) => runHandler(ctx, () => mode(ctx, String(a.mode))),
      ),
  ),
);
