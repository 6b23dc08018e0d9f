/** Stands for cmd/xl/list_details.ts in the quick `xl list` bundle: `-l` is the full xl's. */
import type * as real from '../list_details';
import { handOver } from './handover';

export const listDomainsDetails: typeof real.listDomainsDetails = () => handOver('print domain configurations (-l)');
