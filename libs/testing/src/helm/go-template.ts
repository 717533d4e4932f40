/**
 * The part of Go's text/template (with the Sprig functions Helm adds) that Roster's chart uses, so
 * tests can render the chart where `helm` is not installed. Anything else is refused by name, so a
 * template that strays from this subset fails its test instead of rendering wrongly; where `helm` is
 * installed, the chart test also compares this rendering with Helm's own.
 */

type Value = unknown;
export type TemplateFunction = (...args: Value[]) => Value;

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if'; branches: { pipe: Pipeline; body: Node[] }[]; otherwise: Node[] }
  | { kind: 'range'; vars: string[]; pipe: Pipeline; body: Node[]; otherwise: Node[] }
  | { kind: 'with'; pipe: Pipeline; body: Node[]; otherwise: Node[] };

interface Pipeline {
  declare?: { vars: string[]; assign: boolean };
  commands: Term[][];
}

type Term =
  | { kind: 'field'; root: '.' | '$' | `$${string}`; path: string[] }
  | { kind: 'literal'; value: Value }
  | { kind: 'call'; name: string }
  | { kind: 'group'; pipe: Pipeline; path: string[] };

class TemplateError extends Error {}

// ---------------------------------------------------------------- lexing actions out of the text

function splitActions(source: string): (string | { action: string })[] {
  const parts: (string | { action: string })[] = [];
  let at = 0;
  for (;;) {
    const open = source.indexOf('{{', at);
    if (open < 0) {
      parts.push(source.slice(at));
      return parts;
    }
    let text = source.slice(at, open);
    let inner = open + 2;
    if (source[inner] === '-' && /\s/.test(source[inner + 1] ?? '')) {
      text = text.replace(/\s+$/, '');
      inner += 1;
    }
    const close = findClose(source, inner);
    let end = close;
    let trimAfter = false;
    if (source[close - 1] === '-' && /\s/.test(source[close - 2] ?? '')) {
      end = close - 1;
      trimAfter = true;
    }
    parts.push(text, { action: source.slice(inner, end).trim() });
    at = close + 2;
    if (trimAfter) while (at < source.length && /\s/.test(source[at])) at++;
  }
}

function findClose(source: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < source.length - 1; i++) {
    const c = source[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '}' && source[i + 1] === '}') return i;
  }
  throw new TemplateError('unclosed action');
}

// ---------------------------------------------------------------- parsing

const CHAINED = '\u0000';

function tokenize(action: string): string[] {
  const tokens: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|:=|=|\||\(|\)|,|[^\s|(),=]+)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < action.length && (m = re.exec(action))) {
    // `(…).field` reads a field of the group's value; `(…) .field` is another argument.
    const chained = m[1].startsWith('.') && m[0] === m[1] && tokens[tokens.length - 1] === ')';
    tokens.push(chained ? `${CHAINED}${m[1]}` : m[1]);
  }
  if (re.lastIndex < action.trimEnd().length) throw new TemplateError(`cannot read action {{ ${action} }}`);
  return tokens;
}

class PipelineParser {
  private i = 0;
  constructor(private readonly tokens: string[]) {}

  parse(): Pipeline {
    const pipe = this.pipeline();
    if (this.i < this.tokens.length) throw new TemplateError(`unexpected "${this.tokens[this.i]}"`);
    return pipe;
  }

  private pipeline(): Pipeline {
    const declare = this.declaration();
    const commands: Term[][] = [this.command()];
    while (this.tokens[this.i] === '|') {
      this.i++;
      commands.push(this.command());
    }
    return declare ? { declare, commands } : { commands };
  }

  private declaration(): Pipeline['declare'] {
    const vars: string[] = [];
    let j = this.i;
    while (this.tokens[j]?.startsWith('$') && !this.tokens[j].includes('.')) {
      vars.push(this.tokens[j]);
      if (this.tokens[j + 1] === ',') j += 2;
      else {
        j += 1;
        break;
      }
    }
    const op = this.tokens[j];
    if (vars.length === 0 || (op !== ':=' && op !== '=')) return undefined;
    this.i = j + 1;
    return { vars, assign: op === '=' };
  }

  private command(): Term[] {
    const terms: Term[] = [];
    while (this.i < this.tokens.length && !['|', ')'].includes(this.tokens[this.i])) terms.push(this.term());
    if (terms.length === 0) throw new TemplateError('empty command');
    return terms;
  }

  private term(): Term {
    const t = this.tokens[this.i++];
    if (t === '(') {
      const pipe = this.pipeline();
      if (this.tokens[this.i++] !== ')') throw new TemplateError('missing )');
      const path: string[] = [];
      while (this.tokens[this.i]?.startsWith(`${CHAINED}.`)) path.push(...this.tokens[this.i++].slice(2).split('.'));
      return { kind: 'group', pipe, path };
    }
    if (t.startsWith('"')) return { kind: 'literal', value: JSON.parse(t) };
    if (t.startsWith('`')) return { kind: 'literal', value: t.slice(1, -1) };
    if (/^-?\d+(\.\d+)?$/.test(t)) return { kind: 'literal', value: Number(t) };
    if (t === 'true' || t === 'false') return { kind: 'literal', value: t === 'true' };
    if (t === 'nil') return { kind: 'literal', value: null };
    if (t === '.') return { kind: 'field', root: '.', path: [] };
    if (t.startsWith('.')) return { kind: 'field', root: '.', path: t.slice(1).split('.') };
    if (t.startsWith('$')) {
      const [root, ...path] = t.split('.');
      return { kind: 'field', root: root as `$${string}`, path };
    }
    if (/^[A-Za-z_]\w*$/.test(t)) return { kind: 'call', name: t };
    throw new TemplateError(`cannot read "${t}"`);
  }
}

function parsePipeline(text: string): Pipeline {
  return new PipelineParser(tokenize(text)).parse();
}

/** Parses a template into nodes, collecting `define`d templates into `defines`. */
function parseTemplate(source: string, defines: Map<string, Node[]>): Node[] {
  const parts = splitActions(source);
  let i = 0;
  const block = (stops: string[]): { nodes: Node[]; stop: string } => {
    const nodes: Node[] = [];
    while (i < parts.length) {
      const part = parts[i++];
      if (typeof part === 'string') {
        if (part) nodes.push({ kind: 'text', text: part });
        continue;
      }
      const action = part.action;
      if (action.startsWith('/*')) continue;
      const keyword = /^(\w+)\b/.exec(action)?.[1] ?? '';
      if (stops.includes(keyword) || (keyword === 'else' && stops.includes('else'))) return { nodes, stop: action };
      if (keyword === 'if') nodes.push(ifNode(action.slice(2)));
      else if (keyword === 'range') nodes.push(rangeNode(action.slice(5)));
      else if (keyword === 'with') nodes.push(withNode(action.slice(4)));
      else if (keyword === 'define') {
        const name = JSON.parse(action.slice(6).trim()) as string;
        defines.set(name, block(['end']).nodes);
      } else if (['end', 'else', 'block', 'template', 'break', 'continue'].includes(keyword)) {
        throw new TemplateError(`unsupported or misplaced {{ ${action} }}`);
      } else nodes.push({ kind: 'action', pipe: parsePipeline(action) });
    }
    if (stops.length > 0) throw new TemplateError(`missing {{ end }} (expected one of ${stops.join(', ')})`);
    return { nodes, stop: '' };
  };
  const ifNode = (cond: string): Node => {
    const branches = [{ pipe: parsePipeline(cond), body: [] as Node[] }];
    for (;;) {
      const { nodes, stop } = block(['else', 'end']);
      branches[branches.length - 1].body = nodes;
      if (stop === 'end') return { kind: 'if', branches, otherwise: [] };
      const rest = stop.slice(4).trim();
      if (!rest.startsWith('if ')) return { kind: 'if', branches, otherwise: block(['end']).nodes };
      branches.push({ pipe: parsePipeline(rest.slice(3)), body: [] });
    }
  };
  const bodyAndElse = (): { body: Node[]; otherwise: Node[] } => {
    const first = block(['else', 'end']);
    if (first.stop === 'end') return { body: first.nodes, otherwise: [] };
    return { body: first.nodes, otherwise: block(['end']).nodes };
  };
  const rangeNode = (text: string): Node => {
    const pipe = parsePipeline(text);
    const vars = pipe.declare?.vars ?? [];
    delete pipe.declare;
    return { kind: 'range', vars, pipe, ...bodyAndElse() };
  };
  const withNode = (text: string): Node => ({ kind: 'with', pipe: parsePipeline(text), ...bodyAndElse() });
  return block([]).nodes;
}

// ---------------------------------------------------------------- evaluation

export function truthy(v: Value): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function field(value: Value, path: string[], what: string): Value {
  let v = value;
  for (const key of path) {
    if (v === null || v === undefined) return undefined;
    if (typeof v !== 'object') throw new TemplateError(`can't evaluate field ${key} of ${what}`);
    v = (v as Record<string, Value>)[key];
  }
  return v;
}

class Scope {
  private readonly vars: Map<string, Value>[];
  constructor(root: Value, parent?: Scope) {
    this.vars = parent ? [...parent.vars, new Map()] : [new Map([['$', root]])];
  }
  get(name: string): Value {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].has(name)) return this.vars[i].get(name);
    throw new TemplateError(`undefined variable ${name}`);
  }
  declare(name: string, value: Value): void {
    this.vars[this.vars.length - 1].set(name, value);
  }
  assign(name: string, value: Value): void {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].has(name)) return void this.vars[i].set(name, value);
    throw new TemplateError(`undefined variable ${name}`);
  }
}

export class GoTemplates {
  private readonly defines = new Map<string, Node[]>();
  private readonly files = new Map<string, Node[]>();
  private readonly functions: Record<string, TemplateFunction>;

  constructor(functions: Record<string, TemplateFunction>) {
    this.functions = { ...functions, include: (name, data) => this.execute(this.defined(String(name)), data) };
  }

  /** Parses a file; its `define`s become available to every file added. */
  add(name: string, source: string): void {
    try {
      this.files.set(name, parseTemplate(source, this.defines));
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`);
    }
  }

  render(name: string, data: Value): string {
    try {
      return this.execute(this.files.get(name) ?? [], data);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`);
    }
  }

  private defined(name: string): Node[] {
    const nodes = this.defines.get(name);
    if (!nodes) throw new TemplateError(`no template "${name}"`);
    return nodes;
  }

  private execute(nodes: Node[], dot: Value, scope = new Scope(dot)): string {
    let out = '';
    for (const node of nodes) out += this.node(node, dot, scope);
    return out;
  }

  private node(node: Node, dot: Value, scope: Scope): string {
    switch (node.kind) {
      case 'text':
        return node.text;
      case 'action': {
        const value = this.pipeline(node.pipe, dot, scope);
        return node.pipe.declare ? '' : printed(value);
      }
      case 'if': {
        for (const branch of node.branches) if (truthy(this.pipeline(branch.pipe, dot, scope))) return this.execute(branch.body, dot, new Scope(null, scope));
        return this.execute(node.otherwise, dot, new Scope(null, scope));
      }
      case 'with': {
        const value = this.pipeline(node.pipe, dot, scope);
        return truthy(value) ? this.execute(node.body, value, new Scope(null, scope)) : this.execute(node.otherwise, dot, new Scope(null, scope));
      }
      case 'range': {
        const over = this.pipeline(node.pipe, dot, scope);
        const entries: [Value, Value][] = Array.isArray(over)
          ? over.map((v, i) => [i, v])
          : over && typeof over === 'object'
            ? Object.keys(over).sort().map((k) => [k, (over as Record<string, Value>)[k]])
            : typeof over === 'number'
              ? Array.from({ length: over }, (_, i) => [i, i])
              : [];
        if (entries.length === 0) return this.execute(node.otherwise, dot, new Scope(null, scope));
        return entries
          .map(([k, v]) => {
            const inner = new Scope(null, scope);
            if (node.vars.length === 1) inner.declare(node.vars[0], v);
            if (node.vars.length === 2) {
              inner.declare(node.vars[0], k);
              inner.declare(node.vars[1], v);
            }
            return this.execute(node.body, v, inner);
          })
          .join('');
      }
    }
  }

  private pipeline(pipe: Pipeline, dot: Value, scope: Scope): Value {
    let value: Value = undefined;
    pipe.commands.forEach((command, i) => {
      value = this.command(command, dot, scope, i === 0 ? [] : [value]);
    });
    if (pipe.declare) {
      for (const name of pipe.declare.vars) {
        if (pipe.declare.assign) scope.assign(name, value);
        else scope.declare(name, value);
      }
    }
    return value;
  }

  private command(terms: Term[], dot: Value, scope: Scope, piped: Value[]): Value {
    const [head, ...rest] = terms;
    if (head.kind === 'call') {
      const fn = this.functions[head.name];
      if (!fn) throw new TemplateError(`function "${head.name}" not defined`);
      return fn(...rest.map((t) => this.term(t, dot, scope)), ...piped);
    }
    const value = this.term(head, dot, scope);
    // A method of the data (Helm's .Files.Get), called with the command's arguments.
    if (typeof value === 'function') return (value as TemplateFunction)(...rest.map((t) => this.term(t, dot, scope)), ...piped);
    if (rest.length > 0 || piped.length > 0) throw new TemplateError('can only pipe into a function');
    return value;
  }

  private term(term: Term, dot: Value, scope: Scope): Value {
    switch (term.kind) {
      case 'literal':
        return term.value;
      case 'field':
        return field(term.root === '.' ? dot : scope.get(term.root), term.path, term.root);
      case 'group':
        return field(this.pipeline(term.pipe, dot, scope), term.path, '(...)');
      case 'call': {
        const fn = this.functions[term.name];
        if (!fn) throw new TemplateError(`function "${term.name}" not defined`);
        return fn();
      }
    }
  }
}

/** How Go prints a value in a template: nil as <no value>, maps and lists in Go syntax (which no chart should print). */
function printed(value: Value): string {
  if (value === undefined || value === null) return '<no value>';
  if (typeof value === 'object') throw new TemplateError(`prints a ${Array.isArray(value) ? 'list' : 'map'}; use toYaml`);
  return String(value);
}
