// Vite builds the dashboard into the build directory (CMake passes --outDir); CMake compiles the
// output into the goodhart binary (goodhart/web). Asset names carry a content hash, so the server
// caches them for a year and revalidates only index.html.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    target: 'es2020',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
});
