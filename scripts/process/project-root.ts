// The project root, from which children start and bare imports resolve.
import { fileURLToPath } from 'node:url';

/** Absolute path of the project root, with a trailing slash. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
