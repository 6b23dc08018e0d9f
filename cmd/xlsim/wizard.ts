/**
 * xlsim wizard [OUT.cfg]: a guided creation of a guest config. It asks
 * (with @inquirer/prompts, loaded only when it runs, and only on a
 * terminal: a script piping answers in would be guessing at prompts that
 * may change), then writes a commented cfg that `xl create -n` accepts.
 * Nothing is written until every answer is in; Ctrl-C leaves no file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fail, registerXlsimCommands, runHandler, type XlsimCtx } from './registry';
import { writeOutFile } from './out';
import {
  checkBridge,
  checkGuestName,
  checkPath,
  renderWizardConfig,
  type Altp2mChoice,
  type WizardAnswers,
  type WizardDisk,
  type WizardNic,
  type WizardType,
} from './wizard-cfg';

type Prompts = typeof import('@inquirer/prompts');

export const NO_TTY_MESSAGE =
  'xlsim: wizard: needs an interactive terminal (stdin and stdout must be a TTY); write the config by hand instead (see xl.cfg(5))';
export const CI_MESSAGE = 'xlsim: wizard: refusing to prompt under CI (the CI variable is set); write the config by hand instead (see xl.cfg(5))';

const MAX_DISKS = 8;
const MAX_NICS = 8;

function validOut(ctx: XlsimCtx, out: string): string | undefined {
  if (out === '') return 'the output file name is empty';
  const dir = path.dirname(path.resolve(ctx.io.cwd, out));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return `cannot write ${out}: no such directory ${dir}`;
  const abs = path.resolve(ctx.io.cwd, out);
  if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) return `cannot write ${out}: it is a directory`;
  return undefined;
}

async function ask(p: Prompts, ctx: XlsimCtx, given: string | undefined): Promise<{ answers: WizardAnswers; out: string } | undefined> {
  const type = await p.select<WizardType>({
    message: 'Guest type',
    choices: [
      { name: 'PVH  - hardware paging, PV devices, no QEMU (modern Linux)', value: 'pvh', short: 'PVH' },
      { name: 'HVM  - a full emulated PC with firmware (any OS)', value: 'hvm', short: 'HVM' },
      { name: 'PV   - paravirtualised kernel, no hardware assistance', value: 'pv', short: 'PV' },
    ],
  });
  const name = await p.input({ message: 'Name', validate: checkGuestName });
  const memory = await p.number({ message: 'Memory (MiB)', default: 1024, min: 32, max: 1048576, step: 1, required: true });
  const vcpus = await p.number({ message: 'vCPUs', default: 2, min: 1, max: 128, step: 1, required: true });
  const a: WizardAnswers = { type, name, memory, vcpus, disks: [], nics: [], devices: [], altp2m: 'disabled' };
  if (type !== 'hvm') {
    a.kernel = await p.input({ message: 'Kernel (path on dom0)', default: '/boot/vmlinuz', validate: (s) => checkPath(s, 'kernel') });
    const rd = await p.input({ message: 'Initial ramdisk (path on dom0, empty for none)', default: '', validate: (s) => s === '' || checkPath(s, 'ramdisk') });
    if (rd) a.ramdisk = rd;
    a.cmdline = await p.input({ message: 'Kernel command line', default: 'root=/dev/xvda1 ro console=hvc0' });
  } else {
    a.firmware = await p.select<'seabios' | 'ovmf'>({
      message: 'Firmware',
      choices: [
        { name: 'SeaBIOS (legacy BIOS)', value: 'seabios' },
        { name: 'OVMF (UEFI)', value: 'ovmf' },
      ],
    });
  }
  for (let i = 0; i < MAX_DISKS; i++) {
    const vdev = `xvd${String.fromCharCode(97 + i)}`;
    const target = await p.input({
      message: `Disk ${vdev}: image or device on dom0 (empty: no ${i === 0 ? '' : 'more '}disks)`,
      default: '',
      validate: (s) => s === '' || checkPath(s, 'disk'),
    });
    if (target === '') break;
    const format = await p.select<WizardDisk['format']>({ message: `Disk ${vdev}: format`, choices: [{ value: 'raw' }, { value: 'qcow2' }] });
    const access = await p.select<WizardDisk['access']>({ message: `Disk ${vdev}: access`, choices: [{ name: 'read-write', value: 'rw' }, { name: 'read-only', value: 'ro' }] });
    a.disks.push({ target, vdev, format, access });
  }
  const nics = await p.number({ message: 'Network interfaces', default: 1, min: 0, max: MAX_NICS, step: 1, required: true });
  for (let i = 0; i < nics; i++) {
    const nic: WizardNic = { bridge: await p.input({ message: `NIC ${i}: bridge in dom0`, default: 'xenbr0', validate: checkBridge }) };
    if (type === 'hvm') {
      nic.model = await p.select<'e1000' | 'rtl8139'>({ message: `NIC ${i}: emulated card`, choices: [{ value: 'e1000' }, { value: 'rtl8139' }] });
    }
    a.nics.push(nic);
  }
  if (type === 'hvm') {
    a.devices = await p.checkbox<string>({
      message: 'Devices',
      choices: [
        { name: 'VNC display', value: 'vnc', checked: true },
        { name: 'standard VGA (instead of Cirrus)', value: 'stdvga', checked: true },
        { name: 'serial port (xl console -t serial)', value: 'serial', checked: true },
        { name: 'USB tablet (pointer follows VNC)', value: 'usb-tablet' },
      ],
    });
  } else if (type === 'pv') {
    a.devices = await p.checkbox<string>({ message: 'Devices', choices: [{ name: 'PV framebuffer over VNC (vfb)', value: 'vfb' }] });
  }
  if (type !== 'pv') {
    a.altp2m = await p.select<Altp2mChoice>({
      message: 'altp2m (alternate p2m views)',
      choices: [
        { name: 'disabled', value: 'disabled' },
        { name: 'mixed    - the guest and an external agent may switch views', value: 'mixed', short: 'mixed' },
        { name: 'external - only an external agent (xen-access) switches views', value: 'external', short: 'external' },
        { name: 'limited  - the guest may only switch (VMFUNC), not create views', value: 'limited', short: 'limited' },
      ],
    });
  }
  let out = given;
  if (out === undefined) {
    out = await p.input({ message: 'Write to', default: `${name}.cfg`, validate: (s) => validOut(ctx, s) ?? true });
  }
  if (fs.existsSync(path.resolve(ctx.io.cwd, out))) {
    const overwrite = await p.confirm({ message: `${out} exists. Overwrite it?`, default: false });
    if (!overwrite) return undefined;
  }
  return { answers: a, out };
}

function isPromptExit(e: unknown): boolean {
  return e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError');
}

async function wizard(ctx: XlsimCtx, given: string | undefined): Promise<number> {
  const io = ctx.io;
  if (given !== undefined) {
    const bad = validOut(ctx, given);
    if (bad) return fail(ctx, bad);
  }
  if (io.env.CI) {
    io.stderr.write(`${CI_MESSAGE}\n`);
    return 1;
  }
  if (!io.stdin.isTTY || !io.stdout.isTTY) {
    io.stderr.write(`${NO_TTY_MESSAGE}\n`);
    return 1;
  }
  // bin/load.cjs runs the bundle in a vm.Script, where import() has no
  // loader: it lends its own
  const viaLoader = (globalThis as { __xlsimImport?: (spec: string) => Promise<unknown> }).__xlsimImport;
  const prompts = (viaLoader ? await viaLoader('@inquirer/prompts') : await import('@inquirer/prompts')) as Prompts;
  let r: { answers: WizardAnswers; out: string } | undefined;
  try {
    r = await ask(prompts, ctx, given);
  } catch (e) {
    if (!isPromptExit(e)) throw e;
    io.stderr.write('xlsim: wizard cancelled; nothing written\n');
    return 130;
  }
  if (!r) {
    io.stderr.write('xlsim: wizard: not overwriting; nothing written\n');
    return 1;
  }
  const err = writeOutFile(ctx, r.out, renderWizardConfig(r.answers));
  if (err) return fail(ctx, err);
  io.stdout.write(`Wrote ${r.out}. Check it with: xl create -n ${r.out}\nStart the guest with: xl create ${r.out}\n`);
  return 0;
}

registerXlsimCommands((y, ctx) =>
  y.command(
    'wizard [out]',
    'Create a guest config step by step (needs a terminal); writes a commented .cfg for xl create',
    (c) => c.positional('out', { type: 'string', describe: 'the config file to write (default: asked, NAME.cfg)' }),
    (a) => runHandler(ctx, () => wizard(ctx, a.out === undefined ? undefined : String(a.out))),
  ),
);
