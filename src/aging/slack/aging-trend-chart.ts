// The ageing trend as a PNG: one stacked bar per month-end, one colour per bucket, in the base
// currency, its title, months and buckets in the reader's language. Drawn by Chart.js (maintained, the common charting library, no DOM needed with
// animation and responsiveness off) on @napi-rs/canvas (Skia, prebuilt binaries from npm: nothing
// to compile on the server).
import { createCanvas } from "@napi-rs/canvas";
import { Chart, type ChartConfiguration, type ChartItem, registerables } from "chart.js";
import { currencyExponent } from "../../domain/money.ts";
import { calendarDate, type Locale, t } from "../../i18n/index.ts";
import type { AgingTrend } from "../list-aging-trend.ts";
import { bucketName } from "./aging-report.ts";

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

/** The chart as a file for the asker's DM: its name, title, image and the figures in words. */
export function agingTrendFile(trend: AgingTrend, locale: Locale) {
  const first = trend.points[0]?.monthEnd;
  const last = trend.points.at(-1);
  const title = t(locale, "aging.trend.title", {
    from: calendarDate(first ?? "1970-01-01"),
    to: calendarDate(last?.monthEnd ?? "1970-01-01"),
    currency: trend.baseCurrency,
  });
  // The figures in words beside the image, for screen readers and notifications.
  const words = last
    ? t(locale, "aging.trend.words", {
        date: calendarDate(last.monthEnd),
        buckets: trend.buckets
          .map((b, i) =>
            t(locale, "aging.trend.bucket", {
              bucket: bucketName(b, locale),
              amount: { amountMinor: last.buckets[i] ?? 0, currency: trend.baseCurrency },
            }),
          )
          .join(", "),
      })
    : "";
  return {
    filename: `aging-trend-${last?.monthEnd ?? "none"}.png`,
    title,
    content: renderAgingTrendPng(trend, title, locale),
    comment: words ? `${title}. ${words}` : title,
  };
}

function renderAgingTrendPng(trend: AgingTrend, title: string, locale: Locale): Buffer {
  const canvas = createCanvas(900, 450);
  const unit = 10 ** currencyExponent(trend.baseCurrency);
  const config: ChartConfiguration<"bar"> = {
    type: "bar",
    data: {
      labels: trend.points.map((p) => t(locale, "aging.trend.month", { date: calendarDate(p.monthEnd) })),
      datasets: trend.buckets.map((label, i) => ({
        label: bucketName(label, locale),
        data: trend.points.map((p) => (p.buckets[i] ?? 0) / unit),
        backgroundColor: COLOURS[i % COLOURS.length],
      })),
    },
    options: {
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      // The axis' amounts grouped the reader's way (Chart.js formats them with Intl).
      locale,
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
