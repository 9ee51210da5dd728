// @ts-check
// Requests per second per instance over the last minute, as plain SVG: one line per instance, coloured by pool and
// told apart within a pool by dash pattern, with a legend that gives each line's name and current rate in text.
import { h, replaceChildren, svg } from './dom.js';
import { HISTORY_MS } from './live.js';

/** @typedef {import('./live.js').Live} Live */

const WIDTH = 800;
const HEIGHT = 260;
const LEFT = 48;
const BOTTOM = 28;
const TOP = 10;
const RIGHT = 10;
const poolColours = { memory: '#7b1fa2', redis: '#c62828', jwt: '#2e7d32' };
const dashes = ['', '12 6', '3 5', '16 5 3 5'];

/**
 * Redraws the chart into `container` whenever `live` changes.
 * @param {HTMLElement} container
 * @param {Live} live
 */
export function createChart(container, live) {
  const picture = h('div', { class: 'chart' });
  const legend = h('ul', { class: 'legend', 'aria-label': 'requests per second now' });
  replaceChildren(container, picture, legend);
  live.onChange(() => draw(picture, legend, live));
  draw(picture, legend, live);
}

/**
 * @param {HTMLElement} picture
 * @param {HTMLElement} legend
 * @param {Live} live
 */
function draw(picture, legend, live) {
  const now = Date.now();
  const series = live.targets.map((row) => ({
    row,
    style: lineStyle(row.pool, live.targets.filter((other) => other.pool === row.pool).indexOf(row)),
    points: live.rates.get(row.id) ?? [],
  }));
  const peak = Math.max(0, ...series.flatMap((line) => line.points.map((point) => point.rate)));
  const top = niceCeiling(peak);
  const x = (/** @type {number} */ at) => LEFT + ((at - (now - HISTORY_MS)) / HISTORY_MS) * (WIDTH - LEFT - RIGHT);
  const y = (/** @type {number} */ rate) => HEIGHT - BOTTOM - (rate / top) * (HEIGHT - BOTTOM - TOP);

  const grid = [0, 0.5, 1].flatMap((share) => [
    svg('line', { x1: LEFT, x2: WIDTH - RIGHT, y1: y(top * share), y2: y(top * share), class: 'grid' }),
    svg(
      'text',
      { x: LEFT - 6, y: y(top * share) + 5, 'text-anchor': 'end', class: 'axis' },
      document.createTextNode(formatRate(top * share)),
    ),
  ]);
  const ticks = [60, 45, 30, 15, 0].map((secondsAgo) =>
    svg(
      'text',
      { x: x(now - secondsAgo * 1000), y: HEIGHT - 6, 'text-anchor': 'middle', class: 'axis' },
      document.createTextNode(secondsAgo === 0 ? 'now' : `-${secondsAgo} s`),
    ),
  );
  const lines = series
    .filter((line) => line.points.length > 1)
    .map((line) =>
      svg('polyline', {
        points: line.points
          .filter((point) => point.at >= now - HISTORY_MS)
          .map((point) => `${x(point.at).toFixed(1)},${y(point.rate).toFixed(1)}`)
          .join(' '),
        fill: 'none',
        stroke: line.style.colour,
        'stroke-width': 3,
        'stroke-dasharray': line.style.dash,
      }),
    );
  const description = series
    .map((line) => `${line.row.id} ${formatRate(live.latestRate(line.row.id))} per second`)
    .join(', ');
  const chart = svg(
    'svg',
    {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-label': `Requests per second per instance over the last minute. Now: ${description || 'no instances'}.`,
    },
    ...grid,
    ...ticks,
    ...lines,
  );
  picture.replaceChildren(chart);
  replaceChildren(
    legend,
    series.map((line) =>
      h(
        'li',
        {},
        svg(
          'svg',
          { viewBox: '0 0 40 10', width: 40, height: 10, 'aria-hidden': 'true' },
          svg('line', {
            x1: 0,
            x2: 40,
            y1: 5,
            y2: 5,
            stroke: line.style.colour,
            'stroke-width': 3,
            'stroke-dasharray': line.style.dash,
          }),
        ),
        ` ${line.row.id} `,
        h('b', {}, formatRate(live.latestRate(line.row.id))),
        '/s',
      ),
    ),
  );
}

/**
 * @param {string} pool
 * @param {number} index
 */
function lineStyle(pool, index) {
  return {
    colour: /** @type {Record<string, string>} */ (poolColours)[pool] ?? '#37474f',
    dash: dashes[index % dashes.length] ?? '',
  };
}

/**
 * The smallest 1, 2 or 5 times a power of ten at or above `value`, at least 5.
 * @param {number} value
 */
function niceCeiling(value) {
  if (value <= 5) return 5;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value) ?? 10 * power;
}

/** @param {number} rate */
function formatRate(rate) {
  return rate >= 10 ? rate.toFixed(0) : rate.toFixed(1);
}
