/**
 * A guided lab as data: what configs/labs/<name>/lab.ini declares once
 * parsed and validated (lib/lab/parse.ts). Texts keep their placeholders
 * ({dir}, {host}, {host.ALIAS}); the console fills them in when it prints.
 */
import type { ClockMode } from '../sim/clock';
import type { Check } from './checks';

export interface LabHost {
  /** how checks and texts refer to it: [host.ALIAS] */
  alias: string;
  /** the simulated host's name under XLSIM_HOME (lab-<something>) */
  name: string;
  /** a profile under configs/hosts (or a path) */
  profile: string;
  clock: ClockMode;
  seed?: number;
  /** commands run on this host when the lab starts (xl, xlsim, xenstore-*) */
  setup: string[];
}

export interface LabStep {
  /** the section name after "step." */
  id: string;
  title: string;
  /** what to do, one printed line per entry */
  goal: string[];
  hints: string[];
  checks: Check[];
  /** printed once the step is done: what just happened, and why */
  done: string[];
}

export interface LabDef {
  name: string;
  title: string;
  /** where `lab list` puts it (ascending, then by name) */
  order: number;
  intro: string[];
  outro: string[];
  /** the first is the one the lab makes current */
  hosts: LabHost[];
  steps: LabStep[];
}
