/**
 * Output helpers: JSON for scripts (`--json`), aligned tables and progress lines for people.
 */

/** Where the CLI writes; a test passes buffers, the entry point passes the process streams. */
export interface OutputStreams {
  /** Results: tables, JSON, response bodies. */
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  /** Progress, notes and errors. */
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** A table column: its heading and how to read a cell from a row. */
export interface Column<Row> {
  readonly heading: string;
  readonly cell: (row: Row) => string | number | undefined;
  /** Right-align the column (numbers). */
  readonly alignRight?: boolean;
}

/** Renders rows as an aligned plain-text table with a heading line. */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => formatCell(column.cell(row))));
  const widths = columns.map((column, i) => Math.max(column.heading.length, ...cells.map((line) => line[i].length)));
  const renderLine = (values: readonly string[]): string =>
    values
      .map((value, i) => (columns[i].alignRight ? value.padStart(widths[i]) : value.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [renderLine(columns.map((c) => c.heading)), ...cells.map(renderLine)].join('\n') + '\n';
}

/** Renders `key: value` lines with aligned values; undefined values are left out. */
export function renderFields(fields: ReadonlyArray<readonly [string, string | number | undefined]>): string {
  const present = fields.filter(([, value]) => value !== undefined && value !== '');
  const width = Math.max(0, ...present.map(([key]) => key.length));
  return present.map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${String(value)}`).join('\n') + '\n';
}

/** Writes a value as pretty JSON with a trailing newline. */
export function writeJson(stream: NodeJS.WritableStream, value: unknown): void {
  stream.write(JSON.stringify(value, jsonReplacer, 2) + '\n');
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

function formatCell(value: string | number | undefined): string {
  if (value === undefined) return '-';
  return String(value);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** A duration in milliseconds as `1h 02m 03s`, `2m 03s` or `3s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${String(s).padStart(2, '0')}s`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** A time as ISO 8601 without milliseconds, or `-`. */
export function formatTime(date: Date | undefined): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-';
}

/** A text progress bar: `[#####.....]  50%`. */
export function progressBar(done: number, total: number, width = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}
