/**
 * Everything a results directory says (run ids, scenario names, DLQ reasons, error
 * messages) is untrusted text: it goes into the page only through these two functions.
 */
const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON safe inside <script type="application/json">: `<` can't close the tag, and U+2028/9
 * can't break older parsers. JSON.parse reads the escapes back as the same characters.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** XML attribute/text escaping for JUnit; also drops characters XML 1.0 forbids. */
export function escapeXml(value: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
  return escapeHtml(value).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}
