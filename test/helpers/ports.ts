// Port bases for test sandboxes: below Linux's ephemeral range (32768–60999), where outgoing
// client sockets of the same machine would otherwise collide with the sandbox's fixed ports.
export function randomPortBase(): number {
  return 10_000 + Math.floor(Math.random() * 220) * 100;
}
