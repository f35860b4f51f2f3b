/**
 * ECharts with the SVG renderer and only the chart types the host area and the brand console draw.
 * Imported from those chunks only, so the owner's first page never loads it. Each chart carries a
 * label for screen readers and, under it, the same figures as a table.
 */
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from "echarts/charts";
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef, type ReactNode } from "react";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** The project's palette, in the order series use it. */
export const CHART_COLORS = ["#0b4ea2", "#c8102e", "#1c7a3e", "#8a5a00", "#6a3fa0"];

export interface ChartTable {
  columns: string[];
  rows: Array<Array<string | number>>;
}

export function EChart({
  option,
  label,
  table,
  tableSummary,
  height = 260,
  testId,
}: {
  option: ChartOption;
  label: string;
  /** The figures as a table under the chart, opened with `tableSummary`. */
  table?: ChartTable;
  tableSummary?: string;
  height?: number;
  testId?: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: "svg" });
    chart.current = instance;
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => instance.resize());
    observer?.observe(element.current);
    return () => {
      observer?.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ color: CHART_COLORS, aria: { enabled: false }, animation: false, ...option }, true);
  }, [option]);

  return (
    <figure className="chart" data-testid={testId}>
      <div ref={element} className="chart-canvas" role="img" aria-label={label} style={{ height }} />
      <figcaption className="visually-hidden">{label}</figcaption>
      {table && <ChartData table={table} summary={tableSummary ?? label} />}
    </figure>
  );
}

function ChartData({ table, summary }: { table: ChartTable; summary: ReactNode }) {
  return (
    <details className="chart-data">
      <summary>{summary}</summary>
      <table>
        <thead>
          <tr>
            {table.columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, index) => (
            <tr key={index}>
              {row.map((cell, column) =>
                column === 0 ? (
                  <th key={column} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={column}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
