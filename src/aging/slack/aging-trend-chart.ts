// The ageing trend as a PNG: one stacked bar per month-end, one colour per bucket, in the base
// currency. Drawn by Chart.js (maintained, the common charting library, no DOM needed with
// animation and responsiveness off) on @napi-rs/canvas (Skia, prebuilt binaries from npm: nothing
// to compile on the server).
import { createCanvas } from "@napi-rs/canvas";
import { Chart, type ChartConfiguration, type ChartItem, registerables } from "chart.js";
import { currencyExponent } from "../../domain/money.ts";
import type { AgingTrend } from "../list-aging-trend.ts";

Chart.register(...registerables);

// From "not yet due" (green) to the oldest bucket (dark red).
const COLOURS = [
  "#2e7d32",
  "#9ccc65",
  "#fdd835",
  "#fb8c00",
  "#e53935",
  "#b71c1c",
  "#880e4f",
  "#4a148c",
  "#311b92",
  "#1a237e",
];

export function renderAgingTrendPng(trend: AgingTrend, title: string): Buffer {
  const canvas = createCanvas(900, 450);
  const unit = 10 ** currencyExponent(trend.baseCurrency);
  const config: ChartConfiguration<"bar"> = {
    type: "bar",
    data: {
      labels: trend.points.map((p) => p.monthEnd),
      datasets: trend.buckets.map((label, i) => ({
        label,
        data: trend.points.map((p) => (p.buckets[i] ?? 0) / unit),
        backgroundColor: COLOURS[i % COLOURS.length],
      })),
    },
    options: {
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      plugins: { title: { display: true, text: title }, legend: { position: "bottom" } },
      scales: {
        x: { stacked: true },
        y: { stacked: true, title: { display: true, text: trend.baseCurrency } },
      },
    },
  };
  // Chart.js draws on anything with getContext("2d"); a white background first (PNG is transparent).
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  // Its types name the DOM's canvas; Skia's context has the same drawing API.
  const chart = new Chart(context as unknown as ChartItem, config);
  const png = canvas.toBuffer("image/png");
  chart.destroy();
  return png;
}
