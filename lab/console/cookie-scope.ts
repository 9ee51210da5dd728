// Moves a cookie set by a shop under the console's mirror of the public listener, so the browser sends it back there.

/**
 * `Set-Cookie` value with its `Path` moved under `prefix` (`Path=/memory` becomes `Path=/console/public/memory`) and
 * any `Domain` dropped (the cookie now belongs to the console's host). Other attributes stay as the shop set them.
 */
export function underPrefix(setCookie: string, prefix: string): string {
  const [pair = '', ...attributes] = setCookie.split(';');
  const kept = attributes
    .map((attribute) => attribute.trim())
    .filter((attribute) => attribute !== '' && !/^domain=/i.test(attribute))
    .map((attribute) => {
      const path = /^path=(.*)$/i.exec(attribute);
      if (!path) return attribute;
      const value = path[1]?.startsWith('/') ? path[1] : '/';
      return `Path=${prefix}${value}`;
    });
  return [pair.trim(), ...kept].join('; ');
}
