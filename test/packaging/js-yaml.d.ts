// The one function of js-yaml 4 the packaging test uses (the package ships no types, and
// @types/js-yaml is not installed).
declare module 'js-yaml' {
  export function load(text: string, options?: { filename?: string }): unknown;
}
