// The JSONPath subset of batch transform's DataProcessing InputFilter/OutputFilter ("Associate Prediction
// Results with Input Records", docs batch-transform-data-processing.html): for CSV a record is an array
// of columns, so `$[1:]`, `$[0,-1]`, `$[1,2,5]`, `$[2]` select columns (negative indices count from the
// end; slices are Python-like, end exclusive); for JSON `$.features`, `$.a.b`, `$['a','b']`, `$[...]` on arrays.

/** Applies a JSONPath filter to a value. `$` alone returns it unchanged. */
export function applyJsonPath(value: unknown, expr: string): unknown {
  const e = expr.trim();
  if (e === '$') return value;
  if (!e.startsWith('$')) throw new Error(`unsupported JSONPath "${expr}" (must start with $)`);
  let current: unknown = value;
  let rest = e.slice(1);
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = /^\.([A-Za-z_][\w-]*)/.exec(rest))) {
      current = pick(current, m[1], expr);
    } else if ((m = /^\[([^\]]*)\]/.exec(rest))) {
      current = bracket(current, m[1].trim(), expr);
    } else {
      throw new Error(`unsupported JSONPath "${expr}" near "${rest}"`);
    }
    rest = rest.slice(m[0].length);
  }
  return current;
}

function pick(value: unknown, key: string, expr: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`JSONPath "${expr}": "${key}" selects a field of a non-object`);
  return (value as Record<string, unknown>)[key];
}

function bracket(value: unknown, inner: string, expr: string): unknown {
  if (/^'.*'$|^".*"$/.test(inner) || /^('[^']*'|"[^"]*")(\s*,\s*('[^']*'|"[^"]*"))+$/.test(inner)) {
    const keys = inner.split(',').map((k) => k.trim().slice(1, -1));
    if (keys.length === 1) return pick(value, keys[0], expr);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = pick(value, k, expr);
    return out;
  }
  if (!Array.isArray(value)) throw new Error(`JSONPath "${expr}": [${inner}] indexes a non-array`);
  const n = value.length;
  const index = (s: string): number => {
    const i = Number(s);
    if (!Number.isInteger(i)) throw new Error(`JSONPath "${expr}": "${s}" is not an index`);
    return i < 0 ? n + i : i;
  };
  if (inner === '*') return value;
  if (inner.includes(':')) {
    const [a, b] = inner.split(':').map((s) => s.trim());
    const start = a === '' ? 0 : Math.max(0, Math.min(n, index(a)));
    const end = b === undefined || b === '' ? n : Math.max(0, Math.min(n, index(b)));
    return value.slice(start, end);
  }
  if (inner.includes(',')) return inner.split(',').map((s) => value[index(s.trim())]);
  return value[index(inner)];
}

/** Splits a CSV line into fields (RFC 4180 quotes). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

function csvField(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Applies a filter to one record of the given content type, returning the filtered record's text. */
export function filterRecord(record: string, contentType: string | undefined, expr: string | undefined): string {
  if (!expr || expr.trim() === '$') return record;
  if (isJson(contentType, record)) return JSON.stringify(applyJsonPath(JSON.parse(record), expr));
  const selected = applyJsonPath(splitCsvLine(record), expr);
  return Array.isArray(selected) ? selected.map(csvField).join(',') : csvField(selected);
}

/** Whether a record is JSON (by content type, or by looking like an object/array when none is given). */
export function isJson(contentType: string | undefined, record: string): boolean {
  const ct = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (ct === 'application/json' || ct === 'application/jsonlines') return true;
  if (ct === 'text/csv') return false;
  return /^\s*[[{]/.test(record);
}
