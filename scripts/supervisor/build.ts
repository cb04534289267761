/**
 * Compiles the services to JavaScript in `dist/` so that they start (and restart) without
 * ts-node: `dist/apps/<service>/src/main.js`, beside `dist/libs/<lib>/src/...`.
 *
 * It transpiles each file with swc, the same compiler and options the tests (`jest.config.js`)
 * and ts-node (`"swc": true` in tsconfig.json) already use, so what runs is what was tested;
 * swc rewrites the `@sangam/*` imports to relative paths from tsconfig.json's `paths`, so
 * nothing resolves aliases at run time. It does not type-check (neither did ts-node's swc
 * mode): `npm run typecheck` and `npm test` do. All ~230 files take about a second, where a
 * type-checked `nest build --builder tsc` (which writes the same layout) takes 20-70 s here.
 *
 *   ts-node scripts/supervisor/build.ts             builds
 *   ts-node scripts/supervisor/build.ts --if-stale  builds only when dist is missing or older than a source
 */
import { transformFile, type Options } from '@swc/core';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export const ROOT = join(__dirname, '../..');
export const DIST = join(ROOT, 'dist');
const STAMP = '.sangam-build.json';

/** The entry point of a compiled app, e.g. `dist/apps/groups/src/main.js`. */
export const compiledMain = (app: string, root = ROOT): string => join(root, 'dist/apps', app, 'src/main.js');

const isSource = (name: string) =>
  name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.e2e-spec.ts') && !name.endsWith('.d.ts');

/** Every TypeScript file the apps run: `apps/<app>/src/**` and `libs/<lib>/src/**`, specs left out. */
export function sourceFiles(root = ROOT): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (isSource(entry.name)) files.push(path);
    }
  };
  for (const top of ['apps', 'libs']) {
    for (const entry of readdirSync(join(root, top), { withFileTypes: true })) {
      if (entry.isDirectory()) {
        const src = join(root, top, entry.name, 'src');
        if (statSync(src, { throwIfNoEntry: false })?.isDirectory()) walk(src);
      }
    }
  }
  return files.sort();
}

interface Stamp {
  files: string[];
  newest: number;
}

function readStamp(dist: string): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(join(dist, STAMP), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

/** Why dist must be built again, or undefined when it is up to date with the sources. */
export function staleReason(root = ROOT): string | undefined {
  const dist = join(root, 'dist');
  const stamp = readStamp(dist);
  if (!stamp) return 'dist/ has not been built';
  const files = sourceFiles(root).map((f) => relative(root, f));
  if (files.join('\n') !== stamp.files.join('\n')) return 'source files were added or removed';
  const inputs = [...files, 'tsconfig.json', 'package-lock.json'];
  const changed = inputs.find((f) => (statSync(join(root, f), { throwIfNoEntry: false })?.mtimeMs ?? 0) > stamp.newest);
  return changed ? `${changed} changed` : undefined;
}

function swcOptions(root: string): Options {
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  return {
    swcrc: false,
    configFile: false,
    sourceMaps: true,
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
      baseUrl: root,
      paths: tsconfig.compilerOptions.paths,
    },
  };
}

/** Writes a file whole or not at all: a service restarting during a build never reads half a module. */
function writeAtomically(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

/** Compiles every source file into dist/ and removes the output of sources that no longer exist. */
export async function build(root = ROOT): Promise<{ files: number; ms: number }> {
  const started = Date.now();
  const dist = join(root, 'dist');
  const files = sourceFiles(root);
  // The newest input as the build saw it: a file saved during the build makes the next check stale.
  const inputs = [...files, join(root, 'tsconfig.json'), join(root, 'package-lock.json')];
  const newest = Math.max(...inputs.map((f) => statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0));
  const options = swcOptions(root);
  const written = new Set<string>();
  await Promise.all(
    files.map(async (file) => {
      const output = join(dist, relative(root, file)).replace(/\.ts$/, '.js');
      const { code, map } = await transformFile(file, {
        ...options,
        filename: file,
        outputPath: output,
        sourceFileName: relative(dirname(output), file),
      });
      writeAtomically(output, `${code}\n//# sourceMappingURL=${output.split('/').pop()}.map\n`);
      if (map) writeAtomically(`${output}.map`, map);
      written.add(output);
      written.add(`${output}.map`);
    }),
  );
  removeLeftovers(join(dist, 'apps'), written);
  removeLeftovers(join(dist, 'libs'), written);
  writeAtomically(join(dist, STAMP), JSON.stringify({ files: files.map((f) => relative(root, f)), newest } satisfies Stamp));
  return { files: files.length, ms: Date.now() - started };
}

function removeLeftovers(dir: string, keep: Set<string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && /\.js(\.map)?$/.test(entry.name) && !keep.has(path)) rmSync(path);
  }
}

/** The web console's browser app (apps/console/web), bundled by Vite into dist/console. */
export const CONSOLE_WEB = 'apps/console/web';
export const CONSOLE_DIST = 'dist/console';

function newestIn(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile())
      .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs),
  );
}

/** Why the console's bundle must be built again, or undefined when it is newer than its sources. */
export function consoleStaleReason(root = ROOT): string | undefined {
  const built = statSync(join(root, CONSOLE_DIST, 'index.html'), { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return 'the console has not been built';
  const newest = Math.max(newestIn(join(root, CONSOLE_WEB)), statSync(join(root, 'package-lock.json')).mtimeMs);
  return newest > built ? 'the console changed' : undefined;
}

/** Bundles the browser app with Vite (a second or two); its output replaces dist/console whole. */
export function buildConsole(root = ROOT): { ms: number } {
  const started = Date.now();
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', join(root, CONSOLE_WEB), '--outDir', join(root, CONSOLE_DIST), '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`the console's Vite build failed:\n${result.stderr || result.stdout}`);
  return { ms: Date.now() - started };
}

/** Builds when needed; says what it did on stderr (stdout stays for the services' logs). */
export async function buildIfStale(log: (line: string) => void = (line) => console.error(line), root = ROOT): Promise<void> {
  const reason = staleReason(root);
  if (reason) {
    const { files, ms } = await build(root);
    log(`[build] ${reason}: compiled ${files} files to dist/ in ${ms} ms`);
  }
  const consoleReason = consoleStaleReason(root);
  if (consoleReason) log(`[build] ${consoleReason}: bundled it into ${CONSOLE_DIST}/ in ${buildConsole(root).ms} ms`);
}

async function buildAll(): Promise<void> {
  const { files, ms } = await build();
  console.error(`[build] compiled ${files} files to dist/ in ${ms} ms`);
  console.error(`[build] bundled the console into ${CONSOLE_DIST}/ in ${buildConsole().ms} ms`);
}

if (require.main === module) {
  const ifStale = process.argv.includes('--if-stale');
  (ifStale ? buildIfStale() : buildAll()).catch((error) => {
    console.error(`[build] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
