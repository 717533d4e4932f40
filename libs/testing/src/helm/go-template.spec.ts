import { GoTemplates } from './go-template';
import { SPRIG } from './sprig';

function render(source: string, data: unknown = {}, helpers = ''): string {
  const t = new GoTemplates(SPRIG);
  t.add('_helpers.tpl', helpers);
  t.add('t.yaml', source);
  return t.render('t.yaml', data);
}

describe('GoTemplates (the chart test renderer)', () => {
  it('trims whitespace on the marked side of an action, as Go does', () => {
    expect(render('a  {{- "b" -}}  c')).toBe('abc');
    expect(render('a\n{{- /* a comment */}}\nb')).toBe('a\nb');
  });

  it('ranges over maps in key order, lists in order, with variables and an else', () => {
    expect(render('{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}', { m: { b: 2, a: 1 } })).toBe('a=1;b=2;');
    expect(render('{{ range .l }}[{{ . }}]{{ else }}none{{ end }}', { l: ['x', 'y'] })).toBe('[x][y]');
    expect(render('{{ range .l }}[{{ . }}]{{ else }}none{{ end }}', { l: [] })).toBe('none');
  });

  it('takes if / else if / else on Go truthiness, and with rebinds the dot', () => {
    const t = '{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}';
    expect([render(t, { a: 1 }), render(t, { b: 'x' }), render(t, { a: 0, b: {} })]).toEqual(['A', 'B', 'C']);
    expect(render('{{ with .m }}{{ .x }}{{ end }}', { m: { x: 'in' } })).toBe('in');
  });

  it('pipes into functions as their last argument and tells a group field from a further argument', () => {
    expect(render('{{ .n | printf "%s-%d" "x" | quote }}', { n: 7 })).toBe('"x-7"');
    expect(render('{{ (dict "a" 1).a }}')).toBe('1');
    expect(render('{{ default (printf "%s" "d") .missing }}')).toBe('d');
  });

  it('includes named templates with their own $, and indents YAML as Helm does', () => {
    const helpers = '{{- define "x" -}}name: {{ $.n }}{{- end }}';
    expect(render('m:{{ include "x" (dict "n" "v") | nindent 2 }}', {}, helpers)).toBe('m:\n  name: v');
    expect(render('{{ toYaml .v }}', { v: { b: [1], a: 'x' } })).toBe('a: x\nb:\n  - 1');
  });

  it('refuses what it does not know, by name', () => {
    expect(() => render('{{ nosuch 1 }}')).toThrow(/function "nosuch" not defined/);
    expect(() => render('{{ template "x" }}')).toThrow(/unsupported/);
    expect(() => render('{{ if .a }}')).toThrow(/missing \{\{ end \}\}/);
    expect(() => render('{{ required "give x" .x }}')).toThrow('give x');
  });
});
