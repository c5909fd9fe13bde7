/**
 * Geometry and text helpers the server-rendered charts share (BarChart, ScaleSummary). Pure: no
 * DOM, no JavaScript sent to the browser.
 *
 * Layout model: charts are `<svg width="100%">` with a fixed height in pixels and horizontal
 * positions in percentages of the width. Text keeps its pixel size at any width, so it never drops
 * below 12px on a 320px screen (a scaled viewBox would shrink it to about 8px there), and nothing
 * has a fixed pixel width that could overflow. Vertical positions are pixels.
 */
import type { PublishedCell } from '#functions/surveys/suppression.ts';

/** A figure as callers hand it to a chart: a number, null (suppressed: "<5"), or a suppression result. */
export type ChartValue = number | null | PublishedCell;

export interface ReadValue {
  /** The number to draw, or null when the figure is hidden. */
  value: number | null;
  /** What to print: the formatted number, or the hidden figure's label. */
  text: string;
}

/** The label for a figure passed as plain null. */
export const SUPPRESSED_TEXT = '<5';

/** Text sizes in px (all at least 12, the smallest the charts allow). */
export const FONT = { label: 14, value: 14, small: 13 } as const;

/** Formats a number for display: whole numbers as they are, others to `decimals` places. */
export function formatNumber(
  value: number,
  { decimals = 1, locale = 'en' }: { decimals?: number; locale?: string } = {},
) {
  return new Intl.NumberFormat(locale, {
    maximumFractionDigits: Number.isInteger(value) ? 0 : decimals,
    minimumFractionDigits: Number.isInteger(value) ? 0 : decimals,
  }).format(value);
}

/** A number with its unit: "%" is written against the number, other units after a space. */
export function withUnit(text: string, unit: string | undefined): string {
  if (!unit) return text;
  return unit === '%' ? `${text}%` : `${text}\u00a0${unit}`;
}

/** A chart value as a number to draw (or null) and the text to print. */
export function readValue(
  v: ChartValue,
  options: { decimals?: number; locale?: string; unit?: string } = {},
): ReadValue {
  if (v === null) return { value: null, text: SUPPRESSED_TEXT };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`chart values must be finite, got ${v}`);
    return { value: v, text: withUnit(formatNumber(v, options), options.unit) };
  }
  return v.kind === 'shown' ? readValue(v.value, options) : { value: null, text: v.label };
}

/** The smallest "nice" number (1, 2, 2.5 or 5 times a power of ten) at or above `max`; 1 for nothing. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    const nice = step * power;
    if (nice >= max * (1 - 1e-12)) return nice;
  }
  return 10 * power;
}

/** `value` as a percentage of `max`, clamped to 0–100. */
export function percentOf(value: number, max: number): number {
  if (!(max > 0)) return 0;
  return Math.min(100, Math.max(0, (value / max) * 100));
}

/** A percentage as an SVG length, rounded to keep the markup short. */
export function pct(percent: number): string {
  return `${Math.round(percent * 100) / 100}%`;
}

/**
 * Splits a label into lines of at most `maxChars` characters at spaces (a longer word is cut).
 * The default fits a 14px label in the narrowest layout (a 320px screen).
 */
export function wrapLabel(text: string, maxChars = 32): string[] {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (let word of words) {
    while (word.length > maxChars) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(`${word.slice(0, maxChars - 1)}-`);
      word = word.slice(maxChars - 1);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= maxChars) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

const idCounters = new WeakMap<object, number>();
let fallbackCounter = 0;

/**
 * Ids for one chart's SVG title, description and patterns, unique within a page: numbered per
 * request (`Astro.request`), so the same page renders the same ids every time.
 */
export function chartIds(scope: object | undefined, title: string) {
  let n: number;
  if (scope) {
    n = (idCounters.get(scope) ?? 0) + 1;
    idCounters.set(scope, n);
  } else {
    n = ++fallbackCounter;
  }
  const slug =
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'chart';
  const base = `chart-${slug}-${n}`;
  return {
    base,
    title: `${base}-title`,
    desc: `${base}-desc`,
    pattern: (name: string) => `${base}-${name}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Stacked (Likert) bars.

/**
 * How a level of a diverging scale is drawn, so that levels differ by pattern as well as by colour
 * (and the legend and table name them): ember on the disagree side, sage on the agree side, a
 * dotted neutral middle. The two ends differ (solid against cross-hatched) and hatching leans one
 * way on each side, so no two levels look alike in greyscale.
 */
export interface LevelStyle {
  tone: 'ember' | 'sage' | 'neutral';
  fill: 'solid' | 'cross' | 'hatch' | 'sparse' | 'dots';
}

/** Styles for `count` ordered levels, from the most negative to the most positive. */
export function divergingStyles(count: number): LevelStyle[] {
  const half = Math.floor(count / 2);
  const negative: LevelStyle['fill'][] = ['solid', 'hatch', 'sparse'];
  const positive: LevelStyle['fill'][] = ['cross', 'hatch', 'sparse'];
  return Array.from({ length: count }, (_, i): LevelStyle => {
    if (count % 2 === 1 && i === half) return { tone: 'neutral', fill: 'dots' };
    if (i < half) return { tone: 'ember', fill: negative[Math.min(i, negative.length - 1)]! };
    const fromEnd = count - 1 - i;
    return { tone: 'sage', fill: positive[Math.min(fromEnd, positive.length - 1)]! };
  });
}

export interface StackSegment {
  /** Index of the series, or -1 for the block standing for the hidden figures. */
  series: number;
  /** Start and width as percentages of the bar. */
  start: number;
  width: number;
  /** The share of the total, as printed ("42%"). */
  share: string;
}

/**
 * Lays out one 100% bar: the shown values in order, then one block for whatever the hidden ones
 * add up to (total − shown, which the published total and cells give away anyway, so drawing it
 * tells nothing new). Null when the total itself is unknown and something is hidden: without
 * the total, shares would reveal it.
 */
export function stackSegments(values: readonly (number | null)[], total: number | null): StackSegment[] | null {
  const shownSum = values.reduce<number>((a, v) => a + (v ?? 0), 0);
  const anyHidden = values.some((v) => v === null);
  if (total === null && anyHidden) return null;
  const whole = total ?? shownSum;
  if (!(whole > 0)) return [];
  const segments: StackSegment[] = [];
  let start = 0;
  const share = (v: number) => `${Math.round((v / whole) * 100)}%`;
  values.forEach((v, series) => {
    if (v === null || v <= 0) return;
    const width = percentOf(v, whole);
    segments.push({ series, start, width: Math.min(width, 100 - start), share: share(v) });
    start += width;
  });
  const hidden = whole - shownSum;
  if (anyHidden && hidden > 0 && start < 100) {
    segments.push({ series: -1, start, width: 100 - start, share: share(hidden) });
  }
  return segments;
}

// ---------------------------------------------------------------------------------------------
// Number lines (ScaleSummary).

/** Where `value` sits on a line from `min` to `max`, as a percentage of the width with `pad` % each side. */
export function linePosition(value: number, min: number, max: number, pad = 8): number {
  if (!(max > min)) return 50;
  const t = Math.min(1, Math.max(0, (value - min) / (max - min)));
  return pad + t * (100 - 2 * pad);
}

/** Tick values for a number line: every whole number for short scales (up to 10 steps), else about five nice steps. */
export function lineTicks(min: number, max: number): number[] {
  if (!(max > min)) return [min];
  if (Number.isInteger(min) && Number.isInteger(max) && max - min <= 10) {
    return Array.from({ length: max - min + 1 }, (_, i) => min + i);
  }
  const raw = (max - min) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((s) => s * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + 1e-9 * step; v += step) {
    ticks.push(Math.round(v / step) * step);
  }
  return ticks;
}

/** A text anchor that keeps a label at `position` % inside the chart. */
export function anchorFor(position: number): 'start' | 'middle' | 'end' {
  if (position < 15) return 'start';
  if (position > 85) return 'end';
  return 'middle';
}
