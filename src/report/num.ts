// Numbers as every table, progress line and report of foliorace prints them: 12,345.

/** `n` with thousands separators (en-US, whatever the user's locale). */
export const num = (n: number): string => n.toLocaleString('en-US');
