// Counts in messages: "1 device", "2 devices". Only for words whose plural adds an s.
export function count(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}
