// Numbers as every table, progress line and report of foliorace prints them: 12,345.

/**
 * `n` with thousands separators (en-US, whatever the user's locale). An integer is grouped here:
 * the first toLocaleString of a process loads ICU's number data, a tenth of a command's start-up.
 */
export const num = (n: number): string =>
  Number.isSafeInteger(n) && !Object.is(n, -0) ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en-US');
