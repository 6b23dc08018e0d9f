import { test } from 'vitest';
import { guestMemoryMap } from '../../lib/xen/layout/memmap';
import { renderGuestMapText } from '../../lib/xen/layout/render-text';
test('x', () => {
  for (const t of ['hvm','pvh','pv'] as const) console.log(renderGuestMapText(guestMemoryMap({ type: t, memoryMiB: 6144, vcpus: 2 }), 'T'));
});
