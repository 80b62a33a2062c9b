import { MAX_TITLE_LENGTH } from '../../shared/protocol/limits';

/** The group title the server would accept (trimmed, 1–128 characters), or null. */
export function validGroupTitle(raw: string): string | null {
  const title = raw.trim();
  return title.length >= 1 && title.length <= MAX_TITLE_LENGTH ? title : null;
}
