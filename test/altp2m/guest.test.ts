/**
 * altp2m from inside the guest, through the built tools: the guest's shell
 * switches views with VMFUNC, asks for #VE, and touches guest-physical
 * pages; its writes (and its memory-writing workload's) to a page the view
 * forbids reach an external agent's `xlsim altp2m listen`. Then every
 * refusal Xen gives the guest, per altp2m mode.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTool, tmpHome, type RunResult } from '../helpers/cli';

const res = (stdout: string, stderr = '', code = 0): RunResult => ({ stdout, stderr, code });
const PROFILES = path.resolve(__dirname, '../../configs/hosts');

interface Lab {
  xl(...a: string[]): RunResult;
  xlsim(...a: string[]): RunResult;
  create(name: string, text: string): void;
  /** log in on the guest's console and drain what it printed so far */
  login(dom: string): void;
  /** a command typed at the guest's shell, and what its console showed */
  sh(dom: string, line: string): string;
}

function lab(profileEdit?: (ini: string) => string): Lab {
  const home = tmpHome('xlsim-altp2m-guest-');
  const env = { XLSIM_HOME: home, XLSIM_HOST: 'lab' };
  const xlsim = (...a: string[]) => runTool('xlsim', a, { env, cwd: home });
  const xl = (...a: string[]) => runTool('xl', a, { env, cwd: home });
  const create = ['host', 'create', 'lab', '--clock', 'manual', '--seed', '7'];
  if (profileEdit) {
    const prof = path.join(home, 'lab.ini');
    fs.writeFileSync(prof, profileEdit(fs.readFileSync(path.join(PROFILES, 'default.ini'), 'utf8')));
    create.push('--profile', prof);
  }
  expect(runTool('xlsim', create, { env: { XLSIM_HOME: home }, cwd: home }).code).toBe(0);
  const l: Lab = {
    xl,
    xlsim,
    create(name, text) {
      fs.writeFileSync(path.join(home, `${name}.cfg`), text);
      expect(xl('create', `${name}.cfg`)).toEqual(res('', `Parsing config from ${name}.cfg\n`));
    },
    login(dom) {
      expect(xlsim('clock', 'advance', '30s').code).toBe(0);
      expect(xlsim('guest', dom, 'type', 'root').code).toBe(0);
      expect(xl('console', dom).stdout).toMatch(/root@\S+:~# $/);
    },
    sh(dom, line) {
      expect(xlsim('guest', dom, 'type', line)).toEqual(res(''));
      const out = xl('console', dom).stdout;
      const prompt = `root@${dom}:~# `;
      expect(out.startsWith(`${line}\r\n`), out).toBe(true);
      expect(out.endsWith(prompt), out).toBe(true);
      return out.slice(line.length + 2, out.length - prompt.length).replace(/\r\n/g, '\n');
    },
  };
  return l;
}

const VIOLATION = (gfn: string, vcpu: number, view: number) =>
  `PAGE ACCESS: -w- for GFN ${gfn} (offset 000000) gla 0000000000000000 (valid: n; fault in gpt: n; fault with gla: n) (vcpu ${vcpu} [p], altp2m view ${view})\n`;

describe('the acceptance lab: altp2m="external", the guest runs on a restricted view', () => {
  let l: Lab;
  beforeAll(() => {
    l = lab();
    l.create('vmi', 'name = "vmi"\ntype = "hvm"\nmemory = 512\nvcpus = 2\naltp2m = "external"\n');
    l.login('vmi');
  });

  it('create view rx, gfn r, the guest switches to it and writes there, listen sees it, switch back, destroy', () => {
    expect(l.xlsim('altp2m', 'vmi', 'on')).toEqual(res('altp2m active on domain 1 (vmi): every vCPU is on view 0\nmem_access listener attached to domain 1\n'));
    expect(l.xlsim('altp2m', 'vmi', 'create-view', '--default-access', 'rx')).toEqual(res('altp2m view created with id 1\n'));
    expect(l.xlsim('altp2m', 'vmi', 'set-access', '1', '0x1234', 'r')).toEqual(res('view 1: gfn 0x1234 set to r\n'));
    // the guest itself moves to the view: VMFUNC, no hypercall, no exit
    expect(l.sh('vmi', 'altp2m switch 1')).toBe('vCPU0: now on altp2m view 1 (VMFUNC)\n');
    expect(l.xlsim('altp2m', 'vmi', 'list').stdout).toContain('vCPU   VIEW   #VE page\n0      1      -\n1      0      -\n');
    // reading is allowed; writing is not, and the guest does not notice
    expect(l.sh('vmi', 'peek 0x1234')).toBe('0x1234: 0x0000000000000000\n');
    expect(l.sh('vmi', 'poke 0x1234 42')).toBe('');
    // vCPU 1 is still on view 0, where the page is rwx
    expect(l.sh('vmi', 'poke 0x1234 43 -c 1')).toBe('');
    expect(l.xlsim('altp2m', 'vmi', 'listen')).toEqual(res(VIOLATION('1234', 0, 1)));
    // the guest's memory-writing workload covers the page too: one write per pass over its set
    expect(l.xlsim('guest', 'vmi', 'workload', '--dirty-rate', '16384', '--wss', '64M')).toEqual(res('vmi (domid 1): workload 16384 pages/s over 16384 pages\n'));
    expect(l.xlsim('clock', 'advance', '1500ms').code).toBe(0);
    expect(l.xlsim('altp2m', 'vmi', 'listen')).toEqual(res(VIOLATION('1234', 0, 1)));
    expect(l.xlsim('guest', 'vmi', 'workload', 'idle').code).toBe(0);
    expect(l.xlsim('altp2m', 'vmi', 'destroy-view', '1')).toEqual(res('', 'xlsim: altp2m destroy_p2m on domain 1: Device or resource busy (EBUSY)\n', 1));
    expect(l.sh('vmi', 'altp2m switch 0')).toBe('vCPU0: now on altp2m view 0 (VMFUNC)\n');
    expect(l.sh('vmi', 'poke 0x1234 44')).toBe('');
    expect(l.xlsim('altp2m', 'vmi', 'listen')).toEqual(res(''));
    expect(l.xlsim('altp2m', 'vmi', 'destroy-view', '1')).toEqual(res('altp2m view 1 destroyed\n'));
    expect(l.xlsim('altp2m', 'vmi', 'destroy-view', '0')).toEqual(res('', 'xlsim: altp2m destroy_p2m on domain 1: Device or resource busy (EBUSY)\n', 1));
    expect(l.xlsim('check').code).toBe(0);
  });

  it("external mode: Xen refuses the guest's own altp2m hypercalls; VMFUNC to a view not in the list is #UD", () => {
    expect(l.sh('vmi', 'altp2m ve-enable')).toBe('altp2m: HVMOP_altp2m vcpu_enable_notify: Operation not permitted\n');
    expect(l.sh('vmi', 'altp2m view')).toBe('altp2m: HVMOP_altp2m get_p2m_idx: Operation not permitted\n');
    // view 1 was destroyed, view 7 never existed
    expect(l.sh('vmi', 'altp2m switch 1')).toBe('Illegal instruction\n');
    expect(l.sh('vmi', 'altp2m switch 7')).toBe('Illegal instruction\n');
    expect(l.xlsim('altp2m', 'vmi', 'create-view')).toEqual(res('altp2m view created with id 1\n'));
    expect(l.xlsim('altp2m', 'vmi', 'visibility', '1', 'off')).toEqual(res('view 1 is not visible to VMFUNC\n'));
    expect(l.sh('vmi', 'altp2m switch 1')).toBe('Illegal instruction\n');
    expect(l.xlsim('altp2m', 'vmi', 'off').code).toBe(0);
    // altp2m off: VMFUNC is not enabled for the vCPU at all
    expect(l.sh('vmi', 'altp2m switch 0')).toBe('Illegal instruction\n');
    expect(l.sh('vmi', 'altp2m')).toBe('usage: altp2m view | switch VIEW | ve-enable [GFN] | ve-disable  [-c CPU]\n');
    expect(l.sh('vmi', 'altp2m switch 0 -c 9')).toBe('altp2m: invalid CPU: 9\n');
  });
});

describe('the other modes, as the guest sees them', () => {
  it('disabled: no altp2m ever, so HVMOPs are EOPNOTSUPP and VMFUNC is #UD', () => {
    const l = lab();
    l.create('plain', 'name = "plain"\ntype = "hvm"\nmemory = 256\n');
    l.login('plain');
    expect(l.sh('plain', 'altp2m switch 0')).toBe('Illegal instruction\n');
    expect(l.sh('plain', 'altp2m ve-enable')).toBe('altp2m: HVMOP_altp2m vcpu_enable_notify: Operation not supported\n');
    expect(l.sh('plain', 'peek 0x1234')).toBe('0x1234: 0x0000000000000000\n');
  });

  it('mixed: the guest may use its views and #VE; limited: only #VE', () => {
    const l = lab();
    l.create('mix', 'name = "mix"\ntype = "hvm"\nmemory = 256\naltp2m = "mixed"\n');
    l.create('lim', 'name = "lim"\ntype = "hvm"\nmemory = 256\naltp2m = "limited"\n');
    l.login('mix');
    l.login('lim');
    for (const d of ['mix', 'lim']) expect(l.xlsim('altp2m', d, 'on').code).toBe(0);
    expect(l.sh('mix', 'altp2m view')).toBe('vCPU0: altp2m view 0\n');
    expect(l.sh('mix', 'altp2m ve-enable 0x2000')).toBe('vCPU0: #VE info page at gfn 0x2000\n');
    expect(l.sh('mix', 'altp2m ve-enable 0x2000')).toBe('altp2m: HVMOP_altp2m vcpu_enable_notify: File exists\n');
    // with the #VE page and suppress-#VE cleared, the violation is the guest's own
    expect(l.xlsim('altp2m', 'mix', 'create-view', '--default-access', 'r').code).toBe(0);
    expect(l.xlsim('altp2m', 'mix', 'suppress-ve', '1', '0x3000', 'off').code).toBe(0);
    // clearing the bit copied the host's entry (rwx) into the view: restrict it again
    expect(l.xlsim('altp2m', 'mix', 'set-access', '1', '0x3000', 'r').code).toBe(0);
    expect(l.sh('mix', 'altp2m switch 1')).toBe('vCPU0: now on altp2m view 1 (VMFUNC)\n');
    expect(l.sh('mix', 'poke 0x3000')).toBe('poke: #VE: EPT violation on gfn 0x3000 in altp2m view 1\n');
    expect(l.xlsim('altp2m', 'mix', 'listen')).toEqual(res(''));
    expect(l.sh('mix', 'altp2m ve-disable')).toBe('vCPU0: #VE info page dropped\n');
    expect(l.sh('lim', 'altp2m ve-enable')).toBe('vCPU0: #VE info page at gfn 0x100\n');
    expect(l.sh('lim', 'altp2m view')).toBe('altp2m: HVMOP_altp2m get_p2m_idx: Operation not permitted\n');
    expect(l.sh('lim', 'altp2m switch 0')).toBe('vCPU0: now on altp2m view 0 (VMFUNC)\n');
  });

  it('a CPU without VM functions: Xen emulates VMFUNC', () => {
    const l = lab((ini) => ini.replace(/^vmfunc = true$/m, 'vmfunc = false'));
    l.create('vmi', 'name = "vmi"\ntype = "hvm"\nmemory = 256\naltp2m = "external"\n');
    l.login('vmi');
    expect(l.xlsim('altp2m', 'vmi', 'on').code).toBe(0);
    expect(l.xlsim('altp2m', 'vmi', 'create-view').code).toBe(0);
    expect(l.sh('vmi', 'altp2m switch 1')).toBe('vCPU0: now on altp2m view 1 (VMFUNC emulated by Xen: this CPU has no VM functions)\n');
    expect(l.sh('vmi', 'altp2m switch 3')).toBe('Illegal instruction\n');
  });
});
