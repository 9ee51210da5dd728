// The verdict table for the terminal and the scenario JSON of docs/contract.md.
import { type TextColumn, textTable } from '../cli/text-table.ts';
import type { ScenarioRow } from './definition.ts';

const columns: TextColumn<ScenarioRow>[] = [
  { title: 'scenario', value: (row) => row.name },
  { title: 'mode', value: (row) => (row.cartWrites ? `${row.mode} ${row.cartWrites}` : row.mode) },
  { title: 'stickiness', value: (row) => row.stickiness },
  { title: 'verdict', value: (row) => row.verdict },
  { title: 'carts kept', value: (row) => `${row.carts.kept}/${row.carts.checked}`, right: true },
  { title: 'failed req', value: (row) => `${row.requests.failed}/${row.requests.total}`, right: true },
  { title: 'seconds', value: (row) => row.seconds.toFixed(1), right: true },
  { title: 'notes', value: (row) => row.notes },
];

/** A plain-text table, one line per row, aligned for a terminal or a Markdown code block. */
export function verdictTable(rows: readonly ScenarioRow[]): string {
  return textTable(columns, rows);
}

/** `{ "scenarios": [...] }`. */
export function scenarioJson(rows: readonly ScenarioRow[]): string {
  return `${JSON.stringify({ scenarios: rows }, null, 2)}\n`;
}
