// What the bootstrap did, one line per object it looked at: the proof of idempotency is a second
// run whose every line says "unchanged".
export type Outcome = 'created' | 'updated' | 'unchanged' | 'present';

export interface BootstrapAction {
  stack: string;
  service: string;
  target: string;
  outcome: Outcome;
}

export type Record_ = (service: string, target: string, outcome: Outcome) => void;

export function recorder(stack: string, into: BootstrapAction[]): Record_ {
  return (service, target, outcome) => { into.push({ stack, service, target, outcome }); };
}
