/**
 * Text bound for a terminal. A file's own strings (provenance, source names, the fields an error
 * names) reach stdout and stderr, and a control character there is an instruction to the
 * terminal (ESC and CSI sequences set the title, clear the screen, rewrite earlier lines), so
 * every one is shown escaped instead: C0 except newline and tab, DEL, C1, and the Unicode
 * bidirectional overrides and isolates that reorder what a reader sees.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
