/**
 * Editing the renderer's Content-Security-Policy, which index.html declares in a <meta> tag.
 * Build tooling only (electron-vite's dev server and the browser test harness each loosen
 * it by exactly what they need); the shipped app uses the policy as written.
 */

/** The policy's <meta> tag: groups 1 and 3 surround the policy text (group 2). */
export const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i;

function directives(policy: string): string[][] {
  return policy
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .filter((tokens) => tokens[0] !== '');
}

/** A directive's sources, or undefined when the policy has no such directive. */
export function directiveSources(policy: string, name: string): string[] | undefined {
  return directives(policy)
    .find((tokens) => tokens[0] === name)
    ?.slice(1);
}

/** Adds sources to a policy's directives, creating directives that are missing. */
export function extendPolicy(policy: string, additions: Record<string, string[]>): string {
  const list = directives(policy);
  for (const [name, sources] of Object.entries(additions)) {
    const directive = list.find((tokens) => tokens[0] === name);
    if (directive === undefined) list.push([name, ...sources]);
    else directive.push(...sources.filter((source) => !directive.includes(source)));
  }
  return list.map((tokens) => tokens.join(' ')).join('; ');
}
