import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Benchmarks of the field app in the browser (`cargo xtask bench`, against a release build).
// Not tests: they print numbers for docs/benchmarks.md and fail only when a run goes wrong.
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '**/*.bench.ts',
  timeout: 180_000,
  fullyParallel: false,
  workers: 1,
});
