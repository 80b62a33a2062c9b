/** Local calendar day of a timestamp, as a sortable key (day separators compare these). */
export function dayKey(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** "Today", "Yesterday", "Monday, March 4" or with the year when it is not this year. */
export function dayLabel(ts: number, now: number): string {
  if (dayKey(ts) === dayKey(now)) return 'Today';
  if (dayKey(ts) === dayKey(now - 86_400_000)) return 'Yesterday';
  const d = new Date(ts);
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return d.toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) });
}

/** "14:05" (the user's locale decides 12/24 h). */
export function clockTime(ts: number): string {
  return new Date(ts).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
}

/** For the sidebar: the time today, the weekday this week, else a short date. */
export function listTime(ts: number, now: number): string {
  if (dayKey(ts) === dayKey(now)) return clockTime(ts);
  if (now - ts < 6 * 86_400_000) return new Date(ts).toLocaleDateString(undefined, { weekday: 'short' });
  return new Date(ts).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}
