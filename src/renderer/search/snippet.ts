import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../shared/ipc/search-highlight';

export interface SnippetPart {
  text: string;
  match: boolean;
}

/**
 * Splits a search snippet into plain and matched runs at the private-use markers the
 * local store puts around matched terms. The result is text for React text nodes: a
 * message body full of markup stays markup-looking text. Unbalanced or nested markers
 * (a body cannot contain them, but be safe) never leak into the output.
 */
export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let depth = 0;
  let run = '';
  const flush = (): void => {
    if (run === '') return;
    const match = depth > 0;
    const last = parts[parts.length - 1];
    if (last && last.match === match) last.text += run;
    else parts.push({ text: run, match });
    run = '';
  };
  for (const ch of snippet) {
    if (ch === HIGHLIGHT_START) {
      flush();
      depth++;
    } else if (ch === HIGHLIGHT_END) {
      flush();
      depth = Math.max(0, depth - 1);
    } else {
      run += ch;
    }
  }
  flush();
  return parts;
}
