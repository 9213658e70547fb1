import type { ReadVerb } from '../../src/core/command-spec.js';
import { INVENTORY_ITEM_VIEW } from './views.js';

export const show: ReadVerb = {
  name: 'show',
  summary: 'Show one certificate cdm recorded, by serial',
  description: 'Show what cdm recorded about a certificate it issued, renewed, revoked or enrolled a device with for the context (see `cdm cert list`). step-ca cannot be asked about a serial, so an unknown serial is exit 3; use `cdm cert inspect <file>` for a certificate file.',
  args: [{ name: 'serial', description: 'serial number: decimal, 0x-prefixed hex, or hex pairs with colons (as openssl prints it)', required: true }],
  examples: [
    { command: 'cdm cert show 1655281930295817268362923', description: 'one certificate' },
    { command: 'cdm cert show 0x15e7a1 -o json', description: 'as data, by hex serial' },
  ],
  mutates: false,
  async run(ctx) {
    const { showInventory } = await import('../../src/workflows/cert/list.js');
    await ctx.f.output().item('Certificate', await showInventory(ctx.f, String(ctx.args.serial)), INVENTORY_ITEM_VIEW);
  },
};
