// The transport command xl builds ("exec %s %s xl%s%s%.*s migrate-receive%s%s%s")
// and the receiver's arguments for a simulated host.
import { describe, expect, it } from 'vitest';
import { migrationRune, receiverArgs, MIGRATE_RECEIVER_BANNER, MIGRATE_RECEIVER_READY, MIGRATE_PERMISSION_TO_GO, MIGRATE_REPORT } from '../../lib/libxl/migrate';

const base = { sshCommand: 'ssh', host: 'host2', passTty: false, timestamps: false, verbose: 0, noDaemonize: false, debug: false, paused: false };

describe('migration rune', () => {
  it('is the plain form without options', () => {
    expect(migrationRune(base)).toBe('exec ssh host2 xl migrate-receive');
  });
  it('passes -t, -T, one v per -v (at most four), then -e -d -p in that order', () => {
    expect(migrationRune({ ...base, passTty: true })).toBe('exec ssh host2 xl -t migrate-receive');
    expect(migrationRune({ ...base, passTty: true, timestamps: true, verbose: 2, noDaemonize: true, debug: true, paused: true })).toBe(
      'exec ssh host2 xl -t -T -vv migrate-receive -e -d -p',
    );
    expect(migrationRune({ ...base, verbose: 7 })).toBe('exec ssh host2 xl -vvvv migrate-receive');
    expect(receiverArgs({ ...base, passTty: true, verbose: 1, paused: true })).toEqual(['-t', '-v', 'migrate-receive', '-p']);
  });
  it('uses the -s command as given, and the host alone when -s is empty', () => {
    expect(migrationRune({ ...base, sshCommand: 'ssh -p 2222 -l root' })).toBe('exec ssh -p 2222 -l root host2 xl migrate-receive');
    expect(migrationRune({ ...base, sshCommand: '', host: 'nc otherbox 9999' })).toBe('nc otherbox 9999');
  });
  it('has the protocol strings of xl.h, NUL-terminated except the banner', () => {
    expect(MIGRATE_RECEIVER_BANNER.toString('latin1')).toBe('xl migration receiver ready, send binary domain data.\n');
    expect(MIGRATE_RECEIVER_READY.length).toBe(34);
    expect(MIGRATE_PERMISSION_TO_GO.toString('latin1')).toBe('domain is yours, you are cleared to unpause\0');
    expect(MIGRATE_REPORT.toString('latin1')).toBe('my copy unpause results are as follows\0');
  });
});
