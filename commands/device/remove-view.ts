// Per-step report of `cdm device isolate|delete` (types only).
import type { View } from '../../src/core/output.js';
import type { StepReport } from '../../src/workflows/device/steps.js';

export const STEP_VIEW: View<StepReport> = [
  { header: 'Step', value: (s) => s.step },
  { header: 'Service', value: (s) => s.service },
  { header: 'Status', value: (s) => s.status },
  { header: 'Detail', value: (s) => s.detail },
];
