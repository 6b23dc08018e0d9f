/**
 * Fuzzing the spec parsers: whatever the input, they return a verdict —
 * never throw, never hang — and a failed disk parse always says why.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChannelItem } from '../../lib/cfg/channel';
import { newCpuidPolicy, parseCpuidList, parseCpuidString } from '../../lib/cfg/cpuid';
import { bitmapText, CpuMap, parseCpurange } from '../../lib/cfg/cpulist';
import { xluDiskParse } from '../../lib/cfg/disk';
import { parseP9Item } from '../../lib/cfg/p9';
import { xluPciParseSpecString, xluRdmParse } from '../../lib/cfg/pci';
import { collectingSink } from '../../lib/cfg/report';
import { parseUsbctrlItem, parseUsbdevItem } from '../../lib/cfg/usb';
import { parseVdisplItem } from '../../lib/cfg/vdispl';
import { parseVfbItem } from '../../lib/cfg/vfb';
import { parseNicToken, parseVifItem } from '../../lib/cfg/vif';
import { parseVirtioItem } from '../../lib/cfg/virtio';
import { parseVkbItem } from '../../lib/cfg/vkb';
import { parseVsndCard } from '../../lib/cfg/vsnd';
import { parsePvcallsItem, parseVtpmItem } from '../../lib/cfg/vtpm';
import { deviceToJson } from '../../lib/libxl/json';

/** strings built from the pieces the grammars care about, plus arbitrary text */
function specText(pieces: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((a) => a.join('')),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
}

const DISK = ['format=', 'raw', 'qcow2', 'cdrom', 'devtype=', 'access=', 'ro', 'backend=', 'backendtype=', 'phy', 'vdev=', 'xvda', 'hdc:cdrom',
  'target=', 'script=', 'discard', 'colo-port=', '0', 'trusted', 'grant_usage=1', 'raw:', 'phy:', 'iscsi:', 'foo:', ',', ',', '=', ' ', '\t', '\n', '/x', 'X', ':'];
const RATE = ['rate=', '0', '1', '010', '4294967296', 'G', 'M', 'K', 'B', 'b', '/s', '@', 'ms', 'us', 's', 'x'];
const VIF = ['mac=', '00', ':', '-', 'ff', '100', 'type=', 'vif', 'ioemu', 'bridge=', 'mtu=', 'devid=', 'trusted', ',', ' ', ...RATE];
const PCI = ['0', '1f', 'ff', '10000', ':', '.', '*', '@', ',', '=', 'bdf=', 'vslot=', 'seize=', 'name=', 'rdm_policy=', 'strict', '0x', '-', ' '];
const CPUS = ['^', 'node:', 'nodes:', 'all', '0', '3', '7', '-', ',', '18446744073709551615', '4294967296', ' ', 'x'];
const KV = ['backend=', 'type=', 'virtio', 'connectors=', 'id0:', '800x600', ';', 'name=', 'path=', 'connection=', 'pty', 'socket', 'uuid=', ',', ' ', '=',
  'backend-type=linux', 'feature-multi-touch=1', 'sample-rates=', 'sample-formats=s16_le', 'CARD', 'PCM', 'STREAM', 'tag=', 'max-files=', 'version=', 'ports='];

const CPUID = ['host', ',', '=', 'tm', 'family', 'model', 'maxleaf', 'sse3', 'rdcl-no', '0', '1', '0x1f', '300', 'x', 'k', 's', 'q',
  ':', 'eax=', 'ecx=', 'e', 'x'.repeat(32), 'x'.repeat(31), '7', '0xffffffff', ' ', '\n'];

const RUNS = { numRuns: 1500 };

describe('spec parsers under fuzzing', () => {
  it('disk: a verdict for any words; failures are reported', () => {
    fc.assert(
      fc.property(fc.array(specText(DISK), { minLength: 1, maxLength: 3 }), (words) => {
        const sink = collectingSink();
        const r = xluDiskParse(sink, 'command line', words);
        if (r.ok) expect(deviceToJson('disk', r.disk)).toMatch(/^\{/);
        else {
          expect([1, 2]).toContain(r.exitCode);
          expect(sink.text()).not.toBe('');
        }
      }),
      RUNS,
    );
  });
  it('vif tokens and items', () => {
    fc.assert(
      fc.property(specText(VIF), specText(VIF), (a, b) => {
        const env = { report: collectingSink(), source: 'f' };
        const r = parseNicToken({}, env, a, b);
        expect(['ok', 'bad', 'exit']).toContain(r.kind);
        const item = parseVifItem(env, { bridge: 'x' }, `${a},${b}`);
        deviceToJson('nic', item.nic);
      }),
      RUNS,
    );
  });
  it('pci and rdm', () => {
    fc.assert(
      fc.property(specText(PCI), (s) => {
        expect([0, -3, -6]).toContain(xluPciParseSpecString(collectingSink(), {}, s));
        expect([0, -6]).toContain(xluRdmParse(collectingSink(), {}, s));
      }),
      RUNS,
    );
  });
  it('cpulist, on a big host too', () => {
    const topo = { nrCpus: 64, cpusOfNode: Array.from({ length: 4 }, (_, n) => Array.from({ length: 16 }, (_x, i) => 16 * n + i)) };
    fc.assert(
      fc.property(specText(CPUS), (s) => {
        const map = CpuMap.forHost(topo);
        parseCpurange(collectingSink(), topo, s, map);
        expect(bitmapText(map, topo.nrCpus)).toMatch(/^(all|none|\d+(-\d+)?(,\d+(-\d+)?)*)$/);
      }),
      RUNS,
    );
  });
  it('cpuid, both forms', () => {
    fc.assert(
      fc.property(specText(CPUID), (s) => {
        const p = newCpuidPolicy();
        parseCpuidString(collectingSink(), p, s);
        parseCpuidList(collectingSink(), p, [s]);
        for (const e of p.cpuid) for (const r of [e.eax, e.ebx, e.ecx, e.edx]) if (r !== undefined) expect(r).toHaveLength(32);
        for (const m of p.msr) expect(m.policy).toHaveLength(64);
      }),
      RUNS,
    );
  });
  it('the other device items', () => {
    fc.assert(
      fc.property(specText(KV), (s) => {
        const sink = collectingSink();
        parseVfbItem(s, 0);
        parseVtpmItem(sink, s, 0);
        parsePvcallsItem(sink, s, 0);
        parseChannelItem(sink, s, 0);
        parseP9Item(sink, s, 0, 'g');
        parseUsbctrlItem(sink, s, 0);
        parseUsbdevItem(sink, s);
        parseVkbItem(sink, s, 0);
        parseVdisplItem(sink, s, 0);
        parseVsndCard(sink, [s, s], 0);
        parseVirtioItem(sink, s, 0);
      }),
      RUNS,
    );
  });
});
