import type { Lang } from './frame';

// The assessment dashboard's charts, drawn on the server by Apache ECharts as SVG (its SSR mode:
// no DOM, no canvas, no script in the browser). The pages' Content-Security-Policy allows no
// script and no inline style attributes, which ECharts' SVG uses; so each chart is an image of
// its own (an <img> on the page, with the numbers in a table beside it), and only the image's
// own response allows its styles. It prints like any image.

// CommonJS build of the library, loaded on the first chart.
let library: typeof import('echarts') | undefined;
const echarts = () => (library ??= require('echarts') as typeof import('echarts'));

export interface Series {
  name: string;
  /** Shares 0–1, or null where nothing was counted. */
  values: (number | null)[];
}

const palette = ['#0b4f9c', '#b34700', '#1b5e20', '#6a1b9a', '#a4000f', '#00695c'];
// Single quotes: ECharts writes the family into a style attribute in double quotes, unescaped.
const font = "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif";

function render(option: Record<string, unknown>, width: number, height: number): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, color: palette, textStyle: { fontFamily: font, fontSize: 13 }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const percent = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** Each indicator's line over the periods (month, quarter or year). */
export function trendChart(lang: Lang, periods: string[], series: Series[]): string {
  return render(
    {
      title: { text: lang === 'zh' ? '各项指标按期变化（%）' : 'Indicators by period (%)', left: 'center', textStyle: { fontSize: 15 } },
      legend: { bottom: 0 },
      grid: { left: 48, right: 24, top: 48, bottom: 64 },
      xAxis: { type: 'category', data: periods },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: series.map((s) => ({ type: 'line', name: s.name, data: s.values.map(percent), connectNulls: false, symbolSize: 6 })),
    },
    720,
    360,
  );
}

/** Departments (or districts) side by side: one bar per indicator for each. */
export function groupsChart(lang: Lang, groups: string[], series: Series[]): string {
  const height = Math.max(320, 90 + groups.length * 26 * Math.max(1, Math.ceil(series.length / 3)));
  return render(
    {
      title: { text: lang === 'zh' ? '各单位指标对比（%）' : 'Side by side (%)', left: 'center', textStyle: { fontSize: 15 } },
      legend: { bottom: 0 },
      grid: { left: 200, right: 24, top: 48, bottom: 64 },
      xAxis: { type: 'value', min: 0, max: 100 },
      yAxis: { type: 'category', data: groups, inverse: true, axisLabel: { width: 185, overflow: 'truncate' } },
      series: series.map((s) => ({ type: 'bar', name: s.name, data: s.values.map(percent), barMaxWidth: 10 })),
    },
    720,
    Math.min(height, 1600),
  );
}
