// Bundles the CLI with esbuild: one ESM entry plus lazily loaded chunks (code splitting), so
// `cdm --help` parses only the command metadata. npm dependencies stay external (installed
// beside the bundle by npm), which keeps heavy ones out of the startup path.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import './gen-version.mjs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cdm: 'src/entry.ts', 'sandbox-daemon': 'src/sandbox/stack/daemon-main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  metafile: false,
});

// Pre-rendered help for the bin fast path (same program, same text as the full CLI prints): one
// small file per command path, so `cdm <path> --help` reads only its own text.
const { renderAllHelp, REGISTRY } = await import(new URL('../dist/cdm.js', import.meta.url).href);
const { mkdirSync, writeFileSync } = await import('node:fs');
mkdirSync(new URL('../dist/help/', import.meta.url), { recursive: true });
for (const [path, text] of Object.entries(renderAllHelp(REGISTRY))) {
  writeFileSync(new URL(`../dist/help/${path === '' ? '_root' : path.replace(/ /g, '_')}.txt`, import.meta.url), text);
}
