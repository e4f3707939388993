// Vega-Lite compilation, apart from report/export/index.ts so that importing the format names does
// not load vega-lite (~0.35 s at every CLI start).
import { compile, type TopLevelSpec } from 'vega-lite';
import { fitSpec } from '../charts/fit.js';

/** Vega-Lite → Vega, after fitSpec (the width and text sizes every chart keeps). Throws on an invalid spec (vega-lite reports problems by throwing or warning). */
export function compileChart(spec: TopLevelSpec): { vega: object; warnings: string[] } {
  const warnings: string[] = [];
  const logger = {
    level: (): number => 0,
    error: (...args: unknown[]): never => {
      throw new Error(`vega-lite: ${args.map(String).join(' ')}`);
    },
    warn: (...args: unknown[]) => {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  const { spec: vega } = compile(fitSpec(spec), { logger: logger as never });
  return { vega, warnings };
}
