/**
 * Model-based testing of the whole toolstack: fast-check draws command
 * sequences (create, pause, unpause, shutdown, reboot, crash, destroy,
 * mem-set, vcpu-set, block/network attach and detach, save, restore,
 * migrate between two hosts, clock advances), runs them and after every
 * step requires `xlsim check` to pass on both hosts and `xl list` to agree
 * with a reference model (test/robust/model.ts). A failure shrinks to a
 * short sequence. Most sequences run in-process through the multi-call
 * entry (what `xlsim shell` uses: same output, same status); a few go
 * through the real binaries.
 */
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, runTool as spawnTool } from '../helpers/cli';
import { inprocHome, tmpDir } from './inproc';
import { newModel, type HostName, type Real } from './model';
import { commandArbs, startingGuests, stats } from './model-commands';

const CFG = 'kernel = "/boot/vmlinuz"\nmemory = 64\n';

/** the receiving end of a migration: the real xl on the other host (its stderr is not the point here) */
function migrateVia(): string {
  return `sh -c 'h=$0; shift; XLSIM_HOST=$h exec ${process.execPath} ${path.join(BIN, 'xl.cjs')} "$@" 2>/dev/null'`;
}

const VERBS = [
  'block-attach', 'block-detach', 'crash', 'destroy', 'mem-set', 'migrate', 'network-attach', 'network-detach', 'pause', 'reboot',
  'reboot while paused', 'rename', 'save', 'shutdown', 'shutdown while paused', 'unpause', 'unpause while going down', 'vcpu-set', 'xl create',
  'xl restore', 'xlsim clock',
];

let template: string;

beforeAll(async () => {
  // hosts are created once; every sequence starts from a copy
  const h = await inprocHome(['a', 'b']);
  template = h.home;
});

async function inprocReal(): Promise<Real> {
  const home = tmpDir();
  fs.cpSync(template, home, { recursive: true });
  const h = await inprocHome([], home);
  const cfg = h.file('guest.cfg', CFG);
  return { home, cfg, migrateVia: migrateVia(), run: (tool, args, host: HostName) => h.run(tool, args, host) };
}

function spawnedReal(): Real {
  const home = tmpDir();
  fs.cpSync(template, home, { recursive: true });
  const cfg = path.join(home, 'guest.cfg');
  fs.writeFileSync(cfg, CFG);
  const env = (host: HostName) => ({ XLSIM_HOME: home, XLSIM_HOST: host, XLSIM_CLOCK: 'manual' });
  return { home, cfg, migrateVia: migrateVia(), run: async (tool, args, host) => spawnTool(tool, args, { env: env(host), cwd: home }) };
}

describe('random command sequences against a reference model', () => {
  it('in-process: xl list and xlsim check agree with the model after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbs({ migrate: true, saveRestore: true }), { maxCommands: 60, size: 'max' }), async (cmds) => {
        const real = await inprocReal();
        try {
          await fc.asyncModelRun(() => ({ model: newModel(), real }), cmds);
        } finally {
          fs.rmSync(real.home, { recursive: true, force: true });
        }
      }),
      { numRuns: Number(process.env.ROBUST_RUNS ?? 120), seed: Number(process.env.ROBUST_SEED ?? 20261122) },
    );
    // the sequences did real work: thousands of commands, every kind of them
    expect(stats.commands).toBeGreaterThan(Number(process.env.ROBUST_RUNS ?? 120) * 15);
    expect([...stats.byVerb.keys()].sort()).toEqual(VERBS);
    console.log(`${stats.commands} commands: ${[...stats.byVerb].map(([v, n]) => `${v}=${n}/${Math.round(stats.msByVerb.get(v) ?? 0)}ms`).join(' ')}`);
  }, 300_000);

  it('through the real binaries: a few short sequences', async () => {
    stats.commands = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbs({ migrate: true, saveRestore: true }), { maxCommands: 12, size: 'max' }), async (cmds) => {
        const real = spawnedReal();
        try {
          await fc.asyncModelRun(() => ({ model: newModel(), real }), [...startingGuests(), ...cmds]);
        } finally {
          fs.rmSync(real.home, { recursive: true, force: true });
        }
      }),
      { numRuns: 3, seed: 7 },
    );
    console.log(`${stats.commands} commands through the binaries`);
    expect(stats.commands).toBeGreaterThanOrEqual(10);
  }, 300_000);
});
