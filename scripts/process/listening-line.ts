// Reads the `{"msg":"listening",…}` JSON line that the shop and the proxy print once their ports are open.

/** The fields of a listening line, or undefined for any other line. */
export function listeningRecord(line: string): Record<string, unknown> | undefined {
  if (!line.includes('"listening"')) return undefined;
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    return record.msg === 'listening' ? record : undefined;
  } catch {
    return undefined;
  }
}

/** The `port` of a listening line, or undefined for any other line. */
export function listeningPort(line: string): number | undefined {
  const port = listeningRecord(line)?.port;
  return typeof port === 'number' ? port : undefined;
}
