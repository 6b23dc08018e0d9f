/**
 * Same seed, same commands, manual clock: byte-identical output, UUIDs and
 * MACs included; a different seed changes the random choices only.
 */
import { describe, expect, it } from 'vitest';
import { PV_CFG, manualHost, type Host } from './transcript';

function scenario(h: Host): string {
  const cfg = h.cfg('pv1', PV_CFG);
  h.xl('create', cfg);
  h.xlsim('clock', 'advance', '3s');
  h.xl('list', '-v');
  h.xl('list', '-l');
  h.xl('pause', 'pv1');
  h.xl('unpause', 'pv1');
  h.xl('unpause', 'pv1');
  h.xl('mem-set', 'pv1', '300');
  h.xlsim('clock', 'advance', '2s');
  h.xl('vcpu-list');
  h.xl('reboot', 'pv1');
  h.xlsim('clock', 'advance', '10s');
  h.xl('list', '-v');
  h.xl('shutdown', '-w', 'pv1');
  h.xl('info');
  h.xl('dmesg');
  h.xlsim('check');
  // paths differ between homes; everything else must not
  return h.transcript.join('\n').split(h.home).join('$HOME') + '\n--- log\n' + h.log('pv1');
}

describe('determinism', () => {
  it('same seed: byte-identical transcripts', () => {
    const a = scenario(manualHost(7));
    const b = scenario(manualHost(7));
    expect(a).toBe(b);
    expect(a).toContain('Domain 2 has been shut down, reason code 0');
  });
  it('another seed: other UUIDs', () => {
    const uuids = (t: string) => t.match(/"uuid": "[0-9a-f-]+"/g) ?? [];
    const a = uuids(scenario(manualHost(1)));
    const b = uuids(scenario(manualHost(2)));
    expect(a.length).toBeGreaterThan(0);
    expect(a).not.toEqual(b);
  });
});
