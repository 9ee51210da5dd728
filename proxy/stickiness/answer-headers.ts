// The headers of an answer on its way to the client, as stickiness reads and changes them: a raw list or a header object.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** What stickiness reads from and adds to an answer; `name` is always lower case. */
export interface AnswerHeaders {
  /** The value of `name`, several lines joined with ", " (as Node joins them), or undefined. */
  get(name: string): string | undefined;
  /** Every line of `name` (for Set-Cookie, whose lines must not be joined). */
  values(name: string): string[];
  /** Adds one more `name` line. */
  append(name: string, value: string): void;
  /** Replaces every `name` line with one. */
  set(name: string, value: string): void;
}

/** True when the raw header name `raw` is `lower` in any letter case. */
export function sameName(raw: string, lower: string): boolean {
  return raw.length === lower.length && (raw === lower || raw.toLowerCase() === lower);
}

/**
 * An answer's headers as a raw `[name, value, name, value, …]` list: the forwarder's form, which
 * `ServerResponse.writeHead` takes as it is, so no header object is built per answer.
 */
export class HeaderList implements AnswerHeaders {
  readonly list: string[];

  constructor(list: string[]) {
    this.list = list;
  }

  get(name: string): string | undefined {
    let joined: string | undefined;
    for (let index = 0; index < this.list.length; index += 2) {
      if (sameName(this.list[index]!, name)) joined = joined === undefined ? this.list[index + 1]! : `${joined}, ${this.list[index + 1]!}`;
    }
    return joined;
  }

  values(name: string): string[] {
    const found: string[] = [];
    for (let index = 0; index < this.list.length; index += 2) if (sameName(this.list[index]!, name)) found.push(this.list[index + 1]!);
    return found;
  }

  append(name: string, value: string): void {
    this.list.push(name, value);
  }

  set(name: string, value: string): void {
    let replaced = false;
    for (let index = 0; index < this.list.length; ) {
      if (!sameName(this.list[index]!, name)) {
        index += 2;
      } else if (!replaced) {
        this.list[index + 1] = value;
        replaced = true;
        index += 2;
      } else {
        this.list.splice(index, 2);
      }
    }
    if (!replaced) this.list.push(name, value);
  }
}

/** A header object (an upgrade's answer from http-proxy-3, or a unit test's) seen as AnswerHeaders; changes land in the object. */
export function headerObject(headers: IncomingHttpHeaders | OutgoingHttpHeaders): AnswerHeaders {
  const valuesOf = (name: string): string[] => {
    const value = headers[name];
    if (value === undefined) return [];
    return Array.isArray(value) ? value.map(String) : [String(value)];
  };
  return {
    get(name) {
      const values = valuesOf(name);
      return values.length === 0 ? undefined : values.join(', ');
    },
    values: valuesOf,
    append(name, value) {
      const existing = headers[name];
      if (existing === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
      else if (Array.isArray(existing)) existing.push(value);
      else headers[name] = [String(existing), value];
    },
    set(name, value) {
      headers[name] = value;
    },
  };
}
