// Builds the console into OUTDIR (default target/classes/io/berth/console): index.html, assets/
// with content-hashed names (so the manager serves them as immutable) and `files` listing them.
// Prints the bundle's raw and gzip sizes.
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, 'target/classes/io/berth/console'));
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

const result = await esbuild.build({
  entryPoints: [join(here, 'src/main/web/main.jsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const files = Object.keys(result.metafile.outputs).map((f) => basename(f));
const js = files.find((f) => f.endsWith('.js'));
const css = files.find((f) => f.endsWith('.css'));
const html = readFileSync(join(here, 'src/main/web/index.html'), 'utf8')
  .replace('%JS%', `assets/${js}`)
  .replace('%CSS%', `assets/${css}`);
writeFileSync(join(out, 'index.html'), html);
// The manager cannot list a jar's directory: it reads what to serve from this list.
writeFileSync(join(out, 'files'), ['index.html', ...files.map((f) => 'assets/' + f)].join('\n') + '\n');

let raw = 0, gz = 0;
for (const f of [...files.map((f) => join(out, 'assets', f)), join(out, 'index.html')]) {
  const b = readFileSync(f);
  raw += b.length;
  gz += gzipSync(b, { level: 9 }).length;
}
console.log(`berth-console: ${files.length + 1} files, ${raw} bytes, ${gz} bytes gzip`);
