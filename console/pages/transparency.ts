import type { GroundCounts } from '../../service/transparency';
import type { Html } from '../html';
import { html } from '../html';
import { layout } from '../layout';
import type { View } from '../view';

/** One quarter's counts, by ground (warrant, inquiry, emergency, statute). */
export interface QuarterCounts {
  quarter: string;
  byGround: Record<string, GroundCounts>;
}

const OUTCOMES = [
  { key: 'delivered', css: 'seg-delivered', label: 'delivered' },
  { key: 'refused', css: 'seg-refused', label: 'refusedCount' },
  { key: 'other', css: 'seg-other', label: 'otherCount' },
] as const;

const BAR = 18;
const GAP = 6;
const HEIGHT = 180;
const TOP = 16;
const LEFT = 36;

/**
 * Requests per quarter as grouped bars, one per ground, each stacked by outcome; every bar has a
 * <title> and the same numbers stand in the table below, so nothing depends on seeing the chart.
 */
export function transparencyChart(v: View, quarters: QuarterCounts[], grounds: string[]): Html {
  const max = Math.max(1, ...quarters.flatMap((q) => Object.values(q.byGround).map((c) => c.requests)));
  const group = grounds.length * (BAR + GAP) + 24;
  const width = LEFT + quarters.length * group + 8;
  const y = (n: number): number => TOP + HEIGHT - (n / max) * HEIGHT;
  const bars = quarters.map((q, qi) => {
    const x0 = LEFT + qi * group;
    return html`<g>
      ${grounds.map((g, gi) => {
        const c = q.byGround[g];
        if (c === undefined) return '';
        let base = 0;
        return OUTCOMES.map((o) => {
          const n = c[o.key];
          if (n === 0) return '';
          const top = y(base + n);
          const rect = html`<rect class="${o.css}" x="${x0 + gi * (BAR + GAP)}" y="${top}" width="${BAR}" height="${y(base) - top}"
            ><title>${q.quarter} · ${g} · ${v.t(o.label)}: ${n}</title></rect
          >`;
          base += n;
          return rect;
        });
      })}
      <text x="${x0 + (grounds.length * (BAR + GAP)) / 2}" y="${TOP + HEIGHT + 16}" text-anchor="middle">${q.quarter}</text>
    </g>`;
  });
  return html`<figure class="chart">
    <svg role="img" aria-labelledby="chart-title" viewBox="0 0 ${width} ${TOP + HEIGHT + 40}" width="${width}" height="${TOP + HEIGHT + 40}">
      <title id="chart-title">${v.t('chartTitle')}</title>
      <line x1="${LEFT - 4}" y1="${y(0)}" x2="${width}" y2="${y(0)}" class="axis" />
      <text x="${LEFT - 8}" y="${y(max) + 4}" text-anchor="end">${max}</text>
      <text x="${LEFT - 8}" y="${y(0)}" text-anchor="end">0</text>
      ${bars}
    </svg>
    <figcaption>
      ${v.t('chartTitle')}: ${grounds.join(' / ')} ·
      ${OUTCOMES.map((o) => html`<span class="key ${o.css}"></span> ${v.t(o.label)} `)}
    </figcaption>
  </figure>`;
}

export function transparencyPage(v: View, quarters: QuarterCounts[], grounds: string[]): Html {
  const rows = quarters.flatMap((q) =>
    grounds
      .filter((g) => q.byGround[g] !== undefined)
      .map((g) => {
        const c = q.byGround[g]!;
        return html`<tr>
          <td>${q.quarter}</td>
          <td>${g}</td>
          <td>${c.requests}</td>
          <td>${c.delivered}</td>
          <td>${c.narrowed}</td>
          <td>${c.refused}</td>
          <td>${c.other}</td>
        </tr>`;
      }),
  );
  return layout(
    v,
    v.t('transparency'),
    quarters.length === 0
      ? html`<p>${v.t('none')}</p>`
      : html`${transparencyChart(v, quarters, grounds)}
          <table>
            <caption>
              ${v.t('chartTitle')}
            </caption>
            <thead>
              <tr>
                <th scope="col">${v.t('quarter')}</th>
                <th scope="col">${v.t('ground')}</th>
                <th scope="col">${v.t('requests')}</th>
                <th scope="col">${v.t('delivered')}</th>
                <th scope="col">${v.t('narrowed')}</th>
                <th scope="col">${v.t('refusedCount')}</th>
                <th scope="col">${v.t('otherCount')}</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>`,
  );
}
