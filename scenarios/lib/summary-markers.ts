/**
 * The lines around k6's summary JSON on stderr when SUMMARY_STDERR=1 (a remote agent, whose
 * stdout carries its samples): written by summary.ts in k6, read back by the harness.
 */
export const SUMMARY_JSON_BEGIN = '--- hunt k6-summary.json begin ---';
export const SUMMARY_JSON_END = '--- hunt k6-summary.json end ---';
