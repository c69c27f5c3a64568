// Charts with Apache ECharts (only the parts used are bundled), drawn as SVG so the numbers on
// the chart are text a reader (and the browser test) can check. Each chart container keeps the
// series it was given in data-series, the exact values behind the labels.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { text } from './format.js';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  SVGRenderer,
]);

const palette = ['#3b6ea5', '#d98c3f', '#5a9e6f', '#a55c8f', '#8c8c8c', '#c44e52'];
const live = new Set();

// Disposes the charts of the previous page.
export function disposeCharts() {
  for (const chart of live) chart.dispose();
  live.clear();
}

window.addEventListener('resize', () => {
  for (const chart of live) chart.resize();
});

// Bars (or lines) over `categories`, one per series: {name, values: [number|null]}.
// `kind` formats the labels (format.js); `line` draws lines instead of bars; `baseline` draws a
// dashed reference line (ND index 1.0).
export function chart(el, { categories, series, kind = 'nd', line = false, baseline, stack }) {
  el.dataset.series = JSON.stringify(series.map((s) => ({ name: s.name, values: s.values })));
  el.dataset.categories = JSON.stringify(categories);
  const instance = echarts.init(el, null, { renderer: 'svg' });
  live.add(instance);
  instance.setOption({
    animation: false,
    color: palette,
    tooltip: { trigger: 'axis', valueFormatter: (v) => text(v, kind) },
    legend: series.length > 1 ? { top: 0 } : undefined,
    grid: { left: 56, right: 16, top: series.length > 1 ? 32 : 16, bottom: 48, containLabel: true },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: { type: 'value', axisLabel: { formatter: (v) => text(v, kind) } },
    series: series.map((s, i) => ({
      name: s.name,
      type: line ? 'line' : 'bar',
      stack,
      data: s.values,
      label: {
        show: true,
        position: stack ? 'inside' : 'top',
        // No label for an empty value, nor for a zero segment of a stack.
        formatter: (p) => (p.value === null || p.value === undefined || (stack && p.value === 0) ? '' : text(p.value, kind)),
      },
      markLine:
        baseline !== undefined && i === 0
          ? { symbol: 'none', silent: true, lineStyle: { type: 'dashed' }, data: [{ yAxis: baseline }] }
          : undefined,
    })),
  });
  return instance;
}
