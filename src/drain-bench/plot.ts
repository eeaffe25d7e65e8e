// The picture of `foliorace bench drain --plot FILE`: one self-contained SVG of cost against CPU
// count, one line per operation (log-log axes: CPUs doubling, cost in µs per decade).
import type { DrainBenchReport } from './drain.js';
import { num } from '../report/num.js';

interface Line { name: string; points: { x: number; y: number }[]; dash: boolean; wall: boolean }

const W = 1080, H = 560, LEFT = 80, RIGHT = 440, TOP = 50, BOTTOM = 60;
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/**
 * The lines worth a glance, each as simulated time (solid) and as this host's wall time (dotted,
 * thin, same colour): local drain and copy with everything pending, drain_all by fill (quiet),
 * the storm. Busy load is left to the table: its simulated time counts the traffic the host ran.
 */
function linesOf(r: DrainBenchReport): Line[] {
  const pick = (op: string, fill: string, load: string): boolean =>
    (op !== 'drain-all' && fill === 'all') || (op === 'drain-all' && load === 'quiet' && fill !== 'half');
  const lines: Line[] = [];
  for (const s of r.series.filter((x) => pick(x.op, x.fill, x.load))) {
    const dash = s.op === 'drain-all' && s.fill !== 'all';
    lines.push({ name: s.name, dash, wall: false, points: s.points.map((p) => ({ x: p.cpus, y: p.simUs })) },
      { name: `${s.name} (wall)`, dash, wall: true, points: s.points.map((p) => ({ x: p.cpus, y: p.medianUs })) });
  }
  if (r.piggyback.length > 0) {
    const name = 'lru_add_drain_all, every CPU calls at once (per call)';
    lines.push({ name, dash: false, wall: false, points: r.piggyback.map((p) => ({ x: p.cpus, y: p.callSimUs.median })) },
      { name: `${name} (wall)`, dash: false, wall: true, points: r.piggyback.map((p) => ({ x: p.cpus, y: p.callUs.median })) });
  }
  return lines.filter((l) => l.points.length > 0);
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function drainPlotSvg(r: DrainBenchReport): string {
  const lines = linesOf(r);
  const xs = lines.flatMap((l) => l.points.map((p) => p.x));
  const ys = lines.flatMap((l) => l.points.map((p) => Math.max(p.y, 0.1)));
  const x0 = Math.log2(Math.min(1, ...xs)), x1 = Math.max(x0 + 1, Math.log2(Math.max(2, ...xs)));
  const y0 = Math.floor(Math.log10(Math.min(...ys, 10))), y1 = Math.max(y0 + 1, Math.ceil(Math.log10(Math.max(...ys, 10))));
  const px = (x: number): number => LEFT + ((Math.log2(x) - x0) / (x1 - x0)) * (W - LEFT - RIGHT);
  const py = (y: number): number => H - BOTTOM - ((Math.log10(Math.max(y, 0.1)) - y0) / (y1 - y0)) * (H - TOP - BOTTOM);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${LEFT}" y="24" font-size="16" font-weight="bold">${esc(`Drain cost against CPU count (kernel ${r.kernel}, batch ${r.series[0]?.batch ?? ''}, ${r.host.cores}-core host)`)}</text>`,
  ];
  for (let e = y0; e <= y1; e++) {
    const y = py(10 ** e);
    out.push(`<line x1="${LEFT}" y1="${y}" x2="${W - RIGHT}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${LEFT - 8}" y="${y + 4}" text-anchor="end">${num(10 ** e)}</text>`);
  }
  for (let e = Math.ceil(x0); e <= x1; e++) {
    const x = px(2 ** e);
    out.push(`<line x1="${x}" y1="${TOP}" x2="${x}" y2="${H - BOTTOM}" stroke="#eee"/>`,
      `<text x="${x}" y="${H - BOTTOM + 18}" text-anchor="middle">${2 ** e}</text>`);
  }
  out.push(`<line x1="${LEFT}" y1="${H - BOTTOM}" x2="${W - RIGHT}" y2="${H - BOTTOM}" stroke="black"/>`,
    `<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${H - BOTTOM}" stroke="black"/>`,
    `<text x="${(LEFT + W - RIGHT) / 2}" y="${H - 16}" text-anchor="middle">simulated CPUs (log scale)</text>`,
    `<text transform="translate(22 ${(TOP + H - BOTTOM) / 2}) rotate(-90)" text-anchor="middle">median time per call (µs, log scale): simulated solid, host wall dotted</text>`,
    `<text x="${W - RIGHT + 20}" y="${TOP}" font-weight="bold">legend</text>`);
  let series = -1;
  lines.forEach((l, i) => {
    if (!l.wall) series++;
    const color = COLORS[series % COLORS.length]!;
    const dash = l.wall ? ' stroke-dasharray="2 3"' : l.dash ? ' stroke-dasharray="6 4"' : '';
    const width = l.wall ? 1 : 2;
    const pts = l.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
    out.push(`<polyline class="series" fill="none" stroke="${color}" stroke-width="${width}"${dash} points="${pts}"><title>${esc(l.name)}</title></polyline>`);
    if (!l.wall) for (const p of l.points) out.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${color}"/>`);
    const ly = TOP + 20 + i * 22;
    out.push(`<line x1="${W - RIGHT + 20}" y1="${ly - 4}" x2="${W - RIGHT + 50}" y2="${ly - 4}" stroke="${color}" stroke-width="${width}"${dash}/>`,
      `<text class="legend" x="${W - RIGHT + 56}" y="${ly}">${esc(l.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
