// `npm install` runs this (the `prepare` script) so that the README's two commands give a built page. Plain
// JavaScript, because without dev dependencies it runs on whatever Node the machine has.
// `npm install --omit=dev` leaves Vite out: then the page is not built, which is said here and again by the
// server when it starts (it serves the API only), instead of failing the install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../node_modules/vite/package.json', import.meta.url))) {
  console.log(
    'Dev dependencies are not installed, so the web page is not built; `npm run build:web` builds it.',
  );
  process.exit(0);
}
const build = spawnSync('npm', ['run', 'build:web'], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
process.exit(build.status ?? 1);
