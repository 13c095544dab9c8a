// A saved query's rows as an Apache ECharts option, rendered to SVG here on the server
// (ECharts' SSR mode): the page then needs no script and no network to show its charts.
import * as echarts from 'echarts';
import type { QueryResult } from '../query/results';
import { categories, labelOf, needColumns, numberOf, valueColumns } from './chart-data';
import type { ChartSpec } from './saved-queries';

interface ChartSize {
  width: number;
  height: number;
  /** Spans the page's two columns. */
  wide: boolean;
}

export interface Chart {
  option: echarts.EChartsOption;
  size: ChartSize;
}

/**
 * Text widths for layout (label truncation, legends, margins). Without a canvas ECharts
 * guesses with Arial's widths; browsers on Linux often draw DejaVu Sans, which is wider,
 * so labels overflowed. This errs on the wide side for the usual sans fonts.
 */
function measureText(text: string, font?: string): { width: number } {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
  let ems = 0;
  for (const c of text) {
    if (/[ijlI.,:;'|!()[\]ft ]/.test(c)) ems += 0.34;
    else if (/[mwMW@%]/.test(c)) ems += 0.92;
    else if (/[A-Z]/.test(c)) ems += 0.7;
    else if (/[0-9]/.test(c)) ems += 0.64;
    else ems += 0.6;
  }
  return { width: ems * size };
}

echarts.setPlatformAPI({ measureText });

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const NARROW = 560;
const WIDE = 1140;
/** Room for a horizontal bar chart's labels: long song titles are cut to fit. */
const LABEL_ROOM = 220;

const base = (): echarts.EChartsOption => ({
  animation: false,
  textStyle: { fontFamily: FONT },
  grid: { left: 12, right: 24, top: 36, bottom: 12, containLabel: true },
});

export function buildChart(spec: ChartSpec, result: QueryResult): Chart {
  switch (spec.kind) {
    case 'bar':
      return barChart(spec, result, false);
    case 'hbar':
      return barChart(spec, result, true);
    case 'line':
      return lineChart(spec, result);
    case 'series-line':
      return seriesLineChart(result);
    case 'heatmap':
      return heatmapChart(result);
    case 'donut':
      return donutChart(result);
  }
}

function barChart(spec: ChartSpec, result: QueryResult, horizontal: boolean): Chart {
  const label = result.columns[0];
  const values = valueColumns(spec, result);
  // A horizontal bar chart lists from the top down; ECharts' category axis runs bottom up.
  const rows = horizontal ? [...result.rows].reverse() : result.rows;
  const labels = rows.map((row) => labelOf(row[0]));
  const showValues = rows.length <= 16;
  const categoryAxis = {
    type: 'category' as const,
    data: labels,
    name: horizontal ? undefined : label,
    nameLocation: 'middle' as const,
    nameGap: 28,
    axisLabel: horizontal ? { width: LABEL_ROOM - 16, overflow: 'truncate' as const } : { interval: 0, fontSize: 11 },
  };
  const valueAxis = {
    type: 'value' as const,
    name: horizontal ? undefined : values.map((i) => result.columns[i]).join(', '),
    splitLine: { lineStyle: { color: '#e6e8ee' } },
  };
  const option: echarts.EChartsOption = {
    ...base(),
    legend: values.length > 1 ? { top: 0 } : undefined,
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: values.map((column) => ({
      type: 'bar' as const,
      name: result.columns[column],
      data: rows.map((row) => numberOf(row[column])),
      barMaxWidth: 48,
      label: { show: showValues, position: horizontal ? ('right' as const) : ('top' as const) },
    })),
  };
  option.grid = horizontal
    ? { left: LABEL_ROOM, right: 36, top: values.length > 1 ? 32 : 8, bottom: 24 }
    : { left: 12, right: 24, top: 36, bottom: 30, containLabel: true };
  const height = horizontal ? Math.max(160, 40 + 30 * rows.length) : 320;
  return { option, size: { width: NARROW, height, wide: false } };
}

function lineChart(spec: ChartSpec, result: QueryResult): Chart {
  const values = valueColumns(spec, result);
  const names = values.map((i) => result.columns[i]);
  // Two series of different sizes (plays, users) each get an axis, so neither is flattened.
  const twoAxes = values.length === 2;
  const option: echarts.EChartsOption = {
    ...base(),
    legend: { top: 0 },
    // The right axis' name sits above its labels: leave room for it.
    grid: { left: 24, right: twoAxes ? 48 : 24, top: 52, bottom: 12, containLabel: true },
    xAxis: { type: 'category', data: result.rows.map((row) => labelOf(row[0])), boundaryGap: false },
    yAxis: (twoAxes ? names : [names.join(', ')]).map((name, i) => ({
      type: 'value' as const,
      name,
      position: i === 0 ? ('left' as const) : ('right' as const),
      splitLine: { show: i === 0, lineStyle: { color: '#e6e8ee' } },
    })),
    series: values.map((column, i) => ({
      type: 'line' as const,
      name: result.columns[column],
      yAxisIndex: twoAxes ? i : 0,
      data: result.rows.map((row) => numberOf(row[column])),
      symbolSize: 5,
    })),
  };
  return { option, size: { width: WIDE, height: 340, wide: true } };
}

function seriesLineChart(result: QueryResult): Chart {
  needColumns(result, 3, 'series-line chart');
  const [x, , value] = result.columns;
  const xs = categories(result.rows.map((row) => row[0]));
  const names = [...new Set(result.rows.map((row) => labelOf(row[1])))];
  const option: echarts.EChartsOption = {
    ...base(),
    legend: { top: 0 },
    grid: { left: 12, right: 24, top: 48, bottom: 12, containLabel: true },
    xAxis: { type: 'category', data: xs, name: x, nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: value, minInterval: 1, splitLine: { lineStyle: { color: '#e6e8ee' } } },
    series: names.map((name) => {
      const byX = new Map(
        result.rows.filter((row) => labelOf(row[1]) === name).map((row) => [labelOf(row[0]), numberOf(row[2])]),
      );
      return { type: 'line' as const, name, data: xs.map((v) => byX.get(v) ?? null), symbolSize: 6 };
    }),
  };
  option.grid = { left: 12, right: 24, top: 48, bottom: 30, containLabel: true };
  return { option, size: { width: WIDE, height: 340, wide: true } };
}

function heatmapChart(result: QueryResult): Chart {
  needColumns(result, 3, 'heatmap');
  const [, columnColumn, value] = result.columns;
  const rowLabels = categories(result.rows.map((row) => row[0]));
  const columnLabels = categories(result.rows.map((row) => row[1]));
  const data = result.rows.map((row) => [
    columnLabels.indexOf(labelOf(row[1])),
    rowLabels.indexOf(labelOf(row[0])),
    numberOf(row[2]),
  ]);
  const max = Math.max(1, ...data.map((d) => d[2] ?? 0));
  const option: echarts.EChartsOption = {
    ...base(),
    grid: { left: 12, right: 24, top: 12, bottom: 64, containLabel: true },
    // Rows read from the top down, as in the table.
    yAxis: { type: 'category', data: rowLabels, inverse: true, splitArea: { show: true } },
    xAxis: {
      type: 'category',
      data: columnLabels,
      name: columnColumn,
      nameLocation: 'middle',
      nameGap: 26,
      splitArea: { show: true },
    },
    visualMap: {
      type: 'continuous',
      min: 0,
      max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      text: [`${max} ${value}`, '0'],
      inRange: { color: ['#f3f6fb', '#9ec5e8', '#2f6fb0', '#0b2f5c'] },
    },
    series: [{ type: 'heatmap', name: value, data, label: { show: true, fontSize: 10 } }],
  };
  return { option, size: { width: WIDE, height: 380, wide: true } };
}

function donutChart(result: QueryResult): Chart {
  needColumns(result, 2, 'donut chart');
  const value = result.columns[1];
  const option: echarts.EChartsOption = {
    ...base(),
    series: [
      {
        type: 'pie',
        name: value,
        radius: ['42%', '68%'],
        center: ['50%', '46%'],
        data: result.rows.map((row) => ({ name: labelOf(row[0]), value: numberOf(row[1]) ?? 0 })),
        percentPrecision: 1,
        label: { formatter: '{b}\n{c} ({d}%)' },
      },
    ],
  };
  return { option, size: { width: NARROW, height: 320, wide: false } };
}

/** The chart as an SVG document fragment: ECharts escapes every text it draws. */
export function renderChartSvg(chart: Chart): string {
  const instance = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: chart.size.width,
    height: chart.size.height,
  });
  try {
    instance.setOption(chart.option);
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}
