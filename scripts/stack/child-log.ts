// The stack's children log JSON; the person at the demo's terminal wants one readable line per warning.

/** Passes a child's warning or error line on to `log` as `[id] message`; lines below warn are dropped. */
export function forwardWarnings(id: string, line: string, log: (line: string) => void): void {
  try {
    const record = JSON.parse(line) as { level?: number; msg?: string; err?: unknown };
    if ((record.level ?? 0) >= 40)
      log(`[${id}] ${record.msg ?? line}${record.err ? ` (${JSON.stringify(record.err).slice(0, 200)})` : ''}`);
  } catch {
    if (line.trim()) log(`[${id}] ${line}`);
  }
}
