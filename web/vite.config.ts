import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The gateway serves web/dist at `/`; `npm run dev` proxies the APIs to a running suite (PLAYBOOKS_URL, default :8080).
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': process.env.PLAYBOOKS_URL ?? 'http://127.0.0.1:8080' } },
  test: { environment: 'node', include: ['src/**/*.test.{ts,tsx}'] },
});
