import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into web/dist, which the server serves at `/` (src/web/web.feature.ts). `npm run dev:web` serves the page
// with hot reload and sends the API's paths to a server started with `npm run dev`.
const api = 'http://localhost:7860';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: Object.fromEntries(['/api', '/auth', '/docs', '/health'].map((path) => [path, api])),
  },
});
