// Bundles the dashboard into dist/ (copied to qa-service's output folder dashboard/ and served from there): one ES module with
// apache-arrow and Observable Plot inside it, plus the page and its stylesheet. Nothing is fetched
// from a CDN at run time: councils' networks block them.
//
//   node build.mjs            (run by the service's MSBuild target when npm is available)
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = `${here}dist`;

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await build({
  entryPoints: [`${here}src/main.js`],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  outfile: `${dist}/app.js`,
  logLevel: 'warning',
});
for (const file of ['index.html', 'app.css']) await copyFile(`${here}src/${file}`, `${dist}/${file}`);
process.stdout.write(`dashboard bundle written to ${dist}\n`);
