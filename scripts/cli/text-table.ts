// Plain-text tables for the terminal and Markdown code blocks: the scenario verdicts and the designs bench share it.

/** One column: its title, how a row reads in it, and whether it is aligned right (numbers). */
export interface TextColumn<Row> {
  title: string;
  value: (row: Row) => string;
  right?: boolean;
}

/** One line per row under a title line, columns padded to their widest cell; the last column is left unpadded. */
export function textTable<Row>(columns: readonly TextColumn<Row>[], rows: readonly Row[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, ...cells.map((line) => line[index]?.length ?? 0)),
  );
  const format = (line: string[]) =>
    line
      .map((cell, index) => {
        if (index === columns.length - 1) return cell;
        return columns[index]?.right ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0);
      })
      .join('  ')
      .trimEnd();
  return [format(columns.map((column) => column.title)), ...cells.map(format)].join('\n');
}
