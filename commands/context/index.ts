import type { GroupSpec } from '../../src/core/command-spec.js';
import { add } from './add.js';
import { current } from './current.js';
import { exportVerb } from './export.js';
import { importVerb } from './import.js';
import { list } from './list.js';
import { remove } from './remove.js';
import { rename } from './rename.js';
import { show } from './show.js';
import { use } from './use.js';

export const contextGroup: GroupSpec = {
  name: 'context',
  summary: 'Manage contexts: which stack and credentials a command uses',
  verbs: [add, list, show, use, current, rename, remove, importVerb, exportVerb],
};
