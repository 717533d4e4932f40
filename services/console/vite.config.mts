import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console is static files the admin API serves at /console. It imports only types from
 * @roster/contracts (erased at build), so a value imported from there by mistake fails the build
 * rather than shipping zod to the browser.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: process.env.CONSOLE_OUT_DIR ?? resolve(import.meta.dirname, '../../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
});
