import type { ReactElement } from 'react';

/** Inline SVG icons (no icon font, no remote files: the CSP allows only our own). Decorative unless labelled by their button. */
const PATHS = {
  search: 'M10.5 3a7.5 7.5 0 0 1 5.96 12.05l4.25 4.24-1.42 1.42-4.24-4.25A7.5 7.5 0 1 1 10.5 3Zm0 2a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11Z',
  settings:
    'M12 8.5a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7Zm0 2a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3ZM10.3 2h3.4l.5 2.6 1.6.9 2.5-.9 1.7 2.9-2 1.8v1.9l2 1.8-1.7 2.9-2.5-.9-1.6.9-.5 2.6h-3.4l-.5-2.6-1.6-.9-2.5.9-1.7-2.9 2-1.8v-1.9l-2-1.8 1.7-2.9 2.5.9 1.6-.9.5-2.6Z',
  compose: 'M4 20h4l10.5-10.5-4-4L4 16v4Zm12-16 4 4 1.5-1.5a1.4 1.4 0 0 0 0-2L19.5 2.5a1.4 1.4 0 0 0-2 0L16 4Z',
  group: 'M9 11a4 4 0 1 1 0-8 4 4 0 0 1 0 8Zm7.5 0a3 3 0 1 1 0-6 3 3 0 0 1 0 6ZM2 20c0-3.3 3.1-6 7-6s7 2.7 7 6H2Zm15.5 0c0-2-.8-3.7-2.1-5 .4-.1.8-.1 1.1-.1 3 0 5.5 2.3 5.5 5.1h-4.5Z',
  info: 'M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm0 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm-1 6h2v7h-2v-7Zm0-3h2v2h-2V7Z',
  close: 'm6.4 5 5.6 5.6L17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4 6.4 5Z',
  send: 'M3 20.5v-6.3l9-2.2-9-2.2V3.5L22 12 3 20.5Z',
  clock: 'M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm0 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm1 3v4.6l3.4 2-1 1.7-4.4-2.6V7h2Z',
  check: 'm9 16.2-4.2-4.2-1.4 1.4L9 19 21 7l-1.4-1.4L9 16.2Z',
  checks: 'm1.5 13.4 1.4-1.4 4.2 4.2-1.4 1.4-4.2-4.2Zm5.6 4.2L18.4 6.3l1.4 1.4L7.1 20.4l-5.6-5.6 1.4-1.4 4.2 4.2Zm5 0 9.9-9.9 1.4 1.4-11.3 11.3-2.8-2.8 1.4-1.4 1.4 1.4Z',
  alert: 'M12 2 1 21h22L12 2Zm0 4.5 7.5 12.5h-15L12 6.5ZM11 10h2v5h-2v-5Zm0 6h2v2h-2v-2Z',
  retry: 'M12 5a7 7 0 1 1-6.7 9h2.1A5 5 0 1 0 12 7v3L7.5 6 12 2v3Z',
  trash: 'M9 3h6l1 1h4v2H4V4h4l1-1Zm-3 5h12l-1 13H7L6 8Zm4 2v9h2v-9h-2Zm3 0v9h2v-9h-2Z',
  arrowDown: 'M11 4h2v12l5.3-5.3 1.4 1.4L12 19.8l-7.7-7.7 1.4-1.4L11 16V4Z',
  offline: 'M2.1 3.5 3.5 2.1l18.4 18.4-1.4 1.4-5.6-5.6a4 4 0 0 0-5.8.5L7.6 15.4a6 6 0 0 1 4.6-2.3L9.8 10.7a9.5 9.5 0 0 0-4.3 2.6L4 11.9c1.2-1.2 2.6-2.1 4.1-2.8L6 7.1a13 13 0 0 0-3.6 2.4L1 8.1a15 15 0 0 1 3.5-2.5L2.1 3.5ZM12 4.5c4.2 0 8 1.6 11 4.2l-1.4 1.5A14 14 0 0 0 11.4 6.5L9.6 4.7c.8-.1 1.6-.2 2.4-.2ZM12 17.5a1.8 1.8 0 1 1 0 3.5 1.8 1.8 0 0 1 0-3.5Z',
  bell: 'M12 3a6 6 0 0 1 6 6v5l2 2v1.5H4V16l2-2V9a6 6 0 0 1 6-6Zm-2 17h4a2 2 0 1 1-4 0Z',
  bellOff: 'M3.5 2.1 21.9 20.5l-1.4 1.4-3-3H4v-1.5l2-2V10c0-1.1.3-2.2.7-3.1L2.1 3.5l1.4-1.4ZM12 3a6 6 0 0 1 6 6v5.2L8.3 4.5A6 6 0 0 1 12 3Zm-2 17h4a2 2 0 1 1-4 0Z',
  leave: 'M5 3h9v2H5v14h9v2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Zm11.6 4.6L21 12l-4.4 4.4-1.4-1.4 2-2H9v-2h8.2l-2-2 1.4-1.4Z',
  plus: 'M11 4h2v7h7v2h-7v7h-2v-7H4v-2h7V4Z',
  blocked: 'M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm0 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16ZM5.6 7 7 5.6l11.4 11.4-1.4 1.4L5.6 7Z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 18, className }: { name: IconName; size?: number; className?: string }): ReactElement {
  return (
    <svg className={className} width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path fill="currentColor" d={PATHS[name]} />
    </svg>
  );
}
