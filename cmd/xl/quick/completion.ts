/** Stands for cmd/xl/completion.ts in the quick `xl list` bundle. */
import type * as real from '../completion';
import { handOver } from './handover';

export const completionMain: typeof real.completionMain = () => handOver('write completion scripts');
