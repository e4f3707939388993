import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * CLI start-up cost: CPU seconds (user + system, of the whole process: Node's own start, module
 * loading, the command) of the bundled CLI, dist/cli/main.js (scripts/bundle-cli.mjs), against
 * the same entry loading tsc's per-module output, dist/cli/main-modules.js — both measured here,
 * alternately, so the ratio does not depend on the machine or its load.
 *  - `--version`: start-up alone;
 *  - a small `availability` run (n3-1az, 8 trials of 30 days, 1 worker, --json): start-up plus a
 *    little simulation, as most CLI tests run it.
 * Child processes; each reports its own process.cpuUsage() when it exits.
 */
export interface StartupRow {
  readonly command: string;
  /** mean CPU seconds per process, bundled CLI */
  readonly bundledCpuSec: number;
  /** mean CPU seconds per process, unbundled modules */
  readonly modulesCpuSec: number;
  /** modulesCpuSec / bundledCpuSec: > 1 when the bundle starts cheaper */
  readonly ratio: number;
}

export interface StartupBench {
  readonly rows: readonly StartupRow[];
  /** processes per command and variant */
  readonly repeats: number;
}

const BUNDLED = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const MODULES = fileURLToPath(new URL('../cli/main-modules.js', import.meta.url));
const TOPOLOGY = fileURLToPath(new URL('../../topologies/n3-1az.yaml', import.meta.url));
const REPORT_CPU = "data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('cpuus='+(u.user+u.system)+'\\n')})";

const COMMANDS: readonly { readonly name: string; readonly args: readonly string[] }[] = [
  { name: '--version', args: ['--version'] },
  { name: 'availability n3-1az --runs 8 --horizon 30d', args: ['availability', TOPOLOGY, '--runs', '8', '--horizon', '30d', '--workers', '1', '--json', '--no-progress'] },
];

/** CPU seconds of one `node ENTRY ARGS` process. @throws Error when it fails or reports nothing */
function cpuSeconds(entry: string, args: readonly string[]): number {
  const r = spawnSync(process.execPath, ['--import', REPORT_CPU, entry, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const m = /cpuus=(\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`bench: node ${entry} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return Number(m[1]) / 1e6;
}

export function benchStartup(repeats = 10): StartupBench {
  const rows = COMMANDS.map(({ name, args }) => {
    let bundled = 0;
    let modules = 0;
    for (let i = 0; i < repeats; i++) {
      bundled += cpuSeconds(BUNDLED, args);
      modules += cpuSeconds(MODULES, args);
    }
    return { command: name, bundledCpuSec: bundled / repeats, modulesCpuSec: modules / repeats, ratio: modules / bundled };
  });
  return { rows, repeats };
}

export function startupSummary(r: StartupBench): string {
  const parts = r.rows.map((row) => `${row.command} ${row.bundledCpuSec.toFixed(3)} s vs ${row.modulesCpuSec.toFixed(3)} s (×${row.ratio.toFixed(2)})`);
  return `startup: CPU per CLI process, bundled vs unbundled modules (mean of ${r.repeats}): ${parts.join('; ')}`;
}
