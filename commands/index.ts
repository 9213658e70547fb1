// The command registry: every group and verb cdm has. Order is the order of `cdm --help`.
import type { RegistryEntry } from '../src/core/command-spec.js';
import { auditGroup } from './audit/index.js';
import { authGroup } from './auth/index.js';
import { certGroup } from './cert/index.js';
import { contextGroup } from './context/index.js';
import { debugGroup } from './debug/index.js';
import { deviceGroup } from './device/index.js';
import { rolloutGroup } from './rollout/index.js';
import { stackGroup } from './stack/index.js';
import { tenantGroup } from './tenant/index.js';
import { completionVerb } from './meta/completion.js';
import { doctorVerb } from './meta/doctor.js';
import { helpVerb } from './meta/help.js';
import { versionVerb } from './meta/version.js';

export const REGISTRY: readonly RegistryEntry[] = [stackGroup, contextGroup, authGroup, tenantGroup, deviceGroup, certGroup, rolloutGroup, debugGroup, auditGroup, doctorVerb, completionVerb, helpVerb, versionVerb];
