/**
 * Values a real installed guest carries on its disk or draws at boot (the
 * root filesystem's UUID, jitter in timings): derived from the guest's seed
 * so that the same guest always prints the same thing. Each use takes its own
 * stream (seed mixed with a salt) so adding a draw in one place does not shift
 * every other value.
 */
import { Rng } from '../../sim/rng';

export function rngFor(seed: number, salt: string): Rng {
  let h = 0x811c9dc5;
  for (let i = 0; i < salt.length; i++) h = Math.imul(h ^ salt.charCodeAt(i), 0x01000193) >>> 0;
  return Rng.fromSeed(((seed >>> 0) ^ h) >>> 0);
}

/** The root filesystem's UUID (as in root=UUID=... and lsblk). */
export function fsUuid(seed: number): string {
  return rngFor(seed, 'rootfs').uuid();
}
