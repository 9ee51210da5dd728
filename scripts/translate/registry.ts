// The translations by name.
import { alb } from './alb.ts';
import { haproxy } from './haproxy.ts';
import { k8s } from './k8s.ts';
import { nginx } from './nginx.ts';
import type { Translator } from './translator.ts';

/** Every translation, by `--to` name. */
export const translators: ReadonlyMap<string, Translator> = new Map(
  [haproxy, nginx, alb, k8s].map((translator) => [translator.name, translator]),
);
