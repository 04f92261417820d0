import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Svelte's runtime errors end in a link to their documentation. The app ships no address of any
// server, so the link becomes the bare error code (still searchable by a developer).
function noRemoteAddresses(): Plugin {
  return {
    name: 'bridger-no-remote-addresses',
    renderChunk: (code) => ({ code: code.replaceAll('https://svelte.dev/e/', 'svelte error '), map: null }),
  };
}

export default defineConfig({
  plugins: [svelte(), noRemoteAddresses()],
  // Relative asset paths: the app serves these files itself, never from a server.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Fonts are shipped as files, not inlined, so the CSP needs no data: fonts.
    assetsInlineLimit: 0,
  },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
  },
});
