// A local syntax check of hawkBit's FIQL/RSQL filters (`rollout --target`, `rollout list --query`,
// `device list --query`), so a malformed one is exit 2 before anything is sent (hawkBit would
// answer 400 rsqlParamSyntax, but only after the request, and for a rollout after create was sent).
// It checks the grammar hawkBit's RSQL parser accepts: comparisons `selector op value` joined by
// `;`/`and` and `,`/`or`, parentheses, `=in=(a,b)` lists, quoted values. Field names are left to
// the server (they differ between versions).
import { UsageError } from '../../core/errors.js';

const SELECTOR = /^[A-Za-z_][A-Za-z0-9_.-]*/;
const OPERATOR = /^(==|!=|=[a-z]*=)/i;
const UNQUOTED = /^[^\s"'();,=!~<>]+/;

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  fail(why: string): never {
    throw new UsageError(`invalid FIQL filter "${this.text}": ${why} at position ${this.pos + 1}`, {
      hint: 'FIQL looks like: name==dev-*;updatestatus!=error  (";" = and, "," = or, =in=(a,b))',
    });
  }

  private ws(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  private rest(): string {
    return this.text.slice(this.pos);
  }

  parse(): void {
    this.ws();
    if (this.pos >= this.text.length) this.fail('empty filter');
    this.or();
    this.ws();
    if (this.pos < this.text.length) this.fail(`unexpected "${this.text[this.pos]}"`);
  }

  private or(): void {
    this.and();
    for (;;) {
      this.ws();
      const m = /^(,|or\s)/i.exec(this.rest());
      if (!m) return;
      this.pos += m[0].length;
      this.and();
    }
  }

  private and(): void {
    this.term();
    for (;;) {
      this.ws();
      const m = /^(;|and\s)/i.exec(this.rest());
      if (!m) return;
      this.pos += m[0].length;
      this.term();
    }
  }

  private term(): void {
    this.ws();
    if (this.text[this.pos] === '(') {
      this.pos++;
      this.or();
      this.ws();
      if (this.text[this.pos] !== ')') this.fail('missing ")"');
      this.pos++;
      return;
    }
    const sel = SELECTOR.exec(this.rest());
    if (!sel) this.fail('expected a field name');
    this.pos += sel[0].length;
    this.ws();
    const op = OPERATOR.exec(this.rest());
    if (!op) this.fail(`expected an operator (==, !=, =in=, …) after "${sel[0]}"`);
    this.pos += op[0].length;
    this.ws();
    if (this.text[this.pos] === '(') {
      this.pos++;
      this.value();
      for (;;) {
        this.ws();
        if (this.text[this.pos] === ')') { this.pos++; return; }
        if (this.text[this.pos] !== ',') this.fail('expected "," or ")" in a value list');
        this.pos++;
        this.value();
      }
    }
    this.value();
  }

  private value(): void {
    this.ws();
    const q = this.text[this.pos];
    if (q === '"' || q === "'") {
      let i = this.pos + 1;
      while (i < this.text.length && this.text[i] !== q) i += this.text[i] === '\\' ? 2 : 1;
      if (i >= this.text.length) this.fail('unterminated quoted value');
      this.pos = i + 1;
      return;
    }
    const m = UNQUOTED.exec(this.rest());
    if (!m) this.fail('expected a value');
    this.pos += m[0].length;
  }
}

/** Throws UsageError (exit 2) when `text` is not a well-formed FIQL filter. */
export function checkFiql(text: string): string {
  new Parser(text).parse();
  return text;
}
