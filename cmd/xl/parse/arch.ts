/**
 * The architecture keys at the end of parse_config_data()
 * (tools/xl/xl_parse.c). Arm keys are parsed on x86 too — xl reads them
 * whatever the build — and only libxl later decides they do not apply.
 */
import { strtok } from '../../../lib/cfg/cconv';
import { enumFromString, type EnumName } from '../../../lib/libxl/types';
import { EXIT_ERROR_FAIL, type ParseEnv } from './env';

function enumKey<E extends EnumName>(env: ParseEnv, key: string, e: E, msg: (v: string) => string, code: number) {
  const r = env.x.getString(key, true);
  if (r.rc !== 0) return undefined;
  const v = enumFromString(e, r.value);
  if (v === undefined) {
    env.err(msg(r.value));
    env.exit(code);
  }
  return v;
}

export function parseArmKeys(env: ParseEnv): void {
  const b = env.d.b_info;
  const gic = enumKey(env, 'gic_version', 'gic_version', (v) => `Unknown gic_version "${v}" specified\n`, EXIT_ERROR_FAIL);
  if (gic !== undefined) b.arch_arm.gic_version = gic;
  const tee = enumKey(env, 'tee', 'tee_type', (v) => `Unknown tee "${v}" specified\n`, EXIT_ERROR_FAIL);
  if (tee !== undefined) b.tee = tee;
  const sve = enumKey(env, 'sve', 'sve_type', (v) => `Unknown sve "${v}" specified\n`, 1);
  if (sve !== undefined) b.arch_arm.sve_vl = sve;
  const spis = env.x.getLong('nr_spis');
  if (spis.rc === 0) b.arch_arm.nr_spis = spis.value >>> 0;

  const tua = env.x.getDefbool('trap_unmapped_accesses');
  if (tua.rc === 0) b.trap_unmapped_accesses = tua.value;

  const sci = env.x.getString('arm_sci', true);
  if (sci.rc === 0) {
    for (const tok of strtok(sci.value, ',')) {
      if (!tok.startsWith('type=')) continue;
      const v = enumFromString('arm_sci_type', tok.slice(5));
      if (v === undefined) {
        env.err(`Unknown ARM_SCI type: ${tok.slice(5)}\n`);
        env.exit(1);
      }
      b.arch_arm.arm_sci.type = v;
    }
  }
}

export function parseTail(env: ParseEnv): void {
  const { x } = env;
  const c = env.d.c_info;
  const b = env.d.b_info;
  const xs = x.getDefbool('xend_suspend_evtchn_compat');
  if (xs.rc === 0) c.xend_suspend_evtchn_compat = xs.value;
  const msr = x.getDefbool('msr_relaxed');
  if (msr.rc === 0) {
    b.arch_x86.msr_relaxed = msr.value;
    env.err(
      'WARNING: msr_relaxed will be removed in future versions.\n' +
        'If it fixes an issue you are having please report to xen-devel@lists.xenproject.org.\n',
    );
  }
  const vpmu = x.getDefbool('vpmu');
  if (vpmu.rc === 0) b.vpmu = vpmu.value;
}
