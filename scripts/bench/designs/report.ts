// The designs bench's results: the JSON section (`--json FILE`) and the table printed on stdout.
import { type TextColumn, textTable } from '../../cli/text-table.ts';
import type { DesignRow, DesignsPlan } from './measure.ts';

/** Everything `npm run bench -- --designs --json FILE` writes. */
export interface DesignsReport {
  designs: DesignRow[];
  /** Designs that did not run here, and why. */
  skipped: { label: string; reason: string }[];
  machine: { cpus: number; loadAverageBefore: number[]; loadAverageAfter: number[]; node: string };
  settings: DesignsPlan;
}

const columns: TextColumn<DesignRow>[] = [
  { title: 'design', value: (row) => row.design },
  { title: 'work', value: (row) => row.workload },
  { title: 'lines', value: (row) => `${row.lines}${row.notes ? '+notes' : ''}`, right: true },
  { title: 'req/s', value: (row) => ('refused' in row ? '-' : String(row.rps)), right: true },
  { title: 'p50 ms', value: (row) => ('refused' in row ? '-' : String(row.p50Ms)), right: true },
  { title: 'p99 ms', value: (row) => ('refused' in row ? '-' : String(row.p99Ms)), right: true },
  { title: 'shop µs/req', value: (row) => ('refused' in row ? '-' : row.shopCpuUsPerRequest.toFixed(0)), right: true },
  {
    title: 'redis µs/req',
    value: (row) => ('refused' in row || row.redisCpuUsPerRequest === null ? '-' : row.redisCpuUsPerRequest.toFixed(0)),
    right: true,
  },
  {
    title: 'redis cmd/req',
    value: (row) =>
      'refused' in row || row.redisCommandsPerRequest === null ? '-' : row.redisCommandsPerRequest.toFixed(2),
    right: true,
  },
  { title: 'cookie B', value: (row) => ('refused' in row ? '-' : String(row.cookieBytesPerRequest)), right: true },
  {
    title: 'set-cookie B',
    value: (row) => ('refused' in row ? '-' : String(row.setCookieBytesPerRequest)),
    right: true,
  },
  { title: 'errors', value: (row) => ('refused' in row ? row.refused : String(row.errors)) },
];

/** A plain-text table, one line per design and cell, aligned for a terminal or a Markdown code block. */
export function designsTable(rows: readonly DesignRow[]): string {
  return textTable(columns, rows);
}
