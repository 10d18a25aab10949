import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Benchmarks of the field app and the office pages in the browser (`cargo xtask bench`, against
// a release build). Not tests: they print numbers for docs/benchmarks.md and fail only when a run
// goes wrong or an office page's first load grows past its budget.
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '**/*.bench.ts',
  timeout: 180_000,
  fullyParallel: false,
  workers: 1,
});
