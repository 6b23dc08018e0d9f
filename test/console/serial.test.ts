import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool, tmpHome, xl } from '../helpers/cli';

// An HVM guest's serial 0 has a tty only when QEMU's serial port is a pty
describe('HVM serial console tty', () => {
  it('exists with serial="pty" and not without it', () => {
    const home = tmpHome();
    const env = { XLSIM_HOME: home, XLSIM_HOST: 's' };
    expect(runTool('xlsim', ['host', 'create', 's', '--clock', 'manual', '--seed', '1'], { env }).code).toBe(0);
    const withPty = path.join(home, 'a.cfg');
    const without = path.join(home, 'b.cfg');
    fs.writeFileSync(withPty, 'type="hvm"\nname="a"\nmemory=256\nserial="pty"\n');
    fs.writeFileSync(without, 'type="hvm"\nname="b"\nmemory=256\n');
    expect(xl(['create', '-q', withPty], { env }).code).toBe(0);
    expect(xl(['create', '-q', without], { env }).code).toBe(0);
    expect(runTool('xenstore-read', ['/local/domain/1/serial/0/tty'], { env })).toEqual({ code: 0, stdout: '/dev/pts/2\n', stderr: '' });
    expect(runTool('xenstore-read', ['/local/domain/2/serial/0/tty'], { env })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'xenstore-read: couldn\'t read path /local/domain/2/serial/0/tty\n',
    });
  });
});
