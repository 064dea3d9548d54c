#!/usr/bin/env node
// Entry point of the `hunt` CLI. The sources are TypeScript; tsx loads them directly,
// so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

// The harness targets Node 20; the AWS SDK's notice about its future Node 22 floor is noise
// in every run's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../cli/main.ts');
