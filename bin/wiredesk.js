#!/usr/bin/env node
// Entry point: loads the TypeScript sources through tsx, so `npx wiredesk` works after `npm ci` without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
