import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeXml, jsonForScript } from './escape.ts';

describe('escape', () => {
  it('escapes markup', () => {
    expect(escapeHtml('<script>alert("x")</script>&\'')).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;',
    );
  });

  it('keeps JSON in a script tag inert and round-trippable', () => {
    const value = { name: '</script><script>alert(1)</script>', sep: '\u2028' };
    const text = jsonForScript(value);
    expect(text).not.toContain('<');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('drops control characters XML forbids', () => {
    expect(escapeXml('a\u0001b<')).toBe('ab&lt;');
  });
});
