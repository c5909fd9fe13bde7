/**
 * CSV for spreadsheets (RFC 4180: every cell quoted, CRLF line ends). A text cell that a
 * spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) gets
 * a leading apostrophe, so a member's name like `=HYPERLINK(…)` stays text. Numbers are written as
 * they are: a negative number is data, not a formula.
 */
export function csvCell(value: unknown): string {
  const s = typeof value === 'number' && Number.isFinite(value) ? String(value) : String(value ?? '');
  const safe = typeof value !== 'number' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Rows of cells as one CSV document. */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
