/**
 * A chart drawn by ECharts (SVG renderer), which loads with the first chart shown: the host area's and
 * the brand console's pages without charts, and the owner's pages, never fetch it. Each chart carries
 * a label for screen readers and, under it, the same figures as a table.
 */
import type { BarSeriesOption, LineSeriesOption } from "echarts/charts";
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from "echarts/components";
import type { ComposeOption, ECharts } from "echarts/core";
import { useEffect, useRef, useState, type ReactNode } from "react";

export type ChartOption = ComposeOption<
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
  const [chart, setChart] = useState<ECharts | null>(null);

  useEffect(() => {
    let disposed = false;
    let instance: ECharts | null = null;
    let observer: ResizeObserver | null = null;
    void import("./echarts").then(({ default: echarts }) => {
      if (disposed || !element.current) return;
      instance = echarts.init(element.current, undefined, { renderer: "svg" });
      observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => instance?.resize());
      observer?.observe(element.current);
      setChart(instance);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      instance?.dispose();
    };
  }, []);

  useEffect(() => {
    chart?.setOption({ color: CHART_COLORS, aria: { enabled: false }, animation: false, ...option }, true);
  }, [chart, option]);

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
