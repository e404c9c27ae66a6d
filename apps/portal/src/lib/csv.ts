import Papa from 'papaparse';

export type CsvCell = string | number | boolean | null | undefined;

/**
 * RFC 4180 CSV (Papa Parse): a header row of column names, then one line per row.
 * Cells that a spreadsheet would run as a formula (=, +, -, @) are escaped.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return Papa.unparse(
    { fields: [...header], data: rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : cell))) },
    { escapeFormulae: true, newline: '\r\n' },
  );
}

/** Reads CSV text back (the tests compare downloads with GraphQL answers this way). */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  const [header = [], ...rows] = parsed.data;
  return { header, rows };
}

/** Lets the browser save `csv` as `filename` (UTF-8 with BOM, so spreadsheets read accents). */
export function downloadCsv(filename: string, csv: string): void {
  const blob = new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename.endsWith('.csv') ? filename : `${filename}.csv`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from parts: `usage-by-user-2026-11-01-2026-11-30.csv`. */
export function csvFileName(...parts: (string | undefined | null)[]): string {
  return `${parts
    .filter((p): p is string => !!p)
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')}.csv`;
}
