// xl migrate of a guest the toolstack holds paused: the live rounds go out,
// then libxl asks the guest to suspend through control/shutdown and waits
// 60 s for an acknowledgement a paused guest cannot give. The request is
// withdrawn, the save fails with ERROR_GUEST_TIMEDOUT, and xl leaves the
// guest where it was (failed_suspend: no resume); the receiver, its stream
// cut short, removes its copy.
import { describe, expect, it } from 'vitest';
import { runTool } from '../helpers/cli';
import { clockNow, HVM_CFG, PV_CFG } from '../lifecycle/transcript';
import { migrationOpening, twoHosts } from './hosts';

function failed(domid: number, kind: string, optlen: string, pid: string): string {
  return (
    migrationOpening(domid, kind, optlen) +
    `libxl: error: libxl_dom_suspend.c:262:domain_suspend_common_pvcontrol_suspending: Domain ${domid}:guest didn't acknowledge suspend, cancelling request\n` +
    'xc: error: Domain has not been suspended: shutdown 0, reason 255: Internal error\n' +
    'xc: error: Save failed (0 = Success): Internal error\n' +
    `libxl: error: libxl_stream_write.c:347:libxl__xc_domain_save_done: Domain ${domid}:saving domain: domain did not respond to suspend request: Success\n` +
    'migration sender: libxl_domain_suspend failed (rc=-8)\n' +
    'xc: error: Failed to read Record Header from stream: Internal error\n' +
    'migration target: Domain creation failed (code -3).\n' +
    `libxl: info: libxl_exec.c:117:libxl_report_child_exitstatus: migration transport process [${pid}] exited with error status 1\n` +
    'Migration failed, failed to suspend at sender.\n'
  );
}


function listed(t: ReturnType<typeof twoHosts>, host: string): string[] {
  return t.on(host).xl('list').stdout.split('\n').slice(1).filter(Boolean).map((l) => l.split(/\s+/).slice(0, 2).join(' ')!);
}

describe('xl migrate of a paused guest', () => {
  for (const [name, text, kind, boot] of [
    ['pv1', PV_CFG, 'PV', '3s'],
    ['hvm1', HVM_CFG, 'HVM', '10s'],
  ] as const) {
    it(`${name}: fails to suspend after 60 s and stays paused on the sender; nothing is left on the target`, () => {
      const t = twoHosts();
      const a = t.on('a');
      expect(a.xl('create', '-q', t.cfg(name, text)).code).toBe(0);
      a.xlsim('clock', 'advance', boot);
      expect(a.xl('pause', name).code).toBe(0);
      const m = a.xl('migrate', name, 'b');
      const optlen = /info 0x3\/0x0\/(\d+)/.exec(m.stderr)?.[1] ?? '?';
      const pid = /process \[(\d+)\]/.exec(m.stderr)?.[1] ?? '?';
      expect(m).toEqual({ stdout: '', stderr: failed(1, kind, optlen, pid), code: 1 });
      expect(clockNow(t.on('a'))).toBe(boot === '3s' ? '63.000000000' : '70.000000000');
      expect(a.xl('list', name).stdout).toMatch(new RegExp(`^${name}\\s+1\\s+\\d+\\s+2\\s+--p---`, 'm'));
      const node = runTool('xenstore-read', ['/local/domain/1/control/shutdown'], { env: { XLSIM_HOME: t.home, XLSIM_HOST: 'a' }, cwd: t.home });
      expect(node).toEqual({ stdout: '\n', stderr: '', code: 0 });
      expect(listed(t, 'b')).toEqual(['Domain-0 0']);
      // unpaused, it runs on and migrates
      expect(a.xl('unpause', name).code).toBe(0);
      a.xlsim('clock', 'advance', '1s');
      const again = a.xl('migrate', name, 'b');
      expect(again.stderr).toMatch(/Migration successful\.\n$/);
      expect(again.code).toBe(0);
      expect(listed(t, 'a')).toEqual(['Domain-0 0']);
      expect(listed(t, 'b')).toEqual(['Domain-0 0', `${name} 2`]);
      for (const h of ['a', 'b']) expect(t.on(h).xlsim('check')).toEqual({ stdout: 'xlsim check: host is consistent\n', stderr: '', code: 0 });
    });
  }
});
