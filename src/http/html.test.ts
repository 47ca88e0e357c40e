import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, raw } from './html.js';

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '`${x}`',
  '&lt;already escaped&gt;',
  'javascript:alert(1)',
  '</textarea><script>x</script>',
];

test('every interpolation is escaped; no hostile string keeps a markup character', () => {
  for (const s of HOSTILE) {
    const out = html`<p title="${s}">${s}</p>`.value;
    const inner = out.slice('<p title="'.length, -'</p>'.length);
    assert.doesNotMatch(inner.replace('">', ''), /[<>"'`]/, s);
    assert.ok(out.startsWith('<p title="') && out.endsWith('</p>'));
  }
  assert.equal(html`${'<b>'}`.value, '&lt;b&gt;');
  assert.equal(escapeHtml(`&<>"'\``), '&amp;&lt;&gt;&quot;&#39;&#96;');
});

test('nested templates and raw() pass through; arrays join; null/undefined/false render empty', () => {
  const items = ['a<', 'b>'];
  assert.equal(html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`.value, '<ul><li>a&lt;</li><li>b&gt;</li></ul>');
  assert.equal(html`${raw('<br>')}`.value, '<br>');
  assert.equal(html`[${null}${undefined}${false}${0}]`.value, '[0]');
  // A plain string that looks like an Html object is still escaped.
  assert.equal(html`${{ value: '<x>', toString: () => '<x>' }}`.value, '&lt;x&gt;');
});
